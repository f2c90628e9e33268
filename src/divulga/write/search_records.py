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

from divulga.plan.pages import NewsItemPage
from divulga.write.search_index import INDEXED_END


def news_record(page: NewsItemPage, body_html: str) -> str:
    """The search record of a news item in its own language (not a fallback copy)."""
    entry = page.entry
    filters = [f'<span data-pagefind-filter="year">{entry.date.year}</span>']
    filters += [f'<span data-pagefind-filter="tag">{escape(tag.label)}</span>' for tag in entry.tags]
    filters += [f'<span data-pagefind-filter="project">{escape(acronym)}</span>'
                for acronym in page.project_acronyms]
    # the projects the item names, as its page lists them
    related = "".join(f'<li lang="{escape(link.lang)}">{escape(link.label)}</li>' for link in page.projects)
    related = f"<ul>{related}</ul>" if related else ""
    return (
        f'<!doctype html><html lang="{escape(page.lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(page.title)}</title></head><body>"
        f'<article data-pagefind-body data-pagefind-filter="type:news"'
        f' data-pagefind-sort="date:{entry.date.isoformat()}">'
        f'<h1 lang="{escape(page.version.lang)}">{escape(page.title)}</h1>'
        f'<p data-pagefind-ignore><time data-pagefind-meta="date">{escape(entry.date_label)}</time>'
        f'{"".join(filters)}</p>'
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
