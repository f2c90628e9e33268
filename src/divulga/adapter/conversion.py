"""The generated pages' Markdown, converted in worker processes while the build goes on.

MkDocs converts every page's Markdown in the build's one thread, with the
same extensions each time: about a quarter of a news site's build. The
planned pages are known as soon as the content is loaded, in every language,
so the build's worker processes (divulga.runtime.Helpers: one per spare
core, at most ``MAX_WORKERS``; they read content files while the build
loads its content, divulga.read.versions) convert them from then on, in
chunks, and clean them (the HTML allow-list,
divulga.read.html_safety.clean), while the build renders. When MkDocs comes
to convert a page (divulga.adapter.events ``_GeneratedPage.render``) it takes
the worker's result, or converts the page itself when its chunk is not
converted yet: the build never waits for a worker.

A worker's result is the one MkDocs would make, or none at all:
- it runs MkDocs' own ``Page.render`` with the same extensions and settings;
- a page with a link or an image that MkDocs resolves against the build's
  files (a relative or absolute path: the worker has no files; links to other
  sites, e-mail addresses and the page's own anchors it converts), or whose
  conversion logged a warning (``--strict`` counts them in the build's
  process), is converted by the build itself;
- a result is used only for the Markdown it was made from (a plugin may change
  a page's Markdown before it converts), and any failure of a worker (an
  extension that cannot go to another process, a crash) leaves the pages to
  the build. tests/test_conversion.py builds the example site with and without
  workers and compares every file.

Order: the build converts the first language's pages from the first; the
workers take that language's chunks from the last, so that the two meet half
way, then the other languages', while the build renders the first, in runs
of ``AHEAD`` pages, each from its last chunk, so that the build meets the
workers once per run (in the build's order, a worker slower than the build,
sharing its core with Pagefind, was caught up with at almost every chunk, and
the chunk it was converting then was converted twice: a fifth of its work at
1,000 news items × 2 languages). A chunk the build is about to reach
(``NEAR``) is left to it. At most
``AHEAD`` pages of the other languages wait converted for the build (memory:
some 10 kB each; the first language's are taken while MkDocs converts it,
when every page holds its body anyway); a page keeps only its cleaned body
once MkDocs handed it on (on_page_content).

``DIVULGA_CONVERT_WORKERS`` (divulga.runtime.workers_wanted): unset, workers
start for builds of at least ``MIN_PAGES`` pages with a body (or
``SHARED_MIN`` files to read in a content folder), one per spare core; ``0``
never; a number, that many workers for any build (tests, measurements). ``DIVULGA_CONVERT_SETTLE=1``
(tests): the build waits until the workers have converted every chunk before
it converts a page, so that every page a worker can convert is the worker's.
A preview's incremental rebuilds convert nothing in them (they start one only
to read ``SHARED_MIN`` changed files or more at once).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import markdown
from markupsafe import Markup
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta

from divulga.read.html_safety import clean
from divulga.runtime import Helpers

SETTLE_ENV = "DIVULGA_CONVERT_SETTLE"
# Python-Markdown's own extensions that keep nothing of a page for the next once the converter is reset
# (Markdown.reset): a converter with no other is kept from page to page (``Converter``). Not footnotes (its
# UNIQUE_IDS count the pages), abbr (its glossary), md_in_html or meta.
RESETTABLE = frozenset({"admonition", "attr_list", "codehilite", "def_list", "fenced_code", "legacy_attrs",
                        "legacy_em", "nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks"})
CHUNK = 16  # pages per task
NEAR = 2  # chunks just ahead of the build's own: it converts them itself, not a worker
AHEAD = 2000  # pages converted and not yet taken by the build, at most (about 10 kB each)
_PAGES_LOG = "mkdocs.structure.pages"


def resettable(extensions) -> bool:
    """Whether a Markdown converter with ``extensions`` (mkdocs.yml's ``markdown_extensions``, names) can be
    kept from one page to the next (``RESETTABLE``)."""
    return all(isinstance(name, str) and name.removeprefix("markdown.extensions.") in RESETTABLE
               for name in extensions)


# MkDocs' own parts of a page's conversion (its Page.render); without them (another engine), every page
# is converted by Page.render itself.
_MKDOCS_PARTS = tuple(getattr(mkdocs_pages, name, None) for name in (
    "_RawHTMLPreprocessor", "_ExtractAnchorsTreeprocessor", "_RelativePathTreeprocessor", "_ExtractTitleTreeprocessor"))


class Converter:
    """MkDocs' ``Page.render``, with one Markdown converter for the pages it converts one after the other.

    MkDocs makes a converter, with every extension, for each page: at 10,000 news items × 2 languages,
    24,000 of them, each a tenth of the page's conversion, and cycles of objects for the collector
    (its time at 2,000 × 2, every page converted by the build, went from 0.84 to 0.44 s). When every
    extension is one of ``RESETTABLE``, a Converter makes one and resets it between pages (what
    Python-Markdown documents for converting many texts); it registers MkDocs' own parts of a page's
    conversion (raw HTML anchors, anchors, links, title) for each page, as ``Page.render`` does, and sets
    on the page what it sets. Any other extension, or a conversion that failed half way, and the
    page gets a converter of its own. One per build (its thread) and one per worker task: never shared
    between threads. tests/test_conversion.py compares it with ``Page.render`` page by page."""

    def __init__(self) -> None:
        self._kept: tuple[list, dict, markdown.Markdown] | None = None  # extensions, their settings, converter

    def render(self, page, config, files) -> None:
        extensions, settings = config["markdown_extensions"], config["mdx_configs"] or {}
        kept, self._kept = self._kept, None  # kept again once the conversion is through
        if kept is not None and kept[0] == extensions and kept[1] == settings:
            md = kept[2].reset()
        elif None in _MKDOCS_PARTS or not resettable(extensions):
            Page.render(page, config, files)
            return
        else:
            md = markdown.Markdown(extensions=extensions, extension_configs=settings)
            kept = (list(extensions), dict(settings), md)
        raw_html_part, anchors_part, links_part, title_part = _MKDOCS_PARTS
        raw_html, title = raw_html_part(), title_part()
        anchors, links = anchors_part(page.file, files, config), links_part(page.file, files, config)
        for part in (raw_html, anchors, links, title):  # in Page.render's order (same names: replaced)
            part._register(md)
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = links.links_to_anchors
        self._kept = kept


def worker_order(chunks: int, first: int, window: int) -> list[int]:
    """The order the workers take ``chunks`` chunks in: the ``first`` (the first language's) from the
    last, then the others in runs of ``window``, each from its last (see the module's docstring)."""
    later = list(range(first, chunks))
    return list(range(first))[::-1] + [chunk for start in range(0, len(later), window)
                                       for chunk in later[start:start + window][::-1]]


@dataclass(frozen=True)
class Converted:
    """What ``Page.render`` sets, and the converted HTML once cleaned."""

    markdown: str
    content: str
    cleaned: Markup
    toc: object
    title: str | None
    anchors: frozenset[str]
    own_anchors: dict[str, str]  # links to the page's own anchors: anchor -> link


def markdown_of(source: str, after_plugins) -> str:
    """A generated page's Markdown as MkDocs will convert it: read from its file (``Page.read_source``),
    then as the plugins are expected to hand it on (``after_plugins``: a page they change otherwise
    is converted by the build)."""
    return after_plugins(meta.get_data(source)[0])


class Conversions:
    """The worker processes of one build, and what they converted.

    ``jobs``: every page's key and Markdown, in the order the build converts
    them; ``first``: how many of them are the first language's; ``prepare``
    makes a page's Markdown what MkDocs will convert (``markdown_of``), as its
    chunk goes to a worker."""

    def __init__(self, jobs: list[tuple[object, str]], first: int, helpers: Helpers, markdown_config: dict,
                 prepare: Callable[[str], str] = str, settle: bool = False) -> None:
        workers = helpers.workers
        self._index = {key: index for index, (key, _) in enumerate(jobs)}
        self._jobs = [text for _, text in jobs]  # the plan's own strings: no copy is kept
        self._prepare = prepare
        self._config = markdown_config
        self._first_chunks = (first + CHUNK - 1) // CHUNK
        self._order = worker_order((len(jobs) + CHUNK - 1) // CHUNK, self._first_chunks, max(1, AHEAD // CHUNK))
        self._futures: dict[int, Future] = {}
        self._position = 0  # the chunk the build converts now
        self._near = 0 if settle else NEAR
        self._settle = settle  # the build waits for every chunk at its first page (SETTLE_ENV)
        self._lock = threading.Lock()
        # The other languages' chunks converted and not yet taken, at most AHEAD pages (the first
        # language's are taken while MkDocs converts it: every page then holds its body anyway);
        # and a few chunks handed to the workers at a time, so that those the build has passed are not.
        self._room = threading.Semaphore(max(1, AHEAD // CHUNK))
        self._in_flight = threading.Semaphore(2 * workers)
        self._stopped = False
        self.taken = 0  # pages the build took from the workers
        self.workers = workers
        self._executor = helpers  # the build's (divulga.runtime.Helpers): it shuts them down
        self._feeder = threading.Thread(target=self._feed, name="divulga-conversions", daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        for chunk in self._order:
            later = chunk >= self._first_chunks
            if later:
                self._room.acquire()
            self._in_flight.acquire()
            with self._lock:
                if self._stopped:
                    return
                if chunk < self._position + self._near:  # the build is past it, or there before a worker would be
                    self._in_flight.release()
                    if later:
                        self._room.release()
                    continue
                start = chunk * CHUNK
                try:
                    future = self._executor.submit(
                        convert_chunk, self._config, [self._prepare(text) for text in self._jobs[start:start + CHUNK]])
                except Exception:  # a worker could not start (or the executor broke): the build converts
                    self._stopped = True
                    return
                self._futures[chunk] = future
            future.add_done_callback(self._landed)

    def _landed(self, future: Future) -> None:
        self._in_flight.release()

    def __len__(self) -> int:
        return len(self._jobs)

    def job(self, key: object) -> int | None:
        return self._index.get(key)

    def take(self, index: int, markdown: str) -> Converted | None:
        """The workers' conversion of job ``index``, if it was made from ``markdown``;
        None when the build is to convert it (the chunk is not converted yet, or failed)."""
        chunk = index // CHUNK
        if self._settle:
            self._settle = False
            self.settle()
        with self._lock:
            if chunk > self._position:
                for passed in range(self._position, chunk):
                    self._release(passed)
                self._position = chunk
            future = self._futures.get(chunk)
            if future is None or not future.done():  # not converted yet: the build does not wait for it
                if future is not None:
                    future.cancel()  # if no worker has started it
                return None
        if future.cancelled() or future.exception() is not None:  # a broken worker: the build converts
            return None
        results = future.result()
        converted = results[index - chunk * CHUNK]
        if converted is None or converted.markdown != markdown:
            return None
        self.taken += 1
        return converted

    def settle(self) -> None:
        """Wait until the workers have converted every chunk, when the other languages' fit in ``AHEAD`` (tests,
        ``SETTLE_ENV``)."""
        if len(self._order) - self._first_chunks <= AHEAD // CHUNK:
            self._feeder.join()
        with self._lock:
            futures = list(self._futures.values())
        for future in futures:
            try:
                future.result()
            except Exception:
                pass

    def _release(self, chunk: int) -> None:
        if self._futures.pop(chunk, None) is not None and chunk >= self._first_chunks:
            self._room.release()

    def close(self) -> None:
        """No more chunks to the workers; those not started are cancelled (the workers are the build's)."""
        with self._lock:
            self._stopped = True
            futures, self._futures = list(self._futures.values()), {}
        self._room.release()  # a feeder waiting stops
        self._in_flight.release()
        self._feeder.join(timeout=10)
        for future in futures:
            future.cancel()


# -- in the worker processes ------------------------------------------------------

class _NeedsFiles(Exception):
    """A link or image that only the build, with its files, can resolve."""


class _NoFiles:
    """Files and settings as MkDocs' link resolution sees them in a worker: any use stops the conversion."""

    def __init__(self, markdown_config: dict) -> None:
        self._markdown_config = markdown_config

    def __getitem__(self, key: str):
        return self._markdown_config[key]

    def get(self, key: str, default=None):
        return self._markdown_config.get(key, default)

    def __getattr__(self, name: str):
        raise _NeedsFiles(name)

    def get_file_from_path(self, path: str):
        raise _NeedsFiles(path)


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


def convert_chunk(markdown_config: dict, jobs: list[str]) -> list[Converted | None]:
    converter = Converter()  # one Markdown converter for the chunk's pages
    return [convert(markdown_config, text, converter) for text in jobs]


def convert(markdown_config: dict, text: str, converter: Converter | None = None) -> Converted | None:
    """One page's Markdown as MkDocs' ``Page.render`` converts it (``converter``: a Converter kept from
    the pages before), or None when only the build can (links or images to resolve against its files,
    a warning to report)."""
    warnings = _Warnings()
    root = logging.getLogger()
    root.addHandler(warnings)
    stand_in = _NoFiles(markdown_config)
    page = SimpleNamespace(markdown=text, file=stand_in)
    try:
        (converter or Converter()).render(page, stand_in, stand_in)
    except _NeedsFiles:
        return None
    finally:
        root.removeHandler(warnings)
    if warnings.seen:
        return None
    # the only links MkDocs noted are the page's own anchors (any other needs the files)
    own_anchors = dict(getattr(page, "links_to_anchors", {}).get(stand_in, {}))
    return Converted(markdown=text, content=page.content, cleaned=clean(page.content), toc=page.toc,
                     title=page._title_from_render, anchors=frozenset(page.present_anchor_ids),
                     own_anchors=own_anchors)


def apply(page: Page, converted: Converted) -> None:
    """Set on ``page`` what ``Page.render`` would have."""
    page.content = converted.content
    page.toc = converted.toc
    page._title_from_render = converted.title
    page.present_anchor_ids = set(converted.anchors)
    if logging.getLogger(_PAGES_LOG).getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = {page.file: dict(converted.own_anchors)} if converted.own_anchors else {}


