"""``divulga translated``: record that a translation is up to date with its source.

For a news item, an event, a result or a hand-written page of docs/, it
writes ``translated_from: {lang: it, fingerprint: …}`` into the translation's
front matter (adding one to a page that has none): the language of the
version it translates and that version's fingerprint now (title, summary and
text, spacing aside: ``divulga.text.fingerprint``). For a project sheet, whose
languages share one file, it records the same under the language translated
(``translated_from: {en: {lang: it, fingerprint: …}}``), the fingerprint being
that of all the sheet's texts in the source language
(``divulga.read.projects.texts_fingerprint``). When the source later changes in
substance, its fingerprint no longer matches and ``divulga check`` lists the
translation as outdated (divulga.plan.translations); running the command
again, once the translation is updated, confirms it.
"""

from __future__ import annotations

import re
from pathlib import Path

from divulga.problems import Problem
from divulga.read.docpages import DocPages, read_docs_pages
from divulga.read.loader import load_content
from divulga.read.model import Content, Project
from divulga.read.projects import PROJECTS_DIR, texts_fingerprint
from divulga.read.versions import FILE_NAME
from divulga.read.yamlsource import split_front_matter
from divulga.settings import Settings

FIELD = re.compile(r"^translated_from:.*(?:\n[ \t]+.*)*\n?", re.MULTILINE)
NOT_READABLE = ("not a news item, event, result, page of docs/ or project sheet the site can read: "
                "check it with `divulga check` first")


def record_translations(settings: Settings, paths: list[Path], source_lang: str | None = None,
                        lang: str | None = None) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Record each translation of ``paths`` (for a project sheet: its language ``lang``, else every
    language it is translated into); return (file, what it is now up to date with) for each, or the
    problems (then nothing is written)."""
    content, _ = load_content(settings)
    docs, _ = read_docs_pages(settings)
    source_lang = source_lang or settings.default_language.code
    planned, problems = [], []
    for path in paths:
        path = path if path.is_absolute() else Path.cwd() / path
        rel = settings.relative(path)
        project = content.projects.get(path.stem) if path.suffix == ".yaml" and \
            path.parent == settings.content_dir / PROJECTS_DIR else None
        if project is not None:
            found = _sheet(project, settings, source_lang, lang, rel, problems)
        else:
            found = _version(content, docs, settings, path, rel, source_lang, problems)
        if found is not None:
            planned.append((path, *found))
    if problems:
        return [], problems
    for path, write, label in planned:
        path.write_text(write(path.read_text(encoding="utf-8")), encoding="utf-8")
    return [(path, label) for path, _, label in planned], []


def _version(content: Content, docs: DocPages, settings: Settings, path: Path, rel: str, source_lang: str,
             problems: list[Problem]):
    """(how to write it, label) for a Markdown translation, or None with a problem."""
    page = next((page for page in docs.pages if page.rel == rel), None)
    if page is not None:
        versions = docs.versions(page.virtual)
        lang, source = page.lang, versions.get(source_lang)
        source_file, source_print = (source.rel, source.fingerprint) if source is not None else (None, None)
    else:
        items = {item.slug: item for item in (*content.news, *content.events, *content.results)}
        match = FILE_NAME.fullmatch(path.name)
        item = items.get(match.group("slug")) if match else None
        lang = match.group("lang") if match else None
        if item is None or lang not in item.versions:
            problems.append(Problem(rel, None, "file", NOT_READABLE))
            return None
        source = item.versions.get(source_lang)
        source_file, source_print = (source.source, source.fingerprint) if source is not None else (None, None)
    if lang is None or lang == source_lang or source_file is None:
        problems.append(Problem(rel, None, "file", f"no {source_lang} version to be a translation of "
                                                   f"(give the source's language with --from)"))
        return None
    value = _record(source_lang, source_print)
    return (lambda text: _front_matter_with(text, value)), source_file


def _record(lang: str, fingerprint: str) -> str:
    """``{lang: "it", fingerprint: "…"}``, quoted: a fingerprint of digits only would read as a number, a
    language such as ``no`` as "false"."""
    return f'{{lang: "{lang}", fingerprint: "{fingerprint}"}}'


def _front_matter_with(text: str, value: str) -> str:
    """``text`` with ``translated_from: value`` in its front matter (one made when it has none)."""
    front, _, _ = split_front_matter(text)
    if front is None:
        return f"---\ntranslated_from: {value}\n---\n\n{text}"
    start = text.index(front)
    written = FIELD.sub("", front).rstrip("\n") + f"\ntranslated_from: {value}\n"
    return text[:start] + written.lstrip("\n") + text[start + len(front):]


def _sheet(project: Project, settings: Settings, source_lang: str, lang: str | None, rel: str,
           problems: list[Problem]):
    """(how to write it, label) for a project sheet's translations, or None with a problem."""
    if source_lang not in settings.codes:
        problems.append(Problem(rel, None, "file", f"language '{source_lang}' is not configured"))
        return None
    if lang is not None and (lang not in settings.codes or lang == source_lang):
        problems.append(Problem(rel, None, "file", f"--lang: give a configured language other than {source_lang} "
                                                   f"({', '.join(settings.codes)})"))
        return None
    langs = [lang] if lang is not None else [code for code in settings.codes if code != source_lang]
    recorded = {code: dict(value) for code, value in (project.translated_from or {}).items()}
    source_print = texts_fingerprint(project, source_lang)
    for code in langs:
        recorded[code] = {"lang": source_lang, "fingerprint": source_print}
    block = "translated_from:\n" + "".join(
        f"  {code}: {_record(value['lang'], value['fingerprint'])}\n"
        for code, value in sorted(recorded.items(), key=lambda pair: settings.codes.index(pair[0])))

    def write(text: str) -> str:
        kept = FIELD.sub("", text)
        return kept.rstrip("\n") + "\n" + block

    return write, f"its {source_lang} texts ({', '.join(langs)})"
