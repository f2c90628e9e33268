"""The site settings the core needs, independent of where they are written.

Today the MkDocs adapter fills them from ``mkdocs.yml`` (static-i18n's
``languages`` and ``extra.divulga``); another engine would fill the same
object. Nothing in the core names a particular language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from divulga import urls
from divulga.branding import Palette
from divulga.read.model import Localized

# Babel locale per language where the bare code is not the wanted one: EU
# texts in English follow British conventions ("21 September 2023").
DEFAULT_LOCALES = {"en": "en_GB"}


@dataclass(frozen=True)
class Language:
    code: str  # "it", "en", "fr", ...
    name: str  # the language's own name, for the switcher ("Italiano")
    default: bool = False
    build: bool = True  # False: planned (for links) but not written, e.g. in a one-language preview

    @property
    def prefix(self) -> str:
        """URL prefix of this language's pages: "" for the default, "en/" else."""
        return urls.language_prefix(self.code, self.default)


@dataclass(frozen=True)
class Funding:
    """The site's own EU funding (CPR 2021/1060 Art. 50): shown on every page."""

    statement: str  # "co-funded" | "funded"
    programme: Localized | None = None


def build_date(environ: Mapping[str, str]) -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH for reproducible builds.

    Raises ValueError with a message for the site maintainer when the
    variable is not a number of seconds since 1970 that makes a date.
    """
    epoch = (environ.get("SOURCE_DATE_EPOCH") or "").strip()
    if not epoch:
        return dt.date.today()
    how = ("write the number of seconds since 1 January 1970 (UTC), as `date +%s` prints it, "
           "e.g. 1700000000, or unset it to use today's date")
    if not epoch.isascii() or not epoch.isdigit():
        raise ValueError(f"'{_shorten(epoch)}' is not a date: {how}")
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{_shorten(epoch)} seconds is too far in the future to be a date: {how}") from None


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True)
class Settings:
    root: Path  # the site's folder (where mkdocs.yml is)
    languages: tuple[Language, ...]
    content_dir: Path
    site_url: str = ""
    news_per_page: int = 10  # the news listing (entries with summaries)
    archive_per_page: int = 20  # topic and year pages
    home_news: int = 4
    home_events: int = 3  # next events on the home page
    timezone: str = "Europe/Brussels"  # of event times written without one (IANA name)
    locales: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LOCALES))
    # UI string overrides from the site configuration: {lang: {key: text}}
    strings: dict[str, dict[str, str]] = field(default_factory=dict)
    funding: Funding | None = None
    # The build date, for project status (planned / ongoing / concluded).
    today: dt.date = field(default_factory=dt.date.today)
    site_name: str = ""
    site_description: str = ""
    # Per language: the line under the site's name on the home page, and the
    # description of the home page and listings for search engines.
    tagline: Localized | None = None
    description: Localized | None = None
    palette: Palette = field(default_factory=Palette)  # extra.divulga.colors
    feed_items: int = 50  # newest news items per feed
    social_image: str = "assets/images/social.png"  # link-preview image when a page has none
    search: bool = True  # build the Pagefind index after the site
    # a language's search index in bundles of at most this many pages, merged by the browser: Pagefind's
    # memory grows with a bundle (about 150 kB a page while it writes one), not with the site
    search_pages_per_bundle: int = 5000
    # The licence of the site's open data (data/*.json, data/*.csv): an SPDX identifier
    # (extra.divulga.data_licence, checked against the SPDX licence list in config_file).
    data_licence: str = "CC-BY-4.0"
    # The web editor's git backend (extra.divulga.editor): backend, repo, branch, base_url, auth_endpoint.
    editor: tuple[tuple[str, str], ...] = ()
    show_drafts: bool = False  # previews (mkdocs serve) show drafts, with a badge
    # The hand-written pages (checked with the content) and how their
    # languages are told apart (static-i18n: about.it.md "suffix", it/about.md
    # "folder"); the theme's own folder, published as it is. None: not known.
    docs_dir: Path | None = None
    docs_structure: str = "suffix"
    theme_dir: Path | None = None

    @property
    def image_cache(self) -> Path:
        """Where pictures, once checked and made in every size, are kept between
        builds (divulga.media.images; git-ignored, safe to delete)."""
        return self.root / ".cache" / "divulga" / "images"

    def describe(self, lang: str) -> str:
        """The site's description in ``lang`` (or the default language's), else site_description."""
        if self.description is not None:
            return self.description.get(lang, (self.default_language.code,))[0]
        return self.site_description

    def absolute(self, path: str) -> str:
        """The public address of a site-relative path ("en/news/x/")."""
        return urls.absolute(self.site_url, path)

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
