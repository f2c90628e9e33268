"""The per-language page plan: every generated page, its URL and its data.

Computed once per build from the model, for all languages at once, so that
each page knows its alternates in the other languages and no page re-reads or
re-sorts the content. The engine adapter only turns planned pages into files.

URLs come from divulga.urls (site-relative paths ending in "/",
"en/news/<slug>/"; the default language at the root, every other under its
code); the page types (one per kind) from divulga.plan.pages.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from divulga import urls
from divulga.l10n import Localizer
from divulga.plan.incremental import LastPlan, PlanMemo, changed_items
from divulga.plan.pages import (
    ARCHIVE_INDEX,
    EVENT,
    EVENT_LIST,
    NEWS_ITEM,
    NEWS_LIST,
    PROJECT,
    PROJECT_NEWS,
    PROJECTS_INDEX,
    RESULT,
    RESULT_LIST,
    TAG_LIST,
    TAGS_INDEX,
    TEMPLATES,
    YEAR_LIST,
    CountryCount,
    Download,
    Entry,
    EventDetails,
    EventEntry,
    EventListPage,
    EventPage,
    FilterGroup,
    FilterLink,
    Image,
    Link,
    LinkIndexPage,
    ListingPage,
    NewsItemPage,
    Organisation,
    Pagination,
    PartnerRole,
    PartnersPage,
    PlannedPage,
    ProjectPage,
    ProjectsIndexPage,
    ResultDetails,
    ResultEntry,
    ResultListPage,
    ResultPage,
    StatusCell,
    StatusCount,
    StatusGroup,
    StatusRow,
    TranslationStatusPage,
)
from divulga.plan.partners import JoinedPartner, country_counts, join_partners
from divulga.plan.project_views import ProjectView, ProjectViews, Statement, Text, statement
from divulga.plan.translations import KINDS, MISSING, ORIGINAL, OUTDATED, STATUSES, UP_TO_DATE, Row, \
    item_row, translation_rows
from divulga.read.docpages import DocPages
from divulga.read.model import RESULT_TYPES, Content, EventItem, NewsItem, NewsVersion, ResultFile, ResultItem
from divulga.read.schema import licence_name
from divulga.settings import Settings

# The page types and kinds live in divulga.plan.pages, the URLs in
# divulga.urls; imported from here by the engine adapter.
__all__ = [
    "ARCHIVE_INDEX", "EVENT", "EVENT_LIST", "EventEntry", "EventListPage", "EventPage", "NEWS_ITEM",
    "NEWS_LIST", "PROJECT", "PROJECTS_INDEX", "RESULT", "RESULT_LIST", "TAG_LIST", "TAGS_INDEX",
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
    results_index: dict[str, str] = field(default_factory=dict)  # lang -> path of the results library
    partners_index: dict[str, str] = field(default_factory=dict)  # lang -> path of the partners page
    tagline: dict[str, Text] = field(default_factory=dict)  # lang -> the home's tagline
    # lang -> docs/ page (its place, about.md) -> its source, labelled with the notice, when its translation is
    # outdated
    page_notices: dict[str, dict[str, Link]] = field(default_factory=dict)
    # old address -> new one: a translation's page at its own address (`slug:`) is still found at the file name's
    redirects: dict[str, str] = field(default_factory=dict)

    def for_language(self, lang: str) -> list[PlannedPage]:
        return self.pages.get(lang, [])


# How many of its news items, events and results a project sheet shows (the latest); more are linked.
PROJECT_LATEST = 6


class Planner:
    def __init__(self, content: Content, settings: Settings, l10n: Localizer, docs: DocPages | None = None,
                 memo: PlanMemo | None = None, again: tuple[LastPlan, list[tuple[str, object, object]]] | None = None):
        """``again``: the last plan and the items changed since (``replan``), to plan from it."""
        self.content = content
        self.docs = docs
        self.settings = settings
        self.l10n = l10n
        default = settings.default_language.code
        self.order = (default, *(c for c in settings.codes if c != default))
        self.drafts = settings.show_drafts
        self.items = [item for item in content.news if item.visible(self.drafts)]
        self.events = [item for item in content.events if item.visible(self.drafts)]
        self.results = [item for item in content.results if item.visible(self.drafts)]
        self.partners = join_partners(list(content.projects.values()), default)
        self.views = ProjectViews(l10n, self.order, settings.today)
        kinds = (("news", content.news), ("event", content.events), ("result", content.results))
        self._items = {(kind, item.slug): item for kind, items in kinds for item in items}
        # what the last plan made from each item that did not change, when planning again (a preview)
        self.memo = memo if memo is not None else PlanMemo()
        # where each translation stands (divulga.plan.translations), by (kind, key)
        if again is None:
            self.memo.begin(plan_context(content, settings))
            self.translations = {(row.kind, row.key): row
                                 for row in translation_rows(content, settings, docs, self.memo)}
        else:  # the last plan's, with the changed items' rows made again
            self.translations = dict(again[0].translations)
            for kind, _, item in again[1]:
                self.translations[(kind, item.slug)] = item_row(kind, item, settings, self.memo)

    def plan(self) -> SitePlan:
        pages: dict[str, list[PlannedPage]] = {}
        plan = SitePlan(pages=pages, latest={}, news_index={}, projects_index={}, funding={})
        for language in self.settings.languages:
            lang, prefix = language.code, language.prefix
            remember = self.memo.get
            entries = [remember("entry", item, lang, self._entry, item, lang) for item in self.items]
            events = [remember("entry", item, lang, self._event_entry, item, lang) for item in self.events]
            results = [remember("entry", item, lang, self._result_entry, item, lang) for item in self.results]
            # The listings exist even when empty: the navigation links them.
            pages[lang] = (self._pages(lang, prefix, entries) + self._event_pages(lang, prefix, events)
                           + self._result_pages(lang, prefix, results)
                           + self._project_pages(lang, prefix, entries, events, results)
                           + [self._partners_page(lang, prefix)]
                           + ([self._translation_status(lang, prefix)] if self.drafts else []))
            plan.events_index[lang] = urls.events_listing(prefix)
            plan.results_index[lang] = urls.results_listing(prefix)
            plan.partners_index[lang] = urls.partners(prefix)
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
            plan.page_notices[lang] = self._page_notices(lang)
            plan.redirects.update(self._redirects(lang, prefix))
        _link_alternates(pages, self.memo)
        return plan

    def replan(self, last: SitePlan, changed: list[tuple[str, object, object]]) -> SitePlan:
        """``last``, planned again after ``changed`` (kind, item before, item now) changed in nothing that
        places them among the others (``item_shape``): their entries and pages are made again, and put in
        place of the old ones wherever those were (listings, project sheets, the home page); the pages of
        items with an outdated translation are made again, as ``plan`` does; the status page too. Every other
        page is the last plan's own object. Equal to ``plan()`` (tests/test_reload.py checks)."""
        makers = {"news": (self._entry, self._item_page), "event": (self._event_entry, self._event_page),
                  "result": (self._result_entry, self._result_page)}
        items = {(kind, item.slug): item for kind, _, item in changed}
        for key in self.translations:  # as in plan()
            if key[0] in makers and key not in items and self._remade_always(key):
                items[key] = self._items[key]
        plan = dataclasses.replace(last, pages={}, latest={}, upcoming={})
        for lang, planned in last.pages.items():
            prefix = self.settings.language(lang).prefix
            where = {page.key: n for n, page in enumerate(planned)}
            pages = list(planned)
            swapped: dict[int, object] = {}  # id(entry before) -> the entry now
            for (kind, slug), item in items.items():
                if not item.visible(self.drafts):
                    continue
                before = pages[where[(kind, slug)]]
                make_entry, make_page = makers[kind]
                entry = self.memo.get("entry", item, lang, make_entry, item, lang)
                if entry is not before.entry:
                    swapped[id(before.entry)] = entry
                args = (item, entry, lang, prefix) if kind == "event" else (item, entry, lang)
                page = self._remember_page(kind, item, lang, make_page, *args)
                pages[where[(kind, slug)]] = _with_alternates(page, before.alternates, self.memo)
            if swapped:
                for n, page in enumerate(pages):
                    fields = _ENTRY_FIELDS.get(type(page))
                    if fields:
                        now = {name: _swap(getattr(page, name), swapped) for name in fields}
                        now = {name: value for name, value in now.items() if value is not getattr(page, name)}
                        if now:
                            pages[n] = dataclasses.replace(page, **now)
            if self.drafts:
                status = pages[where[("translations",)]]
                pages[where[("translations",)]] = _with_alternates(self._translation_status(lang, prefix),
                                                                   status.alternates, self.memo)
            plan.pages[lang] = pages
            plan.latest[lang] = _swap(last.latest[lang], swapped)
            plan.upcoming[lang] = _swap(last.upcoming[lang], swapped)
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

    def _project_pages(self, lang: str, prefix: str, entries: list[Entry], events: list[EventEntry],
                       results: list[ResultEntry]) -> list[PlannedPage]:
        pages: list[PlannedPage] = []
        views = []
        # each project's news items, events and results, in their order: one pass over each
        by_project: dict[str, tuple[list, list, list]] = {key: ([], [], []) for key in self.content.projects}
        for n, (items, made) in enumerate(((self.items, entries), (self.events, events), (self.results, results))):
            for item, entry in zip(items, made):
                for key in dict.fromkeys(item.projects):
                    if key in by_project:
                        by_project[key][n].append(entry)
        for project in self.content.projects.values():
            view = self.views.view(project, lang, urls.project(prefix, project.id))
            views.append(view)
            about, its_events, its_results = by_project[project.id]
            # the sheet shows the latest of each, linking to all of them: bounded however many there are
            more = []
            if len(about) > PROJECT_LATEST:
                pages += self._listing(("project-news", project.id), PROJECT_NEWS, lang,
                                       lambda n, key=project.id: urls.project_news(prefix, key, n),
                                       self.l10n.t(lang, "project_news_title", project=project.acronym), about,
                                       self.settings.archive_per_page)
                more.append(Link(self.l10n.t(lang, "all_project_news", count=len(about)),
                                 urls.project_news(prefix, project.id), lang))
            if len(its_events) > PROJECT_LATEST:
                # the next ones, then the latest past ones
                upcoming = [entry for entry in its_events if entry.upcoming][:PROJECT_LATEST]
                past = [entry for entry in its_events if not entry.upcoming]
                room = PROJECT_LATEST - len(upcoming)
                its_events = upcoming + (past[-room:] if room else [])
                more.append(Link(self.l10n.t(lang, "all_events"), urls.events_listing(prefix), lang))
            if len(its_results) > PROJECT_LATEST:
                more.append(Link(self.l10n.t(lang, "all_project_results", count=len(its_results)),
                                 urls.results_by(prefix, "project", project.id), lang))
            pages.append(ProjectPage(
                key=("project", project.id), lang=lang, path=view.path,
                title=f"{view.acronym} – {view.title.text}", entries=tuple(about[:PROJECT_LATEST]), project=view,
                events=tuple(its_events), results=tuple(its_results[:PROJECT_LATEST]), more=tuple(more),
                countries=self._countries(country_counts(list(project.partners)), lang),
                data=(Link("JSON", urls.project_data(project.id, "json"), lang),
                      Link("CSV", urls.project_data(project.id, "csv"), lang)),
                links=tuple(self._tag_link(key, lang, prefix) for key in project.tags),
                outdated=self._translation_outdated(self.translations[("project", project.id)], lang),
            ))
        views.sort(key=lambda view: view.sort_key)
        pages.append(ProjectsIndexPage(key=("projects",), lang=lang, path=urls.projects_index(prefix),
                                       title=self.l10n.t(lang, "projects"), project_list=tuple(views)))
        return pages

    # -- partners ----------------------------------------------------------

    def _countries(self, counts: Counter[str], lang: str) -> tuple[CountryCount, ...]:
        """Each country with its partners, by name in ``lang``."""
        found = [CountryCount(code, self.l10n.country(code, lang), count) for code, count in counts.items()]
        return tuple(sorted(found, key=lambda c: (c.name.casefold(), c.code)))

    def _organisation(self, joined: JoinedPartner, lang: str, prefix: str) -> Organisation:
        name, name_lang = joined.partner.name.get(lang, self.order)
        roles = []
        for taking_part in joined.participations:
            project = taking_part.project
            roles.append(PartnerRole(Link(project.acronym, urls.project(prefix, project.id), lang),
                                     self.l10n.t(lang, f"role_{taking_part.partner.role}")))
        logo = joined.logo
        return Organisation(
            name=name, name_lang=name_lang, country=self.l10n.country(joined.partner.country, lang),
            country_code=joined.partner.country, url=joined.url,
            logo=Image(logo, name, name_lang) if logo else None, roles=tuple(roles))

    def _partners_page(self, lang: str, prefix: str) -> PartnersPage:
        organisations = sorted((self._organisation(joined, lang, prefix) for joined in self.partners),
                               key=lambda o: (o.name.casefold(), o.country_code))
        return PartnersPage(key=("partners",), lang=lang, path=urls.partners(prefix),
                            title=self.l10n.t(lang, "partners"), partners=tuple(organisations),
                            countries=self._countries(country_counts(self.partners), lang))

    # -- results -----------------------------------------------------------

    def _result_entry(self, item: ResultItem, lang: str) -> ResultEntry:
        version = item.version_for(lang, self.order, self.drafts)
        prefix = self.settings.language(lang).prefix
        is_fallback = version.lang != lang
        return ResultEntry(
            slug=item.slug, path=urls.result(prefix, item.address(lang, self.drafts)), title=version.title,
            summary=version.summary,
            date=item.date, date_label=self.l10n.date(item.date, lang), lang=version.lang,
            is_fallback=is_fallback,
            badge=self.l10n.language_label(lang, "in_language", version.lang) if is_fallback else None,
            tags=tuple(self._tag_link(key, lang, prefix) for key in item.tags), draft=version.draft,
            image=self._image(item, version), type=item.type, type_label=self.l10n.t(lang, f"result_{item.type}"),
            year=item.date.year,
        )

    def _download(self, file: ResultFile, lang: str) -> Download:
        about = []
        if file.format:
            about.append(file.format)
        if file.size is not None:
            about.append(self.l10n.file_size(file.size, lang))
        if file.lang:
            about.append(self.l10n.language_label(lang, "in_language", file.lang))
        if file.file is not None:
            return Download(label=file.file.rsplit("/", 1)[-1], path=urls.media(file.file), url=None,
                            about=", ".join(about), lang=file.lang)
        host = file.url.split("://", 1)[-1].split("/", 1)[0]
        return Download(label=host, path=None, url=file.url, about=", ".join(about), lang=file.lang)

    def _result_details(self, item: ResultItem, lang: str) -> ResultDetails:
        licence = None
        if item.licence:
            licence = Link(licence_name(item.licence), urls.licence_page(item.licence), "en")
        return ResultDetails(
            downloads=tuple(self._download(file, lang) for file in item.files),
            deliverable=item.deliverable, work_package=item.work_package,
            authors=", ".join(item.authors) or None, licence=licence,
            doi=Link(item.doi, urls.doi(item.doi), lang) if item.doi else None,
        )

    def _result_pages(self, lang: str, prefix: str, entries: list[ResultEntry]) -> list[PlannedPage]:
        t = self.l10n.t
        pages: list[PlannedPage] = []
        for item, entry in zip(self.results, entries):
            pages.append(self._remember_page("result", item, lang, self._result_page, item, entry, lang))
        # the library, and one listing per type, project and year that has results
        groups: dict[str, dict[str | int, list[ResultEntry]]] = {kind: {} for kind in urls.RESULT_FILTERS}
        for item, entry in zip(self.results, entries):
            groups["type"].setdefault(item.type, []).append(entry)
            for key in item.projects:
                if key in self.content.projects:
                    groups["project"].setdefault(key, []).append(entry)
            groups["year"].setdefault(item.date.year, []).append(entry)
        labels: dict[str, dict[str | int, tuple[str, str | None]]] = {
            "type": {kind: (t(lang, f"result_{kind}"), None) for kind in RESULT_TYPES},
            "project": {key: (project.acronym, None) for key, project in self.content.projects.items()},
            "year": {year: (str(year), None) for year in groups["year"]},
        }
        orders = {
            "type": [kind for kind in RESULT_TYPES if kind in groups["type"]],
            "project": sorted(groups["project"], key=lambda key: self.content.projects[key].acronym.casefold()),
            "year": sorted(groups["year"], reverse=True),
        }
        all_path = urls.results_listing(prefix)
        listings: list[tuple[tuple, str, list[ResultEntry], str, bool]] = [
            (("results",), t(lang, "results"), entries, all_path, False)]
        for kind in urls.RESULT_FILTERS:
            for value in orders[kind]:
                label = labels[kind][value][0]
                listings.append((("results", kind, value), t(lang, f"results_by_{kind}", value=label),
                                 groups[kind][value], urls.results_by(prefix, kind, value), True))
        per_page = self.settings.news_per_page
        for key, title, listed, base, filtered in listings:
            count = max(1, -(-len(listed) // per_page))
            paths = [urls.paged(base, n) for n in range(1, count + 1)]
            filters = tuple(
                FilterGroup(t(lang, f"filter_{kind}"), tuple(
                    FilterLink(label=labels[kind][value][0], path=urls.results_by(prefix, kind, value),
                               count=len(groups[kind][value]), current=base == urls.results_by(prefix, kind, value))
                    for value in orders[kind]))
                for kind in urls.RESULT_FILTERS if orders[kind])
            for n in range(1, count + 1):
                pagination = self._pagination(n, paths, lang)
                pages.append(ResultListPage(
                    key=key + (n,), lang=lang, path=paths[n - 1],
                    title=title if n == 1 else f"{title} – {pagination.label}",
                    entries=tuple(listed[(n - 1) * per_page: n * per_page]),
                    pagination=pagination if count > 1 else None, filters=filters, all_results=all_path,
                    filtered=filtered,
                ))
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
            path=urls.news_item(prefix, item.address(lang, self.drafts)),
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
            slug=item.slug, path=urls.event(prefix, item.address(lang, self.drafts)), title=version.title,
            summary=version.summary,
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
            pages.append(self._remember_page("event", item, lang, self._event_page, item, entry, lang, prefix))
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
            calendar=urls.event_calendar(prefix, item.slug, item.address(lang, self.drafts)),
            start=item.start.isoformat(),
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
        pages: list[PlannedPage] = [self._remember_page("news", item, lang, self._item_page, item, entry, lang)
                                    for item, entry in zip(self.items, entries)]
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

    def _remember_page(self, kind: str, item, lang: str, make: Callable[..., PlannedPage], *args) -> PlannedPage:
        """An item's page, the one made last time when the item did not change (PlanMemo); made again
        when a translation of it is outdated (its notice is dated from the history, read again)."""
        if self._remade_always((kind, item.slug)):
            return make(*args)
        return self.memo.get("page", item, lang, make, *args)

    def _remade_always(self, key: tuple[str, str]) -> bool:
        """Whether the pages of the item at ``key`` (kind, slug) are made at every plan: while a translation
        of it is outdated, its notice's date comes from the history, read again each time."""
        return any(cell.status == OUTDATED for cell in self.translations[key].cells.values())

    def _event_page(self, item: EventItem, entry: EventEntry, lang: str, prefix: str) -> EventPage:
        return EventPage(**self._item_fields("event", item, entry, lang, "fallback_notice_event"),
                         details=self._event_details(item, lang, prefix))

    def _result_page(self, item: ResultItem, entry: ResultEntry, lang: str) -> ResultPage:
        return ResultPage(**self._item_fields("result", item, entry, lang, "fallback_notice_result"),
                          details=self._result_details(item, lang))

    def _item_page(self, item: NewsItem, entry: Entry, lang: str) -> NewsItemPage:
        fields = self._item_fields("news", item, entry, lang, "fallback_notice")
        return NewsItemPage(**fields, author=fields["version"].author)

    def _item_fields(self, kind: str, item, entry, lang: str, notice: str) -> dict:
        """What the page of an item written once per language (a news item, an
        event, a result) has in ``lang``: its version (or a fallback copy with
        the ``notice`` string), picture and projects."""
        version = item.version_for(lang, self.order, self.drafts)
        prefix = self.settings.language(lang).prefix
        return dict(
            key=(kind, item.slug), lang=lang, path=entry.path, title=entry.title, markdown=version.body,
            entry=entry, version=version, image=entry.image, outdated=self._outdated(kind, item, version, lang),
            notice=self.l10n.language_label(lang, notice, version.lang) if entry.is_fallback else None,
            projects=self._project_links(item, lang, prefix),
            project_acronyms=tuple(self.content.projects[key].acronym for key in item.projects
                                   if key in self.content.projects),
        )

    def _outdated(self, kind: str, item, version: NewsVersion, lang: str) -> Link | None:
        """A link to the version this one translates, when that version changed in substance since (its
        fingerprint is no longer the one recorded): the notice, in the reader's language, is its label."""
        if version.lang != lang:
            return None
        row = self.translations[(kind, item.slug)]
        cell = row.cells[lang]
        if cell.status != OUTDATED or item.published(cell.source_lang, self.drafts) is None:
            return None
        return self._translation_outdated(row, lang)

    def _translation_outdated(self, row: Row, lang: str) -> Link | None:
        """The notice of a translation in ``lang`` whose source changed since (dated by the source's file),
        as the label of a link to the source in its language; None when it is not outdated."""
        cell = row.cells.get(lang)
        if cell is None or cell.status != OUTDATED or cell.source_lang not in self.settings.codes:
            return None
        source = row.cells[cell.source_lang].path or row.source
        changed = self.content.history.last_changed(self.settings.root / source)
        text, used = self.l10n.lookup(lang, "outdated_notice_on" if changed else "outdated_notice")
        notice = text.format(language=self.l10n.language_name(cell.source_lang, used),
                             date=self.l10n.date(changed, used) if changed else "")
        return Link(notice, self._translation_path(row, cell.source_lang), cell.source_lang)

    def _translation_path(self, row: Row, lang: str) -> str:
        """The page of ``row``'s text in ``lang``."""
        prefix = self.settings.language(lang).prefix
        if row.kind == "page":
            return prefix + urls.document_page(row.key)
        if row.kind == "project":
            return urls.project(prefix, row.key)
        return urls.item_page(row.kind, prefix, self._items[(row.kind, row.key)].address(lang, self.drafts))

    def _redirects(self, lang: str, prefix: str) -> dict[str, str]:
        """From the file name's address to a translation's own (``slug:``), in ``lang``."""
        moved = {}
        for (kind, slug), item in self._items.items():
            address = item.address(lang, self.drafts)
            if address != slug and item.visible(self.drafts):
                moved[urls.item_page(kind, prefix, slug)] = urls.item_page(kind, prefix, address)
        return moved

    def _page_notices(self, lang: str) -> dict[str, Link]:
        """The outdated notices of the hand-written pages in ``lang``, by their place in docs/."""
        notices = {}
        for (kind, key), row in self.translations.items():
            if kind == "page" and row.cells[lang].status == OUTDATED:
                notices[key] = self._translation_outdated(row, lang)
        return notices

    def _translation_status(self, lang: str, prefix: str) -> TranslationStatusPage:
        """Where every translation stands, for editors, in the preview."""
        titles = self._status_titles(lang)
        names = {code: self.l10n.language_name(code, lang) for code in self.settings.codes}
        label = {status: self.l10n.t(lang, f"translation_{status}") for status in STATUSES}
        groups, counts = [], {code: Counter() for code in self.settings.codes}
        by_kind: dict[str, list[Row]] = {}
        for (kind, _), row in self.translations.items():
            by_kind.setdefault(kind, []).append(row)
        for kind in KINDS:
            rows = []
            for row in by_kind.get(kind, ()):
                for code, cell in row.cells.items():
                    counts[code][cell.status] += 1
                title = titles.get((kind, row.key), (row.key, lang))
                # an item's row is the same object while the item is (PlanMemo): its line too
                rows.append(self.memo.get("status", row, lang, self._status_row, row, title, label, lang))
            if rows:
                groups.append(StatusGroup(self.l10n.t(lang, f"translations_{kind}"), tuple(rows)))
        summary = tuple(
            StatusCount(Link(names[code], urls.home(self.settings.language(code).prefix), code),
                        tuple((label[status], counts[code][status]) for status in STATUSES if counts[code][status]))
            for code in self.settings.codes)
        return TranslationStatusPage(
            key=("translations",), lang=lang, path=urls.translations(prefix),
            title=self.l10n.t(lang, "translations_title"),
            languages=tuple(Link(names[code], urls.home(self.settings.language(code).prefix), code)
                            for code in self.settings.codes),
            summary=summary, groups=tuple(groups))

    def _status_row(self, row: Row, title: tuple[str, str], label: dict[str, str], lang: str) -> StatusRow:
        cells = tuple(StatusCell(cell.status, label[cell.status],
                                 self._translation_path(row, code) if cell.status != MISSING else None, code)
                      for code, cell in row.cells.items())
        return StatusRow(Link(title[0], self._translation_path(row, lang), title[1]), row.source, cells,
                         any(c.status not in (ORIGINAL, UP_TO_DATE) for c in cells))

    def _status_titles(self, lang: str) -> dict[tuple[str, str], tuple[str, str]]:
        """The title of every text of the status page and its language: in ``lang`` when written in it."""
        titles = {}
        for kind, items in (("news", self.content.news), ("event", self.content.events),
                            ("result", self.content.results)):
            for item in items:
                version = item.versions.get(lang) or next(iter(item.versions.values()))
                titles[(kind, item.slug)] = version.title, version.lang
        for project in self.content.projects.values():
            titles[("project", project.id)] = project.acronym, lang
        for page in sorted(self.docs.pages if self.docs else (), key=lambda page: page.lang != lang):
            if page.lang is not None:
                titles.setdefault(("page", page.virtual), (page.title, page.lang))
        return titles

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


# The fields of pages that list entries (Planner.replan puts a changed item's entries in them)
_ENTRY_FIELDS = {ListingPage: ("entries",), ResultListPage: ("entries",), EventListPage: ("upcoming", "entries"),
                 ProjectPage: ("entries", "events", "results")}


def _swap(entries: tuple, swapped: dict[int, object]) -> tuple:
    """``entries`` with those in ``swapped`` (by identity) replaced; the same tuple when none is."""
    if swapped and any(id(entry) in swapped for entry in entries):
        return tuple(swapped.get(id(entry), entry) for entry in entries)
    return entries


def _with_alternates(page: PlannedPage, alternates: dict[str, str], memo: PlanMemo) -> PlannedPage:
    """``page`` with ``alternates``: the copy made last time for the same page, when it has them."""
    copy = memo.get("alternates", page, None, page.with_alternates, alternates)
    return copy if copy.alternates == alternates else page.with_alternates(alternates)


def _link_alternates(pages: dict[str, list[PlannedPage]], memo: PlanMemo) -> None:
    """Give every page the paths of the same page in the other languages.

    Pages are frozen: each is replaced, in its list, by a copy that has them
    (the copy made last time, for a page planned again from the same item with
    the same alternates)."""
    by_key: dict[tuple, dict[str, str]] = {}
    for lang, planned in pages.items():
        for page in planned:
            by_key.setdefault(page.key, {})[lang] = page.path
    for planned in pages.values():
        planned[:] = [_with_alternates(page, by_key[page.key], memo) for page in planned]


def plan_context(content: Content, settings: Settings) -> tuple:
    """What every part of the plan may depend on, besides the items and the hand-written pages."""
    return settings, content.tags, content.projects


def item_shape(item, settings: Settings) -> tuple:
    """What places an item among the others in the plan: whether it shows, its page's address in each
    language, its tags and projects, its dates (its order, its year, whether an event is still to come), a
    result's type. An item changed in nothing else changes only its own page, its entries and its
    translation row (``Planner.replan``)."""
    drafts = settings.show_drafts
    shape = (item.visible(drafts), tuple(item.address(code, drafts) for code in settings.codes), item.tags,
             item.projects)
    if isinstance(item, EventItem):
        return shape + (item.start, item.end, item.upcoming(settings.today))
    if isinstance(item, ResultItem):
        return shape + (item.date, item.type)
    return shape + (item.date,)


def build_plan(content: Content, settings: Settings, l10n: Localizer | None = None,
               docs: DocPages | None = None, memo: PlanMemo | None = None) -> SitePlan:
    """The plan; ``memo``: what the last plan made, when planning again (see PlanMemo): from the last plan
    itself when only a few items changed, and none in its shape (``changed_items``)."""
    l10n = l10n or Localizer(settings)
    context = plan_context(content, settings)
    changed = None
    if memo is not None and memo.last is not None:
        changed = changed_items(memo.last, content, docs, context, lambda item: item_shape(item, settings))
    if changed is not None:
        planner = Planner(content, settings, l10n, docs, memo, again=(memo.last, changed))
        plan = planner.replan(memo.last.plan, changed)
    else:
        planner = Planner(content, settings, l10n, docs, memo)
        plan = planner.plan()
    if memo is not None:
        memo.last = LastPlan(content, docs, context, planner.translations, plan)
    return plan
