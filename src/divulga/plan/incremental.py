"""Which generated pages a preview rebuild has to render again.

`mkdocs serve --dirty` asks, page by page, whether a page changed since it
was last written, and renders only those. For hand-written pages the engine
compares file times. A generated page changed when its planned data changed
(planned pages, ``divulga.plan.pages``, are frozen and compare by value:
type, title, body, entries, pagination, alternates, project sheet...) or
when something every page shows changed: the settings, the templates, the
hand-written pages that make the navigation. The ledger remembers what each page was last rendered from; the
adapter tells it what the pages share (see ``begin``). What planning made
from each unchanged item is reused rather than made again (``PlanMemo``);
when only a few items changed, and none of them in what places it among the
others (``changed_items``), the plan is the last one with those items' pages
and entries replaced (``divulga.plan.planner.Planner.replan``).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from divulga.plan.pages import PlannedPage

T = TypeVar("T")

# Markdown links to pages: [text](page.md), [text](<page.md#part>), [ref]: page.md
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>:]+?\.md)(?:#[^)\s>]*)?|^ {0,3}\[[^\]]+\]:\s*<?([^\s>:]+?\.md)", re.M)


class RenderLedger:
    def __init__(self) -> None:
        self._shared: object = None
        self._pages: dict[tuple[str, str], PlannedPage] = {}
        self._fresh: list[tuple[str, str]] = []  # rendered by the current build

    def begin(self, shared: object) -> bool:
        """Start a build. ``shared`` is anything comparable that changes when
        what every page shows changes. Returns whether pages rendered before
        may be skipped: False on the first build and after a shared change
        (then every page renders)."""
        self._fresh = []
        if shared != self._shared:
            self._shared = shared
            self._pages.clear()
        return bool(self._pages)

    def finished(self) -> None:
        """The build wrote every page it rendered."""
        self._fresh = []

    def forget_this_build(self) -> None:
        """After a build that stopped half way: what it rendered since the last
        finished build may not be written."""
        for key in self._fresh:
            self._pages.pop(key, None)
        self._fresh = []

    def unchanged(self, page: PlannedPage) -> bool:
        """Whether ``page`` was last rendered from the same data."""
        last = self._pages.get((page.lang, page.path))
        return last is page or last == page

    def rendered(self, page: PlannedPage) -> None:
        self._pages[(page.lang, page.path)] = page
        self._fresh.append((page.lang, page.path))


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


class LastRun:
    """Values by key, kept from one run to the next (a plan, a build) by
    whoever runs again (the preview's session): a value looked up or stored
    during a run is kept for the next; the others are forgotten then.
    ``begin(keep=False)`` forgets everything (what the values were made from
    changed)."""

    def __init__(self) -> None:
        self._last: dict = {}
        self._now: dict = {}

    def begin(self, keep: bool = True) -> None:
        self._last, self._now = (self._now if keep else {}), {}

    def get(self, key: object, default: object = None) -> object:
        found = self._now.get(key, _MISSING)
        if found is _MISSING:
            found = self._last.get(key, _MISSING)
            if found is _MISSING:
                return default
            self._now[key] = found
        return found

    def __setitem__(self, key: object, value: object) -> None:
        self._now[key] = value


_MISSING = object()


class PlanMemo:
    """What planning made from each item (its entries, its pages, its translation
    row), kept from one plan to the next by whoever plans again (the preview's
    session): at 10,000 items, making them again took most of a rebuild.

    A value is reused when it is asked for the very same item (the loader hands
    back the same object while none of its files changed: divulga.read.versions)
    in the same language, and nothing else it is made from changed: ``begin``
    is told that (the settings, the tags, the project sheets) and forgets
    everything when it differs. Only what the last plan asked for is kept; a plan made from the last one
    (``last``, ``changed_items``) does not ``begin``, and keeps everything."""

    def __init__(self) -> None:
        self._context: object = None
        self._kept = LastRun()  # (name, id(item), lang) -> (item, value)
        self.last: LastPlan | None = None  # the last plan, to plan again from it when few items changed

    def begin(self, context: object) -> None:
        """Start a plan; ``context`` is anything comparable that every value depends on."""
        self._kept.begin(context == self._context)
        self._context = context

    def get(self, name: str, item: object, lang: str | None, make: Callable[..., T], *args: object) -> T:
        """``make(*args)``, or what it made for ``item`` in ``lang`` last time."""
        key = (name, id(item), lang)
        kept = self._kept.get(key)
        if kept is None or kept[0] is not item:
            kept = self._kept[key] = (item, make(*args))
        return kept[1]  # type: ignore[return-value]


# The content lists a plan is made from, and the kind of their items
ITEM_LISTS = (("news", "news"), ("events", "event"), ("results", "result"))
# At most this many items changed for a plan to be made from the last one: an editor's save changes one or two;
# more (a pull, a search and replace) plan everything again, which is as fast then.
MAX_CHANGED = 64


@dataclass(frozen=True)
class LastPlan:
    """A plan and what it was made from, kept by whoever plans again (the preview's session, in its PlanMemo)."""

    content: Any  # divulga.read.model.Content
    docs: Any  # divulga.read.docpages.DocPages
    context: object  # what every value of the plan depends on (as PlanMemo.begin is told)
    translations: dict  # (kind, key) -> divulga.plan.translations.Row
    plan: Any  # divulga.plan.planner.SitePlan


def changed_items(last: LastPlan, content: Any, docs: Any, context: object,
                  shape: Callable[[Any], object]) -> list[tuple[str, Any, Any]] | None:
    """The items that changed since ``last`` was planned, as (kind, before, now), when the last plan can be
    planned again from them: the hand-written pages and ``context`` are the same, each content list has the
    same items in the same places (the loader hands back the very same object for an unchanged item), and a
    changed item's ``shape`` (what places it among the others: its date, tags, projects, addresses...) is
    the same. None when the whole site must be planned again."""
    if context != last.context or (docs is not last.docs and docs != last.docs):
        return None
    changed = []
    for name, kind in ITEM_LISTS:
        before, now = getattr(last.content, name), getattr(content, name)
        if len(before) != len(now):
            return None
        for old, new in zip(before, now):
            if old is not new:
                if len(changed) == MAX_CHANGED or old.slug != new.slug or shape(old) != shape(new):
                    return None
                changed.append((kind, old, new))
    return changed
