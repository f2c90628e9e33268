"""New content files, ready to fill: ``divulga new news`` and ``divulga new project``.

Editors start from a file that already has every field in the right place,
so the first build does not fail on a misspelt key. Files are planned first
(pure, testable) and written only when nothing is wrong; an existing file is
never overwritten. Translations start as drafts with a marked title: the site
shows the default-language version until someone translates them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from divulga.problems import Problem
from divulga.read.news import NEWS_DIR, TO_TRANSLATE
from divulga.read.projects import PROJECTS_DIR, project_ids
from divulga.read.events import EVENTS_DIR
from divulga.read.results import MEDIA_DIR, RESULTS_DIR
from divulga.read.schema import (
    EVENT,
    NEWS,
    PROJECT,
    RESULT,
    RESULT_FILE,
    At,
    Check,
    Date,
    DateTime,
    Field,
    ListOf,
    Localized,
    Markdown,
    Nested,
    Reference,
    Schema,
)
from divulga.read.tags import load_tags
from divulga.settings import Settings
from divulga.text import slugify

# The scaffolds' own sentences, in the editor's language where we have it
# (each field's help comes from its declaration in divulga.read.schema).
_TEXTS = {
    "it": {
        "required": "obbligatorio",
        "shared": "comune a tutte le lingue",
        "markdown": "Markdown; per più righe scrivete `{code}: >-` e il testo rientrato sotto",
        "body": "[DA COMPLETARE: il testo della notizia, in Markdown.]",
        "event_body": "[DA COMPLETARE: il programma dell'evento e le informazioni pratiche, in Markdown.]",
        "result_body": "[DA COMPLETARE: che cos'è, a chi serve e come usarlo, in Markdown.]",
        "shared_fields": "Comuni a tutte le lingue, si scrivono in {file}: {fields}.",
        "translate": "[DA COMPLETARE: tradurre il testo di {file}.]",
        "draft": "togliete questa riga quando la traduzione è pronta",
        "sheet": (
            "Scheda del progetto {acronym}: compilate i campi, poi eseguite `divulga check`.\n"
            "I testi si scrivono una volta per lingua, {empty}, o come un solo testo\n"
            "quando è uguale in tutte le lingue; una traduzione mancante ricade su\n"
            "{language} ({code}). I campi facoltativi sono commentati: togliete il `# `\n"
            "davanti al campo (e alle sue righe rientrate) per usarlo.\n"
            "Ogni campo è descritto nel README, sezione \"Project sheets\"."),
    },
    "en": {
        "required": "required",
        "shared": "shared by all languages",
        "markdown": "Markdown; for several lines write `{code}: >-` and indent the text below",
        "body": "[TO BE COMPLETED: the text of the news item, in Markdown.]",
        "event_body": "[TO BE COMPLETED: the event's programme and practical information, in Markdown.]",
        "result_body": "[TO BE COMPLETED: what it is, who it is for and how to use it, in Markdown.]",
        "shared_fields": "Shared by all languages, written in {file}: {fields}.",
        "translate": "[TO BE COMPLETED: translate the text of {file}.]",
        "draft": "delete this line when the translation is ready",
        "sheet": (
            "Project sheet for {acronym}: fill in the fields, then run `divulga check`.\n"
            "Texts are written once per language, {empty}, or as one plain text\n"
            "when it is the same in every language; a missing translation falls back to\n"
            "{language} ({code}). Optional fields are commented out: delete the `# `\n"
            "in front of a field (and of its indented lines) to use it.\n"
            "Every field is described in the README, section \"Project sheets\"."),
    },
}


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str
    note: str  # what the file is, for the command's output


def _texts(lang: str) -> dict[str, str]:
    return _TEXTS.get(lang, _TEXTS["en"])


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


# -- fields as YAML lines, from their declaration --------------------------------

def _scalar(f: Field) -> str:
    """The example a scaffold shows for a field written on one line."""
    example = f.example if f.example is not None else f.default
    if example is None:
        return '""'
    if isinstance(example, bool):
        return "true" if example else "false"
    if isinstance(f.type, (Date, DateTime)) or not isinstance(example, str):
        return str(example)
    return example if yaml.safe_load(example) == example else _quoted(example)


def _flow(kind: Any, f: Field, codes: tuple[str, ...]) -> str:
    if isinstance(kind, Localized):
        return "{" + ", ".join(f"{code}: " for code in codes) + "}"
    if isinstance(kind, ListOf) and isinstance(kind.item, Reference):
        return "[]"
    return _scalar(f)


def _comment(f: Field, lang: str, shared: bool = False) -> str:
    text = _texts(lang)
    comment = f.help_in(lang)
    if f.required:
        comment = f"{text['required']}: {comment}"
    if shared and f.shared:
        comment += f" ({text['shared']})"
    return comment


def _field_lines(f: Field, lang: str, codes: tuple[str, ...], value: str | None = None, indent: str = "",
                 comment: str | None = None) -> list[str]:
    """``f`` as YAML lines: ``value`` when given, else an empty text or an
    example; nested mappings and lists with their own fields."""
    kind = f.type
    comment = comment or _comment(f, lang, shared=True)
    if value is not None:
        return [f"{indent}{f.name}: {value}  # {comment}"]
    if isinstance(kind, Nested):
        return [f"{indent}{f.name}:  # {comment}"] + [
            line for sub in kind.schema.fields for line in _field_lines(sub, lang, codes, indent=indent + "  ")]
    if isinstance(kind, ListOf) and isinstance(kind.item, Nested):
        entry = [line for sub in kind.item.schema.fields for line in _field_lines(sub, lang, codes)]
        return [f"{indent}{f.name}:  # {comment}", f"{indent}  - {entry[0]}"] + \
            [f"{indent}    {line}" for line in entry[1:]]
    if isinstance(kind, ListOf) and not isinstance(kind.item, Reference):
        return [f"{indent}{f.name}:  # {comment}", f"{indent}  - {_flow(kind.item, f, codes)}"]
    if isinstance(kind, Localized) and isinstance(kind.of, Markdown):
        markdown = _texts(lang)["markdown"].format(code=codes[0])
        return [f"{indent}{f.name}:  # {comment}; {markdown}"] + [f"{indent}  {code}:" for code in codes]
    return [f"{indent}{f.name}: {_flow(kind, f, codes)}  # {comment}"]


def _front(schema: Schema, lang: str, codes: tuple[str, ...], values: dict[str, str],
           fields: tuple[Field, ...] | None = None, comments: dict[str, str] | None = None) -> list[str]:
    """The fields of ``schema`` in order: those given and the required ones
    to fill in, the others commented out, ready to use."""
    lines: list[str] = []
    for f in fields if fields is not None else schema.fields:
        field_lines = _field_lines(f, lang, codes, values.get(f.name), comment=(comments or {}).get(f.name))
        if f.name in values or f.required:
            lines += field_lines
        else:
            lines += [f"# {line}" for line in field_lines]
    return lines


# -- news ---------------------------------------------------------------------

def _unknown_keys(name: str, keys: list[str], known: Any, source: str) -> list[Problem]:
    """The loader's own check of references, for keys given on the command line."""
    field = NEWS.field(name)
    check = Check(source, references={field.type.item.target.name: frozenset(known)})
    for key in keys:
        field.type.item.resolve(key, key, At(name), check)
    return check.problems


def check_tags(settings: Settings, keys: list[str]) -> list[Problem]:
    tags, problems = load_tags(settings)
    if tags is None:
        return problems  # the tag list itself cannot be read
    return _unknown_keys("tags", keys, tags, "--tags")


def check_projects(settings: Settings, keys: list[str]) -> list[Problem]:
    return _unknown_keys("projects", keys, project_ids(settings) or frozenset(), "--projects")


def _name(settings: Settings, title: str, example: str) -> tuple[str | None, list[Problem]]:
    """The slug a new item's title gives (None when there is none, or no content folder)."""
    problems = _content_folder(settings)
    if problems:
        return None, problems
    name = slugify(title)
    if not name:
        return None, [Problem("title", None, "title",
                              f"write a title with some letters or digits, e.g. \"{example}\"")]
    return name, []


def plan_news(settings: Settings, title: str, date: dt.date, tags: list[str] = (),
              projects: list[str] = ()) -> tuple[list[NewFile], list[Problem]]:
    """One file per configured language for a new news item, or the problems."""
    title = title.strip()
    name, problems = _name(settings, title, "Città più sostenibili")
    if name is None:
        return [], problems
    problems += check_tags(settings, list(tags)) + check_projects(settings, list(projects))
    values = {"date": date.isoformat(), "tags": _keys(tags), "projects": _keys(projects)}
    files = _versions(settings, NEWS, NEWS_DIR, f"{date.isoformat()}-{name}", title, values)
    return files, problems + _existing(files, settings)


def plan_event(settings: Settings, title: str, start: str, end: str | None = None, online: bool = False,
               tags: list[str] = (), projects: list[str] = ()) -> tuple[list[NewFile], list[Problem]]:
    """One file per configured language for a new event, or the problems.
    ``start`` and ``end``: a day ("2024-05-06") or a day and a time
    ("2024-05-06 09:30"), checked as the loader checks them."""
    title = title.strip()
    name, problems = _name(settings, title, "Giornata di formazione")
    if name is None:
        return [], problems
    check = Check("--start")
    first = EVENT.field("start").type.read(start, At("start"), check)
    last = EVENT.field("end").type.read(end, At("end"), Check("--end", problems=check.problems)) if end else None
    problems += check.problems + check_tags(settings, list(tags)) + check_projects(settings, list(projects))
    if check.problems:
        return [], problems
    day = first.date() if isinstance(first, dt.datetime) else first
    values = {"start": _quoted(start.strip()) if " " in start.strip() else start.strip(),
              "tags": _keys(tags), "projects": _keys(projects)}
    if last is not None:
        values["end"] = _quoted(end.strip()) if " " in end.strip() else end.strip()
    if online:
        values["attendance"] = "online"
    files = _versions(settings, EVENT, EVENTS_DIR, f"{day.isoformat()}-{name}", title, values)
    return files, problems + _existing(files, settings)


def plan_result(settings: Settings, title: str, date: dt.date, kind: str, files: list[str],
                tags: list[str] = (), projects: list[str] = ()) -> tuple[list[NewFile], list[Problem]]:
    """One file per configured language for a new result, or the problems.
    ``files``: names of documents already in content/media/, or https links."""
    title = title.strip()
    name, problems = _name(settings, title, "Rapporto finale")
    if name is None:
        return [], problems
    check = Check("--type")
    RESULT.field("type").type.read(kind, At("type"), check)
    entries = []
    for value in files:
        value = value.strip()
        if value.lower().startswith(("http://", "https://")):
            RESULT_FILE.field("url").type.read(value, At("url"), Check("--file", problems=check.problems))
            entries.append({"url": value})
        elif not (settings.content_dir / MEDIA_DIR / value).is_file() or "/" in value or "\\" in value:
            check.problems.append(Problem("--file", None, "file",
                                          f"document file not found: {settings.relative(settings.content_dir / MEDIA_DIR)}"
                                          f"/{value}: copy the document there first, then give its name"))
        else:
            entries.append({"file": value})
    if not files:
        check.problems.append(Problem("--file", None, "file", "give at least one document: --file report.pdf "
                                                              "(a file in content/media/) or --file https://…"))
    problems += check.problems + check_tags(settings, list(tags)) + check_projects(settings, list(projects))
    if check.problems:
        return [], problems
    values = {"date": date.isoformat(), "type": kind, "tags": _keys(tags), "projects": _keys(projects),
              "files": yaml.safe_dump(entries, default_flow_style=True, allow_unicode=True, width=10 ** 6).strip()}
    files_written = _versions(settings, RESULT, RESULTS_DIR, f"{date.isoformat()}-{name}", title, values)
    return files_written, problems + _existing(files_written, settings)


def _versions(settings: Settings, schema: Schema, folder: str, slug: str, title: str,
              values: dict[str, str]) -> list[NewFile]:
    """The files of a new item written once per language: the default
    language's with every field (``values`` filled in), the others as draft
    translations."""
    default = settings.default_language
    original = f"{slug}.{default.code}.md"
    files = []
    for lang in settings.languages:
        path = settings.content_dir / folder / f"{slug}.{lang.code}.md"
        if lang.default:
            text = _original(schema, title, values, lang.code, settings.codes)
            note = f"{lang.name}: write the text"
        else:
            text = _translation(schema, title, original, lang.code, settings.codes)
            note = f"{lang.name}: draft translation, hidden until translated"
        files.append(NewFile(path, text, note))
    return files


def _original(schema: Schema, title: str, values: dict[str, str], lang: str, codes: tuple[str, ...]) -> str:
    """Every field of ``schema``: the title and ``values`` filled in."""
    front = _front(schema, lang, codes, {"title": _quoted(title), **values})
    body = _texts(lang)["event_body" if schema is EVENT else "result_body" if schema is RESULT else "body"]
    return "---\n" + "\n".join(front) + "\n---\n\n" + body + "\n"


def _translation(schema: Schema, title: str, original: str, lang: str, codes: tuple[str, ...]) -> str:
    """The per-language fields of ``schema``, as a draft: the shared ones
    are written in the original."""
    text = _texts(lang)
    values = {"title": _quoted(f"{TO_TRANSLATE} {title}"), "draft": "true"}
    front = _front(schema, lang, codes, values, fields=schema.per_language, comments={"draft": text["draft"]})
    shared = text["shared_fields"].format(file=original, fields=", ".join(f.name for f in schema.shared))
    front.insert(1, f"# {shared}")
    return "---\n" + "\n".join(front) + "\n---\n\n" + text["translate"].format(file=original) + "\n"


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
    """Every field of ``schema.PROJECT``, with its help in the site's default
    language: the required ones to fill in, the others commented out."""
    codes = settings.codes
    default = settings.default_language
    text = _texts(default.code)
    empty = "{" + ", ".join(f"{code}: " for code in codes) + "}"
    header = text["sheet"].format(acronym=acronym, empty=empty, language=default.name, code=default.code)
    lines = [f"# {line}" for line in header.splitlines()] + [""]
    lines += _front(PROJECT, default.code, codes, {"acronym": _quoted(acronym)})
    return "\n".join(lines) + "\n"


def write(files: list[NewFile]) -> None:
    """Create the files; never replaces one (``x`` mode), even in a race."""
    for new in files:
        new.path.parent.mkdir(parents=True, exist_ok=True)
        with new.path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(new.text)
