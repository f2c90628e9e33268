"""Benchmark: Divulga's build against the floor (MkDocs alone), at three sizes.

For N = 250, 1,000 and 2,000 news items (each in every configured language),
builds the generated site (our hooks, Pagefind included) and its floor (the
same bodies as plain docs pages, no hooks) several times each, and reports the
median wall time, the peak memory of the build process, the site size, time
and bytes per news page, the ratio to the floor and the Pagefind step. Then
measures edit-to-preview under `mkdocs serve` at N = 1,000. Writes the table
to BENCHMARKS.md with the machine's description.

    python benchmarks/run.py                 # the full run (about 10 minutes)
    python benchmarks/run.py --sizes 250 --repeat 1 --no-preview   # a quick look

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
from generate import generate, generate_floor  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Build:
    seconds: float
    peak_rss_mb: float
    output: str


@dataclass
class Row:
    news: int
    kind: str  # "divulga" | "floor"
    seconds: float
    peak_rss_mb: float
    site_mb: float
    news_pages: int
    pagefind_seconds: float | None

    @property
    def ms_per_news_page(self) -> float:
        return self.seconds / self.news_pages * 1000

    @property
    def kb_per_news_page(self) -> float:
        return self.site_mb * 1024 / self.news_pages


def build(config_file: Path, site_dir: Path) -> Build:
    """One `mkdocs build` in its own process; peak RSS from wait4."""
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
    return Build(seconds, usage.ru_maxrss / 1024, output)


def site_size_mb(site_dir: Path) -> float:
    return sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file()) / 1024 / 1024


def news_pages(site_dir: Path) -> int:
    """News item pages in every language (the floor's docs pages sit at the same URLs)."""
    pattern = re.compile(r"^(?:[a-z]{2}/)?news/\d{4}-\d{2}-\d{2}-item-\d+/index\.html$")
    return sum(1 for p in site_dir.rglob("index.html") if pattern.match(p.relative_to(site_dir).as_posix()))


def measure(news: int, repeat: int, work: Path) -> list[Row]:
    site = work / f"site-{news}"
    config = generate(site, news)
    floor_config = generate_floor(site, work / f"floor-{news}")
    rows = []
    for kind, config_file in (("floor", floor_config), ("divulga", config)):
        builds = [build(config_file, config_file.parent / "site") for _ in range(repeat)]
        pagefind = [float(m.group(1)) for b in builds
                    for m in [re.search(r"Search index built in ([\d.]+) seconds", b.output)] if m]
        site_dir = config_file.parent / "site"
        rows.append(Row(
            news=news, kind=kind, seconds=statistics.median(b.seconds for b in builds),
            peak_rss_mb=max(b.peak_rss_mb for b in builds), site_mb=site_size_mb(site_dir),
            news_pages=news_pages(site_dir),
            pagefind_seconds=statistics.median(pagefind) if pagefind else None,
        ))
        print(f"  N={news} {kind}: {rows[-1].seconds:.1f} s", flush=True)
    return rows


def edit_to_preview(config_file: Path, preview_language: str | None, rounds: int = 2) -> float:
    """Seconds from saving a news file to the changed page served by `mkdocs serve`."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(ENV)
    if preview_language:
        env["DIVULGA_PREVIEW_LANGUAGE"] = preview_language
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-f", str(config_file),
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=config_file.parent, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    news_file = sorted((config_file.parent / "content" / "news").glob("*.it.md"))[0]
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
            _wait_for(url, lambda text: marker in text, timeout=600)
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
                         ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "pagefind"))
    return (f"{platform.machine()}, {os.cpu_count()} cores ({cpu}){memory}; "
            f"Python {platform.python_version()}; {versions}")


def table(rows: list[Row]) -> str:
    floors = {row.news: row for row in rows if row.kind == "floor"}
    lines = ["| N | build | wall time (median) | ratio to floor | Pagefind step | peak RSS | site size "
             "| news pages | time per news page | site bytes per news page |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        ratio = row.seconds / floors[row.news].seconds
        pagefind = f"{row.pagefind_seconds:.1f} s" if row.pagefind_seconds is not None else "–"
        lines.append(f"| {row.news:,} | {row.kind} | {row.seconds:.1f} s | {ratio:.2f}× | {pagefind} "
                     f"| {row.peak_rss_mb:.0f} MB | {row.site_mb:.0f} MB | {row.news_pages:,} "
                     f"| {row.ms_per_news_page:.1f} ms | {row.kb_per_news_page:.1f} kB |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-preview", action="store_true", help="skip edit-to-preview")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="divulga-bench-") as tmp:
        work = Path(tmp)
        rows = []
        for news in args.sizes:
            rows += measure(news, args.repeat, work)
        preview = []
        if not args.no_preview:
            config = work / "site-1000" / "mkdocs.yml"
            if not config.exists():
                config = generate(work / "site-1000", 1000)
            for label, language in (("every language", None), ("default language only", "it")):
                seconds = edit_to_preview(config, language)
                preview.append(f"| {label} | {seconds:.1f} s |")
                print(f"  edit-to-preview, {label}: {seconds:.1f} s", flush=True)

    report = [
        "# Benchmarks",
        "",
        "Made by `python benchmarks/run.py` (see its docstring). The corpus comes from",
        "`benchmarks/generate.py`: N news items in every language (about 400 words each,",
        "10 % untranslated, 5 % with a draft translation) and 20 project sheets. The",
        "floor builds the same bodies as plain docs pages with MkDocs, Material and",
        "static-i18n alone (no hooks, navigation limited to the home page).",
        "",
        f"Machine: {machine()}.",
        "",
        f"Repetitions per build: {args.repeat}. Peak RSS is the build process's (Pagefind runs",
        "as a child process and is not included).",
        "",
        table(rows),
    ]
    if preview:
        report += ["", "Edit-to-preview at N = 1,000 (`mkdocs serve --livereload`, time from saving a",
                   "news file to the changed page being served):", "",
                   "| preview | seconds |", "|---|---:|", *preview]
    args.out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    main()
