"""The preview under `mkdocs serve --dirty`: only what changed renders again,
and every page that shows the changed data is up to date."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import build_fixture, news

FILES = {
    "content/tags.yaml": "training: {it: Formazione, en: Training}\nnetworking: {it: Reti, en: Networking}\n",
    **{f"content/news/2024-0{n}-10-item-{n}.it.md": news(f"Notizia {n}", f"2024-0{n}-10",
                                                         f"Testo {n}. Vedi [la prima](2024-01-10-item-1.md).",
                                                         tags=["training"] if n % 2 else ["networking"])
       for n in range(1, 7)},
    **{f"content/news/2024-0{n}-10-item-{n}.en.md": news(f"Item {n}", None, f"Text {n}.") for n in range(1, 7)},
}


class Preview:
    """`mkdocs serve --dirty` on a fixture site (or ``command``, given the
    address to serve on); its log kept in a file."""

    def __init__(self, root: Path, command=None):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        address = f"127.0.0.1:{port}"
        command = command(address) if command else [
            sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", address, "-f", str(root / "mkdocs.yml")]
        self.log_path = root / "serve.log"
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(command, cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                                        stdout=self.log_file, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{port}/divulga/"

    def get(self, path: str) -> str:
        return urllib.request.urlopen(self.base + path, timeout=5).read().decode("utf-8")

    def wait_for(self, path: str, text: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                page = self.get(path)
                if text in page:
                    return page
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail(f"{path} never showed {text!r}; log:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def rebuilds(self) -> list[tuple[int, int]]:
        """(rendered, all) pages of every incremental rebuild so far."""
        return [(int(a), int(b)) for a, b in re.findall(r"Preview: rendered (\d+) of (\d+) pages", self.log())]

    def assert_rendered_only_what_changed(self) -> None:
        """The last rebuild rendered some pages, fewer than half (it logs its count once done)."""
        deadline = time.monotonic() + 30
        while not self.rebuilds():
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.1)
        rendered, pages = self.rebuilds()[-1]
        assert 0 < rendered < pages / 2, (rendered, pages)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log_file.close()


@pytest.fixture
def preview(tmp_path):
    built = build_fixture(tmp_path, FILES)
    assert built.ok, built.output
    server = Preview(tmp_path)
    try:
        server.wait_for("news/", "Notizia 6")
        yield server
    finally:
        server.close()


def test_edit_rerenders_only_the_pages_that_show_it(preview, tmp_path):
    item = tmp_path / "content/news/2024-06-10-item-6.it.md"
    item.write_text(item.read_text(encoding="utf-8").replace("Notizia 6", "Notizia sei, corretta"),
                    encoding="utf-8")
    preview.wait_for("news/2024-06-10-item-6/", "Notizia sei, corretta")
    # every page that lists the item shows the new title, the home page's latest news too
    # (they may be written a moment after the item's page)
    for path in ("news/", "news/tags/networking/", "news/archive/2024/", "", "feed.xml"):
        preview.wait_for(path, "Notizia sei, corretta", timeout=30)
    assert "Item 6" in preview.get("en/feed.xml")
    assert "Item 6" in preview.get("en/news/2024-06-10-item-6/")  # the English version is its own
    # its link to another (unchanged) news item still resolves
    assert 'href="../2024-01-10-item-1/"' in preview.get("news/2024-06-10-item-6/")
    assert "WARNING" not in preview.log()
    preview.assert_rendered_only_what_changed()
    # exactly: the item's Italian page, the listings (news, topic, year) and the translation status page
    # that show its Italian title, and both home pages; not the about pages (hand-written, unchanged)
    assert preview.rebuilds()[-1][0] == 7
    assert "Ufficio di prova." in preview.get("about/")
    assert "A 'dirty' build" not in preview.log()
    # heard from the system, not found by walking every file twice a second
    assert "Watching for changes with the system's notifications" in preview.log()


def test_status_page_shows_an_edit_and_every_other_row_as_before(preview, tmp_path):
    """The status page's rows are kept from one rebuild to the next (divulga.adapter.templates.Reuse, kept):
    the edited item's row shows the edit, with its links; every other row is as it was."""
    rows = re.compile(r"<tr[ >].*?</tr>", re.DOTALL)
    before = {lang: rows.findall(preview.get(f"{prefix}translations/")) for lang, prefix in (("it", ""), ("en", "en/"))}
    item = tmp_path / "content/news/2024-06-10-item-6.it.md"
    item.write_text(item.read_text(encoding="utf-8").replace("Notizia 6", "Notizia sei, corretta"),
                    encoding="utf-8")
    after = rows.findall(preview.wait_for("translations/", "Notizia sei, corretta"))
    changed = [(old, new) for old, new in zip(before["it"], after) if old != new]
    assert len(after) == len(before["it"]) and len(changed) == 1, changed
    assert "Notizia 6" in changed[0][0]
    assert '<a href="../news/2024-06-10-item-6/">Notizia sei, corretta</a>' in changed[0][1]
    assert '<a href="../en/news/2024-06-10-item-6/" hreflang="en">' in changed[0][1]
    # the English page names the English title, unchanged, and links from its own place
    assert rows.findall(preview.wait_for("en/translations/", "Item 6")) == before["en"]
    assert '<a href="../news/2024-06-10-item-6/">Item 6</a>' in "".join(before["en"])


def test_a_rebuild_stopped_by_a_mistake_then_the_fix(preview, tmp_path):
    item = tmp_path / "content/news/2024-06-10-item-6.it.md"
    good = item.read_text(encoding="utf-8")
    item.write_text(good.replace("date: '2024-06-10'", "date: '2024-13-45'"), encoding="utf-8")
    deadline = time.monotonic() + 60
    while "2024-06-10-item-6.it.md:3: date" not in preview.log():
        assert time.monotonic() < deadline, preview.log()
        time.sleep(0.1)
    item.write_text(good.replace("Notizia 6", "Notizia sei, corretta"), encoding="utf-8")
    preview.wait_for("news/2024-06-10-item-6/", "Notizia sei, corretta")
    for path in ("news/", "news/tags/networking/", "translations/"):
        preview.wait_for(path, "Notizia sei, corretta", timeout=30)
    # the stopped build rendered nothing: the one after it still renders only what changed
    preview.assert_rendered_only_what_changed()


def test_kept_parts_last_one_rebuild_and_only_while_pages_share_everything_else():
    from divulga.plan.incremental import LastRun

    kept = LastRun()
    kept.begin(False)
    kept[("it", "card", 1)] = ("a",)
    kept[("it", "card", 2)] = ("b",)
    kept.begin(True)
    assert kept.get(("it", "card", 1)) == ("a",)  # used by this build: kept for the next
    kept.begin(True)
    assert kept.get(("it", "card", 1)) == ("a",)
    assert kept.get(("it", "card", 2)) is None  # not used by the last build
    kept.begin(False)  # the templates, settings or docs pages changed
    assert kept.get(("it", "card", 1), "none") == "none"


def test_new_item_and_new_tag_label_reach_every_page(preview, tmp_path):
    (tmp_path / "content/news/2024-08-10-nuova.it.md").write_text(
        news("Notizia nuova", "2024-08-10", "Testo nuovo.", tags=["networking"]), encoding="utf-8")
    preview.wait_for("news/2024-08-10-nuova/", "Notizia nuova")
    for path in ("news/", "news/tags/networking/", "en/news/"):  # English listing: the Italian item
        preview.wait_for(path, "Notizia nuova", timeout=30)
    tags = tmp_path / "content/tags.yaml"
    tags.write_text(tags.read_text(encoding="utf-8").replace("it: Reti", "it: Reti di imprese"), encoding="utf-8")
    preview.wait_for("news/tags/networking/", "Reti di imprese")
    assert "Reti di imprese" in preview.get("news/2024-02-10-item-2/")  # the item's tag list
    assert "Reti di imprese" not in preview.get("news/2024-01-10-item-1/")  # tagged training only


def test_a_hand_written_page_change_renders_everything(preview, tmp_path):
    about = next((tmp_path / "docs").glob("about.it.md"), None) or next((tmp_path / "docs").glob("index.it.md"))
    about.write_text(about.read_text(encoding="utf-8") + "\n\nRiga aggiunta.\n", encoding="utf-8")
    page = "about/" if about.name.startswith("about") else ""
    preview.wait_for(page, "Riga aggiunta.")
    deadline = time.monotonic() + 30
    # the rebuild is over when the server reloads the browsers (static-i18n
    # can leave MkDocs' "Documentation built" line filtered out)
    while "Reloading browsers" not in preview.log().rsplit("Detected file changes", 1)[-1]:
        assert time.monotonic() < deadline, preview.log()
        time.sleep(0.1)
    # the navigation every page shows may have changed: a full build, search index included
    assert "Search index:" in preview.log().rsplit("Detected file changes", 1)[-1]


def test_the_server_hears_of_a_saved_file_from_the_system(tmp_path):
    """What MkDocs' server watched (polling) is watched natively after the swap,
    and a saved file asks for a rebuild; anything but MkDocs' server is left alone."""
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    from divulga.adapter.engine import watch_natively

    (tmp_path / "docs").mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path / "docs"))
    server.watch(str(tmp_path / "docs"))  # watched twice: unwatched once, still watched
    assert watch_natively(server)
    assert not isinstance(server.observer, PollingObserver)
    assert server._watched_paths == {str(tmp_path / "docs"): 2}
    server.unwatch(str(tmp_path / "docs"))
    server.observer.start()
    try:
        (tmp_path / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=10)
            server._want_rebuild = False
            # writing a file is several events (created, modified, closed), which may arrive apart
            while server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=1):
                server._want_rebuild = False
        # a build reads the pages: reading is no change (else every build would ask for the next)
        assert (tmp_path / "docs" / "about.md").read_text(encoding="utf-8")
        with server._rebuild_cond:
            assert not server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=2)
    finally:
        server.observer.stop()
        server.observer.join()
    assert not watch_natively(server)  # already native
    assert not watch_natively(object())


def test_ledger_skips_only_pages_rendered_from_the_same_data():
    from divulga.plan.incremental import RenderLedger
    from divulga.plan.planner import NEWS_ITEM, PlannedPage

    def page(title: str) -> PlannedPage:
        return PlannedPage(key=("news", "a"), lang="it", path="news/a/", kind=NEWS_ITEM, title=title)

    ledger = RenderLedger()
    assert ledger.begin("shared") is False  # first build: everything renders
    ledger.rendered(page("A"))
    assert ledger.begin("shared") is True
    assert ledger.unchanged(page("A")) and not ledger.unchanged(page("B"))
    assert ledger.begin("templates edited") is False and not ledger.unchanged(page("A"))
    ledger.rendered(page("A"))
    assert ledger.begin("templates edited") is True and ledger.unchanged(page("A"))
    ledger.finished()
    ledger.forget_this_build()  # a build stopped before rendering: nothing to forget
    assert ledger.begin("templates edited") is True and ledger.unchanged(page("A"))
    ledger.rendered(page("B"))
    ledger.forget_this_build()  # a build that stopped half way: what it rendered may not be written
    assert not ledger.unchanged(page("B")) and not ledger.unchanged(page("A"))  # the page renders again


def test_links_and_navigation_that_keep_unchanged_pages_known():
    from divulga.plan.incremental import markdown_links, nav_paths
    text = ("See [x](2024-01-10-b.md), [y](<../projects/p/index.md#top>), [z](https://example.org/a.md),\n"
            "![image](../media/x.png) and [ref].\n\n[ref]: ../about.md\n")
    assert markdown_links("news/2024-02-10-a.md", text) == {"news/2024-01-10-b.md", "projects/p/index.md", "about.md"}
    assert nav_paths(["index.md", {"News": "news/index.md"}, {"More": [{"About": "about.md"}]}]) == {
        "index.md", "news/index.md", "about.md"}


def test_a_rebuild_collects_its_garbage_just_after_it():
    """The collector waits during a preview's rebuild and runs just after it
    (divulga.runtime.CollectAfterRebuilds); a rebuild that renders everything
    collects as it goes; nothing stays disabled."""
    import gc

    from divulga.runtime import CollectAfterRebuilds

    assert gc.isenabled()
    collector = CollectAfterRebuilds(delay=0.05, full_every=2)
    try:
        collector.pause()
        assert not gc.isenabled()
        collector.resume()
        deadline = time.monotonic() + 10
        while not gc.isenabled():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert collector.collections == 1
        # a rebuild that starts before the collection: it collects after that rebuild, once
        collector = CollectAfterRebuilds(delay=0.2)
        collector.pause()
        collector.resume()
        collector.pause()
        time.sleep(0.4)
        assert not gc.isenabled() and collector.collections == 0
        collector.resume(now=True)  # every page renders again: collect as it goes
        assert gc.isenabled()
        time.sleep(0.4)
        assert collector.collections == 0
        collector.resume()  # not paused: nothing to do
        assert gc.isenabled()
    finally:
        gc.enable()
