"""A build's worker process reads some of the content files while the build reads the others
(divulga.read.versions._read_shared): the content, and every problem, come out as the build
alone reads them, whatever the worker does: read, fail, never start."""

from __future__ import annotations

import re
from concurrent.futures import Executor, Future
from pathlib import Path

import pytest
from conftest import build_fixture, news
from test_core import settings_for, write
from test_determinism import _files

from divulga import runtime
from divulga.adapter import conversion
from divulga.config_file import SiteConfig
from divulga.editor.check import run_check
from divulga.plan.validate import validate
from divulga.read import versions
from divulga.runtime import Helpers


def _site(root: Path, count: int) -> None:
    files = {}
    for n in range(count):
        files[f"content/news/2024-01-{n % 28 + 1:02d}-item-{n:03d}.it.md"] = news(
            f"Notizia {n}", date=f"2024-01-{n % 28 + 1:02d}", body=f"Testo della notizia {n}.")
        if n % 3 == 0:
            files[f"content/news/2024-01-{n % 28 + 1:02d}-item-{n:03d}.en.md"] = news(f"News {n}", date=None)
    # mistakes of their own, reported from whichever process read the file
    files["content/news/2024-02-01-no-title.it.md"] = "---\ndate: 2024-02-01\n---\n\nSenza titolo.\n"
    files["content/news/2024-02-02-bad-date.it.md"] = news("Data sbagliata", date="2024-02-31")
    files["content/news/2024-02-03-broken.it.md"] = "---\ntitle: [unclosed\n---\n\nx\n"
    files["content/news/2024-02-04-clash.it.md"] = news("A", date="2024-02-04")
    files["content/news/2024-02-04-clash.en.md"] = news("B", date="2024-02-05")  # the versions disagree
    files["content/news/no-language.md"] = news("Nessuna lingua")
    write(root, files)


class _Counting(Executor):
    """Helpers(1), counting the chunks whose result came back."""

    def __init__(self) -> None:
        self.helpers = Helpers(1)
        self.futures: list[Future] = []

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future = self.helpers.submit(fn, *args, **kwargs)
        self.futures.append(future)
        return future

    def shutdown(self, wait: bool = True, **kwargs) -> None:
        self.helpers.shutdown(wait)


class _NeverStarts(Executor):
    """A pool whose tasks never start (all its workers busy, or hung)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return Future()


class _Fails(Executor):
    """A pool whose worker crashed: every task fails."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_exception(RuntimeError("worker gone"))
        return future


class _Refuses(Executor):
    """A pool that takes no work (shut down)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        raise RuntimeError("cannot schedule new futures after shutdown")


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(versions, "SHARED_MIN", 10)
    monkeypatch.setattr(versions, "SHARED_CHUNK", 4)


def test_the_content_read_with_a_worker_is_the_content_read_alone(tmp_path, small_chunks):
    _site(tmp_path, 60)
    settings = settings_for(tmp_path)
    alone = validate(settings)
    assert any(p.path.endswith("bad-date.it.md") for p in alone.problems)
    assert any(p.path.endswith("broken.it.md") for p in alone.problems)
    assert any(p.path.endswith("clash.en.md") or p.path.endswith("clash.it.md") for p in alone.problems)
    counting = _Counting()
    try:
        shared = validate(settings, helper=counting)
    finally:
        counting.shutdown()
    read_by_worker = [f for f in counting.futures if not f.cancelled() and f.exception() is None]
    assert read_by_worker, "the worker read no file"
    assert shared.content == alone.content
    assert shared.problems == alone.problems
    assert shared.plan.pages == alone.plan.pages


@pytest.mark.parametrize("helper", [_NeverStarts(), _Fails(), _Refuses()], ids=["never starts", "fails", "refuses"])
def test_a_worker_that_does_not_read_changes_nothing(tmp_path, small_chunks, helper):
    _site(tmp_path, 30)
    settings = settings_for(tmp_path)
    alone = validate(settings)
    shared = validate(settings, helper=helper)  # the build reads every file itself, without waiting
    assert shared.content == alone.content
    assert shared.problems == alone.problems


def test_a_small_folder_is_read_without_the_worker(tmp_path):
    _site(tmp_path, 5)
    validate(settings_for(tmp_path), helper=_Refuses())  # never asked: would be no harm, but no start either
    counting = _Counting()
    try:
        validate(settings_for(tmp_path), helper=counting)
    finally:
        counting.shutdown()
    assert counting.futures == [] and not counting.helpers.started


def test_divulga_check_reads_with_the_worker_and_reports_the_same(tmp_path, small_chunks, monkeypatch):
    _site(tmp_path, 60)
    site = SiteConfig(path=tmp_path / "mkdocs.yml", settings=settings_for(tmp_path), docs_dir=tmp_path / "docs")
    monkeypatch.setenv(runtime.ENV, "0")
    alone = run_check(site)
    submitted = []
    submit = Helpers.submit
    monkeypatch.setattr(Helpers, "submit", lambda self, fn, *args: submitted.append(fn) or submit(self, fn, *args))
    monkeypatch.setenv(runtime.ENV, "1")
    helped = run_check(site)
    assert submitted and helped.errors
    assert (helped.problems, helped.translations, helped.checked) == (alone.problems, alone.translations,
                                                                      alone.checked)
    monkeypatch.setenv(runtime.ENV, "many")  # reported by the build; the check reads alone
    assert run_check(site).problems == alone.problems


def test_a_large_site_is_the_same_built_with_a_worker_and_without(tmp_path):
    """Past ``SHARED_MIN`` files the build's worker reads some of them, then converts Markdown."""
    files = {f"content/news/2024-03-{n % 28 + 1:02d}-item-{n:03d}.it.md":
             news(f"Notizia {n}", date=f"2024-03-{n % 28 + 1:02d}", body=f"Testo {n}.\n\n## Parte\n\nAltro.")
             for n in range(versions.SHARED_MIN + 20)}
    epoch = {"SOURCE_DATE_EPOCH": "1700000000", conversion.SETTLE_ENV: "1"}
    alone = build_fixture(tmp_path / "alone", files, env={**epoch, runtime.ENV: "0"})
    helped = build_fixture(tmp_path / "helped", files, env={**epoch, runtime.ENV: "1"})
    assert alone.ok and helped.ok, alone.output + helped.output
    assert re.search(r"Markdown: [1-9]\d* of \d+ page bodies converted by 1 worker process", helped.output)
    # the search index aside: Pagefind 1.5's filter files differ from build to build (test_determinism)
    without, with_worker = ({name: data for name, data in _files(built.site_dir).items()
                             if not name.startswith("pagefind/")} for built in (alone, helped))
    assert len(without) > versions.SHARED_MIN and sorted(without) == sorted(with_worker)
    assert [name for name in without if without[name] != with_worker[name]] == []
