"""``divulga translated``: record that a translation is up to date with its source.

It writes ``translated_from: {lang: it, fingerprint: …}`` into the
translation's front matter: the language of the version it translates and
that version's fingerprint now (``NewsVersion.fingerprint``: title, summary
and text, spacing aside). When the source later changes in substance, its
fingerprint no longer matches and ``divulga check`` lists the translation as
outdated (divulga.editor.translations); running the command again, once the
translation is updated, confirms it.
"""

from __future__ import annotations

import re
from pathlib import Path

from divulga.problems import Problem
from divulga.read.loader import load_content
from divulga.read.versions import FILE_NAME
from divulga.read.yamlsource import split_front_matter
from divulga.settings import Settings

FIELD = re.compile(r"^translated_from:.*(?:\n[ \t]+.*)*\n?", re.MULTILINE)


def record_translations(settings: Settings, paths: list[Path], source_lang: str | None = None
                        ) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    """Write ``translated_from`` into each translation of ``paths``; return (translation, source) pairs
    done, or the problems (then nothing is written)."""
    content, _ = load_content(settings)
    items = {item.slug: item for item in (*content.news, *content.events, *content.results)}
    source_lang = source_lang or settings.default_language.code
    planned, problems = [], []
    for path in paths:
        path = path if path.is_absolute() else Path.cwd() / path
        rel = settings.relative(path)
        match = FILE_NAME.fullmatch(path.name)
        item = items.get(match.group("slug")) if match else None
        lang = match.group("lang") if match else None
        if item is None or lang not in item.versions:
            problems.append(Problem(rel, None, "file", "not a news item, event or result the site can read: "
                                                       "check it with `divulga check` first"))
            continue
        source = item.versions.get(source_lang)
        if lang == source_lang or source is None:
            problems.append(Problem(rel, None, "file", f"no {source_lang} version to be a translation of "
                                                       f"(give the source's language with --from)"))
            continue
        planned.append((path, settings.root / source.source, f"{{lang: {source_lang}, "
                                                              f"fingerprint: {source.fingerprint}}}"))
    if problems:
        return [], problems
    for path, source, value in planned:
        text = path.read_text(encoding="utf-8")
        front, _, _ = split_front_matter(text)
        start = text.index(front)
        written = FIELD.sub("", front)
        written = written.rstrip("\n") + f"\ntranslated_from: {value}\n"
        path.write_text(text[:start] + written + text[start + len(front):], encoding="utf-8")
    return [(path, source) for path, source, _ in planned], []
