"""Open data (divulga.write.open_data): the JSON files checked against the JSON Schemas
Divulga ships, the CSV read back with Python's csv module, and the data licence option.

The example site's content is loaded as the build loads it (divulga.read.loader); results
are built by hand (the example has none yet).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, site_config

from divulga import Language, Settings
from divulga.config_file import ConfigError, load_site_config, settings_from_config
from divulga.read.loader import load_content
from divulga.read.model import (RESULT_TYPES, Budget, Content, Localized, NewsVersion, Project, ResultFile,
                                ResultItem)
from divulga.write import open_data
from divulga.write.open_data import (PROJECTS_CSV, PROJECTS_JSON, SCHEMA_NAMES, event_record, events_json,
                                     licence_url, project_csv, project_json, project_record, projects_csv,
                                     projects_json, result_record, results_json, schema, site_data_files)

BUILD_DAY = dt.date(2024, 1, 1)
IT_EN = (Language("it", "Italiano", default=True), Language("en", "English"))
AMOUNTS = ("total_budget", "eu_contribution", "cofinancing_rate")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def example() -> tuple[Content, Settings]:
    """The example site's content and settings, built on BUILD_DAY."""
    settings = dataclasses.replace(load_site_config(ROOT / "mkdocs.yml", {}).settings, today=BUILD_DAY)
    content, problems = load_content(settings)
    assert [p for p in problems if p.severity == "error"] == []
    assert content.projects and content.events
    return content, settings


def validate(name: str, text: str) -> dict:
    """The document ``text`` parsed and checked against the shipped schema ``name``,
    formats (dates) included."""
    document = json.loads(text)
    validator = jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    assert errors == [], "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return document


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def small_settings(tmp_path: Path, **kwargs) -> Settings:
    return Settings(root=tmp_path, languages=IT_EN, content_dir=tmp_path / "content",
                    site_url="https://example.org/site/", site_name="Prova", today=BUILD_DAY, **kwargs)


def version(lang: str, title: str, summary: str = "Summary.", draft: bool = False) -> NewsVersion:
    return NewsVersion(lang=lang, source=f"content/results/x.{lang}.md", title=title, summary=summary, body="",
                       body_line=1, draft=draft)


# -- the schemas ---------------------------------------------------------------------------------------

def _objects(node, path=()):
    """Every schema object inside a schema, with where it is."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _objects(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, path + (index,))


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schemas_are_draft_2020_12_closed_and_documented(name):
    shipped = schema(name)
    assert shipped["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(shipped)
    for where, node in _objects(shipped):
        if "properties" in node and where[-1:] != ("properties",):
            assert node.get("additionalProperties") is False, where
            assert set(node["required"]) == set(node["properties"]), where  # always there, null when unknown
            for field, spec in node["properties"].items():
                assert spec.get("description"), (where, field)


def test_the_three_schemas_describe_the_same_metadata():
    # the list itself and the schema's own address aside, the same fields with the same descriptions
    tops = [{key: value for key, value in schema(name)["properties"].items() if key not in (name, "schema")}
            for name in SCHEMA_NAMES]
    assert tops[1:] == [tops[0]] * 2
    localized = schema("projects")["$defs"]["localized"]
    assert all(schema(name)["$defs"]["localized"] == localized for name in SCHEMA_NAMES)


def test_schemas_are_published_with_the_data_and_packaged(example):
    content, settings = example
    files = site_data_files(content, settings)
    for name in SCHEMA_NAMES:
        assert json.loads(files[f"data/schemas/{name}.schema.json"]) == schema(name)
    assert 'schemas/*.schema.json' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


# -- projects --------------------------------------------------------------------------------------------

def test_projects_json_validates_and_says_what_it_is(example):
    content, settings = example
    document = validate("projects", projects_json(content, settings))
    assert document["licence"] == "CC-BY-4.0"
    assert document["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert document["generated"] == "2024-01-01"
    assert document["site_url"] == "https://example.github.io/divulga/"
    assert document["languages"] == ["it", "en"] and document["default_language"] == "it"
    assert document["schema"] == "https://example.github.io/divulga/data/schemas/projects.schema.json"
    assert [record["id"] for record in document["projects"]] == sorted(content.projects)
    alp = next(record for record in document["projects"] if record["id"] == "s3-4alpclusters")
    assert alp["url"] == "https://example.github.io/divulga/projects/s3-4alpclusters/"
    assert alp["acronym"] == "S3-4AlpClusters"
    assert set(alp["title"]) == {"it", "en"} and alp["programme"]["en"] == "Interreg Alpine Space 2014-2020"
    assert (alp["fund"], alp["start_date"], alp["end_date"]) == ("ERDF", "2016-11-01", "2019-04-30")
    assert alp["status"] == "concluded" and alp["currency"] == "EUR"


def test_amounts_are_json_numbers_and_dates_iso(example):
    content, settings = example
    text = projects_json(content, settings)
    assert '"total_budget": 2521964,' in text  # a number in the file itself, not a string
    document = json.loads(text)
    alp = next(record for record in document["projects"] if record["id"] == "s3-4alpclusters")
    assert alp["total_budget"] == 2521964 and type(alp["total_budget"]) is int
    assert alp["eu_contribution"] == 1929500
    assert alp["cofinancing_rate"] == 76.51  # 1929500 / 2521964 x 100, two decimals
    for record in document["projects"]:
        for key in AMOUNTS:
            assert record[key] is None or type(record[key]) in (int, float), (record["id"], key)
        for key in ("start_date", "end_date"):
            if record[key] is not None:
                assert ISO_DATE.fullmatch(record[key]) and dt.date.fromisoformat(record[key])


def test_decimal_amounts_keep_their_cents(tmp_path):
    settings = small_settings(tmp_path)
    project = Project(id="p", source="content/projects/p.yaml", acronym="P", title=Localized({"it": "T"}),
                      programme=Localized({"it": "Prog"}), summary=Localized({"it": "S"}),
                      funding_statement="co-funded",
                      budget=Budget("EUR", Decimal("1000.50"), Decimal("800.4"), Decimal("80.0")))
    record = project_record(project, settings, BUILD_DAY)
    assert (record["total_budget"], record["eu_contribution"], record["cofinancing_rate"]) == (1000.5, 800.4, 80)
    assert type(record["cofinancing_rate"]) is int
    big = dataclasses.replace(project, budget=Budget(
        "EUR", Decimal("9999999999999.99"), Decimal("1234567890123.45"), Decimal("12.345678")))
    text = project_json(big, settings)
    assert '"total_budget": 9999999999999.99,' in text and '"eu_contribution": 1234567890123.45,' in text
    assert '"cofinancing_rate": 12.35,' in text
    assert '"currency": "EUR"' in text


@pytest.mark.parametrize("today, status", [(dt.date(2019, 12, 31), "planned"), (dt.date(2020, 1, 1), "ongoing"),
                                           (dt.date(2030, 12, 31), "ongoing"), (dt.date(2031, 1, 1), "concluded")])
def test_status_on_the_build_day(tmp_path, today, status):
    settings = dataclasses.replace(small_settings(tmp_path), today=today)
    project = Project(id="p", source="p.yaml", acronym="P", title=Localized({"it": "T"}),
                      programme=Localized({"it": "Prog"}), summary=Localized({"it": "S"}),
                      funding_statement="co-funded", start=dt.date(2020, 1, 1), end=dt.date(2030, 12, 31))
    assert json.loads(project_json(project, settings))["projects"][0]["status"] == status
    assert read_csv(project_csv(project, settings))[0]["status"] == status


def test_each_project_has_its_own_json_and_csv_record(example):
    content, settings = example
    files = site_data_files(content, settings)
    all_rows = read_csv(files[PROJECTS_CSV].decode("utf-8"))
    every = json.loads(files[PROJECTS_JSON])["projects"]
    for project_id in sorted(content.projects):
        one = validate("projects", files[f"data/projects/{project_id}.json"].decode("utf-8"))
        assert one["projects"] == [record for record in every if record["id"] == project_id]
        rows = read_csv(files[f"data/projects/{project_id}.csv"].decode("utf-8"))
        assert rows == [row for row in all_rows if row["id"] == project_id]


# -- the CSV ---------------------------------------------------------------------------------------------

def test_projects_csv_reads_back_one_row_per_project(example):
    content, settings = example
    text = projects_csv(content, settings)
    assert not text.startswith("\ufeff")  # no byte order mark (see the module's docstring)
    assert text.endswith("\r\n") and "\r\n" in text.split("\n", 1)[0] + "\n"
    rows = read_csv(text)
    assert [row["id"] for row in rows] == sorted(content.projects)
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert header == ["id", "url", "acronym", "title_it", "title_en", "programme_it", "programme_en", "fund",
                      "start_date", "end_date", "status", "currency", "total_budget", "eu_contribution",
                      "cofinancing_rate", "partners", "partner_countries", "website", "grant_agreement"]
    alp = next(row for row in rows if row["id"] == "s3-4alpclusters")
    assert float(alp["total_budget"]) == 2521964 and alp["total_budget"] == "2521964"
    assert alp["cofinancing_rate"] == "76.51" and alp["start_date"] == "2016-11-01"
    assert alp["title_en"] == content.projects["s3-4alpclusters"].title.values["en"]
    society = next(row for row in rows if row["id"] == "next-society")
    assert society["partners"].startswith("ANIMA Investment Network (FR, lead); France Clusters (FR, partner)")
    assert society["partner_countries"].split(";") == sorted(set(society["partner_countries"].split(";")))
    assert "FR" in society["partner_countries"].split(";")
    clus3 = next(row for row in rows if row["id"] == "clus3")
    assert clus3["total_budget"] == "" and clus3["status"] == ""  # null: an empty cell


def test_csv_columns_follow_the_configured_languages(tmp_path, example):
    content, settings = example
    three = dataclasses.replace(settings, languages=(Language("en", "English", default=True),
                                                     Language("it", "Italiano"), Language("fr", "Français")))
    header = next(csv.reader(io.StringIO(projects_csv(content, three), newline="")))
    assert [name for name in header if name.startswith(("title_", "programme_"))] == \
           ["title_en", "title_it", "title_fr", "programme_en", "programme_it", "programme_fr"]
    rows = read_csv(projects_csv(content, three))
    assert all(row["title_fr"] == "" for row in rows)  # no French title written: an empty cell
    urls = [row["url"] for row in rows]
    assert all("/en/" not in url for url in urls)  # the default language (English here) is at the root


HOSTILE = """\
acronym: "=cmd|' /C calc'!A0"
title:
  it: "Titolo, con \\"virgolette\\"; e punto e virgola\\nsu due righe"
  en: "+SUM(1;2)"
programme: {it: "@programma", en: "-meno"}
summary: "Testo <b>grassetto</b> e \\"virgolette\\", fine"
partners:
  - name: "=HYPERLINK(\\"https://evil.example\\",\\"click\\")"
    country: IT
    role: lead
  - name: "Rossi, Bianchi & C. (società)"
    country: FR
budget: {total: 1000.5, eu_contribution: 800.4}
start: 2020-01-01
end: 2030-12-31
grant_agreement: "-1"
website: "https://example.org/?a=1&b=x"
"""


def test_hostile_text_survives_and_never_becomes_a_formula(tmp_path):
    (tmp_path / "content" / "projects").mkdir(parents=True)
    (tmp_path / "content" / "projects" / "evil.yaml").write_text(HOSTILE, encoding="utf-8")
    settings = small_settings(tmp_path)
    content, problems = load_content(settings)
    assert [p for p in problems if p.severity == "error"] == [] and "evil" in content.projects
    # JSON: every text exactly as written
    record = validate("projects", projects_json(content, settings))["projects"][0]
    assert record["acronym"] == "=cmd|' /C calc'!A0"
    assert record["title"]["it"] == 'Titolo, con "virgolette"; e punto e virgola\nsu due righe'
    assert record["partners"][0]["name"]["it"] == '=HYPERLINK("https://evil.example","click")'
    assert record["grant_agreement"] == "-1" and record["total_budget"] == 1000.5
    # CSV: one row still, every cell where it belongs, formulas turned into text
    (row,) = read_csv(projects_csv(content, settings))
    assert row["acronym"] == "'=cmd|' /C calc'!A0"
    assert row["title_it"] == 'Titolo, con "virgolette"; e punto e virgola\nsu due righe'
    assert row["title_en"] == "'+SUM(1;2)"
    assert (row["programme_it"], row["programme_en"]) == ("'@programma", "'-meno")
    assert row["partners"] == ("'=HYPERLINK(\"https://evil.example\",\"click\") (IT, lead); "
                               "Rossi, Bianchi & C. (società) (FR, partner)")
    assert row["grant_agreement"] == "'-1"
    assert row["website"] == "https://example.org/?a=1&b=x"
    assert row["total_budget"] == "1000.5" and row["cofinancing_rate"] == "80"  # numbers are never prefixed
    for cell in row.values():
        assert not cell.startswith(open_data.CSV_FORMULA_START)


# -- determinism -----------------------------------------------------------------------------------------

def test_same_content_same_bytes(example):
    content, settings = example
    first = site_data_files(content, settings)
    assert site_data_files(content, settings) == first
    assert list(first) == sorted(first) and all(path.startswith("data/") for path in first)
    # the order the sheets were read in does not matter
    shuffled = dataclasses.replace(content, projects=dict(reversed(list(content.projects.items()))),
                                   events=tuple(reversed(content.events)))
    assert site_data_files(shuffled, settings) == first
    # nor the clock: only the build date shows, and it comes from the settings
    later = dataclasses.replace(settings, today=dt.date(2030, 6, 1))
    assert json.loads(site_data_files(content, later)[PROJECTS_JSON])["generated"] == "2030-06-01"
    for data in first.values():
        data.decode("utf-8")  # UTF-8 throughout
    assert "Torino" in first["data/events.json"].decode("utf-8")
    assert b"\\u00" not in first[PROJECTS_JSON]  # ensure_ascii=False: accented letters as they are


def test_site_data_files_and_sitemap(example):
    content, settings = example
    files = site_data_files(content, settings)
    assert {"data/projects.json", "data/projects.csv", "data/events.json", "data/results.json"} <= set(files)
    assert {f"data/projects/{key}.json" for key in content.projects} <= set(files)
    assert {f"data/projects/{key}.csv" for key in content.projects} <= set(files)
    entries = open_data.sitemap_entries(settings, files)
    assert [entry.url for entry in entries] == \
           [f"https://example.github.io/divulga/{path}" for path in sorted(files)]
    assert all(entry.lastmod is None and not entry.alternates for entry in entries)


# -- events ------------------------------------------------------------------------------------------------

def test_events_json_validates_with_iso_dates_and_offsets(example):
    content, settings = example
    document = validate("events", events_json(content, settings))
    events = document["events"]
    soonest = sorted(content.events, key=lambda event: (event.first_day, event.slug))
    assert [record["id"] for record in events] == [event.slug for event in soonest]
    for record in events:
        if record["all_day"]:
            assert ISO_DATE.fullmatch(record["start"])
        else:
            start = dt.datetime.fromisoformat(record["start"])
            assert start.utcoffset() is not None, record["id"]
            assert dt.datetime.fromisoformat(record["end"]).utcoffset() is not None
        assert record["url"] == f"https://example.github.io/divulga/events/{record['id']}/"
    torino = next(e for e in events if e["id"] == "2023-09-21-cluster-booster-academy-torino")
    assert (torino["start"], torino["end"], torino["all_day"]) == ("2023-09-21", "2023-09-22", True)
    assert torino["venue"]["city"] == {"it": "Torino", "en": "Turin"} and torino["venue"]["country"] == "IT"
    assert torino["projects"] == ["cluster-booster-academy"]
    timed = next(e for e in events if e["id"] == "2027-05-12-colazione-networking-esempio")
    assert timed["start"] == "2027-05-12T08:30:00+02:00" and timed["status"] == "moved_online"


def test_a_draft_event_version_is_left_out(example):
    content, settings = example
    event = next(e for e in content.events if e.slug == "2023-09-21-cluster-booster-academy-torino")
    half = dataclasses.replace(event, versions={**event.versions,
                                                "en": dataclasses.replace(event.versions["en"], draft=True)})
    assert set(event_record(half, settings)["title"]) == {"it"}
    hidden = dataclasses.replace(half, versions={code: dataclasses.replace(v, draft=True)
                                                 for code, v in half.versions.items()})
    document = json.loads(events_json(dataclasses.replace(content, events=(hidden,)), settings))
    assert document["events"] == []


# -- results -----------------------------------------------------------------------------------------------

def _results() -> tuple[ResultItem, ...]:
    guide = ResultItem(
        slug="guida-cluster", date=dt.date(2024, 3, 1), type="guide",
        versions={"it": version("it", "Guida per i cluster, \"pratica\""),
                  "en": version("en", "A guide for clusters")},
        files=(ResultFile(file="guida.pdf", lang="it", size=123456), ResultFile(file="guide.docx", lang="en"),
               ResultFile(url="https://zenodo.org/records/1234567")),
        deliverable="D3.2", work_package="WP3", authors=("Anna Rossi", "=Mallory"), licence="CC-BY-4.0",
        doi="10.5281/zenodo.1234567", tags=("training",), projects=("s3-4alpclusters",))
    report = ResultItem(slug="rapporto", date=dt.date(2023, 5, 2), type="report",
                        versions={"it": version("it", "Rapporto")})
    draft = ResultItem(slug="bozza", date=dt.date(2024, 1, 1), type="dataset",
                       versions={"it": version("it", "Bozza", draft=True)})
    return guide, report, draft


def test_results_json_validates(tmp_path):
    settings = small_settings(tmp_path)
    content = Content(results=_results())
    document = validate("results", results_json(content, settings, sizes={"guide.docx": 2048, "guida.pdf": 1}))
    assert [r["id"] for r in document["results"]] == ["rapporto", "guida-cluster"]  # oldest first, no drafts
    guide = document["results"][1]
    assert guide["url"] == "https://example.org/site/results/guida-cluster/"
    assert guide["title"] == {"it": "Guida per i cluster, \"pratica\"", "en": "A guide for clusters"}
    assert guide["date"] == "2024-03-01" and guide["type"] == "guide"
    assert guide["files"] == [
        {"url": "https://example.org/site/media/guida.pdf", "format": "PDF", "language": "it", "size": 123456},
        {"url": "https://example.org/site/media/guide.docx", "format": "DOCX", "language": "en", "size": 2048},
        {"url": "https://zenodo.org/records/1234567", "format": None, "language": None, "size": None},
    ]
    assert guide["authors"] == ["Anna Rossi", "=Mallory"]  # JSON keeps text as written
    assert (guide["deliverable"], guide["work_package"], guide["licence"], guide["doi"]) == \
           ("D3.2", "WP3", "CC-BY-4.0", "10.5281/zenodo.1234567")
    report = document["results"][0]
    assert report["files"] == [] and report["title"] == {"it": "Rapporto"} and report["doi"] is None
    assert set(schema("results")["$defs"]["result"]["properties"]["type"]["enum"]) == set(RESULT_TYPES)


def test_the_example_results_validate(example):
    content, settings = example
    document = validate("results", results_json(content, settings))
    assert len(document["results"]) == sum(1 for result in content.results if result.is_visible)
    for record in document["results"]:
        assert record["url"] == f"https://example.github.io/divulga/results/{record['id']}/"
        assert all(item["size"] is None or type(item["size"]) is int for item in record["files"])


def test_result_record_without_sizes(tmp_path):
    record = result_record(_results()[0], small_settings(tmp_path))
    assert [f["size"] for f in record["files"]] == [123456, None, None]


# -- the data licence ------------------------------------------------------------------------------------

def test_data_licence_defaults_to_cc_by_4(tmp_path):
    settings = settings_from_config(site_config(), ROOT, {})
    assert settings.data_licence == "CC-BY-4.0"
    assert small_settings(tmp_path).data_licence == "CC-BY-4.0"


@pytest.mark.parametrize("written, licence, url", [
    ("CC0-1.0", "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    ("cc-by-sa-4.0", "CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ("CC-BY-3.0-DE", "CC-BY-3.0-DE", "https://creativecommons.org/licenses/by/3.0/de/"),
    ("CC-BY-NC-SA-3.0-IGO", "CC-BY-NC-SA-3.0-IGO", "https://creativecommons.org/licenses/by-nc-sa/3.0/igo/"),
    ("ODbL-1.0", "ODbL-1.0", "https://spdx.org/licenses/ODbL-1.0.html"),
    ("etalab-2.0", "etalab-2.0", "https://spdx.org/licenses/etalab-2.0.html"),
])
def test_a_configured_data_licence_is_used(example, written, licence, url):
    content, _ = example
    settings = settings_from_config(site_config(extra={"data_licence": written}), ROOT, {})
    assert settings.data_licence == licence and licence_url(licence) == url
    for name, text in (("projects", projects_json(content, settings)), ("events", events_json(content, settings)),
                       ("results", results_json(content, settings))):
        document = validate(name, text)
        assert (document["licence"], document["licence_url"]) == (licence, url)


@pytest.mark.parametrize("written, message", [
    ("CC BY 4.0", ("'CC BY 4.0' is not an SPDX licence identifier; did you mean CC-BY-4.0? Write the licence's "
                   "SPDX identifier (https://spdx.org/licenses/), e.g. CC-BY-4.0 or CC0-1.0")),
    ("Creative Commons", ("'Creative Commons' is not an SPDX licence identifier. Write the licence's SPDX "
                          "identifier (https://spdx.org/licenses/), e.g. CC-BY-4.0 or CC0-1.0")),
    (4.0, "write the licence's SPDX identifier (https://spdx.org/licenses/), e.g. CC-BY-4.0 or CC0-1.0, not 4.0"),
    ("", "write the licence's SPDX identifier (https://spdx.org/licenses/), e.g. CC-BY-4.0 or CC0-1.0, not ''"),
])
def test_a_bad_data_licence_is_a_problem_at_its_line(tmp_path, written, message):
    config = site_config(extra={"data_licence": written}, docs_dir=str(ROOT / "docs"))
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (tmp_path / "content").mkdir()
    with pytest.raises(ConfigError) as raised:
        load_site_config(path, {})
    (problem,) = raised.value.problems
    number = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if text.strip().startswith("data_licence:"))
    assert str(problem) == f"mkdocs.yml:{number}: extra.divulga.data_licence: {message}"


# -- the documentation -------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["open-data.it.md", "open-data.en.md"])
def test_every_field_is_documented_with_links_to_the_files(page):
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    for name in SCHEMA_NAMES:
        for where, node in _objects(schema(name)):
            for field in node.get("properties", {}) if where[-1:] != ("properties",) else ():
                assert f"`{field}`" in text, (page, name, field)
    for path in ("data/projects.json", "data/projects.csv", "data/events.json", "data/results.json"):
        assert f"]({path})" in text, (page, path)  # relative to docs/, as MkDocs resolves every page's links
    for column in ("title_it", "title_en", "programme_it", "partner_countries"):
        assert f"`{column}`" in text
    assert "keep.eu" in text and "Kohesio" in text and "CC BY 4.0" in text and "data_licence" in text
