"""The HTML that shows a published image: a ``<picture>`` offering WebP, with
JPEG (or PNG) for the browsers that lack it.

Every ``<img>`` gets its ``width`` and ``height``, so the page does not jump
while the image loads, a ``srcset`` so a phone downloads the 480 px copy and
not the 1600 px one, and ``loading="lazy"`` unless it is the first thing a
reader sees. Two ways in:

- ``picture`` for templates (a news item's lead image, a project's logo);
- ``enrich_images`` for page bodies written in Markdown, after they went
  through the sanitizer (which does not let ``<picture>`` or ``srcset``
  through from editors): each ``<img>`` whose address the caller recognises
  as a published image is rewritten; the rest of the HTML is left byte for
  byte as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

from markupsafe import Markup, escape

from divulga.media.images import PublishedImage, Rendition

# A body image spans the text column (42rem, Material's content width on
# wide screens) or the whole screen on narrow ones.
BODY_SIZES = "(min-width: 76.25em) 42rem, 100vw"
_NAME = re.compile(r"[a-z_:][-a-z0-9_:.]*")
_SRCSET_UNSAFE = re.compile(r"[ \t\n\r\f,]")  # would end or split a srcset candidate
_REPLACED = ("src", "srcset", "sizes", "width", "height")


def picture(image: PublishedImage, *, alt: str, url: Callable[[str], str], sizes: str, eager: bool = False,
            lang: str | None = None, css_class: str | None = None) -> Markup:
    """``<picture>`` for a template. ``url`` turns a site-relative path into
    the address this page needs; ``eager``: the image is the first thing seen
    (loaded at once, first); ``lang``: the language of ``alt``."""
    attributes: list[tuple[str, str | None]] = [("alt", alt)]
    if css_class:
        attributes.append(("class", css_class))
    if lang:
        attributes.append(("lang", lang))
    return Markup(_markup(image, attributes, url, sizes, _size(None, None, image), eager))


def enrich_images(html: str, resolve: Callable[[str], PublishedImage | None], url: Callable[[str], str], *,
                  sizes: str = BODY_SIZES) -> str:
    """``html`` with every ``<img>`` whose ``src`` ``resolve`` knows made
    responsive; other images (another site's, an SVG) and everything else left
    as they were. An ``<img>`` that already has a ``srcset`` is left alone, so
    running it twice changes nothing. Returns Markup when given Markup."""
    text = str(html)  # slices of Markup would be escaped again when joined
    finder = _ImageTags()
    finder.feed(text)
    finder.close()
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    parts, done = [], 0
    for (line, column), tag, attributes in finder.images:
        start = line_starts[line - 1] + column
        given = dict(reversed(attributes))  # the first of repeated attributes counts, as in browsers
        if start < done or text[start:start + len(tag)] != tag or "srcset" in given or not given.get("src"):
            continue
        image = resolve(given["src"])
        if image is None:
            continue
        kept = [(name, value) for name, value in attributes if name not in _REPLACED]
        size = _size(given.get("width"), given.get("height"), image)
        parts += [text[done:start], _markup(image, kept, url, sizes, size, eager=False)]
        done = start + len(tag)
    result = "".join(parts) + text[done:]
    return Markup(result) if isinstance(html, Markup) else result


def _markup(image: PublishedImage, attributes: list[tuple[str, str | None]], url: Callable[[str], str],
            sizes: str, size: list[tuple[str, str | None]], eager: bool) -> str:
    """The ``<img>`` (in a ``<picture>`` when there is WebP), every value escaped."""
    names = {name for name, _ in attributes}
    img: list[tuple[str, str | None]] = [("src", url(image.src.path))]
    if image.fallback:
        img += [("srcset", _srcset(image.fallback, url)), ("sizes", sizes)]
    img += [*size, *attributes]
    if eager:
        img.append(("fetchpriority", "high"))
    elif "loading" not in names:
        img.append(("loading", "lazy"))
    if "decoding" not in names:
        img.append(("decoding", "async"))
    tag = "<img" + "".join(_attribute(name, value) for name, value in img) + ">"
    if not image.webp:
        return tag
    return (f'<picture><source type="image/webp" srcset="{escape(_srcset(image.webp, url))}" '
            f'sizes="{escape(sizes)}">{tag}</picture>')


def _attribute(name: str, value: str | None) -> str:
    if not _NAME.fullmatch(name):
        return ""
    return f" {name}" if value is None else f' {name}="{escape(value)}"'


def _srcset(renditions: tuple[Rendition, ...], url: Callable[[str], str]) -> str:
    def address(rendition: Rendition) -> str:
        return _SRCSET_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url(rendition.path))

    return ", ".join(f"{address(r)} {r.width}w" for r in renditions)


def _size(width: str | None, height: str | None, image: PublishedImage) -> list[tuple[str, str | None]]:
    """The editor's width and height when given (the other one completed to
    keep the proportions when it is a number of pixels), else the widest
    rendition's."""
    shown = image.src
    width, height = (width or "").strip(), (height or "").strip()
    if width and height:
        return [("width", width), ("height", height)]
    if width.isdigit():
        height = str(max(1, round(int(width) * shown.height / shown.width)))
    elif height.isdigit():
        width = str(max(1, round(int(height) * shown.width / shown.height)))
    elif not (width or height):
        width, height = str(shown.width), str(shown.height)
    return [(name, value) for name, value in (("width", width), ("height", height)) if value]


class _ImageTags(HTMLParser):
    """Where each ``<img>`` tag starts, its exact text and its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[tuple[tuple[int, int], str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append((self.getpos(), self.get_starttag_text() or "", attrs))

    handle_startendtag = handle_starttag
