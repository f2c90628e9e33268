"""Translations that stay true: a translation records its source's fingerprint
(`divulga translated`), and `divulga check` lists it as outdated once the
source changes in substance — not when only its spacing changes — until the
translation is confirmed again."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from urllib.parse import urljoin

import yaml
from bs4 import BeautifulSoup
from conftest import MINIMAL_DOCS, news, run_build, site_config, write_files
from test_preview import Preview

from divulga.text import SPACING, fingerprint

SOURCE = "content/news/2024-05-06-corso.it.md"
TRANSLATION = "content/news/2024-05-06-corso.en.md"


def divulga(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "divulga", *args], cwd=root, capture_output=True, text=True)


def report(root) -> dict:
    done = divulga(root, "check", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)["translations"]


def test_fingerprint_ignores_spacing_only():
    one = fingerprint("Titolo", "Sommario.", "Primo paragrafo.\n\nSecondo.")
    spaced = fingerprint("Titolo\u00a0", " Sommario.", "Primo  paragrafo.\n\n\nSecondo.\n")
    changed = fingerprint("Titolo", "Sommario.", "Primo paragrafo.\n\nTerzo.")
    assert one == spaced != changed
    assert len(one) == 12 and int(one, 16) >= 0
    # a line break is a space inside a part, not between parts
    assert fingerprint("a b", "c") != fingerprint("a", "b c")


def test_fingerprint_spacing_is_the_set_the_web_editor_is_given():
    """The web editor's JavaScript collapses the characters of SPACING; Python, what str.split splits at:
    for every character, both treat it alike (spacing collapses, anything else is substance)."""
    spacing, spaced = re.compile(f"[{SPACING}]"), fingerprint("a b")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        is_spacing = spacing.fullmatch(char) is not None
        assert (fingerprint(f"{char}a{char}b{char}") == spaced) == is_spacing, hex(code)


def test_an_edited_source_makes_its_translation_outdated_until_confirmed(tmp_path):
    write_files(tmp_path, {**MINIMAL_DOCS,
                           SOURCE: news("Corso", "2024-05-06", body="Il programma del corso."),
                           TRANSLATION: news("Course", None, body="The course's programme.")})
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(site_config(), allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    # not recorded yet: not known, and said so
    first = report(tmp_path)
    assert [v["path"] for v in first["unknown"] if v["kind"] == "news"] == [TRANSLATION] and first["outdated"] == []
    assert "whether they are up to date is not known" in divulga(tmp_path, "check").stdout

    done = divulga(tmp_path, "translated", TRANSLATION)
    assert done.returncode == 0 and f"{TRANSLATION}: up to date with {SOURCE}" in done.stdout
    assert [v["kind"] for v in report(tmp_path)["unknown"]] == ["page", "page"] and report(tmp_path)["outdated"] == []

    source = tmp_path / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace("Il programma", "Il  programma") + "\n",
                      encoding="utf-8")
    assert report(tmp_path)["outdated"] == []  # spacing only

    source.write_text(source.read_text(encoding="utf-8").replace("del corso", "del corso, con una visita"),
                      encoding="utf-8")
    outdated = report(tmp_path)["outdated"]
    assert [(v["path"], v["source"], v["source_lang"]) for v in outdated] == [(TRANSLATION, SOURCE, "it")]
    assert outdated[0]["source_date"] == dt.date.fromtimestamp((tmp_path / SOURCE).stat().st_mtime).isoformat()
    assert outdated[0]["date"] == dt.date.fromtimestamp((tmp_path / TRANSLATION).stat().st_mtime).isoformat()
    text = divulga(tmp_path, "check").stdout
    lines = (tmp_path / TRANSLATION).read_text(encoding="utf-8").splitlines()
    line = next(n for n, text_line in enumerate(lines, 1) if text_line.startswith("translated_from:"))
    assert f"{TRANSLATION}:{line}: translation: outdated (en): {SOURCE} changed (on " in text

    # readers of the outdated translation are told, with a link to the original; the page stays
    built = run_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    page = BeautifulSoup((tmp_path / "site/en/news/2024-05-06-corso/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    notice = page.select_one(".divulga-notice--outdated")
    # when: the date of the source's last commit (its file's time outside git, as here)
    changed = dt.date.fromtimestamp((tmp_path / SOURCE).stat().st_mtime)
    assert f"The Italian text was updated on {changed.day} {changed:%B} {changed.year}, after this translation " \
           "was made." in " ".join(notice.get_text().split())
    link = notice.find("a")
    assert link.get_text() == "Read the original" and link["href"] == "../../../news/2024-05-06-corso/"
    assert link["hreflang"] == "it" and page.find("h1").get_text(strip=True) == "Course"
    italian = (tmp_path / "site/news/2024-05-06-corso/index.html").read_text(encoding="utf-8")
    assert "divulga-notice--outdated" not in italian

    divulga(tmp_path, "translated", TRANSLATION)  # updated and confirmed
    assert report(tmp_path)["outdated"] == []
    run_build(tmp_path / "mkdocs.yml", tmp_path / "site2")
    assert "divulga-notice--outdated" not in (tmp_path / "site2/en/news/2024-05-06-corso/index.html").read_text(
        encoding="utf-8")
    assert (tmp_path / TRANSLATION).read_text(encoding="utf-8").count("translated_from:") == 1


def test_translated_refuses_what_is_not_a_translation(tmp_path):
    write_files(tmp_path, {**MINIMAL_DOCS, SOURCE: news("Corso", "2024-05-06")})
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(site_config(), allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    done = divulga(tmp_path, "translated", SOURCE, "content/news/nothing.en.md")
    assert done.returncode != 0 and "no it version to be a translation of" in done.stderr
    assert "not a news item, event, result, page of docs/ or project sheet the site can read" in done.stderr
    assert "translated_from" not in (tmp_path / SOURCE).read_text(encoding="utf-8")


SHEET = "content/projects/corso.yaml"
SHEET_TEXT = """acronym: CORSO
title: {it: Corso per cluster manager, en: Cluster manager course}
programme: Interreg Europe
summary:
  it: Un corso di due giorni.
  en: A two-day course.
objectives:
  - {it: Formare i formatori., en: Train the trainers.}
"""


def _site(tmp_path, files: dict[str, str]):
    write_files(tmp_path, {**MINIMAL_DOCS, **files})
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(site_config(), allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")


def _outdated_notice(path) -> BeautifulSoup | None:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one(".divulga-notice--outdated")


def test_hand_written_pages_and_project_sheets_go_outdated_too(tmp_path):
    _site(tmp_path, {SHEET: SHEET_TEXT})
    first = report(tmp_path)
    assert sorted((v["kind"], v["path"]) for v in first["unknown"]) == [
        ("page", "docs/about.en.md"), ("page", "docs/index.en.md"), ("project", SHEET)]

    done = divulga(tmp_path, "translated", "docs/about.en.md", SHEET)
    assert done.returncode == 0, done.stderr
    assert "docs/about.en.md: up to date with docs/about.it.md" in done.stdout
    assert f"{SHEET}: up to date with its it texts (en)" in done.stdout
    # a page without front matter gets one; the sheet one entry per language
    about_en = (tmp_path / "docs/about.en.md").read_text(encoding="utf-8")
    assert about_en.startswith('---\ntranslated_from: {lang: "it", fingerprint: "')
    recorded = yaml.safe_load((tmp_path / SHEET).read_text(encoding="utf-8"))["translated_from"]
    assert list(recorded) == ["en"] and recorded["en"]["lang"] == "it"
    assert len(recorded["en"]["fingerprint"]) == 12
    assert [v["path"] for v in report(tmp_path)["unknown"]] == ["docs/index.en.md"]

    # spacing only: nothing changes
    about, sheet = tmp_path / "docs/about.it.md", tmp_path / SHEET
    about.write_text(about.read_text(encoding="utf-8").replace("Ufficio di prova.", "Ufficio  di\nprova.\n"),
                     encoding="utf-8")
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("Un corso di", "Un corso  di"), encoding="utf-8")
    assert report(tmp_path)["outdated"] == []
    # in substance: both outdated, with their lines and what confirms them
    about.write_text(about.read_text(encoding="utf-8") + "\nCon sede a Torino.\n", encoding="utf-8")
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("Formare i formatori.", "Formare i formatori "
                                                               "anche online."), encoding="utf-8")
    outdated = {v["kind"]: v for v in report(tmp_path)["outdated"]}
    assert sorted(outdated) == ["page", "project"]
    assert outdated["page"]["source"] == "docs/about.it.md" and outdated["page"]["line"] == 2
    assert outdated["project"]["command"] == f"divulga translated {SHEET} --lang en"
    sheet_lines = sheet.read_text(encoding="utf-8").splitlines()
    assert outdated["project"]["line"] == sheet_lines.index("  en: " + sheet_lines[-1].split(": ", 1)[1]) + 1
    text = divulga(tmp_path, "check").stdout
    assert f"{SHEET}:{outdated['project']['line']}: translation: outdated (en): its it texts changed" in text
    assert "docs/about.en.md:2: translation: outdated (en): docs/about.it.md changed" in text

    # readers of both see the notice in their language, with a link to the original
    built = run_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    page = _outdated_notice(tmp_path / "site/en/about/index.html")
    assert page is not None and "The Italian text was updated on" in page.get_text()
    assert page.find("a")["href"] == "../../about/" and page.find("a")["hreflang"] == "it"
    project = _outdated_notice(tmp_path / "site/en/projects/corso/index.html")
    assert project is not None and project.find("a")["href"] == "../../../projects/corso/"
    for untouched in ("site/about/index.html", "site/projects/corso/index.html", "site/en/index.html"):
        assert _outdated_notice(tmp_path / untouched) is None, untouched

    assert divulga(tmp_path, "translated", "docs/about.en.md", SHEET, "--lang", "en").returncode == 0
    assert report(tmp_path)["outdated"] == []
    assert sheet.read_text(encoding="utf-8").count("translated_from:") == 1


def test_the_status_page_is_in_the_preview_only_in_every_language(tmp_path):
    _site(tmp_path, {
        SOURCE: news("Corso", "2024-05-06", body="Il programma del corso."),
        TRANSLATION: news("Course", None, body="The course's programme."),
        "content/news/2024-05-07-visita.it.md": news("Visita", "2024-05-07"),
        "content/news/2024-05-08-bozza.it.md": news("Bozza", "2024-05-08"),
        "content/news/2024-05-08-bozza.en.md": news("Draft", None, draft=True),
        SHEET: SHEET_TEXT,
    })
    assert divulga(tmp_path, "translated", TRANSLATION).returncode == 0
    source = tmp_path / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace("del corso", "del corso rinnovato"),
                      encoding="utf-8")
    # the published site has no status page
    built = run_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    assert not (tmp_path / "site/translations").exists() and not (tmp_path / "site/en/translations").exists()
    assert "translations/" not in (tmp_path / "site/sitemap.xml").read_text(encoding="utf-8")

    preview = Preview(tmp_path)
    try:
        addresses = {"it": "translations/", "en": "en/translations/"}
        pages = {lang: BeautifulSoup(preview.wait_for(path, "<h1"), "html.parser") for lang, path in addresses.items()}
    finally:
        preview.close()
    words = {"it": ("Stato delle traduzioni", "originale", "da aggiornare", "mancante", "bozza", "non si sa"),
             "en": ("Translation status", "original", "outdated", "missing", "draft", "not known")}
    for lang, page in pages.items():
        title, original, outdated, missing, draft, unknown = words[lang]
        assert page.find("h1").get_text(strip=True) == title
        rows = {row.find("code").get_text(): [cell.get_text(strip=True) for cell in row.find_all("td")]
                for row in page.select("table.divulga-status tbody tr")}
        assert rows[SOURCE] == [original, outdated]
        assert rows["content/news/2024-05-07-visita.it.md"] == [original, missing]
        assert rows["content/news/2024-05-08-bozza.it.md"] == [original, draft]
        assert rows[SHEET] == [original, unknown]
        assert rows["docs/about.it.md"] == [original, unknown]
        # each status links to that language's page, where there is one
        corso = next(row for row in page.select("table.divulga-status tbody tr")
                     if row.find("code").get_text() == SOURCE)
        links = [cell.find("a") for cell in corso.find_all("td")]
        assert links[1]["hreflang"] == "en"
        assert urljoin(f"/divulga/{addresses[lang]}", links[1]["href"]) == "/divulga/en/news/2024-05-06-corso/"
        visita = next(row for row in page.select("table.divulga-status tbody tr")
                      if row.find("code").get_text() == "content/news/2024-05-07-visita.it.md")
        assert visita.find_all("td")[1].find("a") is None
        assert "divulga-status--todo" in corso["class"]


def test_dates_come_from_one_git_log_else_from_the_files_time(tmp_path):
    from divulga.read.history import History
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.org"}
    git = ["git", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_files(tmp_path, {"content/news/a b.it.md": "uno\n", "content/news/b.it.md": "due\n"})
    for date, name in (("2023-10-01T12:00:00", "content/news/a b.it.md"), ("2024-03-12T12:00:00", "content/news/b.it.md"),
                       ("2024-05-01T12:00:00", "content/news/a b.it.md")):
        (tmp_path / name).write_text(date, encoding="utf-8")
        subprocess.run([*git, "add", name], cwd=tmp_path, check=True)
        subprocess.run([*git, "commit", "-q", "-m", date], cwd=tmp_path, check=True,
                       env={**env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
    write_files(tmp_path, {"content/news/new.it.md": "tre\n"})  # not committed yet
    history = History(tmp_path / "content")
    assert history.last_changed(tmp_path / "content/news/a b.it.md") == dt.date(2024, 5, 1)  # the newest commit
    assert history.last_changed(tmp_path / "content/news/b.it.md") == dt.date(2024, 3, 12)
    new = tmp_path / "content/news/new.it.md"
    assert history.last_changed(new) == dt.date.fromtimestamp(new.stat().st_mtime)
    assert history.last_changed(tmp_path / "content/news/none.it.md") is None


def test_a_translation_may_have_its_own_address_and_the_old_one_leads_there(tmp_path):
    _site(tmp_path, {
        SOURCE: news("Corso", "2024-05-06", body="Il programma del corso."),
        TRANSLATION: news("Course", None, body="The course's programme.", slug="cluster-course-turin"),
        "content/news/2024-05-07-visita.it.md": news("Visita", "2024-05-07",
                                                     body="Dopo il [corso](2024-05-06-corso.md)."),
        "content/news/2024-05-07-visita.en.md": news("Visit", None, body="After the [course](2024-05-06-corso.md)."),
    })
    built = run_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    site = tmp_path / "site"
    page = BeautifulSoup((site / "en/news/cluster-course-turin/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert page.find("h1").get_text(strip=True) == "Course"
    alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
    assert alternates["it"].endswith("/divulga/news/2024-05-06-corso/")
    assert alternates["en"].endswith("/divulga/en/news/cluster-course-turin/")
    # the Italian page, the English listing, the body link and the feed name the new address
    italian = BeautifulSoup((site / "news/2024-05-06-corso/index.html").read_text(encoding="utf-8"), "html.parser")
    assert italian.select_one('link[rel="alternate"][hreflang="en"]')["href"].endswith(
        "/divulga/en/news/cluster-course-turin/")
    assert 'href="cluster-course-turin/"' in (site / "en/news/index.html").read_text(encoding="utf-8")
    visit = BeautifulSoup((site / "en/news/2024-05-07-visita/index.html").read_text(encoding="utf-8"), "html.parser")
    assert visit.find("a", string="course")["href"] == "../cluster-course-turin/"
    assert "/divulga/en/news/cluster-course-turin/</link>" in (site / "en/feed.xml").read_text(encoding="utf-8")
    # the old address leads to the new one, in English, out of search engines
    old = BeautifulSoup((site / "en/news/2024-05-06-corso/index.html").read_text(encoding="utf-8"), "html.parser")
    assert old.find("html")["lang"] == "en"
    assert old.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../cluster-course-turin/"
    assert old.find("link", rel="canonical")["href"].endswith("/divulga/en/news/cluster-course-turin/")
    assert old.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert old.find("a")["href"] == "../cluster-course-turin/"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "en/news/cluster-course-turin/" in sitemap and "en/news/2024-05-06-corso/" not in sitemap


def test_an_address_that_is_taken_is_refused_with_its_line(tmp_path):
    _site(tmp_path, {
        SOURCE: news("Corso", "2024-05-06", slug="corso-torino"),
        TRANSLATION: news("Course", None, slug="2024-05-07-visita"),
        "content/news/2024-05-07-visita.it.md": news("Visita", "2024-05-07"),
        "content/news/2024-05-07-visita.en.md": news("Visit", None, slug="page"),
        "content/news/2024-05-08-uscita.it.md": news("Uscita", "2024-05-08"),
        "content/news/2024-05-08-uscita.en.md": news("Outing", None, slug="Outing Turin"),
    })
    done = divulga(tmp_path, "check", "--format", "json")
    errors = {(e["path"], e["field"]): (e["line"], e["message"]) for e in json.loads(done.stdout)["errors"]}
    assert done.returncode == 1
    assert errors[(SOURCE, "slug")][1] == "the it page's address is the file's name: rename the file, or delete slug:"
    assert errors[(TRANSLATION, "slug")][1] == ("'2024-05-07-visita' is the address of "
                                                "content/news/2024-05-07-visita.it.md: choose another")
    assert errors[("content/news/2024-05-07-visita.en.md", "slug")][1] == \
        "'page' is reserved for listing pages: choose another"
    assert "lowercase letters, digits and hyphens: try `outing-turin`" in \
        errors[("content/news/2024-05-08-uscita.en.md", "slug")][1]
    lines = (tmp_path / SOURCE).read_text(encoding="utf-8").splitlines()
    assert errors[(SOURCE, "slug")][0] == next(n for n, line in enumerate(lines, 1) if line.startswith("slug:"))
