"""The site's validation beyond each file's own fields, shared by the build and ``divulga check``.

``validate`` loads the content (``divulga.read.loader``), plans every page and
then checks what only the whole site can tell, so that ``mkdocs build`` and
``divulga check`` report exactly the same set of problems:

- the Markdown of news bodies and docs/ pages: what the site will not
  publish (raw HTML outside the allow-list, script links, images and embeds
  from other sites: ``divulga.read.html_safety``), images without alt text, links
  to pages that do not exist (resolved as MkDocs resolves them: a news body as
  if it were ``docs/news/<slug>.md``, a docs page from its place in docs/),
  media files that are missing (errors) or used nowhere (warnings), and
  "[DA COMPLETARE" / "[TO BE COMPLETED" placeholders left in pages (warnings);
- the folders the site publishes as they are (docs/ and the theme's
  overrides/): nothing there may link outside the site's folder;
- a hand-written page whose address a generated page also takes.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from urllib.parse import unquote

from divulga import urls
from divulga.l10n import Localizer
from divulga.media.documents import DocumentText, DocumentTexts, is_document, read_texts
from divulga.media.images import Inspection, inspect, originals
from divulga.plan.incremental import PlanMemo
from divulga.plan.pages import PROJECT, PlannedPage
from divulga.plan.planner import SitePlan, build_plan
from divulga.problems import ERROR, WARNING, Problem
from divulga.read.docpages import DocPages, page_language, read_docs_pages
from divulga.read.loader import load_content
from divulga.read.model import Content, ResultItem
from divulga.read.news import MEDIA_DIR, NEWS_DIR, TO_TRANSLATE, FilesRead
from divulga.read.pagetext import PLACEHOLDERS, MarkdownScan
from divulga.read.projects import PROJECTS_DIR
from divulga.read.sources import SiteFiles
from divulga.settings import Settings

__all__ = ["PLACEHOLDERS", "Validated", "validate"]

_MEDIA_MENTION = re.compile(MEDIA_DIR + r"/([^\s\"'()<>\]]+)")
# Files the build writes at the site's root besides pages.
SITE_FILES = (urls.SITEMAP, urls.SITEMAP_GZ, urls.not_found(""))
SEARCH_FOLDER = urls.SEARCH_ROOT


@dataclass(frozen=True)
class MarkdownFile:
    """A Markdown text as MkDocs will see it."""

    rel: str  # as editors see it: content/news/x.it.md, docs/about.it.md
    virtual: str  # its place among the documentation files: news/x.md, about.md
    lang: str | None  # None: a docs page without language suffix (every language)
    scan: MarkdownScan
    draft: bool = False
    is_news: bool = False


@dataclass
class Validated:
    content: Content
    plan: SitePlan
    l10n: Localizer
    problems: list[Problem]  # errors and warnings, sorted
    pages: int  # hand-written pages read
    images: Inspection  # the media folder's pictures, decoded once (then known by their content)
    documents: dict[str, DocumentText]  # the text of the results' PDFs, by media name (for the search)
    docs: DocPages  # the hand-written pages


def validate(settings: Settings, cache: FilesRead | None = None, memo: PlanMemo | None = None,
             helper: Executor | None = None) -> Validated:
    """Load, plan and check the whole site: what the build and ``divulga check``
    both report (a preview loading again: ``cache`` keeps the files read,
    divulga.read.versions.FilesRead; ``memo`` what the plan made from them,
    divulga.plan.incremental.PlanMemo; ``helper``, a process pool, reads some
    of the files: divulga.read.versions.load_items)."""
    content, problems = load_content(settings, cache, helper)
    known = cache.documents if cache is not None else None
    document_names = _document_names(content)
    reading = _read_documents(settings, document_names, known, helper)
    images = inspect(originals(settings.root, settings.content_dir / MEDIA_DIR, content.media), settings.image_cache)
    problems += images.problems
    l10n = Localizer(settings)
    docs, page_problems = read_docs_pages(settings)
    plan = build_plan(content, settings, l10n, docs, memo)
    pages, docs_files = _docs_pages(docs), docs.names
    problems += page_problems
    problems += _published_folders(settings)
    news = [MarkdownFile(rel=f.source, virtual=_item_source(f.kind, f.slug), lang=f.lang, scan=f.scan,
                         draft=f.draft, is_news=True) for f in content.news_files]
    problems += _PageChecks(settings, content, plan, news, pages, docs_files,
                            cache.checked if cache is not None else None).run()
    problems += _collisions(settings, content, plan, docs_files)
    documents, document_problems = _documents(settings, content, document_names, known, reading)
    problems += document_problems
    return Validated(content, plan, l10n, sorted(set(problems), key=Problem.sort_key), len(pages), images,
                     documents, docs)


# What to say about a PDF without a text layer.
NO_TEXT_LAYER = ("the PDF has no text layer (it looks like a scan): the site's search cannot find words in it "
                 "and screen readers cannot read it aloud (the Web Accessibility Directive covers documents "
                 "too); export it again as PDF from the original document, or run text recognition (OCR) on it")


def _document_names(content: Content) -> list[str]:
    """The media names of the PDFs the results offer."""
    return sorted({file.file for item in content.results for file in item.files
                   if file.file is not None and is_document(file.file)})


def _read_documents(settings: Settings, names: list[str], known: dict | None, helper: Executor | None
                    ) -> Future | None:
    """The results' PDFs read by a worker process, while the build plans and checks the rest: the
    ones not read before are read in a child process (divulga.media.documents), which the build's
    thread would otherwise wait for (0.8 s for the 139 PDFs of the 1,000 × 2 benchmark site, at its
    first build). None with nothing to read, or no worker started (a site too small to give the
    workers its files to read: not worth starting one for this)."""
    if helper is None or not names or not getattr(helper, "started", True):
        return None
    media = settings.content_dir / MEDIA_DIR
    try:
        return helper.submit(read_texts, settings.image_cache.parent / "documents", [media / name for name in names],
                             known)
    except Exception:  # no worker can take it (none started, or the pool is broken): the build reads
        return None


def _documents(settings: Settings, content: Content, names: list[str], known: dict | None = None,
               reading: Future | None = None) -> tuple[dict[str, DocumentText], list[Problem]]:
    """The text of every PDF a result offers (``names``: ``_document_names``; read once, then from the cache;
    ``known``: what was found in the files unchanged since the last load;
    ``reading``: a worker's reading of them, ``_read_documents``), and a
    warning for each that has no text or cannot be read, at its entry."""
    media = settings.content_dir / MEDIA_DIR
    if not names:
        return {}, []
    texts = None
    if reading is not None:
        try:
            texts, found = reading.result()
        except Exception:  # the worker failed: the build reads them
            pass
        else:
            if known is not None:
                known.update(found)
    if texts is None:
        texts = DocumentTexts(settings.image_cache.parent / "documents", known=known).texts(
            [media / name for name in names])
    documents = {name: texts[media / name] for name in names}
    problems = []
    for item in content.results:
        for index, file in enumerate(item.files):
            document = documents.get(file.file) if file.file is not None else None
            if document is None or (document.problem is None and document.has_text_layer is not False):
                continue
            source, line = _file_entry(item, index)
            message = document.problem if document.problem is not None else NO_TEXT_LAYER
            problems.append(Problem(source, line, f"files[{index + 1}].file", message, WARNING))
    return documents, problems


def _file_entry(item: ResultItem, index: int) -> tuple[str, int | None]:
    """The file and line where a result's ``files`` entry ``index`` is written."""
    for version in item.versions.values():
        if ("files",) in dict(version.lines.entries):
            return version.source, version.lines.line("files", index, "file")
    version = next(iter(item.versions.values()))
    return version.source, None


def _item_source(kind: str, slug: str) -> str:
    """The virtual Markdown file of a news item, an event or a result (its links resolve from there)."""
    sources = {"event": urls.event_source, "result": urls.result_source}
    return sources.get(kind, urls.news_item_source)(slug)


# -- the hand-written pages ------------------------------------------------------------

def _docs_pages(docs: DocPages) -> list[MarkdownFile]:
    """The Markdown pages of docs/ as MkDocs will see them."""
    return [MarkdownFile(rel=page.rel, virtual=page.virtual, lang=page.lang, scan=page.scan) for page in docs.pages]


def _published_folders(settings: Settings) -> list[Problem]:
    """The theme's folder is published as it is (its assets): nothing there may
    lead outside the site (docs/ is walked with its pages)."""
    if settings.theme_dir is None or not settings.theme_dir.is_dir():
        return []
    return SiteFiles(settings.root).walk(settings.theme_dir)[1]


# -- the checks of texts ------------------------------------------------------------

class _PageChecks:
    def __init__(self, settings: Settings, content: Content, plan: SitePlan, news_files: list[MarkdownFile],
                 pages: list[MarkdownFile], docs_files: frozenset[str], checked: dict | None = None):
        self.settings, self.content = settings, content
        self.docs_files = docs_files
        self.files = news_files + pages
        self.problems: list[Problem] = []
        self.media = frozenset(content.media)
        self.media_used: set[str] = set()
        self.default = settings.default_language.code
        # docs pages: place -> languages it is written in (None: no suffix)
        self.docs: dict[str, set[str | None]] = {}
        for page in pages:
            self.docs.setdefault(page.virtual, set()).add(page.lang)
        self.generated, self.unpublished = self._generated_pages(plan, news_files)
        # what each text's checks found last time (a preview loading again), while what they check against is
        # the same: "context" -> that, (the file as seen, its scan) -> (its problems, the media it uses)
        self.checked = checked
        context = (settings, self.media, docs_files, self.docs, self.generated, self.unpublished)
        if checked is not None and checked.get("context") != context:
            checked.clear()
            checked["context"] = context

    def _generated_pages(self, plan: SitePlan, news_files: list[MarkdownFile]) -> tuple[set[str], set[str]]:
        """Places of the pages Divulga adds, and of news items no one can see yet."""
        generated = {urls.source_path(urls.news_listing("")), urls.source_path(urls.projects_index("")),
                     urls.source_path(urls.events_listing("")), urls.source_path(urls.results_listing("")),
                     urls.source_path(urls.partners(""))}
        for pages in plan.pages.values():
            generated.update(page.source_path for page in pages)
        items = [(urls.news_item_source(item.slug), item) for item in self.content.news]
        items += [(urls.event_source(item.slug), item) for item in self.content.events]
        items += [(urls.result_source(item.slug), item) for item in self.content.results]
        loaded = {place for place, _ in items}
        hidden = {place for place, item in items if not item.is_visible}
        # an item or sheet with mistakes of its own is reported there, not at every link to it
        generated.update(f.virtual for f in news_files if f.virtual not in loaded)
        generated.update(urls.source_path(urls.project("", project_id))
                         for project_id in self.content.project_ids)
        return generated - hidden, hidden

    def run(self) -> list[Problem]:
        for news_file in self.content.news_files:
            if news_file.image:
                self.media_used.add(news_file.image)
            if not news_file.draft and news_file.title and news_file.title.startswith(TO_TRANSLATE):
                self.problems.append(Problem(
                    news_file.source, news_file.title_line, "title",
                    f"still marked {TO_TRANSLATE} but published: translate the title, or put back `draft: true`",
                    WARNING))
        checked, now = self.checked, {}
        for file in self.files:
            key = (file.rel, file.virtual, file.lang, file.draft, id(file.scan))
            found = checked.get(key) if checked is not None else None
            if found is None or found[0] is not file.scan:
                start, used, self.media_used = len(self.problems), self.media_used, set()
                self._markdown(file)
                found = (file.scan, tuple(self.problems[start:]), frozenset(self.media_used))
                del self.problems[start:]
                self.media_used = used
            self.problems += found[1]
            self.media_used |= found[2]
            now[key] = found
        if checked is not None:  # only what this load checked: a text gone is forgotten
            context = checked["context"]
            checked.clear()
            checked.update(now, context=context)
        self.media_used.update(_sheet_media(self.content))
        self.media_used.update(file.file for item in self.content.results for file in item.files if file.file)
        self._unused_media()
        return self.problems

    def add(self, file: MarkdownFile, line: int | None, field_name: str, message: str,
            severity: str = ERROR) -> None:
        if file.draft and severity == ERROR:
            severity = WARNING
            message += " (in a draft: this will stop the build once it is published)"
        self.problems.append(Problem(file.rel, line, field_name, message, severity))

    def _markdown(self, file: MarkdownFile) -> None:
        for finding in file.scan.findings:
            self.add(file, finding.line, finding.field, finding.message)
        for line, target in file.scan.targets:
            self._target(file, line, target)
        if not file.draft:
            for line, placeholder in file.scan.placeholders:
                self.add(file, line, "placeholder", f"still to complete: {placeholder}", WARNING)

    def _target(self, file: MarkdownFile, line: int, target: str) -> None:
        target = target.strip()
        if not target or target.startswith(("#", "/")) or ":" in target.split("/", 1)[0]:
            return
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path:
            return
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(file.virtual), path))
        if resolved.startswith(f"{MEDIA_DIR}/"):
            name = resolved[len(MEDIA_DIR) + 1:]
            self.media_used.add(name)
            if name not in self.media and resolved not in self.docs_files:
                media = self.settings.relative(self.settings.content_dir / MEDIA_DIR / name)
                self.add(file, line, "link", f"'{target}': file not found: {media}")
            return
        if not path.endswith(".md"):
            return
        if resolved in self.unpublished:
            self.add(file, line, "link", f"'{target}' points to an item that is not published "
                                         "(every version is a draft)")
        elif resolved.startswith("../") or resolved == ".." or not self._page_exists(resolved, file.lang):
            self.add(file, line, "link", f"'{target}' points to no page{self._suggest(file, resolved)}")

    def _page_exists(self, place: str, lang: str | None) -> bool:
        if place in self.generated:
            return True
        langs = self.docs.get(place)
        if not langs:
            return False
        return None in langs or (lang or self.default) in langs or self.default in langs

    def _suggest(self, file: MarkdownFile, resolved: str) -> str:
        known = sorted(set(self.docs) | self.generated)
        close = difflib.get_close_matches(resolved, known, n=1)
        if not close:
            return " (links are relative to the page: a news item is in news/, so ../about.md " \
                   "is the about page)" if file.is_news else ""
        return f"; did you mean '{posixpath.relpath(close[0], posixpath.dirname(file.virtual) or '.')}'?"

    def _unused_media(self) -> None:
        media = self.settings.content_dir / MEDIA_DIR
        for name in self.content.media:
            if name not in self.media_used:
                self.problems.append(Problem(
                    self.settings.relative(media / name), None, "file",
                    f"not used by any news item, result or page: use it (image: {name}, or "
                    f"files: [{{file: {name}}}] in a result) or delete it",
                    WARNING))


def _sheet_media(content: Content) -> set[str]:
    """Sheets render their own Markdown: any mention of media/<file> counts as a use; so do partners' logos."""
    used = set()
    for project in content.projects.values():
        used.update(partner.logo for partner in project.partners if partner.logo)
        texts = [project.summary, *project.objectives, *project.activities, *project.results]
        for text in texts:
            for value in text.values.values():
                used.update(m.rstrip(".,;:") for m in _MEDIA_MENTION.findall(value))
    return used


# -- one address, one page -----------------------------------------------------------

def _collisions(settings: Settings, content: Content, plan: SitePlan, docs_files: frozenset[str]) -> list[Problem]:
    """A hand-written file of docs/ (``docs_files``, by name there) whose output
    a generated one also writes would silently lose: name both."""
    if not docs_files:
        return []
    generated: dict[str, str | PlannedPage] = {}  # output path -> what writes it (a page: described if named)
    for lang, pages in plan.pages.items():
        for page in pages:
            generated[urls.output_file(page.path)] = page
        prefix = settings.language(lang).prefix
        generated[urls.feed(prefix)] = f"the {lang} news feed (from {settings.relative(settings.content_dir / NEWS_DIR)}/)"
        for project_id, project in content.projects.items():
            generated[urls.feed(prefix, project_id)] = f"the {lang} feed of {project.source}"
    for name in content.media:
        generated[urls.media(name)] = settings.relative(settings.content_dir / MEDIA_DIR / name)
    for name in SITE_FILES:
        generated[name] = f"the site's {name}, written by Divulga"
    problems = []
    for name in sorted(docs_files):
        for output in _outputs(name, settings):
            what = generated.get(output)
            if what is None and output.startswith(SEARCH_FOLDER):
                what = f"the search index ({SEARCH_FOLDER}), written by Divulga"
            elif what is None and urls.is_sitemap_part(output):
                what = ("a part of the site's sitemap, written by Divulga once the site has over 50,000 "
                        "addresses")
            elif isinstance(what, PlannedPage):
                what = _origin(what, settings, content)
            if what is not None:
                problems.append(Problem(settings.relative(settings.docs_dir / name), None, "file",
                                        f"its address /{urls.page_address(output)} is also that of "
                                        f"{what}: rename or move this file"))
                break
    return problems


def _origin(page: PlannedPage, settings: Settings, content: Content) -> str:
    if page.version is not None:  # a news item, an event, a result
        return page.version.source
    if page.kind == PROJECT:
        project = content.projects.get(page.key[1])
        if project is not None:
            return project.source
    folder = PROJECTS_DIR if page.kind.startswith("project") else NEWS_DIR
    return f"a page Divulga makes from {settings.relative(settings.content_dir / folder)}/"


def _outputs(name: str, settings: Settings) -> list[str]:
    """Where MkDocs (with static-i18n) writes a file of docs/, per language."""
    if not name.endswith(".md"):
        return [name]
    virtual, lang = page_language(name, settings.codes, settings.docs_structure)
    path = urls.document_page(virtual)
    langs = [lang] if lang else list(settings.codes)
    return [urls.output_file(settings.language(code).prefix + path) for code in langs if code in settings.codes]
