"""The search index: Pagefind run over the finished site.

Pagefind reads every page's <html lang> and writes one index per language,
so readers of the Italian site get Italian results only (with Italian
stemming). Pages opt in with ``data-pagefind-body``: docs pages, news items
and project sheets do; listings, tag and archive pages, untranslated
fallbacks and the 404 page do not. The binary ships inside the
``pagefind[bin]`` wheel and runs offline.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


# Not content: the "¶" anchors MkDocs adds to headings.
EXCLUDED = ".headerlink"


class SearchIndexError(RuntimeError):
    pass


@dataclass(frozen=True)
class IndexReport:
    seconds: float
    output: str


def build_search_index(site_dir: Path) -> IndexReport:
    """Index ``site_dir`` into ``site_dir/pagefind/``."""
    start = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet",
                                 "--exclude-selectors", EXCLUDED],
                                capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SearchIndexError(f"could not run Pagefind: {exc}") from exc
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        hint = " (install the requirements: python -m pip install -r requirements.txt)" \
            if "No module named" in output else ""
        raise SearchIndexError(f"Pagefind failed{hint}:\n{output}")
    return IndexReport(seconds=time.monotonic() - start, output=output)
