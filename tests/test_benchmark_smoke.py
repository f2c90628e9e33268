"""The benchmark's corpus generator and floor still build (N = 20; no timing)."""

from __future__ import annotations

import sys

from conftest import ROOT, run_build

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate, generate_floor
from run import news_pages


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


def test_sizes_name_news_items_and_languages():
    from run import FAST_PREVIEW, Size, parse_sizes, previews
    assert parse_sizes(["1000x2,10000x2", "2000x5"]) == [Size(1000, 2), Size(10000, 2), Size(2000, 5)]
    plain = parse_sizes(["250", "1000"])  # the old form: the example's two languages
    assert plain == [Size(250), Size(1000)] and [size.name for size in plain] == ["250x2", "1000x2"]
    assert Size(10000, 1).label == "10,000 × 1"
    assert [label for label, *_ in previews(Size(10000, 1), "dirty")] == [FAST_PREVIEW]
    assert len(previews(Size(10000, 1), "all")) == 2 and len(previews(Size(1000, 2), "all")) == 4


def test_five_languages_and_one_build(tmp_path):
    """An Interreg programme's five languages (it, en, fr, de, sl), and a site in one."""
    for count, codes in ((5, ("it", "en", "fr", "de", "sl")), (1, ("it",))):
        config = generate(tmp_path / f"site-{count}", 10, languages=count)
        floor = generate_floor(config.parent, tmp_path / f"floor-{count}")
        for config_file in (config, floor):
            result = run_build(config_file, config_file.parent / "out")
            assert result.returncode == 0, result.stdout + result.stderr
            assert "WARNING" not in result.stdout + result.stderr
            assert news_pages(config_file.parent / "out") == 10 * count
        for lang in codes:
            assert (config.parent / "out" / "pagefind" / lang / "pagefind-entry.json").is_file()
    # the EU funding statement in Slovenian, not English
    home = (tmp_path / "site-5" / "out" / "sl" / "index.html").read_text(encoding="utf-8")
    assert "Sofinancira Evropska unija" in home
