"""Reading items written as one Markdown file per language version: news
items (``content/news/<slug>.<lang>.md``), events (``content/events/...``).

Files sharing a slug are translations of one item. Facts that do not depend
on the language (a news item's date, an event's place and time, tags,
projects, image) may be written in one version only and are inherited by the
others; where several versions write them they must agree. The fields, which
of them are shared, and the rules across versions are declared in the content
type's schema (``schema.NEWS``, ``schema.EVENT``); its ``ItemKind`` says where
its files are and how an item is made from its checked versions. This module
reads the files, checks and merges the versions, for every such type alike.
"""

from __future__ import annotations

import importlib
import operator
import re
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from divulga.problems import Problem
from divulga.read.model import Lines, NewsFile, NewsVersion, Tag
from divulga.read.pagetext import MarkdownScan, scan_markdown
from divulga.read.schema import At, Check, Schema, Version, check_mapping, merge_versions
from divulga.read.sources import Found, Listings, SiteFiles, name_problem
from divulga.read.yamlsource import parse_mapping, split_front_matter
from divulga.settings import Settings
from divulga.text import control_lines, fingerprint, first_paragraph, is_slug, shorten, slugify

FILE_NAME = re.compile(r"(?P<slug>.+?)(?:\.(?P<lang>[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]+)?))?\.md", re.DOTALL)


@dataclass(frozen=True)
class ItemKind:
    """A content type written as one Markdown file per language version."""

    name: str  # what messages call one item: "news", "event"
    folder: str  # under the content folder: "news", "events"
    schema: Schema
    reserved: tuple[str, ...]  # slugs the listing pages under the folder use
    # the item, from its slug, its checked versions (language order), their shared facts, the settings
    build: Callable[[str, dict[str, NewsVersion], dict[str, Any], Settings], Any]
    sort_key: Callable[[Any], Any]

    def __reduce__(self) -> tuple:
        """To a helper process (``_read_shared``): by its name, found in the module that defines it (its
        schema holds functions made there, its sort key may be a lambda)."""
        return _kind_named, (self.build.__module__, self.name)


def _kind_named(module: str, name: str) -> ItemKind:
    for value in vars(importlib.import_module(module)).values():
        if isinstance(value, ItemKind) and value.name == name:
            return value
    raise LookupError(f"no content type {name!r} in {module}")


@dataclass
class _Draft(Version):
    """What one file says, before the versions of an item are merged: its
    fields checked against the schema (references and media files are
    resolved once per item, by ``merge_versions``)."""

    body: str = ""
    body_line: int = 1
    scan: MarkdownScan | None = None

    @property
    def title(self) -> str | None:
        title = self.values.get("title")
        return title if isinstance(title, str) else None

    @cached_property
    def fingerprint(self) -> str:
        """What the file says (divulga.text.fingerprint), computed once per file read: kept with it."""
        summary = self.values.get("summary")
        return fingerprint(self.title or "", summary if isinstance(summary, str) else "", self.body)


@dataclass(frozen=True)
class _FileRead:
    """One file as read: its draft (None when nothing of it can be used) and its own mistakes."""

    draft: _Draft | None
    problems: tuple[Problem, ...]
    slug: str = ""
    news_file: NewsFile | None = None  # what the checks of its text need


def _file_read(kind: ItemKind, entry: Found, files: SiteFiles, settings: Settings) -> _FileRead:
    problems: list[Problem] = []
    draft = _read_file(kind, entry.path, entry.size, files, settings, problems)
    if draft is None:
        return _FileRead(None, tuple(problems))
    slug = FILE_NAME.fullmatch(entry.name).group("slug")
    image = draft.values.get("image")
    return _FileRead(draft, tuple(problems), slug, NewsFile(
        kind=kind.name, source=draft.source, slug=slug, lang=draft.lang, draft=draft.raw.get("draft") is True,
        title=draft.title, image=image if isinstance(image, str) else None, title_line=draft.lines.line("title"),
        scan=draft.scan))


class FilesRead:
    """Each news or event file as last read, by path, modification time and
    size (and the languages it was checked against), and each item as last
    merged from its files: `mkdocs serve` loads the content again after every
    edit, and re-parsing and re-checking ten thousand unchanged files would take
    most of that time. An item is merged again when one of its files was read
    again, or when anything it is checked against changed (the settings, the
    tags, the projects, the media files). Whoever loads the content again keeps
    one (the adapter's session); what is kept is never changed after reading."""

    def __init__(self) -> None:
        # kind -> (path, modification time, size, languages) -> the file as read
        self.files: dict[str, dict[tuple, _FileRead]] = {}
        # kind -> what its items were checked against, and slug -> (its drafts, the item, its problems)
        self.merged: dict[str, tuple[tuple, dict[str, tuple[tuple[_Draft, ...], Any, tuple[Problem, ...]]]]] = {}
        # the results' documents as last looked at (divulga.media.documents.DocumentTexts.known)
        self.documents: dict[tuple, tuple] = {}
        # what the checks of each text found (divulga.plan.validate._PageChecks)
        self.checked: dict = {}
        # the content folders as last listed, and what changed in them since (a preview's watcher tells)
        self.listings = Listings()


def load_items(kind: ItemKind, settings: Settings, tags: dict[str, Tag] | None,
               project_ids: frozenset[str] | None, media: frozenset[str] = frozenset(),
               unusable: frozenset[str] = frozenset(), cache: FilesRead | None = None,
               helper: Executor | None = None) -> tuple[list[Any], list[NewsFile], list[Problem]]:
    """Load every file of ``kind``'s folder; return the items (in
    ``kind.sort_key`` order), every file read (for the checks of their texts)
    and all problems.

    ``tags`` is None when the tag list itself cannot be read (its problem is
    reported there, not again at every use); ``project_ids`` is None when the
    site has no projects folder: then project references are not checked.
    ``media`` holds the files of the media folder that may be published;
    ``unusable`` the entries there already reported (a link outside the site).
    Every mistake of every file is reported, each once: a version with a
    mistake of its own still lends its shared facts to its translations, so
    that they are not blamed for what it states.

    ``helper``: a process pool (a build's: divulga.runtime.Helpers) that reads
    some of the files while this process reads the others (``_read_shared``).
    """
    folder = settings.content_dir / kind.folder
    problems: list[Problem] = []
    by_slug: dict[str, list[_Draft]] = {}
    if not folder.is_dir():
        return [], [], problems
    files = SiteFiles(settings.root, cache.listings if cache is not None else None)
    news_files: list[NewsFile] = []
    read: dict[tuple, _FileRead] = {}
    languages = (settings.codes, settings.default_language.code)
    entries, entry_problems = files.entries(folder)
    problems += entry_problems
    known = cache.files.get(kind.name, {}) if cache is not None else {}
    keys = [(entry.location, entry.mtime_ns, entry.size, languages) for entry in entries]
    unread = [(entry, key) for entry, key in zip(entries, keys) if not entry.is_dir and key not in known]
    if helper is not None and len(unread) >= SHARED_MIN:
        known = {**known, **dict(zip((key for _, key in unread),
                                     _read_shared(kind, [entry for entry, _ in unread], files, settings, helper)))}
    for entry, key in zip(entries, keys):
        if entry.is_dir:
            problems.append(Problem(files.relative(entry.path), None, "file",
                                    f"{kind.name} files go directly in the {kind.folder} folder, "
                                    "not in sub-folders"))
            continue
        done = read[key] = known.get(key) or _file_read(kind, entry, files, settings)
        problems.extend(done.problems)
        if done.draft is not None:
            by_slug.setdefault(done.slug, []).append(done.draft)
            news_files.append(done.news_file)
    if cache is not None:
        cache.files[kind.name] = read
    references = {"tag": None if tags is None else frozenset(tags)}
    if project_ids is not None:
        references["project"] = project_ids
    # what checking an item needs, the same for every item
    options = dict(languages=settings.codes, default=settings.default_language.code, references=references,
                   media=media, unusable=unusable,
                   media_path=lambda folder, name: settings.relative(settings.content_dir / folder / name))
    order = {code: i for i, code in enumerate(settings.codes)}
    # an item whose files were not read again, checked against the same, is the item merged last time
    against = (settings, references, media, unusable)
    last_against, last = cache.merged.get(kind.name, (None, {})) if cache is not None else (None, {})
    reusable = last if against == last_against else {}
    merged = {}
    items = []
    for slug, drafts in by_slug.items():
        drafts.sort(key=lambda d: order[d.lang])
        before = reusable.get(slug)
        if before is not None and len(before[0]) == len(drafts) and all(map(operator.is_, before[0], drafts)):
            item, item_problems = before[1], before[2]
        else:
            found: list[Problem] = []
            item = _merge(kind, slug, drafts, options, found, settings)
            item_problems = tuple(found)
        merged[slug] = (tuple(drafts), item, item_problems)
        problems.extend(item_problems)
        if item is not None:
            items.append(item)
    if cache is not None:
        cache.merged[kind.name] = (against, merged)
    items.sort(key=kind.sort_key)
    problems += _addresses(kind, items, settings)
    return items, news_files, problems


SHARED_MIN = 200  # files to read: below this, a helper process is not worth its start
SHARED_CHUNK = 48  # files a helper reads per task


def _read_shared(kind: ItemKind, entries: list[Found], files: SiteFiles, settings: Settings,
                 helper: Executor) -> list[_FileRead]:
    """``entries`` read (``_file_read``), in their order, shared with ``helper``.

    This process reads from the first file, the helper from the last, until
    they meet; what the helper reads comes back as the same objects. A chunk
    the helper has not started when this process comes to it, this process
    reads itself (it waits only for those the helper has taken: as many as
    it has processes, and one more), and so it does any chunk the helper failed to read: a helper that cannot start,
    crashes or is slower changes the time, never what is read."""
    chunks = [entries[start:start + SHARED_CHUNK] for start in range(0, len(entries), SHARED_CHUNK)]
    futures = {}
    for index in range(len(chunks) - 1, 0, -1):
        try:
            futures[index] = helper.submit(read_files, kind, chunks[index], settings)
        except Exception:  # the pool cannot take work (broken, shut down): this process reads
            break
    done: list[_FileRead] = []
    for index, chunk in enumerate(chunks):
        future = futures.pop(index, None)
        read = None
        if future is not None and not future.cancel():  # the helper has it: its result, when it could
            try:
                read = future.result()
            except Exception:
                read = None
        done += read if read is not None else [_file_read(kind, entry, files, settings) for entry in chunk]
    return done


def read_files(kind: ItemKind, entries: list[Found], settings: Settings) -> list[_FileRead]:
    """In a helper process: ``entries`` as ``_file_read`` reads them, with what is kept of each (its
    fingerprint) already made."""
    files = SiteFiles(settings.root)
    done = [_file_read(kind, entry, files, settings) for entry in entries]
    for read in done:
        if read.draft is not None:
            read.draft.fingerprint  # noqa: B018 (computed here, kept with the draft)
    return done


def _addresses(kind: ItemKind, items: list[Any], settings: Settings) -> list[Problem]:
    """A translation's own page address (``slug:``) must be free in its language: not the file name of any
    item (its old address leads there), not another translation's, not a listing's."""
    default = settings.default_language.code
    shared = {item.slug: item for item in items}
    taken: dict[tuple[str, str], str] = {}
    problems = []
    for item in items:
        for lang, version in item.versions.items():
            if version.slug is None:
                continue
            line = version.lines.line("slug")
            if lang == default:
                problems.append(Problem(version.source, line, "slug",
                                        f"the {default} page's address is the file's name: rename the file, "
                                        f"or delete slug:"))
            elif version.slug in kind.reserved:
                problems.append(Problem(version.source, line, "slug",
                                        f"'{version.slug}' is reserved for listing pages: choose another"))
            elif version.slug in shared and shared[version.slug] is not item:
                other = shared[version.slug].versions
                problems.append(Problem(version.source, line, "slug",
                                        f"'{version.slug}' is the address of "
                                        f"{next(iter(other.values())).source}: choose another"))
            elif (lang, version.slug) in taken:
                problems.append(Problem(version.source, line, "slug",
                                        f"'{version.slug}' is already the {lang} address of "
                                        f"{taken[(lang, version.slug)]}: choose another"))
            else:
                taken[(lang, version.slug)] = version.source
    return problems


def _read_file(kind: ItemKind, path: Path, size: int, files: SiteFiles, settings: Settings,
               problems: list[Problem]) -> _Draft | None:
    """One file's draft, with every mistake it has on its own. None when
    nothing of it can be used (no front matter, not such a file's name)."""
    rel = files.relative(path)
    match = FILE_NAME.fullmatch(path.name)
    codes = ", ".join(settings.codes)
    if match is None:
        problems.append(Problem(rel, None, "file",
                                f"not {'a' if kind.name == 'news' else 'an'} {kind.name} file: name it "
                                f"<slug>.<language>.md, e.g. "
                                f"{slugify(path.stem) or kind.folder}.{settings.default_language.code}.md"))
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
        problems.append(name_problem(rel, slug, "slug", f".{lang or settings.default_language.code}.md",
                                     kind.name))
        usable = False
    elif slug in kind.reserved:
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
    check = Check.for_settings(settings, rel, doc, problems, resolving=False)
    values = check_mapping(kind.schema, doc.data, At(), check, doc.unreadable)
    draft = _Draft(lang=lang or "", source=rel, lines=Lines.of(doc), raw=doc.data, values=values,
                   usable=check.ok and not yaml_problems and usable, body=body, body_line=body_line,
                   scan=scan_markdown(body, body_line))
    # a file in no configured language is not a version of anything
    return draft if lang in settings.codes else None


def _merge(kind: ItemKind, slug: str, drafts: list[_Draft], options: dict, problems: list[Problem],
           settings: Settings) -> Any:
    """The item of ``drafts`` (in language order), or None; its problems go to ``problems``."""
    checks: dict[str, Check] = {}

    def check_for(version: Version) -> Check:
        if version.source not in checks:
            checks[version.source] = Check(version.source, version.lines, problems, **options)
        return checks[version.source]

    facts, ok = merge_versions(kind.schema, drafts, check_for)
    if not ok or any(d.title is None for d in drafts):
        return None

    versions = {}
    for draft in drafts:
        values = draft.values
        versions[draft.lang] = NewsVersion(
            lang=draft.lang, source=draft.source, title=draft.title,
            summary=values["summary"] or shorten(first_paragraph(draft.body)),
            body=draft.body, body_line=draft.body_line, author=values.get("author"),
            image_alt=values["image_alt"], draft=bool(draft.raw.get("draft", False)), lines=draft.lines,
            translated_from=_translated_from(values.get("translated_from")),
            fingerprint=draft.fingerprint,
            slug=values.get("slug") or None,
        )
    return kind.build(slug, versions, facts, settings)


def _translated_from(value: Any) -> tuple[str, str] | None:
    """(language, fingerprint) of the version a translation was made from, as `divulga translated` wrote it."""
    if isinstance(value, dict) and isinstance(value.get("lang"), str) and isinstance(value.get("fingerprint"), str):
        return value["lang"], value["fingerprint"]
    return None
