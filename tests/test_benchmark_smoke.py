"""The benchmark's corpus generator and floor still build (N = 20; no timing)."""

from __future__ import annotations

import sys

from conftest import ROOT, run_build

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate, generate_floor  # noqa: E402
from run import news_pages  # noqa: E402


def test_generated_site_and_floor_build(tmp_path):
    config = generate(tmp_path / "site", 20)
    floor = generate_floor(tmp_path / "site", tmp_path / "floor")
    news_files = list((tmp_path / "site" / "content" / "news").glob("*.md"))
    assert 20 < len(news_files) <= 40  # every item in Italian, most also in English
    for config_file in (config, floor):
        result = run_build(config_file, config_file.parent / "out")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "WARNING" not in result.stdout + result.stderr
        # one page per item per language (untranslated items get a fallback page)
        assert news_pages(config_file.parent / "out") == 40
    assert "build_only_locale: !ENV DIVULGA_PREVIEW_LANGUAGE" in config.read_text(encoding="utf-8")
    for lang in ("it", "en"):
        assert (config.parent / "out" / "pagefind" / lang / "pagefind-entry.json").is_file()
