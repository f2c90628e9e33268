"""What is not translated yet: the translation report of ``divulga check``.

Missing and draft translations are never errors (readers see the default
language with a notice), but editors need the list to plan their work: news
items, events and results without some language, versions still marked ``draft: true``,
project-sheet texts written as a mapping without some language, and
translations whose source changed in substance since they were made: each
records the fingerprint of its source (``translated_from:``, written by
``divulga translated``), compared with the source's fingerprint now; a
translation without one is listed as not known. Which texts
are per language comes from the declarations (``divulga.read.schema``); the
lines come from the model, kept when the files were read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from divulga.read.history import last_changed
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


@dataclass(frozen=True)
class OutdatedVersion:
    """A translation whose source changed in substance after it was translated (or confirmed)."""

    slug: str
    lang: str
    path: str
    line: int  # of `translated_from:`
    source: str  # the source version's file
    source_lang: str
    date: str | None = None  # when the translation last changed (git, else the file's time), ISO 8601
    source_date: str | None = None  # when the source last changed


@dataclass(frozen=True)
class UnknownVersion:
    """A translation that does not say what it was translated from: whether it is up to date is not known."""

    slug: str
    lang: str
    path: str


@dataclass
class TranslationReport:
    languages: tuple[str, ...]
    missing_news: list[MissingNews] = field(default_factory=list)
    drafts: list[DraftVersion] = field(default_factory=list)
    missing_project_fields: list[MissingField] = field(default_factory=list)
    outdated: list[OutdatedVersion] = field(default_factory=list)
    unknown: list[UnknownVersion] = field(default_factory=list)  # not counted as work to do: not known

    @property
    def count(self) -> int:
        return len(self.missing_news) + len(self.drafts) + len(self.missing_project_fields) + len(self.outdated)

    def as_dict(self) -> dict:
        return {
            "languages": list(self.languages),
            "missing_news": [asdict(x) for x in self.missing_news],
            "drafts": [asdict(x) for x in self.drafts],
            "missing_project_fields": [asdict(x) for x in self.missing_project_fields],
            "outdated": [asdict(x) for x in self.outdated],
            "unknown": [asdict(x) for x in self.unknown],
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
            if version is None or code == default or version.draft:
                continue
            if version.translated_from is None:
                report.unknown.append(UnknownVersion(item.slug, code, version.source))
                continue
            source_lang, fingerprint = version.translated_from
            source = item.versions.get(source_lang)
            if source is not None and source.fingerprint != fingerprint:
                report.outdated.append(OutdatedVersion(
                    item.slug, code, version.source, version.lines.line("translated_from"), source.source,
                    source_lang, _date(settings.root / version.source), _date(settings.root / source.source)))
    for project_id in sorted(content.projects):
        report.missing_project_fields += _project_fields(content.projects[project_id], settings)
    return report


def _date(path) -> str | None:
    changed = last_changed(path)
    return changed.isoformat() if changed is not None else None


def _project_fields(project: Project, settings: Settings) -> list[MissingField]:
    """Every localized text of the sheet (``schema.PROJECT``) without some language."""
    found = []
    for at, value in localized_values(PROJECT, project):
        missing = value.missing(settings.codes)
        if missing:
            found.append(MissingField(project.id, project.source, project.lines.line(*at.path), at.label, missing))
    return found
