"""Reading the hand-written pages of ``docs/``: their language, their text and what they translate.

MkDocs renders these pages itself; Divulga reads them to check them with the
content (``divulga.plan.validate``) and to know their translations: a page in
another language than the default one (``about.en.md`` beside
``about.it.md``, or ``en/about.md`` with the folder structure) may record the
fingerprint of the version it translates in its front matter,
``translated_from: {lang: it, fingerprint: …}`` (``divulga translated``
writes it), like a news item. Other front-matter keys are MkDocs' and
Material's (``title``, ``description``, ``hide``…) and are left to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from divulga.problems import Problem
from divulga.read.model import NO_LINES, Lines
from divulga.read.pagetext import MarkdownScan, scan_markdown
from divulga.read.schema import ABSENT, INVALID, TRANSLATION, At, Check, Nested
from divulga.read.sources import SiteFiles
from divulga.read.yamlsource import parse_mapping, split_front_matter
from divulga.settings import Settings
from divulga.text import fingerprint

TRANSLATED_FROM = "translated_from"
HEADING = re.compile(r"^#[ \t]+(.+)$", re.MULTILINE)  # the first level-one heading


@dataclass(frozen=True)
class DocPage:
    """One Markdown file of docs/."""

    rel: str  # as editors see it: docs/about.it.md
    virtual: str  # its place among the documentation files, language aside: about.md
    lang: str | None  # None: a page without language suffix (every language)
    scan: MarkdownScan
    fingerprint: str  # of its title (when the front matter gives one) and its text
    title: str = ""  # the front matter's, else its first heading's, else its file's name
    translated_from: tuple[str, str] | None = None  # (language, fingerprint), as `divulga translated` wrote it
    lines: Lines = NO_LINES  # of its front matter

    @property
    def translated_from_line(self) -> int | None:
        return self.lines.line(TRANSLATED_FROM)


@dataclass(frozen=True)
class DocPages:
    pages: tuple[DocPage, ...]
    names: frozenset[str]  # every file of docs/, by its name there

    def versions(self, virtual: str) -> dict[str, DocPage]:
        """The language versions of the page at ``virtual``, by language."""
        return {page.lang: page for page in self.pages if page.virtual == virtual and page.lang is not None}


def read_docs_pages(settings: Settings) -> tuple[DocPages, list[Problem]]:
    """The Markdown pages of docs/, the names of all its files, and what is wrong there."""
    docs = settings.docs_dir
    if docs is None or not docs.is_dir():
        return DocPages((), frozenset()), []
    files = SiteFiles(settings.root)
    found, problems = files.walk(docs)
    pages = []
    for entry in found:
        if not entry.name.endswith(".md"):
            continue
        text, read_problems = files.read_text(entry.path, size=entry.size)
        problems += read_problems
        if text is None:
            continue
        rel = files.relative(entry.path)
        virtual, lang = page_language(entry.name, settings.codes, settings.docs_structure)
        front, body, body_line = split_front_matter(text)
        data, lines = {}, NO_LINES
        if front is not None:
            doc, yaml_problems = parse_mapping(front, path=rel, line_offset=1, what="front matter")
            problems += yaml_problems
            if doc is not None:
                data, lines = doc.data, Lines.of(doc)
        title = data.get("title") if isinstance(data.get("title"), str) else ""
        heading = HEADING.search(body)
        pages.append(DocPage(rel=rel, virtual=virtual, lang=lang, scan=scan_markdown(body, body_line),
                             fingerprint=fingerprint(title, body), lines=lines,
                             title=title or (heading.group(1).strip(" #") if heading else entry.name),
                             translated_from=_translated_from(data, rel, lines, settings, problems)))
    return DocPages(tuple(pages), frozenset(entry.name for entry in found)), problems


def _translated_from(data: dict, rel: str, lines: Lines, settings: Settings, problems: list[Problem]
                     ) -> tuple[str, str] | None:
    if data.get(TRANSLATED_FROM) is None:
        return None
    check = Check.for_settings(settings, rel, lines, problems)
    value = Nested(TRANSLATION).read(data[TRANSLATED_FROM], At().field(TRANSLATED_FROM), check)
    if value is INVALID or value is ABSENT:
        return None
    return value["lang"], value["fingerprint"]


def page_language(rel: str, codes: tuple[str, ...], structure: str) -> tuple[str, str | None]:
    """``about.it.md`` -> ("about.md", "it"); ``it/about.md`` with the folder structure."""
    if structure == "folder":
        first, _, rest = rel.partition("/")
        return (rest, first) if rest and first in codes else (rel, None)
    stem, _, suffix = rel[:-3].rpartition(".")
    if stem and suffix in codes:
        return f"{stem}.md", suffix
    return rel, None
