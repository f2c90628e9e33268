"""The sitemap at scale: a sitemap index beyond the protocol's limits (50,000
URLs or 50 MB per sitemap), a plain urlset within them."""

from __future__ import annotations

import datetime as dt
import gzip
from xml.etree import ElementTree as ET

import pytest
from conftest import build_fixture, news

from divulga.write.sitemap import MAX_BYTES, MAX_URLS, SitemapEntry, render_sitemap, sitemap_files

SITE = "https://example.org/divulga/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def entries(count: int) -> list[SitemapEntry]:
    """``count`` pages, half in Italian and half in English with alternates, in no particular order."""
    out = []
    for n in reversed(range(count)):
        slug = f"news/2024-01-01-item-{n:04d}/"
        it, en = SITE + slug, SITE + "en/" + slug
        url = en if n % 2 else it
        lastmod = dt.date(2020, 1, 1) + dt.timedelta(days=n) if n % 3 else None
        out.append(SitemapEntry(url=url, alternates={"it": it, "en": en, "x-default": it}, lastmod=lastmod))
    return out


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def test_protocol_limits_are_the_defaults():
    assert (MAX_URLS, MAX_BYTES) == (50_000, 52_428_800)


def test_within_the_limits_one_urlset_as_before():
    pages = entries(20)
    files = sitemap_files(pages, SITE)
    assert set(files) == {"sitemap.xml", "sitemap.xml.gz"}
    assert files["sitemap.xml"] == render_sitemap(pages).encode("utf-8")
    assert gzip.decompress(files["sitemap.xml.gz"]) == files["sitemap.xml"]
    assert parse(files["sitemap.xml"]).tag == f"{{{NS['s']}}}urlset"
    # exactly at the limits: still one file
    size = len(files["sitemap.xml"])
    assert set(sitemap_files(pages, SITE, max_urls=20, max_bytes=size)) == {"sitemap.xml", "sitemap.xml.gz"}


@pytest.mark.parametrize("limits", [{"max_urls": 7}, {"max_bytes": 2_000}, {"max_urls": 9, "max_bytes": 3_000}])
def test_beyond_the_limits_a_sitemap_index_of_parts(limits):
    pages = entries(50)
    files = sitemap_files(pages, SITE, **limits)
    assert files == sitemap_files(list(reversed(pages)), SITE, **limits)  # same input, same bytes
    index = parse(files["sitemap.xml"])
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    locs = [s.find("s:loc", NS).text for s in index.findall("s:sitemap", NS)]
    assert len(locs) > 1
    assert locs == [f"{SITE}sitemap-{n}.xml" for n in range(1, len(locs) + 1)]  # absolute, numbered
    expected = {e.url: e for e in pages}
    seen = []
    for sitemap in index.findall("s:sitemap", NS):
        path = sitemap.find("s:loc", NS).text.removeprefix(SITE)
        data = files[path]
        assert gzip.decompress(files[path + ".gz"]) == data
        assert len(data) <= limits.get("max_bytes", MAX_BYTES)
        urlset = parse(data)
        assert urlset.tag == f"{{{NS['s']}}}urlset"
        urls = urlset.findall("s:url", NS)
        assert 0 < len(urls) <= limits.get("max_urls", MAX_URLS)
        lastmods = []
        for url in urls:
            loc = url.find("s:loc", NS).text
            seen.append(loc)
            entry = expected[loc]
            alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
            assert alternates == entry.alternates  # hreflang alternates kept
            lastmod = url.find("s:lastmod", NS)
            assert (lastmod.text if lastmod is not None else None) == (
                entry.lastmod.isoformat() if entry.lastmod else None)
            if entry.lastmod:
                lastmods.append(entry.lastmod.isoformat())
        # the part's lastmod: the latest of its URLs', if any has one
        lastmod = sitemap.find("s:lastmod", NS)
        assert (lastmod.text if lastmod is not None else None) == max(lastmods, default=None)
    assert seen == sorted(expected)  # every URL exactly once, in the single file's order
    assert gzip.decompress(files["sitemap.xml.gz"]) == files["sitemap.xml"]
    assert set(files) == {"sitemap.xml", "sitemap.xml.gz"} | {
        f"sitemap-{n}.xml{gz}" for n in range(1, len(locs) + 1) for gz in ("", ".gz")}


def test_an_entry_larger_than_a_sitemap_is_refused():
    with pytest.raises(ValueError, match="larger than"):
        sitemap_files(entries(3), SITE, max_bytes=300)


def test_a_real_build_gives_a_plain_urlset(tmp_path):
    built = build_fixture(tmp_path, {
        "content/tags.yaml": "{}\n",
        "content/news/2024-01-01-a.it.md": news("Uno"),
        "content/news/2024-01-01-a.en.md": news("One", date=None),
    })
    assert built.ok, built.output
    root = parse(built.path("sitemap.xml").read_bytes())
    assert root.tag == f"{{{NS['s']}}}urlset"
    assert gzip.decompress(built.path("sitemap.xml.gz").read_bytes()) == built.path("sitemap.xml").read_bytes()
    assert not list(built.site_dir.glob("sitemap-*.xml"))
    locs = [u.find("s:loc", NS).text for u in root.findall("s:url", NS)]
    assert "https://example.github.io/divulga/en/news/2024-01-01-a/" in locs
