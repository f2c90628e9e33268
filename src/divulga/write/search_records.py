"""What the search index holds for a news item, built from the plan.

A news item's search record is made as soon as its body is converted from
Markdown, before any page is rendered: the build converts every page of a
language first and renders them after, so Pagefind can parse the news of a
language and write its bundle while the pages render, instead of after
them (see divulga.write.search_index). The record is a small HTML document that
Pagefind parses as it would the page: the title (its result title), the date
(shown with the result and used to sort), the body with its headings (for
excerpts and sub-results), the projects it names, and the filters the search box offers: type,
year, topic and project. Everything from content is escaped here; the body
is the HTML the Markdown converter made of it.
"""

from __future__ import annotations

from html import escape

from divulga.plan.pages import EVENT, NEWS_ITEM, PROJECT, RESULT, NewsItemPage, PlannedPage
from divulga.write.search_index import INDEXED_END

# The value of the "type" filter of each kind of page the index takes; any other page (hand-written
# pages of docs/, the home page) is a "page".
TYPES = {NEWS_ITEM: "news", EVENT: "event", RESULT: "result", PROJECT: "project"}


def search_filters(page: PlannedPage | None) -> tuple[tuple[str, str], ...]:
    """The search filters of a page the index takes, as (name, value) pairs: its type, year, topics
    and projects. The one source of both what the page tells Pagefind (``filter_markup``) and the
    values the search box offers without loading Pagefind's filter indexes
    (divulga.write.search_index writes them beside the bundles)."""
    if page is None or page.kind not in TYPES:
        return (("type", "page"),)
    if page.kind == PROJECT:
        return (("type", TYPES[PROJECT]), *(("tag", link.label) for link in page.links),  # type: ignore[attr-defined]
                ("project", page.project.acronym))  # type: ignore[attr-defined]
    entry = page.entry  # type: ignore[attr-defined]
    year = entry.date.year if page.kind == NEWS_ITEM else entry.year
    return (("type", TYPES[page.kind]), ("year", str(year)), *(("tag", tag.label) for tag in entry.tags),
            *(("project", acronym) for acronym in page.project_acronyms))  # type: ignore[attr-defined]


def filter_markup(filters: tuple[tuple[str, str], ...]) -> str:
    """The filters as Pagefind reads them: one element each, to put inside ``data-pagefind-body``
    (under ``data-pagefind-ignore``, which keeps their text out of the index but not their values)."""
    return "".join(f'<span data-pagefind-filter="{escape(name)}">{escape(value)}</span>' for name, value in filters)


def news_record(page: NewsItemPage, body_html: str, filters: tuple[tuple[str, str], ...]) -> str:
    """The search record of a news item in its own language (not a fallback copy), with its
    ``search_filters``."""
    entry = page.entry
    # the projects the item names, as its page lists them
    related = "".join(f'<li lang="{escape(link.lang)}">{escape(link.label)}</li>' for link in page.projects)
    related = f"<ul>{related}</ul>" if related else ""
    return (
        f'<!doctype html><html lang="{escape(page.lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(page.title)}</title></head><body>"
        f'<article data-pagefind-body data-pagefind-sort="date:{entry.date.isoformat()}">'
        f'<h1 lang="{escape(page.version.lang)}">{escape(page.title)}</h1>'
        f'<p data-pagefind-ignore><time data-pagefind-meta="date">{escape(entry.date_label)}</time>'
        f'{filter_markup(filters)}</p>'
        f"<div>{body_html}</div>{related}</article></body></html>"
    )


def with_documents(page_html: str, texts: list[tuple[str, str | None]]) -> str:
    """A rendered result page as the search index takes it: with the text of
    its documents (PDFs) added to what Pagefind reads, so a reader finds the
    result by a phrase that only its report contains. The published page does
    not carry that text; the search shows an excerpt of it. ``texts``: (text,
    its language or None)."""
    if not texts:
        return page_html
    parts = "".join(f'<div data-pagefind-body{_lang(lang)}>{escape(text)}</div>' for text, lang in texts)
    end = page_html.rfind(INDEXED_END)
    if end < 0:
        end = page_html.rfind("</body>")
    return page_html[:end] + parts + page_html[end:] if end >= 0 else page_html + parts


def _lang(code: str | None) -> str:
    return f' lang="{escape(code)}"' if code else ""
