"""MkDocs adapter: the only module that knows about MkDocs and static-i18n.

It reads the settings from ``mkdocs.yml``, asks the core (``hooks/divulga``)
for the validated content and the per-language page plan, and turns planned
pages into MkDocs files. static-i18n runs the whole event chain once per
language, so the content is loaded once per build (cached on a fingerprint of
the content folder and the settings) and each run only adds its language's
pages. Our ``on_files`` runs after static-i18n's (priority -100): it would
otherwise reject generated files. Under ``mkdocs serve --dirty`` the hooks
keep, across rebuilds, what each generated page was last rendered from
(divulga.incremental) and hand MkDocs only the pages that changed, plus
those the navigation or a changed page links to.
"""

from __future__ import annotations

import dataclasses
import gzip
import html
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import TemplateNotFound, pass_context, pass_environment
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.loaders import split_template_path
from markupsafe import Markup

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from divulga import ContentError, Settings, Site, load_site
from divulga.config_file import SEARCH, ConfigError, settings_from_config
from divulga.write.feeds import feed_path, site_feeds
from divulga.read.html_safety import clean
from divulga.plan.incremental import RenderLedger, markdown_links, nav_paths
from divulga.write.metadata import head
from divulga.plan.planner import NEWS_ITEM, PROJECT, PlannedPage
from divulga.write.search_index import SearchIndexer, SearchIndexError, bundle_path
from divulga.write.search_records import news_record
from divulga.write.sitemap import SitemapEntry, last_changed, render_sitemap

log = get_plugin_logger("divulga")

FIRST = 100  # before every plugin
BEFORE_I18N = 0
AFTER_I18N = -200
# Hand-written pages linked from every page's footer when docs/ has them.
FOOTER_PAGES = ("accessibility", "privacy")
_cache: dict[str, object] = {"key": None, "site": None, "preview": False}
# `mkdocs serve --dirty`: what each generated page was last rendered from
_ledger = RenderLedger()
_counts = {"rendered": 0, "pages": 0}  # pages rendered by this build, of all its pages
_footer_links: list[tuple[str, str]] = []  # (page name, url) in the current language
# Collected over the per-language builds, written once when all are done.
_sitemap: list[SitemapEntry] = []
_not_found: dict[str, bytes] = {}  # lang -> the 404 page rendered for it
# Pagefind's service for the current build: fed each searchable page as it is
# written (see divulga.search_index), None when search is off.
_search: dict[str, SearchIndexer | None] = {"indexer": None}
# Template parts rendered once and reused (see _reuse):
# (part, lang, folder of the page) -> HTML.
_fragments: dict[tuple[str, str, str], Markup] = {}
# What those parts link to: the top folders of the theme's and the
# configuration's assets, the configured home link and the current
# navigation's targets; and the last page asked about, with its folder.
_link_targets: dict[str, object] = {"assets": ("assets/",), "homepage": (), "nav": None, "urls": (),
                                    "page": None, "folder": None}
# Material's interface strings: (language, key) -> string.
_theme_strings: dict[tuple[str, str], Markup] = {}


# -- settings ---------------------------------------------------------------

def _i18n(config: MkDocsConfig):
    plugin = config.plugins.get("i18n")
    if plugin is None:  # _check_config has reported it, with its line
        raise PluginError("Divulga needs the mkdocs-static-i18n plugin (`i18n`) in mkdocs.yml")
    return plugin


def _settings(config: MkDocsConfig) -> Settings:
    """The core's settings, read as `divulga check` reads mkdocs.yml, but from
    MkDocs' validated configuration (static-i18n may have changed the default
    language for `build_only_locale`). Every problem is reported at once, at
    its line in mkdocs.yml, in the same words as `divulga check`."""
    plugin = config.plugins.get("i18n")
    plugins = [] if plugin is None else [{"i18n": {"languages": [
        {"locale": lang.locale, "name": lang.name, "default": lang.default, "build": lang.build}
        for lang in plugin.config.languages]}}]
    # MkDocs adds its search plugin when mkdocs.yml lists no plugins: only
    # one written next to i18n is reported (as `divulga check` reads it)
    plugins += [name for name in SEARCH if plugin is not None and name in config.plugins]
    raw = {
        "plugins": plugins,
        "extra": dict(config.extra),
        "site_url": config.site_url,
        "site_name": config.site_name,
        "site_description": config.site_description,
    }
    config_file = Path(config.config_file_path).resolve()
    try:
        settings = settings_from_config(raw, config_file.parent, os.environ, source=config_file)
    except ConfigError as exc:
        raise PluginError(str(exc)) from None
    plugin = config.plugins.get("i18n")
    return dataclasses.replace(
        settings, show_drafts=bool(_cache["preview"]), docs_dir=Path(config.docs_dir),
        docs_structure=str(plugin.config.docs_structure) if plugin is not None else "suffix",
        theme_dir=Path(config.theme.custom_dir) if config.theme.custom_dir else None)


def _fingerprint(settings: Settings) -> tuple:
    """Changes whenever a content file is added, removed or edited."""
    return (repr(settings), _tree_state(settings.content_dir))


def _site() -> Site:
    return _cache["site"]  # type: ignore[return-value]


def _lang(config: MkDocsConfig) -> str:
    return _i18n(config).current_language


# -- events -----------------------------------------------------------------

def on_startup(command: str, dirty: bool) -> None:
    """`mkdocs serve` previews drafts (with a badge); `mkdocs build` never shows them.

    With `--dirty`, rebuilds render only the pages whose data changed (see
    divulga.incremental and on_files): MkDocs' warning that dirty builds
    leave navigation and links stale does not apply, and goes."""
    _cache["preview"] = command == "serve"
    _cache["serve_dirty"] = command == "serve" and dirty
    if _cache["serve_dirty"]:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyBuildWarning())


class _DirtyBuildWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _shared_state(config: MkDocsConfig, settings: Settings) -> tuple:
    """What every page shows besides its own planned data: the settings,
    mkdocs.yml, the templates, and the docs/ pages (navigation, footer)."""
    config_file = Path(config.config_file_path)
    trees = [Path(config.docs_dir)] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    return (repr(settings), config_file.stat().st_mtime_ns,
            *(_tree_state(tree) for tree in trees))


def _tree_state(folder: Path) -> tuple:
    """Every file under ``folder`` with its modification time and size."""
    stats = []
    for parent, _, names in os.walk(folder):
        for name in names:
            try:
                st = os.stat(os.path.join(parent, name))
            except OSError:  # a dangling link: the checks report it
                stats.append((parent, name, None, None))
                continue
            stats.append((parent, name, st.st_mtime_ns, st.st_size))
    stats.sort()
    return tuple(stats)


@event_priority(FIRST)
def _check_config(config: MkDocsConfig) -> None:
    """Report the configuration's problems before any plugin uses it:
    Material's search plugin, for one, renders a template in its on_config."""
    _settings(config)


@event_priority(AFTER_I18N)
def _load_content(config: MkDocsConfig) -> MkDocsConfig:
    settings = _settings(config)
    # static-i18n's run for another language: same build, same content
    key = _cache["key"] if _i18n(config).building and _cache["site"] is not None else _fingerprint(settings)
    if _cache["key"] != key:
        _cache["key"], _cache["site"] = None, None
        try:
            _cache["site"] = load_site(settings)
        except ContentError as exc:
            raise PluginError(str(exc)) from None
        # the same warnings as `divulga check` (not MkDocs warnings: --strict
        # would stop on them), once per build
        warnings = _cache["site"].problems
        if warnings:
            log.info(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in the content "
                     "(the site is built all the same):\n" + "\n".join(f"  {p}" for p in warnings))
        _cache["key"] = key
    if not _i18n(config).building:  # a new build (not static-i18n's run for another language)
        _sitemap.clear()
        _not_found.clear()
        _fragments.clear()
        _theme_strings.clear()
        _stop_search()
        # `serve --dirty` after the first build: render only what changed
        _cache["incremental"] = bool(_cache.get("serve_dirty")) and _ledger.begin(_shared_state(config, settings))
        _counts.update(rendered=0, pages=0)
        if settings.search and not _cache["incremental"]:
            try:
                _search["indexer"] = SearchIndexer(Path(config.site_dir), root=settings.root)
            except SearchIndexError as exc:
                raise PluginError(str(exc)) from None
    content_dir = str(settings.content_dir)
    if content_dir not in config.watch:
        config.watch.append(content_dir)
    return config


on_config = CombinedEvent(_check_config, _load_content)


@event_priority(AFTER_I18N)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add this language's planned pages after the docs/ pages, project
    sheets first. MkDocs converts every page's Markdown, then renders them in
    this order: news items go to the search index as soon as they are
    converted (on_page_content), docs pages and project sheets as rendered,
    so the language's search bundle can be written (see on_page_context) while
    everything else renders."""
    site = _site()
    incremental = _cache.get("incremental", False)
    if _cache.get("serve_dirty"):
        # Hand-written pages show the latest news and the navigation: render
        # them every time (MkDocs would skip those older than their output).
        for file in files.documentation_pages():
            file.is_modified = _changed
    planned_pages = sorted(site.plan.for_language(_lang(config)), key=_render_order)
    site_dir = Path(config.site_dir)
    # `serve --dirty`: which pages render again; those that do not stand as
    # written before, and MkDocs need not know them unless the navigation or
    # a page that renders links to them (it resolves links to .md files)
    renders = [not (incremental and _ledger.unchanged(planned) and (site_dir / planned.path / "index.html").is_file())
               for planned in planned_pages]
    needed: set[str] = set()
    if incremental:
        needed = nav_paths(config.nav).union(
            *(markdown_links(planned.source_path, planned.markdown)
              for planned, render in zip(planned_pages, renders) if render),
            *(markdown_links(file.src_uri, file.content_string) for file in files.documentation_pages()))
    rendered_first = True
    for planned, render in zip(planned_pages, renders):
        if not render and planned.source_path not in needed:
            continue
        file = File.generated(config, planned.source_path, content="\n" + planned.markdown,
                              inclusion=InclusionLevel.NOT_IN_NAV)
        file.dest_uri = planned.path + "index.html"
        file.divulga_page = planned
        if not planned.markdown.strip():
            _BodilessPage(None, file, config)  # MkDocs uses the page a file already has
        if not render:
            file.is_modified = _unchanged
        if rendered_first and _render_order(planned):
            file.divulga_index_complete, rendered_first = True, False
        files.append(file)
    _counts["pages"] += len(planned_pages) + sum(
        1 for file in files.documentation_pages() if not hasattr(file, "divulga_page"))
    _footer_links[:] = [
        (name, file.url) for name in FOOTER_PAGES
        if (file := files.get_file_from_path(f"{name}.md")) is not None
    ]
    media_dir = site.settings.content_dir / "media"
    for name in site.content.media:
        files.append(File.generated(config, f"media/{name}", abs_src_path=str(media_dir / name)))
    return files


def on_env(env, config: MkDocsConfig, files: Files):
    """Every build gets a fresh template environment (so `serve` still picks
    up edited templates): skip Jinja's per-include check that a cached
    template's file is unchanged, a stat() for each of some 40 includes on
    every page. Compiled templates are kept across `serve` rebuilds, keyed
    by their source (an edited template compiles again): compiling Material's
    templates took a third of a one-page rebuild."""
    env.auto_reload = False
    env.bytecode_cache = _compiled_templates
    if not _i18n(config).building or _own_templates["dir"] != config.theme.custom_dir:
        _own_templates.update(dir=config.theme.custom_dir, names=_template_names(config.theme.custom_dir))
    env.autoescape = _autoescape
    env.globals["divulga_reuse"] = _reuse
    env.globals["divulga_theme_string"] = _theme_string
    local = [str(getattr(path, "path", path)).lstrip("/") for path in [
        *config.extra_css, *config.extra_javascript, config.theme.get("logo"), config.theme.get("favicon"),
        config.extra.get("homepage")] if path and "://" not in str(getattr(path, "path", path))]
    _link_targets["assets"] = tuple({"assets/", "pagefind/"} | {path.split("/")[0] + "/" for path in local if "/" in path})
    homepage = config.extra.get("homepage")
    _link_targets["homepage"] = (str(homepage).lstrip("/"),) if homepage and "://" not in str(homepage) else ()
    _link_targets.update(nav=None, page=None)
    return env


# The templates of the theme's custom_dir (overrides/): rendered with Jinja's
# autoescape on (see _autoescape). Found once per build.
_own_templates: dict[str, object] = {"dir": None, "names": frozenset()}


def _template_names(folder: str | None) -> frozenset[str]:
    """Every file under ``folder`` by its template name ("partials/header.html")."""
    if not folder:
        return frozenset()
    names = set()
    for parent, _, files in os.walk(folder):
        relative = os.path.relpath(parent, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        names.update(prefix + name for name in files)
    return frozenset(names)


def _autoescape(name: str | None) -> bool:
    """Jinja's autoescape, per template: on for ours (the custom_dir's: our
    pages and partials, and the copies of Material's partials there), so
    whatever they print is escaped unless it is Markup (HTML made safe where
    it is made: page bodies, sheet Markdown, JSON-LD, lang attributes); off
    for Material's own templates, which print HTML such as page.content as
    it comes.

    Jinja applies it to each template's own {{ … }} when it compiles the
    template. Blocks, macros and {% call %} bodies print as the template
    that writes them says; what a template includes, and a parent's block
    reached with {{ super() }}, arrive as they were rendered (super() is
    Markup when the page's own template escapes: every page renders one of
    ours; a Material template that extends main.html, such as its blog's,
    would need to be ours too)."""
    if not name:
        return False
    try:
        name = "/".join(split_template_path(name))  # "./main.html" is main.html
    except TemplateNotFound:
        return False
    return name in _own_templates["names"]


@pass_context
def _reuse(context, part: str, caller) -> Markup:
    """``{% call divulga_reuse("part") %}…{% endcall %}``: the enclosed HTML,
    rendered once per language and page folder and reused on every other
    page there.

    For parts that do not depend on the page except through links (Material's
    navigation, header, styles, scripts and configuration; our search box and
    footer line). Such a link, made relative with the `url` filter, is the
    same from every page of a folder unless it points inside the page itself
    (see _reuse_folder). The thousands of news pages share one rendering per
    language; these parts were about half of a news page's rendering time.
    """
    view = context.get("divulga")
    folder = _reuse_folder(context.get("page"), context.get("nav")) if isinstance(view, TemplateView) else None
    if folder is None:
        return Markup(caller())
    key = (part, view.lang, folder)
    html = _fragments.get(key)
    if html is None:
        html = _fragments[key] = Markup(caller())
    return html


@pass_environment
def _theme_string(env, language: str, key: str) -> Markup:
    """Material's interface string ``key`` in ``language`` (see partials/language.html).

    Markup: the theme's own text, which Material prints as it is (into HTML
    and into the JSON of its configuration); escaping it in our
    partials/language.html would show "&#39;" in the interface."""
    string = _theme_strings.get((language, key))
    if string is None:
        own = env.get_template(f"partials/languages/{language}.html").module
        english = env.get_template("partials/languages/en.html").module
        string = _theme_strings[(language, key)] = Markup(str(own.t(key) or english.t(key) or key))
    return string


def _reuse_folder(page: Page | None, nav) -> str | None:
    """The folder whose pages share this page's reused parts; None if the
    page must render its own: the home page, and a page that contains one of
    the parts' link targets (the navigation's pages, the home link, the asset
    folders). A page the navigation shows is one of its targets itself, and
    marked active in it."""
    if _link_targets["page"] is page and _link_targets["nav"] is nav:
        return _link_targets["folder"]
    if _link_targets["nav"] is not nav:
        urls = list(_link_targets["homepage"])

        def walk(items) -> None:
            for item in items:
                if getattr(item, "url", None) is not None:
                    urls.append(item.url)
                walk(getattr(item, "children", None) or ())

        walk(nav.items if nav else ())
        if nav and nav.homepage is not None:
            urls.append(nav.homepage.url)
        _link_targets.update(nav=nav, urls=tuple(urls))
    url = page.url if page is not None else ""
    if not url or url.startswith(_link_targets["assets"]) or any(
            target.startswith(url) for target in _link_targets["urls"]):
        folder = None
    else:
        folder = url.rstrip("/").rpartition("/")[0]
    _link_targets.update(page=page, folder=folder)
    return folder


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, in memory, for the life of the process."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_compiled_templates = _CompiledTemplates()


class _BodilessPage(Page):
    """A generated page with no Markdown body (listings, project sheets): its
    template makes it all. MkDocs would still set up a Markdown converter
    with every extension for it, a third of a millisecond per page."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown and self.markdown.strip():
            super().render(config, files)
            return
        self.content, self.toc = "", get_toc([])
        self.present_anchor_ids, self.links_to_anchors = set(), {}


def _changed() -> bool:
    return True


def _unchanged() -> bool:
    return False


def _render_order(planned: PlannedPage) -> bool:
    """False for the planned pages the search index takes as rendered (project sheets)."""
    return not (planned.kind == PROJECT and planned.searchable)


def _planned(page: Page) -> PlannedPage | None:
    return getattr(page.file, "divulga_page", None)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    planned = _planned(page)
    if planned is not None:
        # Material's base.html prints page.meta.title unescaped (in <title>):
        # escaped here, once, as Markup, which our partials/header.html
        # (autoescaped) prints as it is. Our site_meta block escapes the
        # description.
        page.meta["title"] = Markup.escape(planned.title)
        page.meta["template"] = planned.template
        if planned.entry is not None:
            page.meta["description"] = planned.entry.summary
    return markdown


def on_page_content(html_body: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Every converted body passes the HTML allow-list (divulga.html_safety:
    the checks have refused what it would remove; this makes sure). News
    items go to the search index as soon as their body is converted
    (divulga.search_records), before any page renders."""
    html_body = clean(html_body)
    planned = _planned(page)
    if planned is not None and planned.kind == NEWS_ITEM:
        _add_to_index(page, config, news_record(planned, html_body))
    return html_body


def _add_to_index(page: Page, config: MkDocsConfig, document: str) -> None:
    indexer = _search["indexer"]
    lang = _lang(config)
    if indexer is not None and _indexed(page, _planned(page), lang):
        try:
            indexer.add_page(lang, "/" + _path(page.url), document)
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None


@event_priority(AFTER_I18N)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    site = _site()
    lang = _lang(config)
    planned = _planned(page)
    if getattr(page.file, "divulga_index_complete", False) and _search["indexer"] is not None:
        # The first page rendered after the project sheets: every page of the
        # language that search takes has been handed over, so Pagefind can
        # write the bundle now, while the rest renders.
        _search["indexer"].write_language(lang)
    view = TemplateView(site, lang, planned)
    context["divulga"] = view
    alternates = _alternates(page, planned, lang)
    project = site.content.projects.get(planned.key[1]) if planned and planned.kind == PROJECT else None
    view.head = head(site.settings, site.l10n, lang, path=_path(page.url), title=html.unescape(str(page.title or "")),
                     alternates=alternates, planned=planned, project=project,
                     description=page.meta.get("description") if planned is None else None)
    view.indexed = _indexed(page, planned, lang)
    _sitemap.append(SitemapEntry(url=view.head.url, alternates=dict(view.head.hreflang),
                                 lastmod=_lastmod(page, planned, project, site)))
    if planned is not None:
        # static-i18n only knows the alternates of docs/ pages: point the
        # language selector at this page's own versions. Like static-i18n, set
        # the attribute (templates read it before the item, which keeps the
        # per-language home links).
        config.extra.alternate = [
            {**alternate, "link": planned.alternates.get(alternate.get("lang"), alternate["link"])}
            for alternate in config.extra.get("alternate", [])
        ]
    if planned is None and page.title is not None and page.title == getattr(page, "_title_from_render", None):
        # MkDocs took this title from the page's first heading, as HTML text
        # (entities escaped, tags stripped: mkdocs.utils.rendering.get_heading_text)
        # that Material prints as it is: Markup, or our header would escape it again.
        page.title = Markup(page.title)
    # The body is HTML made safe when it was converted (on_page_content
    # sanitizes it): Markup, so that our autoescaped templates print it.
    page.content = Markup(page.content) if page.content is not None and not isinstance(page.content, Markup) \
        else page.content
    return context


def _path(url: str) -> str:
    """A site-relative path: MkDocs writes the root as "." or "./"."""
    return "" if url in (".", "./") else url


def _alternates(page: Page, planned: PlannedPage | None, lang: str) -> dict[str, str]:
    """This page's path in every language that has it (fallback copies included)."""
    if planned is not None:
        return dict(planned.alternates)
    files = getattr(page.file, "alternates", None)  # set by static-i18n on docs/ pages
    if files:
        return {code: _path(file.url) for code, file in files.items()}
    return {lang: _path(page.url)}


def _indexed(page: Page, planned: PlannedPage | None, lang: str) -> bool:
    """Whether the search index takes this page (see divulga.search_index)."""
    if planned is None:  # docs/ page: only in its own language, not as a fallback copy
        return getattr(page.file, "locale", lang) == lang
    return planned.searchable


def _lastmod(page: Page, planned: PlannedPage | None, project, site: Site):
    if planned is None:
        return last_changed(Path(page.file.abs_src_path)) if page.file.abs_src_path else None
    if planned.kind == NEWS_ITEM:
        return planned.entry.date
    if project is not None:
        return last_changed(site.settings.root / project.source)
    dates = [entry.date for entry in planned.entries]
    return max(dates) if dates else None


@event_priority(AFTER_I18N)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Hand the other searchable pages (docs, project sheets), as written, to the search index."""
    planned = _planned(page)
    if planned is None or planned.kind != NEWS_ITEM:
        _add_to_index(page, config, output)
    if planned is not None and _cache.get("serve_dirty"):
        _ledger.rendered(planned)
    _counts["rendered"] += 1
    return output


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    """Static templates (the 404 page) get the same helpers, without a page."""
    context["divulga"] = TemplateView(_site(), _lang(config), None)
    # the language selector leads to each language's home, not to the last page built
    config.extra.alternate = list(config.extra.get("alternate", []))
    return context


@event_priority(BEFORE_I18N)
def _language_done(config: MkDocsConfig) -> None:
    """This language's pages are written: start writing its search bundle, if
    on_page_context has not (while the next language renders), and keep its 404
    page, which the next language's build would overwrite (every language
    writes /404.html)."""
    if _search["indexer"] is not None:
        _search["indexer"].write_language(_lang(config))
    not_found = Path(config.site_dir) / "404.html"
    if not_found.is_file():
        _not_found[_lang(config)] = not_found.read_bytes()


@event_priority(AFTER_I18N)
def _finish_site(config: MkDocsConfig) -> None:
    """Once every language is built: 404 pages, feeds, sitemap, search index."""
    if _i18n(config).building:
        return
    site, site_dir = _site(), Path(config.site_dir)
    settings = site.settings
    for lang, page in _not_found.items():
        (site_dir / settings.language(lang).prefix / "404.html").write_bytes(page)

    for path, feed in site_feeds(site.content, settings, site.l10n).items():
        _write(site_dir / path, feed)

    if _cache.get("incremental"):
        log.info(f"Preview: rendered {_counts['rendered']} of {_counts['pages']} pages, the others are "
                 "unchanged; the search index and the sitemap are those of the first build")
        return
    sitemap = render_sitemap(_sitemap)
    _write(site_dir / "sitemap.xml", sitemap)
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.encode("utf-8"), mtime=0))

    indexer, _search["indexer"] = _search["indexer"], None
    if indexer is not None:
        try:
            report = indexer.finish()
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        pages = ", ".join(f"{lang} {count}" for lang, count in report.pages.items())
        usage = f"; Pagefind used {report.cpu_seconds:.1f} s of CPU, peak memory {report.peak_rss_mb:.0f} MB" \
            if report.cpu_seconds is not None and report.peak_rss_mb is not None else ""
        log.info(f"Search index: {pages} pages; waited {report.waited:.2f} seconds for it after rendering{usage}")


# static-i18n's post_build (priority -100) builds the other languages: close
# each language before it runs, finish the site after it.
on_post_build = CombinedEvent(_language_done, _finish_site)


def on_build_error(error: Exception) -> None:
    _stop_search()


def _stop_search() -> None:
    """Stop the indexer of a build that failed half way (`serve` goes on)."""
    indexer, _search["indexer"] = _search["indexer"], None
    if indexer is not None:
        indexer.close()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


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
        self.home = site.settings.language(lang).prefix or "./"
        self.feed = feed_path(site.settings, lang)
        self.search_bundle = bundle_path(lang) if site.settings.search else None  # None: no search box
        self.base_path = urlsplit(site.settings.site_url).path or "/"
        self.head = None  # set per page in on_page_context
        self.indexed = False

    @staticmethod
    def is_home(page: Page | None) -> bool:
        """True on the home page of every language (index.<lang>.md)."""
        return page is not None and page.file.src_uri.split(".")[0] == "index"

    def t(self, key: str, **values: object) -> str:
        return self.site.l10n.t(self.lang, key, **values)

    def lang_attr(self, code: str | None) -> Markup:
        """` lang="xx"` for text in another language than the page's, else nothing."""
        if not code or code == self.lang:
            return Markup("")
        return Markup(' lang="{}"').format(code)

