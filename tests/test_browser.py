"""Proof in a real browser: navigation, accessibility, privacy, mobile.

The example site is built with a GitHub-project-pages site_url (/divulga/)
and served from 127.0.0.1 under that sub-path; Debian's Chromium is driven
by Playwright. Screenshots for humans go to a folder the tests print.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_build, serve, site_config

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ACADEMY = "news/2023-09-21-cluster-booster-academy/"
ITALIAN_ONLY = "news/2023-09-22-sistema-poli-innovazione-piemonte/"
SCREENSHOTS = Path(tempfile.gettempdir()) / "divulga-screenshots"


def build_example(tmp: Path, extra: dict) -> None:
    """The example site with ``extra.divulga`` options, built into ``tmp/site``."""
    config = site_config(extra=extra)
    # the content must be inside the site's folder (nothing from outside is published)
    shutil.copytree(ROOT / "docs", tmp / "docs")
    shutil.copytree(ROOT / "content", tmp / "content")
    config_file = tmp / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_build(config_file, tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The example site (3 news per page, to exercise pagination), served."""
    tmp = tmp_path_factory.mktemp("browser")
    build_example(tmp, {"news_per_page": 3})
    running = serve(tmp / "site", tmp / "www")
    yield running
    running.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that records every request, console error and page error."""
    context = browser.new_context()
    tab = context.new_page()
    tab.requests, tab.errors = [], []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


def switch_language(page, name: str) -> None:
    """Use the header's language selector as a reader would."""
    page.locator(".md-header .md-select").first.hover()
    page.locator(".md-header .md-select__link", has_text=name).first.click()
    page.wait_for_load_state()


# -- navigation ---------------------------------------------------------------

def test_open_latest_news_and_switch_language(page, server):
    page.goto(server.url())
    first = page.locator(".divulga-home .divulga-card__title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.url == server.url(ITALIAN_ONLY)
    assert page.locator("h1").first.inner_text() == title
    switch_language(page, "English")
    # untranslated: the English fallback page, with the notice and the Italian text marked
    assert page.url == server.url("en/" + ITALIAN_ONLY)
    assert page.locator(".divulga-notice").inner_text() == "This news item is only available in Italian."
    assert page.locator(".divulga-news__body").get_attribute("lang") == "it"
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto(server.url(ACADEMY))
    switch_language(page, "English")
    assert page.url == server.url("en/" + ACADEMY)
    assert page.locator(".divulga-notice").count() == 0
    switch_language(page, "Italiano")
    assert page.url == server.url(ACADEMY)


def test_pagination_and_tag_links(page, server):
    page.goto(server.url("en/news/"))
    first_page = page.locator(".divulga-card__title a").all_inner_texts()
    assert len(first_page) == 3
    page.locator("a[rel=next]").first.click()
    page.wait_for_load_state()
    assert page.url == server.url("en/news/page/2/")
    second_page = page.locator(".divulga-card__title a").all_inner_texts()
    assert len(second_page) == 3 and not set(first_page) & set(second_page)
    page.locator("a[rel=prev]").first.click()
    page.wait_for_load_state()
    assert page.url == server.url("en/news/")
    page.locator(".divulga-card .divulga-tag", has_text="Training").first.click()
    page.wait_for_load_state()
    assert page.url == server.url("en/news/tags/training/")
    assert page.locator("h1").first.inner_text() == "Topic: Training"


# -- accessibility -------------------------------------------------------------

PAGES = {
    "home": "", "news listing": "news/", "news item": ACADEMY, "fallback item": ITALIAN_ONLY,
    "tag page": "news/tags/training/", "projects index": "projects/",
    "project sheet": "projects/s3-4alpclusters/", "404": "404.html",
    "events": "events/", "event": "events/2027-03-16-formazione-cluster-manager-esempio/",
    "project sheet with partners": "projects/next-society/",
    "results": "results/", "result type": "results/type/report/",
    "result": "results/2017-10-31-piano-azione-transnazionale-s3/", "partners": "partners/",
    "open data": "open-data/",
}


def axe_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE)
    return page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
        return result.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)}));
    }""", WCAG_21_AA)


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_wcag_21_aa_violations(page, server, name, lang):
    path = PAGES[name] if lang == "it" else "en/" + PAGES[name]
    page.goto(server.url(path))
    assert page.locator("html").get_attribute("lang") == lang
    violations = axe_violations(page)
    print(f"axe {lang} {name} ({path or '/'}): {len(violations)} violations")
    assert violations == []


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The example site under `mkdocs serve --dirty`, for the pages only a preview has."""
    from test_preview import Preview
    tmp = tmp_path_factory.mktemp("preview")
    shutil.copytree(ROOT / "docs", tmp / "docs")
    shutil.copytree(ROOT / "content", tmp / "content")
    (tmp / "mkdocs.yml").write_text(yaml.safe_dump(site_config(), allow_unicode=True, sort_keys=False),
                                    encoding="utf-8")
    running = Preview(tmp)
    try:
        running.wait_for("translations/", "<h1", timeout=300)
        yield running
    finally:
        running.close()


@pytest.mark.parametrize("lang", ["it", "en"])
def test_the_translation_status_page_has_no_wcag_21_aa_violations(browser, preview, lang):
    context = browser.new_context()
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(preview.base + ("" if lang == "it" else "en/") + "translations/")
    assert tab.locator("html").get_attribute("lang") == lang
    assert tab.locator("table.divulga-status tbody tr").count() > 20  # every text of the example site
    violations = axe_violations(tab)
    print(f"axe {lang} translation status (preview): {len(violations)} violations")
    assert violations == []
    assert [url for url in requests if not url.startswith("http://127.0.0.1:")] == []
    context.close()


# -- privacy -------------------------------------------------------------------

@pytest.mark.parametrize("path", ["", "en/", ACADEMY, "en/" + ITALIAN_ONLY, "projects/s3-4alpclusters/",
                                  "en/news/", "news/tags/training/", "404.html", "partners/",
                                  "en/projects/next-society/", "results/"])
def test_no_third_party_requests_cookies_or_errors(page, server, path):
    page.goto(server.url(path))
    page.wait_for_load_state("networkidle")
    outside = [url for url in page.requests if not re.match(r"^(http://127\.0\.0\.1:\d+/|data:|blob:)", url)]
    assert outside == []
    assert page.context.cookies() == []
    assert page.errors == []


# -- mobile --------------------------------------------------------------------

def test_mobile_footer_funding_and_navigation(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server.url("en/"))
    funding = page.locator("footer .divulga-funding")
    funding.scroll_into_view_if_needed()
    emblem = funding.locator("img.divulga-emblem")
    assert emblem.is_visible() and emblem.evaluate("img => img.complete && img.naturalWidth > 0")
    statement = funding.locator(".divulga-eu__text")
    assert statement.is_visible() and statement.inner_text() == "Co-funded by the European Union"
    box = funding.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    # the drawer opens and leads to the news section
    page.locator("label.md-header__button[for=__drawer]").first.click()
    page.locator(".md-nav--primary a", has_text="News").first.click()
    page.wait_for_load_state()
    assert page.url == server.url("en/news/")
    context.close()


# -- screenshots for people --------------------------------------------------------

DEVICES = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 375, "height": 667}}


def test_screenshots(browser, server):
    """Every page type, both languages, desktop and phone, whole pages."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = []
    for device, viewport in DEVICES.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for name, path in PAGES.items():
            for lang, prefix in (("it", ""), ("en", "en/")):
                page.goto(server.url(prefix + path))
                page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
                page.wait_for_load_state("networkidle")
                target = SCREENSHOTS / f"{name.replace(' ', '-')}-{lang}-{device}.png"
                page.screenshot(path=str(target), full_page=True)
                shots.append(target)
        context.close()
    print(f"\nScreenshots for review: {SCREENSHOTS}")
    assert all(shot.stat().st_size > 10_000 for shot in shots) and len(shots) == len(PAGES) * 2 * 2


# -- the dissemination look ------------------------------------------------------

STATEMENT = {"it": "Cofinanziato dall'Unione europea", "en": "Co-funded by the European Union"}
PROGRAMME = {"it": "Programma Regionale FESR Piemonte 2021-2027", "en": "Piedmont ERDF Regional Programme 2021-2027"}


def inside_viewport(box: dict, viewport: dict) -> bool:
    return (box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
            and box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"])


@pytest.mark.parametrize("device", list(DEVICES))
def test_funding_band_visible_without_scrolling(browser, server, device):
    """CPR 2021/1060 Annex IX: the emblem and the statement in the page's
    language, with the programme, inside the first screen of every page type."""
    viewport = DEVICES[device]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    for path in ("", "news/", ACADEMY, "news/tags/training/", "projects/s3-4alpclusters/", "about/"):
        for lang, prefix in (("it", ""), ("en", "en/")):
            page.goto(server.url(prefix + path))
            band = page.locator(".divulga-band")
            emblem = band.locator("img.divulga-emblem")
            assert emblem.evaluate("img => img.complete && img.naturalWidth > 0"), (path, lang)
            for part in (emblem, band.locator(".divulga-eu__text"), band.locator(".divulga-band__programme")):
                assert part.is_visible() and inside_viewport(part.bounding_box(), viewport), (device, path, lang)
            assert band.locator(".divulga-eu__text").inner_text() == STATEMENT[lang]
            assert band.locator(".divulga-band__programme").inner_text() == PROGRAMME[lang]
            # the emblem is the EU's: 3:2, at least 28 px high
            box = emblem.bounding_box()
            assert box["height"] >= 28 and abs(box["width"] / box["height"] - 1.5) < 0.02
    context.close()


@pytest.mark.parametrize("device", list(DEVICES))
def test_cards_with_thumbnails(browser, server, device):
    context = browser.new_context(viewport=DEVICES[device])
    page = context.new_page()
    for path, at_least in (("", 3), ("en/news/", 1), ("news/archive/2017/", 1)):
        page.goto(server.url(path))
        cards = page.locator("li.divulga-card--news")
        assert cards.count() >= at_least, path
        pictures = page.locator("li.divulga-card--image .divulga-card__media img")
        assert pictures.count() >= 1, path
        first = pictures.first
        first.scroll_into_view_if_needed()
        first.wait_for(state="visible")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
        box = first.bounding_box()
        assert box["width"] > 100 and box["height"] > 50, path
        # the card's title, date and summary are there
        card = page.locator("li.divulga-card--image").first
        assert card.locator(".divulga-card__title a").inner_text() and card.locator("time").inner_text()
    page.goto(server.url("en/"))
    projects = page.locator(".divulga-cards--projects li.divulga-card--project")
    assert projects.count() == 5
    assert projects.filter(has_text="EU contribution").count() == 2  # those with a budget
    context.close()


@pytest.mark.parametrize("device", list(DEVICES))
def test_project_facts_have_visible_spacing(browser, server, device):
    """Label and value boxes of the facts table do not touch; the partners'
    headers are aligned left; the key figures sit above the table."""
    context = browser.new_context(viewport=DEVICES[device])
    page = context.new_page()
    page.goto(server.url("projects/s3-4alpclusters/"))
    rows = page.locator("table.divulga-facts tr")
    assert rows.count() >= 4
    for index in range(rows.count()):
        label = rows.nth(index).locator("th").evaluate(
            "th => { const r = document.createRange(); r.selectNodeContents(th); return r.getBoundingClientRect().right; }")
        value = rows.nth(index).locator("td").evaluate(
            "td => { const r = document.createRange(); r.selectNodeContents(td); return r.getBoundingClientRect().left; }")
        assert value - label >= 8, (device, index, label, value)
    figures = page.locator("dl.divulga-figures .divulga-figures__item")
    assert figures.count() == 4
    boxes = [figures.nth(i).bounding_box() for i in range(4)]
    for a, b in zip(boxes, boxes[1:]):
        assert b["x"] >= a["x"] + a["width"] or b["y"] >= a["y"] + a["height"]  # no overlap
    assert boxes[-1]["y"] + boxes[-1]["height"] <= rows.first.bounding_box()["y"]
    page.goto(server.url("projects/next-society/"))  # a sheet with partners
    headers = page.locator("table.divulga-partners thead th")
    assert headers.count() == 3
    assert all(headers.nth(i).evaluate("th => getComputedStyle(th).textAlign") in ("left", "start")
               for i in range(headers.count()))
    cells = page.locator("table.divulga-partners tbody tr").first.locator("td")
    name, country = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    name_text = cells.nth(0).evaluate(
        "td => { const r = document.createRange(); r.selectNodeContents(td); return r.getBoundingClientRect().right; }")
    assert country["x"] - name_text >= 8 or country["y"] >= name["y"] + name["height"]
    context.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_add_an_event_to_a_calendar(page, server, prefix):
    """The event page's link downloads the event's .ics (text/calendar); the
    events page offers the whole calendar to download and to subscribe to."""
    page.goto(server.url(prefix + "events/2023-09-21-cluster-booster-academy-torino/"))
    link = page.locator(".divulga-event__actions a[type='text/calendar']")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "2023-09-21-cluster-booster-academy-torino.ics"
    text = open(download.path(), encoding="utf-8").read()
    assert text.startswith("BEGIN:VCALENDAR") and "DTSTART;VALUE=DATE:20230921" in text
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.headers["content-type"].startswith("text/calendar")
    page.goto(server.url(prefix + "events/"))
    subscribe = page.locator(".divulga-calendar-links a").first.get_attribute("href")
    assert subscribe == f"webcal://example.github.io/divulga/{prefix}events/calendar.ics"
    whole = page.request.get(page.locator(".divulga-calendar-links a").nth(1).evaluate("a => a.href"))
    assert whole.ok and whole.headers["content-type"].startswith("text/calendar")
    assert whole.text().count("BEGIN:VEVENT") == 5


def test_tabs_mark_the_current_section(page, server):
    for path, tab in ((ACADEMY, "Notizie"), ("news/tags/training/", "Notizie"), ("events/", "Eventi"),
                      ("en/events/2023-06-06-cluster-booster-academy-online/", "Events"),
                      ("en/projects/s3-4alpclusters/", "Projects"), ("en/news/", "News")):
        page.goto(server.url(path))
        active = page.locator(".md-tabs__item--active")
        assert active.count() == 1 and active.inner_text().strip() == tab, path
    # the site's name once in the page's chrome (the header), not again above the navigation
    page.goto(server.url("en/news/"))
    visible = page.locator("text=Sportello Cluster Piemonte >> visible=true")
    assert visible.count() == 1


# -- search --------------------------------------------------------------------

def open_results(page, term: str) -> list[str]:
    """Type in the header search; return the result links."""
    box = page.locator("input[role=combobox]")
    box.fill(term)
    page.wait_for_function("document.querySelector('[role=status]').textContent.trim() !== ''")
    page.wait_for_timeout(300)  # let the debounced search settle
    return result_links(page)


def result_links(page) -> list[str]:
    """The addresses the result options open."""
    return page.locator("[role=listbox] [role=option]").evaluate_all(
        "options => options.map(o => new URL(o.dataset.href, location.href).href)")


@pytest.mark.parametrize("prefix, term, item", [
    ("", "Dondo", ITALIAN_ONLY),  # only in the Italian-only item's text
    ("en/", "hydrogen", "en/" + ACADEMY),  # in the English Academy report
])
def test_search_stays_in_the_page_language(page, server, prefix, term, item):
    page.goto(server.url(prefix))
    links = open_results(page, term)
    assert server.url(item) in links
    if prefix:
        assert all(link.startswith(server.url("en/")) for link in links)
    else:
        assert not any(link.startswith(server.url("en/")) for link in links)
    page.locator(f"[role=option][data-href='/divulga/{item}']").first.click()
    page.wait_for_url(server.url(item))
    page.wait_for_load_state()
    assert page.url == server.url(item)
    assert page.errors == []


# Phrases that are only inside the example results' PDFs (content/media/*.pdf), each in one language.
PDF_ONLY = {"": ("ecosistema alpino dei cluster di eccellenza", "results/2017-10-31-piano-azione-transnazionale-s3/"),
            "en/": ("Alpine cluster excellence ecosystem", "en/results/2017-10-31-piano-azione-transnazionale-s3/")}


@pytest.mark.parametrize("prefix", list(PDF_ONLY))
def test_search_finds_a_phrase_only_inside_a_pdf_in_its_language(page, server, prefix):
    phrase, result = PDF_ONLY[prefix]
    assert not any(phrase in path.read_text(encoding="utf-8") for path in (ROOT / "content").rglob("*.md"))
    page.goto(server.url(prefix))
    assert server.url(result) in open_results(page, phrase)
    # the other language's document is in the other language's index only
    other_phrase, _ = PDF_ONLY["en/" if not prefix else ""]
    page.goto(server.url(prefix))
    assert server.url(result) not in open_results(page, other_phrase)


def result_count(page) -> int:
    return int(re.search(r"\d+", page.locator("[role=status]").inner_text()).group())


def filter_indexes(page) -> list[str]:
    return [url for url in page.requests if url.endswith(".pf_filter")]


def test_search_filter_narrows_results(page, server):
    page.goto(server.url())
    everything = open_results(page, "cluster")
    total = result_count(page)
    assert any("/news/" in link for link in everything) and any("/projects/" in link for link in everything)
    # the filter lists are filled, from pagefind/it.json: none of Pagefind's filter indexes loaded yet
    assert "Progetti" in page.locator("select[data-filter=type] option").all_inner_texts()
    assert page.locator("select[data-filter=year] option").count() > 1
    assert filter_indexes(page) == []
    page.locator("select[data-filter=type]").select_option(label="Progetti")
    page.wait_for_function(f"!/^{total}\\b/.test(document.querySelector('[role=status]').textContent.trim())")
    page.wait_for_timeout(300)
    projects = result_links(page)
    assert 0 < result_count(page) < total
    assert projects and all("/projects/" in link for link in projects)
    assert filter_indexes(page)  # loaded once a filter is chosen
    assert page.errors == []


@pytest.mark.parametrize("lang", ["it", "en"])
def test_search_filter_lists_are_pagefinds_own(page, server, lang):
    """The values pagefind/<lang>.json lists (made from the plan, divulga.write.search_records) are
    those Pagefind found in the indexed pages, filter by filter."""
    listing = json.loads((server.site_dir / f"pagefind/{lang}.json").read_text(encoding="utf-8"))
    page.goto(server.url("" if lang == "it" else "en/"))
    found = page.evaluate("""async ([bundle, others, base]) => {
        const pagefind = await import(new URL(bundle, document.baseURI).href + "pagefind.js");
        await pagefind.options({baseUrl: base});
        const first = new URL(bundle, document.baseURI);
        for (const other of others) await pagefind.mergeIndex(new URL(other, first).href, {baseUrl: base});
        const filters = await pagefind.filters();
        return Object.fromEntries(Object.entries(filters).map(([name, counts]) => [name, Object.keys(counts).sort()]));
    }""", [f"/divulga/pagefind/{lang}/", listing["bundles"], "/divulga/"])
    assert {name: sorted(values) for name, values in listing["filters"].items()} == found
    assert set(found) == {"type", "year", "tag", "project"}
    assert {"news", "event", "result", "project", "page"} <= set(found["type"])


def test_search_with_keyboard_only(page, server):
    page.goto(server.url("en/"))
    for _ in range(30):  # Tab until the search field has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role')") == "combobox":
            break
    else:
        pytest.fail("the search field is not reachable with Tab")
    page.keyboard.type("Environment Park")
    page.wait_for_function("document.querySelectorAll('[role=listbox] [role=option]').length > 0")
    page.wait_for_timeout(300)
    page.keyboard.press("ArrowDown")
    active = page.evaluate("new URL(document.getElementById(document.activeElement.getAttribute("
                           "'aria-activedescendant')).dataset.href, location.href).href")
    page.keyboard.press("Enter")
    page.wait_for_url(active)
    assert active.startswith(server.url("en/"))


@pytest.mark.parametrize("prefix, term", [("", "cluster"), ("en/", "cluster")])
def test_search_results_state_is_accessible(page, server, prefix, term):
    page.goto(server.url(prefix))
    assert open_results(page, term)
    violations = axe_violations(page)
    print(f"axe {prefix or 'it/'} search results: {len(violations)} violations")
    assert violations == []


def test_search_across_a_language_split_into_several_bundles(browser, tmp_path):
    """A large language's index comes in bundles (extra.divulga.search_pages_per_bundle, so that
    Pagefind's memory stays that of one bundle): the search box merges them, and finds pages of any."""
    build_example(tmp_path, {"search_pages_per_bundle": 4})
    others = json.loads((tmp_path / "site/pagefind/it.json").read_text(encoding="utf-8"))["bundles"]
    assert len(others) >= 3 and others[0] == "../it-2/"
    assert all((tmp_path / "site/pagefind/it" / other / "pagefind-entry.json").is_file() for other in others)
    server = serve(tmp_path / "site", tmp_path / "www")
    context = browser.new_context()
    try:
        tab = context.new_page()
        errors = []
        tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
        tab.on("pageerror", lambda error: errors.append(str(error)))
        for prefix, term, item in (("", "Dondo", ITALIAN_ONLY), ("en/", "hydrogen", "en/" + ACADEMY),
                                   ("", PDF_ONLY[""][0], PDF_ONLY[""][1])):
            tab.goto(server.url(prefix))
            links = open_results(tab, term)
            assert server.url(item) in links, (term, links)
            assert all(link.startswith(server.url("en/")) == bool(prefix) for link in links)
        assert errors == []
    finally:
        context.close()
        server.close()
