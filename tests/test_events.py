"""Events built end to end: pages per language, ordering by the build date,
localized periods, calendars, structured data, and every mistake with its line."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from conftest import assert_every_mistake, build_fixture, epoch, news, site_config
from icalendar import Calendar


def event(title: str, start: str | None, body: str = "Programma.", **fields) -> str:
    front = {"title": title, **({"start": start} if start is not None else {}), **fields}
    lines = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items())
    return f"---\n{lines}\n---\n{body}\n"


TURIN = {"name": "Environment Park", "address": "Via Livorno 60", "city": {"it": "Torino", "en": "Turin"},
         "country": "IT"}
FILES = {
    "content/tags.yaml": "training: {it: Formazione, en: Training}\n",
    "content/projects/academy.yaml": textwrap.dedent("""\
        acronym: ACAD
        title: {it: Accademia, en: Academy}
        programme: ECCP
        summary: Una accademia.
        """),
    # all day, two days, in person
    "content/events/2023-09-21-torino.it.md": event(
        "Le giornate di Torino", "2023-09-21", end="2023-09-22", venue=TURIN, tags=["training"],
        projects=["academy"], summary="Due giorni a Torino."),
    "content/events/2023-09-21-torino.en.md": event("The Turin days", None, summary="Two days in Turin."),
    # all day, one day, online, only in Italian
    "content/events/2023-06-06-online.it.md": event("Sessione online", "2023-06-06", attendance="online",
                                                    online_url="https://example.org/live"),
    # timed, same day, mixed, in the future
    "content/events/2027-03-16-corso.it.md": event(
        "Corso per cluster manager", "2027-03-16 09:30", end="2027-03-16 17:00", attendance="mixed",
        venue=TURIN, registration_url="https://example.org/register", summary="Un corso."),
    "content/events/2027-03-16-corso.en.md": event("Cluster manager course", None, summary="A course."),
    # timed, across days and months, another time zone, cancelled
    "content/events/2027-04-30-bruxelles.it.md": event(
        "Conferenza a Bruxelles", "2027-04-30 14:00", end="2027-05-01 13:00", timezone="Europe/Brussels",
        venue={"name": "Square", "city": "Bruxelles", "country": "BE"}, status="cancelled"),
    "content/events/2027-04-30-bruxelles.en.md": event("Brussels conference", None),
    # across years, all day; its English version a draft
    "content/events/2026-12-30-capodanno.it.md": event("Fine anno", "2026-12-30", end="2027-01-02",
                                                       venue=TURIN),
    "content/events/2026-12-30-capodanno.en.md": event("Year end", None, draft=True),
    # every version a draft: nowhere
    "content/events/2027-06-01-bozza.it.md": event("Bozza", "2027-06-01", venue=TURIN, draft=True),
    "content/news/2024-01-01-a.it.md": news("Notizia", "2024-01-01"),
}
BUILD_DATE = epoch("2026-12-31")  # the year-end event is under way


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_fixture(tmp_path_factory.mktemp("events"), FILES, config=site_config(
        extra={"home_events": 2, "timezone": "Europe/Rome"}), env=BUILD_DATE)
    assert built.ok, built.output
    return built


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2009", " ").replace("\u202f", " ")).strip()


def titles(soup, section: str) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(f"#{section} ~ ul .divulga-card__title a")]


def test_pages_per_language_and_ordering_by_the_build_date(site):
    for prefix in ("", "en/"):
        for slug in ("2023-09-21-torino", "2023-06-06-online", "2027-03-16-corso", "2027-04-30-bruxelles",
                     "2026-12-30-capodanno"):
            assert site.exists(f"{prefix}events/{slug}/"), (prefix, slug)
        assert not site.exists(f"{prefix}events/2027-06-01-bozza/")
    soup = site.soup("en/events/")
    upcoming = [a.get_text(strip=True) for a in soup.select("#divulga-upcoming ~ ul .divulga-card__title a")]
    past = [a.get_text(strip=True) for a in soup.select("#divulga-past ~ ul .divulga-card__title a")]
    # upcoming soonest first (the year-end one is still on), then past ones newest first
    assert upcoming == ["Fine anno", "Cluster manager course", "Brussels conference"]
    assert past == ["The Turin days", "Sessione online"]
    later = build_fixture(site.root.parent / "later", FILES, env=epoch("2027-04-01"))
    assert later.ok, later.output
    soup = later.soup("events/")
    assert [a.get_text(strip=True) for a in soup.select("#divulga-upcoming ~ ul .divulga-card__title a")] == [
        "Conferenza a Bruxelles"]


@pytest.mark.parametrize(("slug", "it", "en"), [
    ("2023-06-06-online", "6 giugno 2023", "6 June 2023"),
    ("2023-09-21-torino", "21–22 settembre 2023", "21–22 September 2023"),
    ("2027-03-16-corso", "16 marzo 2027 09:30–17:00 CET", "16 March 2027, 09:30–17:00 CET"),
    ("2027-04-30-bruxelles", "30 aprile 2027 14:00 – 1 maggio 2027 13:00 CEST",
     "30 April 2027, 14:00 – 1 May 2027, 13:00 CEST"),
    ("2026-12-30-capodanno", "30 dicembre 2026 – 02 gennaio 2027", "30 December 2026 – 2 January 2027"),
])
def test_localized_periods(site, slug, it, en):
    for prefix, expected in (("", it), ("en/", en)):
        when = site.soup(f"{prefix}events/{slug}/").select_one(".divulga-event__facts time")
        assert flat(when.get_text()) == expected


def test_event_page_details_fallbacks_and_drafts(site):
    soup = site.soup("en/events/2023-09-21-torino/")
    venue = [flat(span.get_text()) for span in soup.select(".divulga-event__venue span")]
    assert venue == ["Environment Park", "Via Livorno 60", "Turin", "Italy"]
    assert soup.select_one(".divulga-event__facts time")["datetime"] == "2023-09-21"
    ics = soup.find("a", string=re.compile("Add to calendar"))
    assert ics["href"] == "2023-09-21-torino.ics" and ics["type"] == "text/calendar"
    assert [a.get_text() for a in soup.select(".divulga-related a")] == ["ACAD – Academy"]
    # only in Italian: the Italian text, marked, with a notice
    online = site.soup("en/events/2023-06-06-online/")
    assert online.select_one(".divulga-notice").get_text() == "This event is only described in Italian."
    assert online.h1["lang"] == "it" and online.select_one(".divulga-event__actions a")["href"] == \
        "https://example.org/live"
    # a draft translation: readers of English see the Italian version
    assert site.soup("en/events/2026-12-30-capodanno/").h1.get_text() == "Fine anno"
    cancelled = site.soup("events/2027-04-30-bruxelles/")
    assert cancelled.select_one(".divulga-badge--cancelled").get_text() == "Annullato"
    assert [flat(s.get_text()) for s in cancelled.select(".divulga-event__venue span")][-1] == "Belgio"
    course = site.soup("events/2027-03-16-corso/")
    assert course.find("a", string="Iscriviti")["href"] == "https://example.org/register"


def test_calendars_parse_back_with_stable_uids_and_zones(site, tmp_path):
    for prefix, lang in (("", "it"), ("en/", "en")):
        data = site.path(f"{prefix}events/calendar.ics").read_bytes()
        cal = Calendar.from_ical(data)
        events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        assert set(events) == {f"{slug}@example.github.io" for slug in (
            "2023-06-06-online", "2023-09-21-torino", "2026-12-30-capodanno", "2027-03-16-corso",
            "2027-04-30-bruxelles")}
        turin = events["2023-09-21-torino@example.github.io"]
        assert turin["DTSTART"].dt == dt.date(2023, 9, 21) and turin["DTEND"].dt == dt.date(2023, 9, 23)
        course = events["2027-03-16-corso@example.github.io"]
        assert course["DTSTART"].dt.isoformat() == "2027-03-16T09:30:00+01:00"
        assert course["DTSTART"].params["TZID"] == "Europe/Rome"
        brussels = events["2027-04-30-bruxelles@example.github.io"]
        assert str(brussels["STATUS"]) == "CANCELLED" and brussels["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"Europe/Rome", "Europe/Brussels"}
        assert str(turin["SUMMARY"]) == ("Le giornate di Torino" if lang == "it" else "The Turin days")
        assert turin["DTSTAMP"].dt == dt.datetime(2026, 12, 31, tzinfo=dt.timezone.utc)
        single = Calendar.from_ical(site.path(f"{prefix}events/2023-09-21-torino/2023-09-21-torino.ics")
                                    .read_bytes())
        assert [str(e["UID"]) for e in single.walk("VEVENT")] == ["2023-09-21-torino@example.github.io"]
    again = build_fixture(tmp_path, FILES, config=site_config(extra={"home_events": 2}), env=BUILD_DATE)
    assert again.path("events/calendar.ics").read_bytes() == site.path("events/calendar.ics").read_bytes()


def test_event_structured_data(site):
    soup = site.soup("en/events/2027-03-16-corso/")
    graph = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    data = next(item for item in graph if item.get("@type") == "Event")
    assert data["startDate"] == "2027-03-16T09:30:00+01:00" and data["endDate"] == "2027-03-16T17:00:00+01:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    place, virtual = data["location"]
    assert place["address"] == {"@type": "PostalAddress", "addressCountry": "IT",
                                "streetAddress": "Via Livorno 60", "addressLocality": "Turin"}
    assert virtual["@type"] == "VirtualLocation"
    assert data["organizer"]["@type"] == "Organization"
    turin = site.soup("events/2023-09-21-torino/")
    data = next(json.loads(s.string) for s in turin.find_all("script", type="application/ld+json")
                if '"Event"' in s.string)
    assert data["about"][0]["name"] == "ACAD – Accademia" and data["startDate"] == "2023-09-21"
    cancelled = next(json.loads(s.string) for s in site.soup("events/2027-04-30-bruxelles/").find_all(
        "script", type="application/ld+json") if '"Event"' in s.string)
    assert cancelled["eventStatus"] == "https://schema.org/EventCancelled"
    assert cancelled["startDate"] == "2027-04-30T14:00:00+02:00"


def test_home_project_feed_search_and_sitemap(site):
    home = site.soup("en/")
    assert [a.get_text(strip=True) for a in home.select("[aria-labelledby=divulga-events-title] .divulga-card__title a")] \
        == ["Fine anno", "Cluster manager course"]  # home_events: 2
    sheet = site.soup("en/projects/academy/")
    assert [a.get_text(strip=True) for a in sheet.select("#divulga-project-events ~ ul .divulga-card__title a")] == ["The Turin days"]
    feed = site.text("en/events/feed.xml")
    assert "<title>Cluster manager course</title>" in feed and "Bozza" not in feed
    page = site.soup("en/events/2027-03-16-corso/")
    assert page.select_one("[data-pagefind-body] [data-pagefind-filter]").get_text() == "event"
    assert site.soup("en/events/2023-06-06-online/").select_one("[data-pagefind-body]") is None  # a fallback
    sitemap = site.text("sitemap.xml")
    assert "/en/events/2027-03-16-corso/" in sitemap and "/events/" in sitemap
    alternates = {link["hreflang"] for link in page.select("link[hreflang]")}
    assert alternates == {"it", "en", "x-default"}
    assert site.exists("pagefind/en/pagefind.js")


BAD = {
    "content/events/2024-01-01-a.it.md": (event("A", "2024-13-01", venue=TURIN), 3, "start",
                                          "'2024-13-01' is not a date and time"),
    "content/events/2024-01-02-b.it.md": (event("B", "2024-01-02", end="2024-01-01", venue=TURIN), 4, "end",
                                          "2024-01-01 is before the start (2024-01-02)"),
    "content/events/2024-01-03-c.it.md": (event("C", "2024-01-03", timezone="Europe/Rom", venue=TURIN), 4,
                                          "timezone", "unknown time zone 'Europe/Rom': did you mean Europe/Rome?"),
    "content/events/2024-01-04-d.it.md": (event("D", "2024-01-04"), 2, "venue",
                                          "required for an event in person (or mixed)"),
    "content/events/2024-01-05-e.it.md": (event("E", "2024-01-05", venue={**TURIN, "country": "XX"}), 4,
                                          "venue.country", "unknown country code 'XX'"),
    "content/events/2024-01-06-f.it.md": (event("F", "2024-01-06", attendance="online",
                                                online_url="http://example.org/"), 5, "online_url",
                                          "write a full web address starting with https://"),
    "content/events/2024-01-07-g.it.md": (event("G", "2024-01-07", status="over", venue=TURIN), 4, "status",
                                          "unknown status 'over'"),
    "content/events/2024-01-08-h.it.md": (event("H", "2024-01-08", attendance="hybrid", venue=TURIN), 4,
                                          "attendance", "unknown attendance 'hybrid'"),
    "content/events/2024-01-09-i.it.md": (event("I", "2024-01-09 10:00", end="2024-01-10", venue=TURIN), 4,
                                          "end", "write the end like the start"),
    "content/events/2024-01-10-j.it.md": (event(None, "2024-01-10", venue=TURIN), 2, "title", "required"),
    "content/events/2024-01-11-k.it.md": (event("K", "2024-01-11", attendance="in_person"), 4, "venue",
                                          "required for an event in person (or mixed)"),
}


def test_every_mistake_with_its_line_in_build_and_check(tmp_path):
    assert_every_mistake(tmp_path, {path: text for path, (text, *_) in BAD.items()},
                         {path: expected for path, (_, *expected) in BAD.items()})


def test_divulga_new_event(tmp_path):
    build_fixture(tmp_path, {"content/news/2024-01-01-a.it.md": news("A", "2024-01-01"),
                             "content/tags.yaml": "training: {it: Formazione, en: Training}\n"})
    done = subprocess.run([sys.executable, "-m", "divulga", "new", "event", "Giornata di formazione",
                           "--start", "2027-05-06 09:30", "--end", "2027-05-06 17:00", "--online",
                           "--tags", "training"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    it = (tmp_path / "content/events/2027-05-06-giornata-di-formazione.it.md").read_text(encoding="utf-8")
    en = (tmp_path / "content/events/2027-05-06-giornata-di-formazione.en.md").read_text(encoding="utf-8")
    assert 'start: "2027-05-06 09:30"' in it and "attendance: online" in it and "tags: [training]" in it
    assert "draft: true" in en and "start:" not in en
    bad = subprocess.run([sys.executable, "-m", "divulga", "new", "event", "X", "--start", "2027-13-01"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode != 0 and "'2027-13-01' is not a date and time" in bad.stderr


def test_translation_report_lists_events(site):
    done = subprocess.run([sys.executable, "-m", "divulga", "check", "--format", "json"], cwd=site.root,
                          capture_output=True, text=True, env={**os.environ, **BUILD_DATE})
    report = json.loads(done.stdout)["translations"]
    missing = {item["slug"]: item["missing"] for item in report["missing_news"]}
    assert missing["2023-06-06-online"] == ["en"]
    drafts = {(item["slug"], item["lang"]) for item in report["drafts"]}
    assert ("2026-12-30-capodanno", "en") in drafts and ("2027-06-01-bozza", "it") in drafts


def test_site_time_zone_option():
    from conftest import ROOT

    from divulga.config_file import ConfigError, settings_from_config
    config = {"plugins": [{"i18n": {"languages": [{"locale": "it", "name": "Italiano", "default": True}]}}],
              "extra": {"divulga": {"timezone": "Europe/Brussels", "home_events": 0}}}
    settings = settings_from_config(config, ROOT, {})
    assert (settings.timezone, settings.home_events) == ("Europe/Brussels", 0)
    config["extra"]["divulga"]["timezone"] = "Europe/Rom"
    with pytest.raises(ConfigError) as info:
        settings_from_config(config, ROOT, {})
    assert [str(p) for p in info.value.problems] == [
        "mkdocs.yml:1: extra.divulga.timezone: unknown time zone 'Europe/Rom': did you mean Europe/Rome? "
        "write its IANA name, e.g. Europe/Rome or Europe/Brussels"]


HOSTILE = {
    "a": ("start: [1, 2]\nvenue: {name: X, country: IT}", "start: '[1, 2]' is not a date and time"),
    "b": ("start: 2024-01-01\nvenue: [1, 2]", "venue: write name:, address:, city: and country: under venue:"),
    "c": ("start: 2024-01-01\nvenue: {name: [1], country: IT}", "venue.name: write a text"),
    "d": ("start: 99999-01-01\nattendance: online", "start: '99999-01-01' is not a date and time"),
    "e": ("start: '2024-01-01 25:00'\nattendance: online", "is not a date and time"),
    "f": ("start: 2024-01-01\ntimezone: {a: 1}\nattendance: online", "timezone: unknown time zone"),
    "g": ("start: 2024-01-01 10:00:00\nend: 2024-01-01 09:00:00\nattendance: online",
          "end: 2024-01-01 09:00 is before the start (2024-01-01 10:00)"),
    "h": ("start: '2024-01-01 10:00+25:00'\nattendance: online", "is not a date and time"),
    "i": ("start: 2024-01-01\nattendance: online\nstatus: [cancelled]", "status: unknown status"),
}


def test_hostile_event_fields_give_one_problem_each(tmp_path):
    files = {f"content/events/2024-01-01-{key}.it.md": f"---\ntitle: T\n{front}\n---\nTesto.\n"
             for key, (front, _) in HOSTILE.items()}
    build_fixture(tmp_path, {**files, "content/news/2024-01-01-a.it.md": news("A", "2024-01-01")})
    check = subprocess.run([sys.executable, "-m", "divulga", "check", "--format", "json"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 1 and "Traceback" not in check.stderr
    errors = json.loads(check.stdout)["errors"]
    for key, (_, message) in HOSTILE.items():
        found = [f"{e['field']}: {e['message']}" for e in errors if e["path"].endswith(f"-{key}.it.md")]
        assert len(found) == 1 and message in found[0], (key, found)


def test_event_texts_are_printed_literally(tmp_path):
    """Titles, summaries, places and links of an event are text, never markup,
    in its page, the listings, the feed, the calendar and the structured data."""
    hostile = '"><script>window.__pwned=1</script>{{ 7*7 }}'
    files = {
        "content/events/2030-01-01-x.it.md": event(
            hostile, "2030-01-01", summary=hostile, attendance="mixed",
            venue={"name": hostile, "city": hostile, "address": hostile, "country": "IT"},
            online_url='https://example.org/"onmouseover="alert(1)'),
        "content/news/2024-01-01-a.it.md": news("A", "2024-01-01"),
    }
    built = build_fixture(tmp_path, files, env=epoch("2029-01-01"))
    assert built.ok, built.output
    for url in ("events/2030-01-01-x/", "events/", "", "en/events/2030-01-01-x/"):
        html = built.text(url)
        assert "<script>window.__pwned" not in html, url
        soup = built.soup(url)
        assert not [tag for tag in soup.find_all(True) if any(a.lower().startswith("on") for a in tag.attrs)], url
        assert not [s for s in soup.find_all("script") if "__pwned" in (s.string or "") and
                    s.get("type") != "application/ld+json"], url
    page = built.soup("events/2030-01-01-x/")
    assert page.h1.get_text() == hostile
    assert [s.get_text() for s in page.select(".divulga-event__venue span")][:3] == [hostile] * 3
    data = next(json.loads(s.string) for s in page.find_all("script", type="application/ld+json")
                if '"Event"' in s.string)
    assert data["name"] == hostile and "</script>" not in page.find_all(
        "script", type="application/ld+json")[-1].string
    ics = Calendar.from_ical(built.path("events/calendar.ics").read_bytes())
    assert [str(e["SUMMARY"]) for e in ics.walk("VEVENT")] == [hostile]
    assert "<title>" + hostile.replace("<", "&lt;").replace(">", "&gt;") in built.text("events/feed.xml").replace(
        "&quot;", '"')
