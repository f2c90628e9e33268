"""``divulga edit``: the web editor on this computer, on the current repository.

Starts the CMS's local backend (``decap-server``, the npm package pinned in
package-lock.json, installed by ``npm ci``), which reads and writes the
repository's files, together with ``mkdocs serve``, whose ``/admin/`` then
talks to it (divulga.editor.webeditor: a preview's configuration names the
local backend). Prints the editor's address and stops both on Ctrl-C. Both
listen on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from divulga.config_file import ConfigError, SiteConfig
from divulga.editor.webeditor import ADMIN, LOCAL_BACKEND_PORT

SERVER = Path("node_modules") / ".bin" / "decap-server"


def find_server(root: Path) -> Path:
    """decap-server as `npm ci` installs it next to mkdocs.yml, else in the Divulga checkout this package
    runs from (a site kept in another folder), else on the PATH."""
    local = root / SERVER
    for candidate in (local, Path(__file__).resolve().parents[3] / SERVER):
        if candidate.is_file():
            return candidate
    found = shutil.which("decap-server")
    if found:
        return Path(found)
    raise ConfigError(f"the editor's local backend is not installed ({local}): run `npm ci` in {root} "
                      "once (it installs decap-server from package-lock.json), then `divulga edit` again")


def run_editor(site: SiteConfig, port: int, out: TextIO, err: TextIO) -> int:
    """Run decap-server and `mkdocs serve` until Ctrl-C (or until one of them stops)."""
    settings, root = site.settings, site.path.parent
    server = find_server(root)
    backend_env = {**os.environ, "PORT": str(LOCAL_BACKEND_PORT), "BIND_HOST": "127.0.0.1", "MODE": "fs",
                   "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn"}
    serve_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    base = urlsplit(settings.site_url).path or "/"
    address = f"http://127.0.0.1:{port}{base.rstrip('/')}/{ADMIN}"
    processes = [
        subprocess.Popen([str(server)], cwd=root, env=backend_env),
        subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(site.path), "-a", f"127.0.0.1:{port}"],
                         cwd=root, env=serve_env),
    ]
    out.write(f"The web editor: {address}\n(the site's preview: {address[:-len(ADMIN)]})\n"
              "What you save is written to the files of this folder; stop with Ctrl-C.\n")
    out.flush()
    signal.signal(signal.SIGTERM, _interrupted)  # stopped by another program: stop both as for Ctrl-C
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.3)
        stopped = next(process for process in processes if process.poll() is not None)
        what = "decap-server" if stopped is processes[0] else "mkdocs serve"
        err.write(f"divulga edit: {what} stopped (exit status {stopped.returncode}); stopping the other one\n")
        return 2
    except KeyboardInterrupt:
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
