"""YAML that remembers where each value was written.

PyYAML's plain ``safe_load`` forgets line numbers, but every problem we report
must point at a line. We compose the node tree once, record the line of every
mapping key and sequence item under its path (``("partners", 2, "country")``),
and construct each top-level value on its own so that one bad value (say an
impossible date) becomes one problem instead of aborting the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

Path = tuple  # a path into the document: keys (str) and list indexes (int)


@dataclass
class YamlDocument:
    """A parsed mapping plus the 1-based line of every key and list item."""

    data: dict[str, Any]
    lines: dict[Path, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *path: Any) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.first_line


def _record_lines(node: yaml.Node, path: Path, lines: dict, offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = path + (key_node.value,)
                lines.setdefault(child, key_node.start_mark.line + 1 + offset)
                _record_lines(value_node, child, lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = path + (index,)
            lines[child] = item.start_mark.line + 1 + offset
            _record_lines(item, child, lines, offset)


# libyaml's composer is an order of magnitude faster; the pure-Python one
# words errors the way our messages (and their lines) expect.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)  # raises the error to report


def parse_mapping(
    text: str, *, path: str, line_offset: int = 0, what: str = "YAML"
) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse ``text`` as a YAML mapping.

    ``line_offset`` is the number of file lines before ``text`` starts (front
    matter begins after the opening ``---``). Returns the document (None when
    it cannot be read at all) and the problems found.
    """
    problems: list[Problem] = []
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context_mark = getattr(exc, "context_mark", None)
        if mark is None or ("<stream end>" in str(getattr(exc, "problem", "")) and context_mark):
            # an unclosed bracket or quote: point at where it was opened
            mark = context_mark or mark
        line = mark.line + 1 + line_offset if mark is not None else line_offset + 1
        reason = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"invalid {what}: {reason}" + (f" ({context})" if context else "")
        return None, [Problem(path, line, "yaml", message)]

    if root is None:
        return YamlDocument({}, {}, line_offset + 1), problems
    if not isinstance(root, yaml.MappingNode):
        return None, [
            Problem(path, root.start_mark.line + 1 + line_offset, "yaml",
                    f"{what} must be a mapping of `key: value` lines")
        ]

    lines: dict[Path, int] = {}
    _record_lines(root, (), lines, line_offset)
    constructor = yaml.SafeLoader("")
    data: dict[str, Any] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1 + line_offset
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(path, line, "yaml", "keys must be plain words"))
            continue
        key = key_node.value
        if key in data:
            problems.append(Problem(path, line, key, "written twice; keep one"))
            continue
        try:
            data[key] = constructor.construct_document(value_node)
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            problems.append(Problem(
                path, value_node.start_mark.line + 1 + line_offset, key,
                f"cannot read this value: {getattr(exc, 'problem', None) or exc}"))
    constructor.dispose()
    return YamlDocument(data, lines, line_offset + 1), problems


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split a Markdown file into (front matter, body, body's first line).

    Front matter is the block between a first line ``---`` and the next line
    that is ``---`` or ``...``. Returns None for the front matter when the file
    has none (or it is never closed).
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in ("---", "..."):
            front = "".join(lines[1:index])
            body = "".join(lines[index + 1:])
            return front, body, index + 2
    return None, text, 1
