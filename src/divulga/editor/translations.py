"""What is not translated yet: the translation report of ``divulga check``.

Missing and draft translations are never errors (readers see the default
language with a notice), but editors need the list to plan their work: news
items, events and results without some language, versions still marked ``draft: true``, and
project-sheet texts written as a mapping without some language. Which texts
are per language comes from the declarations (``divulga.read.schema``); the
lines come from the model, kept when the files were read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from divulga.read.model import Content, Project
from divulga.read.schema import PROJECT, localized_values
from divulga.settings import Settings


@dataclass(frozen=True)
class MissingNews:
    slug: str
    path: str  # the version readers see instead (the default language's, if any)
    missing: tuple[str, ...]
    published: bool  # False when every version is a draft: nobody sees the item yet


@dataclass(frozen=True)
class DraftVersion:
    slug: str
    lang: str
    path: str
    line: int  # of `draft: true`


@dataclass(frozen=True)
class MissingField:
    project: str
    path: str
    line: int
    field: str  # as the loader names it: title, objectives[2], partners[1].name
    missing: tuple[str, ...]


@dataclass
class TranslationReport:
    languages: tuple[str, ...]
    missing_news: list[MissingNews] = field(default_factory=list)
    drafts: list[DraftVersion] = field(default_factory=list)
    missing_project_fields: list[MissingField] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.missing_news) + len(self.drafts) + len(self.missing_project_fields)

    def as_dict(self) -> dict:
        return {
            "languages": list(self.languages),
            "missing_news": [asdict(x) for x in self.missing_news],
            "drafts": [asdict(x) for x in self.drafts],
            "missing_project_fields": [asdict(x) for x in self.missing_project_fields],
        }


def translation_report(content: Content, settings: Settings) -> TranslationReport:
    codes = settings.codes
    default = settings.default_language.code
    report = TranslationReport(languages=codes)
    for item in sorted([*content.news, *content.events, *content.results], key=lambda item: item.slug):
        missing = tuple(code for code in codes if code not in item.versions)
        if missing:
            shown = item.versions.get(default) or next(iter(item.versions.values()))
            report.missing_news.append(MissingNews(item.slug, shown.source, missing, item.is_visible))
        for code in codes:
            version = item.versions.get(code)
            if version is not None and version.draft:
                report.drafts.append(DraftVersion(item.slug, code, version.source, version.lines.line("draft")))
    for project_id in sorted(content.projects):
        report.missing_project_fields += _project_fields(content.projects[project_id], settings)
    return report


def _project_fields(project: Project, settings: Settings) -> list[MissingField]:
    """Every localized text of the sheet (``schema.PROJECT``) without some language."""
    found = []
    for at, value in localized_values(PROJECT, project):
        missing = value.missing(settings.codes)
        if missing:
            found.append(MissingField(project.id, project.source, project.lines.line(*at.path), at.label, missing))
    return found
