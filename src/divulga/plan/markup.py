"""Markdown for the text fields of YAML sheets, escaped.

Sheet texts may use Markdown formatting (emphasis, links, lists) but never
raw HTML: ``<`` and ``&`` are escaped before Markdown sees the text. The
loader refuses links with a script scheme and images from other sites
(``divulga.read.html_safety.scan``), and the output passes the same HTML
allow-list as every page body (``html_safety.clean``).
"""

from __future__ import annotations

import html
from functools import lru_cache

import markdown
from markupsafe import Markup

from divulga.read.html_safety import clean

_md = markdown.Markdown(extensions=["sane_lists"])


@lru_cache(maxsize=4096)  # `mkdocs serve` plans the site again after every edit
def render(text: str, *, inline: bool = False) -> Markup:
    """HTML for a Markdown text; ``inline`` drops a lone wrapping paragraph.

    Markup: safe HTML, which templates (autoescaped) print as it is."""
    _md.reset()
    output = _md.convert(html.escape(text, quote=False))
    if inline and output.startswith("<p>") and output.endswith("</p>") and output.count("<p>") == 1:
        output = output[3:-4]
    return clean(output)
