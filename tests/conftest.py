"""Test helpers: build real sites (the example, or small fixtures) into temp dirs.

Builds run ``mkdocs build --strict`` in a subprocess, as a user would, with the
repository's own mkdocs.yml, hooks and templates.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import textwrap
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
from divulga.config_file import read_config  # noqa: E402


def load_mkdocs_yml(path: Path) -> dict:
    """mkdocs.yml as a dict, MkDocs tags read as unset (!ENV without the variable)."""
    return read_config(path, environ={})

MINIMAL_DOCS = {
    "docs/index.it.md": "# Benvenuti\n\nSito di prova.\n",
    "docs/index.en.md": "# Welcome\n\nTest site.\n",
    "docs/about.it.md": "# Chi siamo\n\nUfficio di prova.\n",
    "docs/about.en.md": "# About\n\nTest office.\n",
}


def _tiny(fmt: str) -> bytes:
    import io

    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (11, 79, 108)).save(out, fmt)
    return out.getvalue()


# Real (tiny) pictures: the build decodes every picture of content/media.
TINY_PNG = _tiny("PNG")
TINY_JPEG = _tiny("JPEG")


def news(title: str, date: str | None = "2024-01-01", body: str = "Body text.", **fields) -> str:
    """A news file's text, with front matter written by YAML itself."""
    front = {"title": title}
    if date is not None:
        front["date"] = date
    front.update(fields)
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body + "\n"


class BuiltSite:
    def __init__(self, root: Path, site_dir: Path, result: subprocess.CompletedProcess):
        self.root = root
        self.site_dir = site_dir
        self.result = result
        self.output = result.stdout + result.stderr

    @property
    def ok(self) -> bool:
        return self.result.returncode == 0

    def path(self, url: str) -> Path:
        url = url.lstrip("/")
        if "." in url.rsplit("/", 1)[-1]:  # a file: feed.xml, 404.html
            return self.site_dir / url
        return self.site_dir / url / "index.html"

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def text(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.text(url), "html.parser")


def site_config(*, languages: list[dict] | None = None, extra: dict | None = None,
                **top) -> dict:
    """The repository's mkdocs.yml, pointed at the repository's hooks and templates."""
    config = load_mkdocs_yml(ROOT / "mkdocs.yml")
    config["hooks"] = [str(ROOT / "hooks" / "mkdocs_hooks.py")]
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    if languages is not None:
        i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
        i18n["languages"] = languages
    if extra:
        config["extra"]["divulga"].update(extra)
    config.update(top)
    return config


def run_build(config_file: Path, site_dir: Path, *args: str,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file),
         "-d", str(site_dir), *args],
        capture_output=True, text=True, env=env, cwd=config_file.parent,
    )


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write text (dedented when it starts with a newline) or bytes under ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")


def build_fixture(tmp: Path, files: dict[str, str], *, docs: dict[str, str] | None = None,
                  config: dict | None = None, env: dict[str, str] | None = None) -> BuiltSite:
    """Write a small site (docs + content) into ``tmp`` and build it."""
    write_files(tmp, {**(MINIMAL_DOCS if docs is None else docs), **files})
    config_file = tmp / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config or site_config(), allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    site_dir = tmp / "site"
    return BuiltSite(tmp, site_dir, run_build(config_file, site_dir, env=env))


def assert_every_mistake(root: Path, files: dict[str, str], expected: dict[str, tuple[int, str, str]]) -> None:
    """Build a fixture site of ``files`` and run `divulga check` on it: each expected
    (line, field, message) is reported at its path as `path:line: field: message` by both,
    all at once, with no traceback and no other problem."""
    built = build_fixture(root, files)
    assert not built.ok and "Traceback" not in built.output
    check = subprocess.run([sys.executable, "-m", "divulga", "check"], cwd=root, capture_output=True, text=True)
    assert check.returncode == 1
    for path, (line, field, message) in expected.items():
        pattern = re.compile(rf"{re.escape(path)}:{line}: {re.escape(field)}: .*{re.escape(message)}")
        assert pattern.search(built.output), (path, built.output)
        assert pattern.search(check.stdout), (path, check.stdout)
    assert f"{len(expected)} problems in the content" in built.output


def epoch(date: str) -> dict[str, str]:
    """Environment that fixes the build date (SOURCE_DATE_EPOCH)."""
    import datetime as dt
    moment = dt.datetime.fromisoformat(date).replace(tzinfo=dt.timezone.utc)
    return {"SOURCE_DATE_EPOCH": str(int(moment.timestamp()))}


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> BuiltSite:
    """The repository's own example site, built as the README says."""
    site_dir = tmp_path_factory.mktemp("example") / "site"
    built = BuiltSite(ROOT, site_dir, run_build(ROOT / "mkdocs.yml", site_dir))
    assert built.ok, built.output
    return built


# -- real browser ------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
# Flags that keep Chromium off the network and quiet in a sandbox.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


class Server:
    """A built site served on 127.0.0.1 under a sub-path, as GitHub Pages serves it."""

    def __init__(self, site_dir: Path, root: Path, sub_path: str = "divulga"):
        self.site_dir = site_dir
        (root / sub_path).symlink_to(site_dir, target_is_directory=True)
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/{sub_path}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it with apt-get")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def serve(site_dir: Path, tmp: Path) -> Server:
    tmp.mkdir(parents=True, exist_ok=True)
    return Server(site_dir, tmp)
