"""The site settings the core needs, independent of where they are written.

Today the MkDocs adapter fills them from ``mkdocs.yml`` (static-i18n's
``languages`` and ``extra.divulga``); another engine would fill the same
object. Nothing in the core names a particular language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


# Babel locale per language where the bare code is not the wanted one: EU
# texts in English follow British conventions ("21 September 2023").
DEFAULT_LOCALES = {"en": "en_GB"}


@dataclass(frozen=True)
class Language:
    code: str  # "it", "en", "fr", ...
    name: str  # the language's own name, for the switcher ("Italiano")
    default: bool = False

    @property
    def prefix(self) -> str:
        """URL prefix of this language's pages: "" for the default, "en/" else."""
        return "" if self.default else f"{self.code}/"


@dataclass(frozen=True)
class Settings:
    root: Path  # the site's folder (where mkdocs.yml is)
    languages: tuple[Language, ...]
    content_dir: Path
    site_url: str = ""
    news_per_page: int = 10
    home_news: int = 4
    locales: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LOCALES))
    # UI string overrides from the site configuration: {lang: {key: text}}
    strings: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        defaults = [lang for lang in self.languages if lang.default]
        if len(defaults) != 1:
            raise ValueError("exactly one language must be the default")

    @property
    def default_language(self) -> Language:
        return next(lang for lang in self.languages if lang.default)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise KeyError(code)

    def relative(self, path: Path) -> str:
        """A path as editors see it: relative to the site folder, with '/'."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
