"""The domain core on its own: no MkDocs, no build."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, news
from PIL import Image

from divulga import ContentError, Language, Settings, load_site
from divulga.l10n import Localizer
from divulga.plan.validate import validate
from divulga.read.loader import load_content
from divulga.read.yamlsource import parse_mapping, split_front_matter
from divulga.text import first_paragraph, shorten, slugify

IT_EN = (Language("it", "Italiano", default=True), Language("en", "English"))


def settings_for(root: Path, languages=IT_EN, **kwargs) -> Settings:
    return Settings(root=root, languages=languages, content_dir=root / "content", **kwargs)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_core_does_not_import_mkdocs():
    code = ("import sys, divulga, divulga.read.loader, divulga.plan.planner, divulga.plan.validate, divulga.write.feeds, "
            "divulga.write.sitemap, divulga.write.metadata, divulga.write.search_index, divulga.editor.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'mkdocs_static_i18n')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_yaml_lines_of_keys_and_list_items():
    doc, problems = parse_mapping("a: 1\nb:\n  - x\n  - y\nc: {d: 2}\n", path="f.yaml", line_offset=1)
    assert problems == []
    assert doc.data == {"a": 1, "b": ["x", "y"], "c": {"d": 2}}
    assert doc.line("a") == 2 and doc.line("b", 1) == 5 and doc.line("c", "d") == 6
    assert doc.line("missing") == 2


def test_yaml_duplicate_key_and_bad_value_are_problems():
    doc, problems = parse_mapping("a: 1\na: 2\nd: 2023-02-30\n", path="f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:2: a: written twice; keep one",
        "f.yaml:3: d: '2023-02-30' is not a date that exists: check the day and the month",
    ]


def test_front_matter_split():
    front, body, line = split_front_matter("---\ntitle: x\n---\n\nBody\n")
    assert front == "title: x\n" and body == "\nBody\n" and line == 4
    assert split_front_matter("No front matter")[0] is None


@pytest.mark.parametrize("text, slug", [
    ("Città più sostenibili", "citta-piu-sostenibili"),
    ("2024_01_10 Bad Slug", "2024-01-10-bad-slug"),
    ("  Ça & là!  ", "ca-la"),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_summary_helpers():
    assert first_paragraph("# T\n\n- list\n\nThe [first](x.md) *one*.\n\nSecond.") == "The first one."
    long = "word " * 100
    short = shorten(long.strip(), 50)
    assert len(short) <= 50 and short.endswith("…")


def test_localized_dates_and_language_names(tmp_path):
    l10n = Localizer(settings_for(tmp_path))
    assert l10n.date(dt.date(2023, 9, 21), "it") == "21 settembre 2023"
    assert l10n.date(dt.date(2023, 9, 21), "en") == "21 September 2023"
    assert l10n.language_name("en", "it") == "inglese"
    assert l10n.language_label("it", "fallback_notice", "en") == "Questa notizia è disponibile solo in inglese."
    assert l10n.t("fr", "news") == "News"  # untranslated language falls back to English


def test_site_strings_override_builtin(tmp_path):
    l10n = Localizer(settings_for(tmp_path, strings={"it": {"news": "Novità"}}))
    assert l10n.t("it", "news") == "Novità"
    assert l10n.t("it", "archive_index") == "Archivio"


def test_shared_facts_inherited_and_fallback_version(tmp_path):
    write(tmp_path, {
        "content/tags.yaml": "t: {it: Uno, en: One}\n",
        "content/news/2024-05-01-a.it.md": news("A it", "2024-05-01", tags=["t"]),
        "content/news/2024-05-01-a.en.md": news("A en", None, draft=True),
    })
    content, problems = load_content(settings_for(tmp_path))
    assert problems == []
    (item,) = content.news
    assert item.tags == ("t",) and item.date == dt.date(2024, 5, 1)
    assert item.version_for("en", ("it", "en")).lang == "it"


def test_plan_alternates_are_reciprocal(tmp_path):
    write(tmp_path, {
        "content/news/2024-05-01-a.it.md": news("A", "2024-05-01"),
        "content/news/2024-05-02-b.en.md": news("B", "2024-05-02"),
    })
    site = load_site(settings_for(tmp_path))
    it_pages = {p.key: p for p in site.plan.for_language("it")}
    en_pages = {p.key: p for p in site.plan.for_language("en")}
    assert it_pages.keys() == en_pages.keys()
    for key, page in it_pages.items():
        assert page.alternates == en_pages[key].alternates == {"it": page.path, "en": en_pages[key].path}
    b_it = it_pages[("news", "2024-05-02-b")]
    assert b_it.notice == "Questa notizia è disponibile solo in inglese." and b_it.version.lang == "en"
    assert [e.slug for e in site.plan.latest["it"]] == ["2024-05-02-b", "2024-05-01-a"]


def test_load_site_raises_with_all_errors(tmp_path):
    write(tmp_path, {
        "content/news/2024-05-01-a.it.md": "---\ntitle: A\n---\n",
        "content/news/2024-05-01-b.it.md": "---\ndate: 2024-05-01\n---\n",
    })
    with pytest.raises(ContentError) as info:
        load_site(settings_for(tmp_path))
    assert [p.field for p in info.value.problems] == ["date", "title"]
    assert "2 problems in the content" in str(info.value)


@pytest.mark.parametrize("options, message", [
    ({"archive_per_page": 0}, "extra.divulga.archive_per_page: write a whole number of at least 1"),
    ({"news_per_page": "ten"}, "extra.divulga.news_per_page: write a whole number"),
])
def test_listing_sizes_are_checked(tmp_path, options, message):
    from divulga.config_file import ConfigError, settings_from_config
    config = {"plugins": [{"i18n": {"languages": [{"locale": "it", "default": True}]}}],
              "extra": {"divulga": options}}
    with pytest.raises(ConfigError, match=message):
        settings_from_config(config, tmp_path, {})


def test_listing_sizes_are_read(tmp_path):
    from divulga.config_file import settings_from_config
    config = {"plugins": [{"i18n": {"languages": [{"locale": "it", "default": True}]}}],
              "extra": {"divulga": {"news_per_page": 5, "archive_per_page": 20}}}
    settings = settings_from_config(config, tmp_path, {})
    assert (settings.news_per_page, settings.archive_per_page) == (5, 20)


def test_pagination_shows_first_last_and_two_either_side():
    """A page of a long listing links a handful of pages, not every page."""
    from divulga.plan.planner import _page_window
    paths = [f"news/page/{n}/" for n in range(1, 21)]
    numbers = lambda current: [n for n, _ in _page_window(current, paths)]  # noqa: E731
    assert numbers(10) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert numbers(1) == [1, 2, 3, None, 20]
    assert numbers(4) == [1, 2, 3, 4, 5, 6, None, 20]
    assert numbers(20) == [1, None, 18, 19, 20]
    assert _page_window(2, paths[:3]) == ((1, "news/page/1/"), (2, "news/page/2/"), (3, "news/page/3/"))


def test_a_shared_field_written_empty_is_as_if_not_written_in_every_version(tmp_path):
    """`image: ""` (as a web form leaves it) in one version: not a fact of the item, and no disagreement
    with a translation that names the picture (it was a traceback once)."""
    write(tmp_path, {
        "content/news/2024-01-01-x.it.md": news("Titolo", image="", tags=[]),
        "content/news/2024-01-01-x.en.md": news("Title", date=None, image_alt="A photo"),
        "content/news/2024-01-02-y.it.md": news("Titolo", date="2024-01-02", image=" "),
        "content/news/2024-01-02-y.en.md": news("Title", date=None, image="photo.png", image_alt="A photo"),
    })
    (tmp_path / "content/media").mkdir()
    Image.new("RGB", (8, 8)).save(tmp_path / "content/media/photo.png")
    validated = validate(settings_for(tmp_path))
    assert [p for p in validated.problems if p.severity == "error"] == []
    images = {item.slug: item.image for item in validated.content.news}
    assert images == {"2024-01-01-x": None, "2024-01-02-y": "photo.png"}
