"""Reading ``mkdocs.yml`` without MkDocs, for the editor tools.

``divulga check`` and ``divulga new`` must see the site exactly as the build
does (same languages, same content folder, same options) but must not need
MkDocs to start. ``settings_from_config`` turns the configuration, as a plain
dict, into the core's ``Settings``; the MkDocs adapter can build the same
dict from its validated config and call it too, so both read one way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from .settings import DEFAULT_LOCALES, Language, Settings, build_date, parse_funding

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


class ConfigError(Exception):
    """The site's configuration cannot be used; the message is for the editor."""


@dataclass(frozen=True)
class SiteConfig:
    """What the editor tools need to know about a site."""

    path: Path  # the mkdocs.yml file
    settings: Settings
    docs_dir: Path  # hand-written pages
    docs_structure: str = "suffix"  # static-i18n: about.it.md ("suffix") or it/about.md ("folder")


# -- finding and parsing the file ---------------------------------------------

def find_config(start: Path) -> Path:
    """The mkdocs.yml of the site ``start`` is in (the folder or a parent)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    raise ConfigError(f"no mkdocs.yml in {start} or its parent folders: run divulga from the "
                      "site's folder, or name the file with -f path/to/mkdocs.yml")


def _loader(environ: Mapping[str, str]) -> type[yaml.SafeLoader]:
    """A safe loader that reads MkDocs' own tags instead of failing on them.

    ``!ENV`` is resolved as MkDocs does (``!ENV VAR`` or ``!ENV [VAR, default]``);
    any other tag (``!relative``, ``!!python/name:...``) reads as None: the
    editor tools never need those values.
    """

    class MkDocsYamlLoader(yaml.SafeLoader):
        pass

    def env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        default = None
        if isinstance(node, yaml.ScalarNode):
            names = [loader.construct_scalar(node)]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
            if len(children) > 1:
                default = loader.construct_object(children[-1])
                children = children[:-1]
            names = [loader.construct_scalar(child) for child in children]
        else:
            return None
        for name in names:
            if name in environ:
                value = environ[name]
                tag = loader.resolve(yaml.ScalarNode, value, (True, False))
                return loader.construct_object(yaml.ScalarNode(tag, value))
        return default

    def ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
        return None

    MkDocsYamlLoader.add_constructor("!ENV", env)
    MkDocsYamlLoader.add_multi_constructor("!", ignore)
    MkDocsYamlLoader.add_multi_constructor("tag:yaml.org,2002:python/", ignore)
    return MkDocsYamlLoader


def read_config(path: Path, environ: Mapping[str, str] | None = None) -> dict:
    """The configuration file as a dict; ConfigError when it cannot be read."""
    environ = os.environ if environ is None else environ
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name} is not UTF-8 text: save it as UTF-8") from None
    try:
        data = yaml.load(text, Loader=_loader(environ))  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}:{mark.line + 1}" if mark is not None else path.name
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: expected `key: value` settings")
    return data


# -- the configuration as Settings --------------------------------------------

def i18n_options(config: Mapping[str, Any]) -> dict:
    """The options of the static-i18n plugin (``plugins: - i18n: {...}``)."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins:
        if entry == "i18n":
            return {}
        if isinstance(entry, dict) and "i18n" in entry:
            return dict(entry["i18n"] or {})
    raise ConfigError("Divulga needs the mkdocs-static-i18n plugin (`i18n`) in mkdocs.yml, "
                      "with the site's languages")


def _languages(i18n: Mapping[str, Any]) -> tuple[Language, ...]:
    raw = i18n.get("languages") or []
    if not isinstance(raw, list) or not raw:
        raise ConfigError("mkdocs.yml: list the site's languages under the i18n plugin's `languages:`")
    languages = []
    for entry in raw:
        if not isinstance(entry, dict) or not entry.get("locale"):
            raise ConfigError("mkdocs.yml: every i18n language needs `locale:` (e.g. locale: it)")
        code = str(entry["locale"])
        if code == "null":  # static-i18n's link-only entry in the language switcher
            continue
        languages.append(Language(code=code, name=str(entry.get("name") or code),
                                  default=bool(entry.get("default", False)),
                                  build=bool(entry.get("build", True))))
    if sum(lang.default for lang in languages) != 1:
        raise ConfigError("mkdocs.yml: mark exactly one i18n language with `default: true`")
    return tuple(languages)


def settings_from_config(config: Mapping[str, Any], root: Path,
                         environ: Mapping[str, str] | None = None) -> Settings:
    """The core's Settings from a MkDocs configuration written as a dict.

    ``root`` is the folder of mkdocs.yml. Raises ConfigError with a message
    for the site maintainer.
    """
    environ = os.environ if environ is None else environ
    languages = _languages(i18n_options(config))
    extra = config.get("extra") or {}
    options = dict((extra.get("divulga") if isinstance(extra, dict) else None) or {})
    codes = tuple(lang.code for lang in languages)
    default = next(lang.code for lang in languages if lang.default)
    kwargs: dict[str, Any] = {}
    try:
        for key in ("news_per_page", "archive_per_page", "home_news", "feed_items"):
            if key in options:
                kwargs[key] = int(options[key])
    except (TypeError, ValueError):
        raise ConfigError(f"mkdocs.yml: extra.divulga.{key}: write a whole number") from None
    for key in ("news_per_page", "archive_per_page"):
        if kwargs.get(key, 1) < 1:
            raise ConfigError(f"mkdocs.yml: extra.divulga.{key}: write a whole number of at least 1")
    if "social_image" in options:
        kwargs["social_image"] = str(options["social_image"])
    if "search" in options:
        kwargs["search"] = bool(options["search"])
    if "locales" in options:
        kwargs["locales"] = {**DEFAULT_LOCALES, **(options["locales"] or {})}
    if options.get("funding") is not None:
        try:
            kwargs["funding"] = parse_funding(options["funding"], codes, default)
        except ValueError as exc:
            raise ConfigError(f"mkdocs.yml: extra.divulga.{exc}") from None
    return Settings(
        root=root,
        languages=languages,
        content_dir=root / str(options.get("content_dir", "content")),
        site_url=_directory_url(str(config.get("site_url") or "")),
        site_name=str(config.get("site_name") or ""),
        site_description=str(config.get("site_description") or ""),
        strings=options.get("strings") or {},
        today=build_date(dict(environ)),
        **kwargs,
    )


def _directory_url(url: str) -> str:
    """MkDocs ends ``site_url`` with a slash; do the same."""
    return url if not url or url.endswith("/") else url + "/"


def load_site_config(path: Path, environ: Mapping[str, str] | None = None) -> SiteConfig:
    """Read ``path`` (a mkdocs.yml) into what the editor tools need."""
    path = path.resolve()
    config = read_config(path, environ)
    settings = settings_from_config(config, path.parent, environ)
    i18n = i18n_options(config)
    return SiteConfig(
        path=path,
        settings=settings,
        docs_dir=path.parent / str(config.get("docs_dir") or "docs"),
        docs_structure=str(i18n.get("docs_structure") or "suffix"),
    )
