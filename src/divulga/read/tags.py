"""The tag vocabulary: ``content/tags.yaml``.

Tags are a controlled, translated list so that a tag page exists once per
language and listings never split "Formazione" from "formazione". An entry
is declared in ``schema.TAG``. Two ways to write the file, the same tags:

- a mapping, ``key: label`` per line (``training: {it: Formazione, en: Training}``);
- a list under ``tags:``, one ``- key: …`` / ``label: …`` entry per tag: the
  form the web editor writes (divulga.editor.webeditor).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from divulga.problems import WARNING, Problem
from divulga.read.model import Localized, Tag
from divulga.read.schema import INVALID, TAG, At, Check, check_value
from divulga.read.sources import SiteFiles
from divulga.read.yamlsource import parse_mapping
from divulga.settings import Settings

TAGS_FILE = "tags.yaml"
LIST_KEY = "tags"  # the list form: tags: [{key: ..., label: ...}, ...]


def load_tags(settings: Settings) -> tuple[dict[str, Tag] | None, list[Problem]]:
    """The vocabulary, or None when the file cannot be read at all: then its
    problem is reported once, not again at every tag used. Each entry is
    ``key: label``, checked against ``schema.TAG``; a tag whose label is
    wrong is reported here and kept, not reported again at every use."""
    path = settings.content_dir / TAGS_FILE
    if not os.path.lexists(path):
        return {}, []
    text, problems = SiteFiles(settings.root).read_text(path)
    if text is None:
        return None, problems
    rel = settings.relative(path)
    doc, problems = parse_mapping(text, path=rel, what="tag list")
    if doc is None:
        return None, problems

    check = Check.for_settings(settings, rel, doc, problems)
    key_field, label_field = TAG.field("key"), TAG.field("label")
    tags: dict[str, Tag] = {}
    for key, value, at, key_at in _entries(doc.data, check):
        if check_value(key_field, key, key_at, check) is INVALID:
            continue
        if key in tags:
            check.report(key_at, f"'{key}' is listed twice: it counts once; delete one", WARNING)
            continue
        label = check_value(label_field, value, at, check)
        tags[key] = Tag(key, dict(label.values) if isinstance(label, Localized) else {})
    return tags, problems


def _entries(data: dict, check: Check) -> Iterator[tuple[Any, Any, At, At]]:
    """(key, label, where the label is, where the key is) of each tag, in either form."""
    if set(data) == {LIST_KEY} and isinstance(data[LIST_KEY], list):
        for index, entry in enumerate(data[LIST_KEY]):
            at = At(LIST_KEY, (LIST_KEY,)).item(index)
            if not isinstance(entry, dict) or set(entry) - {"key", "label"}:
                check.report(at, "write each tag as `- key: training` with `label: {it: Formazione, en: Training}` "
                                 "on the next line")
                continue
            yield entry.get("key"), entry.get("label"), at.field("label"), at.field("key")
        return
    for key, value in data.items():
        if isinstance(value, list):
            check.report(At(str(key), (key,)), "a tag's label is a text or {it: ..., en: ...}; a list of tags "
                                               "goes under tags: alone, with no other line in the file")
            continue
        at = At(str(key), (key,))
        yield key, value, at, at


def written_as_list(settings: Settings) -> bool:
    """Whether content/tags.yaml is in the list form (or not there yet): the form the web editor can edit."""
    path = settings.content_dir / TAGS_FILE
    if not os.path.lexists(path):
        return True
    text, _ = SiteFiles(settings.root).read_text(path)
    doc, _ = parse_mapping(text, path=TAGS_FILE, what="tag list") if text is not None else (None, [])
    return doc is not None and set(doc.data) == {LIST_KEY} and isinstance(doc.data[LIST_KEY], list)
