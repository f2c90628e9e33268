"""The results library built end to end: pages per language with filters that
work without JavaScript, downloads described in the reader's language, the
text of PDFs in the search index, structured data, feeds, the sitemap, the
project sheets, the partners page, and every mistake with its line."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import textwrap

import jsonschema
import pytest
from conftest import ROOT, assert_every_mistake, build_fixture, epoch, news

sys.path.insert(0, str(ROOT / "benchmarks"))
from pdfs import write_image_pdf, write_pdf  # noqa: E402


def result(title: str | None, body: str = "Che cos'è e come usarlo.", **fields) -> str:
    front = {**({"title": title} if title is not None else {}), **fields}
    lines = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items())
    return f"---\n{lines}\n---\n{body}\n"


SHEETS = {
    "content/tags.yaml": "s3: {it: Specializzazione intelligente, en: Smart specialisation}\n",
    "content/projects/alps.yaml": textwrap.dedent("""\
        acronym: ALPS
        title: {it: Cluster alpini, en: Alpine clusters}
        programme: Interreg Alpine Space
        summary: Un progetto.
        partners:
          - name: Regione Piemonte
            country: IT
            role: lead
          - name: Agence Savoie
            id: savoie
            country: FR
          - name: Business Upper Austria
            country: AT
        """),
    "content/projects/med.yaml": textwrap.dedent("""\
        acronym: MED
        title: {it: Cluster mediterranei, en: Mediterranean clusters}
        programme: ENI CBC Med
        summary: Un altro progetto.
        partners:
          - name: Berytech
            country: LB
            role: lead
          - name: "regione  piemonte"
            country: IT
          - name: Agence Savoie Mont Blanc
            id: savoie
            country: FR
          - name: Numeric Cluster
            country: MA
        """),
}
RESULTS = {
    # two documents, one per language, with licence, DOI, deliverable
    "content/results/2019-04-30-piano.it.md": result(
        "Piano d'azione S3", date="2019-04-30", type="report", projects=["alps"], tags=["s3"],
        files=[{"file": "piano-it.pdf", "lang": "it"}, {"file": "plan-en.pdf", "lang": "en"},
               {"url": "https://zenodo.org/records/1234567"}],
        deliverable="D3.2", work_package="WP3", authors=["Regione Piemonte", "Agence Savoie"],
        licence="cc-by-4.0", doi="https://doi.org/10.5281/zenodo.1234567", summary="Il piano comune."),
    "content/results/2019-04-30-piano.en.md": result("S3 action plan", summary="The joint plan.",
                                                     body="What it is and how to use it."),
    # only in Italian, one Italian document, another project
    "content/results/2015-11-30-materiali.it.md": result(
        "Materiali per istruttori", date="2015-11-30", type="training_material", projects=["med"],
        files=[{"file": "materiali-it.pdf", "lang": "it"}]),
    # a dataset, a scanned PDF (no text layer): a warning, still published
    "content/results/2021-01-15-dati.it.md": result(
        "Dati dei cluster", date="2021-01-15", type="dataset", projects=["alps", "med"],
        files=[{"file": "scansione.pdf"}]),
    "content/results/2021-01-15-dati.en.md": result("Cluster data"),
    # every version a draft: nowhere
    "content/results/2022-02-02-bozza.it.md": result("Bozza", date="2022-02-02", type="guide", draft=True,
                                                     files=[{"url": "https://example.org/guide"}]),
    "content/news/2024-01-01-a.it.md": news("Notizia", "2024-01-01"),
}
PHRASES = {"piano-it.pdf": "ecosistema alpino dei cluster di eccellenza",
           "plan-en.pdf": "Alpine cluster excellence ecosystem",
           "materiali-it.pdf": "bussola dell'istruttore di cluster"}
BUILD_DATE = epoch("2026-12-31")


def write_documents(root) -> None:
    media = root / "content" / "media"
    media.mkdir(parents=True, exist_ok=True)
    for name, phrase in PHRASES.items():
        lang = "en" if name.endswith("-en.pdf") else "it"
        write_pdf(media / name, title=name, lang=lang, paragraphs=[f"Questo documento descrive il {phrase}.",
                                                                   "Seconda parte del documento. " * 40])
    write_image_pdf(media / "scansione.pdf", title="Scansione")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("results")
    write_documents(root)
    built = build_fixture(root, {**SHEETS, **RESULTS}, env=BUILD_DATE)
    assert built.ok, built.output
    return built


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def card_titles(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(".divulga-card__title a")]


def test_library_newest_first_with_filter_pages_in_both_languages(site):
    assert card_titles(site.soup("results/")) == ["Dati dei cluster", "Piano d'azione S3", "Materiali per istruttori"]
    assert card_titles(site.soup("en/results/")) == ["Cluster data", "S3 action plan", "Materiali per istruttori"]
    assert card_titles(site.soup("en/results/type/report/")) == ["S3 action plan"]
    assert card_titles(site.soup("en/results/project/med/")) == ["Cluster data", "Materiali per istruttori"]
    assert card_titles(site.soup("en/results/year/2015/")) == ["Materiali per istruttori"]
    assert not site.exists("en/results/type/guide/")  # its only result is a draft
    assert not site.exists("results/2022-02-02-bozza/")
    # the filters are plain links: every type, project and year that has results, with counts
    nav = site.soup("en/results/project/med/").select_one("nav.divulga-filters")
    links = {flat(a.get_text()): a for a in nav.select("a")}
    assert set(links) == {"All results", "Report (1)", "Training material (1)", "Dataset (1)", "ALPS (2)",
                          "MED (2)", "2021 (1)", "2019 (1)", "2015 (1)"}
    assert links["MED (2)"].get("aria-current") == "page" and links["ALPS (2)"].get("aria-current") is None
    assert links["Report (1)"]["href"] == "../../type/report/"
    italian = site.soup("results/").select_one("nav.divulga-filters")
    assert "Materiale formativo (1)" in flat(italian.get_text()) and "Rapporto (1)" in flat(italian.get_text())


def test_result_page_downloads_licence_doi_and_projects(site):
    page = site.soup("results/2019-04-30-piano/")
    downloads = [flat(a.get_text()) for a in page.select(".divulga-downloads a")]
    assert downloads[0].startswith("piano-it.pdf (PDF, ") and downloads[0].endswith("kB, in italiano)")
    assert downloads[1].startswith("plan-en.pdf (PDF, ") and downloads[1].endswith("kB, in inglese)")
    assert downloads[2] == "zenodo.org"
    links = page.select(".divulga-downloads a")
    assert links[1]["hreflang"] == "en" and links[1]["href"] == "../../media/plan-en.pdf"
    assert links[2]["href"] == "https://zenodo.org/records/1234567" and not links[2].has_attr("download")
    assert (site.site_dir / "media" / "plan-en.pdf").read_bytes() == (site.root / "content/media/plan-en.pdf").read_bytes()
    facts = flat(page.select_one("dl.divulga-event__facts").get_text(" "))
    assert "30 aprile 2019" in facts and "D3.2" in facts and "WP3" in facts
    assert "Regione Piemonte, Agence Savoie" in facts
    licence = page.find("a", string="Creative Commons Attribution 4.0 International")
    assert licence["href"] == "https://spdx.org/licenses/CC-BY-4.0.html" and licence["lang"] == "en"
    assert page.find("a", string="10.5281/zenodo.1234567")["href"] == "https://doi.org/10.5281/zenodo.1234567"
    assert [a.get_text(strip=True) for a in page.select(".divulga-related a")] == ["ALPS – Cluster alpini"]
    english = site.soup("en/results/2019-04-30-piano/")
    assert flat(english.select(".divulga-downloads a")[0].get_text()).endswith("kB, in Italian)")
    assert english.select_one(".divulga-result__type").get_text(strip=True) == "Report"
    # only in Italian: the English page is a fallback with a notice, not indexed
    fallback = site.soup("en/results/2015-11-30-materiali/")
    assert "only described in Italian" in fallback.select_one(".divulga-notice").get_text()
    assert fallback.select_one("h1")["lang"] == "it" and fallback.select_one("[data-pagefind-body]") is None


def test_structured_data_feeds_sitemap_and_project_sheets(site):
    page = site.soup("en/results/2019-04-30-piano/")
    graph = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    data = next(item for item in graph if item["@type"] == "Report")
    assert data["license"] == "https://spdx.org/licenses/CC-BY-4.0.html"
    assert data["identifier"]["value"] == "10.5281/zenodo.1234567" and data["inLanguage"] == "en"
    assert data["isPartOf"][0]["name"] == "ALPS – Alpine clusters"
    assert {m["inLanguage"] for m in data["associatedMedia"] if "inLanguage" in m} == {"it", "en"}
    dataset = [json.loads(s.string) for s in site.soup("results/2021-01-15-dati/").select(
        'script[type="application/ld+json"]')]
    assert any(item["@type"] == "Dataset" and item["distribution"] for item in dataset)
    feed = site.text("en/results/feed.xml")
    assert "<title>S3 action plan</title>" in feed and "Materiali" not in feed and "Bozza" not in feed
    assert "<title>Materiali per istruttori</title>" in site.text("results/feed.xml")
    sitemap = site.text("sitemap.xml")
    assert "/en/results/2019-04-30-piano/" in sitemap and "/results/type/report/" in sitemap
    sheet = site.soup("en/projects/med/")
    assert card_titles(sheet.select_one("#divulga-project-results").parent) == ["Cluster data",
                                                                                 "Materiali per istruttori"]
    assert [a["href"] for a in sheet.select("#divulga-project-data ~ p a")] == [
        "../../../data/projects/med.json", "../../../data/projects/med.csv"]


def test_search_takes_result_pages_with_their_pdf_text_in_their_language(site):
    page = site.soup("results/2019-04-30-piano/")
    body = page.select_one("[data-pagefind-body]")
    assert [(span["data-pagefind-filter"], span.get_text()) for span in body.select("[data-pagefind-filter]")][:2] \
        == [("type", "result"), ("year", "2019")]
    # the PDF's text is handed to the search index, not printed in the page
    assert PHRASES["piano-it.pdf"] not in site.text("results/2019-04-30-piano/")
    assert site.exists("pagefind/it/pagefind.js") and site.exists("pagefind/en/pagefind.js")


def test_partners_across_projects_once_with_the_map(site):
    page = site.soup("en/partners/")
    rows = page.select("table.divulga-partners tbody tr")
    partners = {flat(row.select_one("th").get_text()): "; ".join(flat(li.get_text()) for li in row.select("td li"))
                for row in rows}
    # same name and country (case and spaces aside) = one partner; the same id joins two spellings
    assert partners == {
        "Agence Savoie": "ALPS: Partner; MED: Partner",
        "Berytech": "MED: Lead partner",
        "Business Upper Austria": "ALPS: Partner",
        "Numeric Cluster": "MED: Partner",
        "Regione Piemonte": "ALPS: Lead partner; MED: Partner",
    }
    countries = [li.get_text(strip=True) for li in page.select(".divulga-map-figure__countries li")]
    assert countries == ["Austria: 1", "France: 1", "Italy: 1", "Lebanon: 1", "Morocco: 1"]
    svg = page.select_one("figure.divulga-map-figure svg")
    assert svg is not None and svg["role"] == "img"
    assert {path["data-country"] for path in svg.select(".marked[data-country]")} == {"AT", "FR", "IT", "LB", "MA"}
    sheet = site.soup("projects/alps/").select_one("figure.divulga-map-figure svg")
    assert {path["data-country"] for path in sheet.select(".marked[data-country]")} == {"AT", "FR", "IT"}
    assert "Italia: 1" in [li.get_text(strip=True) for li in site.soup("partners/").select(
        ".divulga-map-figure__countries li")]


def test_built_open_data_validates_against_the_published_schemas(site):
    records = {}
    for name in ("projects", "events", "results"):
        document = json.loads(site.text(f"data/{name}.json"))
        shipped = json.loads(site.text(f"data/schemas/{name}.schema.json"))
        jsonschema.Draft202012Validator(shipped, format_checker=jsonschema.FormatChecker()).validate(document)
        records[name] = document[name]
    assert [r["id"] for r in records["projects"]] == ["alps", "med"]
    assert {p["name"] if isinstance(p["name"], str) else p["name"]["it"] for p in records["projects"][1]["partners"]} \
        == {"Berytech", "regione  piemonte", "Agence Savoie Mont Blanc", "Numeric Cluster"}
    results = {r["id"]: r for r in records["results"]}
    assert set(results) == {"2019-04-30-piano", "2015-11-30-materiali", "2021-01-15-dati"}  # no draft
    plan = results["2019-04-30-piano"]
    assert plan["doi"] == "10.5281/zenodo.1234567" and plan["licence"] == "CC-BY-4.0"
    sizes = [f.get("size") for f in plan["files"]]
    assert sizes[0] == (site.root / "content/media/piano-it.pdf").stat().st_size and isinstance(sizes[0], int)
    rows = list(csv.DictReader(io.StringIO(site.text("data/projects.csv"), newline="")))
    assert [row["acronym"] for row in rows] == ["ALPS", "MED"] and rows[0]["title_en"] == "Alpine clusters"
    own = list(csv.DictReader(io.StringIO(site.text("data/projects/med.csv"), newline="")))
    assert len(own) == 1 and own[0]["acronym"] == "MED"
    assert json.loads(site.text("data/projects/med.json"))["projects"][0]["acronym"] == "MED"


def test_scanned_pdf_is_a_warning_with_its_line(site):
    warning = ("content/results/2021-01-15-dati.it.md:6: files[1].file: the PDF has no text layer "
               "(it looks like a scan)")
    assert warning in site.output
    check = subprocess.run([sys.executable, "-m", "divulga", "check"], cwd=site.root, capture_output=True,
                           text=True, env={"PATH": "/usr/bin:/bin", **BUILD_DATE})
    assert check.returncode == 0 and warning in check.stdout, check.stdout + check.stderr


BAD = {
    "content/results/2024-01-01-a.it.md": (result("A", date="2024-01-01", type="repot",
                                                  files=[{"file": "piano-it.pdf"}]), 4, "type",
                                           "unknown type 'repot': use report, guide"),
    "content/results/2024-01-02-b.it.md": (result("B", date="2024-01-02", type="report",
                                                  files=[{"file": "manca.pdf"}]), 5, "files[1].file",
                                           "document file not found: content/media/manca.pdf"),
    "content/results/2024-01-03-c.it.md": (result("C", date="2024-01-03", type="report", licence="CC-BY-4",
                                                  files=[{"file": "piano-it.pdf"}]), 5, "licence",
                                           "'CC-BY-4' is not an SPDX licence identifier: did you mean CC-BY-4.0?"),
    "content/results/2024-01-04-d.it.md": (result("D", date="2024-01-04", type="report", doi="11.1/x",
                                                  files=[{"file": "piano-it.pdf"}]), 5, "doi",
                                           "'11.1/x' is not a DOI"),
    "content/results/2024-01-05-e.it.md": (result("E", date="2024-01-05", type="report",
                                                  files=[{"file": "piano-it.pdf", "lang": "italiano"}]), 5,
                                           "files[1].lang", "'italiano' is not a language code"),
    "content/results/2024-01-06-f.it.md": (result("F", date="2024-01-06", type="report", files=[]), 5, "files",
                                           "write at least 1 file or link"),
    "content/results/2024-01-07-g.it.md": (result("G", date="2024-01-07", type="report",
                                                  files=[{"file": "piano-it.pdf",
                                                          "url": "https://example.org/x"}]), 5, "files[1].url",
                                           "write either `file:` or `url:` in one entry"),
    "content/results/2024-01-08-h.it.md": (result("H", date="2024-01-08", type="report"), 2, "files",
                                           "required: at least one document"),
    "content/results/2024-01-09-i.it.md": (result("I", date="2024-01-09", type="report",
                                                  files=[{"url": "http://example.org/x"}]), 5, "files[1].url",
                                           "write a full web address starting with https://"),
}


def test_every_mistake_with_its_line_in_build_and_check(tmp_path):
    write_documents(tmp_path)
    assert_every_mistake(tmp_path, {**SHEETS, **{path: text for path, (text, *_) in BAD.items()}},
                         {path: expected for path, (_, *expected) in BAD.items()})


def test_divulga_new_result(tmp_path):
    write_documents(tmp_path)
    build_fixture(tmp_path, {**SHEETS, "content/news/2024-01-01-a.it.md": news("A", "2024-01-01")})
    done = subprocess.run([sys.executable, "-m", "divulga", "new", "result", "Rapporto finale", "--type", "report",
                           "--file", "piano-it.pdf", "--file", "https://zenodo.org/records/1", "--date",
                           "2024-05-06", "--projects", "alps"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    it = (tmp_path / "content/results/2024-05-06-rapporto-finale.it.md").read_text(encoding="utf-8")
    en = (tmp_path / "content/results/2024-05-06-rapporto-finale.en.md").read_text(encoding="utf-8")
    assert "files: [{file: piano-it.pdf}, {url: 'https://zenodo.org/records/1'}]" in it and "type: report" in it
    assert "draft: true" in en and "files:" not in en
    check = subprocess.run([sys.executable, "-m", "divulga", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    missing = subprocess.run([sys.executable, "-m", "divulga", "new", "result", "X", "--type", "report", "--file",
                              "manca.pdf"], cwd=tmp_path, capture_output=True, text=True)
    assert missing.returncode != 0 and "document file not found: content/media/manca.pdf" in missing.stderr
