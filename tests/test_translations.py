"""Translations that stay true: a translation records its source's fingerprint
(`divulga translated`), and `divulga check` lists it as outdated once the
source changes in substance — not when only its spacing changes — until the
translation is confirmed again."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import yaml
from bs4 import BeautifulSoup
from conftest import MINIMAL_DOCS, news, run_build, site_config, write_files

from divulga.text import fingerprint

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


def test_an_edited_source_makes_its_translation_outdated_until_confirmed(tmp_path):
    write_files(tmp_path, {**MINIMAL_DOCS,
                           SOURCE: news("Corso", "2024-05-06", body="Il programma del corso."),
                           TRANSLATION: news("Course", None, body="The course's programme.")})
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(site_config(), allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    # not recorded yet: not known, and said so
    first = report(tmp_path)
    assert [v["path"] for v in first["unknown"]] == [TRANSLATION] and first["outdated"] == []
    assert "whether they are up to date is not known" in divulga(tmp_path, "check").stdout

    done = divulga(tmp_path, "translated", TRANSLATION)
    assert done.returncode == 0 and f"{TRANSLATION}: up to date with {SOURCE}" in done.stdout
    assert report(tmp_path)["unknown"] == [] and report(tmp_path)["outdated"] == []

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
    assert f"{TRANSLATION}:{line}: translation: outdated: {SOURCE} changed (on " in text

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
    assert "not a news item, event or result the site can read" in done.stderr
    assert "translated_from" not in (tmp_path / SOURCE).read_text(encoding="utf-8")
