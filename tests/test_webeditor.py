"""The web editor (Decap CMS at /admin/): its configuration generated from the
schema, the vendored CMS served from the site, and an officer's session driven
in Chromium with the local backend (`divulga edit`) on a copy of the example
repository: the files it writes, `divulga check`, and the built site."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_build, site_config

from divulga.config_file import load_site_config
from divulga.editor.webeditor import DECAP, LOCAL_BACKEND_PORT, TRANSLATION_WIDGET, admin_files, decap_config
from divulga.read.loader import load_content
from divulga.read.schema import EVENT, NEWS, PROJECT, RESULT, TAG, TRANSLATION, ListOf, Nested, PerLanguage, Schema
from divulga.read.yamlsource import split_front_matter
from divulga.text import SPACING, fingerprint

SCREENSHOTS = Path("/tmp/divulga-screenshots")


@pytest.fixture(scope="module")
def example():
    site = load_site_config(ROOT / "mkdocs.yml")
    content, _ = load_content(site.settings)
    return site.settings, content


def names(fields: list[dict]) -> list[str]:
    return [field["name"] for field in fields]


def same_fields(schema: Schema, fields: list[dict], lang: str, *, item: bool, required: bool = True) -> None:
    """Every field of the schema, in its order, with its help text, required flag and (for items) where
    it is written; nested mappings and lists of mappings likewise, all the way down (``required``: False
    inside an optional mapping)."""
    assert names(fields) == list(schema.names), schema.name
    for declared, field in zip(schema.fields, fields):
        assert field["hint"] == declared.help_in(lang), declared.name
        assert field["required"] == (declared.required and required), declared.name
        if item:
            assert field["i18n"] is (not declared.shared), declared.name
        kind = declared.type
        if isinstance(kind, ListOf) and isinstance(kind.item, Nested):
            same_fields(kind.item.schema, field["fields"], lang, item=False)
        elif isinstance(kind, PerLanguage):  # a sheet's record of its translations: kept, not shown
            assert field["widget"] == "hidden", declared.name
        elif isinstance(kind, Nested) and kind.schema is TRANSLATION:  # Divulga's widget writes it, whole
            assert field["widget"] == TRANSLATION_WIDGET and "fields" not in field, declared.name
        elif isinstance(kind, Nested):  # an optional mapping left empty asks for nothing in the form
            same_fields(kind.schema, field["fields"], lang, item=False, required=declared.required)


def test_the_configuration_has_every_field_of_every_schema(example):
    settings, content = example
    config = decap_config(settings, content)
    collections = {collection["name"]: collection for collection in config["collections"]}
    for name, schema in (("news", NEWS), ("events", EVENT), ("results", RESULT)):
        collection = collections[name]
        assert names(collection["fields"])[-1] == "body"
        same_fields(schema, collection["fields"][:-1], "it", item=True)
        assert collection["folder"] == f"content/{name}" and collection["i18n"] is True
    same_fields(PROJECT, collections["projects"]["fields"], "it", item=False)
    assert config["i18n"] == {"structure": "multiple_files", "locales": ["it", "en"], "default_locale": "it"}
    assert config["media_folder"] == "content/media" and config["public_folder"] == ""
    assert config["locale"] == "it" and "local_backend" not in config
    news = {field["name"]: field for field in collections["news"]["fields"]}
    assert [o["value"] for o in news["tags"]["options"]] == sorted(content.tags, key=lambda k: content.tags[k].label(
        "it", ("it",))[0]) and news["tags"]["multiple"] is True
    assert {o["value"] for o in news["projects"]["options"]} == set(content.project_ids)
    assert {o["label"] for o in news["tags"]["options"]} >= {"Formazione", "Specializzazione intelligente"}
    assert news["date"]["format"] == "YYYY-MM-DD" and news["title"]["label"] == "Titolo"
    sheet = {field["name"]: field for field in collections["projects"]["fields"]}
    assert names(sheet["summary"]["fields"]) == ["it", "en"]  # one sub-field per configured language
    assert decap_config(settings, content, local=True)["local_backend"]["url"] == \
        f"http://127.0.0.1:{LOCAL_BACKEND_PORT}/api/v1"


def test_the_published_configuration_reads_back_as_the_configuration_it_was_made_from(example, monkeypatch):
    """admin/config.yml is written by libyaml's emitter (faster): Decap reads from it what the schema made,
    hard strings included, and for the example it is the text PyYAML's own emitter writes."""
    from divulga.editor import webeditor
    settings, content = example
    for local in (False, True):
        text = webeditor.config_yaml(settings, content, local=local)
        config = decap_config(settings, content, local=local)
        assert yaml.safe_load(text) == config
        assert text.split("\n", 1)[1] == yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)
    hard = ["x\u0085y", "\ufeffbom", "tab\tthere", "two\nlines", " lead", "trail ", "#c", "- d", "yes", "null",
            "'q'", '"d"', "\U0001f600", "\u2028", "\x07", "{{fields.key}}", "", "~", "a: b", "é" * 300]
    real = webeditor.decap_config
    monkeypatch.setattr(webeditor, "decap_config", lambda *args, **kwargs: {**real(*args, **kwargs), "hard": hard})
    assert yaml.safe_load(webeditor.config_yaml(settings, content))["hard"] == hard


def test_a_new_schema_field_appears_in_the_editor(example, monkeypatch):
    from divulga.editor import webeditor
    from divulga.read import schema as s
    settings, content = example
    extra = s.Field("venue_notes", s.Text(), help={"it": "note sul luogo", "en": "notes on the place"})
    news = dataclasses.replace(s.NEWS, fields=s.NEWS.fields + (extra,))
    monkeypatch.setattr(webeditor, "ITEMS", tuple((name, news if schema is s.NEWS else schema, *rest)
                                                  for name, schema, *rest in webeditor.ITEMS))
    news = next(c for c in decap_config(settings, content)["collections"] if c["name"] == "news")
    assert names(news["fields"])[-2:] == ["venue_notes", "body"] and news["fields"][-2]["hint"] == "note sul luogo"


def test_the_vendored_cms_is_checked_and_published_with_its_licence(example):
    settings, content = example
    files = admin_files(settings, content)
    sums = dict(reversed(line.split(maxsplit=1)) for line in (DECAP / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert hashlib.sha256(files[f"admin/{name}"]).hexdigest() == digest
    assert b"MIT License" in files["admin/LICENSE"] and (DECAP / "VERSION").read_text().startswith("decap-cms 3.16.3")
    page = files["admin/index.html"].decode()
    assert '<script src="decap-cms.js"></script>' in page and "http" not in page  # no CDN
    script = files["admin/preview.js"].decode()
    assert "CMS.registerWidget(SETUP.widget" in script and f'"widget": "{TRANSLATION_WIDGET}"' in script
    assert json.dumps(SPACING) in script  # the fingerprint's spacing, as Python's
    assert "Conferma: questa traduzione corrisponde al testo in italiano" in script
    config = yaml.safe_load(files["admin/config.yml"])
    assert config["backend"]["name"] == "github"


# -- an officer's session, in Chromium ------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """`divulga edit` on a copy of the example repository."""
    if not (ROOT / "node_modules" / ".bin" / "decap-server").is_file():
        if os.environ.get("CI"):
            pytest.fail("decap-server is missing: .ci/run installs it with npm ci")
        pytest.skip("decap-server is not installed (npm ci)")
    with socket.socket() as probe:  # decap-server's fixed port must be free: another editor would answer
        if probe.connect_ex(("127.0.0.1", LOCAL_BACKEND_PORT)) == 0:
            pytest.fail(f"port {LOCAL_BACKEND_PORT} is taken (another `divulga edit` running?): stop it first")
    root = tmp_path_factory.mktemp("editor")
    for name in ("docs", "content"):
        shutil.copytree(ROOT / name, root / name)
    config = site_config()
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "divulga", "edit", "--port", str(port)], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    address = f"http://127.0.0.1:{port}/divulga/admin/"
    try:
        wait_for(address)
        yield root, address
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        assert f"The web editor: {address}" in output


def front(path: Path) -> dict:
    text, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return yaml.safe_load(text)


def test_an_officer_writes_a_bilingual_news_item_edits_a_sheet_and_adds_an_event(browser, editor, tmp_path):
    root, address = editor
    SCREENSHOTS.mkdir(exist_ok=True)
    photo = tmp_path / "Foto Corso Rete.jpg"
    from PIL import Image
    Image.new("RGB", (800, 500), (30, 90, 120)).save(photo, quality=80)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?"
    page.goto(address)
    page.screenshot(path=str(SCREENSHOTS / "editor-login.png"))
    page.get_by_role("button", name="Accedi").click()
    page.get_by_text("Schede progetto").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "editor-collections.png"))
    # the CMS's own interface is upstream's: its axe result is reported, not a target
    page.add_script_tag(content=(Path(__file__).parent / "vendor/axe-core/axe.min.js").read_text(encoding="utf-8"))
    found = page.evaluate("""async () => (await axe.run(document, {runOnly: {type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})).violations.map(v => v.id + " (" + v.impact + ")")""")
    print(f"axe on Decap CMS's collections page: {len(found)} violations: {', '.join(found)}")

    # a news item in both languages, with a tag, a project and an uploaded picture
    open_in_editor(page, address, "collections/news/new")
    italian, english = page.locator(".Pane1"), page.locator(".Pane2")
    fill(italian.locator("input[id^=title-field]"), "Nuova giornata di formazione")
    fill(english.locator("input[id^=title-field]"), "New training day")
    fill(italian.locator("input[id^=date-field]"), "2026-11-20")
    fill(italian.locator("input[id^=summary-field]"), "Una giornata per i cluster manager.")
    fill(english.locator("input[id^=summary-field]"), "A day for cluster managers.")
    page.screenshot(path=str(SCREENSHOTS / "editor-news-languages.png"))
    for name, choice in (("tags", "Formazione"), ("projects", "CLUS3")):
        field = italian.locator(f"input[id^={name}-field]")
        field.click()
        field.type(choice)
        page.keyboard.press("Enter")
    page.get_by_role("button", name="Scegli un'immagine").click()
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="Prendi selezionato").click()
    fill(italian.locator("input[id^=image_alt-field]"), "Una sala con i partecipanti")
    fill(english.locator("input[id^=image_alt-field]"), "A room with the participants")
    for pane, text in ((italian, "Il programma della giornata."), (english, "The day's programme.")):
        pane.locator("[data-slate-editor]").first.click()
        page.keyboard.type(text)
    page.screenshot(path=str(SCREENSHOTS / "editor-news.png"))
    publish(page)

    # the English summary of a project sheet
    open_in_editor(page, address, "collections/projects/entries/clus3")
    summary = page.locator("[id^=summary-field] [data-slate-editor]").nth(1)
    summary.get_by_text("CLUS3", exact=False).first.wait_for()  # the sheet loaded into the editor: typed into
    summary.click()                                               # before, the text was replaced as it loaded
    page.keyboard.press("Control+A")
    page.keyboard.type("A new English summary of CLUS3.")
    page.wait_for_function("element => element.innerText.trim() === 'A new English summary of CLUS3.'",
                           arg=summary.element_handle(), timeout=15_000)
    page.screenshot(path=str(SCREENSHOTS / "editor-sheet.png"))
    publish(page)

    # an event, online
    open_in_editor(page, address, "collections/events/new")
    italian, english = page.locator(".Pane1"), page.locator(".Pane2")
    fill(italian.locator("input[id^=title-field]"), "Webinar sui cluster")
    fill(english.locator("input[id^=title-field]"), "Cluster webinar")
    fill(italian.locator("input[id^=start-field]"), "2027-06-10 09:30")
    fill(italian.locator("input[id^=end-field]"), "2027-06-10 11:00")
    attendance = italian.locator("input[id^=attendance-field]")
    attendance.click()
    attendance.type("online")
    page.keyboard.press("Enter")
    fill(italian.locator("input[id^=online_url-field]"), "https://example.org/webinar")
    italian.locator("[data-slate-editor]").first.click()
    page.keyboard.type("Il programma del webinar.")
    english.locator("[data-slate-editor]").first.click()
    page.keyboard.type("The webinar's programme.")
    publish(page)
    context.close()
    assert not [url for url in requests if not re.match(r"^(http://127\.0\.0\.1:\d+/|data:|blob:)", url)]

    # the files, as the content contract wants them
    news_it, news_en = (root / f"content/news/2026-11-20-nuova-giornata-di-formazione.{code}.md" for code in ("it", "en"))
    it, en = front(news_it), front(news_en)
    assert it["title"] == "Nuova giornata di formazione" and str(it["date"]) == "2026-11-20"
    assert it["tags"] == ["training"] and it["projects"] == ["clus3"] and it["image"] == "foto-corso-rete.jpg"
    assert set(it) <= set(NEWS.names) and set(en) <= {f.name for f in NEWS.per_language}  # no stray fields
    assert en["title"] == "New training day" and en["image_alt"] == "A room with the participants"
    assert news_it.read_text(encoding="utf-8").rstrip().endswith("Il programma della giornata.")
    assert (root / "content/media/foto-corso-rete.jpg").is_file()
    sheet = yaml.safe_load((root / "content/projects/clus3.yaml").read_text(encoding="utf-8"))
    assert sheet["summary"]["en"].strip() == "A new English summary of CLUS3."
    original = yaml.safe_load((ROOT / "content/projects/clus3.yaml").read_text(encoding="utf-8"))
    assert sheet["summary"]["it"].strip() == original["summary"]["it"].strip()
    assert sheet["acronym"] == original["acronym"] and len(sheet["partners"]) == len(original["partners"])
    assert sheet["translated_from"] == original["translated_from"]  # the record of its translation, kept
    event = front(root / "content/events/2027-06-10-webinar-sui-cluster.it.md")
    assert event["start"] == "2027-06-10 09:30" and event["attendance"] == "online"
    assert set(event) <= set(EVENT.names)

    check = subprocess.run([sys.executable, "-m", "divulga", "check"], cwd=root, capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    built = run_build(root / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    site = tmp_path / "site"
    assert "Nuova giornata di formazione" in (site / "news/2026-11-20-nuova-giornata-di-formazione/index.html").read_text()
    assert "New training day" in (site / "en/news/2026-11-20-nuova-giornata-di-formazione/index.html").read_text()
    assert "A new English summary of CLUS3." in (site / "en/projects/clus3/index.html").read_text()
    assert "Cluster webinar" in (site / "en/events/2027-06-10-webinar-sui-cluster/index.html").read_text()


TRANSLATED = "2015-03-10-clus3-certificazione"  # an example's news item whose English version records its source


def test_an_officer_confirms_a_translation_as_up_to_date(browser, editor, tmp_path):
    root, address = editor
    source, translation = (root / f"content/news/{TRANSLATED}.{code}.md" for code in ("it", "en"))
    site = load_site_config(root / "mkdocs.yml").settings

    def fingerprints() -> tuple[str, str | None]:
        """The Italian version's fingerprint now, as Python computes it, and the one the English records."""
        item = next(item for item in load_content(site)[0].news if item.slug == TRANSLATED)
        return item.versions["it"].fingerprint, (item.versions["en"].translated_from or (None, None))[1]

    # only the spacing of the Italian text changes, as another editor may leave it (blank lines, a non-breaking
    # space, a tab, a line separator): the translation stays up to date, in Python and in the editor alike
    recorded = fingerprints()[1]
    text = source.read_text(encoding="utf-8")
    front_matter, body, _ = split_front_matter(text)
    first, rest = body.strip().split("\n\n", 1)
    first, rest = first.replace(" ", "\u00a0", 3), rest.replace(" ", " \u2028", 1)
    spaced = f"\n\n\n{first}\t \n\n\n\n{rest}  \n\n\n"
    source.write_text(f"---\n{front_matter}---\n{spaced}", encoding="utf-8")
    assert fingerprints() == (recorded, recorded)

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(address)
    page.get_by_role("button", name="Accedi").click()
    page.get_by_text("Schede progetto").wait_for()
    open_in_editor(page, address, f"collections/news/entries/{TRANSLATED}")
    italian, english = page.locator(".Pane1"), page.locator(".Pane2")
    status = english.get_by_role("status")

    def said() -> str:
        """What the English form says of the translation, once it has said it."""
        status.filter(has_text=re.compile("Aggiornata|Da aggiornare|Mai confermata")).wait_for()
        return status.inner_text()

    assert said().startswith("Aggiornata: è confermato che questa traduzione corrisponde al testo in italiano")
    # the Italian form has nothing of it: neither the status, nor the button, nor the field's label
    assert italian.get_by_role("status").count() == 0 and italian.get_by_role("button", name="Conferma").count() == 0
    assert not italian.get_by_text("Tradotto da").is_visible()

    # the Italian title changes in substance (written with non-breaking and double spaces): outdated
    title = "CLUS3:\u00a0i cluster regionali  verso l'eccellenza\u00a0europea "
    fill(italian.locator("input[id^=title-field]"), title)
    status.filter(has_text="Da aggiornare").wait_for()
    assert said().startswith("Da aggiornare: il testo in italiano è cambiato dopo la conferma")
    english.get_by_role("status").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "editor-translation-outdated.png"))
    # confirmed from the keyboard: a real button, named for what it does
    confirm = english.get_by_role("button", name="Conferma: questa traduzione corrisponde al testo in italiano")
    confirm.focus()
    page.keyboard.press("Enter")
    status.filter(has_text="Aggiornata").wait_for()
    assert said().startswith("Aggiornata")
    page.screenshot(path=str(SCREENSHOTS / "editor-translation-confirmed.png"))
    publish(page)
    context.close()

    # what the editor wrote: the English version records the Italian one's fingerprint as Python computes it
    # from the saved file (the editor's JavaScript reads the same title, summary and text, spacing aside)
    it, en = front(source), front(translation)
    assert it["title"] == title and "translated_from" not in it
    assert "\n\n\n" in source.read_text(encoding="utf-8")  # the blank lines were saved as they were
    now, confirmed = fingerprints()
    assert now != recorded and confirmed == now
    assert en["translated_from"] == {"lang": "it", "fingerprint": now}
    assert now == fingerprint(title, it.get("summary") or "", split_front_matter(
        source.read_text(encoding="utf-8"))[1])
    check = subprocess.run([sys.executable, "-m", "divulga", "check", "--format", "json"], cwd=root,
                           capture_output=True, text=True, check=True)
    translations = json.loads(check.stdout)["translations"]
    listed = [version["path"] for version in translations["outdated"] + translations["unknown"]]
    assert f"content/news/{TRANSLATED}.en.md" not in listed


def fill(field, value: str) -> None:
    """Type into a form field, and again if the form set itself up once more meanwhile."""
    for _ in range(3):
        field.fill(value)
        field.page.wait_for_timeout(200)
        if field.input_value() == value:
            return
    raise AssertionError(f"the field keeps losing {value!r}")


def open_in_editor(page, address: str, route: str) -> None:
    """Open a page of the editor afresh (its state from the entry before would linger), signed in."""
    page.goto("about:blank")
    page.goto(f"{address}#/{route}")
    page.get_by_role("button", name="Pubblica").first.wait_for()
    # the form is drawn, then set up once more when the entry (or a new one's defaults) has loaded: what is
    # typed before that is lost
    page.locator("input[id^=title-field], input[id^=acronym-field]").first.wait_for()
    page.wait_for_timeout(1500)


def publish(page) -> None:
    """Publish the entry open in the editor, as an officer does: Publish, then Publish now."""
    from playwright.sync_api import Error as PlaywrightError
    page.get_by_role("button", name="Pubblica", exact=True).click()
    page.get_by_text("Pubblica ora").click()
    try:
        page.get_by_role("button", name="Pubblicato", exact=True).wait_for(timeout=15_000)
    except PlaywrightError:  # not published in time (TimeoutError is one)
        page.screenshot(path=str(SCREENSHOTS / "editor-failed.png"), full_page=True)
        errors = page.locator("[class*=ControlErrors] li").all_inner_texts()
        raise AssertionError(f"not published: {errors} (see {SCREENSHOTS / 'editor-failed.png'})") from None


def test_the_tag_vocabulary_in_either_form_and_in_the_editor_only_as_a_list(example, tmp_path):
    from divulga.read.tags import load_tags
    settings, content = example
    assert (ROOT / "content/tags.yaml").read_text(encoding="utf-8").count("- key:") == len(content.tags)
    lines = dataclasses.replace(settings, root=tmp_path, content_dir=tmp_path / "content")
    (tmp_path / "content").mkdir()
    (tmp_path / "content/tags.yaml").write_text("training: {it: Formazione, en: Training}\nnetworking: Networking\n",
                                                encoding="utf-8")
    listed = dataclasses.replace(lines, root=ROOT, content_dir=ROOT / "content")
    by_lines, by_list = load_tags(lines)[0], load_tags(listed)[0]
    assert by_lines["training"] == by_list["training"] and by_lines["networking"] == by_list["networking"]
    tags = next(c for c in decap_config(settings, content)["collections"] if c["name"] == "tags")
    vocabulary = tags["files"][0]
    assert vocabulary["file"] == "content/tags.yaml" and vocabulary["fields"][0]["name"] == "tags"
    same_fields(TAG, vocabulary["fields"][0]["fields"], "it", item=False)
    # key: label lines have keys no form can edit: no tag collection then
    assert "tags" not in {c["name"] for c in decap_config(lines, content)["collections"]}
    # the list form's mistakes, with their lines
    (tmp_path / "content/tags.yaml").write_text("tags:\n  - key: Bad Key\n    label: X\n  - key: networking\n"
                                                "    label: Networking\n  - key: networking\n    label: Y\n",
                                                encoding="utf-8")
    _, problems = load_tags(lines)
    assert [str(p) for p in problems] == [
        "content/tags.yaml:2: tags[1].key: a tag key is lowercase letters, digits and hyphens: try `bad-key`",
        "content/tags.yaml:6: tags[3].key: 'networking' is listed twice: it counts once; delete one"]
