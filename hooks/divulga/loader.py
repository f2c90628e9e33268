"""Load and validate the whole content folder in one pass.

Pure Python: no MkDocs here. Returns the model and every problem found;
callers decide whether problems stop them (the build does, ``divulga check``
prints them).
"""

from __future__ import annotations

from .model import Content
from .news import MEDIA_DIR, load_news
from .problems import Problem
from .projects import load_projects, project_ids
from .settings import Settings
from .tags import load_tags


def load_content(settings: Settings) -> tuple[Content, list[Problem]]:
    problems: list[Problem] = []
    tags, tag_problems = load_tags(settings)
    problems += tag_problems

    projects, project_problems = load_projects(settings, tags)
    problems += project_problems

    # News may name any sheet present, even one with mistakes of its own
    # (those are reported on the sheet, not again on every news item).
    news, news_problems = load_news(settings, tags, project_ids(settings))
    problems += news_problems

    media_dir = settings.content_dir / MEDIA_DIR
    media = tuple(sorted(
        p.relative_to(media_dir).as_posix()
        for p in media_dir.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )) if media_dir.is_dir() else ()

    return Content(news=tuple(news), tags=tags, media=media, projects=projects), problems
