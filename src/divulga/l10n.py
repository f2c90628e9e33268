"""Localization: interface strings, dates and language names.

Dates and language names come from CLDR (via Babel), so any language the site
configures gets correct formats without code changes; interface strings come
from ``ui_strings.yaml`` and fall back to English until translated.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time, get_timezone_name
from babel.numbers import format_currency, format_percent
from babel.units import format_unit

from divulga.settings import Settings

STRINGS_FILE = Path(__file__).with_name("ui_strings.yaml")
FALLBACK = "en"


@lru_cache(maxsize=1)
def _builtin_strings() -> dict[str, dict[str, str]]:
    # libyaml's loader when PyYAML has it: the same mapping, a tenth of the time (0.03 s of every build)
    return yaml.load(STRINGS_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


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

    def lookup(self, lang: str, key: str) -> tuple[str, str]:
        """The interface string ``key`` and the language it is in: ``lang``,
        else English (site overrides first, then ui_strings.yaml)."""
        for code in (lang, FALLBACK):
            text = self.settings.strings.get(code, {}).get(key)
            if text is None:
                text = _builtin_strings().get(code, {}).get(key)
            if text is not None:
                return text, code
        raise KeyError(f"no interface string '{key}'")

    def t(self, lang: str, key: str, **values: object) -> str:
        """The interface string ``key`` in ``lang`` (else English), filled in."""
        text, _ = self.lookup(lang, key)
        return text.format(**values) if values else text

    def language_label(self, lang: str, key: str, code: str) -> str:
        """Interface string ``key`` naming language ``code``, both in one language.

        ("it", "fallback_notice", "en") -> "Questa notizia è disponibile solo
        in inglese."; where the string is not translated yet, the whole
        sentence is English ("... only available in Italian").
        """
        text, used = self.lookup(lang, key)
        return text.format(language=self.language_name(code, used))

    def date(self, value: dt.date, lang: str) -> str:
        """A long date as written in ``lang``: "21 settembre 2023"."""
        return _long_date(value, self.locale(lang))

    def language_name(self, code: str, in_lang: str) -> str:
        """The name of language ``code`` in ``in_lang``: ("en", "it") -> "inglese"."""
        name = self.locale(in_lang).languages.get(code)
        if name is None:
            name = self.settings.language(code).name if code in self.settings.codes else code
        return name

    def money(self, amount: Decimal, currency: str, lang: str) -> str:
        """CLDR currency format; whole amounts without decimals: "2.521.964 €"."""
        locale = self.locale(lang)
        if amount == amount.to_integral_value():
            pattern = re.sub(r"\.0+", "", locale.currency_formats["standard"].pattern)
            return format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)
        return format_currency(amount, currency, locale=locale)

    def percent(self, value: Decimal, lang: str) -> str:
        """A percentage (76.508 -> "76,5%" in Italian), one decimal at most."""
        share = (value / 100).quantize(Decimal("0.001"))
        return format_percent(share, locale=self.locale(lang), decimal_quantization=False)

    def months(self, count: int, lang: str) -> str:
        """ "30 mesi" / "30 months" (CLDR; some locales only have the short form)."""
        for length in ("long", "short"):
            text = format_unit(count, "duration-month", length=length, locale=self.locale(lang))
            if "duration" not in text:
                return text
        return str(count)

    def period(self, start: dt.date | dt.datetime, end: dt.date | dt.datetime | None, lang: str) -> str:
        """When an event takes place, in ``lang``, with CLDR's interval formats:
        "21–22 settembre 2023", "30 September – 2 October 2023"; with times,
        in the event's own time zone, named: "16 marzo 2027, 09:30–17:00 CET"."""
        locale = self.locale(lang)
        if not isinstance(start, dt.datetime):
            last = end if end is not None and not isinstance(end, dt.datetime) else start
            if last == start:
                return _long_date(start, locale)
            return _interval(start, last, "yMMMd", locale)
        zone = get_timezone_name(start, width="short", locale=locale)
        day = _long_date(start.date(), locale)
        if end is None or end == start:
            return f"{_joined(day, _time(start, locale), locale)} {zone}"
        if end.date() == start.date():
            return f"{_joined(day, _interval(start, end, 'Hm', locale), locale)} {zone}"
        first = _joined(day, _time(start, locale), locale)
        last = _joined(_long_date(end.date(), locale), _time(end, locale), locale)
        return f"{locale.interval_formats[None].format(first, last)} {zone}"

    def file_size(self, size: int, lang: str) -> str:
        """A file's size as readers of ``lang`` write it, with CLDR's units:
        "2,3 MB", "850 kB" (decimal units; one decimal below 10)."""
        for unit, factor in (("digital-gigabyte", 10 ** 9), ("digital-megabyte", 10 ** 6),
                             ("digital-kilobyte", 10 ** 3)):
            if size >= factor or unit == "digital-kilobyte":
                value = Decimal(max(size, 1)) / factor
                step = Decimal("0.1") if value < 10 else Decimal("1")
                value = max(value.quantize(step), step)
                return format_unit(value, unit, length="short", locale=self.locale(lang))
        raise AssertionError("unreachable")

    def country(self, code: str, lang: str) -> str:
        """The country's name in ``lang``: ("CH", "it") -> "Svizzera"."""
        return self.locale(lang).territories.get(code, code)


def _time(moment: dt.datetime, locale: Locale) -> str:
    return format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale)


def _joined(date: str, time: str, locale: Locale) -> str:
    """A date and a time as the locale puts them together ("{1}, {0}")."""
    return str(locale.datetime_formats.get("long", "{1} {0}")).format(time, date)


_MONTH = re.compile(r"(?<![ML])([ML])\1\1(?![ML])")


def _interval(start: dt.date, end: dt.date, skeleton: str, locale: Locale) -> str:
    """CLDR's interval format for ``skeleton`` at the largest field that
    differs, months widened to their full names (as ICU widens a "yMMMMd"
    request, which CLDR lists as "yMMMd")."""
    formats = locale.interval_formats.get(skeleton) or {}
    if isinstance(start, dt.datetime):
        fields = (("H", start.hour != end.hour or start.date() != end.date()), ("m", True))
    else:
        fields = (("y", start.year != end.year), ("M", start.month != end.month), ("d", True))
    field = next(name for name, differs in fields if differs)
    parts = formats.get(field)
    if not parts:
        return locale.interval_formats[None].format(format_date(start, "long", locale=locale),
                                                    format_date(end, "long", locale=locale))
    widened = [_MONTH.sub(lambda m: m.group(1) * 4, str(part)) for part in parts]
    if isinstance(start, dt.datetime):
        return "".join(format_datetime(moment, pattern, tzinfo=start.tzinfo, locale=locale)
                       for moment, pattern in zip((start, end), widened))
    return "".join(format_date(day, pattern, locale=locale) for day, pattern in zip((start, end), widened))


@lru_cache(maxsize=16384)  # every item's date in every language, at every re-plan under `mkdocs serve`
def _long_date(value: dt.date, locale: Locale) -> str:
    return format_date(value, format="long", locale=locale)
