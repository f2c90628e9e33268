"""RSS 2.0 feeds: one per language, and one per project per language.

A feed carries only news written in its language (no fallbacks: a feed
reader subscribed in English wants English), newest first, with absolute
links. ElementTree writes the XML, so any title stays well-formed.
"""

from __future__ import annotations

import datetime as dt
import html
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from divulga import urls
from divulga.l10n import Localizer
from divulga.plan.incremental import LastRun
from divulga.read.model import Content, EventItem, NewsItem, ResultItem
from divulga.settings import Settings
from divulga.text import xml_text
from divulga.urls import FEED_FILE

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
__all__ = ["FEED_FILE", "FeedFiles", "feed_path", "render_feed", "site_feeds"]


def _text(element: ET.Element, value: str) -> None:
    """Set an element's text so that the XML stays well-formed, whatever the
    text holds (the loader refuses control characters; this makes sure)."""
    element.text = xml_text(value)


def feed_path(settings: Settings, lang: str, project_id: str | None = None) -> str:
    """Site-relative path of a feed: "feed.xml", "en/feed.xml", "en/projects/x/feed.xml" (divulga.urls.feed)."""
    return urls.feed(settings.language(lang).prefix, project_id)


def _pub_date(date: dt.date) -> str:
    return format_datetime(dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc))


def render_feed(content: Content, settings: Settings, lang: str, *, title: str, description: str,
                link: str, items: list, project_id: str | None = None, self_path: str | None = None) -> str:
    """The feed's XML text. ``link`` is the site-relative page the feed follows;
    ``items`` the news items or events it may carry (published in ``lang``,
    newest first), of which it takes the first ``feed_items``; ``self_path``
    the feed's own path when it is not a news feed (``feed_path``)."""
    ET.register_namespace("atom", ATOM)
    ET.register_namespace("dc", DC)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(ET.SubElement(channel, "title"), title)
    _text(ET.SubElement(channel, "link"), urls.absolute(settings.site_url, link))
    _text(ET.SubElement(channel, "description"), description)
    _text(ET.SubElement(channel, "language"), lang)
    ET.SubElement(channel, f"{{{ATOM}}}link", {
        "href": urls.absolute(settings.site_url, self_path or feed_path(settings, lang, project_id)),
        "rel": "self", "type": "application/rss+xml"})

    items = items[: settings.feed_items]
    if items:
        _text(ET.SubElement(channel, "lastBuildDate"), _pub_date(_date(items[0])))
    for item in items:
        _item(channel, item, lang, content, settings)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def _date(item: NewsItem | EventItem | ResultItem) -> dt.date:
    """A news item's or a result's date; an event's first day."""
    return item.first_day if isinstance(item, EventItem) else item.date


def _item(channel: ET.Element, item: NewsItem | EventItem | ResultItem, lang: str, content: Content, settings: Settings) -> None:
    version = item.published(lang)
    page = urls.event if isinstance(item, EventItem) else urls.result if isinstance(item, ResultItem) \
        else urls.news_item
    url = urls.absolute(settings.site_url, page(settings.language(lang).prefix, item.address(lang)))
    element = ET.SubElement(channel, "item")
    _text(ET.SubElement(element, "title"), version.title)
    _text(ET.SubElement(element, "link"), url)
    _text(ET.SubElement(element, "guid", {"isPermaLink": "true"}), url)
    _text(ET.SubElement(element, "pubDate"), _pub_date(_date(item)))
    # readers render <description> as HTML: the plain-text summary is escaped
    _text(ET.SubElement(element, "description"), html.escape(version.summary))
    if getattr(version, "author", None):
        # RSS <author> wants an e-mail
        _text(ET.SubElement(element, f"{{{DC}}}creator"), version.author)
    for key in item.tags:
        label, _ = content.tags[key].label(lang, (settings.default_language.code,))
        _text(ET.SubElement(element, "category"), label)


class FeedFiles:
    """Feeds as last made, by what each was made from (its items, the very objects, as many as it shows; its
    title, description and links), while what every feed shows is the same (the settings, the tag labels): a
    preview makes again only the feeds an edit reaches, and an item's edit reaches a feed only while it is
    among the latest. Only what the last build used is kept."""

    def __init__(self) -> None:
        self._context: object = None
        self._kept = LastRun()

    def begin(self, context: object) -> None:
        self._kept.begin(context == self._context)
        self._context = context

    def feed(self, content: Content, settings: Settings, lang: str, **options) -> str:
        """``render_feed(content, settings, lang, **options)``, or the same text made last time."""
        items = options["items"][: settings.feed_items]
        # items by identity (they are not hashable), kept with the text so that no other object takes their id
        key = (lang, tuple(map(id, items)),
               tuple(sorted((name, value) for name, value in options.items() if name != "items")))
        made = self._kept.get(key)
        if made is None:
            made = self._kept[key] = (items, render_feed(content, settings, lang, **{**options, "items": items}))
        return made[1]  # type: ignore[index]


def site_feeds(content: Content, settings: Settings, l10n: Localizer, made: FeedFiles | None = None
               ) -> dict[str, str]:
    """Every feed of the site, for the languages being built: path -> XML (``made``: the feeds made last time,
    in a preview)."""
    made = made if made is not None else FeedFiles()
    made.begin((settings, content.tags))
    render = made.feed
    feeds = {}
    default = settings.default_language.code
    for language in settings.languages:
        if not language.build:
            continue
        lang, prefix = language.code, language.prefix
        published = [item for item in content.news if item.published(lang) is not None]
        by_project: dict[str, list[NewsItem]] = {}
        for item in published:
            for project_id in set(item.projects):  # a key written twice lists the item once
                by_project.setdefault(project_id, []).append(item)
        news_title = f"{settings.site_name} – {l10n.t(lang, 'news')}"
        feeds[feed_path(settings, lang)] = render(
            content, settings, lang, title=news_title, description=settings.site_description or news_title,
            link=urls.news_listing(prefix), items=published)
        for project_id, project in content.projects.items():
            title, _ = project.title.get(lang, (default,))
            feeds[feed_path(settings, lang, project_id)] = render(
                content, settings, lang, title=f"{project.acronym} – {title}",
                description=f"{settings.site_name} – {l10n.t(lang, 'project_news')}",
                link=urls.project(prefix, project_id), project_id=project_id,
                items=by_project.get(project_id, []))
        # the events, the latest first (upcoming ones lead)
        events = [item for item in reversed(content.events) if item.published(lang) is not None]
        events_title = f"{settings.site_name} – {l10n.t(lang, 'events')}"
        feeds[urls.events_feed(prefix)] = render(
            content, settings, lang, title=events_title, description=settings.describe(lang) or events_title,
            link=urls.events_listing(prefix), items=events, self_path=urls.events_feed(prefix))
        # the results, newest first
        results = [item for item in content.results if item.published(lang) is not None]
        results_title = f"{settings.site_name} – {l10n.t(lang, 'results')}"
        feeds[urls.results_feed(prefix)] = render(
            content, settings, lang, title=results_title, description=settings.describe(lang) or results_title,
            link=urls.results_listing(prefix), items=results, self_path=urls.results_feed(prefix))
    return feeds
