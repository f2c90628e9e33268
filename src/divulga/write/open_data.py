"""Open data: the site's projects, events and results as JSON and CSV files.

Beside its pages, a site publishes what it knows in forms a program can read:

- ``data/projects.json`` and ``data/projects.csv``: every project sheet;
- ``data/projects/<id>.json`` and ``.csv``: one sheet each, which the sheet links to;
- ``data/events.json``: the published events;
- ``data/results.json``: the published results (outputs) of the projects;
- ``data/schemas/<name>.schema.json``: the JSON Schemas (draft 2020-12) that document
  and check every field; Divulga ships them in ``divulga/schemas``.

The field names follow keep.eu's data exchange format (the JSON file Interreg programmes
send to keep.eu) and the labels of Kohesio where they have an equivalent; the pages
``docs/open-data.*.md`` give the mapping field by field. The choices a reader of the
files may rely on:

- numbers are JSON numbers, never text: amounts in the currency's units with up to
  two decimals (an integer when whole), the co-financing rate in percent, rounded to
  two decimals;
- dates are ISO 8601 (``2023-09-21``), times carry their offset from UTC
  (``2027-05-12T08:30:00+02:00``);
- every field is always there, ``null`` when the sheet does not give it;
- texts written per language are objects ``{"it": ..., "en": ...}`` with the site's
  languages that have them; in the CSV, one column per language (``title_it``);
- only what the site publishes: no drafts;
- the same content and build date give the same bytes: a fixed order of records
  (projects by id, events and results by date, then id) and of fields, and the build
  date (``Settings.today``, from SOURCE_DATE_EPOCH) as ``generated``, never the clock.

The CSV is UTF-8 without a byte order mark, comma-separated, with a header row and
CRLF line ends (RFC 4180). No BOM: programs (Python's csv, R, pandas, LibreOffice)
read the first column's name as written, and Excel must be told the encoding in its
import dialog anyway, since a European locale splits on semicolons, not commas.
Text cells that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a
leading ``'``, as OWASP's guidance on CSV injection says, so that no spreadsheet runs
them as a formula; numbers are written as they are.

Every function here is pure: the build adapter calls ``site_data_files`` and writes
what it returns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from typing import Any

from divulga import urls
from divulga.read.model import Content, EventItem, Localized, Partner, Project, ResultFile, ResultItem, Venue
from divulga.settings import Settings
from divulga.write.sitemap import SitemapEntry

__all__ = ["CSV_FORMULA_START", "EVENTS_JSON", "PROJECTS_CSV", "PROJECTS_JSON", "RESULTS_JSON", "SCHEMA_NAMES",
           "event_record", "events_json", "licence_url", "metadata", "project_csv", "project_csv_path",
           "project_json", "project_json_path", "project_record", "projects_csv", "projects_json",
           "result_record", "results_json", "schema", "schema_path", "schema_text", "site_data_files",
           "sitemap_entries"]

# Where the files are, relative to the site's root (divulga.urls): written once for every language.
PROJECTS_JSON = urls.data_file("projects.json")
PROJECTS_CSV = urls.data_file("projects.csv")
EVENTS_JSON = urls.data_file("events.json")
RESULTS_JSON = urls.data_file("results.json")

SCHEMA_NAMES = ("projects", "events", "results")
# The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CENTS = Decimal("0.01")
# Creative Commons licences as SPDX names them, and the path of their deed.
_CREATIVE_COMMONS = re.compile(r"CC-(BY(?:-NC)?(?:-ND|-SA)?)-(\d\.\d)(?:-([A-Z]{2}|IGO))?")


# -- paths ----------------------------------------------------------------------------------------

def project_json_path(project_id: str) -> str:
    """One project's JSON record: "data/projects/<id>.json"."""
    return urls.project_data(project_id, "json")


def project_csv_path(project_id: str) -> str:
    """One project's CSV record: "data/projects/<id>.csv"."""
    return urls.project_data(project_id, "csv")


def schema_path(name: str) -> str:
    """Where a schema is published, beside the data: "data/schemas/projects.schema.json"."""
    return urls.data_file(f"schemas/{name}.schema.json")


# -- the shipped schemas ----------------------------------------------------------------------------

def schema_text(name: str) -> str:
    """The JSON Schema of ``name`` (one of SCHEMA_NAMES) as Divulga ships it."""
    if name not in SCHEMA_NAMES:
        raise KeyError(name)
    return resources.files("divulga").joinpath("schemas", f"{name}.schema.json").read_text(encoding="utf-8")


def schema(name: str) -> dict:
    """The JSON Schema of ``name``, parsed."""
    return json.loads(schema_text(name))


# -- values -------------------------------------------------------------------------------------------

def licence_url(spdx_id: str) -> str:
    """Where a licence named by its SPDX identifier can be read: Creative Commons'
    own deed for its licences, SPDX's page for any other."""
    if spdx_id == "CC0-1.0":
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    match = _CREATIVE_COMMONS.fullmatch(spdx_id)
    if match:
        kind, version, port = match.groups()
        deed = f"https://creativecommons.org/licenses/{kind.lower()}/{version}/"
        return deed + (f"{port.lower()}/" if port else "")
    return f"https://spdx.org/licenses/{spdx_id}.html"


def _amount(value: Decimal | None) -> int | float | None:
    """Money or a percentage as a JSON number: rounded to cents (half up), an integer when
    whole. Below ten thousand billion (the sheets' limit) that is at most 15 significant
    digits, which a float holds and writes back exactly."""
    if value is None:
        return None
    cents = value.quantize(_CENTS, rounding=ROUND_HALF_UP)
    return int(cents) if cents == cents.to_integral_value() else float(cents)


def _date(value: dt.date | dt.datetime | None) -> str | None:
    """ISO 8601: "2023-09-21", or "2023-09-21T09:30:00+02:00" for a time (always with its offset)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime) and value.utcoffset() is None:
        raise ValueError(f"{value} has no time zone: an open-data time needs its offset from UTC")
    return value.isoformat()


def _texts(text: Localized | None, settings: Settings) -> dict[str, str] | None:
    """A text written per language, with the site's languages that have it, default first."""
    if text is None:
        return None
    return {code: text.values[code] for code in _languages(settings) if code in text.values}


def _languages(settings: Settings) -> tuple[str, ...]:
    """The site's language codes, the default first."""
    default = settings.default_language.code
    return (default, *(code for code in settings.codes if code != default))


def _published(item: EventItem | ResultItem, settings: Settings, field: str) -> dict[str, str]:
    """A text of the published versions of an item, per language (drafts are left out)."""
    values = {}
    for code in _languages(settings):
        version = item.published(code)
        if version is not None:
            values[code] = getattr(version, field)
    return values


# -- records ------------------------------------------------------------------------------------------

def project_record(project: Project, settings: Settings, today: dt.date) -> dict[str, Any]:
    """One project sheet as open data; ``today`` decides its status (planned, ongoing, concluded)."""
    budget = project.budget
    return {
        "id": project.id,
        "url": settings.absolute(urls.project(settings.default_language.prefix, project.id)),
        "acronym": project.acronym,
        "title": _texts(project.title, settings),
        "summary": _texts(project.summary, settings),
        "programme": _texts(project.programme, settings),
        "fund": project.fund,
        "start_date": _date(project.start),
        "end_date": _date(project.end),
        "status": project.status(today),
        "currency": budget.currency if budget else None,
        "total_budget": _amount(budget.total) if budget else None,
        "eu_contribution": _amount(budget.eu_contribution) if budget else None,
        "cofinancing_rate": _amount(budget.cofunding_rate) if budget else None,
        "grant_agreement": project.grant_agreement,
        "website": project.website,
        "partners": [_partner(partner, settings) for partner in project.partners],
        "tags": list(project.tags),
    }


def _partner(partner: Partner, settings: Settings) -> dict[str, Any]:
    return {"name": _texts(partner.name, settings), "country": partner.country, "role": partner.role,
            "website": partner.url}


def event_record(event: EventItem, settings: Settings) -> dict[str, Any]:
    """One event as open data: its published versions' texts, its facts."""
    return {
        "id": event.slug,
        "url": settings.absolute(urls.event(settings.default_language.prefix, event.slug)),
        "title": _published(event, settings, "title"),
        "summary": _published(event, settings, "summary"),
        "start": _date(event.start),
        "end": _date(event.end),
        "all_day": event.all_day,
        "timezone": event.timezone,
        "attendance": event.attendance,
        "status": event.status,
        "venue": _venue(event.venue, settings),
        "online_url": event.online_url,
        "registration_url": event.registration_url,
        "projects": list(event.projects),
        "tags": list(event.tags),
    }


def _venue(venue: Venue | None, settings: Settings) -> dict[str, Any] | None:
    if venue is None:
        return None
    return {"name": _texts(venue.name, settings), "address": _texts(venue.address, settings),
            "city": _texts(venue.city, settings), "country": venue.country}


def result_record(result: ResultItem, settings: Settings,
                  sizes: Mapping[str, int] | None = None) -> dict[str, Any]:
    """One result as open data. ``sizes`` gives the size in bytes of media files (by their
    path under the media folder) whose ResultFile does not carry it."""
    return {
        "id": result.slug,
        "url": settings.absolute(urls.result(settings.default_language.prefix, result.slug)),
        "type": result.type,
        "date": _date(result.date),
        "title": _published(result, settings, "title"),
        "summary": _published(result, settings, "summary"),
        "deliverable": result.deliverable,
        "work_package": result.work_package,
        "authors": list(result.authors),
        "licence": result.licence,
        "doi": result.doi,
        "files": [_file(item, settings, sizes or {}) for item in result.files],
        "projects": list(result.projects),
        "tags": list(result.tags),
    }


def _file(item: ResultFile, settings: Settings, sizes: Mapping[str, int]) -> dict[str, Any]:
    if item.file is None:  # a link
        return {"url": item.url, "format": None, "language": item.lang, "size": None}
    size = item.size if item.size is not None else sizes.get(item.file)
    return {"url": settings.absolute(urls.media(item.file)), "format": item.format, "language": item.lang,
            "size": size}


# -- documents ------------------------------------------------------------------------------------------

def metadata(settings: Settings, name: str, generated: dt.date | None = None) -> dict[str, Any]:
    """What every JSON file says about itself: the site, the licence, the build date,
    the languages and its schema (``name``: one of SCHEMA_NAMES)."""
    return {
        "site_name": settings.site_name,
        "site_url": settings.site_url,
        "licence": settings.data_licence,
        "licence_url": licence_url(settings.data_licence),
        "generated": (generated or settings.today).isoformat(),
        "languages": list(_languages(settings)),
        "default_language": settings.default_language.code,
        "schema": settings.absolute(schema_path(name)),
    }


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _projects(content: Content) -> list[Project]:
    return [content.projects[key] for key in sorted(content.projects)]


def projects_json(content: Content, settings: Settings, generated: dt.date | None = None) -> str:
    """data/projects.json: every project sheet, by id."""
    today = generated or settings.today
    records = [project_record(project, settings, today) for project in _projects(content)]
    return _json({**metadata(settings, "projects", today), "projects": records})


def project_json(project: Project, settings: Settings, generated: dt.date | None = None) -> str:
    """data/projects/<id>.json: one sheet, as projects.json writes it (a list of one), so
    that one schema describes both."""
    today = generated or settings.today
    return _json({**metadata(settings, "projects", today), "projects": [project_record(project, settings, today)]})


def events_json(content: Content, settings: Settings, generated: dt.date | None = None) -> str:
    """data/events.json: every published event, the earliest first."""
    events = sorted((event for event in content.events if event.is_visible),
                    key=lambda event: (event.first_day, _date(event.start), event.slug))
    records = [event_record(event, settings) for event in events]
    return _json({**metadata(settings, "events", generated), "events": records})


def results_json(content: Content, settings: Settings, generated: dt.date | None = None,
                 sizes: Mapping[str, int] | None = None) -> str:
    """data/results.json: every published result, the oldest first."""
    results = sorted((result for result in content.results if result.is_visible),
                     key=lambda result: (result.date, result.slug))
    records = [result_record(result, settings, sizes) for result in results]
    return _json({**metadata(settings, "results", generated), "results": records})


# -- CSV ------------------------------------------------------------------------------------------------

def _header(settings: Settings) -> list[str]:
    codes = _languages(settings)
    return ["id", "url", "acronym", *(f"title_{code}" for code in codes), *(f"programme_{code}" for code in codes),
            "fund", "start_date", "end_date", "status", "currency", "total_budget", "eu_contribution",
            "cofinancing_rate", "partners", "partner_countries", "website", "grant_agreement"]


def _cell(value: Any) -> str:
    """A value as a CSV cell: numbers as JSON writes them, nothing for null, text guarded
    against spreadsheet formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


def _row(record: dict[str, Any], settings: Settings) -> list[str]:
    codes = _languages(settings)
    default = settings.default_language.code
    partners = "; ".join(f"{_in(partner['name'], default)} ({partner['country']}, {partner['role']})"
                         for partner in record["partners"])
    countries = ";".join(sorted({partner["country"] for partner in record["partners"]}))
    values = [record["id"], record["url"], record["acronym"],
              *(record["title"].get(code) for code in codes), *(record["programme"].get(code) for code in codes),
              record["fund"], record["start_date"], record["end_date"], record["status"], record["currency"],
              record["total_budget"], record["eu_contribution"], record["cofinancing_rate"], partners, countries,
              record["website"], record["grant_agreement"]]
    return [_cell(value) for value in values]


def _in(texts: dict[str, str], default: str) -> str:
    """A text in the default language (always there for sheets), else the first one."""
    return texts.get(default) or next(iter(texts.values()), "")


def _csv(records: Iterable[dict[str, Any]], settings: Settings) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(_header(settings))
    for record in records:
        writer.writerow(_row(record, settings))
    return out.getvalue()


def projects_csv(content: Content, settings: Settings, generated: dt.date | None = None) -> str:
    """data/projects.csv: one row per project sheet, by id, under a header row."""
    today = generated or settings.today
    return _csv((project_record(project, settings, today) for project in _projects(content)), settings)


def project_csv(project: Project, settings: Settings, generated: dt.date | None = None) -> str:
    """data/projects/<id>.csv: the header row and the project's row."""
    return _csv([project_record(project, settings, generated or settings.today)], settings)


# -- the site's files -------------------------------------------------------------------------------------

def site_data_files(content: Content, settings: Settings, generated: dt.date | None = None,
                    sizes: Mapping[str, int] | None = None) -> dict[str, bytes]:
    """Every open-data file of the site, by site-relative path, as UTF-8 bytes to write
    as they are (the CSV's CRLF line ends included), sorted by path."""
    files = {
        PROJECTS_JSON: projects_json(content, settings, generated),
        PROJECTS_CSV: projects_csv(content, settings, generated),
        EVENTS_JSON: events_json(content, settings, generated),
        RESULTS_JSON: results_json(content, settings, generated, sizes),
    }
    for project in _projects(content):
        files[project_json_path(project.id)] = project_json(project, settings, generated)
        files[project_csv_path(project.id)] = project_csv(project, settings, generated)
    for name in SCHEMA_NAMES:
        files[schema_path(name)] = schema_text(name)
    return {path: files[path].encode("utf-8") for path in sorted(files)}


def sitemap_entries(settings: Settings, paths: Iterable[str]) -> list[SitemapEntry]:
    """The sitemap's entries for the data files at ``paths`` (the keys of site_data_files):
    one address each, no language alternates (a file serves every language), and no
    lastmod (the sitemap gives when content changed, never the build time)."""
    return [SitemapEntry(url=settings.absolute(path)) for path in sorted(paths)]
