"""The pages left at old addresses: a translation with its own address (``slug:``) is still reached at
the file name's, which a page leads to at once (a meta refresh: GitHub Pages has no server-side
redirects), naming the new address as canonical and kept out of search engines."""

from __future__ import annotations

import html
import posixpath

from divulga import urls
from divulga.l10n import Localizer
from divulga.settings import Settings


def redirect_files(redirects: dict[str, str], settings: Settings, l10n: Localizer) -> dict[str, bytes]:
    """One small HTML page at each old address (``redirects``: old page path -> new one), in the
    language of the page it leads to."""
    files = {}
    for old, new in sorted(redirects.items()):
        lang = next((code for code in settings.codes if code != settings.default_language.code
                     and new.startswith(f"{code}/")), settings.default_language.code)
        target = posixpath.relpath(new or ".", old or ".") + "/"
        absolute = html.escape(urls.absolute(settings.site_url, new), quote=True)
        relative = html.escape(target, quote=True)
        moved = html.escape(l10n.t(lang, "page_moved"))
        files[urls.output_file(old)] = (
            f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{moved}</title>\n"
            f'<meta name="robots" content="noindex">\n'
            f'<link rel="canonical" href="{absolute}">\n'
            f'<meta http-equiv="refresh" content="0; url={relative}">\n</head>\n'
            f'<body>\n<p><a href="{relative}">{moved}</a></p>\n</body>\n</html>\n').encode("utf-8")
    return files
