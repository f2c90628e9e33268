"""The tag vocabulary: ``content/tags.yaml``.

Tags are a controlled, translated list so that a tag page exists once per
language and listings never split "Formazione" from "formazione".
"""

from __future__ import annotations

from .model import Tag
from .problems import WARNING, Problem
from .settings import Settings
from .text import is_slug, slugify
from .yamlsource import parse_mapping

TAGS_FILE = "tags.yaml"


def load_tags(settings: Settings) -> tuple[dict[str, Tag], list[Problem]]:
    path = settings.content_dir / TAGS_FILE
    rel = settings.relative(path)
    if not path.exists():
        return {}, []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return {}, [Problem(rel, None, "file", "not UTF-8 text: save the file as UTF-8")]
    doc, problems = parse_mapping(text, path=rel, what="tag list")
    if doc is None:
        return {}, problems

    tags: dict[str, Tag] = {}
    for key, value in doc.data.items():
        line = doc.line(key)
        if not isinstance(key, str) or not is_slug(key):
            problems.append(Problem(rel, line, str(key),
                                    f"a tag key is lowercase letters, digits and hyphens: try `{slugify(str(key)) or 'tag'}`"))
            continue
        labels = _labels(value, key, line, rel, settings, problems)
        if labels:
            tags[key] = Tag(key, labels)
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
