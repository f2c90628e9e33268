"""Which generated pages a preview rebuild has to render again.

`mkdocs serve --dirty` asks, page by page, whether a page changed since it
was last written, and renders only those. For hand-written pages the engine
compares file times. A generated page changed when its planned data changed
(planned pages, ``divulga.plan.pages``, are frozen and compare by value:
type, title, body, entries, pagination, alternates, project sheet...) or
when something every page shows changed: the settings, the templates, the
hand-written pages that make the navigation. The ledger remembers what each page was last rendered from; the
adapter tells it what the pages share (see ``begin``).
"""

from __future__ import annotations

import posixpath
import re

from divulga.plan.pages import PlannedPage

# Markdown links to pages: [text](page.md), [text](<page.md#part>), [ref]: page.md
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>:]+?\.md)(?:#[^)\s>]*)?|^ {0,3}\[[^\]]+\]:\s*<?([^\s>:]+?\.md)", re.M)


class RenderLedger:
    def __init__(self) -> None:
        self._shared: object = None
        self._pages: dict[tuple[str, str], PlannedPage] = {}

    def begin(self, shared: object) -> bool:
        """Start a build. ``shared`` is anything comparable that changes when
        what every page shows changes. Returns whether pages rendered before
        may be skipped: False on the first build and after a shared change
        (then every page renders)."""
        if shared != self._shared:
            self._shared = shared
            self._pages.clear()
        return bool(self._pages)

    def unchanged(self, page: PlannedPage) -> bool:
        """Whether ``page`` was last rendered from the same data."""
        return self._pages.get((page.lang, page.path)) == page

    def rendered(self, page: PlannedPage) -> None:
        self._pages[(page.lang, page.path)] = page


def markdown_links(source_path: str, markdown: str) -> set[str]:
    """The .md paths a page's Markdown links to, relative to the docs root.

    A page that renders again needs the pages it links to among the
    engine's files (it resolves links to .md files), rendered or not."""
    folder = posixpath.dirname(source_path)
    return {posixpath.normpath(posixpath.join(folder, match.group(1) or match.group(2)))
            for match in _MD_LINK.finditer(markdown)}


def nav_paths(nav: object) -> set[str]:
    """The Markdown paths a navigation (mkdocs.yml's ``nav``) names."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        nav = list(nav.values())
    if isinstance(nav, list):
        return set().union(*(nav_paths(item) for item in nav))
    return set()
