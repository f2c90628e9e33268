"""The declared schemas: one declaration per content type drives validation,
the scaffolds of `divulga new` and the translation report (divulga.read.schema)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from divulga.read import schema as s
from divulga.read.model import Budget, Localized, Partner, Project
from divulga.read.schema import (
    BUDGET,
    CONTACT,
    CONTENT_TYPES,
    NEWS,
    PARTNER,
    PROJECT,
    TAG,
    Field,
    Schema,
    describe,
    localized_fields,
    localized_values,
    validate,
)
from divulga.read.yamlsource import parse_mapping
from divulga.settings import Language, Settings

IT_EN = ("it", "en")
HELP = {"it": "aiuto", "en": "help"}


def read(kind: s.FieldType, value, *, languages=IT_EN, references=None, required=False):
    """One value of ``kind`` validated through a one-field schema: (value, ["field: message", ...])."""
    values, problems = validate(Schema("toy", (Field("f", kind, HELP, required=required),)), {"f": value},
                                languages=languages, references=references)
    return values["f"], [f"{p.field}: {p.message}" for p in problems]


def accepted(kind: s.FieldType, value, **options):
    result, problems = read(kind, value, **options)
    assert problems == [], problems
    return result


def refused(kind: s.FieldType, value, **options) -> list[str]:
    result, problems = read(kind, value, **options)
    assert result is s.INVALID and problems
    return problems


# -- one test per field type: what it accepts, what it refuses and says ----------------

def test_text():
    assert accepted(s.Text(), "  Titolo ") == "Titolo"
    assert accepted(s.Text(numbers=True), 2030) == "2030"
    assert refused(s.Text(), 2030) == ["f: must be some text"]
    assert refused(s.Text(), ["a"]) == ["f: must be some text"]
    assert read(s.Text(), "   ") == (None, [])  # empty: as if not written
    assert read(s.Text(), "  ", required=True) == (s.INVALID, ["f: required: help"])


def test_localized():
    assert accepted(s.Localized(), {"it": " Titolo ", "en": "Title"}) == Localized({"it": "Titolo", "en": "Title"})
    assert accepted(s.Localized(), "Same") == Localized({"it": "Same", "en": "Same"})
    assert accepted(s.Localized(), {"it": "Solo", "en": None}).missing(IT_EN) == ("en",)  # to translate
    assert refused(s.Localized(), {"en": "Title"}) == [
        "f: the default language (it) is required; other languages fall back to it"]
    assert read(s.Localized(), {"it": "T", "fr": "Titre"})[1] == [
        "f.fr: language 'fr' is not configured (configured: it, en)"]
    assert read(s.Localized(), {"it": "T", "en": 5})[1] == ["f.en: must be some text"]
    assert refused(s.Localized(), ["a"]) == ["f: write a text, or one text per language: {it: ..., en: ...}"]
    # the tag vocabulary's kind: other languages are a warning, the default is not required
    label, problems = read(s.Localized(require_default=False, other_languages=s.WARNING), {"en": "Training",
                                                                                         "de": "Schulung"})
    assert label == Localized({"en": "Training"})
    assert problems == ["f.de: language 'de' is not configured (configured: it, en); this text is not used"]


def test_markdown():
    assert accepted(s.Markdown(), "Il progetto *S3* e [il sito](https://e.org)") == \
        "Il progetto *S3* e [il sito](https://e.org)"
    _, problems = read(s.Markdown(), "[bad](javascript:alert(1)) ![p](https://t.example/p.gif)")
    assert any(p.startswith("f: 'javascript:alert(1': links start with https://") for p in problems)
    assert any("images from other sites" in p for p in problems)
    # a localized Markdown text is scanned in every language
    _, problems = read(s.Localized(s.Markdown()), {"it": "ok", "en": "[x](data:text/html,hi)"})
    assert len(problems) == 1 and problems[0].startswith("f: 'data:text/html,hi': links start with")


def test_date():
    assert accepted(s.Date(), dt.date(2023, 9, 21)) == dt.date(2023, 9, 21)
    assert accepted(s.Date(), "2023-09-21") == dt.date(2023, 9, 21)
    assert refused(s.Date(example="2016-11-01"), "21/09/2023") == [
        "f: '21/09/2023' is not a date: write it as YYYY-MM-DD, e.g. 2016-11-01"]
    assert refused(s.Date(), dt.datetime(2023, 9, 21, 9, 30))[0].startswith("f: '2023-09-21 09:30:00' is not a date")


def test_datetime():
    kind = s.DateTime()
    assert accepted(kind, "2023-09-21 09:30") == dt.datetime(2023, 9, 21, 9, 30)
    assert accepted(kind, "2023-09-21T09:30:15") == dt.datetime(2023, 9, 21, 9, 30, 15)
    assert accepted(kind, "2023-09-21") == dt.date(2023, 9, 21)  # a whole day
    assert accepted(kind, "2023-09-21 09:30+02:00") == \
        dt.datetime(2023, 9, 21, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    # YAML reads a time with seconds as a timestamp itself
    doc, problems = parse_mapping("start: 2023-09-21 09:30:00\nend: 2023-09-21 17:00:00 +01:00\n", path="e.yaml")
    assert problems == []
    assert accepted(kind, doc.data["start"]) == dt.datetime(2023, 9, 21, 9, 30)
    assert accepted(kind, doc.data["end"]).utcoffset() == dt.timedelta(hours=1)
    # in the event's time zone when written without an offset
    rome = accepted(s.DateTime(timezone="Europe/Rome"), "2023-09-21 09:30")
    assert rome.utcoffset() == dt.timedelta(hours=2) and rome.tzname() == "CEST"
    for wrong in ("21/09/2023 9:30", "2023-09-21 25:00", "2023-02-30 10:00", "2023-09-21+02:00", 930):
        assert refused(kind, wrong) == [f"f: '{wrong}' is not a date and time: write it as YYYY-MM-DD HH:MM, "
                                        "e.g. 2023-09-21 09:30"]


def test_amount():
    assert accepted(s.Amount(), 2521964) == Decimal(2521964)
    assert accepted(s.Amount(), 76.5) == Decimal("76.5")
    assert refused(s.Amount(), "2.521.964") == [
        "f: '2.521.964' is text: write a number without thousands separators or currency, e.g. 2521964"]
    assert refused(s.Amount(), -5) == ["f: must not be negative"]
    assert refused(s.Amount(), float("nan")) == ["f: 'nan' is not an amount: write a number, e.g. 1929500"]
    assert refused(s.Amount(), 10 ** 14) == ["f: 100,000,000,000,000 is more than any project's budget: "
                                             "check the digits"]
    assert refused(s.Amount(), True) == ["f: must be a number"]


def test_url():
    assert accepted(s.Url(), " https://www.hslu.ch/ ") == "https://www.hslu.ch/"
    assert accepted(s.Url(), "http://example.org") == "http://example.org"
    assert refused(s.Url(https_only=True), "http://example.org") == [
        "f: write a full web address starting with https://"]
    assert refused(s.Url(), "www.example.org") == ["f: write a full web address starting with https://"]
    assert refused(s.Url(), "javascript:alert(1)") == ["f: write a full web address starting with https://"]


def test_email():
    assert accepted(s.Email(), "office@example.org") == "office@example.org"
    assert refused(s.Email(), "office at example.org") == ["f: 'office at example.org' is not an e-mail address"]


def test_country():
    assert accepted(s.Country(), "ch") == "CH"
    assert refused(s.Country(), "XX") == [
        "f: unknown country code 'XX': use the ISO 3166-1 two-letter code, e.g. IT, FR, CH"]
    assert refused(s.Country(), "ITA")[0].startswith("f: unknown country code 'ITA'")


def test_enum():
    role = s.Enum(("lead", "partner", "associated"))
    assert accepted(role, "lead") == "lead"
    values, problems = validate(Schema("toy", (Field("role", role, HELP),)), {"role": "boss"})
    assert [p.message for p in problems] == ["unknown role 'boss': use lead, partner, associated"]


def test_list():
    texts = s.ListOf(s.Localized())
    assert accepted(texts, ["One", {"it": "Due", "en": "Two"}]) == (
        Localized({"it": "One", "en": "One"}), Localized({"it": "Due", "en": "Two"}))
    assert refused(texts, "just one text") == ["f: write a list: one `- ` line per entry"]
    assert refused(texts, ["ok", " "]) == ["f[2]: must not be empty"]
    assert read(texts, None) == ((), [])  # left out: an empty list


def test_reference():
    keys = s.ListOf(s.Reference(TAG), single=True, unique=True, numbered=False)
    known = {"tag": frozenset({"training", "networking"})}
    assert accepted(keys, ["training", "networking"], references=known) == ("training", "networking")
    assert accepted(keys, "training", references=known) == ("training",)  # one key without brackets
    assert refused(keys, ["training", "trainig"], references=known) == [
        "f: unknown tag 'trainig'; did you mean `training`? known tags: networking, training"]
    assert refused(keys, ["x"], references={"tag": frozenset()}) == [
        "f: unknown tag 'x'; known tags: none yet: add it to content/tags.yaml"]
    assert refused(keys, ["a", 1], references=known) == ["f: write a list of keys, e.g. f: [first, second]"]
    twice = read(keys, ["training", "training"], references=known)
    assert twice == (("training",), ["f: 'training' is listed twice: it counts once; delete one"])
    projects = s.Reference(PROJECT)
    assert refused(projects, "clus", references={"project": frozenset({"clus3"})}) == [
        "f: unknown project 'clus' (no content/projects/clus.yaml); did you mean `clus3`? known: clus3"]
    # not checked without the list of keys; unusable (reported elsewhere) when it cannot be read
    assert accepted(projects, "anything") == "anything"
    value, problems = read(projects, "clus3", references={"project": None})
    assert value is s.INVALID and problems == []


def test_nested_mapping():
    partner = s.Nested(PARTNER)
    assert accepted(partner, {"name": "Hochschule Luzern", "country": "ch"}) == Partner(
        name=Localized({"it": "Hochschule Luzern", "en": "Hochschule Luzern"}), country="CH", role="partner")
    assert sorted(refused(partner, {"nme": "A", "country": "IT", "role": "boss"})) == [
        "f.name: required: the partner's name, one text or one per language",
        "f.nme: unknown field; did you mean `name`? known fields: name, country, role, url, logo, id",
        "f.role: unknown role 'boss': use lead, partner, associated",
    ]
    assert refused(partner, "Regione") == ["f: write name:, country:, role:, url:, logo: and id: under f:"]
    assert refused(s.ListOf(partner, noun="partner"), ["Regione"]) == [
        "f[1]: write name:, country:, role:, url:, logo: and id: for each partner"]
    contact = accepted(s.Nested(CONTACT), {"name": "Office", "email": "a@b.eu"})
    assert (contact.name, contact.email) == ("Office", "a@b.eu")


def test_other_field_types():
    assert accepted(s.Currency(), "eur") == "EUR"
    assert refused(s.Currency(), "EUX") == ["f: unknown currency 'EUX': use an ISO 4217 code such as EUR"]
    assert accepted(s.Boolean(), False) is False
    assert refused(s.Boolean(), "yes please") == ["f: write `f: true` or `f: false`"]
    assert refused(s.Slug(noun="tag"), "Cluster Management") == [
        "f: a tag key is lowercase letters, digits and hyphens: try `cluster-management`"]
    image = s.MediaFile()
    assert refused(image, 3) == ["f: write the file name of an image in content/media/"]
    # written empty, as a web form leaves an optional field: as if not written
    assert read(image, "  ") == (None, [])
    assert read(image, "", required=True)[1] == [f"f: required: {HELP['en']}"]
    check = s.Check("n.md", media=frozenset({"photo.jpg"}))
    assert image.resolve("photo.jpg", "photo.jpg", s.At("image"), check) == "photo.jpg"
    assert image.resolve("x.jpg", "x.jpg", s.At("image"), check) is s.INVALID
    assert image.resolve("../x.jpg", "../x.jpg", s.At("image"), check) is s.INVALID
    assert [p.message for p in check.problems] == ["image file not found: content/media/x.jpg",
                                                   "write a path inside content/media/, e.g. photo.jpg"]


# -- rules declared next to their content type -------------------------------------------

def test_budget_rule_completes_the_figures():
    values, problems = validate(PROJECT.field("budget").type.schema, {"total": 1000, "cofunding_rate": 80})
    assert problems == [] and values["eu_contribution"] == Decimal("800.00")
    budget, problems = read(s.Nested(BUDGET), {"total": 1000000, "cofunding_rate": 100})
    assert budget == Budget("EUR", Decimal(1000000), Decimal("1000000.00"), Decimal(100)) and problems == []
    assert refused(s.Nested(BUDGET), {"total": 100, "eu_contribution": 150}) == [
        "f.eu_contribution: 150 is more than the total (100)"]
    assert refused(s.Nested(BUDGET), {"total": 100}) == [
        "f: give at least two of total, eu_contribution and cofunding_rate"]


def test_project_rules():
    sheet = {"acronym": "P", "title": "T", "programme": "P", "summary": "S",
             "start": "2019-04-30", "end": "2016-11-01"}
    values, problems = validate(PROJECT, sheet, languages=IT_EN)
    assert [str(p) for p in problems] == ["<data>:1: end: 2016-11-01 is before start (2019-04-30)"]
    values, problems = validate(PROJECT, {**sheet, "end": "2020-01-01", "budget": {"total": 10, "cofunding_rate": 100}},
                                languages=IT_EN)
    assert problems == [] and values["funding_statement"] == "funded"


def test_problems_point_at_their_lines():
    text = "acronym: P\ntitle: {en: T}\nprogramme: P\nsummary: S\npartners:\n  - name: A\n    country: XX\n"
    doc, _ = parse_mapping(text, path="p.yaml")
    _, problems = validate(PROJECT, doc.data, source="p.yaml", lines=doc, languages=IT_EN)
    assert sorted(map(str, problems)) == [
        "p.yaml:2: title: the default language (it) is required; other languages fall back to it",
        "p.yaml:7: partners[1].country: unknown country code 'XX': use the ISO 3166-1 two-letter code, "
        "e.g. IT, FR, CH",
    ]


# -- the declarations themselves -------------------------------------------------------------

def _all_fields(schema: Schema, prefix: str = ""):
    for f in schema.fields:
        yield prefix + f.name, f
        kind = f.type
        while isinstance(kind, s.ListOf):
            kind = kind.item
        if isinstance(kind, s.Nested):
            yield from _all_fields(kind.schema, f"{prefix}{f.name}.")


@pytest.mark.parametrize("name", sorted(CONTENT_TYPES))
def test_every_field_has_help_in_both_interface_languages(name):
    for path, f in _all_fields(CONTENT_TYPES[name]):
        for lang in ("it", "en"):
            text = f.help.get(lang, "")
            assert text.strip() and "\n" not in text and text == f.help_in(lang), (path, lang)
        assert f.help["it"] != f.help["en"] or f.name == "fund", path


def test_field_types_have_stable_names_and_describe_as_data():
    assert set(s.FIELD_TYPES) == {"text", "markdown", "localized", "date", "datetime", "amount", "currency",
                                  "url", "email", "country", "timezone", "enum", "boolean", "slug", "image", "file", "language", "licence", "doi", "fingerprint", "per_language", "reference",
                                  "list", "mapping"}
    for schema in CONTENT_TYPES.values():
        fields = json.loads(json.dumps(describe(schema)))
        assert [f["name"] for f in fields] == list(schema.names)
        assert all(f["type"] in s.FIELD_TYPES and set(f["help"]) >= {"it", "en"} for f in fields)
    news = {f["name"]: f for f in describe(NEWS)}
    assert news["date"]["shared"] and news["date"]["required"] and not news["title"]["shared"]
    assert news["tags"]["item"] == {"type": "reference", "target": "tag"}
    partners = {f["name"]: f for f in describe(PROJECT)}["partners"]["item"]
    assert partners["type"] == "mapping" and [f["name"] for f in partners["fields"]] == list(PARTNER.names)


def test_a_new_content_type_is_a_declaration():
    event = Schema("event", fields=(
        Field("title", s.Localized(), {"it": "il titolo", "en": "the title"}, required=True),
        Field("start", s.DateTime(timezone="Europe/Rome"), {"it": "l'inizio", "en": "when it starts"},
              required=True),
        Field("project", s.Reference(PROJECT), {"it": "il progetto", "en": "the project"}),
    ))
    ids = {"project": frozenset({"clus3"})}
    values, problems = validate(event, {"title": {"it": "Giornata", "en": "Day"}, "start": "2023-09-21 09:30",
                                        "project": "clus3"}, languages=IT_EN, references=ids)
    assert problems == []
    assert values["title"].get("en", IT_EN) == ("Day", "en")
    assert values["start"].isoformat() == "2023-09-21T09:30:00+02:00"
    values, problems = validate(event, {"titel": "Giornata", "project": "clus4"}, languages=IT_EN, references=ids)
    assert sorted(f"{p.field}: {p.message}" for p in problems) == [
        "project: unknown project 'clus4' (no content/projects/clus4.yaml); did you mean `clus3`? known: clus3",
        "start: required: when it starts",
        "titel: unknown field; did you mean `title`? known fields: title, start, project",
        "title: required: the title",
    ]


# -- the scaffolds and the translation report follow the declarations -----------------------

def _settings(root: Path) -> Settings:
    return Settings(root=root, languages=(Language("it", "Italiano", True), Language("en", "English")),
                    content_dir=root / "content")


def _uncommented(text: str) -> dict:
    """The YAML of a scaffold with its commented-out fields put back."""
    text = re.sub(r"^# (?=[a-z_]+:|  )", "", text, flags=re.MULTILINE)
    return yaml.safe_load("\n".join(line for line in text.splitlines() if not line.startswith("#")))


def test_scaffolds_list_exactly_the_schemas_fields(tmp_path):
    from divulga.editor.scaffold import plan_news, plan_project
    (tmp_path / "content").mkdir()
    settings = _settings(tmp_path)
    (original, translation), problems = plan_news(settings, "Città più sostenibili", dt.date(2024, 5, 6))
    assert problems == []
    assert list(_uncommented(original.text.split("---")[1])) == list(NEWS.names)
    assert list(_uncommented(translation.text.split("---")[1])) == [f.name for f in NEWS.per_language]
    for f in NEWS.shared:
        assert f.name in translation.text  # named in the line that says where they are written
    # the help of each field, in the editor's language
    assert "# obbligatorio: il titolo della notizia" in original.text
    assert "# who signs the news item" in translation.text

    (sheet,), problems = plan_project(settings, "Green Valley")
    assert problems == []
    data = _uncommented(sheet.text)
    assert list(data) == list(PROJECT.names)
    assert list(data["budget"]) == list(BUDGET.names)
    assert list(data["partners"][0]) == list(PARTNER.names)
    assert list(data["contact"]) == list(CONTACT.names)
    for name, f in _all_fields(PROJECT):
        assert f.help_in("it") in sheet.text, name
    # what the uncommented sheet holds is valid, but for the texts left to write
    values, problems = validate(PROJECT, data, languages=settings.codes,
                                references={"tag": frozenset(), "project": frozenset()})
    assert sorted(p.field for p in problems) == ["activities[1]", "objectives[1]", "partners[1].name",
                                                 "programme", "results[1]", "summary", "title"]
    assert {p.message for p in problems} == {"the default language (it) is required; other languages fall back to it"}


def test_translation_report_fields_come_from_the_schema(tmp_path, monkeypatch):
    from divulga.plan import translations
    from divulga.read.model import Content
    italian = Localized({"it": "Testo"})
    project = Project(id="p", source="content/projects/p.yaml", acronym="P", title=italian, programme=italian,
                      summary=italian, funding_statement="co-funded", objectives=(italian, italian),
                      activities=(italian,), results=(italian,),
                      partners=(Partner(name=italian, country="IT", role="lead"),))
    report = translations.translation_report(Content(projects={"p": project}), _settings(tmp_path))
    fields = [f.field for f in report.missing_project_fields]
    assert fields == [at.label for at, _ in localized_values(PROJECT, project)] == [
        "title", "programme", "summary", "objectives[1]", "objectives[2]", "activities[1]", "results[1]",
        "partners[1].name"]
    assert list(localized_fields(PROJECT)) == ["title", "programme", "summary", "objectives[]", "activities[]",
                                               "results[]", "partners[].name"]
    # a declaration with fewer localized fields: the report follows it
    monkeypatch.setattr(translations, "PROJECT", Schema("project", (PROJECT.field("title"),)))
    report = translations.translation_report(Content(projects={"p": project}), _settings(tmp_path))
    assert [f.field for f in report.missing_project_fields] == ["title"]


def test_lines_are_kept_in_the_model_so_nothing_is_read_twice(tmp_path):
    from divulga.plan.translations import translation_report
    from divulga.read.loader import load_content
    files = {
        "content/projects/half.yaml": "acronym: HALF\ntitle: {it: Titolo}\nprogramme: Interreg\n"
                                      "summary: {it: Testo, en: Text}\npartners:\n  - name: {it: Comune}\n"
                                      "    country: IT\n",
        "content/news/2024-01-01-a.it.md": "---\ntitle: A\ndate: 2024-01-01\n---\nBody\n",
        "content/news/2024-01-01-a.en.md": "---\ntitle: A\nsummary: S\n\ndraft: true\n---\nBody\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    settings = _settings(tmp_path)
    content, problems = load_content(settings)
    assert problems == []
    for rel in files:  # the files are gone: the report works from what was read
        (tmp_path / rel).unlink()
    report = translation_report(content, settings)
    assert [(d.path, d.line) for d in report.drafts] == [("content/news/2024-01-01-a.en.md", 5)]
    assert [(f.field, f.line) for f in report.missing_project_fields] == [("title", 2), ("partners[1].name", 6)]
    # line data does not take part in comparisons (the preview compares the model by value)
    (item,) = content.news
    version = item.versions["en"]
    assert version == type(version)(**{**version.__dict__, "lines": s.model.NO_LINES})
