"""Pictures in pages: which published sizes a page offers for each use of a
picture of the media folder, as HTML (divulga.media makes the files)."""

from __future__ import annotations

from typing import Callable, Mapping

from markupsafe import Markup

from divulga.plan.images import Image

# The width a picture takes in each use, for the browser to choose a size
# (the sizes attribute): a news item's picture spans the text column, a
# card's the width of a card (one, two or three to a row), a logo is small.
SIZES = {
    "hero": "(min-width: 76.25em) 40rem, (min-width: 60em) 70vw, 100vw",
    "card": "(min-width: 76.25em) 18rem, (min-width: 45em) 45vw, 100vw",
    "logo": "8rem",
}
CLASSES = {"hero": None, "card": None, "logo": "divulga-partner-logo"}


class Pictures:
    """The build's published pictures, by their name in the media folder."""

    def __init__(self, published: Mapping[str, object] | None = None):
        self.published = dict(published or {})

    def html(self, image: Image, role: str, href: Callable[[str], str], *, lang: str | None = None,
             eager: bool = False) -> Markup:
        css = CLASSES.get(role)
        attrs = Markup(' class="{}"').format(css) if css else Markup("")
        if lang:
            attrs += Markup(' lang="{}"').format(lang)
        loading = Markup("") if eager else Markup(' loading="lazy"')
        return Markup('<img src="{}" alt="{}"{}{} decoding="async">').format(
            href(image.path), image.alt, attrs, loading)
