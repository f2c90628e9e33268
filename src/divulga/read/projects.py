"""Reading project sheets: ``content/projects/<id>.yaml``.

One sheet per project, written once for all languages: texts are "localized"
(a plain string, or ``{it: ..., en: ...}`` with the default language
required), facts are written once. Fields follow what the EU's own databases
publish (keep.eu, CORDIS, Kohesio) and what CPR 2021/1060 Art. 50 asks a
beneficiary's website to show. What each field holds, and the rules across
fields (end not before start; any two of total, EU contribution and
co-funding rate give the third), are declared in ``schema.PROJECT``; this
module reads the files and builds the model.
"""

from __future__ import annotations

from pathlib import Path

from divulga.problems import Problem
from divulga.read.model import Lines, Project, Tag
from divulga.read.schema import BUDGET, PARTNER, PROJECT, At, Check, check_mapping, localized_values
from divulga.read.sources import SiteFiles, name_problem
from divulga.read.yamlsource import parse_mapping
from divulga.settings import Settings
from divulga.text import fingerprint, is_slug

PROJECTS_DIR = "projects"
FIELDS = PROJECT.names
BUDGET_FIELDS = BUDGET.names
PARTNER_FIELDS = PARTNER.names


def texts_fingerprint(project: Project, lang: str) -> str:
    """What a sheet says in ``lang``: the fingerprint (divulga.text.fingerprint) of every text it writes
    per language (``schema.PROJECT``'s localized fields, in their order), as written in ``lang``."""
    return fingerprint(*(value.values.get(lang, "") for _, value in localized_values(PROJECT, project)))


def project_ids(settings: Settings) -> frozenset[str] | None:
    """Ids of the sheets present, or None when the site has no projects folder."""
    folder = settings.content_dir / PROJECTS_DIR
    if not folder.is_dir():
        return None
    entries, _ = SiteFiles(settings.root).entries(folder)
    return frozenset(entry.path.stem for entry in entries if not entry.is_dir and entry.path.suffix == ".yaml")


def load_projects(settings: Settings, tags: dict[str, Tag] | None, media: frozenset[str] | None = None,
                  unusable: frozenset[str] = frozenset()) -> tuple[dict[str, Project], list[Problem]]:
    """Every sheet of the projects folder; ``media`` (the media folder's files
    that may be published, None: not checked) and ``unusable`` as for news."""
    folder = settings.content_dir / PROJECTS_DIR
    problems: list[Problem] = []
    projects: dict[str, Project] = {}
    if not folder.is_dir():
        return projects, problems
    files = SiteFiles(settings.root)
    entries, problems = files.entries(folder)
    references = {"tag": None if tags is None else frozenset(tags)}
    for entry in entries:
        path = entry.path
        rel = settings.relative(path)
        if entry.is_dir or path.suffix != ".yaml":
            hint = f" (rename it {path.stem}.yaml)" if path.suffix == ".yml" else ""
            problems.append(Problem(rel, None, "file", f"not a project sheet: sheets are <id>.yaml files{hint}"))
            continue
        project = _read_sheet(path, rel, settings, references, problems, files, entry.size, media, unusable)
        if project is not None:
            projects[project.id] = project
    return projects, problems


def _read_sheet(path: Path, rel: str, settings: Settings, references: dict, problems: list[Problem],
                files: SiteFiles, size: int, media: frozenset[str] | None,
                unusable: frozenset[str]) -> Project | None:
    """One sheet checked against ``schema.PROJECT``: the project, or None
    when anything is wrong (every problem reported with its line)."""
    project_id = path.stem
    ok = True
    if not is_slug(project_id):
        problems.append(name_problem(rel, project_id, "id", ".yaml", "project"))
        ok = False
    text, read_problems = files.read_text(path, size=size)
    problems.extend(read_problems)
    if text is None:
        return None
    doc, yaml_problems = parse_mapping(text, path=rel, what="project sheet")
    problems.extend(yaml_problems)
    if doc is None:
        return None
    check = Check.for_settings(settings, rel, doc, problems, references=references, media=media, unusable=unusable)
    values = check_mapping(PROJECT, doc.data, At(), check, doc.unreadable)
    if not (ok and check.ok and not yaml_problems):
        return None
    return Project(id=project_id, source=rel, lines=Lines.of(doc), **values)
