"""The text of the PDFs in the media folder, for the search of the results library.

The results library links documents editors put in ``content/media/`` (reports, deliverables, guides: PDF,
DOCX…). The text of each PDF is read with pypdf so that the site's search finds a result by a phrase that is
only in its document; PDFs that are only pictures of pages (scans) have no text to find, and the build says so
(``has_text_layer`` False). Other documents are not read.

PDFs come from anywhere and are read at every build, so reading one must never stop, slow down or break the
build, whatever it contains:

- the PDFs are read in a child process, one for all the PDFs of a build: this file run as a script
  (``python -P documents.py``, so that it imports neither the ``divulga`` package nor the build), which limits
  its own memory (address space) and processor time before it imports pypdf, bounds the time spent on each
  document with an alarm (and checks the clock between pages), silences pypdf's log and warnings (MkDocs
  ``--strict`` would fail on them; its standard error goes nowhere) and writes one JSON line per document;
- the parent gives each document its time plus a grace period; when the child stops answering, or dies, the
  documents it finished are kept, the one it was reading is read again alone in a child of its own (so that
  it was not blamed for what another did), and the others continue in a new child: a hostile PDF costs only
  itself;
- files larger than ``max_bytes`` are not read; at most ``max_pages`` pages are read and ``max_chars``
  characters kept; pypdf refuses by itself (``LimitReachedError``) streams that decompress to more than 75 MB
  (FlateDecode, LZW, run-length, Brotli, JBIG2), declared stream lengths over 75 MB, more than 300 MB of
  decoding work or 2 000 000 tokens in one stream, arrays or dictionaries of more than 100 000 elements, page
  trees deeper than 100 or with more than 100 000 entries, more than 5 000 forms invoked on one page: a "zip
  bomb" is refused before the memory limit (``pypdf.Configuration``, pypdf 7.1), with a problem saying the PDF
  is too complex. The child does not call the ``jbig2dec`` program pypdf may use for images.

What was read is remembered by the SHA-256 of the file's bytes, one small JSON file per content::

    <cache>/<sha256>.json    {"recipe": …, "state": "text", "pages": 12, "text": "…", …}

written under a temporary name and renamed, so a PDF is read once, not at every build, and the same file under
another name is not read again. The failures that come from the file's bytes alone are remembered too (not
a PDF, a password, damaged, over pypdf's limits), so a broken PDF is not read again at every build; those
that may come from the machine or from other documents (out of time, out of memory, a child that died) are
not: on a busy machine a good PDF may be slow once, and must not stay unsearchable until its file changes. A
PDF that always times out costs its time (``timeout``, twice when the child had to be stopped) at every build,
and the editor is told at every build.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

# The child process: this file as a script; -P keeps its folder (images.py…) out of sys.path.
CHILD = (sys.executable, "-P", str(Path(__file__).resolve()))
# Part of every cache entry: change it when the text read from a PDF would change (pypdf's version, the
# normalisation), so that entries are made again.
RECIPE = "divulga-documents-1"
SUFFIXES = (".pdf",)  # the documents whose text is read; others are listed, not read
MIN_TEXT_CHARS = 20  # fewer non-space characters in the pages read: no text layer (a scan)
GRACE = 10.0  # seconds the parent adds to a document's time: starting Python and pypdf, a busy machine
EXIT_MEMORY = 3  # the child's exit status when it ran out of memory outside a document (importing pypdf)
EXIT_NO_PYPDF = 4  # the child's exit status when pypdf is not installed
STARTUP_CPU = 10  # processor seconds the child may spend besides its documents' time
# The outcomes of reading a PDF: those from the file's bytes are kept in the cache, the others are not.
CACHED_STATES = ("text", "not-pdf", "password", "encrypted", "no-pages", "damaged", "limits")
STATES = (*CACHED_STATES, "empty", "too-big", "timeout", "memory", "crash", "no-pypdf")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class DocumentText:
    """What a document gives the search."""

    pages: int | None  # all of the PDF's pages (only ``max_pages`` are read); None: not a PDF, or not read
    text: str  # whitespace collapsed to single spaces, at most ``max_chars``; "" when nothing could be read
    has_text_layer: bool | None  # False: pages without text (a scan); None: not a PDF, or not read
    problem: str | None  # why the text could not be read, in words an editor understands; None when it was


@dataclass(frozen=True)
class DocumentLimits:
    """What reading one PDF may cost. Text beyond ``max_pages`` and ``max_chars`` is not searchable, which
    leaves the first 100 or so pages of a report: what a search needs."""

    max_bytes: int = 100 * 1024 * 1024  # larger files are not read
    max_pages: int = 300  # pages read from the start of a PDF
    max_chars: int = 200_000  # characters of text kept (about 30 000 words)
    timeout: float = 20.0  # seconds for one document
    memory_bytes: int = 512 * 1024 * 1024  # address space of the child process that reads the PDFs


class DocumentTexts:
    """The text of PDFs, read once and remembered in ``cache``. Keep one per build: ``read_count`` tells how
    many documents the last call to ``texts`` read (the others came from the cache)."""

    def __init__(self, cache: Path, limits: DocumentLimits = DocumentLimits(),
                 known: dict[tuple, tuple[str, DocumentText | None]] | None = None) -> None:
        self.cache = Path(cache)
        self.limits = limits
        self.read_count = 0
        # (path, modification time, size) -> what _look found: kept by whoever reads again (a preview's session)
        self.known = known if known is not None else {}

    def texts(self, paths: Sequence[Path]) -> dict[Path, DocumentText]:
        """The text of every PDF among ``paths`` (by the file's name), and an empty, unread ``DocumentText``
        for other files. Never raises for a file's content; files that cannot be read get a ``problem``."""
        found: dict[Path, DocumentText] = {}
        by_digest: dict[str, list[Path]] = {}  # the documents to read, by content
        for path in dict.fromkeys(paths):
            if not is_document(path):
                found[path] = DocumentText(None, "", None, None)
                continue
            digest, answer = self._look_again(path)
            if answer is not None:
                found[path] = answer
            else:
                by_digest.setdefault(digest, []).append(path)
        records = self._read([same[0] for same in by_digest.values()])
        self.read_count = len(records)
        for (digest, same), record in zip(by_digest.items(), records):
            if record["state"] in CACHED_STATES and not record.get("died"):
                with contextlib.suppress(OSError):  # no cache: slower next time, still right
                    _write(self.cache / f"{record.get('digest') or digest}.json", {"recipe": RECIPE, **record})
            for path in same:
                found[path] = _answer(record, self.limits)
        return {path: found[path] for path in dict.fromkeys(paths)}

    def _look_again(self, path: Path) -> tuple[str, DocumentText | None]:
        """``_look``, or what it found when the file was last looked at, unchanged since (a preview reloads
        after each edit: hashing a thousand PDFs each time took a fifth of it)."""
        try:
            stat = os.stat(path)
        except OSError:
            return self._look(path)
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        found = self.known.get(key)
        if found is None:
            found = self._look(path)
            if found[1] is not None and found[1].problem is None:
                self.known[key] = found
        return found

    def _look(self, path: Path) -> tuple[str, DocumentText | None]:
        """The file's SHA-256, and its text when the cache knows it (or it need not be read)."""
        try:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size == 0:
                    return "", _answer({"state": "empty"}, self.limits)
                if size > self.limits.max_bytes:
                    return "", _answer({"state": "too-big"}, self.limits)
                digest = hashlib.sha256()
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except OSError as exc:
            return "", DocumentText(None, "", None, f"the file cannot be opened ({exc.strerror or exc}), so its "
                                                    "text cannot be read for the search: check its permissions")
        record = _record(_read_json(self.cache / f"{digest.hexdigest()}.json", self.limits), self.limits)
        return digest.hexdigest(), None if record is None else _answer(record, self.limits)

    def _read(self, paths: list[Path]) -> list[dict]:
        """Read ``paths`` in child processes: one for all of them, and one more for each document a child was
        reading when it died or stopped answering (with a new one for the documents after it)."""
        records: list[dict | None] = [None] * len(paths)
        pending = list(range(len(paths)))
        while pending:
            done, failure = _run_child([paths[index] for index in pending], self.limits)
            for position, record in done.items():
                records[pending[position]] = record
            left = [index for position, index in enumerate(pending) if position not in done]
            if not left:
                break
            if failure == "no-pypdf":  # no child can read any
                for index in left:
                    records[index] = {"state": failure, "died": True}
                break
            suspect, pending = left[0], left[1:]
            alone, failure = _run_child([paths[suspect]], self.limits)
            records[suspect] = alone.get(0) or {"state": failure or "crash", "died": True}  # not cached
        return [record or {"state": "crash", "died": True} for record in records]


def read_texts(cache: Path, paths: list[Path], known: dict | None = None
               ) -> tuple[dict[Path, DocumentText], dict[tuple, tuple[str, DocumentText | None]]]:
    """``DocumentTexts(cache, known=known).texts(paths)``, and what it knows then: for a worker process
    (divulga.plan.validate), which hands both back."""
    reader = DocumentTexts(cache, known=dict(known or {}))
    return reader.texts(paths), reader.known


def is_document(path: Path | str) -> bool:
    """Whether a file's text is read here (by its name)."""
    return Path(path).suffix.lower() in SUFFIXES


# -- answers and cache ----------------------------------------------------------------

def _answer(record: dict, limits: DocumentLimits) -> DocumentText:
    """What a record (from the child or the cache) tells the caller."""
    state = record["state"]
    if state == "text":
        return DocumentText(record["pages"], record["text"], record["has_text_layer"], None)
    problems = {
        "empty": "the file is empty (0 bytes), so there is no text to search: copy the document here again",
        "too-big": f"the PDF is larger than {limits.max_bytes / 2**20:g} MB, so its text is not read for the "
                   "search: publish a smaller export of it (without full-resolution pictures)",
        "not-pdf": "the file is not a readable PDF (it is damaged, or another kind of file named .pdf), so its "
                   "text cannot be read for the search: export it again as PDF",
        "password": "the PDF is protected by a password, so its text cannot be read for the search: "
                    "publish it without the password",
        "encrypted": "the PDF is protected (encrypted) in a way the build cannot open, so its text cannot be "
                     "read for the search: export it again without protection",
        "no-pages": "the PDF has no pages, so there is no text to search: export the document again",
        "damaged": "the PDF is damaged: its pages cannot be read, so its text is not searchable: export it again",
        "limits": "the PDF is too complex to be read safely (very large or deeply nested contents), so its "
                  "text is not searchable: export it again, or as a simpler PDF",
        "memory": "reading its text needed too much memory, so it is not searchable: export it again, or as a "
                  "simpler PDF",
        "timeout": "reading its text took too long; it is not searchable: export it again, or as a simpler PDF",
        "crash": "reading its text failed (the PDF may be damaged or made to break readers), so it is not "
                 "searchable: export it again",
        "no-pypdf": "the text of PDFs cannot be read because the pypdf package is not installed: run "
                    "python -m pip install -r requirements.txt",
    }
    return DocumentText(record.get("pages"), "", None, problems[state])


def _record(data: object, limits: DocumentLimits) -> dict | None:
    """A cached record, or None when missing, damaged, from another recipe, or made under other limits."""
    if not isinstance(data, dict) or data.get("recipe") != RECIPE or data.get("state") not in CACHED_STATES:
        return None
    pages = data.get("pages")
    if not (pages is None or type(pages) is int and pages >= 0):
        return None
    if data["state"] != "text":
        return data
    same_limits = data.get("max_pages") == limits.max_pages and data.get("max_chars") == limits.max_chars
    valid = type(pages) is int and isinstance(data.get("text"), str) and type(data.get("has_text_layer")) is bool
    return data if same_limits and valid else None


def _read_json(path: Path, limits: DocumentLimits) -> object:
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read(4 * limits.max_chars + (1 << 16)))  # UTF-8: at most 4 bytes a char
    except (OSError, ValueError, RecursionError):
        return None


def _write(path: Path, data: dict) -> None:
    """Write a JSON file atomically (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# -- the parent's side of the child process ----------------------------------------------

def _run_child(paths: list[Path], limits: DocumentLimits) -> tuple[dict[int, dict], str | None]:
    """Read ``paths`` in one child process: the records it wrote (by position in ``paths``), and why it stopped
    before the end ("timeout", "memory" or "crash"), or None."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONWARNINGS"}
    request = json.dumps({"limits": asdict(limits), "paths": [os.fspath(path) for path in paths]}) + "\n"
    try:
        child = subprocess.Popen(CHILD, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 env=env)
    except OSError:
        return {}, "crash"
    lines: queue.Queue[bytes | None] = queue.Queue()
    threads = [threading.Thread(target=_send, args=(child.stdin, request.encode()), daemon=True),
               threading.Thread(target=_pump, args=(child.stdout, lines), daemon=True)]
    for thread in threads:  # in threads, so that the deadline below bounds everything, even a stuck pipe
        thread.start()
    done: dict[int, dict] = {}
    failure = None
    deadline = time.monotonic() + limits.timeout + GRACE
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            failure = "timeout"
            child.kill()
            break
        if line is None:
            break
        record = _child_record(line, len(paths))
        if record is not None:
            done[record.pop("index")] = record
        deadline = time.monotonic() + limits.timeout + GRACE
    status = child.wait()
    for thread in threads:
        thread.join()
    child.stdout.close()
    if failure is None and len(done) < len(paths):
        failure = {EXIT_MEMORY: "memory", EXIT_NO_PYPDF: "no-pypdf",
                   -getattr(signal, "SIGXCPU", 24): "timeout"}.get(status, "crash")
    return done, failure


def _send(stream: io.BufferedWriter, request: bytes) -> None:
    try:
        stream.write(request)
    except OSError:  # BrokenPipeError: the child died at once; its exit status says why
        pass
    finally:
        with contextlib.suppress(OSError):
            stream.close()


def _pump(stream: io.BufferedReader, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _child_record(line: bytes, count: int) -> dict | None:
    """A line from the child as a record, or None when it is not one."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not (isinstance(record, dict) and type(record.get("index")) is int and 0 <= record["index"] < count
            and record.get("state") in STATES):
        return None
    if record["state"] == "text" and not (type(record.get("pages")) is int and isinstance(record.get("text"), str)
                                          and type(record.get("has_text_layer")) is bool):
        return None
    return record


# -- the child process ------------------------------------------------------------------

class _TooLong(BaseException):
    """Raised by the alarm in the middle of reading a document. Not an Exception, so that pypdf's own
    ``except Exception`` cannot swallow it."""


def _child() -> None:
    """Read the documents the parent names on standard input; write one JSON line per document."""
    request = json.loads(sys.stdin.buffer.readline())
    limits = DocumentLimits(**request["limits"])
    paths = request["paths"]
    _limit_self(limits, len(paths))
    try:
        import logging
        import warnings

        warnings.simplefilter("ignore")
        logging.disable(logging.CRITICAL)  # pypdf logs what it repairs; standard error goes nowhere anyway
        import pypdf

        pypdf.overwrite_configuration(jbig2dec_binary=None)  # no external program
    except ModuleNotFoundError:
        os._exit(EXIT_NO_PYPDF)
    except (MemoryError, ImportError):  # ImportError: "failed to map segment from shared object"
        os._exit(EXIT_MEMORY)
    for index, path in enumerate(paths):
        try:
            record = _read_document(path, limits)
        except MemoryError:
            record = {"state": "memory"}
        sys.stdout.write(json.dumps({"index": index, **record}) + "\n")
        sys.stdout.flush()


def _limit_self(limits: DocumentLimits, count: int) -> None:
    """Bound the memory and processor time of this process (where the system allows it), and write no core
    file if it is stopped for going over."""
    try:
        import resource
    except ImportError:  # Windows: the alarm and the parent's deadline still bound the time
        return
    cpu = math.ceil(limits.timeout * count) + STARTUP_CPU  # over it: SIGXCPU, then SIGKILL 5 s later
    for kind, soft, hard in ((resource.RLIMIT_CORE, 0, 0), (resource.RLIMIT_AS, limits.memory_bytes,
                              limits.memory_bytes), (resource.RLIMIT_CPU, cpu, cpu + 5)):
        with contextlib.suppress(ValueError, OSError):
            _, current = resource.getrlimit(kind)
            if current != resource.RLIM_INFINITY:
                soft, hard = min(soft, current), min(hard, current)
            resource.setrlimit(kind, (soft, hard))


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Raise _TooLong in this thread after ``seconds`` (where the system has interval timers)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum: int, frame: object) -> None:
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-6))  # 0 would mean "no alarm"
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _read_document(path: str, limits: DocumentLimits) -> dict:
    """One document's record: its state, and its pages and text when they could be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError:
        return {"state": "crash"}  # gone since the parent looked at it
    if not data:
        return {"state": "empty"}  # emptied since the parent looked at it
    if len(data) > limits.max_bytes:
        return {"state": "too-big"}
    digest = hashlib.sha256(data).hexdigest()
    started = time.monotonic()
    try:
        with _alarm(limits.timeout):
            record = _extract(data, limits, started)
    except _TooLong:
        record = {"state": "timeout"}
    except MemoryError:
        record = {"state": "memory"}
    return {**record, "digest": digest}


def _extract(data: bytes, limits: DocumentLimits, started: float) -> dict:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):  # an empty user password: opens without asking, as viewers do
                    return {"state": "password"}
            except (DependencyError, NotImplementedError):
                return {"state": "encrypted"}
        pages = len(reader.pages)
    except FileNotDecryptedError:
        return {"state": "password"}
    except (DependencyError, NotImplementedError):
        return {"state": "encrypted"}
    except LimitReachedError:
        return {"state": "limits"}
    except (Exception, RecursionError):  # noqa: BLE001 - whatever a damaged file makes pypdf raise
        return {"state": "not-pdf"}
    if pages == 0:
        return {"state": "no-pages", "pages": 0}
    parts: list[str] = []
    length = failed = tried = 0
    for number in range(min(pages, limits.max_pages)):
        if time.monotonic() - started > limits.timeout:  # where there is no alarm
            raise _TooLong
        tried += 1
        try:
            text = _normalised(reader.pages[number].extract_text())
        except (DependencyError, NotImplementedError):
            return {"state": "encrypted", "pages": pages}
        except LimitReachedError:
            return {"state": "limits", "pages": pages}
        except (Exception, RecursionError):  # noqa: BLE001 - a damaged page: the others may still be read
            failed += 1
            continue
        if text:
            parts.append(text)
            length += len(text) + 1
            if length > limits.max_chars:
                break
    if failed == tried:
        return {"state": "damaged", "pages": pages}
    text = " ".join(parts)
    if len(text) > limits.max_chars:
        cut = text[:limits.max_chars + 1]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut[:limits.max_chars]
    visible = sum(1 for char in text if not char.isspace())
    return {"state": "text", "pages": pages, "text": text, "has_text_layer": visible >= MIN_TEXT_CHARS,
            "max_pages": limits.max_pages, "max_chars": limits.max_chars}


def _normalised(text: str) -> str:
    """Text as the search wants it: control characters and lone surrogates dropped, spaces collapsed."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return " ".join(CONTROL.sub(" ", text).split())


if __name__ == "__main__":
    _child()
