"""The adapter's state, by how long it lives.

- ``Session``: one ``mkdocs build``, or a whole ``mkdocs serve`` with its
  rebuilds: the command, the content loaded last (reused while nothing under
  content/ and no setting changed) with its pictures and the files read for it;
  what a preview's reload reuses from the last one (the items merged and what
  the plan made from them, the feeds, the calendar, open data and web editor files, the
  content folders' listings with the files changed since, as the watcher tells); what
  each generated page was last rendered from and the parts kept by entry
  (``serve --dirty``), the compiled templates, the theme's files as MkDocs lists them.
- ``Build``: one build of the site, all its languages: the validated site,
  the search indexer, the worker processes converting its pages' Markdown,
  the sitemap's entries, the 404 pages, the template parts reused from page
  to page, the page counts. A new build makes a new
  ``Build``; nothing is cleared by hand.
- ``LanguageRun``: static-i18n's run of the event chain for one language:
  the language, and its footer links.

Nothing here is module-level: the adapter (divulga.adapter.events) holds one
``Session``, and the session the current build.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from divulga import Site
from divulga.adapter.conversion import Conversions, Converter
from divulga.adapter.engine import ThemeListing
from divulga.adapter.templates import (
    CompiledTemplates,
    OwnTemplates,
    Reuse,
    ThemeStrings,
)
from divulga.plan.incremental import LastRun, PlanMemo, RenderLedger
from divulga.read.news import FilesRead
from divulga.runtime import ChangesSeen, CollectAfterRebuilds, Helpers
from divulga.write.calendar import CalendarFiles
from divulga.write.feeds import FeedFiles
from divulga.write.pictures import Pictures
from divulga.write.search_index import SearchIndexer
from divulga.write.sitemap import SitemapEntry

T = TypeVar("T")


@dataclass
class LanguageRun:
    lang: str
    footer_links: tuple[tuple[str, str], ...] = ()  # (page name, url) in this language
    section: object | None = None  # the navigation's section page marked active for the page rendering
    folders: threading.Thread | None = None  # makes the pages' output folders (divulga.runtime.make_folders)


@dataclass
class Build:
    site: Site
    incremental: bool = False  # `serve --dirty` after the first build: only what changed renders
    indexer: SearchIndexer | None = None  # Pagefind's service, None when search is off
    sitemap: list[SitemapEntry] = field(default_factory=list)  # collected over the languages
    not_found: dict[str, bytes] = field(default_factory=dict)  # lang -> its 404 page
    rendered: int = 0  # pages rendered, of
    pages: int = 0  # all the build's pages
    reuse: Reuse = field(default_factory=Reuse)
    theme_strings: ThemeStrings = field(default_factory=ThemeStrings)
    own_templates: OwnTemplates | None = None
    language: LanguageRun | None = None
    pictures: Pictures = field(default_factory=Pictures)  # the media folder's pictures as published
    extra_files: dict[str, bytes] = field(default_factory=dict)  # open data and web editor files, by site path
    conversions: Conversions | None = None  # what the worker processes convert of the pages' Markdown
    converter: Converter = field(default_factory=Converter)  # what the build converts itself
    helpers: Helpers | None = None  # the build's worker processes (they read the content, then convert)
    converted: set[str] = field(default_factory=set)  # the languages whose pages' Markdown is converted
    workers_done: Conversions | None = None  # the conversions, once the workers were let go (for the build's log)

    def stop_search(self) -> None:
        """Stop the indexer of a build that failed half way (`serve` goes on)."""
        indexer, self.indexer = self.indexer, None
        if indexer is not None:
            indexer.close()

    def stop_conversions(self) -> Conversions | None:
        """Stop the worker processes (the build is over, or failed); what they converted."""
        self._stop_workers(wait=True)
        return self.workers_done

    def converted_all(self, lang: str, languages: set[str]) -> None:
        """``lang``'s pages are converted; once every language's are, the worker processes have nothing
        left to do: they are let go then, not at the end, and the build renders the last language
        without waiting for them to exit (a tenth of a second at the end of the build)."""
        self.converted.add(lang)
        if self.converted >= languages and self.conversions is not None:
            self._stop_workers(wait=False)

    def _stop_workers(self, wait: bool) -> None:
        conversions, self.conversions = self.conversions, None
        if conversions is not None:
            conversions.close()
            self.workers_done = conversions
        helpers, self.helpers = self.helpers, None
        if helpers is not None:
            helpers.shutdown(wait=wait)


@dataclass
class Session:
    command: str = "build"  # as MkDocs starts: build, serve, gh-deploy
    dirty: bool = False
    content_key: tuple | None = None  # what the loaded site was made from
    site: Site | None = None
    files_read: FilesRead = field(default_factory=FilesRead)  # content files as last read
    plan_memo: PlanMemo = field(default_factory=PlanMemo)  # what the last plan made from each item
    calendars: CalendarFiles = field(default_factory=CalendarFiles)  # the calendar files made last
    calendars_written: dict[str, bytes] = field(default_factory=dict)  # and written, by site path
    feeds: FeedFiles = field(default_factory=FeedFiles)  # the feeds made last
    made: dict[str, tuple[object, object]] = field(default_factory=dict)  # name -> (made from, what was made)
    ledger: RenderLedger = field(default_factory=RenderLedger)
    kept_parts: LastRun = field(default_factory=LastRun)  # the cards and status rows rendered last (Reuse)
    compiled: CompiledTemplates = field(default_factory=CompiledTemplates)
    theme_listing: ThemeListing = field(default_factory=ThemeListing)  # the theme's files, as MkDocs lists them
    pictures: Pictures = field(default_factory=Pictures)  # made for the content loaded last
    extra_files: dict[str, bytes] = field(default_factory=dict)  # open data and editor, from the content loaded last
    build: Build | None = None
    collector: CollectAfterRebuilds = field(default_factory=CollectAfterRebuilds)  # around a preview's rebuilds
    changes: ChangesSeen = field(default_factory=ChangesSeen)  # content files changed since the last load

    @property
    def preview(self) -> bool:
        """`mkdocs serve` previews drafts (with a badge); a build never shows them."""
        return self.command == "serve"

    def remember(self, name: str, source: object, make: Callable[[], T]) -> T:
        """``make()``, or what it made last time from an equal ``source``."""
        last = self.made.get(name)
        if last is not None and last[0] == source:
            return last[1]  # type: ignore[return-value]
        made = make()
        self.made[name] = (source, made)
        return made

    @property
    def serve_dirty(self) -> bool:
        return self.command == "serve" and self.dirty
