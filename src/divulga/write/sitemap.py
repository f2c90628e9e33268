"""sitemap.xml: every page of every language, with its language alternates.

``lastmod`` is when the content changed (the news date, the last commit of
the source file), never the build time, so search engines are not told that
the whole site changed at every build.
"""

from __future__ import annotations

import datetime as dt
import gzip
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from divulga.text import xml_text
from divulga.urls import SITEMAP, SITEMAP_GZ

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class SitemapEntry:
    url: str  # absolute
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> absolute URL (x-default included)
    lastmod: dt.date | None = None


def render_sitemap(entries: list[SitemapEntry]) -> str:
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for entry in sorted(entries, key=lambda e: e.url):
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = xml_text(entry.url)
        if entry.lastmod:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = entry.lastmod.isoformat()
        for hreflang, href in entry.alternates.items():
            ET.SubElement(url, f"{{{XHTML_NS}}}link", {"rel": "alternate", "hreflang": hreflang, "href": xml_text(href)})
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(urlset, encoding="unicode") + "\n"


def sitemap_files(entries: list[SitemapEntry]) -> dict[str, bytes]:
    """The sitemap's files, by site-relative path (divulga.urls): the XML
    and its gzip copy (no timestamp in the gzip header: byte-identical builds)."""
    data = render_sitemap(entries).encode("utf-8")
    return {SITEMAP: data, SITEMAP_GZ: gzip.compress(data, mtime=0)}


