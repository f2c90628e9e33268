"""Reader-side measurement: Lighthouse (mobile) on one page of each type.

Builds the example site (``mkdocs build --strict`` from the repository root,
into a temporary folder, with SOURCE_DATE_EPOCH fixed), serves it on
127.0.0.1 under ``/divulga/`` (the path of site_url) with a standard-library
HTTP server, and runs Lighthouse on each page of PAGES, one after the other,
with its default profile: a mobile device with simulated throttling (slow 4G,
4x CPU slowdown). Categories: performance, accessibility, best practices, SEO.
Nothing is fetched from the internet: the browser is Debian's Chromium
(CHROME_PATH=/usr/bin/chromium unless set), Lighthouse comes from this
folder's package-lock.json (``npm ci`` here when it is missing).

The server behaves like GitHub Pages where it matters to Lighthouse: text
files (HTML, CSS, JavaScript, JSON, SVG, XML) are sent gzip-compressed to a
browser that accepts it, every response has ``Cache-Control: max-age=600``,
and an unknown address gets the site's 404.html with status 404.
``--no-gzip`` sends everything uncompressed.

Each page is measured three times (``--runs``) and the table gives the
median of each figure; the failing audits come from the run with the median
performance score. Prints a Markdown table (scores x100, LCP, CLS, TBT and
the total transfer, Lighthouse's ``total-byte-weight``, in kB of 1,000
bytes) with every figure that misses its target marked, then the failing
audits (score below 1; informative, manual and not-applicable audits left
out), each with the pages it fails on and the elements or files it names. With
``--write`` the table replaces the section of BENCHMARKS.md between
``<!-- lighthouse:start -->`` and ``<!-- lighthouse:end -->``.

    .venv/bin/python benchmarks/lighthouse/run.py            # print only
    .venv/bin/python benchmarks/lighthouse/run.py --write    # and update BENCHMARKS.md
    .venv/bin/python benchmarks/lighthouse/run.py --runs 1 --only /news/ --reports /tmp/lh

Each Lighthouse run takes 10-20 s, so the whole run about 10 minutes.
Lighthouse's simulated throttling scales with the machine's speed: on a slow
or busy machine it warns that the CPU is slower than it expects, and the
performance score drops a few points. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# The pages measured: (page type, address on the local server, largest total
# transfer in kB or None). Edit freely; addresses start with SUB_PATH.
# The 404 page is opened by its own address: served with status 404,
# Lighthouse stops with "unable to reliably load the page".
PAGES: list[tuple[str, str, float | None]] = [
    ("home", "/divulga/", None),
    ("home (English)", "/divulga/en/", None),
    ("news listing", "/divulga/news/", None),
    ("news item with an illustration", "/divulga/news/2023-09-21-cluster-booster-academy/", 250),
    ("news item with a photo", "/divulga/news/2019-04-15-next-society-piemonte/", 250),
    ("tag page", "/divulga/news/tags/training/", None),
    ("projects index", "/divulga/projects/", None),
    ("project sheet", "/divulga/projects/s3-4alpclusters/", None),
    ("events", "/divulga/events/", None),
    ("event", "/divulga/events/2027-03-16-formazione-cluster-manager-esempio/", None),
    ("404 page (opened as /404.html)", "/divulga/404.html", None),
]

# Lowest score (0-100) of each category on every page.
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CATEGORY_TITLES = {"performance": "performance", "accessibility": "accessibility",
                   "best-practices": "best practices", "seo": "SEO"}

SUB_PATH = "divulga"  # site_url is https://example.github.io/divulga/
SOURCE_DATE_EPOCH = "1717200000"  # 2024-06-01, as in the tests
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
RUN_TIMEOUT = 240  # seconds for one Lighthouse run

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "application/rss+xml", "application/atom+xml", "image/svg+xml",
                "application/manifest+json")


# --------------------------------------------------------------------------
# Building and serving


def build_site(out: Path) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs) if mkdocs.exists() else "mkdocs", "build", "--strict",
               "-f", "mkdocs.yml", "-d", str(out)]
    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, NO_MKDOCS_2_WARNING="1")
    env.pop("DIVULGA_PREVIEW_LANGUAGE", None)  # every language
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"mkdocs build failed:\n{done.stdout}{done.stderr}")


class Handler(SimpleHTTPRequestHandler):
    gzip_text = True

    def log_message(self, format, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and not self.path.split("?", 1)[0].endswith("/"):
            return super().send_head()  # the redirect to the address with a slash
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        status = HTTPStatus.OK
        if not os.path.isfile(path):
            status = HTTPStatus.NOT_FOUND
            path = self.translate_path(f"/{SUB_PATH}/404.html")
        ctype = self.guess_type(path)
        with open(path, "rb") as f:
            body = f.read()
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        compress = self.gzip_text and accepts and ctype.startswith(COMPRESSIBLE)
        if compress:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        self.send_response(status)
        self.send_header("Content-Type", ctype if "charset" in ctype or not ctype.startswith("text/")
                         else ctype + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def serve(root: Path, gzip_text: bool) -> ThreadingHTTPServer:
    handler = type("SiteHandler", (Handler,), {"gzip_text": gzip_text})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --------------------------------------------------------------------------
# Lighthouse


def lighthouse_bin() -> Path:
    wanted = json.loads((HERE / "package.json").read_text())["dependencies"]["lighthouse"]
    installed = HERE / "node_modules" / "lighthouse" / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != wanted:
        print(f"npm ci in {HERE} (Lighthouse {wanted})", file=sys.stderr)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    return HERE / "node_modules" / ".bin" / "lighthouse"


def browser_version() -> str:
    """"Chromium 156.0.8078.114" (the user agent only says 156.0.0.0)."""
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    try:
        out = subprocess.run([chrome, "--version"], capture_output=True, text=True, timeout=30,
                             check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return chrome
    found = re.search(r"(Chromium|Google Chrome|Chrome)\s+([\d.]+)", out)
    return f"{found.group(1)} {found.group(2)}" if found else chrome


def run_lighthouse(binary: Path, url: str, out: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("CHROME_PATH", "/usr/bin/chromium")
    command = [str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
               "--only-categories=performance,accessibility,best-practices,seo",
               f"--chrome-flags={CHROME_FLAGS}"]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired:
        return {"runtimeError": {"code": "TIMEOUT", "message": f"no result after {RUN_TIMEOUT} s"}}
    if done.returncode or not out.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        return {"runtimeError": {"code": f"EXIT {done.returncode}", "message": " / ".join(tail)}}
    return json.loads(out.read_text())


def figures(lhr: dict) -> dict:
    """Scores (0-100) and metrics of one Lighthouse result; None where missing."""
    result: dict = {}
    for category in TARGETS:
        score = lhr.get("categories", {}).get(category, {}).get("score")
        result[category] = None if score is None else round(score * 100)
    audits = lhr.get("audits", {})

    def numeric(audit_id):
        return audits.get(audit_id, {}).get("numericValue")

    result["lcp"] = numeric("largest-contentful-paint")  # ms
    result["cls"] = numeric("cumulative-layout-shift")
    result["tbt"] = numeric("total-blocking-time")  # ms
    weight = numeric("total-byte-weight")
    result["kb"] = None if weight is None else weight / 1000
    return result


# Why an audit fails whatever the templates do; shown beside it.
AUDIT_NOTES = {
    "uses-long-cache-ttl": "the server's `Cache-Control: max-age=600` is GitHub Pages' own, "
                           "which a site cannot change",
}


def failing_audits(lhr: dict) -> dict:
    """What of one Lighthouse result scores below 1.

    {"audits": [{"id", "category", "title", "score", "display", "items"}],
     "metrics": ["First Contentful Paint 1.4 s (0.97)", ...], "warnings": [...]}.
    The metrics (which make the performance score) are kept apart; audits
    the report hides and that weigh nothing (Lighthouse 12's "insights",
    which repeat older audits) are left out.
    """
    audits = lhr.get("audits", {})
    found, seen, metrics = [], set(), []
    for category, data in lhr.get("categories", {}).items():
        for ref in data.get("auditRefs", []):
            audit = audits.get(ref["id"], {})
            mode = audit.get("scoreDisplayMode")
            if ref["id"] in seen or mode in ("informative", "notApplicable", "manual"):
                continue
            if ref.get("group") == "hidden" and not ref.get("weight"):
                continue
            score = audit.get("score")
            if ref.get("group") == "metrics":
                if score is not None and score < 1:
                    metrics.append(f"{_plain(audit.get('title', ref['id']))} "
                                   f"{audit.get('displayValue', '')} ({score:.2f})")
                continue
            if mode != "error" and (score is None or score >= 1):
                continue
            seen.add(ref["id"])
            display = audit.get("displayValue") or ""
            if mode == "error":
                display = f"audit error: {audit.get('errorMessage', '')}"
            found.append({"id": ref["id"], "category": CATEGORY_TITLES.get(category, category),
                          "title": _plain(audit.get("title", "")), "score": score,
                          "display": _plain(display), "items": _items(audit)})
    return {"audits": found, "metrics": metrics,
            "warnings": [_plain(w) for w in lhr.get("runWarnings", [])]}


def _plain(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", str(text))
    return re.sub(r"\s+", " ", text).strip()


def _items(audit: dict) -> tuple[str, ...]:
    """The elements or addresses an audit names (sorted), to find what to fix."""
    names = set()
    for item in (audit.get("details") or {}).get("items") or []:
        if not isinstance(item, dict):
            continue
        node, source = item.get("node"), item.get("source")
        if isinstance(node, dict) and node.get("selector"):
            names.add(node["selector"])
        elif isinstance(item.get("url"), str):
            names.add(re.sub(r"^https?://127\.0\.0\.1:\d+", "", item["url"]))
        elif isinstance(source, dict) and source.get("url"):
            names.add(re.sub(r"^https?://127\.0\.0\.1:\d+", "", source["url"]))
    return tuple(sorted(names))


def _span(values: list[str]) -> str:
    """"Est savings of 340 ms" ... "420 ms" -> "Est savings of 340–420 ms"."""
    values = [v for v in values if v]
    if len(set(values)) <= 1:
        return values[0] if values else ""
    shapes = {re.sub(r"[\d.,]+", "#", v) for v in values}
    numbers = [re.findall(r"[\d.,]*\d", v) for v in values]
    if len(shapes) == 1 and all(len(n) == 1 for n in numbers):
        parsed = sorted(float(n[0].replace(",", "")) for n in numbers)
        low, high = (f"{x:g}" for x in (parsed[0], parsed[-1]))
        return shapes.pop().replace("#", low if low == high else f"{low}–{high}")
    return " / ".join(dict.fromkeys(values))


def _pages(labels: list[str], every: list[str]) -> str:
    if labels == every:
        return "every page"
    if len(labels) > len(every) / 2:
        return "every page but " + ", ".join(l for l in every if l not in labels)
    return ", ".join(labels)


def _order(group) -> tuple:
    """Audits of the categories whose target is 100 first, then performance."""
    audit_id, found = group
    category = found[0][1]["category"]
    rank = [CATEGORY_TITLES[c] for c in ("seo", "accessibility", "best-practices", "performance")]
    return (rank.index(category) if category in rank else len(rank), -len(found), audit_id)


def _names(items, limit: int) -> str:
    items = sorted(items)
    return (", ".join(f"`{i}`" for i in items[:limit])
            + (f" and {len(items) - limit} more" if len(items) > limit else ""))


def audits_text(rows: list[dict]) -> list[str]:
    """The failing audits, each once with the pages it fails on.

    The elements or files an audit names on each of those pages come first,
    then what it names on some pages only.
    """
    every = [row["label"] for row in rows]
    groups: dict[str, list] = {}
    for row in rows:
        for audit in row["failing"]["audits"]:
            groups.setdefault(audit["id"], []).append((row["label"], audit))
    lines = []
    for audit_id, found in sorted(groups.items(), key=_order):
        first = found[0][1]
        scores = sorted(a["score"] for _, a in found if a["score"] is not None)
        score = ("" if not scores else f"score {scores[0]:.2f}" if scores[0] == scores[-1]
                 else f"score {scores[0]:.2f}–{scores[-1]:.2f}")
        facts = ", ".join(x for x in (first["category"], score, _span([a["display"] for _, a in found])) if x)
        common = set.intersection(*(set(a["items"]) for _, a in found))
        line = (f"- `{audit_id}` ({facts}): {first['title']}; "
                f"on {_pages([label for label, _ in found], every)}")
        if audit_id in AUDIT_NOTES:
            lines.append(f"{line} ({AUDIT_NOTES[audit_id]})")
            continue
        if common:
            line += f" — {_names(common, 5)}"
        extras: dict[tuple, list[str]] = {}
        for label, audit in found:
            extra = tuple(sorted(set(audit["items"]) - common))
            if extra:
                extras.setdefault(extra, []).append(label)
        for extra, labels in extras.items():
            line += f"; {'also ' if common else ''}{_names(extra, 3)} on {_pages(labels, every)}"
        lines.append(line)
    warnings: dict[str, list[str]] = {}
    for row in rows:
        if row.get("error"):
            lines.append(f"- Lighthouse failed on {row['label']}: {row['error']}")
        for warning in row["failing"]["warnings"]:
            warnings.setdefault(warning, []).append(row["label"])
    for warning, labels in warnings.items():
        lines.append(f"- run warning: {warning} (on {_pages(labels, every)})")
    metric_rows = [row for row in rows if row["failing"]["metrics"]]
    if metric_rows:
        lines.append("- metrics below a full score (they make the performance score):")
        lines.extend(f"  - {row['label']}: " + ", ".join(row["failing"]["metrics"]) for row in metric_rows)
    return lines or ["- none"]


# --------------------------------------------------------------------------
# Report


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _mark(text: str, missed: bool) -> str:
    return f"**{text}** ✗" if missed else text


def table(rows: list[dict]) -> str:
    head = ("| page | address | performance | accessibility | best practices | SEO "
            "| LCP | CLS | TBT | total transfer |")
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        f = row["figures"]
        cells = [row["label"], f"`{row['path']}`"]
        for category, target in TARGETS.items():
            score = f[category]
            cells.append("error" if score is None else _mark(str(score), score < target))
        cells.append("–" if f["lcp"] is None else f"{f['lcp'] / 1000:.1f} s")
        cells.append("–" if f["cls"] is None else f"{f['cls']:.3f}")
        cells.append("–" if f["tbt"] is None else f"{f['tbt']:.0f} ms")
        if f["kb"] is None:
            cells.append("–")
        else:
            budget = row["max_kb"]
            text = f"{f['kb']:,.0f} kB" + (f" (≤ {budget:g})" if budget is not None else "")
            cells.append(_mark(text, budget is not None and f["kb"] > budget))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def missed_targets(rows: list[dict]) -> int:
    missed = 0
    for row in rows:
        f = row["figures"]
        missed += sum(1 for c, t in TARGETS.items() if f[c] is None or f[c] < t)
        missed += row["max_kb"] is not None and (f["kb"] is None or f["kb"] > row["max_kb"])
    return missed


def section(rows: list[dict], versions: dict, runs: int, gzip_text: bool) -> str:
    targets = ", ".join(f"{CATEGORY_TITLES[c]} ≥ {t}" if t < 100 else f"{CATEGORY_TITLES[c]} {t}"
                        for c, t in TARGETS.items())
    budgets = "; ".join(f"total transfer of the {label} ≤ {kb:g} kB" for label, _, kb in PAGES
                        if kb is not None and any(row["label"] == label for row in rows))
    missed = missed_targets(rows)
    parts = [
        f"Measured on {dt.date.today().isoformat()} with Lighthouse {versions['lighthouse']} "
        f"and {versions['browser']} (Node {versions['node']}), mobile profile "
        f"(simulated slow 4G, 4× CPU slowdown), "
        + ("one run per page" if runs == 1 else f"median of {runs} runs per page")
        + f"; server on 127.0.0.1{' with gzip' if gzip_text else ' without compression'}. "
        f"Targets on every page type: {targets}; {budgets}. Figures that miss "
        f"their target are in bold with ✗ ({missed} missed).",
        "",
        table(rows),
        "",
        ("Failing audits (score below 1; informative and not-applicable audits left out), "
         "each with the pages it fails on:"),
        "",
    ]
    parts.extend(audits_text(rows))
    return "\n".join(parts)


def write_benchmarks(text: str) -> None:
    current = BENCHMARKS_MD.read_text(encoding="utf-8")
    block = f"{START}\n{text}\n{END}"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        _, after = rest.split(END, 1)
        new = before + block + after
    else:
        new = current.rstrip("\n") + "\n\n## Reader side: Lighthouse\n\n" + block + "\n"
    BENCHMARKS_MD.write_text(new, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="update the section of BENCHMARKS.md")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (medians)")
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this folder")
    parser.add_argument("--site", type=Path, help="an already built site instead of building one")
    parser.add_argument("--no-gzip", action="store_true", help="serve everything uncompressed")
    parser.add_argument("--only", metavar="TEXT", help="only the pages whose address contains TEXT")
    parser.add_argument("--check", action="store_true", help="exit with 1 when a target is missed")
    args = parser.parse_args()

    binary = lighthouse_bin()
    with tempfile.TemporaryDirectory(prefix="divulga-lighthouse-") as tmp:
        tmp_path = Path(tmp)
        site = args.site.resolve() if args.site else tmp_path / "site"
        if not args.site:
            print("building the example site", file=sys.stderr)
            build_site(site)
        www = tmp_path / "www"
        www.mkdir()
        (www / SUB_PATH).symlink_to(site, target_is_directory=True)
        reports = args.reports or tmp_path / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        server = serve(www, gzip_text=not args.no_gzip)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        rows, versions = [], {}
        try:
            for index, (label, path, max_kb) in enumerate(PAGES):
                if args.only and args.only not in path:
                    continue
                results = []
                for run in range(args.runs):
                    print(f"{label}: {path} (run {run + 1}/{args.runs})", file=sys.stderr)
                    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"
                    out = reports / f"{index:02d}-{slug}-{run + 1}.json"
                    out.unlink(missing_ok=True)
                    results.append(run_lighthouse(binary, base + path, out))
                ok = [r for r in results if not r.get("runtimeError")]
                for r in ok:
                    versions.setdefault("lighthouse", r.get("lighthouseVersion"))
                all_figures = [figures(r) for r in ok]
                merged = {key: _median([f[key] for f in all_figures])
                          for key in (*TARGETS, "lcp", "cls", "tbt", "kb")}
                for category in TARGETS:
                    if merged[category] is not None:
                        merged[category] = round(merged[category])
                # Audits from the run with the median performance score.
                ranked = sorted(ok, key=lambda r: (r.get("categories", {}).get("performance", {})
                                                   .get("score") or 0))
                chosen = ranked[len(ranked) // 2] if ranked else {}
                errors = [r["runtimeError"] for r in results if r.get("runtimeError")]
                if not errors and chosen.get("runtimeError"):
                    errors = [chosen["runtimeError"]]
                rows.append({"label": label, "path": path, "max_kb": max_kb, "figures": merged,
                             "failing": failing_audits(chosen),
                             "error": "; ".join(f"{e.get('code')}: {e.get('message', '')}"
                                                for e in errors)})
        finally:
            server.shutdown()
            server.server_close()
        versions.setdefault("lighthouse", json.loads(
            (HERE / "node_modules" / "lighthouse" / "package.json").read_text())["version"])
        versions["browser"] = browser_version()
        versions["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True,
                                          check=False).stdout.strip().lstrip("v")
        text = section(rows, versions, args.runs, not args.no_gzip)
        print(text)
        if args.reports:
            print(f"\nJSON reports in {reports}", file=sys.stderr)
        if args.write:
            write_benchmarks(text)
            print(f"\nwritten to {BENCHMARKS_MD}", file=sys.stderr)
    if any(row["error"] for row in rows):
        return 2
    return 1 if args.check and missed_targets(rows) else 0


if __name__ == "__main__":
    sys.exit(main())
