"""Reading the site's own files, and nothing else.

Every content file (and every file the site publishes from ``docs/`` and
``overrides/``) is looked at here before it is read or published, so that:

- nothing from outside the site's folder is ever read or published: a
  symbolic link that leads outside (``env.txt -> /proc/self/environ``) is an
  error, not a copy of the build machine's secrets on the public site;
- a dangling link, a link loop, a folder where a file is expected, a named
  pipe or a device is an error, never a hang (a pipe is never opened) or a
  traceback;
- a text file is read only up to a size limit, and must be UTF-8.

Links that stay inside the site's folder are followed, folders included
(each real folder once, so a link loop cannot make a walk endless).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from divulga.problems import Problem
from divulga.text import slugify

# A content text file (news item, sheet, tag list) bigger than this is a
# mistake (a pasted image, a log file), not a text to publish.
MAX_TEXT_BYTES = 2 * 1024 * 1024
BOM = "\ufeff"


@dataclass(frozen=True)
class Found:
    """A file or folder that may be read: inside the site, of the right kind."""

    location: str  # its path as found (may go through a link inside the site)
    name: str  # relative to the folder walked, with "/"
    is_dir: bool
    size: int
    mtime_ns: int = 0  # when it was last modified (of what a link leads to)

    @cached_property
    def path(self) -> Path:
        """``location`` as a Path (made when asked: a folder of ten thousand files is listed at every preview)."""
        return Path(self.location)


class Listings:
    """Folder listings kept from one load to the next (a preview's), while someone reports every file changed
    under them since (the preview's watcher: ``changes``): a folder is then looked at again only where a
    change was reported, instead of every file of it (ten thousand news files: a tenth of a second).

    Nothing is kept of a folder reached through a symbolic link or holding one: a change to what a link leads
    to is reported at the place it leads to. Whenever ``changes`` cannot say what changed, nothing is kept.
    A folder where nothing was reported, but whose own time moved (a file was created, deleted or renamed in
    it), is listed again: the system may drop its reports when too many come at once (a `git checkout`).
    """

    def __init__(self) -> None:
        # folder -> its entries and problems, and its own modification time when it was listed
        self._kept: dict[str, tuple[list[Found], list[Problem], int]] = {}
        self._changed: dict[str, set[str]] = {}  # folder kept -> names changed in it since
        self._told = False  # whether ``changes`` told what changed since the last load

    def changes(self, paths: set[str] | None) -> None:
        """The paths changed since the last load (files created, changed, moved or deleted), told before a
        load; None when it is not known (the first load, a folder moved): every folder is then listed again,
        as it is when nobody tells."""
        self._told = paths is not None
        if paths is None:
            return
        for path in paths:
            folder, name = os.path.split(os.path.abspath(path))
            if folder in self._kept:
                self._changed.setdefault(folder, set()).add(name)

    def begin(self) -> None:
        """A load starts: what is kept is used only if ``changes`` told what changed since the last one."""
        if not self._told:
            self._kept.clear()
            self._changed.clear()
        self._told = False

    def kept(self, folder: str) -> tuple[list[Found], list[Problem], set[str]] | None:
        """The listing of ``folder`` kept from the last time, and the names changed in it since; None when it
        has to be listed again."""
        folder = os.path.abspath(folder)
        kept = self._kept.get(folder)
        if kept is None:
            return None
        changed = self._changed.pop(folder, set())
        if not changed and folder_time(folder) != kept[2]:
            return None
        return kept[0], kept[1], changed

    def keep(self, folder: str, entries: list[Found], problems: list[Problem], kept: bool, time: int | None
             ) -> None:
        """Keep ``folder``'s listing (when ``kept``), made after its modification ``time`` was read."""
        folder = os.path.abspath(folder)
        self._changed.pop(folder, None)
        if kept and time is not None:
            self._kept[folder] = (entries, problems, time)
        else:
            self._kept.pop(folder, None)


def folder_time(folder: str) -> int | None:
    """A folder's own modification time (it moves when a file is added, removed or renamed in it)."""
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


class SiteFiles:
    """The site's folder: ``root`` and what lies in it. Problems are recorded
    with paths relative to ``root``, as editors see them. ``listings``: the
    folder listings of the last load, when a preview loads again."""

    def __init__(self, root: Path, listings: Listings | None = None):
        self.root = Path(root)
        self.prefix = str(self.root) + os.sep  # what relative() cuts off
        self.real_root = os.path.realpath(self.root)
        self.listings = listings

    def relative(self, path: Path) -> str:
        text = str(path)
        if text.startswith(self.prefix):
            return text[len(self.prefix):].replace(os.sep, "/")
        return Path(path).as_posix()

    def inside(self, real: str) -> bool:
        try:
            return os.path.commonpath([self.real_root, real]) == self.real_root
        except ValueError:  # another drive
            return False

    def look(self, path: Path) -> tuple[os.stat_result | None, Problem | None]:
        """The file's status (links followed) or the problem that forbids using it."""
        rel = self.relative(path)
        try:
            link = os.lstat(path)
        except FileNotFoundError:
            return None, Problem(rel, None, "file", "not found")
        except OSError as exc:
            return None, Problem(rel, None, "file", f"cannot be read ({exc.strerror or exc}): check its permissions")
        if stat.S_ISLNK(link.st_mode):
            real = os.path.realpath(path)
            if not self.inside(real):
                return None, Problem(rel, None, "file",
                                     f"links outside the site (to {os.readlink(path)}): nothing from outside "
                                     "the site's folder is published; copy the file here instead of linking it")
        try:
            status = os.stat(path)
        except FileNotFoundError:
            return None, Problem(rel, None, "file",
                                 f"is a link to something that does not exist ({_target(path)}): "
                                 "remove the link, or put the file itself here")
        except OSError as exc:
            return None, Problem(rel, None, "file",
                                 f"cannot be read ({exc.strerror or exc}): a link that leads back to itself, or "
                                 "missing permissions")
        if not (stat.S_ISREG(status.st_mode) or stat.S_ISDIR(status.st_mode)):
            return None, Problem(rel, None, "file",
                                 f"is not a file but a {_kind(status.st_mode)}: remove it from the site's folder")
        return status, None

    # -- folders ---------------------------------------------------------------

    def entries(self, folder: Path) -> tuple[list[Found], list[Problem]]:
        """The visible entries of ``folder`` (not those starting with "."), sorted by name."""
        key = str(folder)
        kept = self.listings.kept(key) if self.listings is not None else None
        if kept is not None:
            return self._entries_again(folder, *kept)
        problems: list[Problem] = []
        found: list[Found] = []
        links = False
        time = folder_time(key) if self.listings is not None else None
        try:
            with os.scandir(folder) as listing:
                visible = sorted((entry for entry in listing if not entry.name.startswith(".")),
                                 key=lambda entry: entry.name)
        except OSError as exc:
            return [], [Problem(self.relative(folder), None, "file",
                                f"cannot be read ({exc.strerror or exc}): check its permissions")]
        for entry in visible:
            path = entry.path
            status = None
            if not entry.is_symlink():  # the common case: one stat, nothing to follow
                try:
                    status = entry.stat(follow_symlinks=False)
                except OSError:
                    pass  # looked at below, which says why
                if status is not None and not (stat.S_ISREG(status.st_mode) or stat.S_ISDIR(status.st_mode)):
                    status = None
            else:
                links = True
            if status is None:
                status, problem = self.look(Path(path))
                if problem is not None:
                    problems.append(problem)
                    continue
            found.append(Found(path, entry.name, stat.S_ISDIR(status.st_mode), status.st_size, status.st_mtime_ns))
        if self.listings is not None:
            self.listings.keep(key, found, problems, not links and self._unlinked(folder), time)
        return list(found), list(problems)

    def _entries_again(self, folder: Path, found: list[Found], problems: list[Problem], changed: set[str]
                       ) -> tuple[list[Found], list[Problem]]:
        """``entries`` from the last listing of ``folder``, its ``changed`` names looked at again."""
        if not changed:
            return list(found), list(problems)
        time = folder_time(str(folder))
        names = {os.path.join(str(folder), name) for name in changed if not name.startswith(".")}
        gone = {self.relative(Path(path)) for path in names}
        found = [entry for entry in found if entry.name not in changed]
        problems = [problem for problem in problems if problem.path not in gone]
        links = False
        for path in sorted(names):
            if not os.path.lexists(path):
                continue
            links = links or os.path.islink(path)
            status, problem = self.look(Path(path))
            if problem is not None:
                problems.append(problem)
            else:
                found.append(Found(path, os.path.basename(path), stat.S_ISDIR(status.st_mode), status.st_size,
                                   status.st_mtime_ns))
        found.sort(key=lambda entry: entry.name)
        self.listings.keep(str(folder), found, problems, not links, time)
        return list(found), list(problems)

    def _unlinked(self, folder: Path) -> bool:
        """Whether ``folder`` is reached from the site's folder without going through a link."""
        return os.path.realpath(folder) == os.path.join(self.real_root, os.path.relpath(folder, self.root))

    def walk(self, folder: Path) -> tuple[list[Found], list[Problem]]:
        """Every file under ``folder``, its sub-folders included (links inside
        the site followed, each real folder once), named relative to ``folder``."""
        files: list[Found] = []
        problems: list[Problem] = []
        seen = {os.path.realpath(folder)}
        pending = [(Path(folder), "")]
        while pending:
            current, prefix = pending.pop()
            entries, found_problems = self.entries(current)
            problems += found_problems
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir:
                    real = os.path.realpath(entry.path)
                    if real not in seen:
                        seen.add(real)
                        pending.append((entry.path, name + "/"))
                else:
                    files.append(Found(entry.location, name, False, entry.size, entry.mtime_ns))
        files.sort(key=lambda found: found.name)
        return files, problems

    # -- text files ------------------------------------------------------------

    def read_text(self, path: Path, *, size: int | None = None,
                  limit: int = MAX_TEXT_BYTES) -> tuple[str | None, list[Problem]]:
        """The text of a file checked with ``look`` (``size`` from it), or its problems."""
        rel = self.relative(path)
        if size is None:
            status, problem = self.look(path)
            if problem is not None:
                return None, [problem]
            if stat.S_ISDIR(status.st_mode):
                return None, [Problem(rel, None, "file", "is a folder, not a file")]
            size = status.st_size
        if size > limit:
            return None, [Problem(rel, None, "file",
                                  f"is too large for a text file ({size / 1024 / 1024:.1f} MB; at most "
                                  f"{limit // 1024 // 1024} MB): is it the right file?")]
        try:
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            return None, [Problem(rel, None, "file", f"cannot be read ({exc.strerror or exc})")]
        if len(data) > limit:
            return None, [Problem(rel, None, "file",
                                  f"is too large for a text file (at most {limit // 1024 // 1024} MB)")]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            return None, [Problem(rel, line, "file",
                                  "not UTF-8 text: save the file as UTF-8 "
                                  "(in most editors: Save as… → Encoding: UTF-8)")]
        if text.startswith(BOM):
            return None, [Problem(rel, 1, "file",
                                  "starts with an invisible byte-order mark (BOM), which some editors add: "
                                  "save the file as \"UTF-8\" without BOM")]
        return text, []


def name_problem(rel: str, name: str, noun: str, suffix: str, fallback: str) -> Problem:
    """A file whose name is not a valid slug: what to rename it to."""
    return Problem(rel, None, "file", f"'{name}' is not a valid {noun} (lowercase letters, digits, hyphens): "
                                      f"rename the file {slugify(name) or fallback}{suffix}")


def _target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"
