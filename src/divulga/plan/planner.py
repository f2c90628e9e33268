"""The per-language page plan: every generated page, its URL and its data.

Computed once per build from the model, for all languages at once, so that
each page knows its alternates in the other languages and no page re-reads or
re-sorts the content. The engine adapter only turns planned pages into files.

URLs are site-relative paths ending in "/" ("en/news/<slug>/"); the default
language lives at the root, every other under its code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from divulga.l10n import Localizer
from divulga.read.model import Content, NewsItem, NewsVersion
from divulga.read.news import MEDIA_DIR
from divulga.plan.project_views import ProjectView, ProjectViews, Statement, Text, statement
from divulga.settings import Settings

NEWS = "news/"
PROJECTS = "projects/"

# Page kinds, also the names of their templates in overrides/divulga/.
NEWS_ITEM = "news-item"
NEWS_LIST = "news-list"
TAG_LIST = "tag-list"
YEAR_LIST = "year-list"
TAGS_INDEX = "tags-index"
ARCHIVE_INDEX = "archive-index"
PROJECT = "project"
PROJECTS_INDEX = "projects-index"
TEMPLATES = {
    PROJECT: "divulga/project.html",
    PROJECTS_INDEX: "divulga/projects-index.html",
    NEWS_ITEM: "divulga/news-item.html",
    NEWS_LIST: "divulga/news-list.html",
    TAG_LIST: "divulga/news-list.html",
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


@dataclass(frozen=True)
class Image:
    path: str
    alt: str
    alt_lang: str


@dataclass
class PlannedPage:
    key: tuple  # identifies the page across languages
    lang: str
    path: str
    kind: str
    title: str
    markdown: str = ""  # body to render through the engine's Markdown
    entries: tuple[Entry, ...] = ()
    pagination: Pagination | None = None
    links: tuple[Link, ...] = ()  # tag and year index pages
    alternates: dict[str, str] = field(default_factory=dict)  # lang -> path
    # news items only
    entry: Entry | None = None
    version: NewsVersion | None = None
    notice: str | None = None  # fallback notice in the reader's language
    image: Image | None = None
    author: str | None = None
    projects: tuple[Link, ...] = ()  # projects a news item names
    project_acronyms: tuple[str, ...] = ()  # the same, for search filters
    # project pages and the projects index
    project: ProjectView | None = None
    project_list: tuple[ProjectView, ...] = ()

    @property
    def template(self) -> str:
        return TEMPLATES[self.kind]

    @property
    def compact(self) -> bool:
        """Topic and year pages list dates and titles only (archive_per_page)."""
        return self.kind in (TAG_LIST, YEAR_LIST)

    @property
    def searchable(self) -> bool:
        """Whether the search index takes the page: news written in this
        language and project sheets; not listings, nor fallback copies."""
        if self.kind == NEWS_ITEM:
            return not self.entry.is_fallback
        return self.kind == PROJECT

    @property
    def source_path(self) -> str:
        """A virtual source path, as if the page were a Markdown file of docs/.

        News items sit at ``news/<slug>.md`` so relative links in their bodies
        (``../about.md``) resolve like those of hand-written pages.
        """
        unprefixed = self.path[len(_prefix(self.path, self.lang)):]
        if self.kind == NEWS_ITEM:
            return unprefixed.rstrip("/") + ".md"
        return unprefixed + "index.md"


def _prefix(path: str, lang: str) -> str:
    return f"{lang}/" if path.startswith(f"{lang}/") else ""


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
        self.views = ProjectViews(l10n, self.order, settings.today)

    def plan(self) -> SitePlan:
        pages: dict[str, list[PlannedPage]] = {}
        latest: dict[str, tuple[Entry, ...]] = {}
        news_index: dict[str, str] = {}
        projects_index: dict[str, str] = {}
        funding: dict[str, SiteFunding] = {}
        for language in self.settings.languages:
            lang, prefix = language.code, language.prefix
            entries = [self._entry(item, lang) for item in self.items]
            # The listings exist even when empty: the navigation links them.
            pages[lang] = self._pages(lang, prefix, entries) + self._project_pages(lang, prefix, entries)
            latest[lang] = tuple(entries[: self.settings.home_news])
            news_index[lang] = prefix + NEWS
            projects_index[lang] = prefix + PROJECTS
            funding[lang] = self._funding(lang)
        _link_alternates(pages)
        return SitePlan(pages=pages, latest=latest, news_index=news_index,
                        projects_index=projects_index, funding=funding)

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

    def _project_path(self, project_id: str, prefix: str) -> str:
        return f"{prefix}{PROJECTS}{project_id}/"

    def _project_pages(self, lang: str, prefix: str, entries: list[Entry]) -> list[PlannedPage]:
        pages = []
        views = []
        for project in self.content.projects.values():
            view = self.views.view(project, lang, self._project_path(project.id, prefix))
            views.append(view)
            about = tuple(entry for item, entry in zip(self.items, entries) if project.id in item.projects)
            pages.append(PlannedPage(
                key=("project", project.id), lang=lang, path=view.path, kind=PROJECT,
                title=f"{view.acronym} – {view.title.text}", entries=about, project=view,
                links=tuple(self._tag_link(key, lang, prefix) for key in project.tags),
            ))
        views.sort(key=lambda view: view.sort_key)
        pages.append(PlannedPage(key=("projects",), lang=lang, path=prefix + PROJECTS, kind=PROJECTS_INDEX,
                                 title=self.l10n.t(lang, "projects"), project_list=tuple(views)))
        return pages

    # -- entries -----------------------------------------------------------

    def _entry(self, item: NewsItem, lang: str) -> Entry:
        version = item.version_for(lang, self.order, self.drafts)
        prefix = self.settings.language(lang).prefix
        is_fallback = version.lang != lang
        return Entry(
            slug=item.slug,
            path=f"{prefix}{NEWS}{item.slug}/",
            title=version.title,
            summary=version.summary,
            date=item.date,
            date_label=self.l10n.date(item.date, lang),
            lang=version.lang,
            is_fallback=is_fallback,
            badge=self.l10n.language_label(lang, "in_language", version.lang) if is_fallback else None,
            tags=tuple(self._tag_link(key, lang, prefix) for key in item.tags),
            draft=version.draft,
        )

    def _tag_link(self, key: str, lang: str, prefix: str) -> Link:
        label, label_lang = self.content.tags[key].label(lang, self.order)
        return Link(label, f"{prefix}{NEWS}tags/{key}/", label_lang)

    # -- pages -------------------------------------------------------------

    def _pages(self, lang: str, prefix: str, entries: list[Entry]) -> list[PlannedPage]:
        t = self.l10n.t
        pages = [self._item_page(item, entry, lang) for item, entry in zip(self.items, entries)]
        pages += self._listing(("news",), NEWS_LIST, lang, prefix + NEWS, t(lang, "news"), entries,
                               self.settings.news_per_page)
        # Topic and year pages list dates and titles only, more per page.
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
            pages += self._listing(("tag", key), TAG_LIST, lang, link.path,
                                   t(lang, "tag_title", tag=link.label), by_tag[key], per_page)
        pages.append(PlannedPage(key=("tags",), lang=lang, path=f"{prefix}{NEWS}tags/",
                                 kind=TAGS_INDEX, title=t(lang, "tags_index"), links=tuple(tag_links)))

        year_links = []
        for year in sorted(by_year, reverse=True):
            path = f"{prefix}{NEWS}archive/{year}/"
            year_links.append(Link(f"{year} ({len(by_year[year])})", path, lang))
            pages += self._listing(("year", year), YEAR_LIST, lang, path,
                                   t(lang, "archive_title", year=year), by_year[year], per_page)
        pages.append(PlannedPage(key=("archive",), lang=lang, path=f"{prefix}{NEWS}archive/",
                                 kind=ARCHIVE_INDEX, title=t(lang, "archive_index"), links=tuple(year_links)))
        return pages

    def _item_page(self, item: NewsItem, entry: Entry, lang: str) -> PlannedPage:
        version = item.version_for(lang, self.order, self.drafts)
        notice = None
        if entry.is_fallback:
            notice = self.l10n.language_label(lang, "fallback_notice", version.lang)
        image = None
        if item.image:
            alt, alt_lang = item.image_alt_for(version, self.order)
            image = Image(path=f"{MEDIA_DIR}/{item.image}", alt=alt or "", alt_lang=alt_lang)
        prefix = self.settings.language(lang).prefix
        projects = [self.content.projects[key] for key in item.projects if key in self.content.projects]
        links = []
        for project in projects:
            title, title_lang = project.title.get(lang, self.order)
            links.append(Link(f"{project.acronym} – {title}", self._project_path(project.id, prefix), title_lang))
        return PlannedPage(
            key=("news", item.slug), lang=lang, path=entry.path, kind=NEWS_ITEM,
            title=entry.title, markdown=version.body, entry=entry, version=version,
            notice=notice, image=image, author=version.author, projects=tuple(links),
            project_acronyms=tuple(project.acronym for project in projects),
        )

    def _listing(self, key: tuple, kind: str, lang: str, base: str, title: str,
                 entries: list[Entry], per_page: int) -> list[PlannedPage]:
        """One page per ``per_page`` entries: base, base/page/2/, ..."""
        count = max(1, -(-len(entries) // per_page))
        paths = [base if n == 1 else f"{base}page/{n}/" for n in range(1, count + 1)]
        pages = []
        for n in range(1, count + 1):
            label = self.l10n.t(lang, "page_of", page=n, pages=count)
            pagination = Pagination(
                number=n, count=count,
                previous=paths[n - 2] if n > 1 else None,
                next=paths[n] if n < count else None,
                pages=_page_window(n, paths),
                label=label,
            ) if count > 1 else None
            pages.append(PlannedPage(
                key=key + (n,), lang=lang, path=paths[n - 1], kind=kind,
                title=title if n == 1 else f"{title} – {label}",
                entries=tuple(entries[(n - 1) * per_page: n * per_page]),
                pagination=pagination,
            ))
        return pages


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
    """Give every page the paths of the same page in the other languages."""
    by_key: dict[tuple, dict[str, str]] = {}
    for lang, planned in pages.items():
        for page in planned:
            by_key.setdefault(page.key, {})[lang] = page.path
    for planned in pages.values():
        for page in planned:
            page.alternates = by_key[page.key]


def build_plan(content: Content, settings: Settings, l10n: Localizer | None = None) -> SitePlan:
    return Planner(content, settings, l10n or Localizer(settings)).plan()
