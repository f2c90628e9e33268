"""Benchmark: Divulga's build against the floor (MkDocs alone), at several sizes.

A size is N news items in each of L languages, written ``NxL``: 1000x2 is
the example's two languages (it, en), 2000x5 the first five of it, en, fr,
de, sl (benchmarks/generate.py); a plain N is Nx2 with the example's
mkdocs.yml. For each size, builds the generated site (our hooks, Pagefind
included) and its floor (the same bodies as plain docs pages, no hooks)
several times each, alternating floor and Divulga so that a machine getting
faster or slower during the run weighs on both alike. Reports the median
wall time and CPU time, the peak memory (of the largest process: the build
or Pagefind), the site size, time and bytes per news page, the ratio to the
floor and the Pagefind figures the build logs (how long the build waited
for it after rendering, its own CPU time and peak memory). The builds run
the Pagefind the publish workflow runs (``npm ci``'s, else the wheel's). Each build
writes into a new folder, as on a CI runner; every output is kept until the
run is over (about 7 GB for the default run). Then measures edit-to-preview
under `mkdocs serve` (by default `--dirty` with one language at N = 10,000,
the issue's target; ``--preview-modes all`` adds the slower modes), and
the first search's transfer at the largest size. Writes the tables and the
targets (issue 21: time per news page within 1.2× of 1000x2, at most 1.15×
the floor and 1 GB at each size, edit-to-preview under a second) to
BENCHMARKS.md with the machine's description.

    python benchmarks/run.py                 # the issue's sizes: 1000x2, 10000x2, 2000x5 (some 20 minutes)
    python benchmarks/run.py --sizes 1000x2,10000x2,2000x5 --preview 10000x1   # the same, spelt out
    python benchmarks/run.py --sizes 250 1000 2000 --preview 1000x2 --preview-modes all   # issue 7's run
    python benchmarks/run.py --sizes 250 --repeat 1 --no-preview --no-search-transfer   # a quick look
    python benchmarks/run.py --work /dev/shm --sizes 1000 --preview 1000x2 --out /tmp/ram.md   # in memory

Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import LANGUAGES, generate, generate_floor, language_codes, vocabulary

from divulga.write.search_index import find_pagefind

ROOT = Path(__file__).resolve().parents[1]
NOTES = "## Notes"  # BENCHMARKS.md keeps this section (and what follows) across runs
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# The Pagefind the publish workflow runs: the one `npm ci` installs in the repository (1.6.0, from
# package-lock.json) when it is there, else the pinned wheel's (divulga.write.search_index.find_pagefind).
# The generated sites live outside the repository, where the build would find only the wheel's.
# PAGEFIND_BINARY_PATH, when set, chooses another.
ENV.setdefault("PAGEFIND_BINARY_PATH", str(find_pagefind(ROOT)))
EXAMPLE_LANGUAGES = 2  # it, en: the repository's mkdocs.yml
DEFAULT_SIZES = ["1000x2", "10000x2", "2000x5"]
BASE = (1000, 2)  # the size the time per news page is compared with (issue 21)
GB = 1024  # MB: the memory target, "1 GB"


@dataclass(frozen=True)
class Size:
    news: int
    languages: int | None = None  # None: the example's mkdocs.yml (it, en)

    @property
    def count(self) -> int:
        return self.languages or EXAMPLE_LANGUAGES

    @property
    def name(self) -> str:
        """For folder names: "1000x2"."""
        return f"{self.news}x{self.count}"

    @property
    def label(self) -> str:
        """For the report: "1,000 × 2"."""
        return f"{self.news:,} × {self.count}"


def parse_sizes(values: list[str]) -> list[Size]:
    """``--sizes`` as given: "1000x2,10000x2" or "250 1000 2000" (plain N: the example's two languages)."""
    sizes = []
    for value in values:
        for token in value.replace(" ", ",").split(","):
            if token:
                sizes.append(parse_size(token))
    return sizes


def parse_size(token: str) -> Size:
    news, _, languages = token.lower().partition("x")
    try:
        size = Size(int(news.replace("_", "")), int(languages) if languages else None)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{token!r}: a size is N or NxL, e.g. 1000 or 2000x5") from None
    if size.news < 1 or not 1 <= size.count <= len(LANGUAGES):
        raise argparse.ArgumentTypeError(f"{token!r}: N at least 1, L from 1 to {len(LANGUAGES)}")
    return size


def generate_size(size: Size, folder: Path) -> Path:
    """The generated site of ``size`` in ``folder``; its mkdocs.yml."""
    return generate(folder, size.news, languages=size.languages)


@dataclass
class Build:
    seconds: float
    cpu_seconds: float  # user + system, the build process and its children
    peak_rss_mb: float  # the largest of the build process and its children
    output: str

    def logged(self, pattern: str) -> float | None:
        match = re.search(pattern, self.output)
        return float(match.group(1)) if match else None


@dataclass
class Row:
    news: int
    kind: str  # "divulga" | "floor"
    languages: int
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    site_mb: float
    news_pages: int
    pagefind_wait: float | None = None  # seconds the build waited for Pagefind after rendering
    pagefind_cpu: float | None = None
    pagefind_rss_mb: float | None = None
    # median of divulga/floor over each pair of consecutive builds: steadier
    # than the ratio of the medians when the machine's speed drifts
    pair_ratio: float = 1.0

    @property
    def ms_per_news_page(self) -> float:
        return self.seconds / self.news_pages * 1000

    @property
    def kb_per_news_page(self) -> float:
        return self.site_mb * 1024 / self.news_pages


def build(config_file: Path, site_dir: Path) -> Build:
    """One `mkdocs build` in its own process, into a folder that does not exist
    yet, as on a CI runner; peak RSS from wait4.

    Nothing is deleted while the benchmark measures: on ext4 without a journal
    (this machine's disk) the kernel will not reuse an inode freed in the last
    minute or so, and scans past every such inode each time it creates a file.
    Deleting the previous build's thousands of files just before the next build
    made file creation several times slower, and the build that writes more
    files (ours: Pagefind's fragments) paid for it the most."""
    if site_dir.exists():
        raise SystemExit(f"{site_dir} exists: every build writes into a new folder")
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-f", str(config_file),
                                "-d", str(site_dir)], cwd=config_file.parent, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build failed: {config_file}\n{output[-3000:]}")
    return Build(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def site_size_mb(site_dir: Path) -> float:
    return sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file()) / 1024 / 1024


def news_pages(site_dir: Path) -> int:
    """News item pages in every language (the floor's docs pages sit at the same URLs)."""
    pattern = re.compile(r"^(?:[a-z]{2}/)?news/\d{4}-\d{2}-\d{2}-item-\d+/index\.html$")
    return sum(1 for p in site_dir.rglob("index.html") if pattern.match(p.relative_to(site_dir).as_posix()))


def measure(size: Size, repeat: int, work: Path) -> list[Row]:
    news = size.news
    site = work / f"site-{size.name}"
    config = generate_size(size, site)
    floor_config = generate_floor(site, work / f"floor-{size.name}")
    kinds = (("floor", floor_config), ("divulga", config))
    builds: dict[str, list[Build]] = {kind: [] for kind, _ in kinds}
    for n in range(repeat):  # alternate: floor, divulga, floor, divulga, ...
        for kind, config_file in kinds:
            builds[kind].append(build(config_file, config_file.parent / f"site-{n}"))
    rows = []
    for kind, config_file in kinds:
        done = builds[kind]
        site_dir = config_file.parent / f"site-{repeat - 1}"

        def median(pattern: str, done: list[Build] = done) -> float | None:
            values = [v for b in done if (v := b.logged(pattern)) is not None]
            return statistics.median(values) if values else None

        rows.append(Row(
            news=news, kind=kind, languages=size.count, seconds=statistics.median(b.seconds for b in done),
            cpu_seconds=statistics.median(b.cpu_seconds for b in done),
            peak_rss_mb=max(b.peak_rss_mb for b in done), site_mb=site_size_mb(site_dir),
            news_pages=news_pages(site_dir),
            pagefind_wait=median(r"waited ([\d.]+) seconds for it after rendering"),
            pagefind_cpu=median(r"Pagefind used ([\d.]+) s of CPU"),
            pagefind_rss_mb=median(r"peak memory ([\d.]+) MB"),
            pair_ratio=statistics.median(b.seconds / f.seconds for b, f in zip(done, builds["floor"])),
        ))
        print(f"  N={size.label} {kind}: {rows[-1].seconds:.1f} s "
              f"({', '.join(f'{b.seconds:.1f}' for b in done)})", flush=True)
    return rows


# (label, preview language, `--dirty`, edits measured)
PREVIEWS = (
    ("every language", None, False, 2),
    ("default language only", "it", False, 2),
    ("every language, `--dirty`", None, True, 5),
    ("default language only, `--dirty`", "it", True, 5),
)
FAST_PREVIEW = "default language only, `--dirty`"
PREVIEW_MODES = {"dirty": (FAST_PREVIEW,), "all": tuple(label for label, *_ in PREVIEWS)}


def previews(size: Size, modes: str) -> list[tuple[str, str | None, bool, int]]:
    """The previews to measure: ``modes`` of PREVIEW_MODES; on a site in one
    language, "every language" is the default language alone, measured once."""
    wanted = PREVIEW_MODES[modes]
    return [preview for preview in PREVIEWS if preview[0] in wanted
            and not (size.count == 1 and preview[1] is None)]


def edit_to_preview(config_file: Path, preview_language: str | None, dirty: bool, rounds: int = 2) -> float:
    """Seconds from saving a news file to the changed page served by `mkdocs serve`
    (with `--dirty`: rendering only the pages whose data changed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(ENV)
    if preview_language:
        env["DIVULGA_PREVIEW_LANGUAGE"] = preview_language
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", *(["--dirty"] if dirty else []),
                               "-f", str(config_file), "--dev-addr", f"127.0.0.1:{port}"], cwd=config_file.parent, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    news_file = min((config_file.parent / "content" / "news").glob("*.it.md"))
    slug = news_file.name.split(".")[0]
    url = f"http://127.0.0.1:{port}/divulga/news/{slug}/"
    original = news_file.read_text(encoding="utf-8")
    times = []
    try:
        _wait_for(url, lambda text: True, timeout=600)
        for n in range(rounds):
            marker = f"Edited {n} {time.time():.0f}"
            start = time.perf_counter()
            news_file.write_text(original.replace("title: ", f"title: {marker} ", 1), encoding="utf-8")
            _wait_for(url, lambda text, marker=marker: marker in text, timeout=600)
            times.append(time.perf_counter() - start)
            time.sleep(2)  # let the watcher settle before the next edit
    finally:
        news_file.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return statistics.median(times)


def _wait_for(url: str, ready, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            text = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
            if ready(text):
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {url}")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in
                         ("mkdocs", "mkdocs-material", "mkdocs-static-i18n"))
    versions += f", {pagefind_version()}"
    return (f"{platform.machine()}, {os.cpu_count()} cores ({cpu}){memory}; "
            f"Python {platform.python_version()}; {versions}")


def pagefind_version() -> str:
    """The version of the Pagefind the builds run (``ENV``), and where it comes from."""
    binary = ENV["PAGEFIND_BINARY_PATH"]
    try:
        version = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        version = ""
    origin = "npm ci's" if "node_modules" in Path(binary).parts else "the wheel's" \
        if "site-packages" in Path(binary).parts else binary
    return f"{version or 'pagefind (version unknown)'} ({origin})"


def table(rows: list[Row]) -> str:
    floors = {(row.news, row.languages): row for row in rows if row.kind == "floor"}
    lines = [("| N | languages | build | wall time (median) | ratio to floor: of medians / median of pairs "
              "| CPU time | Pagefind: wait after rendering "
              "/ CPU / peak memory | peak RSS | site size | news pages | time per news page "
              "| site bytes per news page |"),
             "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        ratio = row.seconds / floors[row.news, row.languages].seconds
        pagefind = "–"
        if row.pagefind_wait is not None:
            pagefind = f"{row.pagefind_wait:.1f} s"
            if row.pagefind_cpu is not None and row.pagefind_rss_mb is not None:
                pagefind += f" / {row.pagefind_cpu:.1f} s / {row.pagefind_rss_mb:.0f} MB"
        lines.append(f"| {row.news:,} | {row.languages} | {row.kind} | {row.seconds:.1f} s "
                     f"| {ratio:.2f}× / {row.pair_ratio:.2f}× "
                     f"| {row.cpu_seconds:.1f} s "
                     f"| {pagefind} | {row.peak_rss_mb:.0f} MB | {row.site_mb:.0f} MB | {row.news_pages:,} "
                     f"| {row.ms_per_news_page:.1f} ms | {row.kb_per_news_page:.1f} kB |")
    return "\n".join(lines)


def first_searches(site_dir: Path, codes: list[str]) -> list[dict]:
    """First-search transfer from the home page of the first two languages, for a
    common, a middling and a rare word of the generated vocabulary."""
    from search_transfer import first_search
    rows = []
    for index, lang in enumerate(codes[:2]):
        page = "" if index == 0 else f"{lang}/"
        vocab, _ = vocabulary(lang)
        for row in first_search(site_dir, [vocab[0], vocab[100], vocab[3000]], page=page):
            rows.append({**row, "lang": lang})
    return rows


def targets(rows: list[Row], preview: dict[str, float], preview_size: Size | None) -> list[str]:
    """Issue 21's targets against what was measured: at each size, the time per
    news page within 1.2× of N = 1,000 × 2, at most 1.15× the floor, at most
    1 GB; edit-to-preview with `--dirty` in one language under a second."""
    by = {(row.news, row.languages, row.kind): row for row in rows}
    base = by.get((*BASE, "divulga"))
    lines = ["| target | measured | met |", "|---|---|---|"]

    def add(target: str, measured: str, met: bool) -> None:
        lines.append(f"| {target} | {measured} | {'yes' if met else 'no'} |")

    for row in rows:
        if row.kind != "divulga":
            continue
        label = Size(row.news, row.languages).label
        if base is not None and row is not base:
            ratio = row.ms_per_news_page / base.ms_per_news_page
            add(f"time per news page at {label} within 1.2× of {Size(*BASE).label}",
                f"{row.ms_per_news_page:.1f} ms vs {base.ms_per_news_page:.1f} ms ({ratio:.2f}×)", ratio <= 1.2)
        floor = by[row.news, row.languages, "floor"]
        ratio = row.seconds / floor.seconds
        add(f"build at {label} ≤ 1.15× the floor",
            f"{ratio:.2f}× ({row.seconds:.1f} s vs {floor.seconds:.1f} s; median of the pairs "
            f"{row.pair_ratio:.2f}×; CPU time {row.cpu_seconds / floor.cpu_seconds:.2f}×)",
            max(ratio, row.pair_ratio) <= 1.15)
        peak = max(row.peak_rss_mb, row.pagefind_rss_mb or 0)
        add(f"peak memory at {label} ≤ 1 GB",
            f"{peak:,.0f} MB (largest process; Pagefind alone {row.pagefind_rss_mb or 0:,.0f} MB)", peak <= GB)
    if FAST_PREVIEW in preview and preview_size is not None:
        seconds = preview[FAST_PREVIEW]
        add(f"`serve --dirty` edit-to-preview at {preview_size.label}, one language, ≤ 1 s",
            f"{seconds:.2f} s", seconds <= 1)
    return lines


def earlier_targets(rows: list[Row], searches: list[dict], largest: Size | None) -> list[str]:
    """Issue 7's targets, where this run measured their sizes (two languages)."""
    by = {(row.news, row.kind): row for row in rows if row.languages == EXAMPLE_LANGUAGES}
    lines = ["| target | measured | met |", "|---|---|---|"]

    def add(target: str, measured: str, met: bool) -> None:
        lines.append(f"| {target} | {measured} | {'yes' if met else 'no'} |")

    if (1000, "divulga") in by and (250, "divulga") in by:
        small, large = by[250, "divulga"], by[1000, "divulga"]
        for what, unit, a, b in (("time", "ms", small.ms_per_news_page, large.ms_per_news_page),
                                 ("bytes", "kB", small.kb_per_news_page, large.kb_per_news_page)):
            add(f"{what} per news page at 1,000 within 1.2× of 250",
                f"{b:.1f} {unit} vs {a:.1f} {unit} ({b / a:.2f}×)", b / a <= 1.2)
    if (2000, "divulga") in by:
        row = by[2000, "divulga"]
        peak = max(row.peak_rss_mb, row.pagefind_rss_mb or 0)
        add("peak memory at N = 2,000 under 1 GB",
            f"{row.peak_rss_mb:.0f} MB (largest process; Pagefind alone {row.pagefind_rss_mb or 0:.0f} MB)",
            peak < GB)
    if searches and largest is not None:
        most = max(row["bytes"] for row in searches)
        add(f"first search at N = {largest.label} ≤ 300 kB",
            f"at most {most:,} bytes ({most / 1024:.0f} KiB)", most <= 300 * 1000)
    return lines if len(lines) > 2 else []


def filesystem(folder: Path) -> str:
    """The type of the file system holding ``folder`` (Linux), e.g. "ext4" or "tmpfs"."""
    best, kind = "", "unknown file system"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    target = str(folder.resolve())
    for line in mounts:
        fields = line.split()
        if len(fields) > 2 and (target == fields[1] or target.startswith(fields[1].rstrip("/") + "/")) \
                and len(fields[1]) > len(best):
            best, kind = fields[1], fields[2]
    return kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=DEFAULT_SIZES,
                        help="sizes NxL (N news items in each of L languages: it, en, fr, de, sl), "
                             "comma- or space-separated; a plain N is Nx2 (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-preview", action="store_true", help="skip edit-to-preview")
    parser.add_argument("--preview", type=parse_size, default=parse_size("10000x1"),
                        help="the size of the site edit-to-preview is measured on (default: 10000x1)")
    parser.add_argument("--preview-modes", choices=sorted(PREVIEW_MODES), default="dirty",
                        help="dirty: `--dirty` building the default language only (the target); "
                             "all: also every language, and without `--dirty` (default: dirty)")
    parser.add_argument("--no-search-transfer", action="store_true",
                        help="skip the first-search transfer (needs Debian's chromium and playwright)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()),
                        help="where corpora and sites are written (default: the system's temporary folder)")
    args = parser.parse_args()
    sizes = parse_sizes(args.sizes)
    args.work.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="divulga-bench-", dir=args.work) as tmp:
        work = Path(tmp)
        rows = []
        for size in sizes:
            rows += measure(size, args.repeat, work)
        searches: list[dict] = []
        largest = max(sizes, key=lambda size: (size.news * size.count, size.count)) if sizes else None
        if not args.no_search_transfer and largest is not None:
            codes = language_codes(largest.languages) or list(LANGUAGES[:EXAMPLE_LANGUAGES])
            searches = first_searches(work / f"site-{largest.name}" / f"site-{args.repeat - 1}", codes)
            print(f"  first search at N={largest.label}: up to {max(r['bytes'] for r in searches):,} bytes",
                  flush=True)
        preview: dict[str, float] = {}
        if not args.no_preview:
            config = work / f"site-{args.preview.name}" / "mkdocs.yml"
            if not config.exists():
                config = generate_size(args.preview, work / f"site-{args.preview.name}")
            for label, language, dirty, rounds in previews(args.preview, args.preview_modes):
                preview[label] = edit_to_preview(config, language, dirty, rounds)
                print(f"  edit-to-preview at {args.preview.label}, {label}: {preview[label]:.2f} s", flush=True)

    report = [
        "# Benchmarks",
        "",
        "Made by `python benchmarks/run.py` (see its docstring), here with `--sizes "
        f"{','.join(size.name for size in sizes)}`"
        + ("" if args.no_preview else f" `--preview {args.preview.name} --preview-modes {args.preview_modes}`")
        + f" `--repeat {args.repeat}`. The corpus comes from",
        "`benchmarks/generate.py`: N news items in each of L languages (it, en, fr, de, sl, in that",
        "order; about 400 words each, drawn with Zipf's law from a 30,000-word vocabulary per",
        "language; 10 % untranslated, 5 % with a draft translation), one event and one result",
        "(with one or two small PDFs) per ten news items, and 20 project sheets. The floor builds the same",
        "bodies as plain docs pages with MkDocs, Material and static-i18n alone (no hooks,",
        "navigation limited to the home page).",
        "",
        f"Machine: {machine()}. Work folder: {args.work} ({filesystem(args.work)}); each build",
        "writes into a new folder, as on a CI runner, and nothing is deleted until the run",
        "is over (see the notes on the disk).",
        "",
        f"Repetitions per build: {args.repeat}, floor and Divulga alternating; medians. The ratio",
        "to the floor is given twice: the ratio of the medians, and the median of the ratios",
        "of each floor build to the Divulga build right after it. CPU time",
        "counts the build process and its children (Pagefind, the Markdown workers); peak RSS is that of the",
        "largest of them. The Pagefind column",
        "is what the build logs: how long it waited for the search index once every page",
        "was rendered, and Pagefind's own CPU time and peak memory.",
        "",
        table(rows),
    ]
    if searches and largest is not None:
        report += ["", (f"First search at N = {largest.label} (`benchmarks/search_transfer.py`: a fresh "
                        "browser context per query, the language's home page loaded, then the query typed"),
                   ("into the header search as a reader does, until the results are listed: every bundle "
                    "of the language"),
                   ("merged, the first ten results shown; uncompressed bytes of every request made from "
                    "the first keystroke):"), "",
                   "| language | query | results | bundles | requests | bytes transferred |",
                   "|---|---|---:|---:|---:|---:|"]
        report += [f"| {r['lang']} | {r['term']} | {r['results']:,} | {r['bundles']} | {r['requests']} "
                   f"| {r['bytes']:,} ({r['bytes'] / 1024:.0f} KiB) |" for r in searches]
    if preview:
        report += ["", f"Edit-to-preview at N = {args.preview.label} (`mkdocs serve --livereload`, time from saving a",
                   "news file to the changed page being served, median over the edits, polling the",
                   "page every 50 ms; the server hears of a change from the system, then waits a",
                   "tenth of a second for more (MkDocs' build delay); \"default language only\" sets",
                   "DIVULGA_PREVIEW_LANGUAGE=it):", "",
                   "| preview | seconds |", "|---|---:|",
                   *(f"| {label} | {seconds:.2f} s |" for label, seconds in preview.items())]
    report += ["", "## Against the targets (issue 21)", "",
               *targets(rows, preview, None if args.no_preview else args.preview)]
    earlier = earlier_targets(rows, searches, largest)
    if earlier:
        report += ["", "## Against the earlier targets (issue 7)", "", *earlier]
    # Hand-written notes (what was changed, what was tried) survive a rerun.
    previous = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    if NOTES in previous:
        report += ["", NOTES + previous.split(NOTES, 1)[1].rstrip("\n")]
    args.out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    main()
