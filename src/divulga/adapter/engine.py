"""Everything Divulga knows of the internals of MkDocs' plugins and theme.

static-i18n and Material are used through more than their documented
options; what reaches inside them sits here, so that an update of either
(or a move to another engine) has one small module to re-check:

- static-i18n runs MkDocs' whole event chain once per language: its plugin
  object tells whether a run is another language's of the same build
  (``building``) and which language is being built (``current_language``);
  it puts the language switcher's links in ``config.extra.alternate`` and
  each docs/ file's versions in ``file.alternates``;
- MkDocs lists the theme's files at every build to find the static ones
  (``ThemeListing``);
- Material's interface strings come from its ``partials/languages/<lang>.html``
  macros; ``overrides/`` holds copies of some of Material's partials (listed in
  ``COPIED_PARTIALS``), made from the version in ``MATERIAL_VERSION``:
  tests/test_engine_internals.py fails, naming them, when the installed
  Material differs.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

from jinja2 import FileSystemLoader
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from divulga.read.sources import folder_time

PLUGIN = "i18n"
# The Material release whose partials overrides/ copies, and those copies:
# when Material changes, compare each with its new version and carry our
# changes over (each file says what they are).
MATERIAL_VERSION = "9.8.1"
COPIED_PARTIALS = (
    "partials/header.html",
    "partials/alternate.html",
    "partials/language.html",
    "partials/toc.html",
    "partials/logo.html",
    "main.html (its site_nav block)",
)


def installed_material() -> str | None:
    try:
        return version("mkdocs-material")
    except PackageNotFoundError:
        return None


# -- static-i18n ---------------------------------------------------------------

def i18n(config: MkDocsConfig):
    """static-i18n's plugin object (the configuration check has reported a missing one)."""
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        raise PluginError("Divulga needs the mkdocs-static-i18n plugin (`i18n`) in mkdocs.yml")
    return plugin


def current_language(config: MkDocsConfig) -> str:
    """The language static-i18n is building now."""
    return i18n(config).current_language


def other_language_run(config: MkDocsConfig) -> bool:
    """Whether this event chain is static-i18n's run for another language of
    the build already started (not a new build)."""
    return bool(i18n(config).building)


def build_order(config: MkDocsConfig) -> list[str]:
    """The languages this build renders, in static-i18n's order: the one it builds now, then the others."""
    plugin = i18n(config)
    current = plugin.current_language
    return [current, *(code for code in plugin.build_languages if code != current)]


def markdown_after_i18n(markdown: str) -> str:
    """A page's Markdown as static-i18n's on_page_markdown hands it on when it translates no
    admonition title: line by line (``splitlines``), joined with newlines."""
    return "\n".join(markdown.splitlines())


def languages(config: MkDocsConfig) -> list[dict]:
    """static-i18n's languages, as mkdocs.yml writes them (after its validation:
    ``build_only_locale`` may have changed the default)."""
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        return []
    return [{"locale": lang.locale, "name": lang.name, "default": lang.default, "build": lang.build}
            for lang in plugin.config.languages]


def docs_structure(config: MkDocsConfig) -> str:
    plugin = config.plugins.get(PLUGIN)
    return str(plugin.config.docs_structure) if plugin is not None else "suffix"


def file_versions(file) -> dict[str, str] | None:
    """A docs/ file's URL in every language static-i18n found it in."""
    files = getattr(file, "alternates", None)
    if not files:
        return None
    return {code: other.url for code, other in files.items()}


def page_folders(files) -> list[str]:
    """The folders MkDocs writes the pages of ``files`` into (one a page, with directory URLs)."""
    return sorted({os.path.dirname(file.abs_dest_path) for file in files.documentation_pages()})


def file_language(file, default: str) -> str:
    """The language a docs/ file is written in (static-i18n's ``locale``)."""
    return getattr(file, "locale", default)


def point_switcher(config: MkDocsConfig, paths: dict[str, str]) -> None:
    """Point the language switcher at a generated page's own versions.

    static-i18n only knows the versions of docs/ pages. Like static-i18n, set
    the attribute (templates read it before the item, which keeps the
    per-language home links)."""
    config.extra.alternate = [
        {**alternate, "link": paths.get(alternate.get("lang"), alternate["link"])}
        for alternate in config.extra.get("alternate", [])
    ]


def reset_switcher(config: MkDocsConfig) -> None:
    """The switcher of a page without versions of its own (the 404 page):
    each language's home, not the last page built."""
    config.extra.alternate = list(config.extra.get("alternate", []))


# -- Material ------------------------------------------------------------------

def theme_string(env, language: str, key: str) -> Markup:
    """Material's interface string ``key`` in ``language``, else English, else the key.

    Markup: the theme's own text, which Material prints as it is (into HTML
    and into the JSON of its configuration)."""
    own = env.get_template(f"partials/languages/{language}.html").module
    english = env.get_template("partials/languages/en.html").module
    return Markup(str(own.t(key) or english.t(key) or key))


# -- MkDocs' theme files -----------------------------------------------------------

class ThemeListing:
    """The theme's files as Jinja lists them for MkDocs, kept while the theme's folders are the same.

    At every build (every rebuild of a preview, every language of a build) MkDocs lists all the files of the
    theme's folders through Jinja, and matches each against its patterns to pick the static ones to copy
    (``Files.add_files_from_theme``): Material's folder holds some 14,500 files, 14,000 of them icons under
    ``.icons/``, which took 0.07 s of a preview's rebuild. Here the listing leaves out what starts with a dot,
    at any depth, which MkDocs' patterns leave out too (``.*``, ``*/.*``; MkDocs is the only one to list a
    theme's templates), and is listed again only when a folder's own time moved (a file added, removed or
    renamed in it). Held by the session; ``use`` puts it under ``config.theme``."""

    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[list[tuple[str, int | None]], list[str]]] = {}

    def use(self, config: MkDocsConfig) -> None:
        """Have the template environments of ``config``'s theme list their files here."""
        theme = config.theme
        made = theme.get_env
        if getattr(made, "divulga_listing", False):
            return

        def get_env():
            env = made()
            if type(env.loader) is FileSystemLoader:  # MkDocs' own (a plugin may have put another)
                env.loader = _ListedLoader(env.loader, self)
            return env

        get_env.divulga_listing = True  # type: ignore[attr-defined]
        theme.get_env = get_env

    def names(self, searchpath: list[str], followlinks: bool) -> list[str]:
        key = (tuple(searchpath), followlinks)
        kept = self._kept.get(key)
        if kept is not None and all(folder_time(folder) == time for folder, time in kept[0]):
            return list(kept[1])
        folders: list[tuple[str, int | None]] = []
        found: set[str] = set()
        for top in searchpath:
            pending = [(top, "")]
            while pending:
                folder, prefix = pending.pop()
                folders.append((folder, folder_time(folder)))  # before listing it: a change after shows
                try:
                    with os.scandir(folder) as entries:
                        for entry in entries:
                            if entry.name.startswith("."):
                                continue
                            if entry.is_dir() and (followlinks or not entry.is_symlink()):
                                pending.append((entry.path, f"{prefix}{entry.name}/"))
                            elif not entry.is_dir():
                                found.add(prefix + entry.name)
                except OSError:
                    continue
        names = sorted(found)
        self._kept[key] = (folders, names)
        return list(names)


class _ListedLoader(FileSystemLoader):
    """MkDocs' loader, listing its files through a ThemeListing."""

    def __init__(self, loader: FileSystemLoader, listing: ThemeListing) -> None:
        super().__init__(loader.searchpath, loader.encoding, loader.followlinks)
        self._listing = listing

    def list_templates(self) -> list[str]:
        return self._listing.names(self.searchpath, self.followlinks)


# -- MkDocs' preview server ----------------------------------------------------

def watch_natively(server) -> bool:
    """Have ``mkdocs serve`` hear of a saved file at once from the system (inotify,
    FSEvents, ReadDirectoryChangesW, through watchdog's native observer) instead of
    walking every watched file twice a second: at 10,000 news items a walk takes
    about a quarter of a second, holds Python's lock against the rebuild, and adds
    up to half a second to every preview. Re-schedules what the server watches
    already (its docs folder, mkdocs.yml); what is watched after this goes to the
    new observer. Returns False, leaving the server as it is, where the system has
    no native observer or the server is not the one known here (MkDocs 1.6)."""
    from watchdog import events
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    # What polling tells: a native observer also reports files merely opened and
    # closed, and a build reads docs/ (each read would ask for another build)
    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileMovedEvent, events.FileDeletedEvent]

    class ChangesOnly(Observer):
        def schedule(self, event_handler, path, **options):
            return super().schedule(event_handler, path, **{"event_filter": changes, **options})

    watched = getattr(server, "_watched_paths", None)
    if (not isinstance(watched, dict) or not isinstance(getattr(server, "observer", None), PollingObserver)
            or issubclass(Observer, PollingObserver)):
        return False
    again = dict(watched)
    for path, count in again.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = ChangesOnly()
    for path, count in again.items():
        for _ in range(count):
            server.watch(path)
    return True


def report_changes(server, folder: str, changes) -> bool:
    """Tell ``changes`` (divulga.runtime.ChangesSeen) of every file created, changed, moved or deleted under
    ``folder``, from the server's observer (the one watch_natively set, or MkDocs' polling); a folder
    created, moved or deleted is a change it cannot name file by file (``changes.lost()``). Returns False,
    reporting nothing, where the server is not the one known here."""
    from watchdog import events

    observer = getattr(server, "observer", None)
    if observer is None or not hasattr(observer, "schedule"):
        return False

    class Report(events.FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type == events.EVENT_TYPE_MODIFIED and event.is_directory:
                return  # a file in it changed: that file is reported too
            if event.is_directory:
                changes.lost()
            else:
                changes.saw(*(os.path.abspath(os.fsdecode(path)) for path in (event.src_path, event.dest_path)
                              if path))

    kinds = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileMovedEvent, events.FileDeletedEvent,
             events.DirCreatedEvent, events.DirMovedEvent, events.DirDeletedEvent]
    observer.schedule(Report(), folder, recursive=True, event_filter=kinds)
    changes.watching()
    return True
