"""MkDocs' events for Divulga: the only place that turns the core's plan into MkDocs files.

It reads the settings from ``mkdocs.yml``, asks the core for the validated
content and the per-language page plan, and turns planned pages into MkDocs
files. static-i18n runs the whole event chain once per language, so the
content is loaded once per build (a build kept for the next while nothing under
content/ and no setting changes; a preview's rebuild loads it again from the
files read last) and each run only adds its language's pages. Our
``on_files`` runs after static-i18n's (priority -100): it would otherwise
reject generated files. Under ``mkdocs serve --dirty`` the adapter
keeps, across rebuilds, what each generated page was last rendered from
(divulga.plan.incremental) and hands MkDocs only the pages that changed,
plus those the navigation or a changed page links to.

``DivulgaAdapter`` holds the state (divulga.adapter.state: a session, its
current build, the build's language run); hooks/mkdocs_hooks.py makes one
and hands its events to MkDocs. What reaches inside static-i18n and Material
is in divulga.adapter.engine; the Jinja helpers in divulga.adapter.templates.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import os
from pathlib import Path

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from divulga import ContentError, Settings, Site, load_site, urls
from divulga.adapter import conversion, engine
from divulga.adapter.state import Build, LanguageRun, Session
from divulga.adapter.templates import OwnTemplates, Reuse, TemplateView, is_home_file
from divulga.config_file import SEARCH, ConfigError, settings_from_config
from divulga.editor.webeditor import admin_files
from divulga.media.images import is_raster, originals, process
from divulga.plan.incremental import markdown_links, nav_paths
from divulga.plan.pages import EVENT, EVENT_LIST, NEWS_ITEM, PARTNERS, PROJECT, RESULT, PlannedPage
from divulga.problems import ERROR
from divulga.read.docpages import page_language
from divulga.read.html_safety import clean
from divulga.read.news import MEDIA_DIR
from divulga.runtime import (Helpers, WorkersSetting, built, collect_less, exit_without_collecting, helper_processes,
                             loaded, make_folders, usable_cpus, workers_wanted)
from divulga.write.calendar import site_calendars
from divulga.write.feeds import site_feeds
from divulga.write.metadata import head
from divulga.write.open_data import site_data_files, sitemap_entries
from divulga.write.redirects import redirect_files
from divulga.write.pictures import Pictures, svg_size
from divulga.write.search_index import SearchIndexer, SearchIndexError
from divulga.write.search_records import filter_markup, news_record, search_filters, with_documents
from divulga.write.sitemap import SitemapEntry, sitemap_files

log = get_plugin_logger("divulga")

FIRST = 100  # before every plugin
BEFORE_I18N = 0
AFTER_I18N = -200
# Hand-written pages linked from every page's footer when docs/ has them.
FOOTER_PAGES = ("accessibility", "privacy", "open-data")
EVENTS = ("on_startup", "on_serve", "on_config", "on_files", "on_env", "on_page_markdown", "on_page_content",
          "on_page_context", "on_post_page", "on_template_context", "on_post_build", "on_build_error")


class DivulgaAdapter:
    """MkDocs' events, as methods, with the state of one session."""

    def __init__(self) -> None:
        self.session = Session()
        # several handlers on one event, each at its own priority
        self.on_config = CombinedEvent(self._check_config, self._load_content)
        # static-i18n's post_build (priority -100) builds the other
        # languages: close each language before it runs, finish the site after it
        self.on_post_build = CombinedEvent(self._language_done, self._finish_site)

    def events(self) -> dict[str, object]:
        """The events by name, for a hooks module."""
        return {name: getattr(self, name) for name in EVENTS}

    @property
    def build(self) -> Build:
        return self.session.build  # type: ignore[return-value]

    @property
    def site(self) -> Site:
        return self.build.site

    @property
    def lang(self) -> str:
        return self.build.language.lang

    # -- settings -----------------------------------------------------------

    def settings(self, config: MkDocsConfig) -> Settings:
        """The core's settings, read as `divulga check` reads mkdocs.yml, but from
        MkDocs' validated configuration (static-i18n may have changed the default
        language for `build_only_locale`). Every problem is reported at once, at
        its line in mkdocs.yml, in the same words as `divulga check`."""
        languages = engine.languages(config)
        plugins: list = [{engine.PLUGIN: {"languages": languages}}] if config.plugins.get(engine.PLUGIN) else []
        # MkDocs adds its search plugin when mkdocs.yml lists no plugins: only
        # one written next to i18n is reported (as `divulga check` reads it)
        plugins += [name for name in SEARCH if plugins and name in config.plugins]
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
        return dataclasses.replace(
            settings, show_drafts=self.session.preview, docs_dir=Path(config.docs_dir),
            docs_structure=engine.docs_structure(config),
            theme_dir=Path(config.theme.custom_dir) if config.theme.custom_dir else None)

    # -- events ---------------------------------------------------------------

    def on_startup(self, command: str, dirty: bool) -> None:
        """`mkdocs serve` previews drafts (with a badge); `mkdocs build` never shows them.

        With `--dirty`, rebuilds render only the pages whose data changed (see
        divulga.plan.incremental and on_files): MkDocs' warning that dirty builds
        leave navigation and links stale does not apply, and goes. The process
        ends without collecting what the run left (divulga.runtime)."""
        self.session = Session(command=command, dirty=dirty)
        collect_less()
        exit_without_collecting()
        if self.session.serve_dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyBuildWarning())

    def on_serve(self, server, config: MkDocsConfig, builder):
        """The preview hears of a saved file from the system at once, instead of
        MkDocs' polling (divulga.adapter.engine.watch_natively); DIVULGA_WATCH=poll
        keeps the polling (folders where the system tells nothing: some network
        or container mounts)."""
        if os.environ.get("DIVULGA_WATCH", "").strip().lower() != "poll" and engine.watch_natively(server):
            log.info("Watching for changes with the system's notifications (DIVULGA_WATCH=poll: poll instead)")
        # a reload looks again only at the content files the watcher names (divulga.read.sources.Listings)
        engine.report_changes(server, str(self.settings(config).content_dir), self.session.changes)
        return server

    @event_priority(FIRST)
    def _check_config(self, config: MkDocsConfig) -> None:
        """Report the configuration's problems before any plugin uses it:
        Material's search plugin, for one, renders a template in its on_config."""
        self.settings(config)
        self.session.theme_listing.use(config)

    @event_priority(AFTER_I18N)
    def _load_content(self, config: MkDocsConfig) -> MkDocsConfig:
        session = self.session
        settings = self.settings(config)
        another_language = engine.other_language_run(config) and session.build is not None
        if not another_language:
            if session.serve_dirty and session.build is not None:
                session.collector.pause()  # a rebuild: collect after it (divulga.runtime)
            try:
                helpers = Helpers(helper_processes(os.environ, usable_cpus()))
            except WorkersSetting as exc:
                raise PluginError(str(exc)) from None
            try:
                self._load_for_build(config, settings, helpers)
            except BaseException:
                helpers.shutdown(wait=False)
                raise
        self.build.language = LanguageRun(engine.current_language(config))
        content_dir = str(settings.content_dir)
        if content_dir not in config.watch:
            config.watch.append(content_dir)
        return config

    def _load_for_build(self, config: MkDocsConfig, settings: Settings, helpers: Helpers) -> None:
        """The content loaded (again, when it changed: a preview) and the build that renders it made,
        with ``helpers``, its worker processes (they read content files, then convert Markdown)."""
        session = self.session
        # a preview rebuilds after a change: one outside content/ renders every page anyway, so the
        # content is loaded again each time (from what it read last: divulga.read.versions.FilesRead)
        # rather than walking content/ to tell
        key = (repr(settings), None if session.preview else _tree_state(settings.content_dir))
        if session.preview or session.content_key != key:
            session.content_key, session.site = None, None
            session.files_read.listings.changes(session.changes.take())
            try:
                session.site = load_site(settings, session.files_read, session.plan_memo, helpers)
            except ContentError as exc:
                raise PluginError(str(exc)) from None
            # the same warnings as `divulga check` (not MkDocs warnings:
            # --strict would stop on them), once per build
            warnings = session.site.problems
            if warnings:
                log.info(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in the content "
                         "(the site is built all the same):\n" + "\n".join(f"  {p}" for p in warnings))
            session.pictures = self._pictures(session.site)
            content = session.site.content
            # made again only when what they are made from changed (a preview reloads after every edit;
            # unchanged items are the same objects, compared at once)
            session.extra_files = dict(session.remember(
                "data", (settings, content.projects, content.events, content.results),
                lambda: site_data_files(content, settings, settings.today)))
            # the web editor: a preview (`mkdocs serve`, `divulga edit`) talks to decap-server here
            stylesheets = _preview_styles(config)
            session.extra_files.update(session.remember(
                "admin", (settings, content.tags, content.projects, content.project_ids, session.preview,
                          stylesheets),
                lambda: admin_files(settings, content, local=session.preview, stylesheets=stylesheets)))
            # a translation's old address (the file name's) leads to its own
            session.extra_files.update(redirect_files(session.site.plan.redirects, settings, session.site.l10n))
            session.content_key = key
        if session.build is not None:
            session.build.stop_search()
            session.build.stop_conversions()
        # `serve --dirty` after the first build: render only what changed
        incremental = session.serve_dirty and session.ledger.begin(
            _shared_state(config, settings, session.pictures))
        if session.serve_dirty:
            session.kept_parts.begin(incremental)
            if not incremental:
                session.collector.resume(now=True)  # every page renders: collect as it goes
        session.build = Build(site=session.site, incremental=incremental, pictures=session.pictures,
                              extra_files=session.extra_files,
                              reuse=Reuse(session.kept_parts if session.serve_dirty else None), helpers=helpers)
        if settings.search and not incremental:
            try:
                session.build.indexer = SearchIndexer(Path(config.site_dir), root=settings.root,
                                                        pages_per_bundle=settings.search_pages_per_bundle)
            except SearchIndexError as exc:
                raise PluginError(str(exc)) from None
        if not incremental:
            session.build.conversions = _start_conversions(config, session.site, helpers)
        if not session.preview:
            loaded()  # the collector: divulga.runtime

    @staticmethod
    def _pictures(site: Site) -> Pictures:
        """The media folder's pictures in every size pages use, made once per
        content (divulga.media.images keeps them between builds), before any
        page renders."""
        settings = site.settings
        found = originals(settings.root, settings.content_dir / MEDIA_DIR, site.content.media)
        processing = process(found, settings.image_cache, inspection=site.images)
        new = [problem for problem in processing.problems
               if problem.severity == ERROR and problem not in (site.images.problems if site.images else ())]
        if new:
            raise PluginError(str(ContentError(new)))
        if processing.images:
            log.info(f"Pictures: {processing.processed} made in every size, {processing.reused} reused "
                     f"from {settings.relative(settings.image_cache)}")
        drawings = {name: size for name in site.content.media if name.lower().endswith(".svg")
                    if (size := svg_size(settings.content_dir / MEDIA_DIR / name)) is not None}
        return Pictures(processing, drawings)

    @event_priority(AFTER_I18N)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add this language's planned pages after the docs/ pages, project
        sheets first. MkDocs converts every page's Markdown, then renders them in
        this order: news items go to the search index as soon as they are
        converted (on_page_content), docs pages and project sheets as rendered,
        so the language's search bundle can be written (see on_page_context) while
        everything else renders."""
        build, site, ledger = self.build, self.site, self.session.ledger
        if self.session.serve_dirty:
            # Hand-written pages show the navigation, the home page the latest news and events: after a
            # change every page shares (not incremental), render them all, and after a content change the
            # home page (MkDocs would skip those older than their output); the others MkDocs renders again
            # when they changed.
            for file in files.documentation_pages():
                if not build.incremental or is_home_file(file):
                    file.is_modified = _changed
        planned_pages = sorted(site.plan.for_language(self.lang), key=_render_order)
        # `serve --dirty`: which pages render again; those that do not stand as
        # written before, and MkDocs need not know them unless the navigation or
        # a page that renders links to them (it resolves links to .md files).
        # The ledger knows what was written: MkDocs' preview writes to a folder of its own, and a build
        # that stops half way has the ledger forget what it rendered (on_build_error).
        renders = [not (build.incremental and ledger.unchanged(planned)) for planned in planned_pages]
        needed: set[str] = set()
        if build.incremental:
            needed = nav_paths(config.nav).union(
                *(markdown_links(planned.source_path, planned.markdown)
                  for planned, render in zip(planned_pages, renders) if render),
                *(markdown_links(file.src_uri, file.content_string) for file in files.documentation_pages()))
        rendered_first = True
        for planned, render in zip(planned_pages, renders):
            if not render and planned.source_path not in needed:
                continue
            file = File.generated(config, planned.source_path, content=_source_text(planned.markdown),
                                  inclusion=InclusionLevel.NOT_IN_NAV)
            file.dest_uri = urls.output_file(planned.path)
            file.divulga_page = planned
            page = _GeneratedPage(None, file, config)  # MkDocs uses the page a file already has
            page.divulga_converter = build.converter
            if build.conversions is not None:
                page.divulga_conversions = build.conversions
                page.divulga_job = build.conversions.job((self.lang, planned.path))
            if not render:
                file.is_modified = _unchanged
            if rendered_first and _render_order(planned):
                file.divulga_index_complete, rendered_first = True, False
            files.append(file)
        build.pages += len(planned_pages) + sum(
            1 for file in files.documentation_pages() if not hasattr(file, "divulga_page"))
        build.language.footer_links = tuple(
            (name, file.url) for name in FOOTER_PAGES
            if (file := files.get_file_from_path(f"{name}.md")) is not None) + (("editor", urls.ADMIN),)
        # Pictures are published as made (every size, no metadata); other files as they are.
        media_dir = site.settings.content_dir / MEDIA_DIR
        for name in site.content.media:
            if not is_raster(name):
                files.append(File.generated(config, urls.media(name), abs_src_path=str(media_dir / name)))
        for path, source in build.pictures.files:
            files.append(File.generated(config, path, abs_src_path=str(source)))
        # the open data files (pages link them as they link any file) and the web editor
        for path, data in build.extra_files.items():
            files.append(File.generated(config, path, content=data))
        return files

    def on_env(self, env, config: MkDocsConfig, files: Files):
        """Every build gets a fresh template environment (so `serve` still picks
        up edited templates): skip Jinja's per-include check that a cached
        template's file is unchanged, a stat() for each of some 40 includes on
        every page. Compiled templates are kept across `serve` rebuilds, keyed
        by their source (an edited template compiles again): compiling Material's
        templates took a third of a one-page rebuild. Our templates autoescape
        (divulga.adapter.templates.OwnTemplates)."""
        build = self.build
        env.auto_reload = False
        env.bytecode_cache = self.session.compiled
        if build.own_templates is None or build.own_templates.folder != config.theme.custom_dir:
            build.own_templates = OwnTemplates(config.theme.custom_dir)
        env.autoescape = build.own_templates.autoescape
        env.globals["divulga_reuse"] = build.reuse.render
        env.globals["divulga_reuse_each"] = build.reuse.render_each
        env.globals["divulga_theme_string"] = build.theme_strings.lookup
        local = [str(getattr(path, "path", path)).lstrip("/") for path in [
            *config.extra_css, *config.extra_javascript, config.theme.get("logo"), config.theme.get("favicon"),
            config.extra.get("homepage")] if path and "://" not in str(getattr(path, "path", path))]
        build.reuse.set_links(local, config.extra.get("homepage"))
        if build.language is not None:
            build.language.folders = make_folders(engine.page_folders(files))
            build.converted_all(build.language.lang, set(engine.build_order(config)))
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
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

    def on_page_content(self, html_body: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Every converted body passes the HTML allow-list (divulga.read.html_safety:
        the checks have refused what it would remove; this makes sure), and is
        Markup from then on, which our autoescaped templates print as it is.
        News items go to the search index as soon as their body is converted
        (divulga.write.search_records), before any page renders."""
        # cleaned by a worker process (divulga.adapter.conversion), when no plugin changed the body since
        converted, page.divulga_converted = getattr(page, "divulga_converted", None), None
        html_body = converted.cleaned if converted is not None and converted.content is html_body \
            else clean(html_body)
        html_body = self.build.pictures.enrich(html_body, lambda src: urls.media_name(page.url, src),
                                               lambda path: get_relative_url(path, page.url))
        planned = _planned(page)
        if planned is not None and planned.kind == NEWS_ITEM:
            filters = search_filters(planned)
            self._add_to_index(page, news_record(planned, html_body, filters), filters)
        return html_body

    def _add_to_index(self, page: Page, document: str, filters: tuple[tuple[str, str], ...] | None = None) -> None:
        """Hand ``document`` to the search index, with the page's search filters (``filters``
        when the caller has them already)."""
        indexer, lang, planned = self.build.indexer, self.lang, _planned(page)
        if indexer is not None and _indexed(page, planned, lang):
            try:
                indexer.add_page(lang, "/" + _path(page.url), document,
                                 search_filters(planned) if filters is None else filters)
            except SearchIndexError as exc:
                raise PluginError(str(exc)) from None

    @event_priority(AFTER_I18N)
    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
        build, site, lang = self.build, self.site, self.lang
        planned = _planned(page)
        if getattr(page.file, "divulga_index_complete", False) and build.indexer is not None:
            # The first page rendered after the project sheets: every page of the
            # language that search takes has been handed over, so Pagefind can
            # write the bundle now, while the rest renders.
            build.indexer.write_language(lang)
        view = TemplateView(site, lang, planned, build.language.footer_links, build.pictures)
        context["divulga"] = view
        alternates = _alternates(page, planned, lang)
        project = site.content.projects.get(planned.key[1]) if planned and planned.kind == PROJECT else None
        event = site.content.event(planned.key[1]) if planned and planned.kind == EVENT else None
        view.head = head(site.settings, site.l10n, lang, path=_path(page.url),
                         title=html.unescape(str(page.title or "")), alternates=alternates, planned=planned,
                         project=project, description=page.meta.get("description") if planned is None else None,
                         image=build.pictures.og_image(planned.image if planned is not None else None),
                         event=event)
        view.indexed = _indexed(page, planned, lang)
        if view.indexed:
            view.search_filters = Markup(filter_markup(search_filters(planned)))
        if planned is None:
            view.outdated = _page_notice(page, site, lang)
        build.sitemap.append(SitemapEntry(url=view.head.url, alternates=dict(view.head.hreflang),
                                          lastmod=_lastmod(page, planned, project, site)))
        if planned is not None:
            engine.point_switcher(config, planned.alternates)
            build.language.section = _mark_section(nav, planned, lang)
        if planned is None and page.title is not None and page.title == getattr(page, "_title_from_render", None):
            # MkDocs took this title from the page's first heading, as HTML text
            # (entities escaped, tags stripped: mkdocs.utils.rendering.get_heading_text)
            # that Material prints as it is: Markup, or our header would escape it again.
            page.title = Markup(page.title)
        return context

    @event_priority(AFTER_I18N)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Hand the other searchable pages (docs, project sheets), as written, to the search index."""
        planned = _planned(page)
        language = self.build.language
        if language.section is not None:
            language.section.active, language.section = False, None
        if planned is not None and planned.kind == RESULT:
            self._add_to_index(page, with_documents(output, self._document_texts(planned)))
        elif planned is None or planned.kind != NEWS_ITEM:
            self._add_to_index(page, output)
        if planned is not None and self.session.serve_dirty:
            self.session.ledger.rendered(planned)
        self.build.rendered += 1
        return output

    def _document_texts(self, planned: PlannedPage) -> list[tuple[str, str | None]]:
        """The text of a result's PDFs that its page in this language is found by:
        those in the page's language, and those whose language is not given."""
        result = self.site.content.result(planned.key[1])
        texts = []
        for file in result.files if result is not None else ():
            document = self.site.documents.get(file.file) if file.file else None
            if document is not None and document.text and file.lang in (None, planned.lang):
                texts.append((document.text, file.lang))
        return texts

    def on_template_context(self, context: dict, template_name: str, config: MkDocsConfig) -> dict:
        """Static templates (the 404 page) get the same helpers, without a page."""
        context["divulga"] = TemplateView(self.site, self.lang, None, self.build.language.footer_links,
                                          self.build.pictures)
        engine.reset_switcher(config)
        return context

    @event_priority(BEFORE_I18N)
    def _language_done(self, config: MkDocsConfig) -> None:
        """This language's pages are written: start writing its search bundle, if
        on_page_context has not (while the next language renders), and keep its 404
        page, which the next language's build would overwrite (every language
        writes /404.html)."""
        build = self.build
        if build.language is not None and build.language.folders is not None:
            build.language.folders.join()
        if build.indexer is not None:
            build.indexer.write_language(self.lang)
        not_found = Path(config.site_dir) / urls.not_found("")
        if not_found.is_file():
            build.not_found[self.lang] = not_found.read_bytes()

    @event_priority(AFTER_I18N)
    def _finish_site(self, config: MkDocsConfig) -> None:
        """Once every language is built: 404 pages, feeds, calendars, sitemap, search index."""
        if engine.other_language_run(config):
            return
        build, site, site_dir = self.build, self.site, Path(config.site_dir)
        self.session.ledger.finished()
        settings = site.settings
        for lang, page in build.not_found.items():
            (site_dir / urls.not_found(settings.language(lang).prefix)).write_bytes(page)

        # each made again only when what it shows changed (unchanged items are the same objects, compared at once)
        feeds = site_feeds(site.content, settings, site.l10n, self.session.feeds)
        for path, feed in feeds.items():
            _write(site_dir / path, feed)
        calendars = site_calendars(site, self.session.calendars)
        for path, data in calendars.items():
            # a preview writes again only the calendars made again (the others are as written)
            if not (build.incremental and self.session.calendars_written.get(path) is data
                    and (site_dir / path).is_file()):
                (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
                (site_dir / path).write_bytes(data)
        self.session.calendars_written = calendars

        conversions = build.stop_conversions()
        if conversions is not None:
            log.info(f"Markdown: {conversions.taken} of {len(conversions)} page bodies converted by "
                     f"{conversions.workers} worker process{'es' if conversions.workers != 1 else ''}")
        if build.incremental:
            log.info(f"Preview: rendered {build.rendered} of {build.pages} pages, the others are "
                     "unchanged; the search index and the sitemap are those of the first build")
            self.session.collector.resume()
            return
        build.sitemap += sitemap_entries(settings, [path for path in build.extra_files if path.startswith(urls.DATA)])
        for path, data in sitemap_files(build.sitemap, settings.site_url).items():
            (site_dir / path).write_bytes(data)

        if not self.session.preview:
            built()  # the collector: divulga.runtime
        indexer, build.indexer = build.indexer, None
        if indexer is not None:
            try:
                report = indexer.finish()
            except SearchIndexError as exc:
                raise PluginError(str(exc)) from None
            pages = ", ".join(f"{lang} {count}" for lang, count in report.pages.items())
            usage = f"; Pagefind used {report.cpu_seconds:.1f} s of CPU, peak memory {report.peak_rss_mb:.0f} MB" \
                if report.cpu_seconds is not None and report.peak_rss_mb is not None else ""
            log.info(f"Search index: {pages} pages; waited {report.waited:.2f} seconds for it after rendering{usage}")

    def on_build_error(self, error: Exception) -> None:
        self.session.collector.resume()
        if not self.session.preview:
            built()
        self.session.ledger.forget_this_build()  # what this build rendered may not be written
        if self.session.build is not None:
            self.session.build.stop_search()
            self.session.build.stop_conversions()


# -- helpers without state ---------------------------------------------------------

class _DirtyBuildWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _shared_state(config: MkDocsConfig, settings: Settings, pictures: Pictures) -> tuple:
    """What every page shows besides its own planned data: the settings,
    mkdocs.yml, the templates, the docs/ pages (navigation, footer), and the
    published pictures (a photo replaced under the same name is published
    under new names)."""
    config_file = Path(config.config_file_path)
    trees = [Path(config.docs_dir)] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    return (repr(settings), config_file.stat().st_mtime_ns,
            *(_tree_state(tree) for tree in trees), tuple(path for path, _ in pictures.files))


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


class _GeneratedPage(Page):
    """A planned page. Its body as a worker process converted it, when one did
    (divulga.adapter.conversion), else as the build's one Markdown converter does
    (conversion.Converter: MkDocs' Page.render, without a converter made per page);
    without a Markdown body (listings, project sheets) its template makes it all:
    MkDocs would still set up a Markdown converter with every extension for it, a
    third of a millisecond per page."""

    divulga_job: int | None = None  # its place among the build's conversions
    divulga_conversions: conversion.Conversions | None = None
    divulga_converted: conversion.Converted | None = None  # until on_page_content
    divulga_converter: conversion.Converter | None = None  # the build's (one Markdown converter)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if not (self.markdown and self.markdown.strip()):
            self.content, self.toc = Markup(""), get_toc([])
            self.present_anchor_ids, self.links_to_anchors = set(), {}
            return
        conversions, job = self.divulga_conversions, self.divulga_job
        converted = conversions.take(job, self.markdown) if conversions is not None and job is not None else None
        if converted is None:
            if self.divulga_converter is None:
                super().render(config, files)
            else:
                self.divulga_converter.render(self, config, files)
            return
        conversion.apply(self, converted)
        self.divulga_converted = converted  # its body as cleaned, for on_page_content


def _source_text(markdown: str) -> str:
    """A generated page's file content: a first empty line, so that no body reads as MkDocs' metadata."""
    return "\n" + markdown


def _start_conversions(config: MkDocsConfig, site: Site, helpers: Helpers) -> conversion.Conversions | None:
    """Worker processes converting the Markdown of every language's generated pages, in the order
    the build converts them (divulga.adapter.conversion), or None: a small site,
    DIVULGA_CONVERT_WORKERS=0, or an extension that a plugin handed over as an
    object (not named in mkdocs.yml), which may keep what it sees of each page
    in the build's process (autorefs does)."""
    jobs: list[tuple[object, str]] = []
    first = None
    for lang in engine.build_order(config):
        jobs += [((lang, planned.path), planned.markdown)
                 for planned in sorted(site.plan.for_language(lang), key=_render_order) if planned.markdown.strip()]
        first = len(jobs) if first is None else first
    try:
        workers = workers_wanted(os.environ, len(jobs), usable_cpus())
    except WorkersSetting as exc:
        raise PluginError(str(exc)) from None
    if not workers or not jobs or any(not isinstance(name, str) for name in config["markdown_extensions"]):
        return None
    markdown_config = {"markdown_extensions": config["markdown_extensions"], "mdx_configs": config["mdx_configs"]}
    return conversion.Conversions(jobs, first or 0, helpers, markdown_config, prepare=_markdown_as_converted,
                                  settle=os.environ.get(conversion.SETTLE_ENV) == "1")


def _markdown_as_converted(markdown: str) -> str:
    """A generated page's Markdown as MkDocs will convert it: from its file (_source_text), through static-i18n."""
    return conversion.markdown_of(_source_text(markdown), engine.markdown_after_i18n)


def _preview_styles(config: MkDocsConfig) -> list[str]:
    """The site's stylesheets, as the web editor's previews (admin/) reach them: the theme's, then ours."""
    theme = [f"assets/stylesheets/{path.name}" for folder in config.theme.dirs
             for path in sorted(Path(folder).glob("assets/stylesheets/main.*.min.css"))][:1]
    own = [str(getattr(css, "path", css)).lstrip("/") for css in config.extra_css]
    return ["../" + path for path in theme + own]


def _changed() -> bool:
    return True


def _unchanged() -> bool:
    return False


def _render_order(planned: PlannedPage) -> bool:
    """False for the planned pages the search index takes as rendered (project sheets, events, results)."""
    return not (planned.kind in (PROJECT, EVENT, RESULT) and planned.searchable)


def _planned(page: Page) -> PlannedPage | None:
    return getattr(page.file, "divulga_page", None)


def _mark_section(nav, planned, lang: str):
    """The navigation's page of the section a generated page belongs to (the
    news listing for a news item or a topic page, the projects index for a
    sheet), marked active so that the tabs and the menu show where the reader
    is; None when the navigation has no such page, or is the page itself."""
    section = urls.unprefixed(planned.path, lang).split("/")[0]
    if not section or nav is None:
        return None
    target = planned.path[: len(planned.path) - len(urls.unprefixed(planned.path, lang))] + section + "/"
    for item in nav.pages:
        if item.url == target and not item.active:
            item.active = True
            return item
    return None


def _path(url: str) -> str:
    """A site-relative path: MkDocs writes the root as "." or "./"."""
    return "" if url in (".", "./") else url


def _alternates(page: Page, planned: PlannedPage | None, lang: str) -> dict[str, str]:
    """This page's path in every language that has it (fallback copies included)."""
    if planned is not None:
        return dict(planned.alternates)
    versions = engine.file_versions(page.file)  # docs/ pages
    if versions:
        return {code: _path(url) for code, url in versions.items()}
    return {lang: _path(page.url)}


def _page_notice(page: Page, site: Site, lang: str):
    """The outdated notice of a hand-written page written in ``lang`` (not of another language's copy)."""
    settings = site.settings
    virtual, written_in = page_language(page.file.src_uri, settings.codes, settings.docs_structure)
    return site.plan.page_notices.get(lang, {}).get(virtual) if written_in == lang else None


def _indexed(page: Page, planned: PlannedPage | None, lang: str) -> bool:
    """Whether the search index takes this page (see divulga.write.search_index)."""
    if planned is None:  # docs/ page: only in its own language, not as a fallback copy
        return engine.file_language(page.file, lang) == lang
    return planned.searchable


def _lastmod(page: Page, planned: PlannedPage | None, project, site: Site):
    if planned is None:
        return site.content.history.last_changed(Path(page.file.abs_src_path)) if page.file.abs_src_path else None
    if planned.kind in (NEWS_ITEM, RESULT):
        return planned.entry.date
    if planned.kind == EVENT:
        return site.content.history.last_changed(site.settings.root / planned.version.source)
    if planned.kind in (EVENT_LIST, PARTNERS):
        return None  # changes with the date, or with any sheet: no lastmod rather than a wrong one
    if project is not None:
        return site.content.history.last_changed(site.settings.root / project.source)
    dates = [entry.date for entry in planned.entries]
    return max(dates) if dates else None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
