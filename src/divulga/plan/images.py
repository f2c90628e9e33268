"""A picture of the media folder as a page shows it: the file and its text
alternative in one language. How it is published (sizes, formats) is the
build's business (divulga.media); the plan only names it."""

from __future__ import annotations

from dataclasses import dataclass

from divulga import urls


@dataclass(frozen=True)
class Image:
    name: str  # in the media folder: "photo.jpg"
    alt: str
    alt_lang: str

    @property
    def path(self) -> str:
        return urls.media(self.name)
