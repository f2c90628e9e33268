"""Where each translation stands: the translation report of ``divulga check`` and the preview's status page.

Missing and draft translations are never errors (readers see the default
language with a notice), but editors need the list to plan their work: news
items, events and results without some language, versions still marked ``draft: true``,
project-sheet texts written as a mapping without some language, and
translations whose source changed in substance since they were made. Each
translation records the fingerprint of its source (``translated_from:``,
written by ``divulga translated`` or the web editor), compared with the
source's fingerprint now: for news items, events, results and the
hand-written pages of docs/ one per file; for a project sheet, one per
language in the sheet (``texts_fingerprint``). A translation without a
record is "not known". Which texts are per language comes from the
declarations (``divulga.read.schema``); the lines come from the model, kept
when the files were read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from divulga.plan.incremental import PlanMemo
from divulga.read.docpages import DocPages
from divulga.read.model import Content, Project
from divulga.read.projects import texts_fingerprint
from divulga.read.schema import PROJECT, localized_values
from divulga.settings import Settings

# What a translation can be, in a language (the status page's words are ui strings `translation_<status>`).
ORIGINAL, UP_TO_DATE, OUTDATED, UNKNOWN, DRAFT, MISSING = \
    "original", "up_to_date", "outdated", "unknown", "draft", "missing"
STATUSES = (MISSING, DRAFT, OUTDATED, UNKNOWN, UP_TO_DATE, ORIGINAL)  # the order of the work to do
KINDS = ("news", "event", "result", "project", "page")


@dataclass(frozen=True)
class Cell:
    """One language of one text: its status and, when it exists, its file."""

    status: str
    path: str | None = None
    line: int | None = None  # of `translated_from:` (or `draft: true`)
    source_lang: str | None = None  # the language it translates (recorded, or the original's)


@dataclass(frozen=True)
class Row:
    """A text written in several languages: a news item, an event, a result, a project sheet, a page."""

    kind: str
    key: str  # slug, project id, or the page's place in docs/ (about.md)
    source: str  # the original's file
    cells: dict[str, Cell]  # by language

    def command(self, lang: str) -> str:
        """What confirms the translation in ``lang``."""
        cell = self.cells[lang]
        if self.kind == "project":
            return f"divulga translated {cell.path} --lang {lang}"
        return f"divulga translated {cell.path}"


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
    kind: str = "news"  # one of KINDS
    command: str = ""  # what confirms it once updated


@dataclass(frozen=True)
class UnknownVersion:
    """A translation that does not say what it was translated from: whether it is up to date is not known."""

    slug: str
    lang: str
    path: str
    kind: str = "news"


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


def translation_report(content: Content, settings: Settings, docs: DocPages | None = None,
                       memo: PlanMemo | None = None) -> TranslationReport:
    """What `divulga check` reports of the translations (``memo``: the one the plan was made with, whose rows it
    reuses)."""
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
    dates = {}

    def date(path: str) -> str | None:
        if path not in dates:
            changed = content.history.last_changed(settings.root / path)
            dates[path] = changed.isoformat() if changed is not None else None
        return dates[path]

    for row in translation_rows(content, settings, docs, memo):
        for lang, cell in row.cells.items():
            if cell.status == UNKNOWN:
                report.unknown.append(UnknownVersion(row.key, lang, cell.path, row.kind))
            elif cell.status == OUTDATED:
                source = row.cells[cell.source_lang].path
                report.outdated.append(OutdatedVersion(
                    row.key, lang, cell.path, cell.line, source, cell.source_lang, date(cell.path), date(source),
                    row.kind, row.command(lang)))
    return report


@dataclass(frozen=True)
class _Side:
    """One language version of a text, as the report compares it."""

    path: str
    fingerprint: str
    recorded: tuple[str, str] | None  # translated_from: (language, fingerprint)
    line: int | None  # of translated_from
    draft_line: int | None = None  # of `draft: true`, for a draft


def translation_rows(content: Content, settings: Settings, docs: DocPages | None = None,
                     memo: PlanMemo | None = None) -> list[Row]:
    """Every text written in several languages, with each language's status, in the order of KINDS
    then by key (an item's row made again only when the item changed, with ``memo``)."""
    rows = []
    items = [("news", content.news), ("event", content.events), ("result", content.results)]
    for kind, found in items:
        for item in sorted(found, key=lambda item: item.slug):
            rows.append(item_row(kind, item, settings, memo))
    for project_id in sorted(content.projects):
        rows.append(_project_row(content.projects[project_id], settings))
    for virtual in sorted({page.virtual for page in (docs.pages if docs else ()) if page.lang is not None}):
        sides = {lang: _Side(page.rel, page.fingerprint, page.translated_from, page.translated_from_line)
                 for lang, page in docs.versions(virtual).items()}
        rows.append(_row("page", virtual, sides, settings))
    return rows


def item_row(kind: str, item, settings: Settings, memo: PlanMemo | None = None) -> Row:
    """The row of an item of ``kind`` (the one made last time for the same item, with ``memo``)."""
    if memo is not None:
        return memo.get(kind, item, None, _item_row, kind, item, settings)
    return _item_row(kind, item, settings)


def _item_row(kind: str, item, settings: Settings) -> Row:
    sides = {lang: _Side(v.source, v.fingerprint, v.translated_from, v.lines.line("translated_from"),
                         v.lines.line("draft") if v.draft else None) for lang, v in item.versions.items()}
    return _row(kind, item.slug, sides, settings)


def _row(kind: str, key: str, sides: dict[str, _Side], settings: Settings) -> Row:
    """A text's languages: the default one (else the first written) is the original, a translation is
    compared with the version it records."""
    default = settings.default_language.code
    original = default if default in sides else next(iter(sides))
    cells = {}
    for code in settings.codes:
        side = sides.get(code)
        if side is None:
            cells[code] = Cell(MISSING, source_lang=original)
        elif side.draft_line is not None:
            cells[code] = Cell(DRAFT, side.path, side.draft_line, original)
        elif code == original:
            cells[code] = Cell(ORIGINAL, side.path)
        else:
            source = sides.get(side.recorded[0]) if side.recorded else None
            cells[code] = _compared(side.recorded, source.fingerprint if source else None, side.path, side.line,
                                    original)
    return Row(kind, key, sides[original].path, cells)


def _compared(recorded: tuple[str, str] | None, source_now: str | None, path: str, line: int | None,
              original: str) -> Cell:
    """A translation's cell: up to date when its source's fingerprint is still the one it recorded."""
    if recorded is None or source_now is None:
        return Cell(UNKNOWN, path, line, recorded[0] if recorded else original)
    return Cell(UP_TO_DATE if source_now == recorded[1] else OUTDATED, path, line, recorded[0])


def _project_row(project: Project, settings: Settings) -> Row:
    """A sheet's languages: the default one is the original; another is missing while some text is not
    written in it, else compared with what the sheet recorded for it (``translated_from``)."""
    default = settings.default_language.code
    values = [value for _, value in localized_values(PROJECT, project)]
    recorded = project.translated_from or {}
    cells = {}
    for code in settings.codes:
        if code == default:
            cells[code] = Cell(ORIGINAL, project.source)
        elif any(code not in value.values for value in values):
            cells[code] = Cell(MISSING, project.source, source_lang=default)
        else:
            record = recorded.get(code)
            pair = (record["lang"], record["fingerprint"]) if record else None
            source_now = texts_fingerprint(project, pair[0]) if pair and pair[0] in settings.codes else None
            cells[code] = _compared(pair, source_now, project.source,
                                    project.lines.line("translated_from", code), default)
    return Row("project", project.id, project.source, cells)


def _project_fields(project: Project, settings: Settings) -> list[MissingField]:
    """Every localized text of the sheet (``schema.PROJECT``) without some language."""
    found = []
    for at, value in localized_values(PROJECT, project):
        missing = value.missing(settings.codes)
        if missing:
            found.append(MissingField(project.id, project.source, project.lines.line(*at.path), at.label, missing))
    return found
