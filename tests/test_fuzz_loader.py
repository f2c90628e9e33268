"""Random front matter, sheets and tag lists: only problems come out, never an exception.

Hypothesis writes random structures and values (and random text, and random
bytes) into a news file, a project sheet and the tag list of a small site,
then runs the loader and `divulga check`'s own code on it, in-process. Any
exception fails the test with the input that caused it. A fixed seed and a
fixed number of examples keep the run repeatable in CI.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from divulga.config_file import SiteConfig
from divulga.editor.check import run_check
from divulga.editor.cli import as_json, print_report
from divulga.plan.validate import validate
from divulga.settings import Language, Settings
from divulga.write.feeds import site_feeds

EXAMPLES = 200

text = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["", " ", "training", "it", "en", "IT", "EUR", "lead", "photo.png", "https://e.org", "a@b.eu",
     "2024-01-01", "javascript:x", "<script>", "\x07", "[x](javascript:y)", "![p](https://t/p.gif)"])
scalars = (st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=True)
           | st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -0.0, 0])
           | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)) | text)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(text | st.sampled_from(["it", "en", "name", "country", "total"]),
                                        inner, max_size=4), max_leaves=12)


numbers = (st.integers(-10**20, 10**20) | st.floats(allow_nan=True)
           | st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -0.0, 0, 100, "1.000"]))

# Values that broke, or could break, a reader: not numbers, empty, huge,
# control characters, markup, wrong shapes.
NASTY = [float("nan"), float("inf"), -float("inf"), 1e308, -1, 0, True, None, "", " ", "\x07", "\ud800",
         "<script>alert(1)</script>", "[x](javascript:alert(1))", "![p](https://t.example/p.gif)", "x" * 300,
         [], {}, [None], {"it": None}, {"it": float("nan")}, dt.date(1, 1, 1), "2023-02-30", "../../etc/passwd"]

VALID_NEWS = {"title": "Titolo", "date": dt.date(2024, 1, 1), "summary": "S", "tags": ["training"],
              "projects": ["p"], "image": "photo.png", "image_alt": "Foto", "author": "A", "draft": False}
VALID_SHEET = {
    "acronym": "P", "title": {"it": "Titolo", "en": "Title"}, "programme": "Interreg", "fund": "ERDF",
    "start": dt.date(2020, 1, 1), "end": dt.date(2022, 12, 31),
    "budget": {"currency": "EUR", "total": 1000, "eu_contribution": 800, "cofunding_rate": 80},
    "funding_statement": "co-funded", "grant_agreement": "101000000", "summary": {"it": "Testo", "en": "Text"},
    "objectives": [{"it": "Uno", "en": "One"}], "activities": ["A"], "results": ["R"],
    "partners": [{"name": {"it": "Regione", "en": "Region"}, "country": "IT", "role": "lead",
                  "url": "https://e.org"}],
    "website": "https://e.org", "contact": {"name": "N", "email": "a@b.eu"}, "tags": ["training"],
}


def _paths(data, prefix=()):
    """Every place in a valid document: keys, list items, nested keys."""
    for key, value in (data.items() if isinstance(data, dict) else enumerate(data)):
        yield prefix + (key,)
        if isinstance(value, (dict, list)):
            yield from _paths(value, prefix + (key,))


def mutated(valid: dict):
    """A valid document with some of its values (at any depth) replaced by
    random ones, so that each field's own checks are reached in a context
    that is otherwise right; sometimes a field removed or an unknown one added."""
    places = sorted(_paths(valid), key=repr)
    replacement = st.sampled_from(NASTY) | values | numbers

    def apply(changes):
        document = copy.deepcopy(valid)
        for path, value in changes:
            target = document
            for step in path[:-1]:
                target = target[step] if (isinstance(target, dict) and step in target) or (
                    isinstance(target, list) and isinstance(step, int) and step < len(target)) else None
                if not isinstance(target, (dict, list)):
                    break
            else:
                last = path[-1]
                if isinstance(target, dict) or (isinstance(target, list) and isinstance(last, int)
                                                and last < len(target)):
                    target[last] = value
        return document

    changes = st.lists(st.tuples(st.sampled_from(places), replacement), min_size=1, max_size=8)
    return changes.map(apply) | st.dictionaries(st.sampled_from(sorted(valid)) | text, values, max_size=8)


def dump(data) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return json.dumps(data, default=str)  # JSON is YAML too


raw_text = st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1"))


def _site(root: Path) -> Settings:
    return Settings(root=root, languages=(Language("it", "Italiano", True), Language("en", "English")),
                    content_dir=root / "content", docs_dir=root / "docs", today=dt.date(2024, 6, 1))


def _run(files: dict[str, str | bytes]) -> None:
    root = Path(tempfile.mkdtemp(prefix="divulga-fuzz-"))
    try:
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8", errors="surrogatepass")
        (root / "content/media").mkdir(parents=True, exist_ok=True)
        (root / "content/media/photo.png").write_bytes(b"\x89PNG")
        settings = _site(root)
        validated = validate(settings)
        for problem in validated.problems:
            assert str(problem).startswith(problem.path + ":")
        if not [p for p in validated.problems if p.severity == "error"]:
            site_feeds(validated.content, settings, validated.l10n)  # the site would build: feeds too
        result = run_check(SiteConfig(path=root / "mkdocs.yml", settings=settings, docs_dir=root / "docs"))
        json.dumps(as_json(result))
        print_report(result, SiteConfig(path=root / "mkdocs.yml", settings=settings, docs_dir=root / "docs"),
                     io.StringIO())
    finally:
        shutil.rmtree(root, ignore_errors=True)


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=False, database=None,
                suppress_health_check=list(HealthCheck))


@seed(15)
@FUZZ
@given(front=mutated(VALID_NEWS), translation=mutated({"title": "Title", "summary": "S", "image_alt": "Photo"}),
       body=raw_text)
def test_random_front_matter(front, translation, body):
    _run({
        "content/tags.yaml": "training: {it: Formazione, en: Training}\n",
        "content/projects/p.yaml": dump(VALID_SHEET),
        "content/news/2024-01-01-x.it.md": "---\n" + dump(front) + "---\n" + body,
        "content/news/2024-01-01-x.en.md": "---\n" + dump(translation) + "---\n",
    })


@seed(15)
@FUZZ
@given(sheet=mutated(VALID_SHEET), tags=mutated({"training": {"it": "Formazione", "en": "Training"}}))
def test_random_sheets_and_tag_lists(sheet, tags):
    _run({
        "content/tags.yaml": dump(tags),
        "content/projects/p.yaml": dump(sheet),
        "content/news/2024-01-01-x.it.md": "---\ntitle: T\ndate: 2024-01-01\nprojects: [p]\ntags: [training]\n---\n",
        "content/projects/q.yaml": dump(VALID_SHEET),
    })


@seed(15)
@FUZZ
@given(front=raw_text, sheet=raw_text, tags=raw_text)
def test_random_text_where_yaml_is_expected(front, sheet, tags):
    _run({
        "content/tags.yaml": tags,
        "content/projects/p.yaml": sheet,
        "content/news/2024-01-01-x.it.md": "---\n" + front + "\n---\nBody\n",
    })
