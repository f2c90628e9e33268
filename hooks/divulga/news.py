"""Reading news items: ``content/news/<slug>.<lang>.md``.

Each file is one language version; files sharing a slug are translations of
one item. Facts that do not depend on the language (date, tags, projects,
image) may be written in one version only and are inherited by the others;
where several versions write them they must agree.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import NewsItem, NewsVersion, Tag
from .problems import Problem
from .settings import Settings
from .text import first_paragraph, is_slug, parse_date, shorten, slugify
from .yamlsource import YamlDocument, parse_mapping, split_front_matter

NEWS_DIR = "news"
MEDIA_DIR = "media"
FIELDS = ("title", "date", "summary", "tags", "projects", "image", "image_alt", "author", "draft")
SHARED_FACTS = ("date", "tags", "projects", "image")
# Slugs that would collide with the listing pages under news/.
RESERVED_SLUGS = ("page", "tags", "archive", "index")
FILE_NAME = re.compile(r"^(?P<slug>.+?)(?:\.(?P<lang>[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]+)?))?\.md$")


@dataclass
class _Draft:
    """What one file says, before the versions of an item are merged."""

    lang: str
    rel: str
    doc: YamlDocument
    body: str
    body_line: int
    title: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # shared facts it states


# Each news file as last read, by path, modification time and size (and the
# languages it was checked against): `mkdocs serve` loads the content again
# after every edit, and re-parsing a thousand unchanged files would take most
# of that time. What is kept is never changed after reading.
_files_read: dict[tuple, tuple[_Draft | None, tuple[Problem, ...]]] = {}


def load_news(settings: Settings, tags: dict[str, Tag],
              project_ids: frozenset[str] | None) -> tuple[list[NewsItem], list[Problem]]:
    """Load every news file; return the items (newest first) and all problems.

    ``project_ids`` is None when the site has no projects folder: then project
    references are not checked.
    """
    folder = settings.content_dir / NEWS_DIR
    problems: list[Problem] = []
    by_slug: dict[str, list[_Draft]] = {}
    if not folder.is_dir():
        return [], problems

    read: dict[tuple, tuple[_Draft | None, tuple[Problem, ...]]] = {}
    languages = (settings.codes, settings.default_language.code)
    with os.scandir(folder) as scan:  # one stat per file, no Path objects for unchanged files
        entries = sorted(scan, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            problems.append(Problem(settings.relative(Path(entry.path)), None, "file",
                                    "news files go directly in the news folder, not in sub-folders"))
            continue
        stat = entry.stat()
        key = (entry.path, stat.st_mtime_ns, stat.st_size, languages)
        if key not in _files_read:
            path = Path(entry.path)
            file_problems: list[Problem] = []
            _files_read[key] = (_read_file(path, settings.relative(path), settings, file_problems),
                                tuple(file_problems))
        draft, file_problems = read[key] = _files_read[key]
        problems.extend(file_problems)
        if draft is not None:
            slug = FILE_NAME.match(entry.name).group("slug")
            by_slug.setdefault(slug, []).append(draft)

    _files_read.clear()
    _files_read.update(read)
    items = []
    for slug, drafts in by_slug.items():
        item = _merge(slug, drafts, settings, tags, project_ids, problems)
        if item is not None:
            items.append(item)
    items.sort(key=lambda item: (-item.date.toordinal(), item.slug))
    return items, problems


def _read_file(path: Path, rel: str, settings: Settings, problems: list[Problem]) -> _Draft | None:
    match = FILE_NAME.match(path.name)
    codes = ", ".join(settings.codes)
    if match is None:
        problems.append(Problem(rel, None, "file",
                                f"not a news file: name it <slug>.<language>.md, e.g. "
                                f"{slugify(path.stem) or 'news'}.{settings.default_language.code}.md"))
        return None
    slug, lang = match.group("slug"), match.group("lang")
    if lang is None:
        problems.append(Problem(rel, None, "file",
                                f"missing language suffix: name it {slug}.{settings.default_language.code}.md "
                                f"(configured languages: {codes})"))
        return None
    if lang not in settings.codes:
        problems.append(Problem(rel, None, "file",
                                f"language '{lang}' is not configured in mkdocs.yml (configured: {codes})"))
        return None
    ok = True
    if not is_slug(slug):
        problems.append(Problem(rel, None, "file",
                                f"'{slug}' is not a valid slug (lowercase letters, digits, hyphens): "
                                f"rename the file {slugify(slug) or 'news'}.{lang}.md"))
        ok = False
    elif slug in RESERVED_SLUGS:
        problems.append(Problem(rel, None, "file",
                                f"'{slug}' is reserved for listing pages: rename the file, "
                                f"e.g. with the date in front"))
        ok = False
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(rel, None, "file", "not UTF-8 text: save the file as UTF-8"))
        return None

    front, body, body_line = split_front_matter(text)
    if front is None:
        problems.append(Problem(rel, 1, "front matter",
                                "missing: start the file with a `---` line, the fields "
                                "(title, date, ...) and another `---` line"))
        return None
    doc, yaml_problems = parse_mapping(front, path=rel, line_offset=1, what="front matter")
    problems.extend(yaml_problems)
    if doc is None:
        return None
    draft = _Draft(lang=lang, rel=rel, doc=doc, body=body, body_line=body_line)
    ok &= _check_fields(draft, problems) and not yaml_problems
    return draft if ok else None


def _check_fields(draft: _Draft, problems: list[Problem]) -> bool:
    """Check each field's type; keep the shared facts this version states."""
    doc, rel = draft.doc, draft.rel
    before = len(problems)

    def problem(field_name: str, message: str, *path: Any) -> None:
        problems.append(Problem(rel, doc.line(field_name, *path), field_name, message))

    for key in doc.data:
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), FIELDS, n=1)
            hint = f"did you mean `{close[0]}`? " if close else ""
            problem(key, f"unknown field; {hint}known fields: {', '.join(FIELDS)}")

    title = doc.data.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        problems.append(Problem(rel, doc.line("title"), "title", "required: give the news item a title"))
    elif isinstance(title, (str, int, float)) and not isinstance(title, bool):
        draft.title = str(title).strip()
    else:
        problem("title", "must be text")

    if "date" in doc.data:
        date = parse_date(doc.data["date"])
        if date is None:
            problem("date", f"'{doc.data['date']}' is not a date: write it as YYYY-MM-DD, e.g. 2023-09-21")
        else:
            draft.facts["date"] = date

    for name in ("summary", "author", "image_alt"):
        value = doc.data.get(name)
        if value is not None and not isinstance(value, str):
            problem(name, "must be text")

    for name in ("tags", "projects"):
        if name in doc.data:
            value = doc.data[name]
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem(name, f"write a list of keys, e.g. {name}: [first, second]")
            else:
                draft.facts[name] = tuple(value)

    if "image" in doc.data:
        image = doc.data["image"]
        if not isinstance(image, str) or not image.strip():
            problem("image", "write the file name of an image in content/media/")
        else:
            draft.facts["image"] = image.strip()

    if "draft" in doc.data and not isinstance(doc.data["draft"], bool):
        problem("draft", "write `draft: true` or `draft: false`")
    return len(problems) == before


def _merge(slug: str, drafts: list[_Draft], settings: Settings, tags: dict[str, Tag],
           project_ids: frozenset[str] | None, problems: list[Problem]) -> NewsItem | None:
    order = {code: i for i, code in enumerate(settings.codes)}
    drafts.sort(key=lambda d: order[d.lang])

    facts: dict[str, tuple[Any, _Draft]] = {}
    for draft in drafts:
        for name in SHARED_FACTS:
            if name not in draft.facts:
                continue
            value = draft.facts[name]
            if name not in facts:
                facts[name] = (value, draft)
                continue
            first_value, first = facts[name]
            same = set(value) == set(first_value) if name in ("tags", "projects") else value == first_value
            if not same:
                problems.append(Problem(
                    draft.rel, draft.doc.line(name), name,
                    f"disagrees with {first.rel}:{first.doc.line(name)} "
                    f"({_show(value)} here, {_show(first_value)} there): "
                    "write the same value in every version, or in one version only"))

    ok = True
    first = drafts[0]
    if "date" not in facts:
        for draft in drafts:
            problems.append(Problem(draft.rel, draft.doc.line("date"), "date",
                                    "required: write the date as YYYY-MM-DD in at least one version"))
        ok = False

    tag_keys = facts.get("tags", ((), first))[0]
    if "tags" in facts:
        source = facts["tags"][1]
        for index, key in enumerate(source.facts["tags"]):
            if key not in tags:
                close = difflib.get_close_matches(key, list(tags), n=1)
                hint = f"did you mean `{close[0]}`? " if close else ""
                known = ", ".join(sorted(tags)) or "none yet: add it to content/tags.yaml"
                problems.append(Problem(source.rel, source.doc.line("tags", index), "tags",
                                        f"unknown tag '{key}'; {hint}known tags: {known}"))
                ok = False

    project_keys = facts.get("projects", ((), first))[0]
    if "projects" in facts and project_ids is not None:
        source = facts["projects"][1]
        for index, key in enumerate(source.facts["projects"]):
            if key not in project_ids:
                known = ", ".join(sorted(project_ids)) or "none yet"
                problems.append(Problem(source.rel, source.doc.line("projects", index), "projects",
                                        f"unknown project '{key}' (no content/projects/{key}.yaml); known: {known}"))
                ok = False

    image = None
    if "image" in facts:
        image, source = facts["image"]
        ok &= _check_image(image, source, drafts, settings, problems)

    if not ok or any(d.title is None for d in drafts):
        return None

    versions = {}
    for draft in drafts:
        data = draft.doc.data
        summary = data.get("summary")
        summary = summary.strip() if isinstance(summary, str) and summary.strip() else shorten(first_paragraph(draft.body))
        versions[draft.lang] = NewsVersion(
            lang=draft.lang, source=draft.rel, title=draft.title, summary=summary,
            body=draft.body, body_line=draft.body_line,
            author=(data.get("author") or "").strip() or None,
            image_alt=(data.get("image_alt") or "").strip() or None,
            draft=bool(data.get("draft", False)),
        )
    return NewsItem(slug=slug, date=facts["date"][0], versions=versions,
                    tags=tuple(tag_keys), projects=tuple(project_keys), image=image)


def _check_image(image: str, source: _Draft, drafts: list[_Draft], settings: Settings,
                 problems: list[Problem]) -> bool:
    line = source.doc.line("image")
    media = settings.content_dir / MEDIA_DIR
    parts = Path(image).parts
    if Path(image).is_absolute() or ".." in parts:
        problems.append(Problem(source.rel, line, "image",
                                f"write a path inside content/{MEDIA_DIR}/, e.g. photo.jpg"))
        return False
    ok = True
    if not (media / image).is_file():
        problems.append(Problem(source.rel, line, "image",
                                f"image file not found: {settings.relative(media / image)}"))
        ok = False
    if not any((d.doc.data.get("image_alt") or "").strip() for d in drafts if isinstance(d.doc.data.get("image_alt"), str)):
        problems.append(Problem(source.rel, line, "image_alt",
                                "required when image is set: describe the picture for people who cannot see it"))
        ok = False
    return ok


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value)
