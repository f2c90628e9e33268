"""sitemap.xml: every page of every language, with its language alternates.

``lastmod`` is when the content changed (the news date, the last commit of
the source file), never the build time, so search engines are not told that
the whole site changed at every build.

The sitemaps protocol (sitemaps.org) allows at most 50,000 URLs and 50 MB
(52,428,800 bytes, uncompressed) per sitemap. A site within both limits gets
one ``sitemap.xml``, a ``<urlset>``. A larger one (ten years of news in five
languages) gets a sitemap index instead: ``sitemap.xml`` becomes a
``<sitemapindex>`` pointing, by absolute address, at ``sitemap-1.xml``,
``sitemap-2.xml``, ... (divulga.urls.sitemap_part), each a ``<urlset>``
within both limits, with the URLs in the same order as in the single file
(sorted), and each with the latest ``lastmod`` of its URLs. Every XML file
has its gzip copy next to it. Same entries, same bytes.
"""

from __future__ import annotations

import datetime as dt
import gzip
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from divulga import urls
from divulga.text import xml_text
from divulga.urls import SITEMAP, SITEMAP_GZ

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# The protocol's limits per sitemap file (and per sitemap index).
MAX_URLS = 50_000
MAX_BYTES = 52_428_800  # 50 MB, uncompressed
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class SitemapEntry:
    url: str  # absolute
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> absolute URL (x-default included)
    lastmod: dt.date | None = None


def _register_namespaces() -> None:
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)


def _url_element(entry: SitemapEntry) -> ET.Element:
    url = ET.Element(f"{{{SITEMAP_NS}}}url")
    ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = xml_text(entry.url)
    if entry.lastmod:
        ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = entry.lastmod.isoformat()
    for hreflang, href in entry.alternates.items():
        ET.SubElement(url, f"{{{XHTML_NS}}}link", {"rel": "alternate", "hreflang": hreflang, "href": xml_text(href)})
    return url


def _sorted(entries: list[SitemapEntry]) -> list[SitemapEntry]:
    return sorted(entries, key=lambda e: e.url)


def render_sitemap(entries: list[SitemapEntry]) -> str:
    """One ``<urlset>`` of ``entries``, sorted by URL."""
    _register_namespaces()
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    urlset.extend(_url_element(entry) for entry in _sorted(entries))
    return XML_DECLARATION + ET.tostring(urlset, encoding="unicode") + "\n"


def render_sitemap_index(parts: list[tuple[str, dt.date | None]]) -> str:
    """A ``<sitemapindex>`` of (absolute address, lastmod) pairs, in that order."""
    _register_namespaces()
    index = ET.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    for loc, lastmod in parts:
        sitemap = ET.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        ET.SubElement(sitemap, f"{{{SITEMAP_NS}}}loc").text = xml_text(loc)
        if lastmod:
            ET.SubElement(sitemap, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.isoformat()
    return XML_DECLARATION + ET.tostring(index, encoding="unicode") + "\n"


def split_entries(entries: list[SitemapEntry], max_urls: int = MAX_URLS,
                  max_bytes: int = MAX_BYTES) -> list[list[SitemapEntry]]:
    """``entries`` sorted by URL, cut into consecutive runs whose sitemaps hold at
    most ``max_urls`` URLs and ``max_bytes`` bytes each.

    A URL's size is that of its ``<url>`` element written alone, namespace
    declarations included: an upper bound of what it adds to a sitemap that
    declares them once, so a run that fits by this count fits once written."""
    _register_namespaces()
    overhead = len(render_sitemap([SitemapEntry("", {"x": ""})]).encode("utf-8"))  # both namespaces declared
    runs: list[list[SitemapEntry]] = []
    run: list[SitemapEntry] = []
    size = overhead
    for entry in _sorted(entries):
        entry_size = len(ET.tostring(_url_element(entry), encoding="utf-8"))
        if run and (len(run) >= max_urls or size + entry_size > max_bytes):
            runs.append(run)
            run, size = [], overhead
        if overhead + entry_size > max_bytes:
            raise ValueError(f"{entry.url}: its sitemap entry alone is larger than {max_bytes} bytes")
        run.append(entry)
        size += entry_size
    if run or not runs:
        runs.append(run)
    return runs


def sitemap_files(entries: list[SitemapEntry], site_url: str = "", *, max_urls: int = MAX_URLS,
                  max_bytes: int = MAX_BYTES) -> dict[str, bytes]:
    """The sitemap's files, by site-relative path (divulga.urls), each XML file
    with its gzip copy (no timestamp in the gzip header: byte-identical builds).

    Within the protocol's limits (``max_urls``, ``max_bytes``): ``sitemap.xml``.
    Beyond them: ``sitemap.xml`` is a sitemap index of ``sitemap-<n>.xml``,
    which it gives by their address under ``site_url``."""
    data = render_sitemap(entries).encode("utf-8")
    if len(entries) <= max_urls and len(data) <= max_bytes:
        return _with_gzip({SITEMAP: data})
    files: dict[str, bytes] = {}
    parts = []
    for number, run in enumerate(split_entries(entries, max_urls, max_bytes), start=1):
        path = urls.sitemap_part(number)
        files[path] = render_sitemap(run).encode("utf-8")
        if len(files[path]) > max_bytes:  # split_entries' bound makes this impossible
            raise AssertionError(f"{path}: {len(files[path])} bytes")
        parts.append((urls.absolute(site_url, path), max((e.lastmod for e in run if e.lastmod), default=None)))
    if len(parts) > MAX_URLS:  # 2.5 billion URLs
        raise ValueError(f"{len(entries)} URLs need more than {MAX_URLS} sitemaps, the most an index may list")
    files = {SITEMAP: render_sitemap_index(parts).encode("utf-8"), **files}
    return _with_gzip(files)


def _with_gzip(files: dict[str, bytes]) -> dict[str, bytes]:
    """Each file and its gzip copy, ``sitemap.xml`` with ``sitemap.xml.gz`` (divulga.urls.SITEMAP_GZ)."""
    out = {}
    for path, data in files.items():
        out[path] = data
        out[SITEMAP_GZ if path == SITEMAP else f"{path}.gz"] = gzip.compress(data, mtime=0)
    return out
