"""MkDocs adapter: the only module that knows about MkDocs and static-i18n.

It reads the settings from ``mkdocs.yml``, asks the core (``hooks/divulga``)
for the validated content and the per-language page plan, and turns planned
pages into MkDocs files. static-i18n runs the whole event chain once per
language, so the content is loaded once per build (cached on a fingerprint of
the content folder and the settings) and each run only adds its language's
pages. Our ``on_files`` runs after static-i18n's (priority -100): it would
otherwise reject generated files.
"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from divulga import ContentError, Language, Settings, Site, load_site  # noqa: E402
from divulga.plan import PlannedPage  # noqa: E402
from divulga.settings import DEFAULT_LOCALES, build_date, parse_funding  # noqa: E402

AFTER_I18N = -200
# Hand-written pages linked from every page's footer when docs/ has them.
FOOTER_PAGES = ("accessibility", "privacy")
_cache: dict[str, object] = {"key": None, "site": None}
_footer_links: list[tuple[str, str]] = []  # (page name, url) in the current language


# -- settings ---------------------------------------------------------------

def _i18n(config: MkDocsConfig):
    plugin = config.plugins.get("i18n")
    if plugin is None:
        raise PluginError("Divulga needs the mkdocs-static-i18n plugin (`i18n`) in mkdocs.yml")
    return plugin


def _settings(config: MkDocsConfig) -> Settings:
    i18n = _i18n(config)
    root = Path(config.config_file_path).resolve().parent
    options = dict(config.extra.get("divulga") or {})
    languages = tuple(
        Language(code=lang.locale, name=lang.name or lang.locale, default=bool(lang.default))
        for lang in i18n.config.languages
    )
    kwargs = {}
    for key in ("news_per_page", "home_news"):
        if key in options:
            kwargs[key] = int(options[key])
    if "locales" in options:
        kwargs["locales"] = {**DEFAULT_LOCALES, **options["locales"]}
    if options.get("funding") is not None:
        default = next(lang.code for lang in languages if lang.default)
        try:
            kwargs["funding"] = parse_funding(options["funding"], tuple(lang.code for lang in languages), default)
        except ValueError as exc:
            raise PluginError(f"mkdocs.yml: extra.divulga.{exc}") from None
    return Settings(
        root=root,
        languages=languages,
        content_dir=root / options.get("content_dir", "content"),
        site_url=config.site_url or "",
        strings=options.get("strings") or {},
        today=build_date(os.environ),
        **kwargs,
    )


def _fingerprint(settings: Settings) -> tuple:
    """Changes whenever a content file is added, removed or edited."""
    stats = []
    for path in sorted(settings.content_dir.rglob("*")):
        if path.is_file():
            st = path.stat()
            stats.append((str(path), st.st_mtime_ns, st.st_size))
    return (repr(settings), tuple(stats))


def _site() -> Site:
    return _cache["site"]  # type: ignore[return-value]


def _lang(config: MkDocsConfig) -> str:
    return _i18n(config).current_language


# -- events -----------------------------------------------------------------

@event_priority(AFTER_I18N)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    settings = _settings(config)
    key = _fingerprint(settings)
    if _cache["key"] != key:
        _cache["key"], _cache["site"] = None, None
        try:
            _cache["site"] = load_site(settings)
        except ContentError as exc:
            raise PluginError(str(exc)) from None
        _cache["key"] = key
    content_dir = str(settings.content_dir)
    if content_dir not in config.watch:
        config.watch.append(content_dir)
    return config


@event_priority(AFTER_I18N)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = _site()
    for planned in site.plan.for_language(_lang(config)):
        file = File.generated(config, planned.source_path, content="\n" + planned.markdown,
                              inclusion=InclusionLevel.NOT_IN_NAV)
        file.dest_uri = planned.path + "index.html"
        file.divulga_page = planned
        files.append(file)
    _footer_links[:] = [
        (name, file.url) for name in FOOTER_PAGES
        if (file := files.get_file_from_path(f"{name}.md")) is not None
    ]
    media_dir = site.settings.content_dir / "media"
    for name in site.content.media:
        files.append(File.generated(config, f"media/{name}", abs_src_path=str(media_dir / name)))
    return files


def _planned(page: Page) -> PlannedPage | None:
    return getattr(page.file, "divulga_page", None)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    planned = _planned(page)
    if planned is not None:
        # Material prints page.meta.title unescaped (in <title> and the header).
        page.meta["title"] = html.escape(planned.title)
        page.meta["template"] = planned.template
    return markdown


@event_priority(AFTER_I18N)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    site = _site()
    lang = _lang(config)
    planned = _planned(page)
    context["divulga"] = TemplateView(site, lang, planned)
    if planned is not None:
        # static-i18n only knows the alternates of docs/ pages: point the
        # language selector at this page's own versions. Like static-i18n, set
        # the attribute (templates read it before the item, which keeps the
        # per-language home links).
        config.extra.alternate = [
            {**alternate, "link": planned.alternates.get(alternate.get("lang"), alternate["link"])}
            for alternate in config.extra.get("alternate", [])
        ]
    return context


class TemplateView:
    """What templates see as ``divulga``: the planned page and the helpers."""

    def __init__(self, site: Site, lang: str, page: PlannedPage | None):
        self.site = site
        self.lang = lang
        self.page = page
        self.latest = site.plan.latest.get(lang, ())
        self.news_index = site.plan.news_index.get(lang, "news/")
        self.projects_index = site.plan.projects_index.get(lang, "projects/")
        self.funding = site.plan.funding.get(lang)
        self.tags_index = self.news_index + "tags/"
        self.archive_index = self.news_index + "archive/"
        self.footer_links = [(self.t(name), url) for name, url in _footer_links]

    @staticmethod
    def is_home(page: Page) -> bool:
        """True on the home page of every language (index.<lang>.md)."""
        return page.file.src_uri.split(".")[0] == "index"

    def t(self, key: str, **values: object) -> str:
        return self.site.l10n.t(self.lang, key, **values)

