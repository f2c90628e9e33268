"""One reading of a Markdown text (a news body, a docs page) for the checks.

Made once per file when it is read, kept with it (a preview rebuild does not
scan unchanged files again): what the site will not publish
(``html_safety.scan``), images without alt text, the link targets (resolved
later, against every page of the plan) and the "[DA COMPLETARE" / "[TO BE
COMPLETED" placeholders left in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from divulga.read.html_safety import Finding, code_masked, scan

PLACEHOLDERS = ("[DA COMPLETARE", "[TO BE COMPLETED")

# `](target "title")` ends every inline link and image
_TARGET = re.compile(r"\]\(\s*(?:<(?P<angled>[^>]*)>|(?P<target>[^)\s]*))(?:\s+[\"'(][^)]*)?\)")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(?:<(?P<angled>[^>]*)>|(?P<target>\S+))")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\](?:\((?P<target>[^)]*)\)|\[[^\]]*\])")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_ALT = re.compile(r"\balt\s*=", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\[(?:DA COMPLETARE|TO BE COMPLETED)[^\]]*\]?")


@dataclass(frozen=True)
class MarkdownScan:
    findings: tuple[Finding, ...]  # errors: unsafe HTML, links, external images, missing alt text
    targets: tuple[tuple[int, str], ...]  # (line, target) of every link and image
    placeholders: tuple[tuple[int, str], ...]  # (line, placeholder text)


NOTHING = MarkdownScan((), (), ())


def scan_markdown(body: str, first_line: int) -> MarkdownScan:
    if "<" not in body and "[" not in body and "{" not in body:
        return NOTHING  # no link, image, HTML, attribute list or placeholder can be there
    masked = code_masked(body)
    findings = list(scan(body, first_line, masked=masked))
    targets: list[tuple[int, str]] = []
    placeholders: list[tuple[int, str]] = []
    for index, line in enumerate(masked):
        number = first_line + index
        if "![" in line:
            for match in _IMAGE.finditer(line):
                if not match.group("alt").strip():
                    target = (match.group("target") or "").split()[0] if match.group("target") else "photo.jpg"
                    findings.append(Finding(number, "image",
                                            f"{match.group(0)} has no alt text: describe the picture between the "
                                            f"brackets, e.g. ![Participants at the workshop]({target})"))
        if "<" in line:
            for tag in _HTML_IMG.findall(line):
                if not _HTML_ALT.search(tag):
                    findings.append(Finding(number, "image",
                                            f"{tag} has no alt text: add alt=\"...\" describing the picture"))
        if "](" in line:
            targets += [(number, m.group("angled") or m.group("target") or "") for m in _TARGET.finditer(line)]
        definition = _REF_DEFINITION.match(line) if "]:" in line else None
        if definition:
            targets.append((number, definition.group("angled") or definition.group("target") or ""))
        if "[" in line:
            for placeholder in _PLACEHOLDER.findall(line):
                placeholders.append((number, placeholder if len(placeholder) <= 70 else placeholder[:67] + "..."))
    return MarkdownScan(tuple(findings), tuple(targets), tuple(placeholders))
