"""Reproducible builds: the same sources and SOURCE_DATE_EPOCH give the same site, byte for byte.

The example site is built twice (at the same time, into two temp folders) and
every file is compared: the file list and each file's bytes, the search
index included.

The search index is reproducible with Pagefind 1.6 (earlier versions write
their filter indexes in the order of a Rust HashMap seeded afresh in every
process: see hooks/divulga/search_index.py). PyPI has no 1.6 wheel yet:
`npm ci` installs the 1.6.0 binary from package-lock.json (.ci/run does), and
the build runs it when it is there. Without it this test is skipped, except
in CI, where it fails.
"""

from __future__ import annotations

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, run_build

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14
FIRST_DETERMINISTIC_PAGEFIND = (1, 6, 0)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    sites = [tmp_path_factory.mktemp(f"reproducible-{name}") / "site" for name in "ab"]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda site: run_build(ROOT / "mkdocs.yml", site, env=EPOCH), sites))
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    return sites[0], sites[1]


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


def _pagefind_version(files: dict[str, bytes]) -> tuple[int, ...]:
    entry = next(data for name, data in files.items() if name.endswith("/pagefind-entry.json"))
    return tuple(int(part) for part in re.findall(r"\d+", json.loads(entry)["version"])[:3])


def require_deterministic_pagefind(files: dict[str, bytes]) -> None:
    """Skip (fail in CI) when the build ran a Pagefind whose index differs from build to build."""
    version = _pagefind_version(files)
    if version < FIRST_DETERMINISTIC_PAGEFIND:
        message = (f"the build ran Pagefind {'.'.join(map(str, version))}, whose search index differs from "
                   "build to build: run `npm ci` to install the pinned Pagefind 1.6.0")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_site_is_byte_identical(two_builds):
    first, second = (_files(site) for site in two_builds)
    require_deterministic_pagefind(first)
    differences = sorted([f"only in the first build: {name}" for name in first.keys() - second.keys()]
                         + [f"only in the second build: {name}" for name in second.keys() - first.keys()]
                         + [f"different bytes: {name}" for name in first.keys() & second.keys()
                            if first[name] != second[name]])
    assert not differences, "\n".join(differences)
    assert len(first) > 100 and any(name.startswith("pagefind/it/filter/") for name in first)
