"""Load and validate the whole content folder in one pass.

Pure Python: no MkDocs here. Returns the model and every problem found;
callers decide whether problems stop them (the build does, ``divulga check``
prints them). Files are looked at through ``divulga.read.sources``: nothing from
outside the site's folder is read or published.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor

from divulga.problems import WARNING, Problem
from divulga.read.events import EVENTS_DIR, load_events
from divulga.read.model import Content
from divulga.read.news import MEDIA_DIR, NEWS_DIR, FilesRead, load_news
from divulga.read.projects import PROJECTS_DIR, load_projects, project_ids
from divulga.read.results import RESULTS_DIR, load_results
from divulga.read.sources import SiteFiles
from divulga.read.tags import TAGS_FILE, load_tags
from divulga.settings import Settings

# What a content folder holds; anything else there is reported, not skipped.
KNOWN = {NEWS_DIR: True, EVENTS_DIR: True, RESULTS_DIR: True, PROJECTS_DIR: True, MEDIA_DIR: True,
         TAGS_FILE: False}  # name -> is a folder


def load_content(settings: Settings, cache: FilesRead | None = None,
                 helper: Executor | None = None) -> tuple[Content, list[Problem]]:
    """The whole content folder; ``cache`` keeps the files read for the next
    load (a preview's rebuild), None reads everything; ``helper``, a process
    pool, reads some of them (divulga.read.versions.load_items)."""
    files = SiteFiles(settings.root, cache.listings if cache is not None else None)
    if files.listings is not None:
        files.listings.begin()
    usable, problems = _content_folder(settings, files)

    media: tuple[str, ...] = ()
    unusable: frozenset[str] = frozenset()  # media entries reported as links outside, pipes...
    if MEDIA_DIR in usable:
        found, media_problems = files.walk(settings.content_dir / MEDIA_DIR)
        problems += media_problems
        media = tuple(entry.name for entry in found)
        prefix = files.relative(settings.content_dir / MEDIA_DIR) + "/"
        unusable = frozenset(p.path[len(prefix):] for p in media_problems if p.path.startswith(prefix))

    tags: dict | None = {}
    if TAGS_FILE in usable:
        tags, tag_problems = load_tags(settings)
        problems += tag_problems
    elif os.path.lexists(settings.content_dir / TAGS_FILE):
        tags = None  # reported above: not again at every tag used

    projects: dict = {}
    ids: frozenset[str] = frozenset()  # no projects folder: every project named is unknown
    if PROJECTS_DIR in usable:
        projects, project_problems = load_projects(settings, tags, frozenset(media), unusable)
        problems += project_problems
        ids = project_ids(settings)

    # News may name any sheet present, even one with mistakes of its own
    # (those are reported on the sheet, not again on every news item).
    news: list = []
    news_files: list = []
    if NEWS_DIR in usable:
        news, news_files, news_problems = load_news(settings, tags, ids, frozenset(media), unusable, cache, helper)
        problems += news_problems
    events: list = []
    if EVENTS_DIR in usable:
        events, event_files, event_problems = load_events(settings, tags, ids, frozenset(media), unusable, cache,
                                                          helper)
        news_files += event_files
        problems += event_problems
    results: list = []
    if RESULTS_DIR in usable:
        results, result_files, result_problems = load_results(settings, tags, ids, frozenset(media), unusable,
                                                              cache, helper)
        news_files += result_files
        problems += result_problems

    return Content(news=tuple(news), news_files=tuple(news_files), events=tuple(events),
                   results=tuple(results), tags=tags or {},
                   media=media, projects=projects, project_ids=ids, root=settings.root), problems


def _content_folder(settings: Settings, files: SiteFiles) -> tuple[set[str], list[Problem]]:
    """The parts of the content folder that can be read, and what is wrong
    with the others or is there besides news, projects, media and tags."""
    if not settings.content_dir.is_dir():
        return set(), []
    entries, problems = files.entries(settings.content_dir)
    usable = set()
    for entry in entries:
        expected = KNOWN.get(entry.name)
        rel = files.relative(entry.path)
        if expected is None:
            problems.append(Problem(rel, None, "file",
                                    "not part of the site: the content folder holds news/, events/, results/, "
                                    "projects/, media/ and tags.yaml; move it elsewhere", WARNING))
        elif expected != entry.is_dir:
            kind = "a folder" if expected else "a file"
            problems.append(Problem(rel, None, "file", f"should be {kind}"))
        else:
            usable.add(entry.name)
    return usable, problems
