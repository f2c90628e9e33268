"""News items: ``content/news/<slug>.<lang>.md``, one file per language
version (read, checked and merged by divulga.read.versions, against
``schema.NEWS``), newest first."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from divulga import urls
from divulga.problems import Problem
from divulga.read.model import NewsFile, NewsItem, NewsVersion, Tag
from divulga.read.schema import NEWS
from divulga.read.versions import FILE_NAME, FilesRead, ItemKind, load_items
from divulga.settings import Settings

NEWS_DIR = "news"
MEDIA_DIR = "media"
FIELDS = NEWS.names
SHARED_FACTS = tuple(f.name for f in NEWS.shared)
# The title of a translation nobody has written yet (`divulga new` writes it;
# `divulga check` warns if a published version still carries it).
TO_TRANSLATE = "[DA TRADURRE / TO TRANSLATE]"
# Slugs that would collide with the listing pages under news/.
RESERVED_SLUGS = urls.RESERVED_NEWS_SLUGS

__all__ = ["FILE_NAME", "FilesRead", "MEDIA_DIR", "NEWS_DIR", "NEWS_KIND", "RESERVED_SLUGS", "TO_TRANSLATE",
           "load_news"]


def _news_item(slug: str, versions: dict[str, NewsVersion], facts: dict[str, Any], settings: Settings) -> NewsItem:
    return NewsItem(slug=slug, date=facts["date"], versions=versions, tags=tuple(facts.get("tags", ())),
                    projects=tuple(facts.get("projects", ())), image=facts.get("image"))


NEWS_KIND = ItemKind(name="news", folder=NEWS_DIR, schema=NEWS, reserved=RESERVED_SLUGS, build=_news_item,
                     sort_key=lambda item: (-item.date.toordinal(), item.slug))


def load_news(settings: Settings, tags: dict[str, Tag] | None, project_ids: frozenset[str] | None,
              media: frozenset[str] = frozenset(), unusable: frozenset[str] = frozenset(),
              cache: FilesRead | None = None,
              helper: Executor | None = None) -> tuple[list[NewsItem], list[NewsFile], list[Problem]]:
    """Every news item (newest first), every news file read, and every problem
    (see divulga.read.versions.load_items)."""
    return load_items(NEWS_KIND, settings, tags, project_ids, media, unusable, cache, helper)
