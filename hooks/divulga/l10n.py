"""Localization: interface strings, dates and language names.

Dates and language names come from CLDR (via Babel), so any language the site
configures gets correct formats without code changes; interface strings come
from ``ui_strings.yaml`` and fall back to English until translated.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from .settings import Settings

STRINGS_FILE = Path(__file__).with_name("ui_strings.yaml")
FALLBACK = "en"


@lru_cache(maxsize=1)
def _builtin_strings() -> dict[str, dict[str, str]]:
    return yaml.safe_load(STRINGS_FILE.read_text(encoding="utf-8"))


class Localizer:
    """Everything language-dependent that is not content."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._locales: dict[str, Locale] = {}

    def locale(self, lang: str) -> Locale:
        if lang not in self._locales:
            wanted = self.settings.locales.get(lang, lang)
            try:
                self._locales[lang] = Locale.parse(wanted.replace("-", "_"))
            except (UnknownLocaleError, ValueError):
                self._locales[lang] = Locale.parse(FALLBACK)
        return self._locales[lang]

    def ui_language(self, lang: str) -> str:
        """The language the interface is shown in: ``lang`` once translated."""
        if lang in self.settings.strings or lang in _builtin_strings():
            return lang
        return FALLBACK

    def t(self, lang: str, key: str, **values: object) -> str:
        """The interface string ``key`` in ``lang`` (else English), filled in."""
        for code in (lang, FALLBACK):
            text = self.settings.strings.get(code, {}).get(key)
            if text is None:
                text = _builtin_strings().get(code, {}).get(key)
            if text is not None:
                return text.format(**values) if values else text
        raise KeyError(f"no interface string '{key}'")

    def language_label(self, lang: str, key: str, code: str) -> str:
        """Interface string ``key`` naming language ``code``, both in one language.

        ("it", "fallback_notice", "en") -> "Questa notizia è disponibile solo
        in inglese."; for a language without interface strings yet, the whole
        sentence is English.
        """
        ui = self.ui_language(lang)
        return self.t(ui, key, language=self.language_name(code, ui))

    def date(self, value: dt.date, lang: str) -> str:
        """A long date as written in ``lang``: "21 settembre 2023"."""
        return format_date(value, format="long", locale=self.locale(lang))

    def language_name(self, code: str, in_lang: str) -> str:
        """The name of language ``code`` in ``in_lang``: ("en", "it") -> "inglese"."""
        name = self.locale(in_lang).languages.get(code)
        if name is None:
            name = self.settings.language(code).name if code in self.settings.codes else code
        return name
