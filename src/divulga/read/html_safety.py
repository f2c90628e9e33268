"""What HTML may reach a page from Markdown, checked in the source and enforced in the output.

One allow-list, used twice:

- ``scan`` reads a Markdown text (a news body, a docs page, a sheet text)
  before anything is built and reports, with its line, every construct the
  site will not publish: raw HTML elements and attributes outside the list
  (``<script>``, ``<iframe>``, ``onclick=``, ``style=``), links whose scheme
  is not http, https or mailto (``javascript:``), and images or embeds from
  other sites (a tracking pixel, a video player): the build and ``divulga
  check`` stop on them with a sentence saying what to do instead;
- ``clean`` passes every rendered page body through nh3 (the Rust ``ammonia``
  sanitizer) with the same list, so that whatever a check might miss still
  cannot run a script or make a reader's browser call another site.

Images are published only from the site itself: a relative address (the
files of ``content/media/``), never ``https://…`` or ``//host/…``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markupsafe import Markup

URL_SCHEMES = frozenset({"http", "https", "mailto"})
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul", "var",
})
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ATTRIBUTES = {
    "*": GLOBAL_ATTRIBUTES,
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "scope", "align"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
}
EMBEDS = frozenset({"iframe", "embed", "object", "video", "audio", "source", "track", "picture", "frame",
                    "frameset", "portal", "applet"})
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")


def allowed_attribute(tag: str, name: str) -> bool:
    return name in GLOBAL_ATTRIBUTES or name in ATTRIBUTES.get(tag, ())


def scheme(url: str) -> str | None:
    """The URL's scheme in lower case ("https"), None for a relative address."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def is_external(url: str) -> bool:
    """Whether a browser would fetch ``url`` from another site."""
    stripped = url.strip()
    return scheme(stripped) is not None or stripped.startswith(("//", "\\\\", "/\\"))


# -- the output ------------------------------------------------------------------

def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and is_external(value):
        return None
    return value


_IMG = re.compile(r"<img", re.IGNORECASE)
_TAGS = set(ALLOWED_TAGS)
_ATTRIBUTES = {tag: set(names) for tag, names in ATTRIBUTES.items()}
_SCHEMES = set(URL_SCHEMES)
_OPTIONS = {"tags": _TAGS, "attributes": _ATTRIBUTES, "url_schemes": _SCHEMES, "link_rel": None,
            "strip_comments": True}
# nh3's sanitizer built once, with and without the image filter (nh3.Cleaner, in
# the nh3 releases that have it): nh3.clean builds one from the options on every call,
# most of the time it takes for a short page body
_CLEANERS = ((nh3.Cleaner(**_OPTIONS).clean, nh3.Cleaner(**_OPTIONS, attribute_filter=_local_images_only).clean)
             if hasattr(nh3, "Cleaner") else None)


def clean(html: str) -> Markup:
    """A rendered body with nothing outside the allow-list, marked safe for templates.

    Images from other sites are dropped by a filter nh3 calls for every
    attribute: only when the body has an image at all."""
    images = _IMG.search(html) is not None
    if _CLEANERS is not None:
        return Markup(_CLEANERS[images](html))
    return Markup(nh3.clean(html, **_OPTIONS, attribute_filter=_local_images_only if images else None))


# -- the source ------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    line: int
    field: str  # "html", "link", "image"
    message: str


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:.+?)\1")
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_COMMENT = re.compile(r"<!--.*?-->")
# `[text](target "title")` and `![alt](target)`; angle-bracketed targets too
_INLINE = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\(\s*(?:<(?P<angled>[^>]*)>|(?P<target>[^)\s]*))"
                     r"(?:\s+[\"'(][^)]*)?\)")
_REF_USE = re.compile(r"!\[[^\]]*\]\[(?P<ref>[^\]]*)\]")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[(?P<ref>[^\]]+)\]:\s*(?:<(?P<angled>[^>]*)>|(?P<target>\S+))")
_ATTR_LIST = re.compile(r"\{:?\s*(?P<body>[^{}]*?[^\s{}][^{}]*?)\s*\}")
_ATTR_KEY = re.compile(r"(?:^|\s)([A-Za-z_:][-\w:.]*)\s*=")


def code_masked(body: str) -> list[str]:
    """The body's lines with code blocks and code spans blanked (same line numbers)."""
    lines, fence = [], None
    for line in body.splitlines():
        # (the patterns are tried only on lines that have what they need to match)
        opening = _FENCE.match(line) if "```" in line or "~~~" in line else None
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            lines.append("")
        elif opening:
            fence = opening.group(1)
            lines.append("")
        elif line.startswith(("    ", "\t")) and (not lines or not lines[-1].strip()):
            lines.append("")  # an indented code block's first line (not a list's continuation)
        elif "`" in line:
            lines.append(_INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line))
        else:
            lines.append(line)
    return lines


class _Attributes(HTMLParser):
    """The attributes of one start tag, read by the standard library's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.found = attrs

    handle_startendtag = handle_starttag


def _attributes(tag_text: str) -> list[tuple[str, str | None]]:
    parser = _Attributes()
    parser.feed(tag_text)
    parser.close()
    return parser.found


_LINK_HELP = "links start with https://, http:// or mailto:, or lead to a page of the site (e.g. ../about.md)"
_IMAGE_HELP = ("images from other sites are not shown (they tell that site who reads the page): save the "
               "image in content/media/ and write ![what it shows](../media/photo.jpg)")


def scan(body: str, first_line: int, *, raw_html: bool = True, masked: list[str] | None = None) -> list[Finding]:
    """Everything in a Markdown text that the site will not publish.

    ``raw_html`` False: the text's ``<`` is shown as written (sheet texts), so
    only links and images are checked. ``masked``: the body's lines from
    ``code_masked``, when the caller has them already."""
    findings: list[Finding] = []
    image_refs: dict[str, int] = {}
    definitions: dict[str, tuple[int, str]] = {}
    for index, line in enumerate(masked if masked is not None else code_masked(body)):
        number = first_line + index
        if raw_html and "<" in line:
            findings += _raw_html(_COMMENT.sub("", line), number)
        if raw_html and "{" in line:
            findings += _attr_lists(line, number)
        if "](" in line:
            for match in _INLINE.finditer(line):
                target = (match.group("angled") or match.group("target") or "").strip()
                if match.group("bang"):
                    if is_external(target):
                        findings.append(Finding(number, "image", f"'{_short(target)}': {_IMAGE_HELP}"))
                elif (found := scheme(target)) is not None and found not in URL_SCHEMES:
                    findings.append(Finding(number, "link", f"'{_short(target)}': {_LINK_HELP}"))
        if "![" in line:
            for match in _REF_USE.finditer(line):
                image_refs.setdefault(match.group("ref").strip().lower(), number)
        definition = _REF_DEFINITION.match(line) if "]:" in line else None
        if definition:
            target = (definition.group("angled") or definition.group("target") or "").strip()
            definitions[definition.group("ref").strip().lower()] = (number, target)
            if (found := scheme(target)) is not None and found not in URL_SCHEMES:
                findings.append(Finding(number, "link", f"'{_short(target)}': {_LINK_HELP}"))
    for ref, (number, target) in definitions.items():
        if ref in image_refs and is_external(target):
            findings.append(Finding(number, "image", f"'{_short(target)}': {_IMAGE_HELP}"))
    return findings


def _raw_html(line: str, number: int) -> list[Finding]:
    findings = []
    for match in _TAG.finditer(line):
        closing, name = match.group(1), match.group(2).lower()
        if name not in ALLOWED_TAGS:
            if not closing:
                findings.append(Finding(number, "html", _tag_message(name)))
            continue
        if closing:
            continue
        for attribute, value in _attributes(match.group(0)):
            if attribute.startswith("on"):
                findings.append(Finding(number, "html", f"<{name} {attribute}=…>: scripts cannot be added to a "
                                                        "page; remove the attribute"))
            elif not allowed_attribute(name, attribute):
                hint = "; the site's stylesheet gives the formatting" if attribute == "style" else ""
                findings.append(Finding(number, "html", f"<{name} {attribute}=…>: this attribute is not "
                                                        f"allowed{hint}; remove it"))
            elif attribute == "href" and value and (found := scheme(value)) and found not in URL_SCHEMES:
                findings.append(Finding(number, "link", f"'{_short(value)}': {_LINK_HELP}"))
            elif attribute == "src" and value is not None and is_external(value):
                findings.append(Finding(number, "image", f"'{_short(value)}': {_IMAGE_HELP}"))
    return findings


def _tag_message(name: str) -> str:
    if name in ("script", "noscript", "style", "link", "meta", "base"):
        return f"<{name}> is not allowed: scripts and styles cannot be added to a page"
    if name in EMBEDS:
        return (f"<{name}> is not allowed: content embedded from other sites (videos, maps, players) "
                "sends readers' data there; link to it instead, e.g. [Watch the video](https://…)")
    if name in ("form", "input", "button", "select", "textarea"):
        return f"<{name}> is not allowed: forms cannot be added to a page; link to the form instead"
    return (f"<{name}> is not allowed in the text: use Markdown (headings, lists, links, tables) or the "
            "HTML elements listed in the editor guide")


def _attr_lists(line: str, number: int) -> list[Finding]:
    """``{: onclick="…" }`` (Markdown attribute lists) may not add scripts or styles."""
    findings = []
    for match in _ATTR_LIST.finditer(line):
        body = match.group("body")
        if not body.startswith(("#", ".", ":")) and "=" not in body:
            continue
        for key in _ATTR_KEY.findall(body):
            key = key.lower()
            if key.startswith("on"):
                findings.append(Finding(number, "html", f"{{: {key}=… }}: scripts cannot be added to a page; "
                                                        "remove it"))
            elif key not in GLOBAL_ATTRIBUTES and key not in ("alt", "width", "height", "align", "scope"):
                findings.append(Finding(number, "html", f"{{: {key}=… }}: this attribute is not allowed; "
                                                        "remove it"))
    return findings


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
