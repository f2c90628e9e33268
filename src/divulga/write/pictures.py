"""Pictures in pages: for each use of a picture of the media folder, which of
its published sizes the browser may choose from, as HTML (divulga.media makes
the files, divulga.media.pictures writes the tags)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from markupsafe import Markup

from divulga.media.images import Processing, PublishedImage
from divulga.media.pictures import enrich_images, picture
from divulga.plan.images import Image

# The width a picture takes in each use (the sizes attribute): a news item's
# picture spans the text column, a card's the width of a card (one to four to
# a row), a partner's logo is small.
SIZES = {
    "hero": "(min-width: 76.25em) 40rem, (min-width: 60em) 70vw, 100vw",
    "card": "(min-width: 76.25em) 18rem, (min-width: 45em) 45vw, 100vw",
    "logo": "8rem",
}
CLASSES = {"logo": "divulga-partner-logo"}


_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_VIEW_BOX = re.compile(rb"""\bviewBox\s*=\s*["']\s*[-\d.eE+]+[\s,]+[-\d.eE+]+[\s,]+([\d.eE+]+)[\s,]+([\d.eE+]+)""")


def svg_size(path: Path) -> tuple[int, int] | None:
    """The proportions of an SVG drawing (its viewBox), read from its first
    8 kB, for the width and height of its <img>; None when not found."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None
    tag = _SVG_TAG.search(head)
    box = _VIEW_BOX.search(tag.group()) if tag else None
    if box is None:
        return None
    try:
        width, height = float(box.group(1)), float(box.group(2))
    except ValueError:
        return None
    if not (0 < width < 1e6 and 0 < height < 1e6):
        return None
    scale = 1600 / max(width, height)  # any size: only the proportions count (CSS scales it)
    return max(1, round(width * scale)), max(1, round(height * scale))


class Pictures:
    """The build's published pictures, by their name in the media folder.
    A name it does not know (an SVG, published as it is) is shown as it is,
    with the proportions of its drawing when known (``drawings``)."""

    def __init__(self, processing: Processing | None = None,
                 drawings: Mapping[str, tuple[int, int]] | None = None):
        self.published: Mapping[str, PublishedImage] = processing.images if processing else {}
        self.files: list = processing.files() if processing else []  # (site path, file to copy)
        self.drawings = dict(drawings or {})

    def html(self, image: Image, role: str, href: Callable[[str], str], *, lang: str | None = None,
             eager: bool = False) -> Markup:
        """``<picture>`` (or ``<img>``) for ``image`` in ``role``: "hero", "card", "logo"."""
        published = self.published.get(image.name)
        css = CLASSES.get(role)
        if published is not None:
            return picture(published, alt=image.alt, url=href, sizes=SIZES[role], eager=eager, lang=lang,
                           css_class=css)
        attributes = Markup("")
        if css:
            attributes += Markup(' class="{}"').format(css)
        if lang:
            attributes += Markup(' lang="{}"').format(lang)
        if image.name in self.drawings:
            attributes += Markup(' width="{}" height="{}"').format(*self.drawings[image.name])
        if not eager:
            attributes += Markup(' loading="lazy"')
        return Markup('<img src="{}" alt="{}"{} decoding="async">').format(href(image.path), image.alt, attributes)

    def og_image(self, image: Image | None) -> str | None:
        """The site path of the 1200 × 630 link-preview copy of ``image``, if it has one."""
        published = self.published.get(image.name) if image is not None else None
        return published.og.path if published is not None and published.og is not None else None

    def enrich(self, html: Markup, media_name: Callable[[str], str | None],
               href: Callable[[str], str]) -> Markup:
        """A page body with its pictures of the media folder made responsive;
        ``media_name`` finds the media file an <img src> points to."""
        if "<img" not in html or not self.published:
            return html
        return enrich_images(html, lambda src: self.published.get(media_name(src) or ""), href)
