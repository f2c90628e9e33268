"""The example site, built exactly as the README says, read back as HTML."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
from conftest import ROOT, load_mkdocs_yml

SLUGS = sorted(p.name.split(".")[0] for p in (ROOT / "content" / "news").glob("*.md"))
ACADEMY = "2023-09-21-cluster-booster-academy"
ITALIAN_ONLY = "2023-09-22-sistema-poli-innovazione-piemonte"
EN_DRAFT = "2023-06-07-cluster-booster-academy-online"


def test_build_is_clean(example_site):
    assert "WARNING" not in example_site.output
    assert "ERROR" not in example_site.output


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_news_item_has_a_page_in_every_language(example_site, prefix):
    assert len(set(SLUGS)) >= 7
    for slug in set(SLUGS):
        assert example_site.exists(f"{prefix}news/{slug}/"), slug


@pytest.mark.parametrize("prefix, lang", [("", "it"), ("en/", "en")])
def test_pages_declare_their_language(example_site, prefix, lang):
    for url in (prefix, f"{prefix}news/", f"{prefix}news/{ACADEMY}/", f"{prefix}about/"):
        assert example_site.soup(url).html["lang"] == lang, url


@pytest.mark.parametrize("url, date", [
    (f"news/{ACADEMY}/", "21 settembre 2023"),
    (f"en/news/{ACADEMY}/", "21 September 2023"),
])
def test_dates_are_localized(example_site, url, date):
    time = example_site.soup(url).select_one(".divulga-news time")
    assert time.get_text(strip=True) == date
    assert time["datetime"] == "2023-09-21"


def test_language_switcher_leads_to_the_same_item(example_site):
    def switcher(url):
        return {a["hreflang"]: a["href"] for a in example_site.soup(url).select("a.md-select__link")}

    assert switcher(f"news/{ACADEMY}/") == {"it": "./", "en": f"../../en/news/{ACADEMY}/"}
    assert switcher(f"en/news/{ACADEMY}/") == {"it": f"../../../news/{ACADEMY}/", "en": "./"}
    assert switcher("en/news/")["it"] == "../../news/"
    assert switcher("news/tags/training/")["en"] == "../../../en/news/tags/training/"
    assert switcher("about/")["en"] == "../en/about/"


def test_untranslated_item_shows_italian_with_notice(example_site):
    soup = example_site.soup(f"en/news/{ITALIAN_ONLY}/")
    assert soup.html["lang"] == "en"
    assert soup.select_one(".divulga-notice").get_text(strip=True) == \
        "This news item is only available in Italian."
    assert soup.select_one(".divulga-news h1")["lang"] == "it"
    assert soup.select_one(".divulga-news__body")["lang"] == "it"
    # the table of contents lists the Italian headings: marked as Italian too
    toc = soup.select_one("nav.md-nav--secondary ul.md-nav__list")
    assert toc["lang"] == "it" and "Come si costruisce un meta-cluster" in toc.get_text()
    italian = example_site.soup(f"news/{ITALIAN_ONLY}/")
    assert not italian.select_one("nav.md-nav--secondary ul.md-nav__list").has_attr("lang")
    assert italian.select_one(".divulga-notice") is None
    assert not italian.select_one(".divulga-news__body").has_attr("lang")


def test_draft_translation_falls_back_to_default_language(example_site):
    soup = example_site.soup(f"en/news/{EN_DRAFT}/")
    assert soup.select_one(".divulga-notice").get_text(strip=True) == \
        "This news item is only available in Italian."
    assert "formazione dei formatori" in soup.select_one("h1").get_text()


def test_listing_is_newest_first_with_badges_for_fallbacks(example_site):
    soup = example_site.soup("en/news/")
    dates = [t["datetime"] for t in soup.select(".divulga-card time")]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) == len(set(SLUGS))
    entry = next(li for li in soup.select(".divulga-card") if ITALIAN_ONLY in li.a["href"])
    assert entry.select_one(".divulga-badge").get_text(strip=True) == "in Italian"
    assert entry.a["lang"] == "it"


def test_title_with_markup_characters_is_escaped(example_site):
    expected = 'Academy online: obiettivi & "formazione dei formatori"'
    item = example_site.soup(f"news/{EN_DRAFT}/")
    assert item.select_one(".divulga-news h1").get_text() == expected
    assert item.title.get_text().startswith(expected)
    assert "obiettivi &amp; &#34;formazione" in example_site.text("news/") or \
        "obiettivi &amp; &quot;formazione" in example_site.text("news/")


def test_home_shows_latest_news(example_site):
    for prefix in ("", "en/"):
        entries = example_site.soup(prefix).select(".divulga-home .divulga-card--news")
        assert 3 <= len(entries) <= 5
        dates = [e.time["datetime"] for e in entries]
        assert dates == sorted(dates, reverse=True)
        assert dates[0] == "2023-09-22"


def test_image_with_alt_text_in_page_language(example_site):
    img = example_site.soup(f"en/news/{ACADEMY}/").select_one(".divulga-news__image img")
    assert img["alt"].startswith("Abstract illustration")
    assert (example_site.site_dir / "media" / "cluster-booster-academy.svg").is_file()
    assert img["src"] == "../../../media/cluster-booster-academy.svg"


def test_navigation_does_not_list_news_items(example_site):
    for prefix, news_label in (("", "Notizie"), ("en/", "News")):
        for url in (prefix, f"{prefix}news/", f"{prefix}news/{ACADEMY}/"):
            links = example_site.soup(url).select("nav.md-nav--primary a[href]")
            assert not any(slug in a["href"] for a in links for slug in SLUGS), url
            assert news_label in [a.get_text(strip=True) for a in links], url


def test_tag_and_year_pages(example_site):
    training = example_site.soup("en/news/tags/training/")
    assert training.h1.get_text() == "Topic: Training"
    assert example_site.soup("news/tags/training/").h1.get_text() == "Argomento: Formazione"
    assert example_site.exists("news/archive/2023/")
    years = [a.get_text() for a in example_site.soup("news/archive/").select(".divulga-link-index a")]
    assert years[0].startswith("2023")


def test_footer_links_to_accessibility_privacy_and_open_data(example_site):
    links = {a.get_text(strip=True): a["href"]
             for a in example_site.soup("en/news/").select(".divulga-footer-links a")}
    assert {label: urljoin("/en/news/", href) for label, href in links.items()} == {
        "Accessibility statement": "/en/accessibility/", "Privacy notice": "/en/privacy/",
        "Open data": "/en/open-data/", "Editors' area": "/admin/"}


def test_parts_reused_from_page_to_page_resolve_from_every_page(example_site):
    """The navigation, header, styles, scripts, footer and search box are
    rendered once per language and page folder, then reused (divulga_reuse):
    from every page their links must lead to the same places, and only the
    pages the navigation shows are marked active in it."""
    nav_pages = {"", "news/", "events/", "results/", "projects/", "partners/", "about/"}
    pages = 0
    for path in example_site.site_dir.rglob("*.html"):
        rel = path.relative_to(example_site.site_dir).as_posix()
        if rel.endswith("404.html") or rel.startswith("admin/"):  # the web editor is the CMS's own page
            continue
        url, lang = "/" + rel.removesuffix("index.html"), "en" if rel.startswith("en/") else "it"
        prefix = "/en/" if lang == "en" else "/"
        soup = example_site.soup(rel)
        footer = {urljoin(url, a["href"]) for a in soup.select(".divulga-footer-links a")}
        assert footer == {prefix + "accessibility/", prefix + "privacy/", prefix + "open-data/", "/admin/"}, rel
        form = soup.select_one("[data-divulga-search-form]")
        assert urljoin(url, form["data-bundle"]) == f"/pagefind/{lang}/", rel
        emblem = soup.select_one(".divulga-funding img.divulga-emblem")
        assert urljoin(url, emblem["src"]) == "/assets/images/eu-emblem.svg", rel
        nav = soup.select_one("nav.md-nav--primary")
        assert {urljoin(url, a["href"]) for a in nav.select("a[href]") if "#" not in a["href"]} == \
            {prefix + target for target in nav_pages}, rel
        active = [urljoin(url, a["href"]) for a in nav.select("a.md-nav__link--active")]
        assert active == ([url] if url.removeprefix(prefix) in nav_pages else []), rel
        assert urljoin(url, soup.select_one("header a.md-logo")["href"]).rstrip("/") + "/" == prefix, rel
        assets = [link["href"] for link in soup.select("link[rel=stylesheet]")] + \
            [script["src"] for script in soup.select("script[src]")]
        assert len(assets) >= 4, rel
        for asset in assets:
            assert (example_site.site_dir / urljoin(url, asset).lstrip("/")).is_file(), (rel, asset)
        config = json.loads(soup.select_one("script#__config").string)
        assert urljoin(url, config["base"] + "/") == "/", rel
        assert (example_site.site_dir / urljoin(url, config["search"]).lstrip("/")).is_file(), rel
        pages += 1
    assert pages > 60


def test_no_third_party_requests(example_site):
    """Nothing a page loads comes from another host (GDPR)."""
    for page in example_site.site_dir.rglob("*.html"):
        soup = example_site.soup(page.relative_to(example_site.site_dir).as_posix())
        for tag, attr in (("script", "src"), ("img", "src"), ("iframe", "src"), ("link", "href")):
            for element in soup.find_all(tag):
                value = element.get(attr, "")
                if tag == "link" and not set(element.get("rel", [])) & {"stylesheet", "preload", "icon", "preconnect", "modulepreload"}:
                    continue
                assert not re.match(r"^(https?:)?//", value), f"{page}: {element}"
    css = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in example_site.site_dir.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_every_page_has_a_description_in_its_language(example_site):
    """Search engines get a description on every page: the site's, per
    language, for the home page, listings and the 404 page; a news item's or a
    sheet's summary for those."""
    config = load_mkdocs_yml(ROOT / "mkdocs.yml")["extra"]["divulga"]["description"]
    pages = 0
    for path in example_site.site_dir.rglob("*.html"):
        rel = path.relative_to(example_site.site_dir).as_posix()
        if rel.startswith("admin/"):  # the web editor, not indexed (robots: noindex)
            continue
        soup = example_site.soup(rel)
        meta = soup.find("meta", attrs={"name": "description"})
        assert meta is not None and meta["content"].strip(), rel
        pages += 1
    assert pages > 50
    for url, lang in (("", "it"), ("en/", "en"), ("news/", "it"), ("en/news/tags/training/", "en"),
                      ("en/404.html", "en"), ("404.html", "it")):
        description = example_site.soup(url).find("meta", attrs={"name": "description"})["content"]
        assert description == " ".join(config[lang].split()), url
    sheet = example_site.soup("en/projects/s3-4alpclusters/").find("meta", attrs={"name": "description"})
    assert sheet["content"].startswith("S3-4AlpClusters")


def test_not_found_pages_link_without_double_slashes(example_site):
    for url, prefix in (("404.html", "/divulga/"), ("en/404.html", "/divulga/en/")):
        soup = example_site.soup(url)
        links = [tag.get("href") or tag.get("src") for tag in soup.select("[href], [src]")]
        links += [form["data-bundle"] for form in soup.select("[data-bundle]")]
        assert links and not [link for link in links if "//" in link.split("://")[-1]], url
        content = [a["href"] for a in soup.select(".md-content a")]
        assert content == [prefix, prefix + "news/", prefix + "projects/"], url


def test_home_is_a_landing_page(example_site):
    for url, lang in (("", "it"), ("en/", "en")):
        soup = example_site.soup(url)
        assert len(soup.select("h1")) == 1 and soup.h1.get_text() == "Sportello Cluster Piemonte"
        assert soup.select_one(".divulga-hero__logo")["src"].endswith("assets/images/logo.svg")
        cards = soup.select(".divulga-home .divulga-card--news")
        assert len(cards) == 4 and any(card.select_one("picture") for card in cards)
        assert len(soup.select(".divulga-cards--projects .divulga-card--project")) == 5
        band = soup.select_one(".divulga-band")
        assert band.find_next("header", class_="md-header") is not None  # above the header
        assert soup.select_one(".divulga-home__intro p")
