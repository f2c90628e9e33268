"""Memory over one build: the RSS of the build process and of Pagefind, sampled.

Runs ``mkdocs build`` on a site (one made by benchmarks/generate.py, say)
and reads /proc every ``--every`` seconds: the resident memory of the build
process and of each child (Pagefind), with the build's log lines as they
come, so one sees when memory grows (the languages rendering, each bundle
written). Prints the timeline and the peak of each process (Linux only).

    python benchmarks/generate.py --news 2000 --out /tmp/benchwork/site-2000x2
    python benchmarks/memory.py /tmp/benchwork/site-2000x2/mkdocs.yml --site-dir /tmp/benchwork/out-2000x2
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return str(pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", type=Path, help="the site's mkdocs.yml")
    parser.add_argument("--site-dir", type=Path, required=True, help="a folder that does not exist yet")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--print-every", type=float, default=10, help="seconds between printed samples")
    args = parser.parse_args()
    if args.site_dir.exists():
        raise SystemExit(f"{args.site_dir} exists")
    start = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-f", str(args.config),
                                "-d", str(args.site_dir)], cwd=args.config.parent, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    events: list[tuple[float, str]] = []

    def read_log() -> None:
        for line in process.stdout:
            if line.startswith(("INFO", "WARNING", "ERROR")) and "placeholder" not in line:
                events.append((time.monotonic() - start, line.strip()))

    reader = threading.Thread(target=read_log, daemon=True)
    reader.start()
    peaks: dict[str, float] = {}
    samples: list[tuple[float, dict[str, float]]] = []
    while process.poll() is None:
        now = time.monotonic() - start
        sample = {}
        for pid in [process.pid, *children(process.pid)]:
            if (mb := rss_mb(pid)) is not None:
                label = "build" if pid == process.pid else name(pid)
                sample[label] = sample.get(label, 0) + mb
        for label, mb in sample.items():
            peaks[label] = max(peaks.get(label, 0), mb)
        samples.append((now, sample))
        time.sleep(args.every)
    reader.join(timeout=10)
    printed = -args.print_every
    timeline = sorted([(t, "sample", s) for t, s in samples] + [(t, "log", line) for t, line in events],
                      key=lambda row: row[0])
    for t, kind, what in timeline:
        if kind == "log":
            print(f"{t:7.1f} s  {what}")
        elif t - printed >= args.print_every:
            printed = t
            print(f"{t:7.1f} s  " + ", ".join(f"{label} {mb:.0f} MB" for label, mb in sorted(what.items())))
    print(f"exit status {process.returncode}; wall time {time.monotonic() - start:.1f} s; peaks: "
          + ", ".join(f"{label} {mb:.0f} MB" for label, mb in sorted(peaks.items())))


if __name__ == "__main__":
    main()
