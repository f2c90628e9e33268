"""Bad content fails the build, listing every problem as path:line: field: message."""

from __future__ import annotations

from conftest import build_fixture

OK_FRONT = "---\ntitle: T\ndate: {date}\n---\nBody\n"

BAD_FILES = {
    "content/news/2024-01-01-bad-yaml.it.md": "---\ntitle: ok\ndate: 2024-01-01\ntags: [training\n---\nBody\n",
    "content/news/2024-01-02-no-title.it.md": "---\ndate: 2024-01-02\n---\nBody\n",
    "content/news/2024-01-03-bad-date.it.md": "---\ntitle: T\ndate: 21/09/2023\n---\nBody\n",
    "content/news/2024-01-03-impossible-date.it.md": "---\ntitle: T\ndate: 2023-02-30\n---\nBody\n",
    "content/news/2024-01-04-no-date.it.md": "---\ntitle: T\n---\nBody\n",
    "content/news/2024-01-05-unknown-tag.it.md":
        "---\ntitle: T\ndate: 2024-01-05\ntags:\n  - training\n  - trainig\n---\nBody\n",
    "content/news/2024-01-06-no-alt.it.md": "---\ntitle: T\ndate: 2024-01-06\nimage: photo.jpg\n---\nBody\n",
    "content/news/2024-01-07-missing-image.it.md":
        "---\ntitle: T\ndate: 2024-01-07\nimage: missing.jpg\nimage_alt: A photo\n---\nBody\n",
    "content/news/2024-01-08-no-suffix.md": OK_FRONT.format(date="2024-01-08"),
    "content/news/2024-01-09-german.de.md": OK_FRONT.format(date="2024-01-09"),
    "content/news/2024_01_10 Bad Slug.it.md": OK_FRONT.format(date="2024-01-10"),
    "content/news/2024-01-11-disagree.it.md": OK_FRONT.format(date="2024-01-11"),
    "content/news/2024-01-11-disagree.en.md": OK_FRONT.format(date="2024-01-12"),
    "content/news/2024-01-13-typo.it.md": "---\ntitle: T\ndate: 2024-01-13\ntag: [training]\n---\nBody\n",
    "content/news/2024-01-14-no-front-matter.it.md": "Just a body.\n",
    "content/news/2024-01-15-unknown-project.it.md":
        "---\ntitle: T\ndate: 2024-01-15\nprojects: [nope]\n---\nBody\n",
    "content/news/tags.it.md": OK_FRONT.format(date="2024-01-16"),
    "content/media/photo.jpg": b"\xff\xd8\xff",
    "content/projects/known.yaml": "acronym: KNOWN\n",
    "content/tags.yaml": "training: {it: Formazione, en: Training}\n",
}

EXPECTED = [
    "content/news/2024-01-01-bad-yaml.it.md:4: yaml: invalid front matter",
    "content/news/2024-01-02-no-title.it.md:2: title: required",
    "content/news/2024-01-03-bad-date.it.md:3: date: '21/09/2023' is not a date: write it as YYYY-MM-DD",
    "content/news/2024-01-03-impossible-date.it.md:3: date: cannot read this value",
    "content/news/2024-01-04-no-date.it.md:2: date: required",
    "content/news/2024-01-05-unknown-tag.it.md:6: tags: unknown tag 'trainig'; did you mean `training`? known tags: training",
    "content/news/2024-01-06-no-alt.it.md:4: image_alt: required when image is set",
    "content/news/2024-01-07-missing-image.it.md:4: image: image file not found: content/media/missing.jpg",
    "content/news/2024-01-08-no-suffix.md:1: file: missing language suffix: name it 2024-01-08-no-suffix.it.md",
    "content/news/2024-01-09-german.de.md:1: file: language 'de' is not configured in mkdocs.yml (configured: it, en)",
    "content/news/2024_01_10 Bad Slug.it.md:1: file: '2024_01_10 Bad Slug' is not a valid slug",
    "rename the file 2024-01-10-bad-slug.it.md",
    "content/news/2024-01-11-disagree.en.md:3: date: disagrees with content/news/2024-01-11-disagree.it.md:3",
    "content/news/2024-01-13-typo.it.md:4: tag: unknown field; did you mean `tags`?",
    "content/news/2024-01-14-no-front-matter.it.md:1: front matter: missing",
    "content/news/2024-01-15-unknown-project.it.md:4: projects: unknown project 'nope'",
    "content/news/tags.it.md:1: file: 'tags' is reserved",
]


def test_build_fails_listing_every_problem(tmp_path):
    built = build_fixture(tmp_path, BAD_FILES)
    assert not built.ok
    assert f"{len(EXPECTED) - 1} problems in the content" in built.output
    for expected in EXPECTED:
        assert expected in built.output, expected
    assert "Traceback" not in built.output
    assert not (built.site_dir / "news").exists()


def test_one_problem_is_enough_to_fail(tmp_path):
    built = build_fixture(tmp_path, {
        "content/news/2024-01-01-fine.it.md": OK_FRONT.format(date="2024-01-01"),
        "content/news/2024-01-02-broken.it.md": "---\ntitle: [unclosed\n---\n",
    })
    assert not built.ok
    assert "content/news/2024-01-02-broken.it.md:2: yaml: invalid front matter" in built.output
