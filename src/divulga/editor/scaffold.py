"""New content files, ready to fill: ``divulga new news`` and ``divulga new project``.

Editors start from a file that already has every field in the right place,
so the first build does not fail on a misspelt key. Files are planned first
(pure, testable) and written only when nothing is wrong; an existing file is
never overwritten. Translations start as drafts with a marked title: the site
shows the default-language version until someone translates them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from divulga.read.news import NEWS_DIR, TO_TRANSLATE
from divulga.problems import Problem
from divulga.read.projects import PROJECTS_DIR, project_ids
from divulga.settings import Settings
from divulga.read.tags import load_tags
from divulga.text import slugify


# Comments in the new files, in the editor's language where we have it.
_HINTS = {
    "it": {
        "summary": "Una o due frasi per elenchi e anteprime (altrimenti il primo paragrafo)",
        "tags": "chiavi di content/tags.yaml",
        "projects": "id delle schede in content/projects/",
        "image": "un file in content/media/",
        "image_alt": "Descrivete l'immagine per chi non può vederla",
        "author": "Redazione",
        "body": "[DA COMPLETARE: il testo della notizia, in Markdown.]",
        "shared": "Data, tag, progetti e immagine sono comuni a tutte le lingue: si scrivono in {file}.",
        "translate": "[DA COMPLETARE: tradurre il testo di {file}.]",
        "draft": "togliete questa riga quando la traduzione è pronta",
    },
    "en": {
        "summary": "One or two sentences for listings and link previews (else the first paragraph)",
        "tags": "keys of content/tags.yaml",
        "projects": "ids of the sheets in content/projects/",
        "image": "a file in content/media/",
        "image_alt": "Describe the picture for people who cannot see it",
        "author": "Editorial team",
        "body": "[TO BE COMPLETED: the text of the news item, in Markdown.]",
        "shared": "Date, tags, projects and image are shared by all languages: they are written in {file}.",
        "translate": "[TO BE COMPLETED: translate the text of {file}.]",
        "draft": "delete this line when the translation is ready",
    },
}


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str
    note: str  # what the file is, for the command's output


def _hints(lang: str) -> dict[str, str]:
    return _HINTS.get(lang, _HINTS["en"])


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _keys(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def _existing(files: list[NewFile], settings: Settings) -> list[Problem]:
    return [Problem(settings.relative(f.path), None, "file",
                    "already exists: nothing was written (edit that file, or choose another name)")
            for f in files if f.path.exists()]


def _content_folder(settings: Settings) -> list[Problem]:
    if settings.content_dir.is_dir():
        return []
    return [Problem(settings.relative(settings.content_dir), None, "file",
                    "content folder not found: run divulga from the site's folder "
                    "(or set extra.divulga.content_dir in mkdocs.yml)")]


# -- news ---------------------------------------------------------------------

def check_tags(settings: Settings, keys: list[str]) -> list[Problem]:
    """The loader's own check of tag keys, for keys given on the command line."""
    tags, _ = load_tags(settings)
    problems = []
    for key in keys:
        if key not in tags:
            close = difflib.get_close_matches(key, list(tags), n=1)
            hint = f"did you mean `{close[0]}`? " if close else ""
            known = ", ".join(sorted(tags)) or "none yet: add it to content/tags.yaml"
            problems.append(Problem("--tags", None, "tags", f"unknown tag '{key}'; {hint}known tags: {known}"))
    return problems


def check_projects(settings: Settings, keys: list[str]) -> list[Problem]:
    known_ids = project_ids(settings) or frozenset()
    known = ", ".join(sorted(known_ids)) or "none yet"
    return [Problem("--projects", None, "projects",
                    f"unknown project '{key}' (no content/{PROJECTS_DIR}/{key}.yaml); known: {known}")
            for key in keys if key not in known_ids]


def plan_news(settings: Settings, title: str, date: dt.date, tags: list[str] = (),
              projects: list[str] = ()) -> tuple[list[NewFile], list[Problem]]:
    """One file per configured language for a new news item, or the problems."""
    title = title.strip()
    problems = _content_folder(settings)
    if problems:
        return [], problems
    name = slugify(title)
    if not name:
        return [], [Problem("title", None, "title",
                            "write a title with some letters or digits, e.g. \"Città più sostenibili\"")]
    problems += check_tags(settings, list(tags)) + check_projects(settings, list(projects))
    slug = f"{date.isoformat()}-{name}"
    folder = settings.content_dir / NEWS_DIR
    default = settings.default_language
    original = f"{slug}.{default.code}.md"
    files = []
    for lang in settings.languages:
        path = folder / f"{slug}.{lang.code}.md"
        if lang.default:
            text = _news_original(title, date, list(tags), list(projects), _hints(lang.code))
            note = f"{lang.name}: write the text"
        else:
            text = _news_translation(title, original, _hints(lang.code))
            note = f"{lang.name}: draft translation, hidden until translated"
        files.append(NewFile(path, text, note))
    return files, problems + _existing(files, settings)


def _news_original(title: str, date: dt.date, tags: list[str], projects: list[str],
                   hint: dict[str, str]) -> str:
    return (
        "---\n"
        f"title: {_quoted(title)}\n"
        f"date: {date.isoformat()}\n"
        f"# summary: {_quoted(hint['summary'])}\n"
        f"tags: {_keys(tags)}  # {hint['tags']}\n"
        f"projects: {_keys(projects)}  # {hint['projects']}\n"
        f"# image: photo.jpg  # {hint['image']}\n"
        f"# image_alt: {_quoted(hint['image_alt'])}\n"
        f"# author: {hint['author']}\n"
        "---\n\n"
        f"{hint['body']}\n"
    )


def _news_translation(title: str, original: str, hint: dict[str, str]) -> str:
    return (
        "---\n"
        f"title: {_quoted(f'{TO_TRANSLATE} {title}')}\n"
        f"# {hint['shared'].format(file=original)}\n"
        f"# summary: {_quoted(hint['summary'])}\n"
        f"# image_alt: {_quoted(hint['image_alt'])}\n"
        f"# author: {hint['author']}\n"
        f"draft: true  # {hint['draft']}\n"
        "---\n\n"
        f"{hint['translate'].format(file=original)}\n"
    )


# -- project sheets -----------------------------------------------------------

def plan_project(settings: Settings, acronym: str) -> tuple[list[NewFile], list[Problem]]:
    """A project sheet with every field of the contract, the required ones empty."""
    acronym = acronym.strip()
    problems = _content_folder(settings)
    if problems:
        return [], problems
    project_id = slugify(acronym)
    if not project_id:
        return [], [Problem("acronym", None, "acronym",
                            "write the project's acronym with some letters or digits, e.g. S3-4AlpClusters")]
    path = settings.content_dir / PROJECTS_DIR / f"{project_id}.yaml"
    files = [NewFile(path, _project_sheet(acronym, settings), "project sheet: fill the required fields")]
    return files, _existing(files, settings)


def _project_sheet(acronym: str, settings: Settings) -> str:
    codes = settings.codes
    default = settings.default_language
    empty = "{" + ", ".join(f"{code}: " for code in codes) + "}"
    per_language = "".join(f"  {code}:\n" for code in codes)
    return f"""\
# Project sheet for {acronym}: fill in the fields, then run `divulga check`.
# Texts are written once per language, {empty}, or as one plain text
# when it is the same in every language; a missing translation falls back to
# {default.name} ({default.code}). Optional fields are commented out: delete the `# `
# in front of a field (and of its indented lines) to use it.
# Every field is described in the README, section "Project sheets".

acronym: {_quoted(acronym)}  # required: the project's short name
title: {empty}  # required: the project's full title
programme: {empty}  # required: the funding programme, e.g. Interreg Alpine Space 2021-2027
summary:  # required: a short description, Markdown (for several lines write `{default.code}: >-` and indent the text below)
{per_language}
# fund: ERDF  # ERDF, ESF+, CF, JTF and EMFAF are named in full
# start: 2024-01-01  # YYYY-MM-DD
# end: 2026-12-31  # YYYY-MM-DD, not before start
# budget:
#   currency: EUR  # ISO 4217 code
#   total: 1000000  # numbers, no thousands separators
#   eu_contribution: 800000
#   cofunding_rate: 80  # percent; any two of the three give the third
# funding_statement: co-funded  # co-funded | funded (default from the rate)
# grant_agreement: "101000000"  # Horizon projects
# objectives:  # lists of texts, Markdown; one `- ` entry each
#   - {empty}
# activities:
#   - {empty}
# results:
#   - {empty}
# partners:
#   - name: {empty}
#     country: IT  # ISO 3166-1 alpha-2
#     role: lead  # lead | partner | associated
#     url: https://www.example.org
# website: https://www.example.org
# contact: {{name: , email: }}
# tags: []  # keys of content/tags.yaml
"""


def write(files: list[NewFile]) -> None:
    """Create the files; never replaces one (``x`` mode), even in a race."""
    for new in files:
        new.path.parent.mkdir(parents=True, exist_ok=True)
        with new.path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(new.text)
