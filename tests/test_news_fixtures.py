"""Small fixture sites built end to end: listings, pagination, drafts, escaping."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import build_fixture, news, site_config

TAGS = "training: {it: Formazione, en: Training}\nevents: Eventi\n"


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """23 bilingual items over two years (2 tags), one draft-only, one Italian-only;
    topic and year pages at 8 entries per page."""
    files = {"content/tags.yaml": TAGS}
    start = dt.date(2023, 12, 20)
    for n in range(23):
        day = (start - dt.timedelta(days=n * 20)).isoformat()
        slug = f"{day}-item-{n:02d}"
        tags = ["training"] if n % 2 == 0 else ["events"]
        files[f"content/news/{slug}.it.md"] = news(f"Notizia {n:02d}", day, f"Testo {n}.", tags=tags)
        files[f"content/news/{slug}.en.md"] = news(f"Item {n:02d}", None, f"Text {n}.")
    files["content/news/2024-02-01-hidden.it.md"] = news("Nascosta", "2024-02-01", draft=True)
    files["content/news/2024-02-01-hidden.en.md"] = news("Hidden", None, draft=True)
    files["content/news/2022-06-01-solo.it.md"] = news("Solo italiano", "2022-06-01", tags=["events"])
    built = build_fixture(tmp_path_factory.mktemp("many"), files, config=site_config(extra={"archive_per_page": 8}))
    assert built.ok, built.output
    return built


def titles(site, url):
    """Titles listed on a page: news listing entries or compact topic/year entries."""
    return [a.get_text(strip=True) for a in site.soup(url).select(".divulga-card__title a")]


def test_listing_paginates_ten_per_page_newest_first(many):
    page1, page2, page3 = titles(many, "en/news/"), titles(many, "en/news/page/2/"), titles(many, "en/news/page/3/")
    assert len(page1) == 10 and len(page2) == 10 and len(page3) == 4
    assert page1[0] == "Item 00" and page2[0] == "Item 10"
    assert "Solo italiano" in page3
    assert not many.exists("en/news/page/4/")
    dates = [t["datetime"] for url in ("news/", "news/page/2/", "news/page/3/")
             for t in many.soup(url).select(".divulga-card time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 24


def test_pagination_links(many):
    nav = many.soup("news/page/2/").select_one("nav.divulga-pagination")
    assert nav.select_one("a[rel=prev]")["href"] == "../../"
    assert nav.select_one("a[rel=next]")["href"] == "../3/"
    assert nav.select_one("[aria-current=page]").get_text() == "2"
    assert "Pagina 2 di 3" in nav.get_text()
    assert many.soup("en/news/page/3/").select_one("a[rel=next]") is None
    assert many.soup("en/news/").select_one("a[rel=prev]") is None


def test_tag_pages_per_language(many):
    assert many.soup("news/tags/training/").h1.get_text() == "Argomento: Formazione"
    assert many.soup("en/news/tags/training/").h1.get_text() == "Topic: Training"
    # 12 items on the topic, 8 per page (archive_per_page), as cards with their summaries
    assert len(titles(many, "en/news/tags/training/")) == 8
    assert titles(many, "en/news/tags/training/page/2/") == ["Item 16", "Item 18", "Item 20", "Item 22"]
    assert not many.exists("en/news/tags/training/page/3/")
    card = many.soup("en/news/tags/training/").select_one("li.divulga-card")
    assert card.time["datetime"] == "2023-12-20" and card.time.get_text() == "20 December 2023"
    assert card.select_one(".divulga-card__summary").get_text()
    assert many.soup("en/news/tags/training/page/2/").select_one("a[rel=prev]")["href"] == "../../"
    # a label shared by all languages
    assert many.soup("en/news/tags/events/").h1.get_text() == "Topic: Eventi"
    tag_link = many.soup("en/news/").select_one(".divulga-card .divulga-tag")
    assert tag_link["href"] == "tags/training/" and tag_link.get_text() == "Training"


def test_year_pages(many):
    assert titles(many, "en/news/archive/2022/") == [
        "Item 18", "Item 19", "Item 20", "Item 21", "Item 22", "Solo italiano"]
    assert many.soup("news/archive/2023/").h1.get_text() == "Notizie del 2023"


def test_drafts_appear_nowhere(many):
    assert not many.exists("news/2024-02-01-hidden/")
    assert not many.exists("en/news/2024-02-01-hidden/")
    for page in many.site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Nascosta" not in text and "Hidden" not in text, page


def test_shared_facts_are_inherited(many):
    """Date and tags written only in the Italian version apply to the English one."""
    soup = many.soup("en/news/2023-12-20-item-00/")
    assert soup.select_one(".divulga-news time")["datetime"] == "2023-12-20"
    assert [a.get_text() for a in soup.select(".divulga-tag")] == ["Training"]


def test_escaping_in_pages_and_listings(tmp_path):
    title = 'Fish & Chips <b>bold</b> "quoted" \'single\''
    summary = "Less < more > & <script>alert(1)</script>"
    built = build_fixture(tmp_path, {
        "content/news/2024-01-01-escape.it.md": news(title, "2024-01-01", summary=summary),
    })
    assert built.ok, built.output
    for url in ("news/2024-01-01-escape/", "en/news/2024-01-01-escape/"):
        soup = built.soup(url)
        assert soup.select_one(".divulga-news h1").get_text() == title
        assert soup.title.get_text().startswith(title)
        assert soup.find("b") is None and soup.find("script", string="alert(1)") is None
    listing = built.soup("news/")
    assert listing.select_one(".divulga-card__title a").get_text() == title
    assert listing.select_one(".divulga-card__summary").get_text() == summary
    assert listing.find("script", string="alert(1)") is None
    assert "<script>alert(1)" not in built.text("news/")


def test_summary_defaults_to_first_paragraph(tmp_path):
    body = "## Heading\n\nThe **first** [paragraph](https://example.org) of the item.\n\nSecond one."
    built = build_fixture(tmp_path, {"content/news/2024-01-01-a.it.md": news("A", "2024-01-01", body)})
    assert built.ok, built.output
    assert built.soup("news/").select_one(".divulga-card__summary").get_text() == \
        "The first paragraph of the item."


def test_third_language_builds_without_code_change(tmp_path):
    languages = [
        {"locale": "it", "name": "Italiano", "default": True, "build": True},
        {"locale": "en", "name": "English", "build": True},
        {"locale": "fr", "name": "Français", "build": True},
    ]
    files = {"content/tags.yaml": TAGS,
             "content/news/2024-03-05-a.it.md": news("Notizia A", "2024-03-05", tags=["training"]),
             "content/news/2024-03-05-a.en.md": news("Item A", None),
             "content/news/2024-03-05-a.fr.md": news("Article A", None),
             "content/news/2024-03-04-b.it.md": news("Notizia B", "2024-03-04")}
    built = build_fixture(tmp_path, files, config=site_config(languages=languages))
    assert built.ok, built.output
    for slug in ("2024-03-05-a", "2024-03-04-b"):
        assert built.exists(f"fr/news/{slug}/")
    assert built.soup("fr/news/2024-03-05-a/").h1.get_text() == "Article A"
    fallback = built.soup("fr/news/2024-03-04-b/")
    assert fallback.html["lang"] == "fr"
    assert fallback.select_one(".divulga-news__body")["lang"] == "it"
    # no French interface strings yet: the notice is English, language name included
    assert fallback.select_one(".divulga-notice").get_text(strip=True) == \
        "This news item is only available in Italian."
    assert fallback.select_one(".divulga-news time").get_text() == "4 mars 2024"
    switcher = {a["hreflang"]: a["href"] for a in fallback.select("a.md-select__link")}
    assert switcher == {"it": "../../../news/2024-03-04-b/", "en": "../../../en/news/2024-03-04-b/", "fr": "./"}
    assert built.exists("fr/news/tags/training/") and built.exists("fr/")


def test_serve_previews_drafts_with_a_badge(tmp_path):
    """`mkdocs serve` shows drafts (badged); `mkdocs build` hides them."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    files = {
        "content/news/2024-02-01-hidden.it.md": news("Bozza in corso", "2024-02-01", draft=True),
        "content/news/2024-02-02-half.it.md": news("Pubblicata", "2024-02-02"),
        "content/news/2024-02-02-half.en.md": news("Translation in progress", None, draft=True),
    }
    built = build_fixture(tmp_path, files)
    assert built.ok, built.output
    assert not built.exists("news/2024-02-01-hidden/")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
                               "-f", str(tmp_path / "mkdocs.yml")], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/divulga/"
    try:
        for _ in range(120):
            try:
                listing = urllib.request.urlopen(base + "news/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("mkdocs serve did not answer")
        assert "Bozza in corso" in listing and "Bozza</span>" in listing
        english = urllib.request.urlopen(base + "en/news/2024-02-02-half/", timeout=5).read().decode()
        assert "Translation in progress" in english and 'class="divulga-badge divulga-badge--draft"' in english
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_preview_language_builds_one_language(tmp_path):
    """The example's mkdocs.yml: DIVULGA_PREVIEW_LANGUAGE builds one language only."""
    from conftest import ROOT, run_build
    result = run_build(ROOT / "mkdocs.yml", tmp_path / "preview", env={"DIVULGA_PREVIEW_LANGUAGE": "it"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "preview" / "news" / "2023-09-21-cluster-booster-academy" / "index.html").is_file()
    assert not (tmp_path / "preview" / "en").exists()
