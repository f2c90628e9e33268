"""iCalendar files (divulga.write.calendar): what a calendar client reads back.

Every file is parsed again with ``icalendar`` itself, and the VTIMEZONEs with
``dateutil``'s independent reader, so the tests check what clients see, not
how the text happens to look. Fast, no network, no MkDocs.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import textwrap
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT
from dateutil import parser as date_parser
from dateutil import tz
from icalendar import Calendar

from divulga.write.calendar import STATUSES, CalendarEvent, calendar

ROME = ZoneInfo("Europe/Rome")
UTC = dt.UTC
STAMP = dt.datetime(2024, 5, 1, tzinfo=UTC)
SITE = "https://example.github.io"


def event(slug: str = "2023-09-21-cluster-booster-academy", **fields) -> CalendarEvent:
    values = {
        "uid": f"{slug}@example.github.io",
        "summary": "Cluster Booster Academy",
        "start": dt.date(2023, 9, 21),
        "end": None,
        "url": f"{SITE}/en/events/{slug}/",
    }
    values.update(fields)
    return CalendarEvent(**values)


def ics(*events: CalendarEvent, **options) -> bytes:
    values = {"name": "Example – events", "description": "What the project does, where", "lang": "en",
              "stamp": STAMP}
    values.update(options)
    return calendar(list(events), **values)


def parsed(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def only_event(data: bytes):
    (vevent,) = parsed(data).walk("VEVENT")
    return vevent


def unfolded(data: bytes) -> list[str]:
    """The content lines, long lines joined again (RFC 5545, 3.1)."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def zone_from_file(data: bytes, tzid: str):
    """The zone as the file's VTIMEZONE defines it, read by dateutil (which
    knows nothing of icalendar, nor of the tz database name)."""
    (vtimezone,) = [tz_ for tz_ in parsed(data).walk("VTIMEZONE") if tz_["TZID"] == tzid]
    return tz.tzical(io.StringIO(vtimezone.to_ical().decode("utf-8"))).get(tzid)


# The calendar


def test_calendar_properties():
    cal = parsed(ics(event(), prodid="-//Example//Site//EN"))
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"] == "-//Example//Site//EN"
    assert cal["CALSCALE"] == "GREGORIAN"
    assert cal["METHOD"] == "PUBLISH"
    assert cal["X-WR-CALNAME"] == "Example – events"
    assert cal["X-WR-CALDESC"] == "What the project does, where"
    assert "X-WR-TIMEZONE" not in cal


def test_default_prodid_and_no_empty_description():
    cal = parsed(ics(event(), description=""))
    assert cal["PRODID"] == "-//Divulga//Divulga//EN"
    assert "X-WR-CALDESC" not in cal


def test_no_events_is_still_a_calendar():
    cal = parsed(ics())
    assert cal.walk("VEVENT") == [] and cal.walk("VTIMEZONE") == []


def test_events_keep_the_given_order():
    slugs = ["c-third", "a-first", "b-second"]
    data = ics(*(event(slug) for slug in slugs))
    assert [str(e["UID"]) for e in parsed(data).walk("VEVENT")] == [f"{s}@example.github.io" for s in slugs]


def test_uid_and_stamp_as_given():
    vevent = only_event(ics(event()))
    assert vevent["UID"] == "2023-09-21-cluster-booster-academy@example.github.io"
    assert vevent["DTSTAMP"].dt == STAMP
    assert "DTSTAMP:20240501T000000Z" in unfolded(ics(event()))


def test_stamp_in_another_zone_is_written_in_utc():
    data = ics(event(), stamp=dt.datetime(2024, 5, 1, 2, 0, tzinfo=ROME))
    assert "DTSTAMP:20240501T000000Z" in unfolded(data)


@pytest.mark.parametrize("stamp", [dt.datetime(2024, 5, 1), dt.date(2024, 5, 1)])
def test_stamp_must_be_an_aware_datetime(stamp):
    with pytest.raises(ValueError, match="stamp"):
        ics(event(), stamp=stamp)


# All-day events


def test_all_day_single_day():
    data = ics(event(start=dt.date(2023, 9, 21)))
    lines = unfolded(data)
    assert "DTSTART;VALUE=DATE:20230921" in lines
    assert "DTEND;VALUE=DATE:20230922" in lines  # exclusive: the day after
    vevent = only_event(data)
    assert vevent["DTSTART"].dt == dt.date(2023, 9, 21)
    assert vevent["DTEND"].dt == dt.date(2023, 9, 22)
    assert not isinstance(vevent["DTSTART"].dt, dt.datetime)


def test_all_day_over_two_days():
    data = ics(event(start=dt.date(2023, 9, 21), end=dt.date(2023, 9, 22)))
    lines = unfolded(data)
    assert "DTSTART;VALUE=DATE:20230921" in lines
    assert "DTEND;VALUE=DATE:20230923" in lines
    assert only_event(data)["DTEND"].dt == dt.date(2023, 9, 23)


def test_all_day_across_a_year_end():
    data = ics(event(start=dt.date(2023, 12, 30), end=dt.date(2023, 12, 31)))
    assert "DTEND;VALUE=DATE:20240101" in unfolded(data)


def test_all_day_events_need_no_timezone():
    data = ics(event(start=dt.date(2023, 9, 21), end=dt.date(2023, 9, 22)))
    assert parsed(data).walk("VTIMEZONE") == []
    assert not any("TZID" in line for line in unfolded(data))


# Timed events


def test_timed_same_day_in_rome():
    start = dt.datetime(2023, 9, 21, 9, 30, tzinfo=ROME)
    end = dt.datetime(2023, 9, 21, 17, 0, tzinfo=ROME)
    data = ics(event(start=start, end=end))
    lines = unfolded(data)
    assert "DTSTART;TZID=Europe/Rome:20230921T093000" in lines
    assert "DTEND;TZID=Europe/Rome:20230921T170000" in lines
    vevent = only_event(data)
    assert vevent["DTSTART"].dt == start and vevent["DTEND"].dt == end
    assert vevent["DTSTART"].dt.utcoffset() == dt.timedelta(hours=2)
    (vtimezone,) = parsed(data).walk("VTIMEZONE")
    assert vtimezone["TZID"] == "Europe/Rome"
    # the VTIMEZONE comes before the events that use it
    assert lines.index("BEGIN:VTIMEZONE") < lines.index("BEGIN:VEVENT")


def test_timed_across_days():
    start = dt.datetime(2023, 9, 21, 14, 0, tzinfo=ROME)
    end = dt.datetime(2023, 9, 22, 13, 0, tzinfo=ROME)
    data = ics(event(start=start, end=end))
    lines = unfolded(data)
    assert "DTSTART;TZID=Europe/Rome:20230921T140000" in lines
    assert "DTEND;TZID=Europe/Rome:20230922T130000" in lines
    vevent = only_event(data)
    assert (vevent["DTSTART"].dt, vevent["DTEND"].dt) == (start, end)


def test_vtimezone_has_the_right_offsets():
    """September is summer time in Rome (CEST, +02:00), December is not
    (CET, +01:00): as the file's own VTIMEZONE says, read by dateutil."""
    september = dt.datetime(2023, 9, 21, 9, 30, tzinfo=ROME)
    december = dt.datetime(2023, 12, 5, 9, 30, tzinfo=ROME)
    data = ics(event("a", start=september, end=None), event("b", start=december, end=None))
    assert "DTSTART;TZID=Europe/Rome:20231205T093000" in unfolded(data)
    zone = zone_from_file(data, "Europe/Rome")
    assert dt.datetime(2023, 9, 21, 9, 30, tzinfo=zone).utcoffset() == dt.timedelta(hours=2)
    assert dt.datetime(2023, 12, 5, 9, 30, tzinfo=zone).utcoffset() == dt.timedelta(hours=1)
    names = {str(sub["TZNAME"]): sub["TZOFFSETTO"].td for sub in parsed(data).walk("VTIMEZONE")[0].subcomponents}
    assert names == {"CEST": dt.timedelta(hours=2), "CET": dt.timedelta(hours=1)}


def test_vtimezone_covers_every_year_of_the_events():
    first = dt.datetime(2023, 9, 21, 9, 30, tzinfo=ROME)
    last = dt.datetime(2026, 7, 1, 9, 30, tzinfo=ROME)
    winter = dt.datetime(2025, 1, 15, 9, 30, tzinfo=ROME)
    data = ics(event("a", start=first, end=None), event("b", start=winter, end=None),
               event("c", start=last, end=None))
    zone = zone_from_file(data, "Europe/Rome")
    for moment in (first, winter, last):
        assert moment.replace(tzinfo=zone).utcoffset() == moment.utcoffset()


def test_vtimezone_spans_only_the_years_needed():
    """Not the library's default 1970–2038: a file of one event stays small."""
    data = ics(event(start=dt.datetime(2023, 9, 21, 9, 30, tzinfo=ROME), end=None))
    years = {int(m) for m in re.findall(r"^(?:DTSTART|RDATE)[:;]\D*(\d{4})", data.decode(), re.MULTILINE)}
    assert years == {2023}
    assert len(data) < 2000


def test_two_zones_each_have_a_vtimezone():
    new_york = ZoneInfo("America/New_York")
    data = ics(event("a", start=dt.datetime(2023, 9, 21, 9, 30, tzinfo=ROME), end=None),
               event("b", start=dt.datetime(2023, 9, 22, 9, 30, tzinfo=new_york), end=None))
    assert [str(z["TZID"]) for z in parsed(data).walk("VTIMEZONE")] == ["America/New_York", "Europe/Rome"]
    assert parsed(data).get_missing_tzids() == set()
    zone = zone_from_file(data, "America/New_York")
    assert dt.datetime(2023, 9, 22, 9, 30, tzinfo=zone).utcoffset() == dt.timedelta(hours=-4)


def test_shared_parts_give_the_bytes_the_library_writes_for_the_whole_calendar():
    """A build writes each VEVENT and VTIMEZONE once and puts them in every file they belong to
    (``parts``): each file is still byte for byte what the library writes for the whole calendar."""
    new_york = ZoneInfo("America/New_York")
    events = [event("a", start=dt.datetime(2023, 9, 21, 9, 30, tzinfo=ROME), end=None, lang="it",
                    summary="Accademia, giorno 1; \\ tutto " * 5, categories=("Cluster", "Formazione")),
              event("b", start=dt.datetime(2024, 3, 2, 9, 30, tzinfo=new_york),
                    end=dt.datetime(2024, 3, 2, 18, 0, tzinfo=new_york)),
              event("c", start=dt.date(2022, 12, 31), end=dt.date(2023, 1, 2), location="Torino, IT"),
              event("d", start=dt.datetime(2023, 10, 1, 7, 0, tzinfo=UTC), end=None, status="cancelled")]
    parts: dict = {}
    singles = [ics(one, parts=parts) for one in events]
    whole = ics(*events, parts=parts)
    assert singles == [ics(one) for one in events] and whole == ics(*events)
    assert any(key[0] == "VTIMEZONE" for key in parts) and any(key[0] == "VEVENT" for key in parts)

    def by_the_library(*chosen: CalendarEvent) -> bytes:
        cal = Calendar.from_ical(ics(*chosen))  # what the file says, written again by the library alone
        return cal.to_ical()

    assert whole == by_the_library(*events)
    assert singles == [by_the_library(one) for one in events]
    assert [str(z["TZID"]) for z in parsed(whole).walk("VTIMEZONE")] == ["America/New_York", "Europe/Rome"]
    assert [str(e["UID"]) for e in parsed(whole).walk("VEVENT")] == [f"{slug}@example.github.io" for slug in "abcd"]


def test_utc_event_is_written_with_z():
    start = dt.datetime(2023, 9, 21, 7, 30, tzinfo=UTC)
    end = dt.datetime(2023, 9, 21, 9, 0, tzinfo=ZoneInfo("UTC"))
    data = ics(event(start=start, end=end))
    lines = unfolded(data)
    assert "DTSTART:20230921T073000Z" in lines
    assert "DTEND:20230921T090000Z" in lines
    assert parsed(data).walk("VTIMEZONE") == []
    vevent = only_event(data)
    assert vevent["DTSTART"].dt == start and vevent["DTSTART"].dt.utcoffset() == dt.timedelta(0)


def test_fixed_offset_is_written_in_utc():
    """A zone without a name cannot have a VTIMEZONE: the same instant in UTC."""
    start = dt.datetime(2023, 9, 21, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    data = ics(event(start=start, end=None))
    assert "DTSTART:20230921T073000Z" in unfolded(data)
    assert parsed(data).get_missing_tzids() == set()
    assert only_event(data)["DTSTART"].dt == start


def test_timed_without_end_has_no_dtend():
    start = dt.datetime(2023, 9, 21, 9, 30, tzinfo=ROME)
    for end in (None, start):
        vevent = only_event(ics(event(start=start, end=end)))
        assert "DTEND" not in vevent and "DURATION" not in vevent
        assert vevent["DTSTART"].dt == start


def test_dateutil_reads_back_the_same_instants():
    """The written local time, in the zone the file's VTIMEZONE defines,
    is the instant the site meant (and icalendar agrees)."""
    start = dt.datetime(2023, 12, 5, 18, 45, tzinfo=ROME)
    end = dt.datetime(2023, 12, 6, 1, 15, tzinfo=ROME)
    data = ics(event(start=start, end=end))
    zone = zone_from_file(data, "Europe/Rome")
    values = dict(re.findall(r"^(DTSTART|DTEND);TZID=Europe/Rome:(\S+)$", "\n".join(unfolded(data)), re.MULTILINE))
    assert date_parser.isoparse(values["DTSTART"]).replace(tzinfo=zone) == start
    assert date_parser.isoparse(values["DTEND"]).replace(tzinfo=zone) == end
    vevent = only_event(data)
    assert vevent["DTSTART"].dt == start and vevent["DTEND"].dt == end
    assert vevent["DTSTART"].dt.tzinfo.key == "Europe/Rome"


# Texts


def test_description_is_the_text_then_the_address():
    vevent = only_event(ics(event(description="Two days of workshops.")))
    assert vevent["DESCRIPTION"] == f"Two days of workshops.\n\n{SITE}/en/events/2023-09-21-cluster-booster-academy/"
    assert vevent["URL"] == f"{SITE}/en/events/2023-09-21-cluster-booster-academy/"


def test_description_without_text_is_the_address():
    vevent = only_event(ics(event()))
    assert vevent["DESCRIPTION"] == f"{SITE}/en/events/2023-09-21-cluster-booster-academy/"


def test_location_and_categories_only_when_given():
    vevent = only_event(ics(event()))
    assert "LOCATION" not in vevent and "CATEGORIES" not in vevent
    vevent = only_event(ics(event(location="Environment Park, Via Livorno 60, Torino, Italia",
                                  categories=("Training", "Start-ups"))))
    assert vevent["LOCATION"] == "Environment Park, Via Livorno 60, Torino, Italia"
    assert list(vevent["CATEGORIES"].cats) == ["Training", "Start-ups"]


def test_escaping_round_trips():
    summary = "Città, più; sostenibilità – über \\ \"quoted\""
    description = "First line, with a comma; and a semicolon.\nSecond line: é ü –\ttab"
    location = "Environment Park, Via Livorno 60, Torino, Italia"
    categories = ("a, b", "c; d", "Über")
    data = ics(event(summary=summary, description=description, location=location, categories=categories))
    vevent = only_event(data)
    assert vevent["SUMMARY"] == summary
    assert vevent["DESCRIPTION"] == f"{description}\n\n{SITE}/en/events/2023-09-21-cluster-booster-academy/"
    assert vevent["LOCATION"] == location
    assert list(vevent["CATEGORIES"].cats) == list(categories)
    assert r'SUMMARY;LANGUAGE=en:Città\, più\; sostenibilità – über \\ "quoted"' in unfolded(data)
    assert r"LOCATION:Environment Park\, Via Livorno 60\, Torino\, Italia" in unfolded(data)


def test_control_characters_are_stripped():
    hostile = "Bad\x00 \x1b[31mtitle\x07\x7f\x85\ud800"
    data = ics(event(summary=hostile, description="one\r\ntwo\rthree\x0bfour\x0c",
                     location="Via\x00 Roma", categories=("ta\x1bg", "\x00"), uid="x\x00y@example.github.io",
                     url=f"{SITE}/a\x1b/"),
               name="Cal\x00endar", description="De\x1bsc", prodid="-//Div\x00ulga//EN")
    text = data.decode("utf-8")  # encodable: the lone surrogate went too
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text.replace("\r\n", ""))
    vevent = only_event(data)
    assert vevent["SUMMARY"] == "Bad [31mtitle"
    assert vevent["DESCRIPTION"].startswith("one\ntwo\nthreefour\n\n")
    assert vevent["LOCATION"] == "Via Roma"
    assert list(vevent["CATEGORIES"].cats) == ["tag"]
    assert vevent["UID"] == "xy@example.github.io"
    assert vevent["URL"] == f"{SITE}/a/"
    cal = parsed(data)
    assert (cal["X-WR-CALNAME"], cal["X-WR-CALDESC"], cal["PRODID"]) == ("Calendar", "Desc", "-//Divulga//EN")


def test_language_parameter():
    data = ics(event(lang="it", description="Due giorni."), lang="it")
    vevent = only_event(data)
    assert vevent["SUMMARY"].params["LANGUAGE"] == "it"
    assert vevent["DESCRIPTION"].params["LANGUAGE"] == "it"
    # an event without a language takes the calendar's; nonsense is left out
    assert only_event(ics(event(lang=""), lang="pt-BR"))["SUMMARY"].params["LANGUAGE"] == "pt-BR"
    assert "LANGUAGE" not in only_event(ics(event(lang='x";y'), lang=""))["SUMMARY"].params


# Status


@pytest.mark.parametrize(("status", "expected"), [
    ("scheduled", "CONFIRMED"), ("cancelled", "CANCELLED"), ("postponed", "TENTATIVE"),
    ("rescheduled", "CONFIRMED"), ("moved_online", "CONFIRMED")])
def test_status(status, expected):
    assert only_event(ics(event(status=status)))["STATUS"] == expected


def test_every_status_is_mapped():
    assert STATUSES == {"scheduled", "cancelled", "postponed", "rescheduled", "moved_online"}


# Wrong events are refused when made


@pytest.mark.parametrize(("fields", "message"), [
    ({"start": dt.datetime(2023, 9, 21, 9, 30)}, "no timezone"),
    ({"start": dt.datetime(2023, 9, 21, 9, 30, tzinfo=ROME), "end": dt.datetime(2023, 9, 21, 10)}, "no timezone"),
    ({"start": dt.date(2023, 9, 21), "end": dt.datetime(2023, 9, 22, tzinfo=ROME)}, "same kind"),
    ({"start": dt.datetime(2023, 9, 21, tzinfo=ROME), "end": dt.date(2023, 9, 22)}, "same kind"),
    ({"start": dt.date(2023, 9, 21), "end": dt.date(2023, 9, 20)}, "ends before"),
    ({"start": "2023-09-21"}, "date or a datetime"),
    ({"status": "maybe"}, "unknown event status"),
    ({"uid": "\x00 "}, "UID"),
])
def test_bad_events_are_refused(fields, message):
    with pytest.raises(ValueError, match=message):
        event(**fields)


# The file itself


def _sample() -> list[CalendarEvent]:
    return [
        event("a", summary="Città, più; – " * 12, description="é ü – " * 40,
              start=dt.date(2023, 9, 21), end=dt.date(2023, 9, 22), categories=("Training", "Start-ups"),
              location="Environment Park, Via Livorno 60, Torino, Italia"),
        event("b", start=dt.datetime(2023, 12, 5, 9, 30, tzinfo=ROME), end=dt.datetime(2023, 12, 5, 17, tzinfo=ROME),
              status="cancelled"),
        event("c", start=dt.datetime(2024, 3, 1, 9, 30, tzinfo=ZoneInfo("America/New_York")), end=None),
        event("d", start=dt.datetime(2024, 6, 1, 9, 30, tzinfo=ZoneInfo("Asia/Tokyo")), end=None),
    ]


def test_lines_are_folded_to_75_octets_with_crlf():
    data = ics(*_sample())
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # folds fall between characters, not inside one


def test_same_input_same_bytes():
    assert ics(*_sample()) == ics(*_sample())


# Run in this process and in fresh ones: zones in two regions, all texts.
SAMPLE_SCRIPT = textwrap.dedent("""
    import datetime as dt
    from zoneinfo import ZoneInfo
    from divulga.write.calendar import CalendarEvent, calendar

    zones = ["Europe/Rome", "America/New_York", "Asia/Tokyo", "Europe/Lisbon", "Australia/Sydney"]
    events = [CalendarEvent(uid=f"e{i}@example.github.io", summary=f"Città, più; – {zone}",
                            start=dt.datetime(2023 + i, 2 * i + 1, 21, 9, 30, tzinfo=ZoneInfo(zone)),
                            end=dt.datetime(2023 + i, 2 * i + 1, 22, 13, 0, tzinfo=ZoneInfo(zone)),
                            url=f"https://example.github.io/en/events/e{i}/", description="é ü – " * 20,
                            location="Via Livorno 60, Torino", categories=("b", "a"))
              for i, zone in enumerate(zones)]
    events.append(CalendarEvent(uid="all-day@example.github.io", summary="All day", start=dt.date(2023, 9, 21),
                                end=dt.date(2023, 9, 22), url="https://example.github.io/"))
    data = calendar(events, name="Events", description="All", lang="it",
                    stamp=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
""")


def test_same_bytes_in_other_processes():
    """Nothing depends on the process: not the hash seed (which orders a
    set of zones), not the clock."""
    here: dict = {}
    exec(SAMPLE_SCRIPT, here)  # noqa: S102 - our own code, to compare with the fresh processes
    script = SAMPLE_SCRIPT + "import sys; sys.stdout.buffer.write(data)\n"
    outputs = [subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")]
    assert outputs[0] == outputs[1] == here["data"]
    assert len(parsed(here["data"]).walk("VTIMEZONE")) == 5


def test_no_mkdocs_import():
    code = "import sys, divulga.write.calendar; print([m for m in sys.modules if m.startswith('mkdocs')])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
