"""``divulga check``: the build's own validation (divulga.plan.validate), reported to editors.

The same problems the build stops on, plus the warnings, the translation
report and what was read, without building the site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from divulga.config_file import SiteConfig
from divulga.plan.incremental import PlanMemo
from divulga.plan.translations import TranslationReport, translation_report
from divulga.plan.validate import validate
from divulga.problems import ERROR, Problem
from divulga.read.events import EVENTS_DIR
from divulga.read.results import RESULTS_DIR
from divulga.read.news import NEWS_DIR
from divulga.read.projects import PROJECTS_DIR
from divulga.read.sources import SiteFiles
from divulga.runtime import Helpers, WorkersSetting, helper_processes, usable_cpus
from divulga.settings import Settings


@dataclass
class CheckResult:
    problems: list[Problem]
    translations: TranslationReport
    checked: dict[str, int]  # what was read: news files, sheets, pages, media files

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]


def run_check(site: SiteConfig) -> CheckResult:
    """Everything ``divulga check`` reports, without building the site."""
    settings = site.settings
    memo = PlanMemo()  # the plan's translation rows, for the report
    try:  # worker processes read some of the files, as in a build (DIVULGA_CONVERT_WORKERS)
        helpers = Helpers(helper_processes(os.environ, usable_cpus()))
    except WorkersSetting:  # a wrong number: the build reports it; the check reads alone
        helpers = Helpers(0)
    try:
        validated = validate(settings, memo=memo, helper=helpers if helpers.workers else None)
    finally:
        helpers.shutdown()
    checked = {
        "news_files": _count(settings, NEWS_DIR, ".md"),
        "event_files": _count(settings, EVENTS_DIR, ".md"),
        "result_files": _count(settings, RESULTS_DIR, ".md"),
        "project_sheets": _count(settings, PROJECTS_DIR, ".yaml"),
        "pages": validated.pages,
        "media_files": len(validated.content.media),
    }
    report = translation_report(validated.content, settings, validated.docs, memo)
    return CheckResult(validated.problems, report, checked)


def _count(settings: Settings, folder: str, suffix: str) -> int:
    path = settings.content_dir / folder
    if not path.is_dir():
        return 0
    entries, _ = SiteFiles(settings.root).entries(path)
    return sum(1 for entry in entries if not entry.is_dir and entry.name.endswith(suffix))
