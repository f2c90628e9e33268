"""Process-wide tuning for one run of Divulga (a build, a preview, ``divulga check``).

Loading a site makes millions of small objects (the model, the plan) that live
as long as the run. Python's cyclic garbage collector, at its defaults, walks
all of them again and again while they are made: at 10,000 news items that is
some 40 % of a preview's reload. Collecting after every 200,000 new objects
instead of 700 (as mypy does for the same reason) keeps memory bounded and
saves that time; a build goes back to Python's pace once its content is
loaded (``loaded``). In a preview, the collections a rebuild would set off wait
until just after it (``CollectAfterRebuilds``); when the process ends, the
collector leaves what is left to the system (``exit_without_collecting``). The build's helper processes
(Pagefind, the worker processes: ``Helpers``) run at lower priorities (``lower_priority``).
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import threading
from collections.abc import Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor

YOUNG_GENERATION = 200_000
YOUNG_DEFAULT = 700  # Python's own


HELPER = 19  # the Markdown workers: the build converts what they have not
NEEDED_HELPER = 10  # Pagefind: the build waits for its index at the end


def lower_priority(niceness: int = HELPER) -> None:
    """In a helper process of the build: the build's own thread comes first (where the system has priorities).

    The helpers take what the build's thread leaves of the cores. With both at 5, on two cores, the
    build's thread waited for a core 6 % of its time (the scheduler's run-queue wait, 10,000 news items
    × 2 languages: 6.4 s of 104 s); with both at 19, 2 to 3 %, but Pagefind, sharing the other core
    with the worker, fell behind and the build waited for it at the end (3.4 s at 10,000 × 2). Pagefind
    at 10 and the worker at 19: the build waited for neither (1,000 × 2, side by side)."""
    if hasattr(os, "nice"):
        os.nice(niceness)


# How many worker processes a run has (``Helpers``): unset, one per spare core, at most MAX_WORKERS,
# for sites large enough; 0 none; a number, that many (divulga.adapter.conversion tells more).
ENV = "DIVULGA_CONVERT_WORKERS"
MIN_PAGES = 200  # automatic: below this, starting a worker (about half a second of a core) is not worth it
MAX_WORKERS = 4


class WorkersSetting(ValueError):
    pass


def workers_wanted(environ, pages: int, cpus: int) -> int:
    """How many worker processes convert ``pages`` pages, from ``DIVULGA_CONVERT_WORKERS``."""
    raw = environ.get(ENV, "").strip()
    if raw:
        if not raw.isdigit() or int(raw) > 64:
            raise WorkersSetting(f"{ENV}={raw!r}: give a whole number of worker processes from 0 to 64 "
                                 "(0: the build converts every page itself), or leave it unset")
        return int(raw)
    return min(cpus - 1, MAX_WORKERS) if pages >= MIN_PAGES else 0


def helper_processes(environ, cpus: int) -> int:
    """How many worker processes a build or ``divulga check`` has (``Helpers``): as many as a site large
    enough to convert in them would use (they read its content files first). They start only when given
    work."""
    return workers_wanted(environ, MIN_PAGES, cpus)


def usable_cpus() -> int:
    """The cores this process may run on (the build's own thread takes one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Helpers(Executor):
    """A build's worker processes: they read content files while the build loads the content
    (divulga.read.versions.load_items; ``divulga check`` too), then convert the pages' Markdown
    while it renders (divulga.adapter.conversion). ``workers`` of them, started at the first task
    (a site too small to give them any never starts one: about half a second of a core each), at the lowest
    priority (``lower_priority``), with ``spawn`` (a fork would copy the build's threads and
    locks). Whoever makes one shuts it down."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        self.started = False  # whether a worker process was ever started

    def submit(self, fn, /, *args, **kwargs) -> Future:
        with self._lock:
            if self._closed or self.workers < 1:
                raise RuntimeError("no worker processes")
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=lower_priority)
                self.started = True
            pool = self._pool
        return pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = True) -> None:
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def make_folders(folders: Iterable[str]) -> threading.Thread:
    """Make ``folders`` (with their parents) on a thread of their own, started at once.

    With directory URLs every page is written into a folder of its own, new in a
    fresh build: some 3,200 at 1,000 news items in two languages, whose mkdir
    took 0.6 s of the build's thread as it wrote them (more with Pagefind writing
    beside it). Made beforehand, while the pages' Markdown converts, they cost
    the writer a stat each. A folder that cannot be made is left to the writer,
    which tries again and reports what stops it."""
    thread = threading.Thread(target=_make_folders, args=(tuple(folders),), name="divulga-folders", daemon=True)
    thread.start()
    return thread


def _make_folders(folders: tuple[str, ...]) -> None:
    for folder in folders:
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            pass  # the page's writer makes it again, and reports the error


def collect_less() -> None:
    """Let the young generation grow to ``YOUNG_GENERATION`` objects before a collection."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(YOUNG_GENERATION, young), middle, old)


def loaded() -> None:
    """A build (not a preview) has loaded its content: what exists now lives until the build ends.

    It is set aside (``gc.freeze``): the collector no longer walks it. The young generation is
    collected at Python's pace again: rendering the pages leaves cyclic garbage behind (MkDocs'
    Markdown converters, Jinja's contexts and macros: some 500,000 objects at 1,000 news items × 2
    languages), freed in small batches instead of a million at a time. At 10,000 × 2 the collector
    took 8.6 s of the build's thread instead of 14.3 s, and the peak memory was 851 MB instead of
    898 MB. A preview keeps ``collect_less`` and its pauses (``CollectAfterRebuilds``): what a
    frozen heap holds is never collected, and a preview loads its content again and again."""
    gc.freeze()
    gc.set_threshold(YOUNG_DEFAULT, *gc.get_threshold()[1:])


def built() -> None:
    """The build is over (or failed): what ``loaded`` set aside goes back to the collector, which
    collects less again (a process may build again: tests, a tool calling MkDocs twice)."""
    gc.unfreeze()
    collect_less()


def exit_without_collecting() -> None:
    """When this process ends, Python does not walk and free what the run left, object by object:
    the system takes the memory back at once (``_leave_to_the_system``, run at exit).

    At exit, Python collects every cycle of objects still in memory: after a build, the pages,
    the plan, MkDocs' files and navigation, millions of objects. That took 3.3 s at 10,000 news items
    × 2 languages (0.4 s at 1,000 × 2), after the site was written, with the other core idle; set
    aside (``gc.freeze``) when the process ends, 0.1 s. Nothing changes before the end: a process that
    builds twice (tests, a tool calling MkDocs) collects as before. Called once per run; registered
    once however often it is called."""
    atexit.unregister(_leave_to_the_system)
    atexit.register(_leave_to_the_system)


def _leave_to_the_system() -> None:
    gc.freeze()


class CollectAfterRebuilds:
    """The collector, around the rebuilds of a preview (``mkdocs serve --dirty``).

    A rebuild after an edit makes a few hundred thousand objects; each
    collection they set off took a quarter to half a second at 10,000 news
    items, between the save and the page. While such a rebuild runs
    (``pause``), the collector waits; it runs ``delay`` seconds after it
    (``resume``), while the editor reads the page: the young and middle
    generations, and every ``full_every``-th time the whole heap. A rebuild
    that renders every page collects as it goes (``resume(now=True)``): its
    garbage would fill the memory. One per session; nothing is module-level.
    """

    def __init__(self, delay: float = 0.5, full_every: int = 10) -> None:
        self.delay, self.full_every = delay, full_every
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._paused = False
        self.collections = 0

    def pause(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            gc.disable()
            self._paused = True

    def resume(self, now: bool = False) -> None:
        with self._lock:
            if not self._paused:
                return
            self._paused = False
            if now:
                gc.enable()
                return
            self._timer = threading.Timer(self.delay, self._collect)
            self._timer.daemon = True
            self._timer.start()

    def _collect(self) -> None:
        with self._lock:
            if self._paused or self._timer is None:  # a rebuild started meanwhile: it resumes later
                return
            self._timer = None
            self.collections += 1
            gc.collect(2 if self.collections % self.full_every == 0 else 1)
            gc.enable()


class ChangesSeen:
    """The files changed under a folder since the last load, as a preview's watcher reports them (from its own
    thread): a load then looks again only at those (divulga.read.sources.Listings). ``take`` says None, "not
    known", until the watcher is on (``watching``), at the first load after it, and after a change it cannot
    name file by file (a folder created, moved or deleted)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watching = False
        self._paths: set[str] | None = None

    def watching(self) -> None:
        with self._lock:
            self._watching = True

    def saw(self, *paths: str) -> None:
        with self._lock:
            if self._paths is not None:
                self._paths.update(paths)

    def lost(self) -> None:
        with self._lock:
            self._paths = None

    def take(self) -> set[str] | None:
        """What changed since the last ``take``, or None when it is not known."""
        with self._lock:
            paths, self._paths = self._paths, (set() if self._watching else None)
            return paths
