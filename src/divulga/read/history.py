"""When a content file last changed: the date of the last commit that touched
it (the publish workflow checks out the whole history), its modification time
outside git. The sitemap's dates and the dates of outdated translations come
from here."""

from __future__ import annotations

import datetime as dt
import subprocess
from functools import lru_cache
from pathlib import Path


def last_changed(path: Path) -> dt.date | None:
    """Date of the last commit that touched ``path``; its mtime outside git."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _last_changed(path, mtime)


@lru_cache(maxsize=None)
def _last_changed(path: Path, mtime_ns: int) -> dt.date:
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", path.name], cwd=path.parent,
                             capture_output=True, text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            return dt.date.fromisoformat(out.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return dt.date.fromtimestamp(mtime_ns / 1e9)
