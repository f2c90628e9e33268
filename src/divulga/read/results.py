"""Results (a project's outputs: reports, guides, datasets…):
``content/results/<slug>.<lang>.md``, one file per language version (read,
checked and merged by divulga.read.versions, against ``schema.RESULT``),
newest first. Each names the documents (files of the media folder) or links
that carry it; a file's size is read here, once."""

from __future__ import annotations

import dataclasses
from concurrent.futures import Executor
from typing import Any

from divulga import urls
from divulga.problems import Problem
from divulga.read.model import NewsFile, NewsVersion, ResultFile, ResultItem, Tag
from divulga.read.schema import RESULT
from divulga.read.versions import FilesRead, ItemKind, load_items
from divulga.settings import Settings

RESULTS_DIR = "results"
MEDIA_DIR = "media"


def _sized(file: ResultFile, settings: Settings) -> ResultFile:
    if file.file is None:
        return file
    try:
        size = (settings.content_dir / MEDIA_DIR / file.file).stat().st_size
    except OSError:  # reported by the media folder's walk
        return file
    return dataclasses.replace(file, size=size)


def _result(slug: str, versions: dict[str, NewsVersion], facts: dict[str, Any], settings: Settings) -> ResultItem:
    return ResultItem(
        slug=slug, date=facts["date"], type=facts["type"], versions=versions,
        files=tuple(_sized(file, settings) for file in facts["files"]),
        deliverable=facts.get("deliverable"), work_package=facts.get("work_package"),
        authors=tuple(facts.get("authors", ())), licence=facts.get("licence"), doi=facts.get("doi"),
        tags=tuple(facts.get("tags", ())), projects=tuple(facts.get("projects", ())), image=facts.get("image"))


RESULT_KIND = ItemKind(name="result", folder=RESULTS_DIR, schema=RESULT, reserved=urls.RESERVED_RESULT_SLUGS,
                       build=_result, sort_key=lambda item: (-item.date.toordinal(), item.slug))


def load_results(settings: Settings, tags: dict[str, Tag] | None, project_ids: frozenset[str] | None,
                 media: frozenset[str] = frozenset(), unusable: frozenset[str] = frozenset(),
                 cache: FilesRead | None = None,
                 helper: Executor | None = None) -> tuple[list[ResultItem], list[NewsFile], list[Problem]]:
    """Every result (newest first), every result file read, and every problem
    (see divulga.read.versions.load_items)."""
    return load_items(RESULT_KIND, settings, tags, project_ids, media, unusable, cache, helper)
