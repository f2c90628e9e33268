"""Engines: the example site builds the same with MkDocs 1.6 and with ProperDocs,
and a plain `serve` (no flag) of either previews an edit and reloads the browser.

ProperDocs (PyPI `properdocs`, pinned in requirements-dev.txt) is a maintained
fork of MkDocs 1.6: its own package `properdocs` and `properdocs` command,
installed beside `mkdocs` in the same environment (it depends neither on the
`mkdocs` package nor on anything MkDocs does not already install). When it
runs, every `import mkdocs...` (our hooks, Material, static-i18n) loads its
own modules; it reads `mkdocs.yml` (given with `-f`, or found in the current
folder), and finds Material and static-i18n through the same `mkdocs.themes`
and `mkdocs.plugins` entry points.

The two builds differ by one thing: the generator tag of every HTML page,
`<meta name="generator" content="mkdocs-{{ mkdocs_version }}, ...">`
(overrides/main.html), where MkDocs writes its version (`1.6.1`) and
ProperDocs `ProperDocs 1.6.7`. The comparison replaces exactly that string in
each tree, and nothing else, then compares every file byte for byte.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, site_config
from test_determinism import EPOCH, _files, require_deterministic_pagefind
from test_preview import Preview

ENGINES = ("mkdocs", "properdocs")
INSTALL_HINT = {"mkdocs": "python -m pip install -r requirements.txt",
                "properdocs": "python -m pip install -r requirements-dev.txt (it pins properdocs)"}
GENERATOR_TAG = '<meta name="generator" content="mkdocs-{}, '
# what each engine passes templates as `mkdocs_version`
ENGINE_VERSION = {"mkdocs": "{}", "properdocs": "ProperDocs {}"}
LIVERELOAD_CALL = re.compile(r"<script>\s*var livereload = function\(epoch, requestId\).*"
                             r"livereload\((\d+), (\d+)\);\s*</script>", re.S)


def require(engine: str) -> None:
    """Skip (fail in CI) when the engine is not installed: nothing is downloaded at test time."""
    if importlib.util.find_spec(engine) is None:
        message = f"{engine} is not installed in this environment: {INSTALL_HINT[engine]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def generator_tag(engine: str) -> bytes:
    version = ENGINE_VERSION[engine].format(importlib.metadata.version(engine))
    return GENERATOR_TAG.format(version).encode()


def engine_build(engine: str, site_dir: Path) -> subprocess.CompletedProcess:
    """`<engine> build --strict` of the example site (its own mkdocs.yml), as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site_dir)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **EPOCH})


@pytest.fixture(scope="module")
def engine_builds(tmp_path_factory) -> dict[str, Path]:
    for engine in ENGINES:
        require(engine)
    sites = {engine: tmp_path_factory.mktemp(f"engine-{engine}") / "site" for engine in ENGINES}
    with ThreadPoolExecutor(len(ENGINES)) as pool:
        results = dict(zip(ENGINES, pool.map(engine_build, ENGINES, sites.values())))
    for engine, result in results.items():
        assert result.returncode == 0, f"{engine} build --strict failed:\n{result.stdout}{result.stderr}"
    return sites


def _first_difference(first: bytes, second: bytes) -> str:
    try:
        lines = [data.decode("utf-8").splitlines() for data in (first, second)]
    except UnicodeDecodeError:
        return f"    binary, {len(first)} and {len(second)} bytes"
    diff = [line for line in difflib.unified_diff(*lines, "mkdocs", "properdocs", n=0, lineterm="")
            if line[:1] in "+-" and line[:3] not in ("---", "+++")]
    return "\n".join("    " + line[:200] for line in diff[:4])


def test_properdocs_builds_the_example_site_like_mkdocs(engine_builds):
    trees = {engine: _files(site) for engine, site in engine_builds.items()}
    require_deterministic_pagefind(trees["mkdocs"])
    # the one expected difference: each engine's version in the generator tag
    normalized = {}
    for engine, files in trees.items():
        tag = generator_tag(engine)
        tagged = [name for name, data in files.items() if name.endswith(".html") and tag in data]
        assert len(tagged) > 50, f"{engine}: {tag.decode()!r} is in {len(tagged)} pages only"
        normalized[engine] = {name: data.replace(tag, GENERATOR_TAG.format("ENGINE").encode())
                              for name, data in files.items()}
    first, second = normalized["mkdocs"], normalized["properdocs"]
    differences = sorted(
        [f"only in the MkDocs build: {name}" for name in first.keys() - second.keys()]
        + [f"only in the ProperDocs build: {name}" for name in second.keys() - first.keys()]
        + [f"different bytes: {name}\n{_first_difference(first[name], second[name])}"
           for name in first.keys() & second.keys() if first[name] != second[name]])
    assert not differences, (f"{len(differences)} differences besides the generator tag "
                             f"(MkDocs {importlib.metadata.version('mkdocs')}, "
                             f"ProperDocs {importlib.metadata.version('properdocs')}):\n"
                             + "\n".join(differences[:40]))
    assert len(first) > 100 and any(name.startswith("pagefind/it/filter/") for name in first)


class PlainServe(Preview):
    """`<engine> serve -a 127.0.0.1:<port>`, no other flag, run in the site's folder as an editor runs it."""

    def __init__(self, root: Path, engine: str):
        super().__init__(root, lambda address: [sys.executable, "-m", engine, "serve", "-a", address])
        self.root_url = self.base.removesuffix("/divulga/")


@pytest.mark.parametrize("engine", ENGINES)
def test_plain_serve_rebuilds_and_reloads_the_browser(engine, tmp_path):
    require(engine)
    # a copy of the example site: its docs/ and content/, its mkdocs.yml (hooks and templates of the repository)
    for folder in ("docs", "content"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(site_config(), allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    item = sorted((tmp_path / "content/news").glob("*.it.md"))[-1]
    page_path = f"news/{item.name.removesuffix('.it.md')}/"
    server = PlainServe(tmp_path, engine)
    try:
        before = server.wait_for(page_path, "</html>")
        script = LIVERELOAD_CALL.search(before)
        assert script, f"{engine} serve did not inject the live-reload script:\n{before[-2000:]}"
        epoch = int(script[1])

        item.write_text(item.read_text(encoding="utf-8") + "\nRiga aggiunta durante l'anteprima.\n",
                        encoding="utf-8")
        after = server.wait_for(page_path, "Riga aggiunta durante l", timeout=60)
        # the rebuilt page carries the script with a newer epoch...
        script = LIVERELOAD_CALL.search(after)
        assert script and int(script[1]) > epoch, after[-2000:]
        # ...and a browser still showing the old page is told to reload: the endpoint it polls
        # answers at once with the newer epoch (the script reloads when it is greater than its own)
        answer = urllib.request.urlopen(f"{server.root_url}/livereload/{epoch}/1", timeout=10).read()
        assert int(answer) > epoch, answer
        assert "Reloading browsers" in server.log(), server.log()
    finally:
        server.close()
