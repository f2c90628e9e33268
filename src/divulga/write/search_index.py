"""The search index: Pagefind's indexing service, fed while the site renders.

One Pagefind bundle per language, at ``pagefind/<lang>/``, so readers of the
Italian site load and get Italian results only (with Italian stemming). Only
searchable pages are handed over: docs pages, news items and project sheets
in their own language; listings, tag and archive pages, untranslated
fallbacks and the 404 page are not. A page goes over as an HTML document
with ``data-pagefind-body``: a news item's search record
(divulga.write.search_records), or the part of a rendered page its template marks
(``indexed_part``).

Why a service rather than ``pagefind --site`` after the build: the build is
single-threaded Python, so a second core sits idle while pages render.
Pagefind runs as a separate process (``pagefind --service``, the protocol
its Python and Node APIs speak: base64-encoded JSON messages separated by
commas on stdin/stdout) and parses each page as soon as it is handed over;
each language's bundle is written as soon as the adapter says that
language's searchable pages are all in, while the build goes on. The binary
ships inside the ``pagefind[bin]`` wheel and runs offline (the
``PAGEFIND_BINARY_PATH`` environment variable, read by the ``pagefind``
package, runs another one). No MkDocs import: the adapter decides when to
call what.

Memory: Pagefind holds a language's index while its pages come in (about
30 kB a page), and needs several times that while it writes the bundle
(about 150 kB a page at the peak, in Pagefind's own index building). Each
language's index is deleted from the service as soon as its bundle is
written, and the freed memory goes back to the system at once
(``MALLOC_CONF``), so Pagefind's peak is that of the largest language
alone rather than of every language together (BENCHMARKS.md, issue 21).

Reproducible bundles: Pagefind's service handles one request at a time, in
the order it arrives (it parses a page before it takes the next request), and
numbers a language's pages in that order. Requests leave this adapter in the
order the build makes them (one queue, one writer thread), and the build
hands pages over in an order of its own, the same at every build; so the
pages, word indexes and fragments come out byte for byte the same. Up to
Pagefind 1.5.x, the filter indexes do not: ``build_indexes`` gathers them in
a Rust HashMap whose hasher (foldhash) is seeded in every process from ASLR
addresses and the clock, and writes the filters and their values in that
map's order. So ``filter/*.pf_filter`` (bytes and names), the filter list
in ``pagefind.<hash>.pf_meta`` (so its name) and the hash in
``pagefind-entry.json`` change from build to build, whatever order the pages
go in. Pagefind 1.6.0 sorts them (upstream commit 0b56369, #1124). PyPI has
no 1.6 wheel yet, so ``find_pagefind`` runs the 1.6.0 binary that ``npm ci``
installs from package-lock.json when it is there, and the wheel's otherwise;
tests/test_determinism.py checks the whole site."""

from __future__ import annotations

import base64
import json
import os
import posixpath
import queue
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from divulga.runtime import NEEDED_HELPER, lower_priority
from divulga.urls import SEARCH_ROOT, search_bundle, search_bundle_part, search_bundles

# Not content: the "¶" anchors MkDocs adds to headings.
EXCLUDED = ".headerlink"
# Templates put these comments around the element carrying data-pagefind-body.
# Pagefind is handed only that part of the page (and its <title>): parsing a
# whole Material page, with its navigation, header, footer and head metadata,
# cost Pagefind about six times as much, on the core the build shares with it.
INDEXED_START, INDEXED_END = "<!--divulga:search-->", "<!--/divulga:search-->"
BUNDLE = SEARCH_ROOT.rstrip("/")  # the bundles' folder (divulga.urls)
INSTALL_HINT = "install the requirements: python -m pip install -r requirements.txt"


# Pagefind would spread over every core and slow the build it runs beside: one
# worker thread (tokio's and rayon's pools), at a lower priority (divulga.runtime), takes the
# core the single-threaded build leaves idle.
_ONE_THREAD = {"TOKIO_WORKER_THREADS": "1", "RAYON_NUM_THREADS": "1"}
# Pagefind's memory. Its binaries allocate with jemalloc (symbols prefixed
# "_rjem_", hence the variable's name), which by default keeps freed pages for
# ten seconds before handing them back to the system: the memory of a
# language's index, dropped once its bundle is written (_write_if_ready),
# would still count while the next language's pages come in. Handed back at
# once, every page Pagefind uses again is a new page fault (715,000 for 5,000
# news pages; 270,000 with narenas:1,dirty_decay_ms:1000, for 2 % less of
# Pagefind's CPU at 10,000 news items × 2 languages), but with that second's
# delay (and bundles of even sizes, tried with it) Pagefind's peak there was
# 993 MB: too close to the 1 GB target (BENCHMARKS.md). A _RJEM_MALLOC_CONF
# already set is kept.
MALLOC_CONF = "dirty_decay_ms:0,muzzy_decay_ms:0"


def _pagefind_environment() -> dict[str, str]:
    return {"_RJEM_MALLOC_CONF": MALLOC_CONF, **os.environ, **_ONE_THREAD}


class SearchIndexError(RuntimeError):
    pass


def indexed_part(html: str, lang: str) -> str:
    """What Pagefind needs of a written page: its title and the marked part.

    A page without the markers goes whole (Pagefind then looks for
    data-pagefind-body itself)."""
    start, end = html.find(INDEXED_START), html.rfind(INDEXED_END)
    if start < 0 or end < start:
        return html
    title_start, title_end = html.find("<title>"), html.find("</title>")
    title = html[title_start:title_end + 8] if 0 <= title_start < title_end < start else ""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{title}</head>'
            f"<body>{html[start:end]}</body></html>")


def bundle_path(lang: str) -> str:
    """The site-relative folder of a language's bundle (pagefind.js and its index):
    divulga.urls.search_bundle."""
    return search_bundle(lang)


@dataclass(frozen=True)
class IndexReport:
    pages: dict[str, int]  # lang -> pages indexed
    waited: float  # seconds the build waited for Pagefind after rendering
    cpu_seconds: float | None  # Pagefind's own CPU time (Linux only)
    peak_rss_mb: float | None  # Pagefind's peak memory (Linux only)


def find_pagefind(root: Path | None = None) -> Path:
    """The Pagefind binary to run: ``PAGEFIND_BINARY_PATH`` when set; else the
    one ``npm ci`` installs in the site's folder from package-lock.json
    (Pagefind 1.6, whose bundles are byte-identical from build to build);
    else the one in the pinned ``pagefind[bin]`` wheel (1.5.2, whose filter
    indexes come out in a different order at every build)."""
    if not os.environ.get("PAGEFIND_BINARY_PATH") and root is not None:
        for found in sorted(Path(root, "node_modules", "@pagefind").glob("*/bin/pagefind*")):
            if found.name in ("pagefind", "pagefind_extended") and os.access(found, os.X_OK):
                return found
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError(f"Pagefind is not installed ({INSTALL_HINT})") from None
    path = get_executable()
    if path is None:
        raise SearchIndexError(f"Pagefind's binary was not found ({INSTALL_HINT})")
    return Path(path)


class SearchIndexer:
    """A running Pagefind service: hand it pages, then write each language's bundle.

    Never blocks the build while pages are added: requests go through a
    queue to a writer thread, in the order they are made; responses are read
    by a reader thread. A language's bundle is written once Pagefind has
    answered for every page of it. Errors Pagefind reports are collected and
    raised by :meth:`finish`.
    """

    def __init__(self, site_dir: Path, executable: Path | None = None, root: Path | None = None,
                 pages_per_bundle: int = 5000):
        self.site_dir = site_dir
        # A language's pages go to bundles of at most this many (pagefind/it/, then pagefind/it-2/, ...),
        # each written and dropped from Pagefind once full: its memory is one bundle's, whatever the site's
        # size (the browser merges them: pagefind/it.json names the others).
        self.pages_per_bundle = pages_per_bundle
        priority = partial(lower_priority, NEEDED_HELPER) if os.name == "posix" else None
        try:
            self._process = subprocess.Popen([str(executable or find_pagefind(root)), "--service"],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL, env=_pagefind_environment(),
                                             preexec_fn=priority)
        except OSError as exc:
            raise SearchIndexError(f"could not start Pagefind: {exc}") from exc
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._lock = threading.Condition()
        self._next_id = 0
        self._replies: dict[int, dict] = {}  # answers someone waits for
        self._awaited: set[int] = set()
        # a bundle is (lang, number), the first number 1
        self._pages_sent: dict[int, tuple[tuple, str]] = {}  # message id -> (bundle, url), until answered
        self._unanswered: dict[tuple, int] = {}  # bundle -> pages not yet answered
        self._indexes: dict[tuple, int] = {}  # bundle -> Pagefind index id
        # A bundle's index is asked for at its first page, without waiting: Pagefind answers in turn, after
        # every page handed over before (the previous language's, all of them when it lags behind the build).
        # Until it answers, the bundle's pages wait here, and go as soon as the index has its id.
        self._index_requests: dict[int, tuple] = {}  # message id of a NewIndex -> bundle
        self._held: dict[tuple, list[tuple[dict, str]]] = {}  # bundle -> (AddFile payload, url) waiting
        self._failed: set[tuple] = set()  # bundles whose index Pagefind could not make
        self._pages: dict[tuple, int] = {}  # bundle -> pages handed over
        self._current: dict[str, tuple] = {}  # lang -> the bundle that takes its next page
        self._languages_done: set[str] = set()
        # lang -> filter name -> the values its pages carry, listed beside the bundles for the search box
        self._filters: dict[str, dict[str, set[str]]] = {}
        self._write_requested: set[tuple] = set()
        self._writes: dict[tuple, int] = {}  # bundle -> message id of its WriteFiles
        self._errors: list[str] = []
        self._stopped = False
        self._writer = threading.Thread(target=self._write_requests, name="pagefind-writer", daemon=True)
        self._reader = threading.Thread(target=self._read_responses, name="pagefind-reader", daemon=True)
        self._writer.start()
        self._reader.start()

    # -- the build's calls --------------------------------------------------

    def add_page(self, lang: str, url: str, html: str, filters: Iterable[tuple[str, str]] = ()) -> None:
        """Index one written page; ``url`` is site-relative with a leading slash; ``filters``: the
        (name, value) pairs of the search filters the page carries (divulga.write.search_records)."""
        if lang in self._languages_done:
            raise SearchIndexError(f"{url}: added after the {lang} bundle was written")
        values = self._filters.setdefault(lang, {})
        for name, value in filters:
            values.setdefault(name, set()).add(value)
        bundle = self._current.get(lang, (lang, 1))
        if self._pages.get(bundle, 0) >= self.pages_per_bundle:
            with self._lock:  # full: written as soon as its pages are answered; the next one takes over
                self._write_requested.add(bundle)
                self._write_if_ready(bundle)
            bundle = (lang, bundle[1] + 1)
        self._current[lang] = bundle
        contents = indexed_part(html, lang)
        with self._lock:
            if bundle in self._failed:
                return  # reported by finish
            self._unanswered[bundle] = self._unanswered.get(bundle, 0) + 1
            self._pages[bundle] = self._pages.get(bundle, 0) + 1
            payload = {"type": "AddFile", "index_id": self._index(bundle), "url": url,
                       "file_path": None, "file_contents": contents}
            if bundle in self._held:
                self._held[bundle].append((payload, url))
            else:
                self._pages_sent[self._send(payload)] = (bundle, url)

    def write_language(self, lang: str) -> None:
        """Write the bundles of ``lang`` as soon as every page of it is indexed, and what the search
        box reads before it searches (``pagefind/<lang>.json``): the bundles after the first, and the
        values of each filter, so that it fills its filter lists without loading every bundle's
        filter indexes (at 10,000 news items, three bundles' filters are some 150 kB that a search
        without a filter never reads)."""
        with self._lock:
            if lang in self._languages_done or lang not in self._current:
                return
            self._languages_done.add(lang)
            bundles = sorted(bundle for bundle in self._pages if bundle[0] == lang)
            for bundle in bundles:
                self._write_requested.add(bundle)
                self._write_if_ready(bundle)
        others = [posixpath.relpath(search_bundle_part(lang, number), bundle_path(lang)) + "/"
                  for _, number in bundles[1:]]
        listing = self.site_dir / search_bundles(lang)
        listing.parent.mkdir(parents=True, exist_ok=True)
        filters = {name: sorted(values) for name, values in sorted(self._filters.get(lang, {}).items())}
        listing.write_text(json.dumps({"bundles": others, "filters": filters}, ensure_ascii=False),
                           encoding="utf-8")

    def finish(self, timeout: float = 600) -> IndexReport:
        """Wait for every bundle, stop the service; raise if Pagefind reported errors."""
        start = time.monotonic()
        try:
            for lang in list(self._current):
                self.write_language(lang)
            with self._lock:
                done = self._lock.wait_for(
                    lambda: self._stopped or all(message in self._replies for message in self._writes.values())
                    and len(self._writes) + len(self._failed) == len(self._pages), timeout=timeout)
                # every bundle that took pages: its WriteFiles' answer (None: never written)
                replies = [self._replies.get(self._writes.get(bundle, -1)) for bundle in self._pages
                           if bundle not in self._failed]
            if not done:
                raise SearchIndexError(f"Pagefind did not finish within {timeout:.0f} seconds")
            waited = time.monotonic() - start
            cpu, peak = _usage(self._process.pid)
        finally:
            self.close()
        errors = self._errors + [
            f"Pagefind: {reply.get('message') if reply else 'stopped before writing the index'}"
            for reply in replies if reply is None or reply.get("type") == "Error"]
        if errors:
            raise SearchIndexError("Pagefind could not build the search index:\n" + "\n".join(errors))
        pages: dict[str, int] = {}
        for (lang, _), count in self._pages.items():
            pages[lang] = pages.get(lang, 0) + count
        return IndexReport(pages=pages, waited=waited, cpu_seconds=cpu, peak_rss_mb=peak)

    def close(self) -> None:
        """Stop the service (also when the build failed half way)."""
        self._outbox.put(None)
        self._writer.join(timeout=10)
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._reader.join(timeout=10)

    # -- the protocol ---------------------------------------------------------

    def _index(self, bundle: tuple) -> int | None:
        """The bundle's Pagefind index id; None while Pagefind has not answered (lock held).

        One index (so one bundle) per language; the page's <html lang> would give the same
        language, forcing it keeps bundles apart. The first call asks for it."""
        if bundle not in self._indexes and bundle not in self._held:
            message = self._send({"type": "NewIndex", "config": {
                "exclude_selectors": [EXCLUDED], "force_language": bundle[0]}})
            self._index_requests[message] = bundle
            self._held[bundle] = []
        return self._indexes.get(bundle)

    def _send(self, payload: dict, awaited: bool = False) -> int:
        """Queue a request (call with the lock held); returns its message id."""
        self._next_id += 1
        if awaited:
            self._awaited.add(self._next_id)
        request = {"message_id": self._next_id, "payload": payload}
        self._outbox.put(base64.b64encode(json.dumps(request, ensure_ascii=False).encode("utf-8")) + b",")
        return self._next_id

    def _write_if_ready(self, bundle: tuple) -> None:
        """Send a language's WriteFiles once requested and every page is answered,
        then drop its index from the service (lock held).

        Pagefind keeps an index, and what writing it built, until told to
        delete it: the service's memory would grow with every language, the
        last language's bundle being written on top of all the others'. The
        service takes requests in order, so the DeleteIndex right behind the
        WriteFiles runs as soon as the bundle is written."""
        if (bundle in self._write_requested and bundle in self._indexes and bundle not in self._writes
                and not self._unanswered.get(bundle)):
            output = self.site_dir / search_bundle_part(*bundle)
            index = self._indexes[bundle]
            self._writes[bundle] = self._send({"type": "WriteFiles", "index_id": index,
                                               "output_path": str(output)}, awaited=True)
            self._send({"type": "DeleteIndex", "index_id": index})

    def _write_requests(self) -> None:
        stdin = self._process.stdin
        try:
            while (request := self._outbox.get()) is not None:
                stdin.write(request)
                if self._outbox.empty():
                    stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def _read_responses(self) -> None:
        stdout = self._process.stdout
        pending = b""
        try:
            while chunk := stdout.read1(1 << 16):
                pending += chunk
                *messages, pending = pending.split(b",")
                for message in messages:
                    self._receive(json.loads(base64.b64decode(message)))
        finally:
            with self._lock:
                self._stopped = True
                self._lock.notify_all()

    def _receive(self, response: dict) -> None:
        message, payload = response.get("message_id"), response.get("payload") or {}
        with self._lock:
            if message in self._index_requests:
                self._index_made(self._index_requests.pop(message), payload)
                return
            page = self._pages_sent.pop(message, None)
            if payload.get("type") == "Error" and message not in self._awaited:
                self._errors.append(f"{page[1] if page else 'Pagefind'}: {payload.get('message')}")
            if message in self._awaited:
                self._awaited.discard(message)
                self._replies[message] = payload
                self._lock.notify_all()
            if page is not None:
                self._unanswered[page[0]] -= 1
                self._write_if_ready(page[0])

    def _index_made(self, bundle: tuple, payload: dict) -> None:
        """Pagefind's answer to a bundle's NewIndex: send the pages held for it (lock held)."""
        held = self._held.pop(bundle, [])
        if payload.get("type") != "NewIndex" or "index_id" not in payload:
            self._failed.add(bundle)
            self._unanswered[bundle] = 0
            self._errors.append(f"Pagefind could not start the {bundle[0]} index: {payload.get('message')}")
            self._lock.notify_all()
            return
        self._indexes[bundle] = payload["index_id"]
        for request, url in held:  # at least the first page: the bundle is written once they are answered
            request["index_id"] = payload["index_id"]
            self._pages_sent[self._send(request)] = (bundle, url)


def _usage(pid: int) -> tuple[float | None, float | None]:
    """CPU seconds and peak memory (MB) of a running process, where /proc tells."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        status = Path(f"/proc/{pid}/status").read_text()
        peak = next(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:"))
        return cpu, peak
    except (OSError, ValueError, IndexError, StopIteration):
        return None, None
