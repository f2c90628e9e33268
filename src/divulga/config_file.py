"""Reading ``mkdocs.yml`` without MkDocs, for the editor tools.

``divulga check`` and ``divulga new`` must see the site exactly as the build
does (same languages, same content folder, same options) but must not need
MkDocs to start. ``settings_from_config`` turns the configuration, as a plain
dict, into the core's ``Settings``; the MkDocs adapter can build the same
dict from its validated config and call it too, so both read one way.

Every option is checked, and every mistake is reported at once as a
``Problem`` (``mkdocs.yml:57: extra.divulga.news_per_pag: unknown option;
...``), like the content's problems. Lines come from reading mkdocs.yml
again, only when there is something to report: the adapter's dict, built
from MkDocs' validated config, has none, and both ways give the same text.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping, Union

import yaml
from babel import Locale, UnknownLocaleError

from divulga.branding import Palette, is_colour
from divulga.l10n import _builtin_strings
from divulga.problems import Problem
from divulga.read.model import FUNDING_STATEMENTS, Localized
from divulga.read.schema import licences, time_zones, unknown_time_zone
from divulga.read.yamlsource import YamlDocument, _record_lines
from divulga.settings import DEFAULT_LOCALES, Funding, Language, Settings, build_date

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


class ConfigError(Exception):
    """The site's configuration cannot be used; the message is for the editor.

    ``problems`` lists the mistakes in mkdocs.yml (and the environment), each
    a Problem to fix; it is empty when the file itself could not be found or
    read, and the message says why.
    """

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            super().__init__(problems)
            return
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the configuration:\n{lines}")


class EnvironmentProblem(Problem):
    """A problem with an environment variable (``field``), not with a file."""

    def __str__(self) -> str:
        return f"environment variable {self.field}: {self.message}"


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


def read_config_document(path: Path, environ: Mapping[str, str] | None = None) -> YamlDocument:
    """The configuration file with the line of every key; ConfigError when it cannot be read."""
    environ = os.environ if environ is None else environ
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name} is not UTF-8 text: save it as UTF-8") from None
    loader = _loader(environ)(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}:{mark.line + 1}" if mark is not None else path.name
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: expected `key: value` settings")
    lines: dict[tuple, int] = {}
    _record_lines(root, (), lines, 0)
    return YamlDocument(data, lines)


def read_config(path: Path, environ: Mapping[str, str] | None = None) -> dict:
    """The configuration file as a dict; ConfigError when it cannot be read."""
    return read_config_document(path, environ).data


# -- the configuration as Settings --------------------------------------------

OPTIONS = ("archive_per_page", "colors", "content_dir", "data_licence", "description", "editor", "feed_items",
           "funding",
           "home_events", "home_news", "locales", "news_per_page", "search", "search_pages_per_bundle", "social_image", "strings", "tagline",
           "timezone")
# whole-number options: (smallest allowed, example)
WHOLE_NUMBERS = {"news_per_page": (1, 10), "archive_per_page": (1, 20), "home_news": (0, 4), "home_events": (0, 3),
                 "feed_items": (1, 50), "search_pages_per_bundle": (1, 5000)}
FUNDING_KEYS = ("programme", "statement")
COLOUR_KEYS = ("primary", "accent")
# The language codes static-i18n accepts ("it", "pt-BR", "sr-Latn", "en_GB"):
# the build stops on any other before Divulga's hooks run.
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}(-[A-Za-z]{4})?(-[A-Z]{2})?$|^[a-z]{2}_[A-Z]{2}$")
I18N = ("i18n",)
SEARCH = ("search", "material/search")  # MkDocs' or Material's search plugin, as written or as loaded
_DIVULGA = ("extra", "divulga")
_CODE_HOW = ("write the language's two-letter code (ISO 639-1), e.g. it, en, fr or de, "
             "with a country after a hyphen if needed: pt-BR")
LineOf = Callable[[tuple], Union[int, None]]


@dataclass(frozen=True)
class _Finding:
    """A mistake found in the configuration, before its line is known."""

    where: tuple | None  # the path of the value in mkdocs.yml; None: the environment
    field: str  # as the message names it: extra.divulga.news_per_page
    message: str | Callable[[LineOf], str]  # a function when it names other lines


def i18n_options(config: Mapping[str, Any]) -> dict:
    """The options of the static-i18n plugin (``plugins: - i18n: {...}``)."""
    found = _find_plugin(config, I18N)
    if found is None:
        raise ConfigError("Divulga needs the mkdocs-static-i18n plugin (`i18n`) in mkdocs.yml, "
                          "with the site's languages")
    options = found[1]
    return dict(options) if isinstance(options, dict) else {}


def _find_plugin(config: Mapping[str, Any], names: tuple[str, ...]) -> tuple[tuple, Any] | None:
    """(its path in the configuration, its options) of the plugin written
    with one of ``names``, or None."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        name = next((name for name in names if name in plugins), None)
        return (("plugins", name), plugins[name]) if name is not None else None
    if not isinstance(plugins, list):
        return None
    for index, entry in enumerate(plugins):
        if entry in names:
            return ("plugins", index), {}
        if isinstance(entry, dict):
            name = next((name for name in names if name in entry), None)
            if name is not None:
                return ("plugins", index, name), entry[name]
    return None


@dataclass(frozen=True)
class _PluginAt:
    """Stands, at the start of a finding's path, for the place of a plugin in
    mkdocs.yml: the adapter's dict does not list the plugins as written."""

    names: tuple[str, ...]


def settings_from_config(config: Mapping[str, Any], root: Path,
                         environ: Mapping[str, str] | None = None,
                         source: Path | None = None) -> Settings:
    """The core's Settings from a MkDocs configuration written as a dict.

    ``root`` is the folder of mkdocs.yml; ``source``, the file the
    configuration was read from, gives the problems their lines. Raises
    ConfigError with every problem found.
    """
    environ = os.environ if environ is None else environ
    settings, findings = _read_settings(config, root, environ)
    if findings:
        raise ConfigError(_locate(findings, source, environ))
    assert settings is not None
    return settings


def _locate(findings: list[_Finding], source: Path | None, environ: Mapping[str, str]) -> list[Problem]:
    """The findings as Problems, at their lines in ``source`` (when it can be read)."""
    document = None
    if source is not None:
        try:
            document = read_config_document(source, environ)
        except ConfigError:
            pass
    name = source.name if source is not None else "mkdocs.yml"

    def line_of(where: tuple) -> int | None:
        if document is None:
            return None
        if where and isinstance(where[0], _PluginAt):
            found = _find_plugin(document.data, where[0].names)
            where = (found[0] if found is not None else ("plugins",)) + where[1:]
        return document.line(*where)

    problems: list[Problem] = []
    for finding in findings:
        message = finding.message if isinstance(finding.message, str) else finding.message(line_of)
        if finding.where is None:
            problems.append(EnvironmentProblem("(environment)", None, finding.field, message))
        else:
            problems.append(Problem(name, line_of(finding.where), finding.field, message))
    return sorted(problems, key=lambda p: (isinstance(p, EnvironmentProblem), p.line or 0, p.field))


def _read_settings(config: Mapping[str, Any], root: Path,
                   environ: Mapping[str, str]) -> tuple[Settings | None, list[_Finding]]:
    findings: list[_Finding] = []
    languages = _languages(config, findings)
    usable = bool(languages) and not findings  # no language problem
    # None: the options that name languages are not checked against them (a
    # wrong language code would make every later mention of it look wrong)
    codes = tuple(lang.code for lang in languages) if usable else None
    default = next(lang.code for lang in languages if lang.default) if usable else None
    kwargs: dict[str, Any] = {}
    if _find_plugin(config, I18N) is not None and _find_plugin(config, SEARCH) is not None:
        # its on_config renders the theme's templates before Divulga's hooks set them up
        findings.append(_Finding((_PluginAt(SEARCH),), "plugins",
                                 "Divulga builds its own search index (turned off with extra.divulga.search: "
                                 "false): remove the search plugin from plugins:"))

    extra = config.get("extra")
    options: Any = extra.get("divulga") if isinstance(extra, dict) else None
    if extra is not None and not isinstance(extra, dict):
        findings.append(_Finding(("extra",), "extra", "write the extra settings as `key: value` lines "
                                                      "under extra:, e.g. divulga: with Divulga's options"))
    if options is None:
        options = {}
    elif not isinstance(options, dict):
        findings.append(_Finding(_DIVULGA, "extra.divulga",
                                 "write Divulga's options as `key: value` lines under divulga:, one per "
                                 f"line, e.g. news_per_page: 10 (known options: {', '.join(OPTIONS)})"))
        options = {}

    for key in options:
        if key not in OPTIONS:
            findings.append(_Finding(_DIVULGA + (key,), f"extra.divulga.{key}",
                                     _unknown("option", key, OPTIONS) + f" Known options: {', '.join(OPTIONS)}"))
    for key, (minimum, example) in WHOLE_NUMBERS.items():
        if key in options:
            value = options[key]
            if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
                kwargs[key] = value
            else:
                least = "(0 or more)" if minimum == 0 else f"of at least {minimum}"
                findings.append(_option(key, f"write a whole number {least}, e.g. {example}, not {_shown(value)}"))
    if "search" in options:
        if isinstance(options["search"], bool):
            kwargs["search"] = options["search"]
        else:
            findings.append(_option("search", "write true (build the search index) or false (no search), "
                                              f"without quotes, not {_shown(options['search'])}"))
    if "social_image" in options:
        value = options["social_image"]
        if isinstance(value, str) and value.strip():
            kwargs["social_image"] = value
        else:
            findings.append(_option("social_image", "write the path of the link-preview image, e.g. "
                                                    f"assets/images/social.png, not {_shown(value)}"))
    content_dir = _content_dir(options, root, findings)
    if "data_licence" in options:
        licence = _data_licence(options["data_licence"], findings)
        if licence is not None:
            kwargs["data_licence"] = licence
    if options.get("editor") is not None:
        kwargs["editor"] = _editor(options["editor"], findings)
    if "locales" in options:
        locales = _locales(options["locales"], codes, findings)
        if locales is not None:
            kwargs["locales"] = {**DEFAULT_LOCALES, **locales}
    if options.get("strings") is not None:
        kwargs["strings"] = _strings(options["strings"], codes, findings)
    if options.get("funding") is not None:
        kwargs["funding"] = _funding(options["funding"], codes, default, findings)
    for key, what, example in (("tagline", "a short line that says what the site is for", "Cooperazione tra cluster"),
                               ("description", "one or two sentences that describe the site for search engines",
                                "Notizie e progetti europei dei cluster piemontesi.")):
        if options.get(key) is not None:
            kwargs[key] = _localized(options[key], codes, default, findings, (key,), what, example)
    if "timezone" in options:
        zone = options["timezone"]
        if isinstance(zone, str) and zone.strip() in time_zones():
            kwargs["timezone"] = zone.strip()
        else:
            findings.append(_option("timezone", unknown_time_zone(zone)))
    if options.get("colors") is not None:
        kwargs["palette"] = _colours(options["colors"], findings) or Palette()
    try:
        today = build_date(environ)
    except ValueError as exc:
        findings.append(_Finding(None, "SOURCE_DATE_EPOCH", str(exc)))

    if findings or not usable:
        return None, findings
    return Settings(
        root=root,
        languages=languages,
        content_dir=content_dir,
        site_url=_directory_url(str(config.get("site_url") or "")),
        site_name=str(config.get("site_name") or ""),
        site_description=str(config.get("site_description") or ""),
        today=today,
        **kwargs,
    ), []


def _option(key: str, message: str | Callable[[LineOf], str], *inside: Any) -> _Finding:
    """A finding about ``extra.divulga.<key>`` (or something inside it)."""
    return _Finding(_DIVULGA + (key, *inside), ".".join(("extra.divulga", key, *map(str, inside))), message)


def _unknown(what: str, key: Any, known: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(str(key), known, n=1)
    return f"unknown {what}; did you mean {close[0]}?" if close else f"unknown {what}."


def _shown(value: Any) -> str:
    """A value as the maintainer wrote it, for messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:40]}…'"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of settings"
    return f"'{value}'"


@lru_cache(maxsize=256)
def _babel_knows(code: str) -> bool:
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


# -- languages (static-i18n's `languages`) ---------------------------------------

def _languages(config: Mapping[str, Any], findings: list[_Finding]) -> tuple[Language, ...] | None:
    """The site's languages, those written correctly when some are not (and
    findings); None when there is no list of languages."""
    found = _find_plugin(config, I18N)
    if found is None:
        findings.append(_Finding(("plugins",), "plugins",
                                 "Divulga needs the mkdocs-static-i18n plugin (`i18n`) with the site's "
                                 "languages: add `- i18n:` under plugins:, as in Divulga's example mkdocs.yml"))
        return None
    options = found[1] if isinstance(found[1], dict) else {}
    at, field = (_PluginAt(I18N), "languages"), "plugins.i18n.languages"
    raw = options.get("languages")
    if not isinstance(raw, list) or not raw:
        findings.append(_Finding(at, field, "list the site's languages here, one block each: "
                                            "`- locale: it`, `name: Italiano`, `default: true` for the "
                                            "language served at the site's root"))
        return None
    languages: list[Language] = []
    first_at: dict[str, tuple] = {}  # code -> where it is first listed
    defaults: list[tuple] = []  # where each `default: true` is
    for index, entry in enumerate(raw):
        here = at + (index,)
        if not isinstance(entry, dict) or entry.get("locale") in (None, ""):
            findings.append(_Finding(here, field, "every language needs `locale:` with its code, e.g. locale: it"))
            continue
        code = entry["locale"]
        if code == "null":  # static-i18n's link-only entry in the language switcher
            continue
        if entry.get("default") is True:
            defaults.append(here)
            if entry.get("build", True) is False:
                findings.append(_Finding(here + ("build",), f"{field}.build",
                                         "the default language is always built: remove `build: false`"))
        for key in ("default", "build"):
            if key in entry and not isinstance(entry[key], bool):
                findings.append(_Finding(here + (key,), f"{field}.{key}",
                                         f"write true or false, without quotes, not {_shown(entry[key])}"))
        if "name" in entry and not (isinstance(entry["name"], str) and entry["name"].strip()):
            findings.append(_Finding(here + ("name",), f"{field}.name",
                                     "write the language's name as its speakers write it, e.g. Italiano"))
        if not isinstance(code, str):
            findings.append(_Finding(here + ("locale",), f"{field}.locale",
                                     f"YAML reads this as {_shown(code)}, not as a language code: write the "
                                     "code in quotes, e.g. locale: \"no\""))
            continue
        if not _LANGUAGE_CODE.match(code) or not _babel_knows(code):
            findings.append(_Finding(here + ("locale",), f"{field}.locale",
                                     f"{_shown(code)} is not a language code: {_CODE_HOW}"))
            continue
        if code in first_at:
            findings.append(_Finding(here + ("locale",), f"{field}.locale", _listed_twice(code, first_at[code], here)))
            continue
        first_at[code] = here
        languages.append(Language(code=code, name=str(entry.get("name") or code),
                                  default=entry.get("default") is True,
                                  build=entry.get("build", True) is not False))
    if not defaults:
        findings.append(_Finding(at, field, "no language has `default: true`: add it to the language served "
                                            "at the site's root (one language only)"))
    for extra_default in defaults[1:]:
        findings.append(_Finding(extra_default + ("default",), f"{field}.default",
                                 _many_defaults(defaults[0], extra_default)))
    return tuple(languages)


def _listed_twice(code: str, first: tuple, second: tuple) -> Callable[[LineOf], str]:
    def message(line_of: LineOf) -> str:
        a, b = line_of(first), line_of(second)
        where = f" (lines {a} and {b})" if a and b and a != b else ""
        return (f"the language {code} is listed twice{where}: keep one of them, or the site would "
                "have two versions of every page in that language")
    return message


def _many_defaults(first: tuple, other: tuple) -> Callable[[LineOf], str]:
    def message(line_of: LineOf) -> str:
        a, b = line_of(first + ("default",)), line_of(other + ("default",))
        where = f" (lines {a} and {b})" if a and b and a != b else ""
        return (f"more than one language has `default: true`{where}: keep it on the language served "
                "at the site's root only")
    return message


# -- extra.divulga options ------------------------------------------------------------

def _content_dir(options: Mapping[str, Any], root: Path, findings: list[_Finding]) -> Path:
    """The content folder. Written or not, it must be inside the site's folder;
    written, it must exist (the default content/ may be missing: a site with
    pages only; `divulga check` and `divulga new` ask for it)."""
    value = options.get("content_dir", "content")
    if not isinstance(value, str) or not value.strip():
        findings.append(_option("content_dir", "write the name of the content folder (news/, projects/, "
                                               f"tags.yaml, media/), e.g. content_dir: content, not {_shown(value)}"))
        return root / "content"
    folder = root / value
    site = root.resolve()
    real = folder.resolve()
    if real != site and site not in real.parents:
        link = f" (it leads to {real})" if not Path(value).is_absolute() and ".." not in Path(value).parts else ""
        findings.append(_option("content_dir", f"'{value}' is outside the site's folder{link}: keep the content "
                                               "in a folder inside it, e.g. content_dir: content"))
    elif "content_dir" in options and not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "not found"
        findings.append(_option("content_dir", f"folder {what}: {value} (looked for {real}): create it, or write "
                                               "the name of the folder with news/ and projects/, e.g. "
                                               "content_dir: content"))
    return folder


EDITOR_KEYS = ("backend", "repo", "branch", "base_url", "auth_endpoint", "auth_type", "app_id")
EDITOR_BACKENDS = ("github", "gitlab", "gitea", "git-gateway")


def _editor(value: Any, findings: list[_Finding]) -> tuple[tuple[str, str], ...]:
    """The web editor's git backend: where Decap CMS commits (docs in README, "The web editor")."""
    example = "e.g. repo: my-office/my-site and branch: main"
    if not isinstance(value, dict):
        findings.append(_option("editor", f"write the editor's settings as `key: value` lines under editor:, {example}"))
        return ()
    found = []
    for key, item in value.items():
        where = _DIVULGA + ("editor", key)
        if key not in EDITOR_KEYS:
            findings.append(_Finding(where, f"extra.divulga.editor.{key}",
                                     _unknown("setting", key, EDITOR_KEYS) + f" Known settings: {', '.join(EDITOR_KEYS)}"))
        elif not isinstance(item, str) or not item.strip():
            findings.append(_Finding(where, f"extra.divulga.editor.{key}", f"write some text, {example}"))
        elif key == "auth_type" and item != "pkce":
            findings.append(_Finding(where, "extra.divulga.editor.auth_type",
                                     f"the only sign-in type to set is pkce (GitLab, Gitea), not {_shown(item)}"))
        elif key == "backend" and item not in EDITOR_BACKENDS:
            findings.append(_Finding(where, "extra.divulga.editor.backend",
                                     f"unknown backend {_shown(item)}: use {', '.join(EDITOR_BACKENDS)}"))
        elif key == "repo" and not re.fullmatch(r"[\w.-]+(/[\w.-]+)+", item.strip()):
            findings.append(_Finding(where, "extra.divulga.editor.repo",
                                     f"write the repository as owner/name, e.g. my-office/my-site, not {_shown(item)}"))
        elif key in ("base_url",) and not item.strip().startswith("https://"):
            findings.append(_Finding(where, f"extra.divulga.editor.{key}",
                                     f"write the address of the sign-in helper, starting with https://, not {_shown(item)}"))
        else:
            found.append((key, item.strip()))
    return tuple(found)


def _data_licence(value: Any, findings: list[_Finding]) -> str | None:
    """The licence of the open data: an SPDX identifier (CC-BY-4.0, CC0-1.0, ODbL-1.0), written
    in any case and given back as SPDX spells it."""
    how = "write the licence's SPDX identifier (https://spdx.org/licenses/), e.g. CC-BY-4.0 or CC0-1.0"
    if not isinstance(value, str) or not value.strip():
        findings.append(_option("data_licence", f"{how}, not {_shown(value)}"))
        return None
    known = licences()
    found = known.get(value.strip().casefold())
    if found is None:
        # "CC BY 4.0", "cc-by 4.0": compare as the identifier would be written
        close = difflib.get_close_matches(re.sub(r"[\s_]+", "-", value.strip()).casefold(), list(known), n=1)
        hint = f"; did you mean {known[close[0]]}?" if close else "."
        findings.append(_option("data_licence", f"{_shown(value)} is not an SPDX licence identifier{hint} "
                                                f"{how[0].upper()}{how[1:]}"))
    return found


def _not_a_language(code: Any, codes: tuple[str, ...] | None, what: str) -> str | None:
    """Why ``code`` cannot be used as a key naming a language, or None."""
    if codes is None or code in codes:
        return None
    return f"'{code}' is not one of the site's languages ({', '.join(codes)}): use one of them, or remove {what}"


def _locales(raw: Any, codes: tuple[str, ...] | None, findings: list[_Finding]) -> dict[str, str] | None:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        findings.append(_option("locales", "write one line per language with the locale for its dates and "
                                           "numbers, e.g. en: en_GB"))
        return None
    locales = {}
    for code, locale in raw.items():
        wrong = _not_a_language(code, codes, "this line")
        if wrong:
            findings.append(_option("locales", wrong, code))
        elif not isinstance(locale, str) or not _babel_knows(locale):
            findings.append(_option("locales", f"{_shown(locale)} is not a locale Divulga knows: write a language "
                                               "code and a country, e.g. en_GB, pt_BR or fr_BE", code))
        else:
            locales[str(code)] = locale
    return locales


def _strings(raw: Any, codes: tuple[str, ...] | None, findings: list[_Finding]) -> dict[str, dict[str, str]]:
    """Interface strings overridden by the site: {language: {key: text}}."""
    builtin = _builtin_strings()
    english = builtin.get("en", {})
    known = sorted(set().union(*(block.keys() for block in builtin.values())))
    if not isinstance(raw, dict):
        findings.append(_option("strings", "write a block per language with the interface texts to change, "
                                           "e.g. `it:` and below it `news: Notizie`"))
        return {}
    strings: dict[str, dict[str, str]] = {}
    for code, block in raw.items():
        wrong = _not_a_language(code, codes, "this block")
        if wrong:
            findings.append(_option("strings", wrong, code))
            continue
        if block is None:
            continue
        if not isinstance(block, dict):
            findings.append(_option("strings", "write one `key: text` line per interface text, e.g. "
                                               "news: Notizie", code))
            continue
        for key, text in block.items():
            if key not in known:
                findings.append(_option("strings", _unknown("interface text", key, known)
                                        + " The keys are listed in Divulga's ui_strings.yaml.", code, key))
            elif not isinstance(text, str) or not text.strip():
                findings.append(_option("strings", f"write the text, not {_shown(text)}", code, key))
            else:
                problem = _placeholder_problem(text, english.get(key, ""))
                if problem:
                    findings.append(_option("strings", problem, code, key))
                else:
                    strings.setdefault(str(code), {})[str(key)] = text
    return strings


def _placeholders(text: str) -> list[str]:
    """The {names} in ``text``; ValueError when a brace is not paired."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _placeholder_problem(text: str, original: str) -> str | None:
    allowed = sorted(set(_placeholders(original)))
    can_use = f"this text can use {', '.join('{' + name + '}' for name in allowed)}" if allowed else \
        "this text has no {…} to fill in"
    try:
        names = _placeholders(text)
    except ValueError:
        return f"a {{ or }} is not paired: {can_use} (write {{{{ or }}}} for a brace as such)"
    wrong = [name for name in names if name not in allowed]
    if wrong:
        return f"{{{wrong[0]}}} cannot be filled in here: {can_use}"
    return None


def _funding(raw: Any, codes: tuple[str, ...] | None, default: str | None,
             findings: list[_Finding]) -> Funding | None:
    """The ``funding`` option: ``{statement: co-funded, programme: ...}``."""
    if not isinstance(raw, dict):
        findings.append(_option("funding", "write `statement: co-funded` (or funded) and `programme:` with "
                                           "the programme's name, on lines of their own under funding:"))
        return None
    count = len(findings)
    _unknown_keys("funding", raw, FUNDING_KEYS, "setting", "Write statement: and programme:", findings)
    statement = raw.get("statement", "co-funded")
    if statement not in FUNDING_STATEMENTS:
        findings.append(_option("funding", f"write co-funded or funded, not {_shown(statement)}", "statement"))
    programme = _localized(raw.get("programme"), codes, default, findings, ("funding", "programme"),
                           "the programme's name", "Programma Regionale FESR")
    if len(findings) != count:
        return None
    return Funding(statement, programme)


def _unknown_keys(option: str, raw: dict, known: tuple[str, ...], what: str, how: str,
                  findings: list[_Finding]) -> None:
    """A finding for each key of an option's mapping that is not one of ``known``."""
    for key in raw:
        if key not in known:
            findings.append(_option(option, f"{_unknown(what, key, known)} {how}", key))


def _localized(raw: Any, codes: tuple[str, ...] | None, default: str | None, findings: list[_Finding],
               where: tuple[str, ...], what: str, example: str) -> Localized | None:
    """A text of the configuration written once for every language or once
    per language (``{it: …, en: …}``, the default language's required)."""
    key, inside = where[0], where[1:]
    if raw is None:
        return None
    if isinstance(raw, str) and raw.strip():
        return Localized({code: raw for code in codes or ()})
    if not isinstance(raw, dict):
        findings.append(_option(key, f"write {what}, or one line per language, e.g. "
                                     f"`{default or 'it'}: {example}`", *inside))
        return None
    count = len(findings)
    texts = {}
    for code, text in raw.items():
        wrong = _not_a_language(code, codes, "this line")
        if wrong:
            findings.append(_option(key, wrong, *inside, code))
        elif not isinstance(text, str) or not text.strip():
            findings.append(_option(key, f"write {what}, not {_shown(text)}", *inside, code))
        else:
            texts[code] = text
    if default is not None and default not in raw:
        findings.append(_option(key, f"write {what} in {default} too (the default language), or one text "
                                     "for every language", *inside))
    return Localized(texts) if len(findings) == count else None


def _colours(raw: Any, findings: list[_Finding]) -> Palette | None:
    """``colors: {primary: "#0b4f6c", accent: "#a23b12"}``, readable on white
    and under white text (WCAG AA, divulga.branding)."""
    if not isinstance(raw, dict):
        findings.append(_option("colors", "write `primary:` and `accent:` on lines of their own under colors:, "
                                          'each a colour such as "#0b4f6c" (in quotes)'))
        return None
    count = len(findings)
    _unknown_keys("colors", raw, COLOUR_KEYS, "colour", "Write primary: and accent:", findings)
    chosen = {}
    for key in COLOUR_KEYS:
        if key in raw:
            if is_colour(raw[key]):
                chosen[key] = raw[key].lower()
            else:
                findings.append(_option("colors", f'write a colour as # and six hex digits in quotes, e.g. "#0b4f6c", '
                                                  f"not {_shown(raw[key])}", key))
    if len(findings) != count:
        return None
    palette = Palette(**chosen)
    reported = set()
    for setting, problem in palette.problems():
        if setting not in reported:  # the first pair that fails, not every pair made from the colour
            reported.add(setting)
            findings.append(_option("colors", f"{problem}: choose a darker {setting} colour", setting))
    return palette if len(findings) == count else None


def _directory_url(url: str) -> str:
    """MkDocs ends ``site_url`` with a slash; do the same."""
    return url if not url or url.endswith("/") else url + "/"


def load_site_config(path: Path, environ: Mapping[str, str] | None = None) -> SiteConfig:
    """Read ``path`` (a mkdocs.yml) into what the editor tools need."""
    path = path.resolve()
    config = read_config(path, environ)
    settings = settings_from_config(config, path.parent, environ, source=path)
    i18n = i18n_options(config)
    docs_dir = path.parent / str(config.get("docs_dir") or "docs")
    docs_structure = str(i18n.get("docs_structure") or "suffix")
    theme = config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    settings = dataclasses.replace(settings, docs_dir=docs_dir, docs_structure=docs_structure,
                                   theme_dir=path.parent / str(custom_dir) if custom_dir else None)
    return SiteConfig(path=path, settings=settings, docs_dir=docs_dir, docs_structure=docs_structure)
