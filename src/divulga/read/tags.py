"""The tag vocabulary: ``content/tags.yaml``.

Tags are a controlled, translated list so that a tag page exists once per
language and listings never split "Formazione" from "formazione". An entry
is declared in ``schema.TAG``.
"""

from __future__ import annotations

import os

from divulga.problems import Problem
from divulga.read.model import Localized, Tag
from divulga.read.schema import INVALID, TAG, At, Check, check_value
from divulga.read.sources import SiteFiles
from divulga.read.yamlsource import parse_mapping
from divulga.settings import Settings

TAGS_FILE = "tags.yaml"


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
    for key, value in doc.data.items():
        at = At(str(key), (key,))
        if check_value(key_field, key, at, check) is INVALID:
            continue
        label = check_value(label_field, value, at, check)
        tags[key] = Tag(key, dict(label.values) if isinstance(label, Localized) else {})
    return tags, problems
