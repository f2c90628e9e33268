"""When a content file last changed: the date of the last commit that touched
it (the publish workflow checks out the whole history), its modification time
outside git. The sitemap's dates and the dates of outdated translations come
from here.

One ``git log`` answers for every file of the site (``History``, made per
content load and read on its first question): asking git once per file cost
5 ms each, seconds on a site with thousands of events.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

GIT_TIMEOUT = 120  # seconds; a history git cannot give in that time counts as none


class History:
    """The date of the last commit of every file under ``root`` (one ``git log``, run when first asked)."""

    def __init__(self, root: Path | None = None):
        self.root = (root or Path.cwd()).resolve()
        self._dates: dict[Path, dt.date] | None = None

    def last_changed(self, path: Path) -> dt.date | None:
        """Date of the last commit that touched ``path``; its modification time outside git (or not committed
        yet); None when there is no such file."""
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        if self._dates is None:
            self._dates = _commit_dates(self.root)
        return self._dates.get(path.resolve()) or dt.date.fromtimestamp(mtime)


def _commit_dates(root: Path) -> dict[Path, dt.date]:
    """Each file under ``root`` with the date of the newest commit that touched it ({} outside git)."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True,
                             timeout=GIT_TIMEOUT)
        if top.returncode != 0:
            return {}
        log = subprocess.run(["git", "log", "--format=%x01%cs", "--name-only", "--no-renames", "-z", "--", "."],
                             cwd=root, capture_output=True, timeout=GIT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return {}
    if log.returncode != 0:
        return {}
    base = Path(top.stdout.strip()).resolve()
    dates: dict[Path, dt.date] = {}
    date = None
    for field in log.stdout.decode("utf-8", "surrogateescape").split("\0"):
        field = field.strip("\n")
        if field.startswith("\x01"):
            # "\x01<date>\n\n<first file>" when the commit names files
            head, _, field = field.partition("\n")
            try:
                date = dt.date.fromisoformat(head[1:])
            except ValueError:
                date = None
            field = field.strip("\n")
        if field and date is not None:
            dates.setdefault(base / field, date)
    return dates
