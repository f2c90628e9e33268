"""Proof in a real browser: navigation, accessibility, privacy, mobile.

The example site is built with a GitHub-project-pages site_url (/divulga/)
and served from 127.0.0.1 under that sub-path; Debian's Chromium is driven
by Playwright. Screenshots for humans go to a folder the tests print.
"""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The example site (3 news per page, to exercise pagination), served."""
    tmp = tmp_path_factory.mktemp("browser")
    config = site_config(extra={"news_per_page": 3})
    # the content must be inside the site's folder (nothing from outside is published)
    shutil.copytree(ROOT / "docs", tmp / "docs")
    shutil.copytree(ROOT / "content", tmp / "content")
    config_file = tmp / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_build(config_file, tmp / "site")
    assert result.returncode == 0, result.stdout + result.stderr
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


# -- privacy -------------------------------------------------------------------

@pytest.mark.parametrize("path", ["", "en/", ACADEMY, "en/" + ITALIAN_ONLY, "projects/s3-4alpclusters/",
                                  "en/news/", "news/tags/training/", "404.html"])
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

def test_screenshots(browser, server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = []
    for device, viewport in (("desktop", {"width": 1280, "height": 900}), ("mobile", {"width": 375, "height": 740})):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for name, path in (("home", ""), ("news-item", ACADEMY), ("project", "projects/s3-4alpclusters/")):
            for lang, prefix in (("it", ""), ("en", "en/")):
                page.goto(server.url(prefix + path))
                target = SCREENSHOTS / f"{name}-{lang}-{device}.png"
                page.screenshot(path=str(target), full_page=True)
                shots.append(target)
        context.close()
    print(f"\nScreenshots for review: {SCREENSHOTS}")
    assert all(shot.stat().st_size > 10_000 for shot in shots) and len(shots) == 12


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


def result_count(page) -> int:
    return int(re.search(r"\d+", page.locator("[role=status]").inner_text()).group())


def test_search_filter_narrows_results(page, server):
    page.goto(server.url())
    everything = open_results(page, "cluster")
    total = result_count(page)
    assert any("/news/" in link for link in everything) and any("/projects/" in link for link in everything)
    page.locator("select[data-filter=type]").select_option(label="Progetti")
    page.wait_for_function(f"!/^{total}\\b/.test(document.querySelector('[role=status]').textContent.trim())")
    page.wait_for_timeout(300)
    projects = result_links(page)
    assert 0 < result_count(page) < total
    assert projects and all("/projects/" in link for link in projects)


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
