"""Small text helpers shared by the loader and the editor tools."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from typing import Any

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Characters no editor means to write and that XML 1.0 (feeds, sitemaps)
# cannot carry: C0 and C1 controls but tab, line feed and carriage return;
# lone surrogates (a YAML "\ud800" escape); the non-characters U+FFFE/FFFF.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# What counts as spacing in a fingerprint: Python's whitespace (str.isspace, what str.split splits at),
# spelled out so that the web editor's JavaScript (editor/webeditor.py) uses the very same set.
SPACING = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"


def fingerprint(*parts: str) -> str:
    """What the texts ``parts`` say, as 12 hexadecimal digits: each with its spacing and line breaks
    collapsed to one space and none at either end (``SPACING``), so that only a change of substance
    changes it (the translations' fingerprints). ``str.split`` does it four times as fast as a regular
    expression: every news item's versions are fingerprinted as the site loads."""
    text = "\n".join(" ".join(part.split()) for part in parts)
    # a lone surrogate (a YAML "\\ud800" escape) is reported as a control character: fingerprinting it must not fail
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def control_message(text: str) -> str:
    """What to say about a text holding a control character."""
    char = CONTROL.search(text).group(0)
    return (f"contains an invisible control character (U+{ord(char):04X}) that cannot be published: "
            "delete it (it often comes with text copied from another program)")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def control_lines(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(line, message) for each line of ``text`` holding a control character."""
    found = []
    for match in CONTROL.finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        if not found or found[-1][0] != line:
            found.append((line, control_message(match.group(0))))
    return found


def slugify(text: str) -> str:
    """Lowercase ASCII slug: accents folded, other characters become hyphens.

    >>> slugify("Città più sostenibili")
    'citta-piu-sostenibili'
    """
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def is_slug(text: str) -> bool:
    """The whole text is a slug (``fullmatch``: "abc\\n" is not one)."""
    return bool(SLUG_RE.fullmatch(text))


_BLOCK_SKIP = re.compile(r"^\s*(#|!\[|<|```|~~~|[-*+] |\d+[.)] |>|\||\[\^|---|\*\*\*)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`|~~)")
_SPACES = re.compile(r"\s+")


def first_paragraph(markdown: str) -> str:
    """Plain text of the first prose paragraph of a Markdown body."""
    for block in re.split(r"\n\s*\n", markdown.strip()):
        if not block.strip() or _BLOCK_SKIP.match(block):
            continue
        text = _LINK.sub(r"\1", block)
        text = _REF_LINK.sub(r"\1", text)
        text = _EMPHASIS.sub("", text)
        return _SPACES.sub(" ", text).strip()
    return ""


def shorten(text: str, limit: int = 200) -> str:
    """Cut ``text`` at a word boundary so it fits ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


def parse_date(value: Any) -> dt.date | None:
    """A YAML date (or "YYYY-MM-DD" text) as a date; None for anything else."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
