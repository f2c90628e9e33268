"""What Divulga adds to the theme's Jinja environment.

- ``TemplateView``: what templates see as ``divulga`` (the planned page,
  the language's links and the helpers); templates only print its values,
  formatted in Python.
- ``OwnTemplates``: Jinja's autoescape, on for the templates of the theme's
  custom_dir (overrides/), off for Material's own.
- ``Reuse``: the parts of a page that are the same on every page of a folder
  but for their links, rendered once per language and folder
  (``{% call divulga_reuse("part") %}``); and an entry's card, rendered once
  per language, each page filling in its links and pictures
  (``{% call divulga_reuse("news-card", entry, level, eager) %}``).
- ``ThemeStrings``: Material's interface strings, looked up once.
- ``CompiledTemplates``: compiled templates kept for a whole ``serve`` session.

State lives on these objects, made per build (``Reuse``, ``OwnTemplates``)
or per session (``CompiledTemplates``) by divulga.adapter.state.
"""

from __future__ import annotations

import os
import re
import secrets
from functools import lru_cache
from urllib.parse import urlsplit

from jinja2 import TemplateNotFound, pass_context, pass_environment
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from divulga import Site, urls
from divulga.adapter import engine
from divulga.branding import Palette
from divulga.plan.images import Image
from divulga.plan.incremental import LastRun
from divulga.plan.pages import CountryCount, PlannedPage
from divulga.write.geomap import country_map
from divulga.write.pictures import Pictures

# Where a part kept by Reuse depends on the page: NUL (which no text of the
# site contains: the content's control characters are refused when read), a
# token of this process, the hole's number, NUL.
_HOLE_MARK = "\x00" + secrets.token_hex(8) + ":"
_HOLE = re.compile(re.escape(_HOLE_MARK) + r"(\d+)\x00")


@lru_cache(maxsize=8)
def _palette_css(palette: Palette) -> Markup:
    """The palette's CSS, made once for every page (Palette is frozen: it compares by its colours)."""
    return Markup(palette.css())


class TemplateView:
    """What templates see as ``divulga``: the planned page and the helpers."""

    def __init__(self, site: Site, lang: str, page: PlannedPage | None,
                 footer_links: tuple[tuple[str, str], ...] = (), pictures: Pictures | None = None):
        self.site = site
        self.lang = lang
        self.page = page
        self.pictures = pictures
        self.latest = site.plan.latest.get(lang, ())
        self.projects = site.plan.projects.get(lang, ())
        self.upcoming = site.plan.upcoming.get(lang, ())
        self.events_index = site.plan.events_index.get(lang, "")
        self.results_index = site.plan.results_index.get(lang, "")
        self.partners_index = site.plan.partners_index.get(lang, "")
        self.tagline = site.plan.tagline.get(lang)
        # the site's colours as CSS variables: hex colours checked when read
        self.palette_css = _palette_css(site.settings.palette)
        prefix = site.settings.language(lang).prefix
        self.news_index = site.plan.news_index[lang]
        self.projects_index = site.plan.projects_index[lang]
        self.tags_index = site.plan.tags_index[lang]
        self.archive_index = site.plan.archive_index[lang]
        self.funding = site.plan.funding.get(lang)
        self.footer_links = [(self.t(name), url) for name, url in footer_links]
        self.home_path = urls.home(prefix)  # "" or "en/"
        self.feed = urls.feed(prefix)
        self.events_feed = urls.events_feed(prefix)
        self.calendar = urls.calendar(prefix)
        self.search_bundle = urls.search_bundle(lang) if site.settings.search else None  # None: no search box
        self.base_path = urlsplit(site.settings.site_url).path or "/"
        self.head = None  # set per page in on_page_context
        # a hand-written page's notices (divulga/partials/notices.html): its source changed since it was translated
        self.notice = None
        self.outdated = None
        self.indexed = False
        self.search_filters = Markup()  # an indexed page's search filters, as Pagefind reads them
        # while Reuse keeps an entry's card: what in it depends on the page (``url``, ``picture``)
        self._holes: list[tuple] | None = None

    @property
    def description(self) -> str:
        """The page's description for search engines, in its language."""
        return self.head.description if self.head is not None else self.site.settings.describe(self.lang)

    @staticmethod
    def is_home(page) -> bool:
        """True on the home page of every language (index.<lang>.md)."""
        return page is not None and is_home_file(page.file)

    @pass_context
    def url(self, context, path: str) -> str | Markup:
        """``path`` relative to the page being rendered: MkDocs' `url` filter,
        for the parts that Reuse keeps by entry, where each page fills it in."""
        if self._holes is not None:
            return self._hole(("url", path))
        return context.environment.filters["url"](context, path)

    @pass_context
    def picture(self, context, image: Image, role: str, *, eager: bool = False) -> Markup:
        """A picture of the media folder as HTML: its published sizes and
        formats (divulga.media) for ``role`` ("hero", "card", "logo"), relative
        to the page being rendered."""
        if self._holes is not None:
            return self._hole(("picture", image, role, eager))
        url = context.environment.filters["url"]
        def href(path: str) -> str:
            return url(context, path)
        return self.pictures.html(image, role, href, lang=image.alt_lang if image.alt_lang != self.lang else None,
                                  eager=eager)

    def country_map(self, countries: tuple[CountryCount, ...], title: str, map_id: str) -> Markup:
        """The map of Europe and the Mediterranean with ``countries`` marked, as
        inline SVG (divulga.write.geomap), labelled by ``title``."""
        made = country_map({country.code: country.count for country in countries}, lang=self.lang,
                           title=title, description=self.t("partner_map_desc"), id_prefix=map_id,
                           cache=self.site.settings.image_cache.parent)
        return Markup(made.svg)

    @property
    def keeping(self) -> bool:
        """Whether a part is being kept for reuse (``keep``)."""
        return self._holes is not None

    def _hole(self, hole: tuple) -> Markup:
        self._holes.append(hole)
        return Markup(f"{_HOLE_MARK}{len(self._holes) - 1}\x00")

    def keep(self, caller) -> tuple[tuple[str, ...], tuple[tuple, ...]] | None:
        """What ``caller`` renders, for every page: its HTML cut where it
        depends on the page (links, pictures), with what goes there; None if
        it cannot be kept."""
        self._holes = []
        try:
            html = str(caller())
            holes = tuple(self._holes)
        finally:
            self._holes = None
        pieces = _HOLE.split(html)  # text, hole number, text, …
        if [int(number) for number in pieces[1::2]] != list(range(len(holes))):
            return None
        return tuple(pieces[0::2]), holes

    def fill(self, context, kept: tuple) -> Markup:
        """A kept part (``keep``) as this page prints it."""
        pieces, holes = kept[0], kept[1]
        parts = [pieces[0]]
        if holes:
            url = context.environment.filters["url"]
            for hole, text in zip(holes, pieces[1:]):
                if hole[0] == "url":
                    parts.append(escape(url(context, hole[1])))  # as {{ path | url }} prints it
                else:
                    _, image, role, eager = hole
                    parts.append(self.picture(context, image, role, eager=eager))
                parts.append(text)
        return Markup("".join(parts))

    def t(self, key: str, **values: object) -> str:
        return self.site.l10n.t(self.lang, key, **values)

    def lang_attr(self, code: str | None) -> Markup:
        """` lang="xx"` for text in another language than the page's, else nothing."""
        if not code or code == self.lang:
            return Markup("")
        return Markup(' lang="{}"').format(code)


class OwnTemplates:
    """The templates of the theme's custom_dir, by template name, found once per build."""

    def __init__(self, folder: str | None):
        names = set()
        if folder:
            for parent, _, files in os.walk(folder):
                relative = os.path.relpath(parent, folder)
                prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
                names.update(prefix + name for name in files)
        self.folder = folder
        self.names = frozenset(names)
        self._answers: dict[str | None, bool] = {}  # Jinja asks at every render of a template

    def autoescape(self, name: str | None) -> bool:
        """Jinja's autoescape, per template: on for ours (the custom_dir's: our
        pages and partials, and the copies of Material's partials there), so
        whatever they print is escaped unless it is Markup (HTML made safe where
        it is made: page bodies, sheet Markdown, JSON-LD, lang attributes); off
        for Material's own templates, which print HTML such as page.content as
        it comes.

        Jinja applies it to each template's own {{ … }} when it compiles the
        template. Blocks, macros and {% call %} bodies print as the template
        that writes them says; what a template includes, and a parent's block
        reached with {{ super() }}, arrive as they were rendered (super() is
        Markup when the page's own template escapes: every page renders one of
        ours; a Material template that extends main.html, such as its blog's,
        would need to be ours too)."""
        answer = self._answers.get(name)
        if answer is None:
            answer = self._answers[name] = self._own(name)
        return answer

    def _own(self, name: str | None) -> bool:
        if not name:
            return False
        try:
            name = "/".join(split_template_path(name))  # "./main.html" is main.html
        except TemplateNotFound:
            return False
        return name in self.names


class Reuse:
    """``{% call divulga_reuse("part") %}…{% endcall %}``: the enclosed HTML,
    rendered once per language and page folder and reused on every other
    page there.

    For parts that do not depend on the page except through links (Material's
    navigation, header, styles, scripts and configuration; our search box and
    footer line). Such a link, made relative with the `url` filter, is the
    same from every page of a folder unless it points inside the page itself
    (see ``folder``). The thousands of news pages share one rendering per
    language; these parts were about half of a news page's rendering time.
    """

    def __init__(self, kept: LastRun | None = None) -> None:
        self.fragments: dict[tuple[str, str, str], Markup] = {}  # (part, lang, folder) -> HTML
        # (lang, part, entry, …) -> the part cut where each page fills it in (render_entry).
        # ``kept``: a previewing session's, from one `serve --dirty` rebuild to the next (a rebuild after an
        # edit renders the listings and the translation status page again, thousands of entries of which one
        # changed), with the HTML each page printed from a part whose only page-dependent pieces are links,
        # and the rows of render_each. The session forgets them when what every page shows changed (the
        # templates, the settings, the docs pages, the pictures: divulga.plan.incremental.RenderLedger).
        self.entries: dict[tuple, tuple | None] | LastRun = kept if kept is not None else {}
        self.lasting = kept is not None
        # What the parts link to: the top folders of the theme's and the
        # configuration's assets, the configured home link and the current
        # navigation's targets; and the last page asked about, with its folder.
        self.assets: tuple[str, ...] = ("assets/",)
        self.homepage: tuple[str, ...] = ()
        self.nav = None
        self.urls: tuple[str, ...] = ()
        self.page = None
        self.last_folder: str | None = None

    def set_links(self, local_assets: list[str], homepage: object) -> None:
        """The environment's links (once per language run): asset folders and the home link."""
        self.assets = tuple({"assets/", urls.SEARCH_ROOT} | {path.split("/")[0] + "/" for path in local_assets
                                                       if "/" in path})
        self.homepage = (str(homepage).lstrip("/"),) if homepage and "://" not in str(homepage) else ()
        self.nav = self.page = None
        if not self.lasting:
            self.entries = {}  # kept by language: the previous language's are not needed again

    @pass_context
    def render(self, context, part: str, *entry: object, caller) -> Markup:
        view = context.get("divulga")
        if entry:
            return self.render_entry(context, view, (part, *entry), caller)
        folder = self.folder(context.get("page"), context.get("nav")) if isinstance(view, TemplateView) else None
        if folder is None:
            return Markup(caller())
        key = (part, view.lang, folder)
        html = self.fragments.get(key)
        if html is None:
            html = self.fragments[key] = Markup(caller())
        return html

    @pass_context
    def render_each(self, context, part: str, entries, macro) -> Markup:
        """``{{ divulga_reuse_each("status-row", rows, macro) }}``: ``macro(entry)``
        for each entry, one after the other. In a previewing session (``kept``)
        what it gave for an entry on this page is kept, by the entry's identity
        (the plan hands back the very entry while it is unchanged:
        divulga.plan.incremental.PlanMemo), so a rebuild calls it only for the
        entries that changed: the translation status page has a row for every
        text of the site."""
        view = context.get("divulga")
        if not self.lasting or not isinstance(view, TemplateView) or view.keeping:
            return Markup("".join(str(macro(entry)) for entry in entries))
        kept, url, printed = self.entries, getattr(context.get("page"), "url", None), []
        for entry in entries:
            key = (view.lang, part, id(entry), url)
            found = kept.get(key)
            if found is None or found[0] is not entry:
                found = kept[key] = (entry, str(macro(entry)))
            printed.append(found[1])
        return Markup("".join(printed))

    def render_entry(self, context, view, key: tuple, caller) -> Markup:
        """``{% call divulga_reuse("news-card", entry, level, eager) %}``: a
        part made from an entry (a card), kept per language and everything
        the call names (compared by value: entries are frozen), with its
        links and pictures filled in for each page (``TemplateView.keep``).
        An item's card is on every listing that shows it."""
        if not isinstance(view, TemplateView) or view.keeping:
            return Markup(caller())  # inside a part being kept, it is kept with that part
        key = (view.lang, *key)
        try:
            kept = self.entries.get(key, _NOT_KEPT)
        except TypeError:  # something in the key that cannot be compared by value
            return Markup(caller())
        if kept is _NOT_KEPT:
            kept = view.keep(caller)
            if kept is not None and self.lasting and all(hole[0] == "url" for hole in kept[1]):
                kept = (*kept, {})  # links only: what a page prints from it is the same at each rebuild
            self.entries[key] = kept
        if kept is None:
            return Markup(caller())
        if len(kept) == 2:
            return view.fill(context, kept)
        printed, page = kept[2], context.get("page")
        url = getattr(page, "url", None)
        html = printed.get(url)
        if html is None:
            html = printed[url] = view.fill(context, kept)
        return html

    def folder(self, page, nav) -> str | None:
        """The folder whose pages share this page's reused parts; None if the
        page must render its own: the home page, and a page that contains one of
        the parts' link targets (the navigation's pages, the home link, the asset
        folders). A page the navigation shows is one of its targets itself, and
        marked active in it."""
        if self.page is page and self.nav is nav:
            return self.last_folder
        if self.nav is not nav:
            urls = list(self.homepage)

            def walk(items) -> None:
                for item in items:
                    if getattr(item, "url", None) is not None:
                        urls.append(item.url)
                    walk(getattr(item, "children", None) or ())

            walk(nav.items if nav else ())
            if nav and nav.homepage is not None:
                urls.append(nav.homepage.url)
            self.nav, self.urls = nav, tuple(urls)
        url = page.url if page is not None else ""
        if not url or url.startswith(self.assets) or any(target.startswith(url) for target in self.urls):
            folder = None
        else:
            folder = url.rstrip("/").rpartition("/")[0]
        self.page, self.last_folder = page, folder
        return folder


_NOT_KEPT = object()


class ThemeStrings:
    """Material's interface strings, looked up once per language and key
    (partials/language.html): Material's own ``t(key)`` builds the language's
    whole table of some 60 strings on every call, a dozen times a page."""

    def __init__(self) -> None:
        self.strings: dict[tuple[str, str], Markup] = {}

    @pass_environment
    def lookup(self, env, language: str, key: str) -> Markup:
        string = self.strings.get((language, key))
        if string is None:
            string = self.strings[(language, key)] = engine.theme_string(env, language, key)
        return string


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, in memory, for the life of a session."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def is_home_file(file) -> bool:
    """Whether a docs/ file is the home page of a language (index.md, index.<lang>.md)."""
    return file.src_uri.split(".")[0] == "index"
