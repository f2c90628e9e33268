"""The per-language page plan: every generated page, its URL and its data.

Computed once per build from the model, for all languages at once, so that
each page knows its alternates in the other languages and no page re-reads or
re-sorts the content. The engine adapter only turns planned pages into files.

URLs come from divulga.urls (site-relative paths ending in "/",
"en/news/<slug>/"; the default language at the root, every other under its
code); the page types (one per kind) from divulga.plan.pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from divulga import urls
from divulga.l10n import Localizer
from divulga.plan.pages import (
    ARCHIVE_INDEX,
    EVENT,
    EVENT_LIST,
    NEWS_ITEM,
    NEWS_LIST,
    PROJECT,
    PROJECTS_INDEX,
    TAG_LIST,
    TAGS_INDEX,
    TEMPLATES,
    YEAR_LIST,
    Entry,
    EventDetails,
    EventEntry,
    EventListPage,
    EventPage,
    Image,
    Link,
    LinkIndexPage,
    ListingPage,
    NewsItemPage,
    Pagination,
    PlannedPage,
    ProjectPage,
    ProjectsIndexPage,
)
from divulga.plan.project_views import ProjectView, ProjectViews, Statement, Text, statement
from divulga.read.model import Content, EventItem, NewsItem, NewsVersion
from divulga.settings import Settings

# The page types and kinds live in divulga.plan.pages, the URLs in
# divulga.urls; imported from here by the engine adapter.
__all__ = [
    "ARCHIVE_INDEX", "EVENT", "EVENT_LIST", "EventEntry", "EventListPage", "EventPage", "NEWS_ITEM",
    "NEWS_LIST", "PROJECT", "PROJECTS_INDEX", "TAG_LIST", "TAGS_INDEX",
    "TEMPLATES", "YEAR_LIST", "Entry", "Image", "Link", "LinkIndexPage", "ListingPage", "NewsItemPage",
    "Pagination", "PlannedPage", "ProjectPage", "ProjectsIndexPage", "Planner", "SiteFunding", "SitePlan",
    "build_plan",
]


@dataclass(frozen=True)
class SiteFunding:
    """The site's own EU funding, shown in every page's footer."""

    statement: Statement
    programme: Text | None


@dataclass
class SitePlan:
    pages: dict[str, list[PlannedPage]]  # lang -> pages
    latest: dict[str, tuple[Entry, ...]]  # lang -> newest entries for the home page
    news_index: dict[str, str]  # lang -> path of the news listing
    projects_index: dict[str, str]  # lang -> path of the projects index
    funding: dict[str, SiteFunding]  # lang -> the footer's funding statement
    tags_index: dict[str, str] = field(default_factory=dict)  # lang -> path of the topics index
    archive_index: dict[str, str] = field(default_factory=dict)  # lang -> path of the years index
    projects: dict[str, tuple[ProjectView, ...]] = field(default_factory=dict)  # lang -> the home's cards
    events_index: dict[str, str] = field(default_factory=dict)  # lang -> path of the events page
    upcoming: dict[str, tuple[EventEntry, ...]] = field(default_factory=dict)  # lang -> the home's next events
    tagline: dict[str, Text] = field(default_factory=dict)  # lang -> the home's tagline

    def for_language(self, lang: str) -> list[PlannedPage]:
        return self.pages.get(lang, [])


class Planner:
    def __init__(self, content: Content, settings: Settings, l10n: Localizer):
        self.content = content
        self.settings = settings
        self.l10n = l10n
        default = settings.default_language.code
        self.order = (default, *(c for c in settings.codes if c != default))
        self.drafts = settings.show_drafts
        self.items = [item for item in content.news if item.visible(self.drafts)]
        self.events = [item for item in content.events if item.visible(self.drafts)]
        self.views = ProjectViews(l10n, self.order, settings.today)

    def plan(self) -> SitePlan:
        pages: dict[str, list[PlannedPage]] = {}
        plan = SitePlan(pages=pages, latest={}, news_index={}, projects_index={}, funding={})
        for language in self.settings.languages:
            lang, prefix = language.code, language.prefix
            entries = [self._entry(item, lang) for item in self.items]
            events = [self._event_entry(item, lang) for item in self.events]
            # The listings exist even when empty: the navigation links them.
            pages[lang] = (self._pages(lang, prefix, entries) + self._event_pages(lang, prefix, events)
                           + self._project_pages(lang, prefix, entries, events))
            plan.events_index[lang] = urls.events_listing(prefix)
            plan.upcoming[lang] = tuple(e for e in events if e.upcoming)[: self.settings.home_events]
            plan.latest[lang] = tuple(entries[: self.settings.home_news])
            plan.news_index[lang] = urls.news_listing(prefix)
            plan.projects_index[lang] = urls.projects_index(prefix)
            plan.tags_index[lang] = urls.tags_index(prefix)
            plan.archive_index[lang] = urls.archive_index(prefix)
            plan.funding[lang] = self._funding(lang)
            plan.projects[lang] = next(page.project_list for page in pages[lang]
                                       if isinstance(page, ProjectsIndexPage))
            if self.settings.tagline is not None:
                plan.tagline[lang] = Text(*self.settings.tagline.get(lang, self.order))
        _link_alternates(pages)
        return plan

    def _funding(self, lang: str) -> SiteFunding | None:
        site = self.settings.funding
        if site is None:
            return None
        programme = None
        if site.programme is not None:
            text, used = site.programme.get(lang, self.order)
            programme = Text(text, used)
        return SiteFunding(statement(self.l10n, lang, site.statement), programme)

    # -- projects ----------------------------------------------------------

    def _project_pages(self, lang: str, prefix: str, entries: list[Entry],
                       events: list[EventEntry]) -> list[PlannedPage]:
        pages: list[PlannedPage] = []
        views = []
        for project in self.content.projects.values():
            view = self.views.view(project, lang, urls.project(prefix, project.id))
            views.append(view)
            about = tuple(entry for item, entry in zip(self.items, entries) if project.id in item.projects)
            its_events = tuple(entry for item, entry in zip(self.events, events) if project.id in item.projects)
            pages.append(ProjectPage(
                key=("project", project.id), lang=lang, path=view.path,
                title=f"{view.acronym} – {view.title.text}", entries=about, project=view, events=its_events,
                links=tuple(self._tag_link(key, lang, prefix) for key in project.tags),
            ))
        views.sort(key=lambda view: view.sort_key)
        pages.append(ProjectsIndexPage(key=("projects",), lang=lang, path=urls.projects_index(prefix),
                                       title=self.l10n.t(lang, "projects"), project_list=tuple(views)))
        return pages

    # -- entries -----------------------------------------------------------

    def _image(self, item: NewsItem, version: NewsVersion) -> Image | None:
        if not item.image:
            return None
        alt, alt_lang = item.image_alt_for(version, self.order)
        return Image(name=item.image, alt=alt or "", alt_lang=alt_lang)

    def _entry(self, item: NewsItem, lang: str) -> Entry:
        version = item.version_for(lang, self.order, self.drafts)
        prefix = self.settings.language(lang).prefix
        is_fallback = version.lang != lang
        return Entry(
            slug=item.slug,
            path=urls.news_item(prefix, item.slug),
            title=version.title,
            summary=version.summary,
            date=item.date,
            date_label=self.l10n.date(item.date, lang),
            lang=version.lang,
            is_fallback=is_fallback,
            badge=self.l10n.language_label(lang, "in_language", version.lang) if is_fallback else None,
            tags=tuple(self._tag_link(key, lang, prefix) for key in item.tags),
            draft=version.draft,
            image=self._image(item, version),
        )

    # -- events ------------------------------------------------------------

    def _event_entry(self, item: EventItem, lang: str) -> EventEntry:
        version = item.version_for(lang, self.order, self.drafts)
        prefix = self.settings.language(lang).prefix
        is_fallback = version.lang != lang
        t = self.l10n.t
        place, place_lang = t(lang, "online"), None
        if item.venue is not None:
            name, place_lang = item.venue.name.get(lang, self.order)
            parts = [name]
            if item.venue.city is not None:
                parts.append(item.venue.city.get(lang, self.order)[0])
            place = ", ".join(parts)
            if item.attendance == "mixed":
                place = t(lang, "place_and_online", place=place)
        return EventEntry(
            slug=item.slug, path=urls.event(prefix, item.slug), title=version.title, summary=version.summary,
            lang=version.lang, is_fallback=is_fallback,
            badge=self.l10n.language_label(lang, "in_language", version.lang) if is_fallback else None,
            tags=tuple(self._tag_link(key, lang, prefix) for key in item.tags),
            when=self.l10n.period(item.start, item.end, lang), start=item.start.isoformat(),
            place=place, place_lang=place_lang if place_lang != lang else None,
            status=item.status,
            status_label=t(lang, f"event_{item.status}") if item.status != "scheduled" else None,
            upcoming=item.upcoming(self.settings.today), draft=version.draft,
            image=self._image(item, version), year=item.first_day.year,
        )

    def _event_pages(self, lang: str, prefix: str, entries: list[EventEntry]) -> list[PlannedPage]:
        t = self.l10n.t
        pages: list[PlannedPage] = []
        for item, entry in zip(self.events, entries):
            version = item.version_for(lang, self.order, self.drafts)
            pages.append(EventPage(
                key=("event", item.slug), lang=lang, path=entry.path, title=entry.title, markdown=version.body,
                entry=entry, version=version, details=self._event_details(item, lang, prefix),
                notice=self.l10n.language_label(lang, "fallback_notice_event", version.lang)
                if entry.is_fallback else None,
                image=entry.image, projects=self._project_links(item, lang, prefix),
                project_acronyms=tuple(self.content.projects[key].acronym for key in item.projects
                                       if key in self.content.projects),
            ))
        upcoming = tuple(entry for entry in entries if entry.upcoming)
        past = [entry for entry in entries if not entry.upcoming][::-1]  # newest first
        per_page = self.settings.news_per_page
        count = max(1, -(-len(past) // per_page))
        paths = [urls.events_listing(prefix, n) for n in range(1, count + 1)]
        calendar = urls.calendar(prefix)
        for n in range(1, count + 1):
            pagination = self._pagination(n, paths, lang)
            pages.append(EventListPage(
                key=("events", n), lang=lang, path=paths[n - 1],
                title=t(lang, "events") if n == 1 else f"{t(lang, 'events')} – {pagination.label}",
                upcoming=upcoming if n == 1 else (), entries=tuple(past[(n - 1) * per_page: n * per_page]),
                pagination=pagination if count > 1 else None,
                calendar=calendar, calendar_url=urls.webcal(self.settings.absolute(calendar)),
            ))
        return pages

    def _event_details(self, item: EventItem, lang: str, prefix: str) -> EventDetails:
        venue: list[tuple[str, str | None]] = []
        if item.venue is not None:
            for text in (item.venue.name, item.venue.address, item.venue.city):
                if text is not None:
                    value, used = text.get(lang, self.order)
                    venue.append((value, used if used != lang else None))
            venue.append((self.l10n.country(item.venue.country, lang), None))
        return EventDetails(
            attendance=self.l10n.t(lang, f"attendance_{item.attendance}"), venue=tuple(venue),
            online_url=item.online_url, registration_url=item.registration_url,
            calendar=urls.event_calendar(prefix, item.slug), start=item.start.isoformat(),
            end=item.end.isoformat() if item.end is not None else None,
        )

    def _project_links(self, item, lang: str, prefix: str) -> tuple[Link, ...]:
        links = []
        for key in item.projects:
            project = self.content.projects.get(key)
            if project is not None:
                title, title_lang = project.title.get(lang, self.order)
                links.append(Link(f"{project.acronym} – {title}", urls.project(prefix, project.id), title_lang))
        return tuple(links)

    def _tag_link(self, key: str, lang: str, prefix: str) -> Link:
        label, label_lang = self.content.tags[key].label(lang, self.order)
        return Link(label, urls.tag(prefix, key), label_lang)

    # -- pages -------------------------------------------------------------

    def _pages(self, lang: str, prefix: str, entries: list[Entry]) -> list[PlannedPage]:
        t = self.l10n.t
        pages: list[PlannedPage] = [self._item_page(item, entry, lang) for item, entry in zip(self.items, entries)]
        pages += self._listing(("news",), NEWS_LIST, lang, lambda n: urls.news_listing(prefix, n),
                               t(lang, "news"), entries, self.settings.news_per_page)
        # Topic and year pages: archive_per_page entries each.
        per_page = self.settings.archive_per_page

        by_tag: dict[str, list[Entry]] = {}
        by_year: dict[int, list[Entry]] = {}
        for item, entry in zip(self.items, entries):
            for key in item.tags:
                by_tag.setdefault(key, []).append(entry)
            by_year.setdefault(item.date.year, []).append(entry)

        tag_links = []
        for key in sorted(by_tag, key=lambda k: self.content.tags[k].label(lang, self.order)[0].casefold()):
            link = self._tag_link(key, lang, prefix)
            tag_links.append(Link(f"{link.label} ({len(by_tag[key])})", link.path, link.lang))
            pages += self._listing(("tag", key), TAG_LIST, lang, lambda n, key=key: urls.tag(prefix, key, n),
                                   t(lang, "tag_title", tag=link.label), by_tag[key], per_page)
        pages.append(LinkIndexPage(key=("tags",), lang=lang, path=urls.tags_index(prefix),
                                   kind=TAGS_INDEX, title=t(lang, "tags_index"), links=tuple(tag_links)))

        year_links = []
        for year in sorted(by_year, reverse=True):
            year_links.append(Link(f"{year} ({len(by_year[year])})", urls.year(prefix, year), lang))
            pages += self._listing(("year", year), YEAR_LIST, lang, lambda n, year=year: urls.year(prefix, year, n),
                                   t(lang, "archive_title", year=year), by_year[year], per_page)
        pages.append(LinkIndexPage(key=("archive",), lang=lang, path=urls.archive_index(prefix),
                                   kind=ARCHIVE_INDEX, title=t(lang, "archive_index"), links=tuple(year_links)))
        return pages

    def _item_page(self, item: NewsItem, entry: Entry, lang: str) -> NewsItemPage:
        version = item.version_for(lang, self.order, self.drafts)
        notice = None
        if entry.is_fallback:
            notice = self.l10n.language_label(lang, "fallback_notice", version.lang)
        prefix = self.settings.language(lang).prefix
        projects = [self.content.projects[key] for key in item.projects if key in self.content.projects]
        links = self._project_links(item, lang, prefix)
        return NewsItemPage(
            key=("news", item.slug), lang=lang, path=entry.path,
            title=entry.title, markdown=version.body, entry=entry, version=version,
            notice=notice, image=entry.image, author=version.author, projects=links,
            project_acronyms=tuple(project.acronym for project in projects),
        )

    def _listing(self, key: tuple, kind: str, lang: str, path: Callable[[int], str], title: str,
                 entries: list[Entry], per_page: int) -> list[ListingPage]:
        """One page per ``per_page`` entries; ``path(n)`` is the address of page n."""
        count = max(1, -(-len(entries) // per_page))
        paths = [path(n) for n in range(1, count + 1)]
        pages = []
        for n in range(1, count + 1):
            pagination = self._pagination(n, paths, lang)
            pages.append(ListingPage(
                key=key + (n,), lang=lang, path=paths[n - 1], kind=kind,
                title=title if n == 1 else f"{title} – {pagination.label}",
                entries=tuple(entries[(n - 1) * per_page: n * per_page]),
                pagination=pagination if count > 1 else None,
            ))
        return pages

    def _pagination(self, number: int, paths: list[str], lang: str) -> Pagination:
        """Page ``number`` of a listing whose pages are at ``paths``."""
        count = len(paths)
        return Pagination(number=number, count=count, previous=paths[number - 2] if number > 1 else None,
                          next=paths[number] if number < count else None, pages=_page_window(number, paths),
                          label=self.l10n.t(lang, "page_of", page=number, pages=count))


def _page_window(number: int, paths: list[str]) -> tuple[tuple[int | None, str | None], ...]:
    count = len(paths)
    window: list[tuple[int | None, str | None]] = []
    for n in sorted({1, count, *range(max(1, number - 3), min(count, number + 3) + 1)}):
        if n in (1, count) or abs(n - number) <= 2:
            window.append((n, paths[n - 1]))
        else:  # three away: the gap before the first or after the last
            window.append((None, None))
    return tuple(window)


def _link_alternates(pages: dict[str, list[PlannedPage]]) -> None:
    """Give every page the paths of the same page in the other languages.

    Pages are frozen: each is replaced, in its list, by a copy that has them."""
    by_key: dict[tuple, dict[str, str]] = {}
    for lang, planned in pages.items():
        for page in planned:
            by_key.setdefault(page.key, {})[lang] = page.path
    for planned in pages.values():
        planned[:] = [page.with_alternates(by_key[page.key]) for page in planned]


def build_plan(content: Content, settings: Settings, l10n: Localizer | None = None) -> SitePlan:
    return Planner(content, settings, l10n or Localizer(settings)).plan()
