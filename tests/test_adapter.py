"""The MkDocs adapter: state with a lifetime, and the engine internals it depends on."""

from __future__ import annotations

import importlib
import sys

import pytest
import yaml
from conftest import MINIMAL_DOCS, ROOT, news, site_config


def test_copied_material_partials_match_the_installed_material():
    from divulga.adapter import engine

    installed = engine.installed_material()
    assert installed == engine.MATERIAL_VERSION, (
        f"mkdocs-material {installed} is installed, but overrides/ copies partials of {engine.MATERIAL_VERSION}: "
        f"compare each with the new release and carry Divulga's changes over, then set MATERIAL_VERSION in "
        f"src/divulga/adapter/engine.py. The copies: {', '.join(engine.COPIED_PARTIALS)}")
    for name in engine.COPIED_PARTIALS:
        path = ROOT / "overrides" / name.split(" ")[0]
        assert path.is_file(), name
        assert engine.MATERIAL_VERSION in path.read_text(encoding="utf-8"), \
            f"{name} does not say which Material release it copies"


def test_the_hooks_file_hands_over_every_event():
    from divulga.adapter.events import EVENTS

    spec = importlib.util.spec_from_file_location("divulga_test_hooks", ROOT / "hooks" / "mkdocs_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in EVENTS:
        assert callable(getattr(module, name)), name
    assert len((ROOT / "hooks" / "mkdocs_hooks.py").read_text(encoding="utf-8").splitlines()) < 15


def _site(root, title: str) -> None:
    for rel, text in {**MINIMAL_DOCS,
                      f"content/news/2024-01-01-{title.lower()}.it.md": news(title, "2024-01-01")}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(site_config(), allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")


def test_two_builds_in_one_process_share_nothing_they_should_not(tmp_path, monkeypatch):
    """Each build makes its own Build object (sitemap entries, 404 pages, reused
    template parts, search indexer): the second site carries nothing of the first."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(sys, "argv", ["mkdocs", "build"])  # static-i18n reads --dirty from it
    builds, adapters = [], []
    for title in ("Alfa", "Beta"):
        root = tmp_path / title
        _site(root, title)
        monkeypatch.chdir(root)
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        adapter = next(event.__self__ for event in config.plugins.events["page_context"]
                       if type(getattr(event, "__self__", None)).__name__ == "DivulgaAdapter")
        adapters.append(adapter)
        builds.append(adapter.session.build)
        config.plugins.on_shutdown()

    assert adapters[0] is adapters[1]  # one adapter for the process (MkDocs keeps the hooks module)
    assert builds[0] is not builds[1]
    assert builds[1].site.content.news[0].slug == "2024-01-01-beta"
    beta = tmp_path / "Beta" / "site"
    sitemap = (beta / "sitemap.xml").read_text(encoding="utf-8")
    assert "2024-01-01-beta" in sitemap and "alfa" not in sitemap.lower()
    for page in beta.rglob("*.html"):
        assert "Alfa" not in page.read_text(encoding="utf-8"), page
    assert all(lang == "it" or lang == "en" for _, lang, _ in builds[1].reuse.fragments)
    assert builds[0].indexer is None and builds[1].indexer is None  # finished and let go
    # what a build set aside from the collector while it rendered (divulga.runtime.loaded) is given back
    import gc

    from divulga.runtime import YOUNG_GENERATION
    assert gc.get_freeze_count() == 0 and gc.get_threshold()[0] == YOUNG_GENERATION


@pytest.mark.parametrize("command, dirty, drafts", [("build", False, False), ("serve", False, True),
                                                     ("serve", True, True)])
def test_a_session_starts_with_the_command(command, dirty, drafts):
    from divulga.adapter.events import DivulgaAdapter

    adapter = DivulgaAdapter()
    adapter.session.content_key = ("old",)
    adapter.on_startup(command=command, dirty=dirty)
    assert adapter.session.content_key is None and adapter.session.build is None
    assert adapter.session.preview is drafts and adapter.session.serve_dirty is dirty


def test_the_theme_listing_picks_the_static_files_mkdocs_picks_and_follows_changes(tmp_path, monkeypatch):
    import os

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from divulga.adapter.engine import ThemeListing
    theme = tmp_path / "theme"
    (theme / "assets").mkdir(parents=True)
    (theme / "assets/site.css").write_text("a{}", encoding="utf-8")
    (theme / ".hidden/x").mkdir(parents=True)
    (theme / ".hidden/x/icon.svg").write_text("<svg/>", encoding="utf-8")
    (theme / "assets/.draft.css").write_text("b{}", encoding="utf-8")
    config = load_config(str(ROOT / "mkdocs.yml"), theme={"name": "material", "custom_dir": str(theme)},
                         hooks=[], plugins=[])

    def static_files() -> dict[str, str]:
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return {file.src_uri: file.abs_src_path for file in files}

    plain = static_files()
    listing = ThemeListing()
    listing.use(config)
    listing.use(config)  # once is enough: not wrapped twice
    assert static_files() == plain and "assets/site.css" in plain and len(plain) > 20
    # a file added in a folder, a new folder: listed again; the same listing while nothing moved
    (theme / "assets/more").mkdir()
    (theme / "assets/more/extra.js").write_text("", encoding="utf-8")
    assert "assets/more/extra.js" in static_files()
    (theme / "assets/more/late.js").write_text("", encoding="utf-8")
    assert "assets/more/late.js" in static_files()
    # nothing moved since: no folder is listed again
    listed, scandir = [], os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: listed.append(path) or scandir(path))
    assert static_files() == {**plain, "assets/more/extra.js": str(theme / "assets/more/extra.js"),
                              "assets/more/late.js": str(theme / "assets/more/late.js")}
    assert listed == []


def test_page_folders_are_made_beforehand_and_a_folder_that_cannot_be_made_is_left_to_the_writer(tmp_path):
    from divulga.runtime import make_folders
    (tmp_path / "news").write_text("a file where a folder should be", encoding="utf-8")
    wanted = [str(tmp_path / "en" / "news" / "a"), str(tmp_path / "news" / "b"), str(tmp_path / "projects")]
    thread = make_folders(wanted)
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert (tmp_path / "en" / "news" / "a").is_dir() and (tmp_path / "projects").is_dir()
    assert (tmp_path / "news").is_file()  # untouched: writing the page there reports the error


@pytest.mark.parametrize("start, collected", [("", True), ("runtime", False), ("adapter", False), ("check", False)])
def test_at_exit_the_run_is_left_to_the_system_not_collected(start, collected):
    """Python collects every cycle of objects still in memory as a process ends (seconds after a big
    build); a run of Divulga leaves them to the system instead (divulga.runtime.exit_without_collecting).
    The control ("") shows the cycle would be collected, its finalizer run, without it."""
    import subprocess
    import textwrap

    starts = {
        "": "",
        "runtime": "from divulga.runtime import exit_without_collecting; exit_without_collecting()",
        "adapter": "from divulga.adapter.events import DivulgaAdapter; DivulgaAdapter().on_startup('build', False)",
        "check": "from divulga.editor.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
    }
    script = "import gc, sys\n" + starts[start] + textwrap.dedent("""
        class Node:
            def __del__(self):
                sys.stdout.write("collected")
        node = Node()
        node.self = node  # a cycle: only the collector frees it
        del node
        gc.disable()  # nothing collects it before the end
        sys.stdout.write("end;")
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "end;" in result.stdout, (result.stdout, result.stderr)  # the script ran to its end
    assert ("collected" in result.stdout) is collected, (result.stdout, result.stderr)
