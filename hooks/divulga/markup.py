"""Markdown for the text fields of YAML sheets, escaped.

Sheet texts may use Markdown formatting (emphasis, links, lists) but never
raw HTML: ``<`` and ``&`` are escaped before Markdown sees the text, and links
with a script scheme (``javascript:``, ``data:``...) lose their target.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_URL = re.compile(r"^(https?:|mailto:|tel:|#|/|\.|[^:]*$)", re.IGNORECASE)


class _DropUnsafeLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            for attr in ("href", "src"):
                value = element.get(attr)
                if value is not None and not SAFE_URL.match(value.strip()):
                    del element.attrib[attr]


class _SafeLinks(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_DropUnsafeLinks(md), "divulga_safe_links", 0)


_md = markdown.Markdown(extensions=["sane_lists", _SafeLinks()])


@lru_cache(maxsize=4096)  # `mkdocs serve` plans the site again after every edit
def render(text: str, *, inline: bool = False) -> str:
    """HTML for a Markdown text; ``inline`` drops a lone wrapping paragraph."""
    _md.reset()
    output = _md.convert(html.escape(text, quote=False))
    if inline and output.startswith("<p>") and output.endswith("</p>") and output.count("<p>") == 1:
        output = output[3:-4]
    return output
