"""YAML that remembers where each value was written.

PyYAML's plain ``safe_load`` forgets line numbers, but every problem we report
must point at a line. We compose the node tree once, record the line of every
mapping key and sequence item under its path (``("partners", 2, "country")``),
and construct each top-level value on its own so that one bad value (say an
impossible date) becomes one problem instead of aborting the whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from divulga.problems import Problem
from divulga.text import CONTROL, control_message

Path = tuple  # a path into the document: keys (str) and list indexes (int)


@dataclass
class YamlDocument:
    """A parsed mapping plus the 1-based line of every key and list item."""

    data: dict[str, Any]
    lines: dict[Path, int] = field(default_factory=dict)
    first_line: int = 1
    # keys whose value could not be read (each reported once, where it is):
    # they count as written, so no "required" follows
    unreadable: frozenset[str] = frozenset()

    def written(self, key: str) -> bool:
        return key in self.data or key in self.unreadable

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


# libyaml's parser and composer are an order of magnitude faster; the
# pure-Python parser words errors the way our messages (and their lines) expect.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Bounds that no real front matter or sheet comes near, so that a small
# hostile file cannot take the build's memory or stack.
MAX_CHARACTERS = 512 * 1024
MAX_DEPTH = 24
MAX_NODES = 100_000
_NESTING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_NESTING_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Refused(Exception):
    """A document read no further: aliases, too deep, too large."""

    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


def _screen(text: str) -> None:
    """Walk the document's events (no objects are built) and refuse what
    would make building it unbounded: anchors and aliases (a 400-byte
    "billion laughs" grows to gigabytes), deep nesting, too many values."""
    if len(text) > MAX_CHARACTERS:
        raise _Refused(1, f"too long ({len(text) // 1024} kB; at most {MAX_CHARACTERS // 1024} kB)")
    depth = nodes = 0
    for event in yaml.parse(text, Loader=FAST_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark.line + 1,
                           "anchors and aliases (`&name`, `*name`) are not supported here: "
                           "write the value out in full")
        if isinstance(event, _NESTING):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(event.start_mark.line + 1,
                               f"nested more than {MAX_DEPTH} levels deep: is a bracket or an indentation wrong?")
        elif isinstance(event, _NESTING_END):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise _Refused(event.start_mark.line + 1, f"more than {MAX_NODES} values: is it the right file?")


# What a document needs to hold before it is worth screening: an anchor or
# an alias needs "&" or "*"; nesting deeper than MAX_DEPTH needs that many
# brackets or an indentation of twice as many spaces; more than MAX_NODES
# values need more than 64 kB (front matter and sheets are a few kB).
_DEEP_INDENT = re.compile(r"^[ \t-]{%d}" % (2 * MAX_DEPTH), re.MULTILINE)


def _worth_screening(text: str) -> bool:
    return ("&" in text or "*" in text or text.count("[") + text.count("{") > MAX_DEPTH
            or len(text) > 64 * 1024 or _DEEP_INDENT.search(text) is not None)


def _compose(text: str) -> yaml.Node | None:
    try:
        if _worth_screening(text):
            _screen(text)
        return yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        # raise the error again from the pure-Python parser, which words it
        # better; events only, so no recursion however deep the brackets
        for _ in yaml.parse(text, Loader=yaml.SafeLoader):
            pass
        raise


def _error_line(exc: yaml.YAMLError, text: str) -> int:
    """The 0-based line the mistake is on: where an unclosed quote or bracket
    was opened, not the end of the text where the parser noticed."""
    if isinstance(exc, yaml.reader.ReaderError):
        return text.count("\n", 0, exc.position)
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    opened = context.startswith(("while scanning a quoted", "while parsing a flow"))
    if context_mark is not None and (mark is None or "end of stream" in problem or "<stream end>" in problem
                                     or opened):
        return context_mark.line
    return mark.line if mark is not None else 0


def _plain_error(exc: yaml.YAMLError, text: str, line: int, what: str) -> str:
    """The parser's complaint as a sentence an editor can act on."""
    lines = text.splitlines()
    here = lines[line] if 0 <= line < len(lines) else ""
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return (f"contains an invisible control character (U+{char:04X}) that cannot be published: "
                "delete it (it often comes with text copied from another program)")
    if "'\\t'" in problem or "\t" in problem or "tab" in problem.lower():
        return "a tab character is used to indent: indent with spaces, not tabs"
    if context.startswith("while scanning a quoted"):
        return ("this quote is never closed: end the text with the same quote mark it starts with, "
                "e.g. title: \"…\"")
    if context.startswith("while parsing a flow sequence") or "expected ',' or ']'" in problem:
        return "this list is never closed: a list in brackets ends with ], e.g. tags: [first, second]"
    if context.startswith("while parsing a flow mapping") or "expected ',' or '}'" in problem:
        return "these braces are never closed: write {it: …, en: …} with the closing }"
    if problem.startswith("mapping values are not allowed"):
        if here.count(": ") + here.rstrip().endswith(":") > 1:
            return ("a text containing a colon followed by a space must be in quotes, "
                    f"e.g. {here.split(':', 1)[0].strip() or 'title'}: \"…\"")
        before = lines[line - 1] if 0 < line <= len(lines) else ""
        if before.strip() and ":" not in before and not before.lstrip().startswith(("-", "#")):
            return ("the line before has no `field:` name: write `field: value` on each line "
                    "(or indent a text that goes on from the line above)")
        return ("unexpected `field:` here: check the indentation (fields of the same level start "
                "in the same column) or put a text containing `: ` in quotes")
    if "could not find expected ':'" in problem or "expected ':'" in problem:
        return "a line without `field: value`: write the field's name, a colon and a space, then the value"
    if problem.startswith("found undefined alias") or "anchor" in problem:
        return "anchors and aliases (`&name`, `*name`) are not supported here: write the value out in full"
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return ("the indentation does not match the lines above: fields of the same level start in "
                "the same column, and list items (`- `) line up")
    if "found character" in problem and "cannot start any token" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "?"
        return (f"a value cannot start with `{char}`: put the text in quotes, e.g. title: \"{char}…\"")
    reason = problem or str(exc)
    return f"invalid {what}: {reason}" + (f" ({context})" if context else "")


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
    except _Refused as refused:
        return None, [Problem(path, refused.line + line_offset, "yaml", refused.message)]
    except yaml.YAMLError as exc:
        line = _error_line(exc, text)
        return None, [Problem(path, line + 1 + line_offset, "yaml", _plain_error(exc, text, line, what))]
    except RecursionError:  # bounded above; never a traceback all the same
        return None, [Problem(path, line_offset + 1, "yaml", f"nested too deeply: not a {what}")]

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
    unreadable: set[str] = set()
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1 + line_offset
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(path, line, "yaml", "keys must be plain words"))
            continue
        key = key_node.value
        if key in data:
            problems.append(Problem(path, line, key, "written twice; keep one"))
            continue
        if CONTROL.search(key):
            problems.append(Problem(path, line, "yaml", control_message(key)))
            continue
        try:
            data[key] = constructor.construct_document(value_node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            problems.append(Problem(path, value_node.start_mark.line + 1 + line_offset, key,
                                    _value_error(value_node, exc)))
            unreadable.add(key)
    constructor.dispose()
    doc = YamlDocument(data, lines, line_offset + 1, frozenset(unreadable))
    problems += _control_characters(doc, path)
    return doc, problems


def _value_error(node: yaml.Node, exc: Exception) -> str:
    value = node.value if isinstance(node, yaml.ScalarNode) else None
    if node.tag == "tag:yaml.org,2002:timestamp":
        return f"'{value}' is not a date that exists: check the day and the month"
    if node.tag == "tag:yaml.org,2002:int" or "integer string conversion" in str(exc):
        return "a number here is too long to be read: is it the right value?"
    return f"cannot read this value: {getattr(exc, 'problem', None) or exc}"


def _control_characters(doc: YamlDocument, path: str) -> list[Problem]:
    """Every text value holding a control character: it would make feeds and
    sitemaps invalid XML, and no editor means to write one."""
    problems = []
    pending: list[tuple[Path, Any]] = [((key,), value) for key, value in doc.data.items()]
    while pending:
        where, value = pending.pop()
        if isinstance(value, str):
            if CONTROL.search(value):
                field_name = ".".join(str(part) for part in where)
                problems.append(Problem(path, doc.line(*where), field_name, control_message(value)))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and CONTROL.search(key):
                    problems.append(Problem(path, doc.line(*where), ".".join(map(str, where)),
                                            control_message(key)))
                pending.append((where + (key,), item))
        elif isinstance(value, list):
            pending.extend((where + (index,), item) for index, item in enumerate(value))
    problems.sort(key=Problem.sort_key)
    return problems


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
