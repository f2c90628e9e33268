"""First-search transfer: what a reader downloads for their first search.

Serves a built site on 127.0.0.1 under its site_url path, opens the home page
in Debian's Chromium, waits until the page has loaded, then runs a search
through Pagefind's JavaScript API and loads the first five results (what the
header search shows at once), counting the bytes of every request that the
search made: the page's language bundle (pagefind/<lang>/): pagefind.js, the
WebAssembly, the metadata, index chunks and result fragments. Bytes are uncompressed (a server that gzips
sends fewer).

    python benchmarks/generate.py --news 2000 --out /tmp/bench-2000
    (cd /tmp/bench-2000 && NO_MKDOCS_2_WARNING=1 mkdocs build)
    python benchmarks/search_transfer.py /tmp/bench-2000/site getlup prola
    python benchmarks/search_transfer.py /tmp/bench-2000/site --page en/ train
"""

from __future__ import annotations

import argparse
import functools
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
                    count = tab.evaluate("""async ([base, term]) => {
                        // the page's own bundle (pagefind/<lang>/), as the header search finds it
                        const form = document.querySelector("[data-divulga-search-form]");
                        const bundle = new URL(form.dataset.bundle, document.baseURI).href;
                        const pagefind = await import(bundle + "pagefind.js");
                        await pagefind.options({baseUrl: base});
                        const search = await pagefind.search(term);
                        await Promise.all(search.results.slice(0, 5).map(r => r.data()));
                        return search.results.length;
                    }""", [f"/{sub_path}/", term])
                    tab.wait_for_timeout(300)
                    size = sum(len(response.body()) for response in responses)
                    results.append({"term": term, "results": count, "requests": len(responses), "bytes": size})
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
    print("| query | results | requests | bytes transferred |\n|---|---:|---:|---:|")
    for row in first_search(args.site, args.terms, page=args.page):
        print(f"| {row['term']} | {row['results']:,} | {row['requests']} | {row['bytes']:,} "
              f"({row['bytes'] / 1024:.0f} KiB) |")


if __name__ == "__main__":
    main()
