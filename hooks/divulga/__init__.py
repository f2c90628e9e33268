"""Divulga's domain core: content -> validated model -> per-language page plan.

Imports nothing from MkDocs, so the site can move to another engine by
writing a new adapter (see ``hooks/mkdocs_hooks.py`` for the current one).
"""

from __future__ import annotations

from dataclasses import dataclass

from .l10n import Localizer
from .loader import load_content
from .model import Content
from .plan import SitePlan, build_plan
from .problems import ContentError, Problem, errors_only
from .settings import Language, Settings

__all__ = ["Site", "load_site", "Settings", "Language", "ContentError", "Problem"]


@dataclass
class Site:
    settings: Settings
    content: Content
    plan: SitePlan
    l10n: Localizer
    problems: list[Problem]  # warnings only when returned by load_site


def load_site(settings: Settings) -> Site:
    """Load, validate and plan the whole site; raise ContentError on errors."""
    content, problems = load_content(settings)
    errors = errors_only(problems)
    if errors:
        raise ContentError(errors)
    l10n = Localizer(settings)
    return Site(settings, content, build_plan(content, settings, l10n), l10n, problems)
