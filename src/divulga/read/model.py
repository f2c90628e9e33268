"""The content model: what the site is about, before any page exists.

Validated, immutable, language-aware data. Rendering decisions (URLs,
pagination, which version a reader sees) live in ``plan``, not here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from divulga.read.history import History
from divulga.read.pagetext import MarkdownScan


@dataclass(frozen=True)
class Lines:
    """Where a file wrote each value: path (keys and list indexes, as
    ``("partners", 1, "name")``) -> 1-based line, kept from reading so that
    later checks and reports never parse the file again."""

    entries: tuple[tuple[tuple, int], ...] = ()
    first: int = 1  # the line of the file's first value (after a front matter's `---`)

    @classmethod
    def of(cls, doc: Any) -> "Lines":
        """The lines of a ``YamlDocument``."""
        return cls(tuple(doc.lines.items()), doc.first_line)

    @cached_property
    def _by_path(self) -> dict[tuple, int]:
        return dict(self.entries)

    def line(self, *path: Any) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self._by_path:
                return self._by_path[path]
            path = path[:-1]
        return self.first


NO_LINES = Lines()


@dataclass(frozen=True)
class Tag:
    key: str
    labels: dict[str, str]  # language code -> label

    def label(self, lang: str, fallback_order: tuple[str, ...]) -> tuple[str, str]:
        """The label in ``lang``, else in the first language that has one.

        Returns (label, language of the label).
        """
        for code in (lang, *fallback_order):
            if code in self.labels:
                return self.labels[code], code
        return self.key, lang


@dataclass(frozen=True)
class NewsVersion:
    """One language version of a news item (one file)."""

    lang: str
    source: str  # path relative to the site folder
    title: str
    summary: str  # given, or made from the first paragraph
    body: str  # Markdown
    body_line: int  # first line of the body in the file
    author: str | None = None
    image_alt: str | None = None
    draft: bool = False
    lines: Lines = field(default=NO_LINES, compare=False, repr=False)  # of its front matter
    # the version it translates and that version's fingerprint then (written by `divulga translated`)
    translated_from: tuple[str, str] | None = None

    # what the text says (divulga.text.fingerprint of title, summary as written, body): a translation records
    # its source's, and is outdated when the source's is no longer the same
    fingerprint: str = ""
    slug: str | None = None  # this language's page address, when a translation has its own (`slug:`)


class Versioned:
    """What an item written as one file per language (a news item, an event)
    answers about its ``versions``: which one a reader sees, and when."""

    versions: dict[str, NewsVersion]

    def address(self, lang: str, drafts: bool = False) -> str:
        """The slug of the item's page in ``lang``: its own version's ``slug:`` when it is shown, else
        the file name's."""
        version = self.published(lang, drafts)
        return version.slug if version is not None and version.slug else self.slug

    def published(self, lang: str, drafts: bool = False) -> NewsVersion | None:
        """The version in ``lang`` if it is published (or ``drafts`` are shown)."""
        version = self.versions.get(lang)
        return version if version is not None and (drafts or not version.draft) else None

    @property
    def is_visible(self) -> bool:
        """False when every version is a draft: the item appears nowhere."""
        return any(not v.draft for v in self.versions.values())

    def visible(self, drafts: bool = False) -> bool:
        """Whether the item is published, or shown by a preview of drafts."""
        return drafts or self.is_visible

    def version_for(self, lang: str, order: tuple[str, ...], drafts: bool = False) -> NewsVersion | None:
        """The version a reader of ``lang`` sees.

        Their own when published, else the first published one in ``order``
        (the default language first). None when all versions are drafts.
        """
        for code in (lang, *order):
            version = self.published(code, drafts)
            if version is not None:
                return version
        return None

    def image_alt_for(self, version: NewsVersion, order: tuple[str, ...]) -> tuple[str | None, str]:
        """Alt text for the image as shown with ``version``, and its language."""
        if version.image_alt:
            return version.image_alt, version.lang
        for code in order:
            other = self.versions.get(code)
            if other is not None and other.image_alt:
                return other.image_alt, code
        return None, version.lang



@dataclass(frozen=True)
class NewsItem(Versioned):
    """A news item: facts shared by all versions plus the versions themselves."""

    slug: str
    date: dt.date
    versions: dict[str, NewsVersion]  # language code -> version (drafts included)
    tags: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    image: str | None = None  # path under the media folder


@dataclass(frozen=True)
class EventItem(Versioned):
    """An event: when, where, how to attend, plus its language versions
    (the texts: title, summary, programme)."""

    slug: str
    start: dt.date | dt.datetime  # a day (all day long) or an aware date and time
    versions: dict[str, NewsVersion]
    end: dt.date | dt.datetime | None = None  # the last day, or the end time (same kind as start)
    timezone: str = "UTC"
    attendance: str = "in_person"  # in_person | online | mixed
    venue: Venue | None = None
    online_url: str | None = None
    registration_url: str | None = None
    status: str = "scheduled"
    tags: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    image: str | None = None

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def first_day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start

    @property
    def last_day(self) -> dt.date:
        """The day it ends (in its own time zone)."""
        end = self.end if self.end is not None else self.start
        return end.date() if isinstance(end, dt.datetime) else end

    def upcoming(self, today: dt.date) -> bool:
        """Still to come, or under way, on ``today``."""
        return self.last_day >= today


@dataclass(frozen=True)
class ResultFile:
    """One thing a reader of a result can download or open: a file of the
    media folder (with its size) or an external link."""

    file: str | None = None  # path under the media folder
    url: str | None = None  # an https link instead of a file
    lang: str | None = None  # the document's own language (ISO 639-1), when given
    size: int | None = None  # bytes, for a file

    @property
    def format(self) -> str | None:
        """The file's format as readers name it: "PDF", "DOCX" (from its
        extension); None for a link."""
        if self.file is None or "." not in self.file.rsplit("/", 1)[-1]:
            return None
        return self.file.rsplit(".", 1)[1].upper()


# What a result is; the order is the order of the type pages.
RESULT_TYPES = ("report", "guide", "toolkit", "policy_brief", "training_material", "dataset", "video",
                "article", "presentation", "other")


@dataclass(frozen=True)
class ResultItem(Versioned):
    """A result (output) of a project: a report, guide, dataset...: the files
    or links that carry it, facts about it, and its language versions (the
    texts: title, summary, what it is and how to use it)."""

    slug: str
    date: dt.date  # of publication
    type: str  # one of RESULT_TYPES
    versions: dict[str, NewsVersion]
    files: tuple[ResultFile, ...] = ()
    deliverable: str | None = None  # "D3.2"
    work_package: str | None = None  # "WP3"
    authors: tuple[str, ...] = ()
    licence: str | None = None  # an SPDX identifier: "CC-BY-4.0"
    doi: str | None = None  # "10.5281/zenodo.1234567"
    tags: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    image: str | None = None


@dataclass(frozen=True)
class Localized:
    """A text written once per language; the default language is always there."""

    values: dict[str, str]

    def get(self, lang: str, order: tuple[str, ...]) -> tuple[str, str]:
        """The text in ``lang``, else in the first language of ``order`` that has it.

        Returns (text, language of the text), so pages can mark fallbacks.
        """
        for code in (lang, *order):
            if code in self.values:
                return self.values[code], code
        raise KeyError(lang)

    def missing(self, codes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(code for code in codes if code not in self.values)


# The EU funding statements of CPR 2021/1060 Annex IX ("Co-funded by the
# European Union", "Funded by the European Union"), for a project and a site.
FUNDING_STATEMENTS = ("co-funded", "funded")


@dataclass(frozen=True)
class Budget:
    """Money figures, all three filled in (derived where not written)."""

    currency: str
    total: Decimal
    eu_contribution: Decimal
    cofunding_rate: Decimal  # percent

    @property
    def other(self) -> Decimal:
        """Co-financing from other sources than the EU."""
        return self.total - self.eu_contribution


@dataclass(frozen=True)
class Partner:
    name: Localized
    country: str  # ISO 3166-1 alpha-2
    role: str  # lead | partner | associated
    url: str | None = None
    logo: str | None = None  # a file of the media folder
    id: str | None = None  # joins spellings of one partner across sheets


@dataclass(frozen=True)
class Venue:
    name: Localized
    country: str  # ISO 3166-1 alpha-2
    address: Localized | None = None
    city: Localized | None = None


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Project:
    id: str
    source: str
    acronym: str
    title: Localized
    programme: Localized
    summary: Localized
    funding_statement: str  # "co-funded" | "funded"
    fund: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    budget: Budget | None = None
    grant_agreement: str | None = None
    objectives: tuple[Localized, ...] = ()
    activities: tuple[Localized, ...] = ()
    results: tuple[Localized, ...] = ()
    partners: tuple[Partner, ...] = ()
    website: str | None = None
    contact: Contact | None = None
    tags: tuple[str, ...] = ()
    # per translated language: the language it was translated from and the fingerprint of that language's
    # texts then (divulga translated)
    translated_from: dict[str, dict[str, str]] | None = None
    lines: Lines = field(default=NO_LINES, compare=False, repr=False)  # of the sheet

    @property
    def duration_months(self) -> int | None:
        """Months from start to the day after end, rounded (Nov 1 - Apr 30 = 6)."""
        if self.start is None or self.end is None:
            return None
        after = self.end + dt.timedelta(days=1)
        months = (after.year - self.start.year) * 12 + after.month - self.start.month
        days = after.day - self.start.day
        return round(months + days / 30.4375)

    def status(self, today: dt.date) -> str | None:
        """planned / ongoing / concluded on ``today``; None without dates."""
        if self.start is None and self.end is None:
            return None
        if self.start is not None and today < self.start:
            return "planned"
        if self.end is not None and today > self.end:
            return "concluded"
        return "ongoing"


@dataclass(frozen=True)
class NewsFile:
    """A news or event file as read, whether or not its item could be built:
    what the checks of its text need, so they never read the file again."""

    kind: str  # "news", "event"
    source: str  # path relative to the site folder
    slug: str
    lang: str
    draft: bool
    title: str | None
    image: str | None
    title_line: int
    scan: MarkdownScan  # its body, read once


@dataclass(frozen=True)
class Content:
    """Everything loaded from the content folder."""

    news: tuple[NewsItem, ...] = ()  # newest first
    news_files: tuple[NewsFile, ...] = ()  # every news and event file read, by path
    events: tuple[EventItem, ...] = ()  # soonest first
    results: tuple[ResultItem, ...] = ()  # newest first
    tags: dict[str, Tag] = field(default_factory=dict)
    media: tuple[str, ...] = ()  # media file paths relative to the media folder
    projects: dict[str, Project] = field(default_factory=dict)  # id -> project
    project_ids: frozenset[str] = frozenset()  # every sheet present, with mistakes or not
    root: Path | None = None  # the site's folder, where the files were read

    @cached_property
    def history(self) -> History:
        """When each file last changed (git, else its time): asked once for the whole site."""
        return History(self.root)

    @cached_property
    def _events_by_slug(self) -> dict[str, EventItem]:
        return {item.slug: item for item in self.events}

    def event(self, slug: str) -> EventItem | None:
        return self._events_by_slug.get(slug)

    @cached_property
    def _results_by_slug(self) -> dict[str, ResultItem]:
        return {item.slug: item for item in self.results}

    def result(self, slug: str) -> ResultItem | None:
        return self._results_by_slug.get(slug)
