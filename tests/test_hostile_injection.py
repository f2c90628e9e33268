"""Hostile but valid content never runs as script: every template under
overrides/ renders with Jinja's autoescape on (divulga/adapter/events.py,
_autoescape), and values meant as HTML are Markup made in Python.

One small site carries script-like text in every field an editor fills in
(titles, summaries, authors, image alternatives and file names, topic
labels, project acronyms, partner names, addresses); each page built from it
is read with BeautifulSoup and loaded in Chromium. (Raw HTML in a news body
is another matter: the body sanitizer's tests.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
import yaml
from conftest import MINIMAL_DOCS, ROOT, build_fixture, news, serve
from markupsafe import Markup

SCRIPT = '"><script>window.__pwned=1;alert(1)</script>'
CLOSE = "</script><script>window.__pwned=2;alert(2)</script>"
QUOTE = "' onmouseover='window.__pwned=3' x='"
IMG = '<img src=x onerror="window.__pwned=4">'
JINJA = "{{ 7*7 }} {% raw %}{{ 6*6 }}{% endraw %} {# hidden #}"
BODY_JINJA = "{{ config.site_name }} {% raw %}{{ 6 + 6 }}{% endraw %}"  # no * for Markdown


def hostile(label: str) -> str:
    """A label followed by every payload, as an editor could type it."""
    return f"{label} {SCRIPT} {CLOSE} {QUOTE} {IMG} {JINJA}"


# Legal file names in content/media/ that would close the src="…" attribute.
IMAGE_DOUBLE = 'x" onerror="window.__pwned=5".svg'
IMAGE_SINGLE = "y' onerror='window.__pwned=6' x='.svg"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20"/></svg>\n'
# Escaped once in <title> (Material prints page.meta.title as it is) and in
# the header (our partials/header.html, autoescaped).
PLAIN_TITLE = 'A & B <i>x</i> "q"'
# A URL that passes the sheet's https check but would leave the href attribute.
URL = 'https://example.org/"><script>window.__pwned=7</script>'
EMAIL = "x'onmouseover='window.__pwned=8'@example.org"

PROJECT = {
    "acronym": hostile("ACR"),
    "title": {"it": hostile("Titolo progetto"), "en": hostile("Project title")},
    "programme": hostile("Programme"),
    "fund": hostile("Fund"),
    "start": "2023-01-01",
    "end": "2025-12-31",
    "budget": {"currency": "EUR", "total": 1000, "eu_contribution": 500},
    "summary": {"it": hostile("Sommario *md*"), "en": hostile("Summary *md*")},
    "objectives": [hostile("Objective")],
    "partners": [{"name": hostile("Partner"), "country": "IT", "role": "lead", "url": URL}],
    "website": URL,
    "contact": {"name": hostile("Contact"), "email": EMAIL},
    "tags": ["hostile"],
}

FILES = {
    "content/tags.yaml": yaml.safe_dump({"hostile": {"it": hostile("Etichetta"), "en": hostile("Label")}},
                                        allow_unicode=True),
    f"content/media/{IMAGE_DOUBLE}": SVG,
    f"content/media/{IMAGE_SINGLE}": SVG,
    "content/projects/hostile.yaml": yaml.safe_dump(PROJECT, allow_unicode=True, sort_keys=False),
    "content/news/2024-03-01-hostile.it.md": news(
        hostile("Titolo"), "2024-03-01", body=f"Testo {BODY_JINJA}", summary=hostile("Sommario"),
        author=hostile("Autore"), tags=["hostile"], projects=["hostile"], image=IMAGE_DOUBLE,
        image_alt=hostile("Alt")),
    "content/news/2024-03-01-hostile.en.md": news(
        hostile("Title"), None, body=f"Text {BODY_JINJA}", summary=hostile("Summary"), author=hostile("Author")),
    "content/news/2024-02-01-quotes.it.md": news(
        hostile("Virgolette"), "2024-02-01", image=IMAGE_SINGLE, image_alt=hostile("Alt2")),
    "content/news/2024-01-01-plain.it.md": news(PLAIN_TITLE, "2024-01-01"),
}

# A hand-written page whose title MkDocs takes from its heading, as HTML text.
DOCS_TITLE = """Chi & perché: 1 < 2 "q" 'y'"""
DOCS = {**MINIMAL_DOCS, "docs/about.it.md": f"# {DOCS_TITLE}\n\nTesto.\n"}

NEWS_ITEM = "news/2024-03-01-hostile/"
OWN_JSON = ("application/json", "application/ld+json")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_fixture(tmp_path_factory.mktemp("hostile"), FILES, docs=DOCS)
    assert built.ok, built.output
    assert "Traceback" not in built.output
    return built


def pages(site) -> list[str]:
    """Every HTML page of the built site, by URL ("" for the home page)."""
    urls = []
    for path in site.site_dir.rglob("*.html"):
        rel = path.relative_to(site.site_dir).as_posix()
        urls.append(rel.removesuffix("index.html") if path.name == "index.html" else rel)
    return sorted(urls)


def test_pages_under_test_exist(site):
    for url in ("", "en/", NEWS_ITEM, "en/" + NEWS_ITEM, "news/", "news/tags/", "news/tags/hostile/",
                "news/archive/2024/", "projects/", "projects/hostile/", "en/projects/hostile/", "404.html"):
        assert site.exists(url), url


def test_no_injected_script_or_handler(site):
    checked = 0
    for url in pages(site):
        soup = site.soup(url)
        for script in soup.find_all("script"):
            if script.get("type") in OWN_JSON:
                json.loads(script.string)  # one whole JSON value: "</script>" did not end it
            else:
                assert "pwned" not in str(script), (url, str(script)[:200])
        for element in soup.find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            assert not handlers, (url, element.name, handlers)
            for name in ("href", "src"):
                value = element.get(name)
                assert not (isinstance(value, str) and value.strip().lower().startswith("javascript:")), (url, value)
        # Jinja syntax in content is text: wherever it shows, it shows whole
        text = soup.get_text()
        assert text.count("{{ 7*7 }}") == text.count(JINJA), url
        checked += 1
    assert checked > 20


def test_values_are_printed_literally_once(site):
    soup = site.soup(NEWS_ITEM)
    assert soup.h1.get_text() == hostile("Titolo")
    assert soup.select_one(".divulga-author").get_text().endswith(hostile("Autore"))
    assert [a.get_text() for a in soup.select(".divulga-tag")] == [hostile("Etichetta")]
    assert [a.get_text() for a in soup.select(".divulga-related a")] == [
        f"{hostile('ACR')} – {hostile('Titolo progetto')}"]
    assert soup.find("meta", attrs={"name": "description"})["content"] == hostile("Sommario")
    assert soup.find("meta", property="og:title")["content"] == hostile("Titolo")
    assert soup.select_one(".divulga-news__body").get_text().strip() == f"Testo {BODY_JINJA}"
    image = soup.select_one(".divulga-news__image img")
    assert image["src"].endswith("media/" + IMAGE_DOUBLE)
    assert image["alt"] == hostile("Alt")
    # an SVG is published as it is: no sizes to offer; the first picture loads at once
    assert set(image.attrs) == {"src", "alt", "decoding"}
    image = site.soup("news/2024-02-01-quotes/").select_one(".divulga-news__image img")
    assert image["src"].endswith("media/" + IMAGE_SINGLE) and set(image.attrs) == {"src", "alt", "decoding"}
    graph = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    assert hostile("Titolo") in [item.get("headline") for item in graph]

    sheet = site.soup("projects/hostile/")
    assert sheet.h1.get_text() == hostile("Titolo progetto")
    assert sheet.select_one(".divulga-project__acronym").get_text() == hostile("ACR")
    partner = sheet.select_one(".divulga-partners tbody a")
    assert (partner["href"], partner.get_text()) == (URL, hostile("Partner"))
    links = {a["href"] for a in sheet.select("section a")}
    assert URL in links and "mailto:" + EMAIL in links
    summary = sheet.find(id="divulga-summary").find_next("div")
    assert summary.em.get_text() == "md" and "<script>" in summary.get_text()


def test_plain_title_is_escaped_once(site):
    """<title> (Material's base.html) and the header topic (our header.html)."""
    soup = site.soup("news/2024-01-01-plain/")
    site_name = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"]
    assert soup.title.get_text() == f"{PLAIN_TITLE} - {site_name}"
    topic = soup.select_one('[data-md-component="header-topic"] .md-ellipsis')
    assert topic.get_text(strip=True) == PLAIN_TITLE and not topic.find("i")
    assert soup.h1.get_text() == PLAIN_TITLE
    raw = site.text("news/2024-01-01-plain/")
    assert "&amp;amp;" not in raw and "&amp;lt;" not in raw and "&amp;#" not in raw


def test_heading_title_of_a_docs_page_is_escaped_once(site):
    """MkDocs makes page.title from the first heading as HTML text (entities
    escaped): printed as it is in the header, not escaped again."""
    soup = site.soup("about/")
    topic = soup.select_one('[data-md-component="header-topic"] .md-ellipsis')
    assert topic.get_text(strip=True) == DOCS_TITLE
    assert soup.title.get_text().startswith(DOCS_TITLE + " - ")
    assert soup.find("meta", property="og:title")["content"] == DOCS_TITLE
    assert "&amp;amp;" not in site.text("about/")


def test_divulga_check_accepts_it(site):
    result = subprocess.run(
        [sys.executable, "-m", "divulga", "check", "-f", str(site.root / "mkdocs.yml")],
        cwd=site.root, capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1"})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output


def test_autoescape_is_on_for_every_own_template_only():
    """on_env: Jinja escapes in each template under overrides/ (custom_dir),
    not in Material's, which print HTML such as page.content as it comes."""
    from mkdocs.config import load_config

    from divulga.adapter.templates import OwnTemplates

    config = load_config(str(ROOT / "mkdocs.yml"))
    env = config.theme.get_env()
    env.autoescape = OwnTemplates(config.theme.custom_dir).autoescape  # as the adapter's on_env sets it
    own = [path.relative_to(ROOT / "overrides").as_posix() for path in (ROOT / "overrides").rglob("*.html")]
    assert {"main.html", "404.html", "partials/header.html", "divulga/news-item.html",
            "divulga/partials/entries.html"} <= set(own)
    for name in own:
        assert env.autoescape(name) is True, name
    assert env.autoescape("./partials/header.html") is True
    for name in ("base.html", "partials/content.html", "partials/nav-item.html", "sitemap.xml", None):
        assert env.autoescape(name) is False, name

    class View:
        def lang_attr(self, code):
            return Markup("")

    statement = SimpleNamespace(text="<script>x</script>", lang="it", grant_agreement='"><b>')
    html = env.get_template("divulga/partials/eu-statement.html").render(
        divulga=View(), statement=statement, base_url=".")
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "&#34;&gt;&lt;b&gt;" in html
    assert "<script>" not in html and "<b>" not in html


@pytest.mark.browser
def test_nothing_runs_in_chromium(site, browser, tmp_path):
    server = serve(site.site_dir, tmp_path / "www")
    context = browser.new_context()
    try:
        tab = context.new_page()
        dialogs, errors = [], []
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.on("pageerror", lambda error: errors.append(str(error)))
        urls = [url for url in pages(site) if "hostile" in url or "quotes" in url or "plain" in url] + [
            "", "en/", "news/", "en/news/", "news/tags/", "news/archive/", "news/archive/2024/", "projects/",
            "en/projects/", "404.html"]
        for url in urls:
            tab.goto(server.url(url), wait_until="load")
            # hover everything an onmouseover could sit on, then let images fail
            tab.evaluate("""() => document.querySelectorAll('body *').forEach(element =>
                element.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})))""")
            tab.wait_for_timeout(50)
            assert tab.evaluate("typeof window.__pwned") == "undefined", url
        assert not dialogs
        assert not [error for error in errors if "pwned" in error]
        # the images under hostile names did load (escaped, the name is the file's)
        tab.goto(server.url(NEWS_ITEM), wait_until="load")
        assert tab.evaluate("document.querySelector('.divulga-news__image img').naturalWidth") == 30
    finally:
        context.close()
        server.close()

