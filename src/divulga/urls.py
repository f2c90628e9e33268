"""The site's URL scheme: the one place every address and output path comes from.

Engine-neutral forms, all site-relative (no leading "/"):

- pages are paths ending in "/": "news/<slug>/", "en/news/<slug>/", "" for
  the default language's home; an engine writes a page to
  ``output_file(path)`` ("news/<slug>/index.html");
- files are plain paths: "feed.xml", "en/projects/<id>/feed.xml",
  "media/<name>", "sitemap.xml";
- public addresses are ``absolute(site_url, path)``.

Every language's pages sit under its prefix (``language_prefix``): "" for the
default language (the site root), "<code>/" for the others. The functions
take that prefix, except the search bundle, which is per language code in
every language. Page 1 of a listing is the listing itself, page n is
"<listing>page/<n>/".

Nothing here imports the rest of Divulga: the planner, the validation, the
feeds, the sitemap, the page metadata and the search index all call it.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, unquote

# Folders of the generated pages, under each language's prefix.
NEWS = "news/"
TAGS = "tags/"  # under NEWS
ARCHIVE = "archive/"  # under NEWS
PAGE = "page/"  # page n of a listing, under the listing
PROJECTS = "projects/"
EVENTS = "events/"
RESULTS = "results/"
RESULT_FILTERS = ("type", "project", "year")  # results/<filter>/<value>/: one listing per value
PARTNERS = "partners/"
TRANSLATIONS = "translations/"  # the preview's translation status page
CALENDAR_FILE = "calendar.ics"  # a language's calendar of every event, in its events folder
# Files and folders the site holds besides pages.
FEED_FILE = "feed.xml"
MEDIA = "media/"  # at the site root, for every language
ADMIN = "admin/"  # the web editor (Decap CMS), at the site root for every language
DATA = "data/"  # the open data files, at the site root for every language
SEARCH_ROOT = "pagefind/"  # the search bundles, one folder per language code
SITEMAP = "sitemap.xml"
SITEMAP_GZ = "sitemap.xml.gz"
NOT_FOUND = "404.html"
INDEX_FILE = "index.html"  # the file a page path is written to
SOURCE_INDEX = "index.md"  # the virtual Markdown source of a page path
# News slugs that would take the address of a listing page under NEWS.
RESERVED_NEWS_SLUGS = (PAGE.rstrip("/"), TAGS.rstrip("/"), ARCHIVE.rstrip("/"), "index")
RESERVED_EVENT_SLUGS = (PAGE.rstrip("/"), "index")
RESERVED_RESULT_SLUGS = (PAGE.rstrip("/"), *RESULT_FILTERS, "index")


def language_prefix(code: str, default: bool) -> str:
    """The prefix of a language's pages: "" for the default language, "en/" else."""
    return "" if default else f"{code}/"


def unprefixed(path: str, lang: str) -> str:
    """A page path of language ``lang`` without its language prefix ("en/news/" -> "news/")."""
    prefix = f"{lang}/"
    return path[len(prefix):] if path.startswith(prefix) else path


# -- pages --------------------------------------------------------------------

def home(prefix: str) -> str:
    """A language's home page: "" (the site root) or "en/"."""
    return prefix


def paged(base: str, number: int) -> str:
    """Page ``number`` of the listing at ``base``: the listing itself for page 1."""
    return base if number == 1 else f"{base}{PAGE}{number}/"


def news_item(prefix: str, slug: str) -> str:
    return f"{prefix}{NEWS}{slug}/"


def news_listing(prefix: str, number: int = 1) -> str:
    """The news listing (all news, newest first), page ``number``."""
    return paged(f"{prefix}{NEWS}", number)


def tags_index(prefix: str) -> str:
    return f"{prefix}{NEWS}{TAGS}"


def tag(prefix: str, key: str, number: int = 1) -> str:
    """The listing of one topic, page ``number``."""
    return paged(f"{tags_index(prefix)}{key}/", number)


def archive_index(prefix: str) -> str:
    return f"{prefix}{NEWS}{ARCHIVE}"


def year(prefix: str, year: int, number: int = 1) -> str:
    """The listing of one year, page ``number``."""
    return paged(f"{archive_index(prefix)}{year}/", number)


def events_listing(prefix: str, number: int = 1) -> str:
    """The events: upcoming ones, then past ones page by page."""
    return paged(f"{prefix}{EVENTS}", number)


def event(prefix: str, slug: str) -> str:
    return f"{prefix}{EVENTS}{slug}/"


def item_page(kind: str, prefix: str, slug: str) -> str:
    """The page of an item of ``kind`` ("news", "event", "result")."""
    return {"news": news_item, "event": event, "result": result}[kind](prefix, slug)


def results_listing(prefix: str, number: int = 1) -> str:
    """The results library, newest first, page ``number``."""
    return paged(f"{prefix}{RESULTS}", number)


def results_by(prefix: str, kind: str, value: str | int, number: int = 1) -> str:
    """The results of one type, project or year (``kind`` one of RESULT_FILTERS)."""
    return paged(f"{prefix}{RESULTS}{kind}/{value}/", number)


def result(prefix: str, slug: str) -> str:
    return f"{prefix}{RESULTS}{slug}/"


def partners(prefix: str) -> str:
    """Every partner of every project, with the map."""
    return f"{prefix}{PARTNERS}"


def translations(prefix: str) -> str:
    """The translation status page (in the preview only)."""
    return f"{prefix}{TRANSLATIONS}"


def projects_index(prefix: str) -> str:
    return f"{prefix}{PROJECTS}"


def project(prefix: str, project_id: str) -> str:
    """A project sheet."""
    return f"{projects_index(prefix)}{project_id}/"


def project_news(prefix: str, project_id: str, number: int = 1) -> str:
    """Every news item about a project, page ``number``: "projects/<id>/news/" (its sheet shows the latest)."""
    return paged(f"{project(prefix, project_id)}{NEWS}", number)


# -- files --------------------------------------------------------------------

def calendar(prefix: str) -> str:
    """A language's calendar of every published event: "events/calendar.ics"."""
    return f"{prefix}{EVENTS}{CALENDAR_FILE}"


def events_feed(prefix: str) -> str:
    """A language's feed of its events: "events/feed.xml"."""
    return f"{prefix}{EVENTS}{FEED_FILE}"


def event_calendar(prefix: str, slug: str, address: str | None = None) -> str:
    """One event's own calendar file, beside its page: "events/<slug>/<slug>.ics" (in the folder of its
    page's ``address`` when a translation has its own)."""
    return f"{event(prefix, address or slug)}{slug}.ics"


def results_feed(prefix: str) -> str:
    """A language's feed of its results: "results/feed.xml"."""
    return f"{prefix}{RESULTS}{FEED_FILE}"


def data_file(name: str) -> str:
    """An open data file, the same for every language: "data/projects.json"."""
    return f"{DATA}{name}"


def project_data(project_id: str, extension: str) -> str:
    """One project's own record: "data/projects/<id>.json" (or ".csv")."""
    return f"{DATA}projects/{project_id}.{extension}"


def webcal(address: str) -> str:
    """A calendar's subscription address (webcal://), from its public address."""
    return "webcal://" + address.split("://", 1)[-1]

def feed(prefix: str, project_id: str | None = None) -> str:
    """A language's news feed ("feed.xml", "en/feed.xml"), or a project's
    ("en/projects/<id>/feed.xml", beside the project's sheet)."""
    return f"{project(prefix, project_id)}{FEED_FILE}" if project_id else f"{prefix}{FEED_FILE}"


def search_bundles(lang: str) -> str:
    """What the search box reads before it searches a language, beside its bundles:
    "pagefind/it.json", a JSON object: "bundles", the bundles after the first (paths relative
    to it), and "filters", each search filter's values."""
    return f"{SEARCH_ROOT}{lang}.json"


def search_bundle_part(lang: str, number: int) -> str:
    """A language's search bundle ``number`` (the first is ``search_bundle``): "pagefind/it-2/"."""
    return search_bundle(lang) if number == 1 else f"{SEARCH_ROOT}{lang}-{number}/"


def search_bundle(lang: str) -> str:
    """The folder of a language's search bundle (pagefind.js and its index): "pagefind/it/"."""
    return f"{SEARCH_ROOT}{lang}/"


def sitemap_part(number: int) -> str:
    """The ``number``-th sitemap a sitemap index lists (over 50,000 URLs): "sitemap-1.xml"."""
    return f"sitemap-{number}.xml"


def is_sitemap_part(path: str) -> bool:
    """Whether ``path`` is, or may become as the site grows, one of the sitemap's parts or its gzip copy."""
    return re.fullmatch(r"sitemap-[1-9][0-9]*\.xml(?:\.gz)?", path) is not None


def not_found(prefix: str) -> str:
    """A language's 404 page: "404.html", "en/404.html"."""
    return f"{prefix}{NOT_FOUND}"


def media(name: str) -> str:
    """A media file (content/media/<name>), shared by every language."""
    return f"{MEDIA}{name}"


def media_name(page_path: str, src: str) -> str | None:
    """The media file an address written in a page points to ("../../media/a.jpg"
    in "en/news/x/" -> "a.jpg"), or None when it points elsewhere."""
    if "://" in src or src.startswith(("//", "data:", "mailto:")):
        return None
    folder = "/" + page_path.rstrip("/") + "/" if page_path.strip("/") else "/"
    path = posixpath.normpath(posixpath.join(folder, unquote(src.split("#")[0].split("?")[0])))
    path = path.lstrip("/")
    return path[len(MEDIA):] if path.startswith(MEDIA) and len(path) > len(MEDIA) else None


def licence_page(identifier: str) -> str:
    """The text of a licence, by its SPDX identifier, on the SPDX list."""
    return f"https://spdx.org/licenses/{quote(identifier)}.html"


def doi(identifier: str) -> str:
    """The address that resolves a DOI."""
    return "https://doi.org/" + quote(identifier, safe="/:;()._-")


def absolute(site_url: str, path: str) -> str:
    """The public address of a site-relative path, under ``site_url``'s own path
    ("https://x.eu/divulga" + "en/news/a/" -> "https://x.eu/divulga/en/news/a/")."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + path.lstrip("/")


# -- how an engine with directory URLs maps files and pages ------------------------

def output_file(path: str) -> str:
    """The file a page path is written to: "news/a/" -> "news/a/index.html", "" -> "index.html"."""
    return f"{path}{INDEX_FILE}"


def page_address(output: str) -> str:
    """The page path an output file serves ("news/a/index.html" -> "news/a/");
    other files stand for themselves."""
    return output.removesuffix(INDEX_FILE)


def document_page(virtual: str) -> str:
    """The unprefixed page path of a Markdown file of docs/ (``virtual`` without
    language suffix): "about.md" -> "about/", "index.md" and "README.md" -> "",
    "a/index.md" -> "a/"."""
    stem = virtual[:-3] if virtual.endswith(".md") else virtual
    folder, _, base = stem.rpartition("/")
    if base in ("index", "README"):
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def source_path(path: str) -> str:
    """The virtual Markdown file of docs/ a generated page stands for, from its
    unprefixed path: "news/" -> "news/index.md", so relative links in and to
    it resolve like those of hand-written pages."""
    return f"{path}{SOURCE_INDEX}"


def event_source(slug: str) -> str:
    """An event's virtual Markdown file: "events/<slug>.md" (its body links to "../about.md")."""
    return event("", slug).removesuffix("/") + ".md"


def result_source(slug: str) -> str:
    """A result's virtual Markdown file: "results/<slug>.md"."""
    return result("", slug).removesuffix("/") + ".md"


def news_item_source(slug: str) -> str:
    """A news item's virtual Markdown file: "news/<slug>.md", a sibling of the
    listing's "news/index.md" (its body links to "../about.md")."""
    return news_item("", slug).removesuffix("/") + ".md"
