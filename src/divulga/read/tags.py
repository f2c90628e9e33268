"""The tag vocabulary: ``content/tags.yaml``.

Tags are a controlled, translated list so that a tag page exists once per
language and listings never split "Formazione" from "formazione".
"""

from __future__ import annotations

import os

from divulga.read.model import Tag
from divulga.problems import WARNING, Problem
from divulga.settings import Settings
from divulga.read.sources import SiteFiles
from divulga.text import is_slug, slugify
from divulga.read.yamlsource import parse_mapping

TAGS_FILE = "tags.yaml"


def load_tags(settings: Settings) -> tuple[dict[str, Tag] | None, list[Problem]]:
    """The vocabulary, or None when the file cannot be read at all: then its
    problem is reported once, not again at every tag used."""
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

    tags: dict[str, Tag] = {}
    for key, value in doc.data.items():
        line = doc.line(key)
        if not isinstance(key, str) or not is_slug(key):
            problems.append(Problem(rel, line, str(key),
                                    f"a tag key is lowercase letters, digits and hyphens: try `{slugify(str(key)) or 'tag'}`"))
            continue
        labels = _labels(value, key, line, rel, settings, problems)
        # a tag whose labels are wrong is reported here, not at every use
        tags[key] = Tag(key, labels or {})
    return tags, problems


def _labels(value, key: str, line: int, rel: str, settings: Settings,
            problems: list[Problem]) -> dict[str, str] | None:
    if isinstance(value, str) and value.strip():
        return {code: value.strip() for code in settings.codes}
    if isinstance(value, dict) and value:
        labels: dict[str, str] = {}
        for code, label in value.items():
            if not isinstance(label, str) or not label.strip():
                problems.append(Problem(rel, line, f"{key}.{code}", "the label must be some text"))
            elif code not in settings.codes:
                problems.append(Problem(
                    rel, line, f"{key}.{code}",
                    f"language '{code}' is not configured (configured: {', '.join(settings.codes)}); "
                    "this label is not used", WARNING))
            else:
                labels[code] = label.strip()
        return labels or None
    problems.append(Problem(rel, line, key,
                            "write `key: Label` or `key: {" + ", ".join(f"{c}: ..." for c in settings.codes) + "}`"))
    return None
