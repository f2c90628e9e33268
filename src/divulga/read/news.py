"""Reading news items: ``content/news/<slug>.<lang>.md``.

Each file is one language version; files sharing a slug are translations of
one item. Facts that do not depend on the language (date, tags, projects,
image) may be written in one version only and are inherited by the others;
where several versions write them they must agree.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from divulga.read.model import NewsFile, NewsItem, NewsVersion, Tag
from divulga.read.pagetext import MarkdownScan, scan_markdown
from divulga.problems import WARNING, Problem, errors_only
from divulga.settings import Settings
from divulga.read.sources import SiteFiles
from divulga.text import control_lines, first_paragraph, is_slug, parse_date, shorten, slugify
from divulga.read.yamlsource import YamlDocument, parse_mapping, split_front_matter

NEWS_DIR = "news"
MEDIA_DIR = "media"
FIELDS = ("title", "date", "summary", "tags", "projects", "image", "image_alt", "author", "draft")
SHARED_FACTS = ("date", "tags", "projects", "image")
# The title of a translation nobody has written yet (`divulga new` writes it;
# `divulga check` warns if a published version still carries it).
TO_TRANSLATE = "[DA TRADURRE / TO TRANSLATE]"
# Slugs that would collide with the listing pages under news/.
RESERVED_SLUGS = ("page", "tags", "archive", "index")
FILE_NAME = re.compile(r"(?P<slug>.+?)(?:\.(?P<lang>[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]+)?))?\.md", re.DOTALL)


@dataclass
class _Draft:
    """What one file says, before the versions of an item are merged."""

    lang: str
    rel: str
    doc: YamlDocument
    body: str
    body_line: int
    scan: MarkdownScan | None = None
    usable: bool = True  # False: a mistake of its own keeps it out of the site
    title: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # shared facts it states, checked
    stated: set[str] = field(default_factory=set)  # shared facts it writes, right or wrong


# Each news file as last read, by path, modification time and size (and the
# languages it was checked against): `mkdocs serve` loads the content again
# after every edit, and re-parsing a thousand unchanged files would take most
# of that time. What is kept is never changed after reading.
_files_read: dict[tuple, tuple[_Draft | None, tuple[Problem, ...]]] = {}


def load_news(settings: Settings, tags: dict[str, Tag] | None, project_ids: frozenset[str] | None,
              media: frozenset[str] = frozenset(), unusable: frozenset[str] = frozenset(),
              ) -> tuple[list[NewsItem], list[NewsFile], list[Problem]]:
    """Load every news file; return the items (newest first), every file
    read (for the checks of their texts) and all problems.

    ``tags`` is None when the tag list itself cannot be read (its problem is
    reported there, not again at every use); ``project_ids`` is None when the
    site has no projects folder: then project references are not checked.
    ``media`` holds the files of the media folder that may be published;
    ``unusable`` the entries there already reported (a link outside the site).
    Every mistake of every file is reported, each once: a version with a
    mistake of its own still lends its shared facts to its translations, so
    that they are not blamed for what it states.
    """
    folder = settings.content_dir / NEWS_DIR
    problems: list[Problem] = []
    by_slug: dict[str, list[_Draft]] = {}
    if not folder.is_dir():
        return [], [], problems
    files = SiteFiles(settings.root)
    news_files: list[NewsFile] = []
    read: dict[tuple, tuple[_Draft | None, tuple[Problem, ...]]] = {}
    languages = (settings.codes, settings.default_language.code)
    entries, entry_problems = files.entries(folder)
    problems += entry_problems
    for entry in entries:
        if entry.is_dir:
            problems.append(Problem(files.relative(entry.path), None, "file",
                                    "news files go directly in the news folder, not in sub-folders"))
            continue
        stat = entry.path.stat()
        key = (str(entry.path), stat.st_mtime_ns, stat.st_size, languages)
        if key not in _files_read:
            file_problems: list[Problem] = []
            _files_read[key] = (_read_file(entry.path, entry.size, files, settings, file_problems),
                                tuple(file_problems))
        draft, file_problems = read[key] = _files_read[key]
        problems.extend(file_problems)
        if draft is not None:
            slug = FILE_NAME.fullmatch(entry.name).group("slug")
            by_slug.setdefault(slug, []).append(draft)
            news_files.append(NewsFile(source=draft.rel, slug=slug, lang=draft.lang,
                                       draft=draft.doc.data.get("draft") is True, title=draft.title,
                                       image=draft.facts.get("image"), title_line=draft.doc.line("title"),
                                       scan=draft.scan))

    _files_read.clear()
    _files_read.update(read)
    items = []
    for slug, drafts in by_slug.items():
        item = _merge(slug, drafts, settings, tags, project_ids, media, unusable, problems)
        if item is not None:
            items.append(item)
    items.sort(key=lambda item: (-item.date.toordinal(), item.slug))
    return items, news_files, problems


def _read_file(path: Path, size: int, files: SiteFiles, settings: Settings,
               problems: list[Problem]) -> _Draft | None:
    """One file's draft, with every mistake it has on its own. None when
    nothing of it can be used (no front matter, not a news file name)."""
    rel = files.relative(path)
    match = FILE_NAME.fullmatch(path.name)
    codes = ", ".join(settings.codes)
    if match is None:
        problems.append(Problem(rel, None, "file",
                                f"not a news file: name it <slug>.<language>.md, e.g. "
                                f"{slugify(path.stem) or 'news'}.{settings.default_language.code}.md"))
        return None
    slug, lang = match.group("slug"), match.group("lang")
    usable = True
    if lang is None:
        problems.append(Problem(rel, None, "file",
                                f"missing language suffix: name it {slug}.{settings.default_language.code}.md "
                                f"(configured languages: {codes})"))
        usable = False
    elif lang not in settings.codes:
        problems.append(Problem(rel, None, "file",
                                f"language '{lang}' is not configured in mkdocs.yml (configured: {codes})"))
        usable = False
    if not is_slug(slug):
        problems.append(Problem(rel, None, "file",
                                f"'{slug}' is not a valid slug (lowercase letters, digits, hyphens): "
                                f"rename the file {slugify(slug) or 'news'}.{lang or settings.default_language.code}.md"))
        usable = False
    elif slug in RESERVED_SLUGS:
        problems.append(Problem(rel, None, "file",
                                f"'{slug}' is reserved for listing pages: rename the file, "
                                f"e.g. with the date in front"))
        usable = False
    text, read_problems = files.read_text(path, size=size)
    problems += read_problems
    if text is None:
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
    for line, message in control_lines(body, body_line):
        problems.append(Problem(rel, line, "body", message))
        usable = False
    draft = _Draft(lang=lang or "", rel=rel, doc=doc, body=body, body_line=body_line,
                   scan=scan_markdown(body, body_line))
    draft.usable = _check_fields(draft, problems) and not yaml_problems and usable
    # a file in no configured language is not a version of anything
    return draft if lang in settings.codes else None


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
    if "title" in doc.unreadable:
        pass  # reported where it is
    elif title is None or (isinstance(title, str) and not title.strip()):
        problems.append(Problem(rel, doc.line("title"), "title", "required: give the news item a title"))
    elif isinstance(title, (str, int, float)) and not isinstance(title, bool):
        draft.title = str(title).strip()
    else:
        problem("title", "must be text")

    draft.stated = {name for name in SHARED_FACTS if doc.data.get(name) is not None or name in doc.unreadable}
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
                keys = []
                for index, key in enumerate(value):
                    if key in keys:
                        problems.append(Problem(rel, doc.line(name, index), name,
                                                f"'{key}' is listed twice: it counts once; delete one", WARNING))
                    else:
                        keys.append(key)
                draft.facts[name] = tuple(keys)

    if "image" in doc.data:
        image = doc.data["image"]
        if not isinstance(image, str) or not image.strip():
            problem("image", "write the file name of an image in content/media/")
        else:
            draft.facts["image"] = image.strip()

    if "draft" in doc.data and not isinstance(doc.data["draft"], bool):
        problem("draft", "write `draft: true` or `draft: false`")
    return not errors_only(problems[before:])


def _merge(slug: str, drafts: list[_Draft], settings: Settings, tags: dict[str, Tag] | None,
           project_ids: frozenset[str] | None, media: frozenset[str], unusable: frozenset[str],
           problems: list[Problem]) -> NewsItem | None:
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

    ok = all(draft.usable for draft in drafts)
    first = drafts[0]
    if "date" not in facts:
        # a date written wrongly somewhere is reported there, not as missing
        if not any("date" in draft.stated for draft in drafts):
            for draft in drafts:
                problems.append(Problem(draft.rel, draft.doc.line("date"), "date",
                                        "required: write the date as YYYY-MM-DD in at least one version"))
        ok = False

    tag_keys = facts.get("tags", ((), first))[0]
    if "tags" in facts and tags is None:
        ok = False  # the tag list cannot be read: reported there
    elif "tags" in facts:
        source = facts["tags"][1]
        values = source.doc.data["tags"] if isinstance(source.doc.data["tags"], list) else [source.doc.data["tags"]]
        for index, key in enumerate(values):
            if key not in tags and key not in values[:index]:
                close = difflib.get_close_matches(key, list(tags), n=1)
                hint = f"did you mean `{close[0]}`? " if close else ""
                known = ", ".join(sorted(tags)) or "none yet: add it to content/tags.yaml"
                problems.append(Problem(source.rel, source.doc.line("tags", index), "tags",
                                        f"unknown tag '{key}'; {hint}known tags: {known}"))
                ok = False

    project_keys = facts.get("projects", ((), first))[0]
    if "projects" in facts and project_ids is not None:
        source = facts["projects"][1]
        values = source.doc.data["projects"]
        values = values if isinstance(values, list) else [values]
        for index, key in enumerate(values):
            if key not in project_ids and key not in values[:index]:
                known = ", ".join(sorted(project_ids)) or "none yet"
                problems.append(Problem(source.rel, source.doc.line("projects", index), "projects",
                                        f"unknown project '{key}' (no content/projects/{key}.yaml); known: {known}"))
                ok = False

    image = None
    if "image" in facts:
        image, source = facts["image"]
        ok &= _check_image(image, source, drafts, settings, media, unusable, problems)
    elif any("image" in draft.stated for draft in drafts):
        ok = False  # written wrongly, reported where it is

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
                 media: frozenset[str], unusable: frozenset[str], problems: list[Problem]) -> bool:
    line = source.doc.line("image")
    parts = Path(image).parts
    ok = True
    if Path(image).is_absolute() or ".." in parts or "\\" in image:
        problems.append(Problem(source.rel, line, "image",
                                f"write a path inside content/{MEDIA_DIR}/, e.g. photo.jpg"))
        ok = False
    elif any(image == name or image.startswith(name + "/") for name in unusable):
        ok = False  # the file (or a folder on its way) is reported where it is
    elif image not in media:
        where = settings.relative(settings.content_dir / MEDIA_DIR / image)
        problems.append(Problem(source.rel, line, "image", f"image file not found: {where}"))
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
