"""Mistakes in mkdocs.yml (and SOURCE_DATE_EPOCH): reported, never accepted or raised.

Every configuration problem is reported like a content problem, as
``mkdocs.yml:LINE: field: message``, all at once, by `mkdocs build` and by
`divulga check` alike: each case builds a fixture site and checks it, and
both must list the same problems. A site with several mistakes lists them
all, so each build covers a group of cases.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import build_fixture, news, site_config

FILES = {
    "content/news/2024-01-01-a.it.md": news("Notizia"),
    "content/news/2024-01-01-a.en.md": news("News"),
}
PROBLEM = re.compile(r"^\s*(?:divulga: )?(mkdocs\.yml:\d+: \S+: .+|environment variable \S+: .+)$")
NO_EPOCH = {"SOURCE_DATE_EPOCH": ""}  # unset: the build date is today
KNOWN = ("Known options: archive_per_page, colors, content_dir, data_licence, description, editor, feed_items, funding, home_events, "
         "home_news, locales, news_per_page, search, search_pages_per_bundle, social_image, strings, tagline, timezone")
EPOCH_HOW = ("write the number of seconds since 1 January 1970 (UTC), as `date +%s` prints it, "
             "e.g. 1700000000, or unset it to use today's date")
CODE_HOW = ("write the language's two-letter code (ISO 639-1), e.g. it, en, fr or de, "
            "with a country after a hyphen if needed: pt-BR")


def divulga(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env or {})}
    env.pop("DIVULGA_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "divulga", *args], cwd=root,
                          capture_output=True, text=True, env=env)


def write_config(root: Path, config: dict) -> None:
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")


def problems(output: str) -> list[str]:
    return [m.group(1) for line in output.splitlines() if (m := PROBLEM.match(line))]


def line(root: Path, text: str, nth: int = 1) -> int:
    """The ``nth`` line of mkdocs.yml that starts with ``text`` (after its
    indentation, and after a list item's `- `)."""
    found = [number for number, written in
             enumerate((root / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
             if written.strip().startswith(text) or written.strip().removeprefix("- ").startswith(text)]
    return found[nth - 1]


def build_and_check(root: Path, config: dict, env: dict[str, str] | None = None,
                    files: dict[str, str] | None = None) -> tuple[list[str], list[str]]:
    """Build the fixture and check it: (the build's problems, the check's problems).

    Both must fail (exit 1), without a traceback, listing the same problems."""
    env = {**NO_EPOCH, **(env or {})}
    built = build_fixture(root, FILES if files is None else files, config=config, env=env)
    check = divulga(root, "check", "-f", str(root / "mkdocs.yml"), env=env)
    assert built.result.returncode == 1, built.output
    assert check.returncode == 1, check.stdout + check.stderr
    for output in (built.output, check.stdout + check.stderr):
        assert "Traceback" not in output, output
    assert not (root / "site" / "index.html").exists()
    build_problems, check_problems = problems(built.output), problems(check.stdout + check.stderr)
    assert build_problems == check_problems, (built.output, check.stdout)
    return build_problems, check_problems


# -- extra.divulga -------------------------------------------------------------------

def test_every_mistake_in_the_options_is_listed_at_once(tmp_path):
    config = site_config(extra={
        "news_per_pag": 5,
        "news_per_page": True,
        "archive_per_page": 2.5,
        "home_news": -2,
        "feed_items": -1,
        "search": "false",
        "social_image": ["social.png"],
        "content_dir": "contents",
        "locales": {"en": "en_XX", "fr": "fr_FR"},
        "strings": {"it": {"newz": "Notizie", "page_of": "Pagina {pagina} di {pages}", "next": ""},
                    "en": {"news": "Stories", "page_of": "Page {page} of {pages}"},
                    "de": {"news": "Nachrichten"}},
        "funding": {"statement": "cofunded", "programe": "ERDF",
                    "programme": {"it": "Programma FESR", "eng": "ERDF Programme"}},
    })
    build, _ = build_and_check(tmp_path, config, env={"SOURCE_DATE_EPOCH": "abc"})
    at = lambda text, nth=1: f"mkdocs.yml:{line(tmp_path, text, nth)}"  # noqa: E731
    site = tmp_path.resolve()
    expected = [
        f"{at('news_per_pag:')}: extra.divulga.news_per_pag: unknown option; did you mean news_per_page? {KNOWN}",
        f"{at('news_per_page:')}: extra.divulga.news_per_page: write a whole number of at least 1, e.g. 10, not true",
        f"{at('archive_per_page:')}: extra.divulga.archive_per_page: write a whole number of at least 1, "
        "e.g. 20, not 2.5",
        f"{at('home_news:')}: extra.divulga.home_news: write a whole number (0 or more), e.g. 4, not -2",
        f"{at('feed_items:')}: extra.divulga.feed_items: write a whole number of at least 1, e.g. 50, not -1",
        f"{at('search:')}: extra.divulga.search: write true (build the search index) or false (no search), "
        "without quotes, not 'false'",
        f"{at('social_image:')}: extra.divulga.social_image: write the path of the link-preview image, "
        "e.g. assets/images/social.png, not a list",
        f"{at('content_dir:')}: extra.divulga.content_dir: folder not found: contents (looked for "
        f"{site / 'contents'}): create it, or write the name of the folder with news/ and projects/, "
        "e.g. content_dir: content",
        f"{at('en: en_XX')}: extra.divulga.locales.en: 'en_XX' is not a locale Divulga knows: write a "
        "language code and a country, e.g. en_GB, pt_BR or fr_BE",
        f"{at('fr: fr_FR')}: extra.divulga.locales.fr: 'fr' is not one of the site's languages (it, en): "
        "use one of them, or remove this line",
        f"{at('newz:')}: extra.divulga.strings.it.newz: unknown interface text; did you mean news? "
        "The keys are listed in Divulga's ui_strings.yaml.",
        f"{at('page_of:')}: extra.divulga.strings.it.page_of: {{pagina}} cannot be filled in here: "
        "this text can use {page}, {pages}",
        f"{at('next:')}: extra.divulga.strings.it.next: write the text, not ''",
        f"{at('de:')}: extra.divulga.strings.de: 'de' is not one of the site's languages (it, en): "
        "use one of them, or remove this block",
        f"{at('statement: cofunded')}: extra.divulga.funding.statement: write co-funded or funded, not 'cofunded'",
        f"{at('programe:')}: extra.divulga.funding.programe: unknown setting; did you mean programme? "
        "Write statement: and programme:",
        f"{at('eng: ERDF')}: extra.divulga.funding.programme.eng: 'eng' is not one of the site's "
        "languages (it, en): use one of them, or remove this line",
        f"environment variable SOURCE_DATE_EPOCH: 'abc' is not a date: {EPOCH_HOW}",
    ]
    assert sorted(build) == sorted(expected)
    # the correct overrides (en's strings) were not reported
    assert not [p for p in build if ".strings.en" in p]


def test_divulga_options_must_be_a_mapping(tmp_path):
    config = site_config()
    config["extra"]["divulga"] = ["news_per_page", 5]
    build, _ = build_and_check(tmp_path, config, env={"SOURCE_DATE_EPOCH": "99999999999999999999"})
    message = ("write Divulga's options as `key: value` lines under divulga:, one per line, e.g. "
               f"news_per_page: 10 (known options: {KNOWN.removeprefix('Known options: ')})")
    assert build == [
        f"mkdocs.yml:{line(tmp_path, 'divulga:')}: extra.divulga: {message}",
        "environment variable SOURCE_DATE_EPOCH: 99999999999999999999 seconds is too far in the future "
        f"to be a date: {EPOCH_HOW}",
    ]
    config["extra"]["divulga"] = "news_per_page: 5"  # a text: the same mistake (check only)
    write_config(tmp_path, config)
    check = divulga(tmp_path, "check", env=NO_EPOCH)
    assert check.returncode == 1
    assert problems(check.stdout) == [f"mkdocs.yml:{line(tmp_path, 'divulga:')}: extra.divulga: {message}"]


def test_options_of_the_wrong_shape_and_the_search_plugin(tmp_path):
    """Material's search plugin (Divulga builds a Pagefind index) rendered a
    template that needs Divulga's hooks before they ran: a traceback."""
    config = site_config(extra={"funding": "co-funded", "strings": ["it", "news"], "locales": "en_GB"})
    config["plugins"].insert(0, "search")
    build, _ = build_and_check(tmp_path, config)
    assert build == [
        f"mkdocs.yml:{line(tmp_path, '- search')}: plugins: Divulga builds its own search index (turned off "
        "with extra.divulga.search: false): remove the search plugin from plugins:",
        f"mkdocs.yml:{line(tmp_path, 'funding:')}: extra.divulga.funding: write `statement: co-funded` "
        "(or funded) and `programme:` with the programme's name, on lines of their own under funding:",
        f"mkdocs.yml:{line(tmp_path, 'locales:')}: extra.divulga.locales: write one line per language "
        "with the locale for its dates and numbers, e.g. en: en_GB",
        f"mkdocs.yml:{line(tmp_path, 'strings:')}: extra.divulga.strings: write a block per language with "
        "the interface texts to change, e.g. `it:` and below it `news: Notizie`",
    ]


# -- content_dir ---------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["parent", "absolute", "symlink"])
def test_content_dir_must_be_inside_the_site(tmp_path, where):
    root, outside = tmp_path / "site-src", tmp_path / "outside"
    for rel, text in FILES.items():
        path = outside / rel.removeprefix("content/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    root.mkdir()
    value = {"parent": "../outside", "absolute": str(outside), "symlink": "content"}[where]
    if where == "symlink":
        (root / "content").symlink_to(outside, target_is_directory=True)
    build, _ = build_and_check(root, site_config(extra={"content_dir": value}), files={})
    link = f" (it leads to {outside.resolve()})" if where == "symlink" else ""
    assert build == [
        f"mkdocs.yml:{line(root, 'content_dir:')}: extra.divulga.content_dir: '{value}' is outside the site's "
        f"folder{link}: keep the content in a folder inside it, e.g. content_dir: content"]


# -- the languages (static-i18n's plugin) --------------------------------------------------

def test_language_list_mistakes(tmp_path):
    languages = [
        {"locale": "it", "name": "Italiano", "default": True, "build": True},
        {"locale": "en", "name": "English", "build": True},
        {"locale": "xx", "name": "Xish", "build": True},
        {"locale": "en", "name": "English (UK)", "build": True},
        {"locale": "fr", "name": "Français", "default": True, "build": True},
    ]
    build, _ = build_and_check(tmp_path, site_config(languages=languages),
                               env={"SOURCE_DATE_EPOCH": "-1e99"})
    en, en_again = line(tmp_path, "locale: en"), line(tmp_path, "locale: en", 2)
    assert build == [
        f"mkdocs.yml:{line(tmp_path, 'locale: xx')}: plugins.i18n.languages.locale: 'xx' is not a "
        f"language code: {CODE_HOW}",
        f"mkdocs.yml:{en_again}: plugins.i18n.languages.locale: the language en is listed twice "
        f"(lines {en} and {en_again}): keep one of them, or the site would have two versions of every "
        "page in that language",
        f"mkdocs.yml:{line(tmp_path, 'default: true', 2)}: plugins.i18n.languages.default: more than one "
        f"language has `default: true` (lines {line(tmp_path, 'default: true')} and "
        f"{line(tmp_path, 'default: true', 2)}): keep it on the language served at the site's root only",
        f"environment variable SOURCE_DATE_EPOCH: '-1e99' is not a date: {EPOCH_HOW}",
    ]


@pytest.mark.parametrize("languages, theirs", [
    ([{"locale": "it", "name": "Italiano"}, {"locale": "en", "name": "English"}],
     "Could not find a default language to build"),
    ([{"locale": "Italiano", "name": "Italiano", "default": True}, {"locale": False, "name": "Norsk"}],
     "Language code values must be either ISO-639-1"),
])
def test_language_mistakes_static_i18n_stops_first(tmp_path, languages, theirs):
    """static-i18n refuses these while MkDocs reads the configuration, before
    Divulga's hooks are loaded: the build says so in its words (no traceback),
    `divulga check` in Divulga's, with the line."""
    config = site_config(languages=languages)
    built = build_fixture(tmp_path, FILES, config=config, env=NO_EPOCH)
    assert built.result.returncode == 1 and theirs in built.output and "Traceback" not in built.output
    check = divulga(tmp_path, "check", env=NO_EPOCH)
    assert check.returncode == 1 and "Traceback" not in check.stdout + check.stderr
    listed = problems(check.stdout)
    if theirs.startswith("Could not"):
        assert listed == [
            f"mkdocs.yml:{line(tmp_path, 'languages:')}: plugins.i18n.languages: no language has "
            "`default: true`: add it to the language served at the site's root (one language only)"]
    else:
        assert listed == [
            f"mkdocs.yml:{line(tmp_path, 'locale: Italiano')}: plugins.i18n.languages.locale: 'Italiano' "
            f"is not a language code: {CODE_HOW}",
            f"mkdocs.yml:{line(tmp_path, 'locale: false')}: plugins.i18n.languages.locale: YAML reads this "
            "as false, not as a language code: write the code in quotes, e.g. locale: \"no\"",
        ]


@pytest.mark.parametrize("plugins", [None, ["search"]])
def test_the_i18n_plugin_is_required(tmp_path, plugins):
    """Without it (and without a plugins: list), MkDocs' default search
    plugin rendered a template that needs Divulga's hooks before they ran:
    a traceback."""
    config = site_config(extra={"news_per_page": 0})
    if plugins is None:
        del config["plugins"]
    else:
        config["plugins"] = plugins
    build, _ = build_and_check(tmp_path, config)
    where = line(tmp_path, "plugins:") if plugins else 1
    assert build == [
        f"mkdocs.yml:{where}: plugins: Divulga needs the mkdocs-static-i18n plugin (`i18n`) with the "
        "site's languages: add `- i18n:` under plugins:, as in Divulga's example mkdocs.yml",
        f"mkdocs.yml:{line(tmp_path, 'news_per_page:')}: extra.divulga.news_per_page: write a whole number "
        "of at least 1, e.g. 10, not 0",
    ]


# -- the editor tools -----------------------------------------------------------------------

def test_check_json_and_new_report_configuration_problems(tmp_path):
    (tmp_path / "content").mkdir()
    write_config(tmp_path, site_config(extra={"feed_items": 0}))
    result = divulga(tmp_path, "check", "--format", "json", env=NO_EPOCH)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == [{"path": "mkdocs.yml", "line": line(tmp_path, "feed_items:"),
                                 "field": "extra.divulga.feed_items", "severity": "error",
                                 "message": "write a whole number of at least 1, e.g. 50, not 0"}]
    assert report["counts"]["errors"] == 1
    new = divulga(tmp_path, "new", "news", "Titolo", env=NO_EPOCH)
    assert new.returncode == 1 and "Traceback" not in new.stderr
    assert problems(new.stderr) == [f"mkdocs.yml:{line(tmp_path, 'feed_items:')}: extra.divulga.feed_items: "
                                    "write a whole number of at least 1, e.g. 50, not 0"]
    assert not (tmp_path / "content" / "news").exists()


# -- in process: the values themselves ------------------------------------------------------

@pytest.mark.parametrize("value", ["abc", "-1e99", "-1", "1.5", "1e9", "0x10", "99999999999999999",
                                   "9" * 5000, "１２３"])
def test_source_date_epoch_must_be_seconds(value):
    from divulga.settings import build_date
    with pytest.raises(ValueError, match="seconds since 1 January 1970"):
        build_date({"SOURCE_DATE_EPOCH": value})


def test_source_date_epoch_read():
    import datetime as dt

    from divulga.settings import build_date
    assert build_date({"SOURCE_DATE_EPOCH": "1700000000"}) == dt.date(2023, 11, 14)
    assert build_date({"SOURCE_DATE_EPOCH": " 0\n"}) == dt.date(1970, 1, 1)
    assert build_date({"SOURCE_DATE_EPOCH": ""}) == dt.date.today()


def test_correct_options_are_read(tmp_path):
    from divulga.config_file import settings_from_config
    (tmp_path / "stuff").mkdir()
    config = {"plugins": [{"i18n": {"languages": [
        {"locale": "it", "name": "Italiano", "default": True}, {"locale": "pt-BR", "name": "Português"},
        {"locale": "null", "name": "Help", "fixed_link": "https://example.org/"}]}}],
        "extra": {"divulga": {
            "content_dir": "stuff", "home_news": 0, "search": False, "social_image": "img/x.png",
            "locales": {"pt-BR": "pt_BR"}, "strings": {"it": {"page_of": "{page}/{pages}"}, "pt-BR": None},
            "funding": {"statement": "funded", "programme": {"it": "Programma"}}}}}
    settings = settings_from_config(config, tmp_path, {})
    assert settings.codes == ("it", "pt-BR") and settings.content_dir == tmp_path / "stuff"
    assert (settings.home_news, settings.search, settings.social_image) == (0, False, "img/x.png")
    assert settings.locales == {"en": "en_GB", "pt-BR": "pt_BR"}
    assert settings.strings == {"it": {"page_of": "{page}/{pages}"}}
    assert settings.funding.statement == "funded" and settings.funding.programme.values == {"it": "Programma"}


def test_problems_without_a_file_have_no_line(tmp_path):
    from divulga.config_file import ConfigError, settings_from_config
    config = {"plugins": [{"i18n": {"languages": [{"locale": "it", "default": True}]}}],
              "extra": {"divulga": {"serch": True}}}
    with pytest.raises(ConfigError) as info:
        settings_from_config(config, tmp_path, {"SOURCE_DATE_EPOCH": "x"})
    assert [str(p) for p in info.value.problems] == [
        f"mkdocs.yml:1: extra.divulga.serch: unknown option; did you mean search? {KNOWN}",
        f"environment variable SOURCE_DATE_EPOCH: 'x' is not a date: {EPOCH_HOW}",
    ]
    assert str(info.value).startswith("2 problems in the configuration:\n  mkdocs.yml:1:")
