"""First-search transfer: what a reader downloads for their first search.

Serves a built site on 127.0.0.1 under its site_url path, opens a language's
home page in Debian's Chromium (a fresh browser context, so nothing cached),
waits until the page has loaded, then types the query into the header search
box as a reader would, waits for the results to be listed, and counts the bytes
of every request made from the first keystroke on: Pagefind's script and
worker, pagefind/<lang>.json (the language's other bundles and the filter
values), every bundle's metadata and WebAssembly, the index chunks and the
fragments of the results shown (ten). Bytes are uncompressed (a server that
gzips sends fewer; Pagefind's index files are gzipped already).

    python benchmarks/generate.py --news 2000 --out /tmp/bench-2000
    (cd /tmp/bench-2000 && NO_MKDOCS_2_WARNING=1 mkdocs build)
    python benchmarks/search_transfer.py /tmp/bench-2000/site getlup prola
    python benchmarks/search_transfer.py /tmp/bench-2000/site --page en/ train
"""

from __future__ import annotations

import argparse
import functools
import re
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def first_search(site_dir: Path, terms: list[str], sub_path: str = "divulga", page: str = "") -> list[dict]:
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / sub_path).symlink_to(site_dir.resolve(), target_is_directory=True)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=root))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/{sub_path}/"
        results = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                for term in terms:
                    tab = browser.new_context().new_page()  # a fresh cache for every first search
                    tab.goto(base + page)
                    tab.wait_for_load_state("networkidle")
                    responses = []
                    tab.on("response", lambda response: responses.append(response))
                    tab.fill("[data-divulga-search] input[role=combobox]", term)
                    tab.wait_for_function("document.querySelector('[data-divulga-search-status]')"
                                          ".textContent.trim() !== ''", timeout=60_000)
                    tab.wait_for_load_state("networkidle")
                    tab.wait_for_timeout(300)
                    shown = tab.evaluate("document.querySelectorAll('[role=listbox] [role=option]').length")
                    status = tab.inner_text("[data-divulga-search-status]")  # "1.478 risultati"
                    found = re.search(r"\d[\d.,\s]*", status)
                    size = sum(len(response.body()) for response in responses)
                    results.append({"term": term, "results": int(re.sub(r"\D", "", found.group())) if found else 0,
                                    "shown": shown, "requests": len(responses), "bytes": size,
                                    "bundles": len({response.url.rsplit("/", 1)[0] for response in responses
                                                    if response.url.endswith(".pf_meta")})})
                    tab.context.close()
                browser.close()
        finally:
            server.shutdown()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder")
    parser.add_argument("terms", nargs="+")
    parser.add_argument("--page", default="", help="the page to search from, e.g. en/ for English")
    args = parser.parse_args()
    print("| query | results | shown | bundles | requests | bytes transferred |\n|---|---:|---:|---:|---:|---:|")
    for row in first_search(args.site, args.terms, page=args.page):
        print(f"| {row['term']} | {row['results']:,} | {row['shown']} | {row['bundles']} | {row['requests']} "
              f"| {row['bytes']:,} ({row['bytes'] / 1024:.0f} KiB) |")


if __name__ == "__main__":
    main()
