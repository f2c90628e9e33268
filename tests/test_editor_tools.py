"""The editor tools: `divulga new`, `divulga check`, packaging and the publish workflow.

The command runs as editors run it, in a subprocess, inside a temporary copy
of the example site (or a fixture site with known mistakes); builds use the
same `mkdocs build --strict` as the other tests.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, TINY_PNG, build_fixture, news, run_build, site_config, write_files
from test_bad_input import BAD_FILES, BAD_SHEETS, EXPECTED, EXPECTED_SHEETS

PROBLEM_LINE = re.compile(r"^\s*(\S[^:]*:\d+: [^:]+: .+)$")


def divulga(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `divulga ARGS` in ``root`` from the source tree (no install needed)."""
    env = {**os.environ, **(env or {})}
    env.pop("DIVULGA_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "divulga", *args], cwd=root,
                          capture_output=True, text=True, env=env)


def write_config(root: Path, config: dict | None = None) -> Path:
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config or site_config(), allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.fixture
def example_copy(tmp_path) -> Path:
    """A copy of the example site, pointed at the repository's hooks and templates."""
    root = tmp_path / "site-src"
    root.mkdir()
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copytree(ROOT / "content", root / "content")
    write_config(root)
    return root


def problem_lines(output: str) -> set[str]:
    return {m.group(1) for line in output.splitlines() if (m := PROBLEM_LINE.match(line))}


# -- divulga new news ------------------------------------------------------------------

def test_new_news_then_build_shows_the_item_and_hides_the_draft_translation(example_copy, tmp_path):
    result = divulga(example_copy, "new", "news", "Città più sostenibili", "--date", "2024-05-06",
                     "--tags", "training")
    assert result.returncode == 0, result.stderr
    it = example_copy / "content/news/2024-05-06-citta-piu-sostenibili.it.md"
    en = example_copy / "content/news/2024-05-06-citta-piu-sostenibili.en.md"
    assert f"content/news/{it.name}" in result.stdout and f"content/news/{en.name}" in result.stdout
    assert "Next steps" in result.stdout and "divulga check" in result.stdout

    front = yaml.safe_load(it.read_text(encoding="utf-8").split("---")[1])
    assert front == {"title": "Città più sostenibili", "date": __import__("datetime").date(2024, 5, 6),
                     "tags": ["training"], "projects": []}
    en_text = en.read_text(encoding="utf-8")
    en_front = yaml.safe_load(en_text.split("---")[1])
    assert en_front == {"title": "[DA TRADURRE / TO TRANSLATE] Città più sostenibili", "draft": True}
    for commented in ("# summary:", "# image:", "# image_alt:", "# author:"):
        assert commented in it.read_text(encoding="utf-8")

    site = tmp_path / "built"
    build = run_build(example_copy / "mkdocs.yml", site)
    assert build.returncode == 0, build.stdout + build.stderr
    italian = (site / "news/2024-05-06-citta-piu-sostenibili/index.html").read_text(encoding="utf-8")
    assert '<html lang="it"' in italian and "Città più sostenibili" in italian
    english = (site / "en/news/2024-05-06-citta-piu-sostenibili/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english
    assert "Città più sostenibili" in english  # the Italian version, as a fallback
    assert "TO TRANSLATE" not in english and "TO BE COMPLETED" not in english
    assert "only available in Italian" in english

    # the same title again: refused, nothing overwritten
    it.write_text(it.read_text(encoding="utf-8") + "\nEdited by the editor.\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (it, en)}
    again = divulga(example_copy, "new", "news", "Città più sostenibili", "--date", "2024-05-06")
    assert again.returncode == 1
    assert f"content/news/{it.name}" in again.stderr and "already exists" in again.stderr
    assert {p: p.read_bytes() for p in (it, en)} == before
    assert "Traceback" not in again.stderr


def test_new_news_checks_tags_projects_and_date(example_copy):
    result = divulga(example_copy, "new", "news", "Una notizia", "--tags", "training,trainig",
                     "--projects", "clus3,nope")
    assert result.returncode == 1
    assert "unknown tag 'trainig'; did you mean `training`? known tags:" in result.stderr
    assert "unknown project 'nope' (no content/projects/nope.yaml); known: clus3," in result.stderr
    assert not list((example_copy / "content/news").glob("*una-notizia*"))

    bad_date = divulga(example_copy, "new", "news", "Una notizia", "--date", "06/05/2024")
    assert bad_date.returncode == 2
    assert "'06/05/2024' is not a date: write it as YYYY-MM-DD" in bad_date.stderr

    today = divulga(example_copy, "new", "news", "Una notizia", "--projects", "clus3",
                    env={"SOURCE_DATE_EPOCH": "1717200000"})  # 2024-06-01
    assert today.returncode == 0, today.stderr
    assert (example_copy / "content/news/2024-06-01-una-notizia.it.md").is_file()


def test_new_news_item_passes_check_with_its_draft_reported(example_copy):
    assert divulga(example_copy, "new", "news", "Città più sostenibili", "--date", "2024-05-06").returncode == 0
    result = divulga(example_copy, "check", "--format", "json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    drafts = {(d["slug"], d["lang"]) for d in report["translations"]["drafts"]}
    assert ("2024-05-06-citta-piu-sostenibili", "en") in drafts
    placeholders = [w for w in report["warnings"] if w["field"] == "placeholder"
                    and w["path"] == "content/news/2024-05-06-citta-piu-sostenibili.it.md"]
    assert len(placeholders) == 1  # the text still to write; the draft's own is not repeated


# -- divulga new project --------------------------------------------------------------

def test_new_project_then_check_reports_exactly_the_required_fields(example_copy):
    result = divulga(example_copy, "new", "project", "Green Valley")
    assert result.returncode == 0, result.stderr
    sheet = example_copy / "content/projects/green-valley.yaml"
    assert "content/projects/green-valley.yaml" in result.stdout
    lines = sheet.read_text(encoding="utf-8").splitlines()
    line_of = {key: next(i + 1 for i, line in enumerate(lines) if line.startswith(f"{key}:"))
               for key in ("acronym", "title", "programme", "summary")}

    check = divulga(example_copy, "check")
    assert check.returncode == 1
    for key in ("title", "programme", "summary"):
        assert f"content/projects/green-valley.yaml:{line_of[key]}: {key}: " in check.stdout
    assert "Traceback" not in check.stdout + check.stderr

    report = json.loads(divulga(example_copy, "check", "--format", "json").stdout)
    mine = [(e["field"], e["line"]) for e in report["errors"] if e["path"] == "content/projects/green-valley.yaml"]
    assert sorted(mine) == sorted((key, line_of[key]) for key in ("title", "programme", "summary"))
    assert report["counts"]["errors"] == 3

    again = divulga(example_copy, "new", "project", "GREEN valley")
    assert again.returncode == 1 and "content/projects/green-valley.yaml" in again.stderr


def test_project_template_names_every_field_of_the_contract(example_copy):
    from divulga.config_file import load_site_config
    from divulga.editor.scaffold import plan_project
    from divulga.read.projects import BUDGET_FIELDS, FIELDS, PARTNER_FIELDS

    settings = load_site_config(example_copy / "mkdocs.yml").settings
    (new,), problems = plan_project(settings, "Green Valley")
    assert problems == []
    uncommented = re.sub(r"^# (?=[a-z_]+:|  )", "", new.text, flags=re.MULTILINE)
    sheet = yaml.safe_load("\n".join(line for line in uncommented.splitlines()
                                     if not line.startswith("#")))
    assert set(sheet) == set(FIELDS)
    assert set(sheet["budget"]) == set(BUDGET_FIELDS)
    assert set(sheet["partners"][0]) == set(PARTNER_FIELDS)
    assert sheet["title"] == {"it": None, "en": None}
    assert sheet["acronym"] == "Green Valley"


# -- divulga check: the build's own problems ----------------------------------------

@pytest.mark.parametrize("files, expected", [(BAD_FILES, EXPECTED), (BAD_SHEETS, EXPECTED_SHEETS)],
                         ids=["news", "sheets"])
def test_check_lists_every_problem_the_build_lists(tmp_path, files, expected):
    built = build_fixture(tmp_path, files)
    assert not built.ok
    build_problems = problem_lines(built.output)
    assert build_problems

    result = divulga(tmp_path, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    for line in expected:
        assert line in result.stdout, line
    assert build_problems <= problem_lines(result.stdout)
    assert f"{len(build_problems)} errors" in result.stdout.splitlines()[-1]

    report = json.loads(divulga(tmp_path, "check", "--format", "json").stdout)
    assert len(report["errors"]) == len(build_problems)
    assert {f"{e['path']}:{e['line']}: {e['field']}: {e['message']}" for e in report["errors"]} == build_problems


def test_check_passes_on_the_example_site(example_copy):
    result = divulga(example_copy, "check")
    assert result.returncode == 0, result.stdout
    assert "Errors" not in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("0 errors, ")
    # the accessibility and privacy pages still have text to complete
    assert re.search(r"^docs/privacy\.it\.md:7: placeholder: still to complete: \[DA COMPLETARE", result.stdout,
                     re.MULTILINE)
    assert re.search(r"^docs/accessibility\.en\.md:9: placeholder: .*\[TO BE COMPLETED", result.stdout, re.MULTILINE)
    assert "\033[" not in result.stdout  # no colour when the output is not a terminal


def test_check_json_report(example_copy):
    result = divulga(example_copy, "check", "--format", "json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert {"errors", "warnings", "translations"} <= set(report)
    assert report["errors"] == []
    translations = report["translations"]
    assert report["counts"] == {"errors": 0, "warnings": len(report["warnings"]),
                                "translations": sum(len(translations[key]) for key in
                                                    ("missing_news", "drafts", "missing_project_fields"))}
    for problem in report["warnings"]:
        assert set(problem) == {"path", "line", "field", "message", "severity"}
        assert problem["severity"] == "warning" and isinstance(problem["line"], int)
    assert translations["languages"] == ["it", "en"]
    # the example's Italian-only item, and its one English version still in draft
    assert {"slug": "2023-09-22-sistema-poli-innovazione-piemonte",
            "path": "content/news/2023-09-22-sistema-poli-innovazione-piemonte.it.md",
            "missing": ["en"], "published": True} in translations["missing_news"]
    assert {"slug": "2023-06-07-cluster-booster-academy-online", "lang": "en",
            "path": "content/news/2023-06-07-cluster-booster-academy-online.en.md",
            "line": 7} in translations["drafts"]

    text = divulga(example_copy, "check").stdout
    assert "content/news/2023-09-22-sistema-poli-innovazione-piemonte.it.md:1: translation: no en version" in text
    assert "content/news/2023-06-07-cluster-booster-academy-online.en.md:7: draft: the en version is a draft" in text


def test_translation_report_names_project_fields_without_a_language(tmp_path):
    write_files(tmp_path, {
        "docs/index.it.md": "# Home\n", "docs/index.en.md": "# Home\n",
        "content/projects/half.yaml": (
            "acronym: HALF\n"                      # 1
            "title: {it: Titolo}\n"                # 2
            "programme: Interreg\n"                # 3
            "summary: {it: Testo, en: Text}\n"     # 4
            "objectives:\n"                        # 5
            "  - {it: Uno, en: One}\n"             # 6
            "  - {it: Due}\n"                      # 7
            "partners:\n"                          # 8
            "  - name: {it: Regione, en: Region}\n"
            "    country: IT\n"
            "  - name: {it: Comune}\n"             # 11
            "    country: IT\n"),
    })
    write_config(tmp_path)
    result = divulga(tmp_path, "check", "--format", "json")
    assert result.returncode == 0, result.stdout
    fields = [(f["field"], f["line"], f["missing"])
              for f in json.loads(result.stdout)["translations"]["missing_project_fields"]]
    assert fields == [("title", 2, ["en"]), ("objectives[2]", 7, ["en"]), ("partners[2].name", 11, ["en"])]
    text = divulga(tmp_path, "check").stdout
    assert "content/projects/half.yaml:7: objectives[2]: no en text" in text


# -- divulga check: what the build would only find later -----------------------------

MARKDOWN_MISTAKES = {
    "content/tags.yaml": "training: {it: Formazione, en: Training}\n",
    "content/media/photo.png": TINY_PNG,
    "content/media/used-in-body.png": TINY_PNG,
    "content/media/unused.png": TINY_PNG,
    "content/news/2024-01-01-links.it.md": news(
        "Link", "2024-01-01", image="photo.png", image_alt="Una foto",
        body=("Vedi [chi siamo](../about.md) e [la notizia](2024-01-02-other.md).\n"   # body line 1
              "Un [link rotto](../abut.md) e [un altro](2024-01-09-missing.md).\n"       # 2
              "![](../media/used-in-body.png)\n"                                        # 3
              "![Una foto che manca](../media/missing.png)\n"                           # 4
              "```\n[nel codice](../nowhere.md) ![](x.png)\n```\n"                      # 5-7
              "Nel `[codice](../nowhere.md)` in linea. [Sito](https://example.org/x.md)\n")),
    "content/news/2024-01-02-other.it.md": news("Altra", "2024-01-02"),
}


def test_check_finds_links_images_media_and_placeholders(tmp_path):
    docs = {
        "docs/index.it.md": "# Benvenuti\n\n[Notizie](news/index.md), [progetti](projects/index.md).\n",
        "docs/index.en.md": "# Welcome\n\n[About](abot.md)\n",
        "docs/about.it.md": "# Chi siamo\n\nSede: [DA COMPLETARE: indirizzo].\n",
        "docs/about.en.md": "# About\n\n[TO BE COMPLETED: address]\n",
    }
    built = build_fixture(tmp_path, MARKDOWN_MISTAKES, docs=docs)
    assert not built.ok  # MkDocs finds the broken links too, but only while rendering
    result = divulga(tmp_path, "check")
    assert result.returncode == 1
    out = result.stdout
    body = 8  # the body's first line: after 4 fields between `---` lines and a blank line
    item = "content/news/2024-01-01-links.it.md"
    assert f"{item}:{body + 1}: link: '../abut.md' points to no page; did you mean '../about.md'?" in out
    assert f"{item}:{body + 1}: link: '2024-01-09-missing.md' points to no page" in out
    assert f"{item}:{body + 2}: image: ![](../media/used-in-body.png) has no alt text" in out
    assert f"{item}:{body + 3}: link: '../media/missing.png': file not found: content/media/missing.png" in out
    assert "docs/index.en.md:3: link: 'abot.md' points to no page; did you mean 'about.md'?" in out
    assert "content/media/unused.png:1: file: not used by any news item, result or page" in out
    assert "docs/about.it.md:3: placeholder: still to complete: [DA COMPLETARE: indirizzo]" in out
    assert "docs/about.en.md:3: placeholder: still to complete: [TO BE COMPLETED: address]" in out
    assert "nowhere.md" not in out and "x.png" not in out  # code is not checked
    assert "example.org" not in out and "chi siamo" not in out and "2024-01-02-other.md" not in out
    assert "photo.png" not in out and "content/media/used-in-body.png:" not in out

    report = json.loads(divulga(tmp_path, "check", "--format", "json").stdout)
    errors = {(e["path"], e["field"]) for e in report["errors"]}
    warnings = {(w["path"], w["field"]) for w in report["warnings"]}
    assert (item, "link") in errors and (item, "image") in errors
    assert ("content/media/unused.png", "file") in warnings
    assert ("docs/about.it.md", "placeholder") in warnings
    assert report["counts"]["errors"] == 5


def test_links_in_drafts_and_to_unpublished_items(tmp_path):
    write_files(tmp_path, {
        **{k: v for k, v in MARKDOWN_MISTAKES.items() if k == "content/tags.yaml"},
        "docs/index.it.md": "# Home\n", "docs/index.en.md": "# Home\n",
        "content/news/2024-01-01-a.it.md": news("A", "2024-01-01", body="[B](2024-01-02-b.md)"),
        "content/news/2024-01-01-a.en.md": news("A", None, body="[Broken](../nope.md)", draft=True),
        "content/news/2024-01-02-b.it.md": news("B", "2024-01-02", draft=True),
    })
    write_config(tmp_path)
    result = divulga(tmp_path, "check", "--format", "json")
    report = json.loads(result.stdout)
    assert [(e["path"], e["message"]) for e in report["errors"]] == [
        ("content/news/2024-01-01-a.it.md",
         "'2024-01-02-b.md' points to an item that is not published (every version is a draft)")]
    draft_link = [w for w in report["warnings"] if w["path"] == "content/news/2024-01-01-a.en.md"]
    assert len(draft_link) == 1 and "in a draft" in draft_link[0]["message"]
    assert result.returncode == 1


# -- friendly failures ---------------------------------------------------------------

def test_friendly_errors_without_a_site(tmp_path):
    nothing = divulga(tmp_path, "check")
    assert nothing.returncode == 2
    assert "no mkdocs.yml in" in nothing.stderr and "Traceback" not in nothing.stderr

    # content_dir written in mkdocs.yml but missing: a mistake in mkdocs.yml (exit 1), as the build says
    write_config(tmp_path)
    no_content = divulga(tmp_path, "check")
    assert no_content.returncode == 1 and "Traceback" not in no_content.stdout + no_content.stderr
    assert re.search(r"^mkdocs\.yml:\d+: extra\.divulga\.content_dir: folder not found: content ",
                     no_content.stdout, re.MULTILINE)
    no_content_new = divulga(tmp_path, "new", "news", "Titolo")
    assert no_content_new.returncode == 1 and "extra.divulga.content_dir: folder not found" in no_content_new.stderr
    # the default content/ missing: nothing to check (the build publishes the pages only)
    config = site_config()
    del config["extra"]["divulga"]["content_dir"]
    write_config(tmp_path, config)
    no_content = divulga(tmp_path, "check")
    assert no_content.returncode == 2
    assert "content folder not found" in no_content.stderr and "Traceback" not in no_content.stderr

    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [\n", encoding="utf-8")
    broken = divulga(tmp_path, "check")
    assert broken.returncode == 2 and "mkdocs.yml:" in broken.stderr and "invalid YAML" in broken.stderr

    (tmp_path / "content").mkdir()
    write_config(tmp_path, {**site_config(), "plugins": ["search"]})
    no_i18n = divulga(tmp_path, "check")
    assert no_i18n.returncode == 1
    assert "mkdocs.yml:" in no_i18n.stdout and "mkdocs-static-i18n plugin" in no_i18n.stdout


def test_check_runs_from_a_sub_folder_and_with_f(example_copy, tmp_path):
    assert divulga(example_copy / "content" / "news", "check").returncode == 0
    assert divulga(tmp_path, "check", "-f", str(example_copy / "mkdocs.yml")).returncode == 0


def test_unreadable_files_are_reported_not_raised(example_copy):
    (example_copy / "content/tags.yaml").write_bytes(b"training: \xff\xfe\n")
    result = divulga(example_copy, "check")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    assert "content/tags.yaml:1: file: not UTF-8 text: save the file as UTF-8" in result.stdout


# -- configuration: the same Settings as the build -----------------------------------

def test_settings_from_mkdocs_yml_match_the_adapter():
    from mkdocs.config import load_config

    from divulga.adapter.events import DivulgaAdapter
    from divulga.config_file import load_site_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert load_site_config(ROOT / "mkdocs.yml").settings == DivulgaAdapter().settings(config)


def test_mkdocs_tags_are_tolerated(tmp_path):
    from divulga.config_file import load_site_config

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("site_url: https://example.github.io/divulga/",
                        'site_url: !ENV [DIVULGA_TEST_URL, "https://fallback.example/"]')
    text += ("\nmarkdown_extensions_extra:\n  - pymdownx.emoji:\n"
             "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "content").mkdir()  # mkdocs.yml names it: it must exist
    assert load_site_config(path, {}).settings.site_url == "https://fallback.example/"
    assert load_site_config(path, {"DIVULGA_TEST_URL": "https://org.github.io/repo"}).settings.site_url \
        == "https://org.github.io/repo/"


def test_the_command_does_not_import_mkdocs():
    code = "import sys, divulga.editor.cli; sys.exit(any(m.split('.')[0] == 'mkdocs' for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], env=dict(os.environ))
    assert result.returncode == 0


def test_colour_only_on_a_terminal(monkeypatch):
    from divulga.editor.cli import Style

    class Terminal:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert Style(Terminal()).red("x") == "\033[1;31mx\033[0m"
    monkeypatch.setenv("NO_COLOR", "1")
    assert Style(Terminal()).red("x") == "x"


# -- packaging, guide and workflow ---------------------------------------------------

def test_package_and_requirements_install_the_command():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["build-system"]["build-backend"] == "setuptools.build_meta"
    assert all("==" in req for req in project["build-system"]["requires"])
    assert project["project"]["scripts"] == {"divulga": "divulga.editor.cli:main"}
    assert project["tool"]["setuptools"]["packages"]["find"] == {"where": ["src"]}
    assert "ui_strings.yaml" in project["tool"]["setuptools"]["package-data"]["divulga"]
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    assert [line for line in lines if line and not line.startswith("#")][-1] == "-e ."


@pytest.mark.parametrize("guide", ["guide/editor-guide.it.md", "guide/editor-guide.en.md"])
def test_guide_commands_are_real_commands(guide):
    from divulga.editor.cli import build_parser

    text = (ROOT / guide).read_text(encoding="utf-8")
    shell_lines, language = [], None  # lines of ```sh blocks
    for line in text.splitlines():
        fence = line.strip()
        if fence.startswith("```"):
            language = fence[3:] if language is None else None
        elif language == "sh":
            shell_lines.append(line.strip())
    commands = [line for line in shell_lines if line.startswith("divulga ")]
    assert "python -m pip install -r requirements.txt" in shell_lines
    assert any(c.startswith("divulga new news") for c in commands)
    assert any(c.startswith("divulga new project") for c in commands)
    assert any(c.startswith("divulga check") for c in commands)
    for command in commands:
        try:
            build_parser().parse_args(shlex.split(command)[1:])
        except SystemExit as exit:  # --help exits 0; a wrong option or argument exits 2
            assert exit.code == 0, command
    assert "NO_MKDOCS_2_WARNING=1 mkdocs serve\n" in text and "--livereload" not in text
    assert not (ROOT / "docs" / Path(guide).name).exists()  # not part of the public site


def test_publish_workflow_structure():
    workflow = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert triggers["schedule"] == [{"cron": "17 3 * * *"}]  # nightly: past events move to the past
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}

    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = build["steps"]
    uses = [step.get("uses") for step in steps if "uses" in step]
    assert uses == ["actions/checkout@v4", "actions/setup-python@v5", "actions/cache@v4",
                    "actions/upload-pages-artifact@v3"]
    cache = next(step for step in steps if step.get("uses") == "actions/cache@v4")["with"]
    assert cache["path"] == ".cache/divulga" and "content/media/" in cache["key"]
    python = next(step for step in steps if step.get("uses") == "actions/setup-python@v5")["with"]
    assert python == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "requirements.txt"}
    runs = [step["run"] for step in steps if "run" in step]
    assert runs == ["python -m pip install -r requirements.txt", "npm ci --no-audit --no-fund", "divulga check",
                    "mkdocs build --strict"]
    mkdocs_step = next(step for step in steps if step.get("run") == "mkdocs build --strict")
    assert mkdocs_step["env"] == {"NO_MKDOCS_2_WARNING": "1"}
    order = [step.get("run") or step.get("uses") for step in steps]
    assert order.index("divulga check") < order.index("mkdocs build --strict") \
        < order.index("actions/upload-pages-artifact@v3")
    assert next(s for s in steps if s.get("uses") == "actions/upload-pages-artifact@v3")["with"] == {"path": "site"}

    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert deploy["steps"] == [{"name": "Deploy to GitHub Pages", "id": "deployment",
                                "uses": "actions/deploy-pages@v4"}]
