"""Pictures in pages: for each use of a picture of the media folder, which of
its published sizes the browser may choose from, as HTML (divulga.media makes
the files, divulga.media.pictures writes the tags)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

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


class Pictures:
    """The build's published pictures, by their name in the media folder.
    A name it does not know (an SVG, published as it is) is shown as it is."""

    def __init__(self, processing: Processing | None = None):
        self.published: Mapping[str, PublishedImage] = processing.images if processing else {}
        self.files: list = processing.files() if processing else []  # (site path, file to copy)

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
