"""The pages' Markdown converted in worker processes (divulga.adapter.conversion):
the same pages as the build converting them itself, or the build converts them.

- each body a worker converts gives what MkDocs' own conversion gives, in the
  build's process, with the site's files: HTML, table of contents, title,
  anchors, links to the page's own anchors; a body with a link or an image
  to resolve against the files, or one that makes MkDocs warn, is left to the
  build;
- the example site built with one worker and without any: every file the same,
  byte for byte, and the worker did convert pages;
- one Markdown converter kept from page to page (conversion.Converter) gives
  what MkDocs' Page.render gives for each page, and is not kept with an
  extension that keeps something of a page.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor

import markdown
import pytest
from conftest import ROOT, build_fixture, news, run_build, site_config
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from divulga import runtime
from divulga.adapter import conversion
from divulga.adapter.events import _GeneratedPage
from divulga.runtime import Helpers
from test_determinism import _files, require_deterministic_pagefind

EXTENSIONS = {"markdown_extensions": ["toc", "attr_list", "admonition", "tables", "footnotes", "abbr"],
              "mdx_configs": {"toc": {"permalink": True}}}

CONVERTED_BY_WORKERS = {
    "plain": "A paragraph with *emphasis*, **strong** and `code`.\n\nAnother one.",
    "headings": "# Title of the page\n\nIntro.\n\n## Section one\n\nText.\n\n### Deeper {#custom-id}\n\nMore.",
    "own anchors": "## Goals\n\nSee [the goals](#goals) and [nothing here](#missing).",
    "other sites": "[A site](https://example.org/page?a=1&b=2), <https://example.org>, <someone@example.org>, "
                   "![remote](https://example.org/x.png)",
    "admonition and table": "!!! note\n    Inside a note.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "footnotes and abbreviations": "HTML text[^1].\n\n[^1]: A note.\n\n*[HTML]: Hyper Text Markup Language",
    "raw html": '<div id="raw-anchor" class="box">raw <b>html</b></div>\n\n<a name="named"></a>\n\nAfter.',
    "unsafe": "<script>alert(1)</script> <img src=x onerror=alert(1)> [bad](javascript:alert(1))",
    "empty-ish": "\n\n   \n",
    "query only": "[page two](?page=2) [again](?page=2#goals)",
}
LEFT_TO_THE_BUILD = {
    "relative link": "See [the other item](../other/).",
    "link to a page": "See [about](about.md).",
    "absolute link": "See [the root](/news/).",
    "picture": "![a photo](media/photo.jpg)",
}


def _build_conversion(text: str, extensions: dict = EXTENSIONS, converter=None) -> Page:
    """MkDocs' own conversion, in this process, with files to resolve links against (or ``converter``'s)."""
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(ROOT / "docs"), **extensions})
    config.validate()
    file = File("news/item.md", src_dir=None, dest_dir="site", use_directory_urls=True)
    about = File("news/about.md", src_dir=None, dest_dir="site", use_directory_urls=True)
    page = Page(None, file, config)
    page.markdown = text
    if converter is None:
        page.render(config, Files([file, about]))
    else:
        converter.render(page, config, Files([file, about]))
    return page


def _rendered(page: Page) -> tuple:
    """What ``Page.render`` sets on a page."""
    return (page.content, _toc(page.toc), page._title_from_render, page.present_anchor_ids,
            {file.src_uri: links for file, links in page.links_to_anchors.items()})


def _toc(toc) -> list:
    return [(item.title, item.id, item.level, _toc(item.children)) for item in toc]


@pytest.mark.parametrize("name", sorted(CONVERTED_BY_WORKERS))
def test_a_worker_converts_as_mkdocs_does(name):
    text = CONVERTED_BY_WORKERS[name]
    expected = _build_conversion(text)
    converted = conversion.convert(EXTENSIONS, text)
    assert converted is not None
    page = _GeneratedPage(None, File("news/item.md", src_dir=None, dest_dir="site", use_directory_urls=True),
                          MkDocsConfig())
    conversion.apply(page, converted)
    assert page.content == expected.content
    assert _toc(page.toc) == _toc(expected.toc)
    assert page._title_from_render == expected._title_from_render
    assert page.present_anchor_ids == expected.present_anchor_ids
    assert list(page.links_to_anchors.values()) == list(expected.links_to_anchors.values())
    assert converted.cleaned == str(conversion.clean(expected.content))


def test_own_anchor_links_are_checked_as_mkdocs_checks_them():
    page = _GeneratedPage(None, File("news/item.md", src_dir=None, dest_dir="site", use_directory_urls=True),
                          MkDocsConfig())
    conversion.apply(page, conversion.convert(EXTENSIONS, CONVERTED_BY_WORKERS["own anchors"]))
    assert page.links_to_anchors == {page.file: {"goals": "#goals", "missing": "#missing"}}


# Every extension a Converter keeps its converter with, and pages that leave something behind in a
# converter if anything does: ids taken, an admonition or a list last, a stashed code block, reference links.
EVERY_RESETTABLE = {"markdown_extensions": sorted(conversion.RESETTABLE),
                    "mdx_configs": {"toc": {"permalink": True}}}
ONE_AFTER_ANOTHER = [
    "# Intro\n\n## Intro\n\n## Intro\n\nText {: #given .marked }\n\n!!! note \"A title\"\n    Inside.",
    "## Intro\n\nTerm\n:   Definition\n\n```python\nprint(1)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[ref]: https://example.org",
    "1. one\n2. two\n\n* a\n* b\n\n\"Quotes\" -- and... [ref]\nline  \nbreak\n\n* last",
    "See [about](about.md), [the intro](#intro), [a site](https://example.org).\n\n<div id=\"raw\">raw</div> {@id=old}",
    "    indented code\n\n_em_ __strong__ `code` <b>html</b>\n\n!!! warning\n    Last.",
]


def test_a_converter_kept_from_page_to_page_converts_as_mkdocs_does(monkeypatch):
    made = []

    class Counted(markdown.Markdown):
        def __init__(self, **options):
            self.converted = 0
            made.append(self)
            super().__init__(**options)

        def convert(self, source):
            self.converted += 1
            return super().convert(source)

    monkeypatch.setattr(conversion.markdown, "Markdown", Counted)
    converter = conversion.Converter()
    pages = ONE_AFTER_ANOTHER + ONE_AFTER_ANOTHER[::-1] + ONE_AFTER_ANOTHER
    for text in pages:
        expected = _build_conversion(text, EVERY_RESETTABLE)
        assert _rendered(_build_conversion(text, EVERY_RESETTABLE, converter)) == _rendered(expected), text
    # one converter converted every page (MkDocs makes one per page, and one to check the settings)
    assert max(md.converted for md in made) == len(pages)


def test_a_converter_with_an_extension_that_keeps_something_makes_one_per_page():
    # footnotes with unique ids counts the pages it converted: a kept converter would number them on
    footnotes = {"markdown_extensions": ["toc", "footnotes"], "mdx_configs": {"footnotes": {"UNIQUE_IDS": True}}}
    converter = conversion.Converter()
    for text in ["A note[^1].\n\n[^1]: One.", "Another[^1].\n\n[^1]: Two."]:
        assert _rendered(_build_conversion(text, footnotes, converter)) == _rendered(_build_conversion(text, footnotes))
    assert not conversion.resettable(["toc", "footnotes"]) and conversion.resettable(["markdown.extensions.toc"])


def test_a_converter_after_a_conversion_that_failed_half_way_converts_the_next_page_as_mkdocs_does():
    converter = conversion.Converter()
    assert conversion.convert(EVERY_RESETTABLE, ONE_AFTER_ANOTHER[0], converter) is not None
    assert conversion.convert(EVERY_RESETTABLE, "## Intro\n\n[a link to resolve](../x/)", converter) is None
    after = conversion.convert(EVERY_RESETTABLE, ONE_AFTER_ANOTHER[0], converter)
    assert after.content == _build_conversion(ONE_AFTER_ANOTHER[0], EVERY_RESETTABLE).content


@pytest.mark.parametrize("name", sorted(LEFT_TO_THE_BUILD))
def test_a_body_with_a_link_to_resolve_is_left_to_the_build(name):
    assert conversion.convert(EXTENSIONS, LEFT_TO_THE_BUILD[name]) is None


class _Warner(Extension):
    """An extension that warns about every page (--strict would stop the build)."""

    def extendMarkdown(self, md):
        md.treeprocessors.register(_WarningTreeprocessor(md), "warner", 1)


class _WarningTreeprocessor(Treeprocessor):
    def run(self, root):
        logging.getLogger("mkdocs.plugins.test").warning("something to look at")


def test_a_body_that_makes_mkdocs_warn_is_left_to_the_build():
    config = {"markdown_extensions": ["toc", _Warner()], "mdx_configs": {}}
    assert conversion.convert(config, "text") is None
    assert conversion.convert({"markdown_extensions": ["toc"], "mdx_configs": {}}, "text") is not None


def test_the_workers_results_reach_the_build_and_only_for_the_same_markdown():
    texts = [f"Item {n}\n\n## Part {n}\n\nBody [top](#part-{n})." for n in range(80)] + ["[x](other.md)"]
    jobs = [(("it", n), text) for n, text in enumerate(texts)]
    helpers = Helpers(1)
    conversions = conversion.Conversions(jobs, first=40, helpers=helpers, markdown_config=EXTENSIONS)
    try:
        conversions.settle()
        assert conversions.job(("it", 3)) == 3 and conversions.job(("en", 3)) is None
        taken = [conversions.take(n, text) for n, text in enumerate(texts)]
        # the build converts the first chunks itself: it is there before a worker could be
        near = conversion.NEAR * conversion.CHUNK
        assert all(result is None for result in taken[:near])
        assert all(result is not None for result in taken[near:80]) and taken[80] is None  # the link: the build's
        assert taken[37].content == _build_conversion(texts[37]).content
        assert conversions.taken == 80 - near
        assert conversions.take(45, texts[45] + " changed by a plugin") is None
    finally:
        conversions.close()
        helpers.shutdown()


def _ends(pid: int, timeout: float = 60) -> bool:
    """Whether process ``pid`` is gone within ``timeout`` seconds."""
    import os
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


def test_the_workers_are_let_go_once_every_language_is_converted():
    """Not at the end of the build: the last language renders while the worker process exits."""
    from divulga.adapter.state import Build
    jobs = [(("it", 0), "# A"), (("en", 0), "# B")]
    helpers = Helpers(1)
    conversions = conversion.Conversions(jobs, first=1, helpers=helpers, markdown_config=EXTENSIONS, settle=True)
    build = Build(site=None, conversions=conversions, helpers=helpers)  # type: ignore[arg-type]
    try:
        conversions.settle()
        processes = list(helpers._pool._processes.values())
        build.converted_all("it", {"it", "en"})
        assert build.helpers is helpers and build.conversions is conversions
        assert processes and all(process.is_alive() for process in processes)
        build.converted_all("en", {"it", "en"})
        assert build.helpers is None and build.conversions is None
        for process in processes:  # told to stop, it ends (and the pool's own thread reaps it)
            assert _ends(process.pid)
        assert build.stop_conversions() is conversions  # what the build's log reports at the end
    finally:
        conversions.close()
        helpers.shutdown()


def test_a_worker_that_cannot_take_the_settings_leaves_every_page_to_the_build():
    broken = {"markdown_extensions": ["toc"], "mdx_configs": {"toc": {"slugify": lambda text, sep: text}}}
    helpers = Helpers(1)
    conversions = conversion.Conversions([("a", "# A")], first=1, helpers=helpers, markdown_config=broken)
    try:
        conversions.settle()
        assert conversions.take(0, "# A") is None
    finally:
        conversions.close()
        helpers.shutdown()


def test_the_number_of_workers():
    assert runtime.workers_wanted({}, 5000, cpus=2) == 1
    assert runtime.workers_wanted({}, 5000, cpus=16) == runtime.MAX_WORKERS
    assert runtime.workers_wanted({}, 50, cpus=16) == 0  # a small site: not worth starting one
    assert runtime.workers_wanted({}, 5000, cpus=1) == 0
    assert runtime.workers_wanted({runtime.ENV: "3"}, 5, cpus=1) == 3
    assert runtime.workers_wanted({runtime.ENV: "0"}, 5000, cpus=16) == 0
    for wrong in ("two", "-1", "1.5", "1000"):
        with pytest.raises(runtime.WorkersSetting, match="whole number"):
            runtime.workers_wanted({runtime.ENV: wrong}, 5000, cpus=4)


def test_a_wrong_number_of_workers_is_reported_by_the_build(tmp_path):
    result = run_build(ROOT / "mkdocs.yml", tmp_path / "site", env={runtime.ENV: "many"})
    assert result.returncode == 1
    assert "DIVULGA_CONVERT_WORKERS='many': give a whole number" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_the_example_site_is_the_same_built_with_a_worker_and_without(tmp_path):
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    sites = {workers: tmp_path / f"workers-{workers}" / "site" for workers in ("0", "1")}
    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(sites, pool.map(
            lambda workers: run_build(ROOT / "mkdocs.yml", sites[workers],
                                      env={**epoch, runtime.ENV: workers, conversion.SETTLE_ENV: "1"}),
            sites)))
    for result in results.values():
        assert result.returncode == 0, result.stdout + result.stderr
    log = results["1"].stdout + results["1"].stderr
    found = re.search(r"Markdown: (\d+) of (\d+) page bodies converted by 1 worker process\b", log)
    assert found and int(found.group(1)) > 0, log
    assert "page bodies converted" not in results["0"].stdout + results["0"].stderr
    without, with_worker = _files(sites["0"]), _files(sites["1"])
    require_deterministic_pagefind(without)
    assert sorted(without) == sorted(with_worker)
    assert [name for name in without if without[name] != with_worker[name]] == []


EXTENSION_OBJECT_HOOK = """
from markdown.extensions.abbr import AbbrExtension


def on_config(config):
    config.markdown_extensions.append(AbbrExtension())  # as a plugin hands over its own extension
    return config
"""


def test_no_worker_when_a_plugin_hands_over_an_extension_object(tmp_path):
    """An extension object may keep what it sees of each page in the build's process (autorefs does):
    the build converts every page itself."""
    (tmp_path / "extension_hook.py").write_text(EXTENSION_OBJECT_HOOK, encoding="utf-8")
    config = site_config()
    config["hooks"].append(str(tmp_path / "extension_hook.py"))
    files = {f"content/news/item-{n}.it.md": news(f"Notizia {n}", body=f"Testo {n}.") for n in range(3)}
    named = build_fixture(tmp_path / "named", files, env={runtime.ENV: "1"})
    assert named.ok, named.output
    assert re.search(r"Markdown: \d+ of 6 page bodies converted by 1 worker process", named.output), named.output
    handed = build_fixture(tmp_path / "handed", files, config=config, env={runtime.ENV: "1"})
    assert handed.ok, handed.output
    assert "page bodies converted" not in handed.output



def test_the_workers_meet_the_build_once_per_run_of_pages():
    """The first language's chunks from its last; the others in runs of AHEAD pages, each from its last:
    a worker slower than the build is caught up with once per run, not at every chunk."""
    assert conversion.worker_order(13, first=3, window=4) == [2, 1, 0, 6, 5, 4, 3, 10, 9, 8, 7, 12, 11]
    assert conversion.worker_order(3, first=3, window=4) == [2, 1, 0]
    assert conversion.worker_order(0, first=0, window=4) == []
