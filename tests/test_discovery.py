"""Discovery: feeds, hreflang, sitemap, link previews, JSON-LD, 404 and the search index."""

from __future__ import annotations

import gzip
import html
import json
import re
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

import feedparser
import pytest
from conftest import build_fixture, epoch, news, serve, site_config

SITE = "https://example.github.io/divulga/"
NASTY = 'Fish & Chips <b>x</b> "q" </script><script>alert(1)</script>'

FILES = {
    "content/tags.yaml": "training: {it: Formazione, en: Training}\n",
    "content/projects/alp.yaml": (
        "acronym: ALP\ntitle: {it: Progetto alpino, en: Alpine project}\nprogramme: Interreg\n"
        "summary: {it: Sintesi del progetto., en: Project summary.}\n"
        "budget: {total: 1000, eu_contribution: 800}\nstart: 2020-01-01\nend: 2021-12-31\n"),
    # four bilingual items, one Italian-only, one English-only, one with a draft translation
    **{f"content/news/2024-0{n}-10-item-{n}.it.md": news(f"Notizia {n}", f"2024-0{n}-10",
                                                         f"Testo italiano {n} sulla formazione.",
                                                         tags=["training"], projects=["alp"])
       for n in range(1, 5)},
    **{f"content/news/2024-0{n}-10-item-{n}.en.md": news(f"Item {n}", None, f"English text {n}.")
       for n in range(1, 5)},
    "content/news/2024-05-10-solo-it.it.md": news("Solo italiano", "2024-05-10",
                                                  "Una parola unica: zanzariera."),
    "content/news/2024-06-10-solo-en.en.md": news(NASTY, "2024-06-10", "Only English: marmalade.",
                                                  summary=NASTY),
    "content/news/2024-07-10-draft.it.md": news("Bozza tradotta", "2024-07-10", "Testo."),
    "content/news/2024-07-10-draft.en.md": news("Draft", None, "Text.", draft=True),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_fixture(tmp_path_factory.mktemp("discovery"), FILES, env=epoch("2024-08-01"),
                          config=site_config(extra={"feed_items": 4}))
    assert built.ok, built.output
    return built


def pages(site):
    """Every HTML page on disk except the 404 pages and the web editor, as (relative url, path)."""
    for path in sorted(site.site_dir.rglob("*.html")):
        rel = path.relative_to(site.site_dir).as_posix()
        if rel.endswith("404.html") or rel.startswith(("pagefind/", "admin/")):
            continue
        yield rel[: -len("index.html")], path


def url_to_rel(url: str) -> str:
    assert url.startswith(SITE), url
    return url[len(SITE):]


# -- feeds ------------------------------------------------------------------

def test_feed_per_language_without_fallbacks(site):
    it = feedparser.parse(site.text("feed.xml"))
    en = feedparser.parse(site.text("en/feed.xml"))
    assert not it.bozo and not en.bozo, (it.get("bozo_exception"), en.get("bozo_exception"))
    assert it.feed.language == "it" and en.feed.language == "en"
    # feed_items: 4 newest in each language; no fallbacks (solo-it is absent from English)
    assert [e.title for e in it.entries] == ["Bozza tradotta", "Solo italiano", "Notizia 4", "Notizia 3"]
    assert [e.title for e in en.entries] == [NASTY, "Item 4", "Item 3", "Item 2"]
    first = en.entries[0]
    assert first.link == SITE + "en/news/2024-06-10-solo-en/"
    assert first.id == first.link
    assert html.unescape(first.summary) == NASTY  # shown as text, not as markup
    assert first.published_parsed[:3] == (2024, 6, 10)
    dates = [e.published_parsed for e in it.entries]
    assert dates == sorted(dates, reverse=True)


def test_project_feed_and_feed_links_in_every_head(site):
    feed = feedparser.parse(site.text("en/projects/alp/feed.xml"))
    assert [e.title for e in feed.entries] == ["Item 4", "Item 3", "Item 2", "Item 1"]
    for rel, _ in pages(site):
        link = site.soup(rel).find("link", rel="alternate", type="application/rss+xml")
        expected = "en/feed.xml" if rel.startswith("en/") else "feed.xml"
        assert urljoin(SITE + rel, link["href"]) == SITE + expected, rel


# -- hreflang, canonical ------------------------------------------------------

def test_hreflang_reciprocal_with_x_default_on_every_page(site):
    seen = 0
    for rel, _ in pages(site):
        soup = site.soup(rel)
        links = {l["hreflang"]: l["href"] for l in soup.find_all("link", rel="alternate", hreflang=True)}
        assert set(links) == {"it", "en", "x-default"}, rel
        assert links["x-default"] == links["it"], rel
        assert soup.find("link", rel="canonical")["href"] == SITE + rel, rel
        assert links["en" if rel.startswith("en/") else "it"] == SITE + rel, rel
        for lang in ("it", "en"):
            target = url_to_rel(links[lang])
            assert site.exists(target), (rel, target)
            back = {l["hreflang"]: l["href"] for l in site.soup(target).find_all("link", rel="alternate", hreflang=True)}
            assert back == links, (rel, target)
        seen += 1
    # 19 pages per language: home, about, 7 news, 5 listings, the events, the results, partners, 2 project pages
    assert seen == 38


# -- sitemap -------------------------------------------------------------------

def test_sitemap_lists_every_page_with_alternates(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(site.text("sitemap.xml"))
    entries = {u.find("s:loc", ns).text: u for u in root.findall("s:url", ns)}
    # every page, and the open data files (the same for every language)
    data = {rel for rel in map(url_to_rel, entries) if rel.startswith("data/")}
    assert {url_to_rel(loc) for loc in entries} - data == {rel for rel, _ in pages(site)}
    assert {"data/projects.json", "data/projects.csv", "data/events.json", "data/results.json"} <= data
    assert all(not entries[SITE + rel].findall("x:link", ns) for rel in data)  # no language alternates
    item = entries[SITE + "en/news/2024-04-10-item-4/"]
    assert item.find("s:lastmod", ns).text == "2024-04-10"
    alternates = {l.get("hreflang"): l.get("href") for l in item.findall("x:link", ns)}
    assert alternates == {"it": SITE + "news/2024-04-10-item-4/", "en": SITE + "en/news/2024-04-10-item-4/",
                          "x-default": SITE + "news/2024-04-10-item-4/"}
    assert entries[SITE + "news/"].find("s:lastmod", ns).text == "2024-07-10"


# -- link previews and structured data -------------------------------------------

def test_open_graph_per_page(site):
    def meta(soup, prop):
        return [m["content"] for m in soup.find_all("meta", property=prop)]

    item = site.soup("news/2024-04-10-item-4/")
    assert meta(item, "og:locale") == ["it_IT"] and meta(item, "og:locale:alternate") == ["en_GB"]
    assert meta(item, "og:type") == ["article"]
    assert meta(item, "article:published_time") == ["2024-04-10"]
    assert meta(item, "og:image") == [SITE + "assets/images/social.png"]
    assert meta(item, "og:title") == ["Notizia 4"]
    assert meta(item, "og:description") == ["Testo italiano 4 sulla formazione."]
    nasty = site.soup("en/news/2024-06-10-solo-en/")
    assert meta(nasty, "og:title") == [NASTY] and meta(nasty, "og:description") == [NASTY]
    assert nasty.find("meta", attrs={"name": "description"})["content"] == NASTY
    assert meta(site.soup("en/"), "og:type") == ["website"]
    assert (site.site_dir / "assets" / "images" / "social.png").is_file()


def test_json_ld_parses_everywhere(site):
    types = {}
    for rel, path in pages(site):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            data = json.loads(block)
            types.setdefault(data["@type"], []).append((rel, data))
    assert len(types["Organization"]) == len(list(pages(site)))
    articles = dict(types["NewsArticle"])
    nasty = articles["en/news/2024-06-10-solo-en/"]
    assert nasty["headline"] == NASTY and nasty["inLanguage"] == "en" and nasty["datePublished"] == "2024-06-10"
    assert nasty["publisher"]["name"] == "Sportello Cluster Piemonte"
    assert articles["en/news/2024-05-10-solo-it/"]["inLanguage"] == "it"
    project = dict(types["Project"])["en/projects/alp/"]
    assert project["name"] == "Alpine project" and project["alternateName"] == "ALP"
    assert project["funding"]["@type"] == "MonetaryGrant"
    assert project["funding"]["funder"]["name"] == "European Union"
    assert project["funding"]["amount"] == {"@type": "MonetaryAmount", "currency": "EUR", "value": 800.0}


def test_404_page_per_language(site):
    assert site.soup("404.html").h1.get_text() == "Pagina non trovata"
    en = site.soup("en/404.html")
    assert en.h1.get_text() == "Page not found" and en.html["lang"] == "en"
    assert en.find("a", href="/divulga/en/news/") is not None
    assert "404" not in site.text("sitemap.xml")


# -- search index ------------------------------------------------------------------

def test_search_index_per_language(site):
    """One bundle per language, each holding that language's index only."""
    counts = {}
    for lang in ("it", "en"):
        entry = json.loads(site.text(f"pagefind/{lang}/pagefind-entry.json"))
        counts.update({code: info["page_count"] for code, info in entry["languages"].items()})
    # it: 2 docs pages + 6 news written in Italian + 1 project; en: 2 docs + 5 news + 1 project
    # (fallback copies of untranslated items are not indexed)
    assert counts == {"it": 9, "en": 8}
    assert not site.exists("pagefind/pagefind-entry.json")
    for rel, bundle in (("", "/pagefind/it/"), ("news/", "/pagefind/it/"), ("en/news/", "/pagefind/en/")):
        form = site.soup(rel).select_one("[data-divulga-search-form]")
        assert urljoin("/" + rel, form["data-bundle"]) == bundle
    for rel in ("news/", "news/tags/training/", "news/archive/2024/", "projects/", "en/news/2024-05-10-solo-it/"):
        assert "data-pagefind-body" not in site.text(rel), rel
    indexed = set(_fragments(site, "en"))
    assert "/en/news/2024-04-10-item-4/" in indexed and "/en/news/2024-05-10-solo-it/" not in indexed


def _fragments(site, lang: str) -> dict[str, dict]:
    """What Pagefind stored per page of a bundle (gzip'd JSON after a signature), by URL."""
    fragments = {}
    for path in (site.site_dir / "pagefind" / lang / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        fragments[fragment["url"]] = fragment
    return fragments


def test_search_reads_only_the_indexed_part_of_a_page(site):
    """Pagefind gets the marked part of each page: the home page's list of
    latest news (with its tags) and the footer's EU emblem stay out of it."""
    fragments = _fragments(site, "it")
    home = fragments["/"]  # site-relative: the search script adds the base path
    assert home["filters"] == {"type": ["page"]}
    assert "image" not in home["meta"]
    item = fragments["/news/2024-01-10-item-1/"]
    assert item["meta"]["title"] == "Notizia 1" and item["meta"]["date"]
    assert item["filters"]["tag"] == ["Formazione"] and item["filters"]["project"] == ["ALP"]
    assert "Testo italiano 1" in item["content"] and "Menu" not in item["content"]
    # the record of a news item is built before rendering, with content escaped
    nasty = _fragments(site, "en")["/en/news/2024-06-10-solo-en/"]
    assert nasty["meta"]["title"] == NASTY and nasty["filters"]["type"] == ["news"]


def test_indexed_part_keeps_title_and_marked_element():
    from divulga.write.search_index import INDEXED_END, INDEXED_START, indexed_part
    page = (f'<html><head><title>T &amp; U</title><meta name="x"></head><body><nav>Menu</nav>'
            f'{INDEXED_START}<article data-pagefind-body>Body</article>{INDEXED_END}<footer>F</footer></body></html>')
    part = indexed_part(page, "it")
    assert part.startswith('<!doctype html><html lang="it">') and "<title>T &amp; U</title>" in part
    assert "<article data-pagefind-body>Body</article>" in part
    assert "Menu" not in part and "<footer>" not in part and 'name="x"' not in part
    unmarked = "<html><body><main data-pagefind-body>x</main></body></html>"
    assert indexed_part(unmarked, "it") == unmarked


PAGE = ('<html lang="{lang}"><head><title>x</title></head><body><nav>Menu</nav>'
        '<article data-pagefind-body data-pagefind-filter="type:news"><h1>{title}</h1><p>{text}</p></article>'
        '</body></html>')


def test_search_indexer_writes_one_bundle_per_language(tmp_path):
    """The core's indexer on its own: pages in, a bundle per language out."""
    from divulga.write.search_index import SearchIndexer
    indexer = SearchIndexer(tmp_path)
    indexer.add_page("it", "/news/a/", PAGE.format(lang="it", title="Formazione", text="zanzariera"),
                     [("type", "news"), ("year", "2024"), ("tag", "Rete")])
    indexer.add_page("it", "/news/b/", PAGE.format(lang="it", title="Rete", text="cluster"),
                     [("type", "news"), ("year", "2023"), ("tag", "Rete"), ("tag", "Formazione")])
    indexer.write_language("it")
    indexer.add_page("en", "/en/news/a/", PAGE.format(lang="en", title="Training", text="marmalade"))
    report = indexer.finish()
    assert report.pages == {"it": 2, "en": 1} and report.waited >= 0
    # what the search box reads first: the other bundles (none) and each filter's values, sorted
    assert json.loads((tmp_path / "pagefind" / "it.json").read_text()) == {
        "bundles": [], "filters": {"tag": ["Formazione", "Rete"], "type": ["news"], "year": ["2023", "2024"]}}
    assert json.loads((tmp_path / "pagefind" / "en.json").read_text()) == {"bundles": [], "filters": {}}
    for lang, count in (("it", 2), ("en", 1)):
        entry = json.loads((tmp_path / "pagefind" / lang / "pagefind-entry.json").read_text())
        assert {code: info["page_count"] for code, info in entry["languages"].items()} == {lang: count}
        assert (tmp_path / "pagefind" / lang / "pagefind.js").is_file()
        assert len(list((tmp_path / "pagefind" / lang / "fragment").iterdir())) == count


# A stand-in for Pagefind's service: it answers each request in turn, as Pagefind does; a NewIndex
# only once the test opens the gate (or with an error when the gate says "refuse"); every request
# is logged.
FAKE_PAGEFIND = """#!{python}
import base64, json, sys, time
from pathlib import Path
gate, log = Path({gate!r}), Path({log!r})
pending, indexes = b"", 0
while chunk := sys.stdin.buffer.read1(1 << 16):
    pending += chunk
    *messages, pending = pending.split(b",")
    for raw in messages:
        request = json.loads(base64.b64decode(raw))
        payload = request["payload"]
        with log.open("a") as out:
            out.write(json.dumps([payload["type"], payload.get("index_id"), payload.get("url"),
                                  payload.get("config", {{}}).get("force_language")]) + "\\n")
        answer = {{"type": payload["type"]}}
        if payload["type"] == "NewIndex":
            while not gate.exists():
                time.sleep(0.01)
            if gate.read_text() == "refuse":
                answer = {{"type": "Error", "message": "no room"}}
            else:
                indexes += 1
                answer["index_id"] = 100 + indexes
        elif payload["type"] == "WriteFiles":
            Path(payload["output_path"]).mkdir(parents=True)
        reply = json.dumps({{"message_id": request["message_id"], "payload": answer}}).encode()
        sys.stdout.buffer.write(base64.b64encode(reply) + b",")
        sys.stdout.buffer.flush()
"""


def fake_pagefind(tmp_path):
    import sys
    script = tmp_path / "fake-pagefind"
    script.write_text(FAKE_PAGEFIND.format(python=sys.executable, gate=str(tmp_path / "gate"),
                                           log=str(tmp_path / "log")))
    script.chmod(0o755)
    return script, tmp_path / "gate", tmp_path / "log"


def test_search_indexer_hands_pages_over_before_pagefind_has_made_their_index(tmp_path):
    """Pagefind answers in turn: a language's index is made after every page handed over before.
    The build does not wait for it: a bundle's pages are held until their index has its id, then
    go in the order they came."""
    from divulga.write.search_index import SearchIndexer
    executable, gate, log = fake_pagefind(tmp_path)
    site = tmp_path / "site"
    indexer = SearchIndexer(site, executable=executable)
    for number in range(3):
        indexer.add_page("it", f"/news/{number}/", PAGE.format(lang="it", title="Rete", text="cluster"))
    indexer.write_language("it")
    indexer.add_page("en", "/en/news/0/", PAGE.format(lang="en", title="Network", text="cluster"))
    gate.write_text("open")  # with a build that waited for the index, this line was never reached
    report = indexer.finish(timeout=60)
    assert report.pages == {"it": 3, "en": 1}
    requests = [json.loads(line) for line in log.read_text().splitlines()]
    assert requests[:2] == [["NewIndex", None, None, "it"], ["NewIndex", None, None, "en"]]
    assert [request[::2] for request in requests if request[1] == 101] == [
        ["AddFile", "/news/0/"], ["AddFile", "/news/1/"], ["AddFile", "/news/2/"], ["WriteFiles", None],
        ["DeleteIndex", None]]
    assert [request[::2] for request in requests if request[1] == 102] == [
        ["AddFile", "/en/news/0/"], ["WriteFiles", None], ["DeleteIndex", None]]
    assert len(requests) == 10
    assert (site / "pagefind" / "it").is_dir() and (site / "pagefind" / "en").is_dir()


def test_search_indexer_reports_an_index_pagefind_could_not_make(tmp_path):
    from divulga.write.search_index import SearchIndexer, SearchIndexError
    executable, gate, log = fake_pagefind(tmp_path)
    indexer = SearchIndexer(tmp_path / "site", executable=executable)
    indexer.add_page("it", "/news/0/", PAGE.format(lang="it", title="Rete", text="cluster"))
    gate.write_text("refuse")
    with pytest.raises(SearchIndexError, match="could not start the it index: no room"):
        indexer.finish(timeout=60)
    assert "AddFile" not in log.read_text()


def test_search_indexer_reports_a_missing_binary(tmp_path):
    from divulga.write.search_index import SearchIndexer, SearchIndexError
    with pytest.raises(SearchIndexError, match="could not start Pagefind"):
        SearchIndexer(tmp_path, executable=tmp_path / "no-such-pagefind")


def test_search_off_writes_no_index(tmp_path):
    built = build_fixture(tmp_path, {"content/tags.yaml": "{}\n",
                                     "content/news/2024-01-10-a.it.md": news("Uno", "2024-01-10")},
                          config=site_config(extra={"search": False}))
    assert built.ok, built.output
    assert not built.exists("pagefind/it/pagefind.js") and "Search index" not in built.output
    # no search box leading nowhere
    for rel in ("", "news/2024-01-10-a/"):
        page = built.text(rel)
        assert "data-divulga-search-form" not in page and "divulga-search.js" not in page, rel


@pytest.mark.browser
def test_search_finds_italian_words_only_in_italian_index(site, browser, tmp_path):
    server = serve(site.site_dir, tmp_path / "www")
    try:
        page = browser.new_page()

        def search(path, term, filters=None):
            page.goto(server.url(path))
            return page.evaluate("""async ([bundle, term, filters]) => {
                const pagefind = await import(bundle + "pagefind.js");
                await pagefind.options({baseUrl: "/divulga/"});
                const search = await pagefind.search(term, filters ? {filters} : {});
                return Promise.all(search.results.map(async r => (await r.data()).url));
            }""", [server.url("pagefind/" + ("en/" if path.startswith("en/") else "it/")), term, filters])

        assert search("", "zanzariera") == ["/divulga/news/2024-05-10-solo-it/"]
        assert search("en/", "zanzariera") == []  # the English fallback copy is not indexed
        assert search("en/", "marmalade") == ["/divulga/en/news/2024-06-10-solo-en/"]
        assert search("", "marmalade") == []
        hits = search("", "formazione")
        assert hits and all(not url.startswith("/divulga/en/") for url in hits)
        assert search("", "formazione", {"type": "project"}) == []
        assert sorted(search("", "formazione", {"type": "news"})) == sorted(hits)
        page.close()
    finally:
        server.close()
