"""``divulga check``: the build's own validation, plus what the build finds late.

The loader's problems are exactly those that stop ``mkdocs build``. On top of
them, this module reads the Markdown of news bodies and docs/ pages for
mistakes MkDocs only reports while rendering, or never: links to pages that
do not exist, images without alt text, media files that are missing or used
nowhere, and "[DA COMPLETARE" / "[TO BE COMPLETED" placeholders left in
pages. Links are resolved as MkDocs resolves them: a news body as if it were
``docs/news/<slug>.md``, a docs page from its place in docs/.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .config_file import SiteConfig
from .loader import load_content
from .model import Content
from .news import FILE_NAME, MEDIA_DIR, NEWS_DIR
from .plan import build_plan
from .problems import ERROR, WARNING, Problem
from .projects import PROJECTS_DIR
from .scaffold import TO_TRANSLATE
from .settings import Settings
from .translations import TranslationReport, translation_report
from .yamlsource import YamlDocument, parse_mapping, split_front_matter

PLACEHOLDERS = ("[DA COMPLETARE", "[TO BE COMPLETED")

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:.+?)\1")
# `](target "title")` ends every inline link and image
_TARGET = re.compile(r"\]\(\s*(?:<(?P<angled>[^>]*)>|(?P<target>[^)\s]*))(?:\s+[\"'(][^)]*)?\)")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(?:<(?P<angled>[^>]*)>|(?P<target>\S+))")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\](?:\((?P<target>[^)]*)\)|\[[^\]]*\])")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_ALT = re.compile(r"\balt\s*=", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PLACEHOLDER = re.compile(r"\[(?:DA COMPLETARE|TO BE COMPLETED)[^\]]*\]?")
_MEDIA_MENTION = re.compile(MEDIA_DIR + r"/([^\s\"'()<>\]]+)")


@dataclass(frozen=True)
class MarkdownFile:
    """A Markdown text as MkDocs will see it."""

    rel: str  # as editors see it: content/news/x.it.md, docs/about.it.md
    virtual: str  # its place among the documentation files: news/x.md, about.md
    lang: str | None  # None: a docs page without language suffix (every language)
    body: str
    first_line: int  # line of the body's first line in the file
    draft: bool = False
    is_news: bool = False
    front: YamlDocument | None = None  # news front matter

    @property
    def data(self) -> dict:
        return self.front.data if self.front is not None else {}


@dataclass
class CheckResult:
    problems: list[Problem]
    translations: TranslationReport
    checked: dict[str, int]  # what was read: news files, sheets, pages, media files

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]


def run_check(site: SiteConfig) -> CheckResult:
    """Everything ``divulga check`` reports, without building the site."""
    settings = site.settings
    try:
        content, problems = load_content(settings)
    except UnicodeDecodeError:
        # the loader reads some files (tags.yaml) without guarding their encoding
        problems = _not_utf8(settings)
        if not problems:
            raise
        content = Content()
    news_files = _news_files(site)
    pages = _docs_pages(site)
    problems += _ExtraChecks(site, content, news_files, pages).run()
    problems.sort(key=Problem.sort_key)
    sheets = settings.content_dir / PROJECTS_DIR
    news = settings.content_dir / NEWS_DIR
    checked = {
        "news_files": len(list(news.glob("*.md"))) if news.is_dir() else 0,
        "project_sheets": len(list(sheets.glob("*.yaml"))) if sheets.is_dir() else 0,
        "pages": len(pages),
        "media_files": len(content.media),
    }
    return CheckResult(problems, translation_report(content, settings), checked)


def _not_utf8(settings: Settings) -> list[Problem]:
    found = []
    for path in sorted(settings.content_dir.rglob("*")):
        if path.suffix in (".md", ".yaml", ".yml") and path.is_file():
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                found.append(Problem(settings.relative(path), None, "file",
                                     "not UTF-8 text: save the file as UTF-8"))
    return found


# -- reading the Markdown files -------------------------------------------------

def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # the loader reports files it cannot read


def _news_files(site: SiteConfig) -> list[MarkdownFile]:
    settings = site.settings
    folder = settings.content_dir / NEWS_DIR
    files = []
    if not folder.is_dir():
        return files
    for path in sorted(folder.glob("*.md")):
        match = FILE_NAME.match(path.name)
        text = _read(path)
        if match is None or match.group("lang") not in settings.codes or text is None:
            continue
        rel = settings.relative(path)
        front_text, body, body_line = split_front_matter(text)
        doc = parse_mapping(front_text, path=rel, line_offset=1)[0] if front_text is not None else None
        files.append(MarkdownFile(rel=rel, virtual=f"{NEWS_DIR}/{match.group('slug')}.md",
                                  lang=match.group("lang"), body=body, first_line=body_line,
                                  draft=doc is not None and doc.data.get("draft") is True,
                                  is_news=True, front=doc))
    return files


def _docs_pages(site: SiteConfig) -> list[MarkdownFile]:
    settings = site.settings
    pages = []
    if not site.docs_dir.is_dir():
        return pages
    for path in sorted(site.docs_dir.rglob("*.md")):
        rel_docs = path.relative_to(site.docs_dir).as_posix()
        if any(part.startswith(".") for part in rel_docs.split("/")):
            continue
        text = _read(path)
        if text is None:
            continue
        virtual, lang = _page_language(rel_docs, settings.codes, site.docs_structure)
        _, body, body_line = split_front_matter(text)
        pages.append(MarkdownFile(rel=settings.relative(path), virtual=virtual, lang=lang,
                                  body=body, first_line=body_line))
    return pages


def _page_language(rel: str, codes: tuple[str, ...], structure: str) -> tuple[str, str | None]:
    """``about.it.md`` -> ("about.md", "it"); ``it/about.md`` with the folder structure."""
    if structure == "folder":
        first, _, rest = rel.partition("/")
        return (rest, first) if rest and first in codes else (rel, None)
    stem, _, suffix = rel[:-3].rpartition(".")
    if stem and suffix in codes:
        return f"{stem}.md", suffix
    return rel, None


def _code_masked(body: str) -> list[str]:
    """The body's lines with code blocks and code spans blanked (same line numbers)."""
    lines, fence = [], None
    for line in body.splitlines():
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            lines.append("")
        elif opening:
            fence = opening.group(1)
            lines.append("")
        else:
            lines.append(_INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line))
    return lines


# -- the checks -------------------------------------------------------------------

class _ExtraChecks:
    def __init__(self, site: SiteConfig, content: Content, news_files: list[MarkdownFile],
                 pages: list[MarkdownFile]):
        self.site, self.settings, self.content = site, site.settings, content
        self.files = news_files + pages
        self.problems: list[Problem] = []
        self.media_used: set[str] = set()
        self.default = self.settings.default_language.code
        # docs pages: place -> languages it is written in (None: no suffix)
        self.docs: dict[str, set[str | None]] = {}
        for page in pages:
            self.docs.setdefault(page.virtual, set()).add(page.lang)
        self.generated, self.unpublished = self._generated_pages(news_files)

    def _generated_pages(self, news_files: list[MarkdownFile]) -> tuple[set[str], set[str]]:
        """Places of the pages Divulga adds, and of news items no one can see yet."""
        generated = {f"{NEWS_DIR}/index.md", f"{PROJECTS_DIR}/index.md"}
        try:
            plan = build_plan(self.content, self.settings)
            for pages in plan.pages.values():
                generated.update(page.source_path for page in pages)
        except Exception:  # noqa: BLE001 - the plan only refines the list of targets
            pass
        loaded = {item.slug for item in self.content.news}
        hidden = {f"{NEWS_DIR}/{item.slug}.md" for item in self.content.news if not item.is_visible}
        # an item or sheet with mistakes of its own is reported there, not at every link to it
        generated.update(f.virtual for f in news_files if f.virtual[len(NEWS_DIR) + 1:-3] not in loaded)
        sheets = self.settings.content_dir / PROJECTS_DIR
        if sheets.is_dir():
            generated.update(f"{PROJECTS_DIR}/{p.stem}/index.md" for p in sheets.glob("*.yaml"))
        return generated - hidden, hidden

    def run(self) -> list[Problem]:
        for file in self.files:
            if file.is_news:
                self._news_front(file)
            self._markdown(file)
        self._sheet_mentions()
        self._unused_media()
        return self.problems

    def add(self, file: MarkdownFile, line: int | None, field_name: str, message: str,
            severity: str = ERROR) -> None:
        if file.draft and severity == ERROR:
            severity = WARNING
            message += " (in a draft: this will stop the build once it is published)"
        self.problems.append(Problem(file.rel, line, field_name, message, severity))

    def _news_front(self, file: MarkdownFile) -> None:
        image = file.data.get("image")
        if isinstance(image, str) and image.strip():
            self.media_used.add(image.strip())
        title = file.data.get("title")
        if not file.draft and isinstance(title, str) and title.startswith(TO_TRANSLATE):
            self.add(file, file.front.line("title"), "title", f"still marked {TO_TRANSLATE} but published: translate the "
                                       "title, or put back `draft: true`", WARNING)

    def _markdown(self, file: MarkdownFile) -> None:
        for index, line in enumerate(_code_masked(file.body)):
            number = file.first_line + index
            for match in _IMAGE.finditer(line):
                if not match.group("alt").strip():
                    target = (match.group("target") or "").split()[0] if match.group("target") else "photo.jpg"
                    self.add(file, number, "image",
                             f"{match.group(0)} has no alt text: describe the picture between the "
                             f"brackets, e.g. ![Participants at the workshop]({target})")
            for tag in _HTML_IMG.findall(line):
                if not _HTML_ALT.search(tag):
                    self.add(file, number, "image", f"{tag} has no alt text: add alt=\"...\" "
                                                    "describing the picture")
            targets = [m.group("angled") or m.group("target") or "" for m in _TARGET.finditer(line)]
            definition = _REF_DEFINITION.match(line)
            if definition:
                targets.append(definition.group("angled") or definition.group("target") or "")
            for target in targets:
                self._target(file, number, target)
            if not file.draft:
                for placeholder in _PLACEHOLDER.findall(line):
                    shown = placeholder if len(placeholder) <= 70 else placeholder[:67] + "..."
                    self.add(file, number, "placeholder", f"still to complete: {shown}", WARNING)

    def _target(self, file: MarkdownFile, line: int, target: str) -> None:
        target = target.strip()
        if not target or target.startswith(("#", "/")) or _SCHEME.match(target):
            return
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path:
            return
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(file.virtual), path))
        if resolved.startswith(f"{MEDIA_DIR}/"):
            name = resolved[len(MEDIA_DIR) + 1:]
            self.media_used.add(name)
            if not (self.settings.content_dir / MEDIA_DIR / name).is_file() \
                    and not (self.site.docs_dir / resolved).is_file():
                media = self.settings.relative(self.settings.content_dir / MEDIA_DIR / name)
                self.add(file, line, "link", f"'{target}': file not found: {media}")
            return
        if not path.endswith(".md"):
            return
        if resolved in self.unpublished:
            self.add(file, line, "link", f"'{target}' points to a news item that is not published "
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

    def _sheet_mentions(self) -> None:
        """Sheets render their own Markdown: any mention of media/<file> counts as a use."""
        sheets = self.settings.content_dir / PROJECTS_DIR
        if not sheets.is_dir():
            return
        for path in sheets.glob("*.yaml"):
            text = _read(path) or ""
            self.media_used.update(m.rstrip(".,;:") for m in _MEDIA_MENTION.findall(text))

    def _unused_media(self) -> None:
        media = self.settings.content_dir / MEDIA_DIR
        for name in self.content.media:
            if name not in self.media_used:
                self.problems.append(Problem(
                    self.settings.relative(media / name), None, "file",
                    f"not used by any news item or page: use it (image: {name}) or delete it",
                    WARNING))
