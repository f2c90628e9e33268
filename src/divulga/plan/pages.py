"""The planned pages: one type per kind of generated page, each with only its own data.

Every page has the common fields of ``PlannedPage`` (key, lang, path, kind,
title, markdown, alternates) and those of its kind:

==================  ==========================================  ==================================
type                kinds                                       its own fields
==================  ==========================================  ==================================
NewsItemPage        news-item                                   entry, version, notice, outdated, image,
                                                                author, projects, project_acronyms
EventPage           event                                       entry, version, details, notice, outdated,
                                                                image, projects, project_acronyms
ListingPage         news-list, tag-list, year-list,             entries, pagination
                    project-news
EventListPage       event-list                                  upcoming, entries, pagination,
                                                                calendar, calendar_url
LinkIndexPage       tags-index, archive-index                   links
ResultPage          result                                      entry, version, details, notice, outdated,
                                                                image, projects, project_acronyms
ResultListPage      result-list                                 entries, pagination, filters,
                                                                all_results, filtered
ProjectPage         project                                     project, entries, events, results, more,
                                                                countries, data, links, outdated
ProjectsIndexPage   projects-index                              project_list
PartnersPage        partners                                    partners, countries
TranslationStatusPage  translations (preview only)              languages, summary, groups
==================  ==========================================  ==================================

News items, events and results share ``ItemPage``: a version, the fallback notice,
the picture and the projects named. The engine adapter and the templates
read a few attributes on every planned page whatever its kind (``entry``,
``version``, ``image``, ``pagination``, ``entries``): a kind without them
answers None or () (class attributes, not fields: they take no part in
equality).

Pages are frozen and compare by value: the preview (``divulga.plan.incremental``)
renders a page again only when it differs from the one it was last rendered
from. ``alternates`` (language -> path of the same page) is only known once
every language is planned: the planner makes each page with none and then
replaces it with a copy that has them (``with_alternates``). Pages are not
hashable (``alternates`` is a dict).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar

from divulga import urls
from divulga.plan.images import Image
from divulga.plan.project_views import ProjectView
from divulga.read.model import NewsVersion

# Page kinds, also the names of their templates in overrides/divulga/.
NEWS_ITEM = "news-item"
NEWS_LIST = "news-list"
TAG_LIST = "tag-list"
YEAR_LIST = "year-list"
TAGS_INDEX = "tags-index"
ARCHIVE_INDEX = "archive-index"
PROJECT = "project"
PROJECTS_INDEX = "projects-index"
EVENT = "event"
EVENT_LIST = "event-list"
RESULT = "result"
RESULT_LIST = "result-list"
PARTNERS = "partners"
PROJECT_NEWS = "project-news"
TRANSLATIONS = "translations"
TEMPLATES = {
    TRANSLATIONS: "divulga/translations.html",
    RESULT: "divulga/result.html",
    RESULT_LIST: "divulga/result-list.html",
    PARTNERS: "divulga/partners.html",
    EVENT: "divulga/event.html",
    EVENT_LIST: "divulga/event-list.html",
    PROJECT: "divulga/project.html",
    PROJECTS_INDEX: "divulga/projects-index.html",
    NEWS_ITEM: "divulga/news-item.html",
    NEWS_LIST: "divulga/news-list.html",
    TAG_LIST: "divulga/news-list.html",
    PROJECT_NEWS: "divulga/news-list.html",
    YEAR_LIST: "divulga/news-list.html",
    TAGS_INDEX: "divulga/link-index.html",
    ARCHIVE_INDEX: "divulga/link-index.html",
}


@dataclass(frozen=True)
class Link:
    label: str
    path: str
    lang: str  # language of the label


@dataclass(frozen=True)
class Entry:
    """A news item as listed in one language."""

    slug: str
    path: str
    title: str
    summary: str
    date: dt.date
    date_label: str
    lang: str  # language of title and summary
    is_fallback: bool
    badge: str | None  # "in italiano" when the text is in another language
    tags: tuple[Link, ...]
    draft: bool = False  # only in previews that show drafts
    image: Image | None = None  # the item's picture: a thumbnail in listings


@dataclass(frozen=True)
class EventEntry:
    """An event as listed in one language: everything formatted."""

    slug: str
    path: str
    title: str
    summary: str
    lang: str  # language of title and summary
    is_fallback: bool
    badge: str | None  # "in italiano" when the text is in another language
    tags: tuple[Link, ...]
    when: str  # "21–22 settembre 2023", "16 marzo 2027 09:30–17:00 CET"
    start: str  # ISO 8601, for <time datetime>
    place: str  # "Environment Park, Torino" or "Online"
    place_lang: str | None  # language of the place's name when not the page's
    status: str  # scheduled | cancelled | ...
    status_label: str | None  # shown when not scheduled
    upcoming: bool  # on the build date
    draft: bool = False
    image: Image | None = None
    year: int = 0  # of its first day, for search filters

    @property
    def date_label(self) -> str:
        return self.when


@dataclass(frozen=True)
class ResultEntry(Entry):
    """A result as listed in one language: a news entry's fields (its date
    is the publication date) and its type."""

    type: str = "other"
    type_label: str = ""  # "Rapporto", "Report"
    year: int = 0


@dataclass(frozen=True)
class Download:
    """One file or link of a result, as a page offers it."""

    label: str  # the file's name, or the link's host
    path: str | None  # a media file, site path
    url: str | None  # an external link
    about: str  # "PDF, 2,3 MB, in inglese"
    lang: str | None  # the document's language (hreflang)


@dataclass(frozen=True)
class ResultDetails:
    """What a result page tells beyond its entry."""

    downloads: tuple[Download, ...]
    deliverable: str | None = None
    work_package: str | None = None
    authors: str | None = None  # "Regione Piemonte, Ceipiemonte"
    licence: Link | None = None  # its name, linking to its text
    doi: Link | None = None  # the DOI, linking to https://doi.org/…


@dataclass(frozen=True)
class FilterLink:
    """One value of a filter of the results library (a type, a project, a year)."""

    label: str
    path: str
    count: int
    current: bool  # the listing shown
    lang: str | None = None  # of the label, when not the page's


@dataclass(frozen=True)
class FilterGroup:
    label: str  # "Tipo", "Progetto", "Anno"
    links: tuple[FilterLink, ...]


@dataclass(frozen=True)
class PartnerRole:
    """A partner's role in one project."""

    project: Link  # the project's acronym, linking to its sheet
    role: str  # "Capofila", "Partner", "Associato"


@dataclass(frozen=True)
class Organisation:
    """An organisation taking part in one or more projects, once, as the partners page lists it."""

    name: str
    name_lang: str
    country: str  # its name in the page's language
    country_code: str
    url: str | None
    logo: Image | None
    roles: tuple[PartnerRole, ...]


@dataclass(frozen=True)
class CountryCount:
    """A country and how many partners are there: the map's text alternative."""

    code: str
    name: str  # in the page's language
    count: int


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    previous: str | None
    next: str | None
    # The page links shown: the first, the last and two either side of this
    # one, as (number, path); (None, None) where numbers are left out.
    # Listing every page would make each page of a long listing carry them all.
    pages: tuple[tuple[int | None, str | None], ...]
    label: str  # "Page 2 of 5"


@dataclass(frozen=True, kw_only=True)
class PlannedPage:
    """What every generated page has; the base of the page types below."""

    key: tuple  # identifies the page across languages
    lang: str
    path: str  # site-relative, ending in "/" (divulga.urls)
    kind: str
    title: str
    markdown: str = ""  # body to render through the engine's Markdown
    alternates: dict[str, str] = field(default_factory=dict)  # lang -> path

    @property
    def template(self) -> str:
        return TEMPLATES[self.kind]

    @property
    def searchable(self) -> bool:
        """Whether the search index takes the page: news written in this
        language and project sheets; not listings, nor fallback copies."""
        return False

    @property
    def source_path(self) -> str:
        """A virtual source path, as if the page were a Markdown file of docs/
        ("news/index.md", "projects/x/index.md"), the same in every language."""
        return urls.source_path(urls.unprefixed(self.path, self.lang))

    def with_alternates(self, alternates: dict[str, str]) -> PlannedPage:
        """This page, knowing its paths in every language."""
        return dataclasses.replace(self, alternates=alternates)


@dataclass(frozen=True, kw_only=True)
class ItemPage(PlannedPage):
    """An item written once per language (a news item, an event, a result) in
    one language: its own version, or a fallback copy with a notice; a
    translation whose source changed since it was made says so, with a link
    to the source."""

    version: NewsVersion
    notice: str | None = None  # fallback notice in the reader's language
    outdated: Link | None = None  # the source, labelled with the notice, when this translation is outdated
    image: Image | None = None
    projects: tuple[Link, ...] = ()  # projects the item names
    project_acronyms: tuple[str, ...] = ()  # the same, for search filters
    # read on every planned page
    pagination: ClassVar[None] = None
    entries: ClassVar[tuple] = ()

    @property
    def searchable(self) -> bool:
        return not self.entry.is_fallback  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class NewsItemPage(ItemPage):
    """A news item in one language."""

    kind: str = field(default=NEWS_ITEM, init=False)
    entry: Entry
    author: str | None = None

    @property
    def source_path(self) -> str:
        """``news/<slug>.md``, so relative links in the body (``../about.md``)
        resolve like those of hand-written pages."""
        return urls.news_item_source(self.entry.slug)


@dataclass(frozen=True)
class EventDetails:
    """What an event page tells beyond its entry: where, how, the links."""

    attendance: str  # "In presenza", "Online", "In presenza e online"
    venue: tuple[tuple[str, str | None], ...] = ()  # lines (name, address, city, country) with their language
    online_url: str | None = None
    registration_url: str | None = None
    calendar: str = ""  # the event's own .ics, site path
    start: str = ""  # ISO 8601 with offset
    end: str | None = None


@dataclass(frozen=True, kw_only=True)
class EventPage(ItemPage):
    """An event in one language."""

    kind: str = field(default=EVENT, init=False)
    entry: EventEntry
    details: EventDetails

    @property
    def source_path(self) -> str:
        """``events/<slug>.md``, so relative links in the body resolve like a news item's."""
        return urls.event_source(self.entry.slug)


@dataclass(frozen=True, kw_only=True)
class ResultPage(ItemPage):
    """A result in one language."""

    kind: str = field(default=RESULT, init=False)
    entry: ResultEntry
    details: ResultDetails

    @property
    def source_path(self) -> str:
        """``results/<slug>.md``, so relative links in the body resolve like a news item's."""
        return urls.result_source(self.entry.slug)


@dataclass(frozen=True, kw_only=True)
class ResultListPage(PlannedPage):
    """A page of the results library: all results, or those of one type,
    project or year (``filters`` link them all, without JavaScript)."""

    kind: str = field(default=RESULT_LIST, init=False)
    entries: tuple[ResultEntry, ...] = ()
    pagination: Pagination | None = None
    filters: tuple[FilterGroup, ...] = ()
    all_results: str = ""  # the whole library's path
    filtered: bool = False  # one type, project or year
    # read on every planned page
    entry: ClassVar[None] = None
    version: ClassVar[None] = None
    image: ClassVar[None] = None


@dataclass(frozen=True, kw_only=True)
class PartnersPage(PlannedPage):
    """Every organisation named in any project sheet, once, and where they are."""

    kind: str = field(default=PARTNERS, init=False)
    partners: tuple[Organisation, ...] = ()  # by name
    countries: tuple[CountryCount, ...] = ()  # by name in the page's language
    # read on every planned page
    entry: ClassVar[None] = None
    version: ClassVar[None] = None
    image: ClassVar[None] = None
    pagination: ClassVar[None] = None
    entries: ClassVar[tuple] = ()


@dataclass(frozen=True, kw_only=True)
class EventListPage(PlannedPage):
    """A page of the events: the upcoming ones (first page only), then past ones."""

    kind: str = field(default=EVENT_LIST, init=False)
    upcoming: tuple[EventEntry, ...] = ()
    entries: tuple[EventEntry, ...] = ()  # past events on this page, newest first
    pagination: Pagination | None = None
    calendar: str = ""  # the language's calendar file, site path
    calendar_url: str = ""  # its subscription address: webcal://…
    # read on every planned page
    entry: ClassVar[None] = None
    version: ClassVar[None] = None
    image: ClassVar[None] = None


@dataclass(frozen=True, kw_only=True)
class ListingPage(PlannedPage):
    """One page of a news listing: all news, one topic or one year."""

    KINDS: ClassVar[frozenset[str]] = frozenset((NEWS_LIST, TAG_LIST, YEAR_LIST, PROJECT_NEWS))
    entries: tuple[Entry, ...] = ()
    pagination: Pagination | None = None  # None: the listing has one page
    # read on every planned page
    entry: ClassVar[None] = None
    version: ClassVar[None] = None
    image: ClassVar[None] = None

    def __post_init__(self) -> None:
        _check_kind(self, self.KINDS)


@dataclass(frozen=True, kw_only=True)
class LinkIndexPage(PlannedPage):
    """The list of topics or of years, each linking to its listing."""

    KINDS: ClassVar[frozenset[str]] = frozenset((TAGS_INDEX, ARCHIVE_INDEX))
    links: tuple[Link, ...] = ()
    # read on every planned page
    entry: ClassVar[None] = None
    version: ClassVar[None] = None
    image: ClassVar[None] = None
    pagination: ClassVar[None] = None
    entries: ClassVar[tuple] = ()

    def __post_init__(self) -> None:
        _check_kind(self, self.KINDS)


@dataclass(frozen=True, kw_only=True)
class ProjectPage(PlannedPage):
    """A project sheet, with the news that name the project."""

    kind: str = field(default=PROJECT, init=False)
    project: ProjectView
    entries: tuple[Entry, ...] = ()  # the latest news about the project (PROJECT_LATEST)
    events: tuple[EventEntry, ...] = ()  # its events, soonest first (the next ones, then the latest past)
    results: tuple[ResultEntry, ...] = ()  # its latest results
    more: tuple[Link, ...] = ()  # to all its news, events, results, when the sheet shows only the latest
    countries: tuple[CountryCount, ...] = ()  # where its partners are (the map)
    data: tuple[Link, ...] = ()  # its own open data record: JSON, CSV
    links: tuple[Link, ...] = ()  # the project's topics
    outdated: Link | None = None  # the sheet's texts in its source language changed since they were translated
    notice: ClassVar[None] = None
    # read on every planned page
    entry: ClassVar[None] = None
    version: ClassVar[None] = None
    image: ClassVar[None] = None
    pagination: ClassVar[None] = None

    @property
    def searchable(self) -> bool:
        return True


@dataclass(frozen=True)
class StatusCell:
    """One language of a text on the translation status page."""

    status: str  # divulga.plan.translations.STATUSES
    label: str  # the status in the page's language
    path: str | None  # the page in that language, when it has one
    lang: str  # the cell's language


@dataclass(frozen=True)
class StatusRow:
    title: Link  # the text, as readers of the page's language see it
    source: str  # its original's file
    cells: tuple[StatusCell, ...]  # one per configured language, in their order
    to_do: bool  # some language is missing, a draft, outdated or not known


@dataclass(frozen=True)
class StatusGroup:
    """The texts of one kind (news, events, results, project sheets, pages)."""

    title: str
    rows: tuple[StatusRow, ...]


@dataclass(frozen=True)
class StatusCount:
    language: Link  # its name in the page's language, to its home
    counts: tuple[tuple[str, int], ...]  # (status label, how many), the work to do first


@dataclass(frozen=True, kw_only=True)
class TranslationStatusPage(PlannedPage):
    """Where every translation stands, per language: the preview's page for editors (never published)."""

    kind: str = field(default=TRANSLATIONS, init=False)
    languages: tuple[Link, ...] = ()  # the columns: each language's name
    summary: tuple[StatusCount, ...] = ()
    groups: tuple[StatusGroup, ...] = ()
    # read on every planned page
    entry: ClassVar[None] = None
    version: ClassVar[None] = None
    image: ClassVar[None] = None
    pagination: ClassVar[None] = None
    entries: ClassVar[tuple] = ()


@dataclass(frozen=True, kw_only=True)
class ProjectsIndexPage(PlannedPage):
    """Every project sheet, in the order of ProjectView.sort_key."""

    kind: str = field(default=PROJECTS_INDEX, init=False)
    project_list: tuple[ProjectView, ...] = ()
    # read on every planned page
    entry: ClassVar[None] = None
    version: ClassVar[None] = None
    image: ClassVar[None] = None
    pagination: ClassVar[None] = None
    entries: ClassVar[tuple] = ()


def _check_kind(page: PlannedPage, kinds: frozenset[str]) -> None:
    if page.kind not in kinds:
        raise ValueError(f"{type(page).__name__} cannot be of kind {page.kind!r}: one of {sorted(kinds)}")
