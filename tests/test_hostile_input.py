"""Hostile and broken input, as a careless or a hostile editor would write it.

Every case goes through both `mkdocs build --strict` and `divulga check`,
which must fail (or pass) alike, name each problem as `path:line: field:`,
never print a traceback, and stay bounded: each run has a time-out that ends
a hang, and the largest child process so far is asserted to stay under a few
hundred MB (a YAML alias bomb grew past 3 GB before this was fixed).

Configuration mistakes are in test_hostile_config.py, values that must be
printed without running (injection) in test_hostile_injection.py, the
byte-identical rebuild in test_determinism.py, the fuzz test in
test_fuzz_loader.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml
from conftest import BuiltSite, MINIMAL_DOCS, TINY_PNG, news, site_config, write_files

TAGS = "training: {it: Formazione, en: Training}\n"
SHEET = "acronym: P\ntitle: {it: Titolo, en: Title}\nprogramme: Interreg\nsummary: Text.\n"  # lines 1-4
MAX_RSS_MB = 400
TIME_OUT = 60  # seconds: a hang fails the test instead of blocking the suite


class Outcome:
    def __init__(self, built: BuiltSite, check: subprocess.CompletedProcess):
        self.built, self.check = built, check
        self.outputs = (built.output, check.stdout + check.stderr)

    def has(self, expected: str) -> bool:
        return all(expected in output for output in self.outputs)

    def assert_problems(self, *expected: str) -> None:
        assert not self.built.ok, self.built.output
        assert self.check.returncode == 1, self.check.stdout + self.check.stderr
        for line in expected:
            for name, output in zip(("build", "check"), self.outputs):
                assert line in output, f"{name} does not say {line!r}:\n{output}"

    def assert_absent(self, *texts: str) -> None:
        for text in texts:
            for output in self.outputs:
                assert text not in output, output


def run_both(root: Path, files: dict[str, str | bytes], *, docs: dict[str, str] | None = None,
             config: dict | None = None, prepare=None) -> Outcome:
    """Write a small site, build it and check it, each bounded in time and memory."""
    write_files(root, {**(MINIMAL_DOCS if docs is None else docs), **files})
    if prepare is not None:
        prepare(root)
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config or site_config(), allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("DIVULGA_DEBUG", None)
    site_dir = root / "site"
    build, build_peak = _measured([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file),
                                   "-d", str(site_dir)], root, env)
    check, check_peak = _measured([sys.executable, "-m", "divulga", "check", "-f", str(config_file)], root, env)
    outcome = Outcome(BuiltSite(root, site_dir, build), check)
    for output in outcome.outputs:
        assert "Traceback" not in output, output
    peak = max(build_peak, check_peak)
    assert peak < MAX_RSS_MB, f"a build or check used {peak:.0f} MB"
    return outcome


# Runs a command and writes the peak memory of it (and what it starts) to a file. A small process
# of its own starts it: a process started by the test runner counts the runner's memory too (Linux
# carries a process's peak across exec), and the runner grows over the suite.
_LAUNCHER = """\
import resource, subprocess, sys
try:
    code = subprocess.run(sys.argv[3:], timeout=float(sys.argv[2])).returncode
except subprocess.TimeoutExpired:
    code = 124
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def _measured(command: list[str], root: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    """``command``'s result and its peak memory in MB; a hang fails (exit 124 and what it said)."""
    peak_file = root.parent / f"{root.name}-peak.txt"
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, str(peak_file), str(TIME_OUT), *command],
                          capture_output=True, text=True, env=env, cwd=root, timeout=TIME_OUT + 30)
    assert done.returncode != 124, f"{' '.join(command[1:4])} did not finish in {TIME_OUT} s:\n{done.stderr}"
    done.args = command
    return done, int(peak_file.read_text()) / 1024


# -- 2. files from outside the site ----------------------------------------------

def _links(root: Path) -> None:
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("SECRET\n")
    (outside / "photo.png").write_bytes(TINY_PNG)
    links = {
        "content/media/env.txt": "/proc/self/environ",
        "content/media/passwd.txt": "/etc/passwd",
        "content/media/gone.png": str(root / "nowhere.png"),
        "content/media/outside-folder": str(outside),
        "content/news/2024-01-05-leak.it.md": "/etc/passwd",
        "content/projects/leak.yaml": str(outside / "secret.txt"),
        "content/tags.yaml": "/etc/hostname",
        "docs/leak.txt": str(outside / "secret.txt"),
        "content/media/inside": str(root / "shared-images"),
        "content/media/loop": "loop",
    }
    for rel, target in links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    os.mkfifo(root / "content/media/pipe.png")
    (root / "shared-images").mkdir()
    (root / "shared-images/team.png").write_bytes(TINY_PNG)


LINK_FILES = {
    "content/news/2024-01-01-inside.it.md": news("Dentro", "2024-01-01", image="inside/team.png",
                                                 image_alt="La squadra"),
    "content/news/2024-01-02-through-outside.it.md": news("Fuori", "2024-01-02", image="outside-folder/photo.png",
                                                          image_alt="Una foto"),
    "content/news/2024-01-03-pipe.it.md": news("Tubo", "2024-01-03", image="pipe.png", image_alt="Un tubo"),
    "content/news/2024-01-04-folder.it.md/placeholder.txt": "not a news file",
}


def test_links_outside_the_site_pipes_and_loops_are_errors_and_nothing_leaks(tmp_path):
    root = tmp_path / "site-src"
    outcome = run_both(root, LINK_FILES, prepare=_links)
    outcome.assert_problems(
        "content/media/env.txt:1: file: links outside the site (to /proc/self/environ)",
        "content/media/passwd.txt:1: file: links outside the site (to /etc/passwd)",
        "content/media/outside-folder:1: file: links outside the site",
        "content/news/2024-01-05-leak.it.md:1: file: links outside the site (to /etc/passwd)",
        "content/projects/leak.yaml:1: file: links outside the site",
        "content/tags.yaml:1: file: links outside the site (to /etc/hostname)",
        "docs/leak.txt:1: file: links outside the site",
        "content/media/gone.png:1: file: is a link to something that does not exist",
        "content/media/loop:1: file: cannot be read",
        "content/media/pipe.png:1: file: is not a file but a named pipe",
        "content/news/2024-01-04-folder.it.md:1: file: news files go directly in the news folder",
    )
    # no follow-up noise: an image behind a reported link is not "not found" again
    outcome.assert_absent("through-outside.it.md:4: image", "pipe.it.md:4: image: image file not found")
    assert not (root / "site").exists() or not any((root / "site").rglob("env.txt"))


def test_an_image_through_a_folder_linked_inside_the_site_is_published(tmp_path):
    root = tmp_path / "site-src"

    def inside_only(root: Path) -> None:
        (root / "shared-images").mkdir(parents=True)
        (root / "shared-images/team.png").write_bytes(TINY_PNG)
        (root / "content/media").mkdir(parents=True)
        os.symlink(root / "shared-images", root / "content/media/inside")

    outcome = run_both(root, {"content/news/2024-01-01-inside.it.md": news(
        "Dentro", "2024-01-01", image="inside/team.png", image_alt="La squadra")}, prepare=inside_only)
    assert outcome.built.ok, outcome.built.output
    assert outcome.check.returncode == 0, outcome.check.stdout
    img = outcome.built.soup("news/2024-01-01-inside/").select_one(".divulga-news__image img")
    assert (outcome.built.site_dir / "news/2024-01-01-inside" / img["src"]).resolve().is_file()


# -- 3. tracebacks and resource exhaustion from small files --------------------------

BOMB = ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")))


def test_yaml_bombs_deep_nesting_and_impossible_numbers_are_problems(tmp_path):
    outcome = run_both(tmp_path, {
        "content/news/2024-01-01-bomb.it.md": "---\ntitle: T\ndate: 2024-01-01\n" + BOMB + "---\nBody\n",
        "content/projects/bomb.yaml": SHEET + BOMB,
        "content/news/2024-01-02-brackets.it.md": "---\ntitle: T\ndate: 2024-01-02\ntags: " + "[" * 5000 + "\n---\n",
        "content/news/2024-01-03-deep.it.md": "---\ntitle: T\ndate: 2024-01-03\ntags: " + "[" * 100 + "]" * 100
                                              + "\n---\nBody\n",
        "content/projects/nan.yaml": SHEET + "budget:\n  total: .nan\n  eu_contribution: .inf\n",
        "content/projects/huge.yaml": SHEET + "budget:\n  total: 1.0e+400\n  eu_contribution: 1\n",
        "content/projects/long.yaml": SHEET + "budget:\n  total: 1\n  eu_contribution: " + "9" * 5000 + "\n",
        "content/news/2024-01-04-big.it.md": "---\ntitle: T\ndate: 2024-01-04\n---\n" + "x" * (3 * 1024 * 1024),
    })
    outcome.assert_problems(
        "content/news/2024-01-01-bomb.it.md:4: yaml: anchors and aliases (`&name`, `*name`) are not supported",
        "content/projects/bomb.yaml:5: yaml: anchors and aliases",
        "content/news/2024-01-02-brackets.it.md:4: yaml: nested more than 24 levels deep",
        "content/news/2024-01-03-deep.it.md:4: yaml: nested more than",
        "content/projects/nan.yaml:6: budget.total: 'nan' is not an amount",
        "content/projects/nan.yaml:7: budget.eu_contribution: 'inf' is not an amount",
        "content/projects/huge.yaml:6: budget.total: 'inf' is not an amount",
        "content/projects/long.yaml:6: budget: a number here is too long to be read",
        "content/news/2024-01-04-big.it.md:1: file: is too large for a text file",
    )
    outcome.assert_absent("∞", "InvalidOperation", "RecursionError", "MemoryError")


# -- 4. control characters, and feeds that stay XML ----------------------------------

def test_control_characters_are_refused_with_their_field(tmp_path):
    outcome = run_both(tmp_path, {
        "content/news/2024-01-01-bell.it.md": '---\ntitle: "Bell \\a here"\ndate: 2024-01-01\n'
                                              'summary: "esc \\e"\n---\nBody\n',
        "content/news/2024-01-02-nul.it.md": "---\ntitle: T\ndate: 2024-01-02\n---\nBody\n\nNUL \x00 here\n",
        "content/news/2024-01-03-raw.it.md": "---\ntitle: Raw \x07 bell\ndate: 2024-01-03\n---\nBody\n",
        "content/projects/esc.yaml": 'acronym: "A\\x1bB"\ntitle: T\nprogramme: P\nsummary: S\n',
        "content/tags.yaml": 'training: {it: "Form\\x0cazione", en: Training}\n',
    })
    outcome.assert_problems(
        "content/news/2024-01-01-bell.it.md:2: title: contains an invisible control character (U+0007)",
        "content/news/2024-01-01-bell.it.md:4: summary: contains an invisible control character (U+001B)",
        "content/news/2024-01-02-nul.it.md:7: body: contains an invisible control character (U+0000)",
        "content/news/2024-01-03-raw.it.md:2: yaml: contains an invisible control character (U+0007",
        "content/projects/esc.yaml:1: acronym: contains an invisible control character (U+001B)",
        "content/tags.yaml:1: training.it: contains an invisible control character (U+000C)",
    )


def test_every_xml_file_of_the_example_site_is_well_formed(example_site):
    files = sorted(example_site.site_dir.rglob("*.xml"))
    assert any(f.name == "feed.xml" for f in files) and any(f.name == "sitemap.xml" for f in files)
    for path in files:
        ET.parse(path)  # raises on anything not well-formed


def test_feeds_stay_well_formed_whatever_the_text():
    import datetime as dt

    from divulga.read.model import Content, NewsItem, NewsVersion
    from divulga.settings import Language, Settings
    from divulga.write.feeds import render_feed
    settings = Settings(root=Path("."), languages=(Language("it", "Italiano", True),), content_dir=Path("c"))
    version = NewsVersion(lang="it", source="x", title="Bell \x07 <&> \ud800 \x00", summary="\x1b]8;;", body="",
                          body_line=1, author="\x0c")
    item = NewsItem(slug="x", date=dt.date(2024, 1, 1), versions={"it": version})
    xml = render_feed(Content(), settings, "it", title="T \x01", description="D", link="news/", items=[item])
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.find("channel/item/title").text == "Bell  <&>  "


# -- 5. every problem at once, none that is only a consequence -------------------------

def test_a_file_with_several_mistakes_gives_each_and_nothing_else(tmp_path):
    outcome = run_both(tmp_path, {
        "content/tags.yaml": TAGS,
        "content/media/photo.png": TINY_PNG,
        "content/news/2024-01-01-many.it.md": (
            "---\n"                      # 1
            "title: Molti errori\n"      # 2
            "date: 21/09/2023\n"         # 3
            "tags: [trainig]\n"          # 4
            "projects: [nope]\n"         # 5
            "image: missing.png\n"       # 6
            "colour: blue\n"             # 7
            "---\n\n![](../media/photo.png)\n"),  # 10
        # its translation states nothing shared: no false "date required" here
        "content/news/2024-01-01-many.en.md": news("Many mistakes", None),
        "content/news/2024-01-02-empty.it.md": "---\n---\nBody\n",
    })
    outcome.assert_problems(
        "content/news/2024-01-01-many.it.md:3: date: '21/09/2023' is not a date",
        "content/news/2024-01-01-many.it.md:4: tags: unknown tag 'trainig'",
        "content/news/2024-01-01-many.it.md:5: projects: unknown project 'nope'",
        "content/news/2024-01-01-many.it.md:6: image: image file not found: content/media/missing.png",
        "content/news/2024-01-01-many.it.md:6: image_alt: required when image is set",
        "content/news/2024-01-01-many.it.md:7: colour: unknown field",
        "content/news/2024-01-01-many.it.md:10: image: ![](../media/photo.png) has no alt text",
        "content/news/2024-01-02-empty.it.md:2: title: required",
        "content/news/2024-01-02-empty.it.md:2: date: required",
    )
    outcome.assert_absent("many.en.md")
    assert "9 problems in the content" in outcome.built.output
    assert "9 errors" in outcome.check.stdout


def test_a_broken_tag_list_is_one_problem(tmp_path):
    outcome = run_both(tmp_path, {
        "content/tags.yaml": "training: {it: Formazione, en: Training\nevents: Eventi\n",
        "content/news/2024-01-01-a.it.md": news("A", "2024-01-01", tags=["training"]),
        "content/news/2024-01-02-b.it.md": news("B", "2024-01-02", tags=["events"]),
        "content/projects/p.yaml": SHEET + "tags: [training]\n",
    })
    outcome.assert_problems("content/tags.yaml:1: yaml: these braces are never closed")
    outcome.assert_absent("unknown tag")
    assert "1 problem in the content" in outcome.built.output


def test_build_and_check_agree_on_links_and_alt_text(tmp_path):
    outcome = run_both(tmp_path, {
        "content/news/2024-01-01-a.it.md": news("A", "2024-01-01",
                                                body="[rotto](../nowhere.md)\n\n<img src=\"../media/x.png\">"),
    }, docs={**MINIMAL_DOCS, "docs/about.en.md": "# About\n\n[Broken](abot.md)\n"})
    outcome.assert_problems(
        "content/news/2024-01-01-a.it.md:6: link: '../nowhere.md' points to no page",
        "content/news/2024-01-01-a.it.md:8: image: <img src=\"../media/x.png\"> has no alt text",
        "docs/about.en.md:3: link: 'abot.md' points to no page; did you mean 'about.md'?",
    )


# -- 7. collisions and ids ---------------------------------------------------------------

def test_a_hand_written_page_cannot_take_a_generated_address(tmp_path):
    outcome = run_both(tmp_path, {
        "content/media/photo.png": TINY_PNG,
        "content/news/2024-01-01-a.it.md": news("A", "2024-01-01", body="![Foto](../media/photo.png)"),
        "content/projects/p.yaml": SHEET,
        "content/projects/bad\n.yaml": SHEET,
        "content/news/2024-01-02-twice.it.md": news("Due volte", "2024-01-02", tags=["training", "training"]),
        "content/tags.yaml": TAGS,
    }, docs={**MINIMAL_DOCS, "docs/news/index.it.md": "# Mie notizie\n", "docs/feed.xml": "<rss/>",
             "docs/media/photo.png": "x", "docs/projects/p.en.md": "# P\n", "docs/sitemap-2.xml": "<urlset/>",
             "docs/sitemap-.xml": "<urlset/>"})
    outcome.assert_problems(
        "docs/news/index.it.md:1: file: its address /news/ is also that of a page Divulga makes from content/news/",
        "docs/feed.xml:1: file: its address /feed.xml is also that of the it news feed",
        "docs/media/photo.png:1: file: its address /media/photo.png is also that of content/media/photo.png",
        "docs/projects/p.en.md:1: file: its address /en/projects/p/ is also that of content/projects/p.yaml",
        "docs/sitemap-2.xml:1: file: its address /sitemap-2.xml is also that of a part of the site's sitemap, "
        "written by Divulga once the site has over 50,000 addresses",
        "is not a valid id",
    )
    outcome.assert_absent("docs/sitemap-.xml")  # not a name the sitemap's parts take
    for output in outcome.outputs:
        assert "content/news/2024-01-02-twice.it.md:6: tags: 'training' is listed twice" in output


# -- 8. raw HTML and third-party resources -------------------------------------------------

HOSTILE_BODY = (
    "<script>window.__pwned = 1</script>\n\n"                                     # 6
    '<iframe src="https://www.youtube.com/embed/x"></iframe>\n\n'                  # 8
    "[clic](javascript:alert(1))\n\n"                                              # 10
    "![pixel](https://tracker.example/p.gif)\n\n"                                  # 12
    '<a href="javascript:alert(1)">x</a> <img src="//cdn.example/x.png" alt="x">\n\n'   # 14
    '<span style="color:red" onclick="alert(1)">x</span>\n\n'                      # 16
    "## Titolo {: onclick=\"alert(1)\" }\n\n"                                      # 18
    "![ref pixel][p]\n\n[p]: https://tracker.example/r.gif\n\n"                   # 20, 22
    "```\n<script>in code is fine</script>\n```\n\n"                               # 24-26
    "<figure><img src=\"../media/photo.png\" alt=\"Foto\"><figcaption>Ok</figcaption></figure>\n"  # 28
)


def test_raw_html_script_links_and_external_resources_are_errors(tmp_path):
    outcome = run_both(tmp_path, {
        "content/media/photo.png": TINY_PNG,
        "content/news/2024-01-01-x.it.md": news("X", "2024-01-01", body=HOSTILE_BODY),
    })
    item = "content/news/2024-01-01-x.it.md"
    outcome.assert_problems(
        f"{item}:6: html: <script> is not allowed",
        f"{item}:8: html: <iframe> is not allowed: content embedded from other sites",
        f"{item}:10: link: 'javascript:alert(1': links start with https://",
        f"{item}:12: image: 'https://tracker.example/p.gif': images from other sites are not shown",
        f"{item}:14: link: 'javascript:alert(1)'",
        f"{item}:14: image: '//cdn.example/x.png': images from other sites",
        f"{item}:16: html: <span style=…>: this attribute is not allowed",
        f"{item}:16: html: <span onclick=…>: scripts cannot be added",
        f"{item}:18: html: {{: onclick=… }}: scripts cannot be added",
        f"{item}:22: image: 'https://tracker.example/r.gif': images from other sites",
    )
    outcome.assert_absent("in code is fine", f"{item}:28:")


def test_the_sanitizer_keeps_what_officers_need_and_drops_the_rest():
    from divulga.read.html_safety import clean
    kept = ('<h2 id="a">T<a class="headerlink" href="#a" title="Permanent link">¶</a></h2>'
            '<table><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
            '<figure><img src="../media/x.png" alt="X"><figcaption>C</figcaption></figure>'
            '<p><abbr title="European Union">EU</abbr> <a href="https://e.org">e</a> '
            '<a href="mailto:a@b.eu">m</a></p>')
    assert clean(kept) == kept
    dropped = clean('<script>x()</script><iframe src="https://y"></iframe><p onclick="x()" style="c">'
                    '<a href="javascript:x()">j</a><img src="https://t.example/p.gif" alt="p"></p>')
    assert "script" not in dropped and "iframe" not in dropped and "onclick" not in dropped
    assert "javascript" not in dropped and "t.example" not in dropped and "style" not in dropped


def test_raw_html_in_a_draft_is_a_warning_until_it_is_published(tmp_path):
    # the preview shows drafts: their bodies pass the sanitizer like any other
    outcome = run_both(tmp_path, {
        "content/news/2024-01-01-ok.it.md": news("Ok", "2024-01-01"),
        "content/news/2024-01-01-ok.en.md": news("Ok", None, draft=True, body="<script>window.__pwned=1</script>"),
    })
    assert outcome.built.ok, outcome.built.output
    assert outcome.check.returncode == 0
    assert "content/news/2024-01-01-ok.en.md:6: html: <script> is not allowed" in outcome.check.stdout
    assert "(in a draft: this will stop the build once it is published)" in outcome.check.stdout


# -- 10. YAML mistakes in plain words -----------------------------------------------------

def test_common_yaml_mistakes_in_plain_words(tmp_path):
    outcome = run_both(tmp_path, {
        "content/news/2024-01-01-colon.it.md": "---\ntitle: Bandi: le novità\ndate: 2024-01-01\n---\nBody\n",
        "content/news/2024-01-02-tab.it.md": "---\ntitle: T\n\tdate: 2024-01-02\n---\nBody\n",
        "content/news/2024-01-03-quote.it.md": '---\ntitle: "Never closed\ndate: 2024-01-03\nsummary: S\n---\nBody\n',
        "content/news/2024-01-04-bom.it.md": "\ufeff---\ntitle: T\ndate: 2024-01-04\n---\nBody\n",
        "content/news/2024-01-05-nocolon.it.md": "---\ntitle\ndate: 2024-01-05\n---\nBody\n",
        "content/projects/indent.yaml": SHEET + "partners:\n  - name: A\n   country: IT\n",
    })
    outcome.assert_problems(
        'content/news/2024-01-01-colon.it.md:2: yaml: a text containing a colon followed by a space must be in '
        'quotes, e.g. title: "…"',
        "content/news/2024-01-02-tab.it.md:3: yaml: a tab character is used to indent: indent with spaces, not tabs",
        "content/news/2024-01-03-quote.it.md:2: yaml: this quote is never closed",
        "content/news/2024-01-04-bom.it.md:1: file: starts with an invisible byte-order mark (BOM)",
        "content/news/2024-01-05-nocolon.it.md:3: yaml: the line before has no `field:` name",
        "content/projects/indent.yaml:7: yaml:",
    )
    outcome.assert_absent("mapping values are not allowed", "cannot start any token")
