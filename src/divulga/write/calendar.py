"""iCalendar (RFC 5545) files for a site's events.

One file per language lists every event of that language, so that people
can subscribe to the project's agenda; each event page also offers its own
file, a calendar of one event, to add it to a personal calendar.

The ``icalendar`` library writes the text: it escapes commas, semicolons
and backslashes, folds long lines at 75 octets and ends lines with CRLF,
which hand-written text would sooner or later get wrong. What is left here
is what the library cannot decide for us:

- control characters are removed from every text first, since iCalendar
  text cannot carry them and a calendar client may refuse the whole file;
- all-day events end on the day *after* their last day (DTEND is
  exclusive), while the site speaks of the last day itself;
- times keep their IANA zone (``DTSTART;TZID=Europe/Rome:...``) with a
  VTIMEZONE that describes it, so the event stays at 9:30 in Rome even if
  the rules change; any other kind of aware time is written in UTC;
- nothing depends on the clock or on the process: DTSTAMP is the caller's
  ``stamp`` and the VTIMEZONEs come in a fixed order and span only the
  years the events need, so two builds of the same input give the same
  bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType
from zoneinfo import ZoneInfo

from typing import Any
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone

from divulga import urls
from divulga.plan.incremental import LastRun
from divulga.text import CONTROL

__all__ = ["STATUSES", "CalendarEvent", "CalendarFiles", "calendar", "site_calendars"]

# The event statuses the site knows (schema.org's EventStatusType, in the
# site's spelling), and the iCalendar STATUS each one becomes. iCalendar has
# no "postponed": TENTATIVE is the nearest (it will happen, date not sure);
# a rescheduled or moved-online event still takes place, so it is CONFIRMED.
_ICAL_STATUS = MappingProxyType({
    "scheduled": "CONFIRMED",
    "cancelled": "CANCELLED",
    "postponed": "TENTATIVE",
    "rescheduled": "CONFIRMED",
    "moved_online": "CONFIRMED",
})
STATUSES = frozenset(_ICAL_STATUS)

# A LANGUAGE parameter must be a language tag ("it", "pt-BR"); anything else
# would need quoting and means nothing to a client, so it is left out.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_NEWLINES = re.compile(r"\r\n?")


@dataclass(frozen=True)
class CalendarEvent:
    """One event as a calendar shows it, in one language.

    ``start`` is a date for an all-day event, or a timezone-aware datetime
    (a ZoneInfo such as Europe/Rome keeps its zone in the file; other aware
    times are written in UTC). ``end`` is of the same kind: for an all-day
    event it is the *last day* (21–22 September has end 22 September), as
    the site says it; None means one day, or no end time.
    """

    uid: str  # stable across builds: "2023-09-21-cluster-booster-academy@example.github.io"
    summary: str  # the title, in the calendar's language
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    url: str  # the event page's public address
    description: str = ""  # plain text; the writer appends the URL on its own line
    location: str = ""  # an address, or the online address
    status: str = "scheduled"  # one of STATUSES
    categories: tuple[str, ...] = ()  # tag labels
    lang: str = "en"  # language of the texts

    def __post_init__(self) -> None:
        """Refuse events a calendar cannot say, when they are made: a wrong
        event is a bug in the caller, better found here than in someone's
        calendar a day off."""
        if not _clean(self.uid).strip():
            raise ValueError("a calendar event needs a UID")
        if self.status not in STATUSES:
            raise ValueError(f"unknown event status {self.status!r}: expected one of {sorted(STATUSES)}")
        timed = isinstance(self.start, dt.datetime)
        if not timed and not isinstance(self.start, dt.date):
            raise ValueError(f"the start of event {self.uid!r} must be a date or a datetime")
        if timed and self.start.utcoffset() is None:
            raise ValueError(f"the start of event {self.uid!r} has no timezone: a calendar would "
                             "show it at that hour wherever the reader is")
        if self.end is None:
            return
        if isinstance(self.end, dt.datetime) != timed or not isinstance(self.end, dt.date):
            raise ValueError(f"event {self.uid!r} must start and end with the same kind of value "
                             "(two dates, or two datetimes)")
        if timed and self.end.utcoffset() is None:
            raise ValueError(f"the end of event {self.uid!r} has no timezone")
        if self.end < self.start:
            raise ValueError(f"event {self.uid!r} ends before it starts")


def calendar(events: Sequence[CalendarEvent], *, name: str, description: str, lang: str,
             stamp: dt.datetime, prodid: str = "-//Divulga//Divulga//EN",
             parts: dict | None = None) -> bytes:
    """One VCALENDAR with a VEVENT per event, for a per-language calendar file
    or an event's own .ics (a list of one).

    Events keep the given order (the caller sorts them). ``stamp`` becomes
    every DTSTAMP: pass the build date at midnight UTC, not the current
    time, so that rebuilding the same content gives the same bytes. ``lang``
    is the language of ``name`` and ``description``, and of any event whose
    own ``lang`` is empty. ``parts``: the VEVENTs and VTIMEZONEs written so
    far, to share between the calendars of one build (an event is in its own
    file and in its language's calendar, a zone's rules for a year in every
    file with an event in it: the library writes each once). Returns UTF-8
    bytes with CRLF line endings.
    """
    if not isinstance(stamp, dt.datetime) or stamp.utcoffset() is None:
        raise ValueError("the calendar stamp must be a timezone-aware datetime (the build date at midnight UTC)")
    stamp = stamp.astimezone(dt.UTC)

    cal = Calendar()
    # Calendar.new() is not used: it would invent a random UID for the calendar.
    cal.add("VERSION", "2.0")
    cal.add("PRODID", _clean(prodid))
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    # X-WR-CALNAME / X-WR-CALDESC are what Google, Apple and Outlook read to
    # name a subscribed calendar; they are written plain, as those programs
    # write them (no LANGUAGE parameter): the safest form for an extension
    # that no standard defines.
    # No X-WR-TIMEZONE: it only tells clients how to read floating times,
    # and this file has none (every time has a TZID or is UTC).
    cal.add("X-WR-CALNAME", _clean(name))
    if _clean(description).strip():
        cal.add("X-WR-CALDESC", _clean(description))

    parts = {} if parts is None else parts
    made = [_written_vevent(event, stamp, lang, parts) for event in events]
    tzids = sorted(set().union(*(tzid for _, tzid, _ in made)))
    zoned = [moment for _, _, times in made for moment in times]
    # The library writes a component as its lines, its subcomponents' lines
    # among them: the VTIMEZONEs and VEVENTs, written on their own, go in
    # before the calendar's END line, the bytes the library writes for the
    # whole calendar. RFC 5545 asks for no order, but a client reading the
    # file in one pass needs a VTIMEZONE before the events that use it (the
    # library's add_missing_timezones() puts them first too).
    text, end = cal.to_ical(), b"END:VCALENDAR\r\n"
    assert text.endswith(end)
    return b"".join((text[:-len(end)], *_timezones(tzids, zoned, parts), *(vevent for vevent, _, _ in made), end))


def _written_vevent(event: CalendarEvent, stamp: dt.datetime, cal_lang: str,
                    parts: dict) -> tuple[bytes, frozenset[str], tuple[dt.datetime, ...]]:
    """An event's VEVENT as the library writes it, the TZIDs it needs a
    VTIMEZONE for, and its zoned datetimes (for the VTIMEZONEs' years); from
    ``parts`` when made already."""
    key = ("VEVENT", event, stamp, cal_lang)
    if key in parts:
        return parts[key]
    zoned: list[dt.datetime] = []
    vevent = _vevent(event, stamp, cal_lang, zoned)
    probe = Calendar()
    probe.add_component(vevent)
    made = parts[key] = (vevent.to_ical(), frozenset(probe.get_missing_tzids()), tuple(zoned))
    return made


def _vevent(event: CalendarEvent, stamp: dt.datetime, cal_lang: str, zoned: list[dt.datetime]) -> Event:
    """The VEVENT of one event; the zoned datetimes it uses are added to
    ``zoned``, for the VTIMEZONEs."""
    vevent = Event()
    vevent.add("UID", _clean(event.uid).strip())
    vevent.add("DTSTAMP", stamp)
    if isinstance(event.start, dt.datetime):
        start = _written_time(event.start)
        vevent.add("DTSTART", start)
        end = _written_time(event.end) if event.end is not None else None
        # DTEND must be later than DTSTART; without it, the event ends when
        # it starts (RFC 5545, 3.6.1), which is what "no end time" means.
        if end is not None and end > start:
            vevent.add("DTEND", end)
        else:
            end = None
        zoned.extend(t for t in (start, end) if t is not None and isinstance(t.tzinfo, ZoneInfo))
    else:
        last_day = event.end if event.end is not None else event.start
        vevent.add("DTSTART", event.start)  # the library adds VALUE=DATE
        vevent.add("DTEND", last_day + dt.timedelta(days=1))  # exclusive: the day after the last

    language = _language(event.lang) or _language(cal_lang)
    texts = {"LANGUAGE": language} if language else {}
    vevent.add("SUMMARY", _clean(event.summary), parameters=texts)
    url = _clean(event.url).strip()
    body = _clean(event.description).strip()
    details = "\n\n".join(part for part in (body, url) if part)
    if details:
        vevent.add("DESCRIPTION", details, parameters=texts)
    if url:
        vevent.add("URL", url)
    location = _clean(event.location).strip()
    if location:
        vevent.add("LOCATION", location)
    categories = list(dict.fromkeys(c for c in (_clean(c).strip() for c in event.categories) if c))
    if categories:
        vevent.add("CATEGORIES", categories)
    vevent.add("STATUS", _ICAL_STATUS[event.status])
    return vevent


def _written_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` as the file will carry it: in its own zone when that is an
    IANA zone (ZoneInfo with a key), which a VTIMEZONE can describe and a
    client can recognise by name; otherwise (fixed offsets, dateutil zones,
    ZoneInfo read from a file) the same instant in UTC, which needs none."""
    if isinstance(moment.tzinfo, ZoneInfo) and moment.tzinfo.key:
        return moment
    return moment.astimezone(dt.UTC)


def _timezones(missing: list[str], zoned: list[dt.datetime], parts: dict) -> list[bytes]:
    """A VTIMEZONE for each TZID the events use (``missing``, in order), built
    and written by the library from the zone's rules (from ``parts`` when made
    already).

    Not ``Calendar.add_missing_timezones()``: it walks a set, so with two
    zones their order would change from one process to the next. The
    rules cover whole years, from the first event's to the end of the
    last one's (the library's default, 1970–2038, makes every file carry
    seventy years of clock changes).
    """
    if not missing:
        return []
    local_days = [moment.date() for moment in zoned]
    first = dt.date(min(local_days).year, 1, 1)
    last = dt.date(max(local_days).year + 1, 1, 1)
    keys = [("VTIMEZONE", tzid, first, last) for tzid in missing]
    for key in keys:
        if key not in parts:
            parts[key] = Timezone.from_tzid(key[1], first_date=first, last_date=last).to_ical()
    return [parts[key] for key in keys]


def _language(tag: str) -> str:
    """``tag`` if it can be a LANGUAGE parameter, "" otherwise."""
    return tag if isinstance(tag, str) and _LANGUAGE_TAG.fullmatch(tag) else ""


def _clean(text: str) -> str:
    """``text`` without what iCalendar text cannot carry: line breaks become
    "\\n" (the library escapes them), control characters other than tab and
    line feed go (as do lone surrogates, which UTF-8 cannot encode)."""
    return CONTROL.sub("", _NEWLINES.sub("\n", str(text)))


# -- the site's calendars --------------------------------------------------------

class CalendarFiles:
    """Calendar files as last made, by everything they were made from (the
    events, compared by value, and the calendar's name, language and stamp):
    a preview that writes every calendar again after each edit makes again
    only those whose events changed. Only what the last build used is kept."""

    def __init__(self) -> None:
        self._kept = LastRun()

    def begin(self) -> None:
        self._kept.begin()

    def calendar(self, events: tuple[CalendarEvent, ...], parts: dict | None = None, **options: Any) -> bytes:
        """``calendar(events, parts=parts, **options)``, or the same bytes made last time."""
        key = (events, tuple(sorted(options.items())))
        made = self._kept.get(key)
        if made is None:
            made = self._kept[key] = calendar(events, parts=parts, **options)
        return made  # type: ignore[return-value]


def site_calendars(site: Any, files_made: CalendarFiles | None = None) -> dict[str, bytes]:
    """Every calendar file of the site, for the languages being built: each
    language's calendar of all its events, and each event's own file
    (site path -> bytes). ``site`` is a divulga.Site; ``files_made``, the files
    made last time (a preview)."""
    made = files_made if files_made is not None else CalendarFiles()
    made.begin()
    settings, plan, l10n = site.settings, site.plan, site.l10n
    events = {item.slug: item for item in site.content.events}
    host = urlsplit(settings.site_url).hostname or "divulga"
    stamp = dt.datetime.combine(settings.today, dt.time(), dt.timezone.utc)
    files: dict[str, bytes] = {}
    parts: dict = {}  # the VEVENTs and VTIMEZONEs, each written once for every file it is in
    for language in settings.languages:
        if not language.build:
            continue
        lang, prefix = language.code, language.prefix
        pages = [page for page in plan.for_language(lang) if page.kind == "event"]
        entries = []
        for page in pages:
            item, entry = events[page.entry.slug], page.entry
            location = ", ".join(line for line, _ in page.details.venue) or (item.online_url or "")
            entries.append(CalendarEvent(
                uid=f"{item.slug}@{host}", summary=entry.title, start=item.start, end=item.end,
                url=settings.absolute(entry.path), description=entry.summary, location=location,
                status=item.status, categories=tuple(tag.label for tag in entry.tags), lang=entry.lang))
        name = l10n.t(lang, "calendar_name", site=settings.site_name)
        description = settings.describe(lang)
        for page, entry in zip(pages, entries):
            files[page.details.calendar] = made.calendar((entry,), parts, name=name, description=description,
                                                         lang=lang, stamp=stamp)
        files[urls.calendar(prefix)] = made.calendar(tuple(entries), parts, name=name, description=description,
                                                     lang=lang, stamp=stamp)
    return files
