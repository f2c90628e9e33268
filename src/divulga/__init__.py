"""Divulga's domain core: content -> validated model -> per-language page plan.

Imports nothing from MkDocs, so the site can move to another engine by
writing a new adapter (see ``hooks/mkdocs_hooks.py`` for the current one).
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass, field

from divulga.l10n import Localizer
from divulga.media.documents import DocumentText
from divulga.media.images import Inspection
from divulga.plan.incremental import PlanMemo
from divulga.plan.planner import SitePlan
from divulga.plan.validate import validate
from divulga.problems import ContentError, Problem, errors_only
from divulga.read.model import Content
from divulga.read.news import FilesRead
from divulga.settings import Language, Settings

__all__ = ["Site", "load_site", "Settings", "Language", "ContentError", "Problem"]


@dataclass
class Site:
    settings: Settings
    content: Content
    plan: SitePlan
    l10n: Localizer
    problems: list[Problem]  # warnings only when returned by load_site
    images: Inspection | None = None  # the media folder's pictures as checked (divulga.media.images)
    documents: dict[str, DocumentText] = field(default_factory=dict)  # the results' PDFs' text, by media name


def load_site(settings: Settings, cache: FilesRead | None = None, memo: PlanMemo | None = None,
              helper: Executor | None = None) -> Site:
    """Load, validate and plan the whole site; raise ContentError on errors.

    The same validation as ``divulga check`` (divulga.plan.validate): the
    build stops on exactly the errors the command lists. ``helper``: a
    process pool that reads some of the files (divulga.read.versions.load_items)."""
    validated = validate(settings, cache, memo, helper)
    errors = errors_only(validated.problems)
    if errors:
        raise ContentError(errors, [p for p in validated.problems if p not in errors])
    return Site(settings, validated.content, validated.plan, validated.l10n, validated.problems,
                validated.images, validated.documents)
