"""Bad content fails the build, listing every problem as path:line: field: message."""

from __future__ import annotations

from conftest import TINY_JPEG, build_fixture

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
    "content/news/2023/2023-05-05-filed-away.it.md": OK_FRONT.format(date="2023-05-05"),
    "content/media/photo.jpg": TINY_JPEG,
    "content/projects/known.yaml": "acronym: KNOWN\ntitle: Known\nprogramme: Interreg\nsummary: A project.\n",
    "content/tags.yaml": "training: {it: Formazione, en: Training}\n",
}

EXPECTED = [
    "content/news/2024-01-01-bad-yaml.it.md:4: yaml: this list is never closed: a list in brackets ends with ]",
    "content/news/2024-01-02-no-title.it.md:2: title: required",
    "content/news/2024-01-03-bad-date.it.md:3: date: '21/09/2023' is not a date: write it as YYYY-MM-DD",
    "content/news/2024-01-03-impossible-date.it.md:3: date: '2023-02-30' is not a date that exists",
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
    "content/news/2023:1: file: news files go directly in the news folder, not in sub-folders",
]


def assert_build_lists_every_problem(tmp_path, files, expected_lines, problems):
    """The build fails, names every problem with its line, and writes no news."""
    built = build_fixture(tmp_path, files)
    assert not built.ok
    assert f"{problems} problems in the content" in built.output
    for expected in expected_lines:
        assert expected in built.output, expected
    assert "Traceback" not in built.output
    assert not (built.site_dir / "news").exists()


def test_build_fails_listing_every_problem(tmp_path):
    # one EXPECTED entry continues the line before it
    assert_build_lists_every_problem(tmp_path, BAD_FILES, EXPECTED, len(EXPECTED) - 1)


def test_one_problem_is_enough_to_fail(tmp_path):
    built = build_fixture(tmp_path, {
        "content/news/2024-01-01-fine.it.md": OK_FRONT.format(date="2024-01-01"),
        "content/news/2024-01-02-broken.it.md": "---\ntitle: [unclosed\n---\n",
    })
    assert not built.ok
    assert "content/news/2024-01-02-broken.it.md:2: yaml: this list is never closed" in built.output


BASE = "acronym: P\ntitle: {it: Titolo, en: Title}\nprogramme: Interreg\nsummary: Text.\n"  # lines 1-4

BAD_SHEETS = {
    "content/tags.yaml": "training: {it: Formazione, en: Training}\n",
    "content/projects/syntax.yaml": BASE + "budget:\n  total: [1, 2\n",
    "content/projects/missing.yaml": "acronym: P\nprogramme: Interreg\nsummary: Text.\n",
    "content/projects/wrong-type.yaml": BASE + "objectives: just one text\n",
    "content/projects/bad-date.yaml": BASE + "start: 1 novembre 2016\n",
    "content/projects/end-before-start.yaml": BASE + "start: 2019-04-30\nend: 2016-11-01\n",
    "content/projects/negative.yaml": BASE + "budget:\n  total: -5\n  eu_contribution: 1\n",
    "content/projects/text-amount.yaml": BASE + 'budget:\n  total: "2.521.964"\n  eu_contribution: 1929500\n',
    "content/projects/eu-above-total.yaml": BASE + "budget:\n  total: 100\n  eu_contribution: 150\n",
    "content/projects/bad-rate.yaml": BASE + "budget:\n  total: 2521964\n  eu_contribution: 1929500\n  cofunding_rate: 80\n",
    "content/projects/currency.yaml": BASE + "budget:\n  currency: EUX\n  total: 10\n  eu_contribution: 5\n",
    "content/projects/country.yaml": BASE + "partners:\n  - name: A\n    country: IT\n  - name: B\n    country: XX\n",
    "content/projects/role.yaml": BASE + "partners:\n  - name: A\n    country: IT\n    role: boss\n",
    "content/projects/tag.yaml": BASE + "tags: [training, trainig]\n",
    "content/projects/default-missing.yaml": "acronym: P\ntitle: {en: Title}\nprogramme: Interreg\nsummary: Text.\n",
    "content/news/2024-01-01-n.it.md": "---\ntitle: N\ndate: 2024-01-01\nprojects: [syntax, nope]\n---\nBody\n",
}

EXPECTED_SHEETS = [
    "content/projects/syntax.yaml:6: yaml: this list is never closed",
    "content/projects/missing.yaml:1: title: required",
    "content/projects/wrong-type.yaml:5: objectives: write a list",
    "content/projects/bad-date.yaml:5: start: '1 novembre 2016' is not a date",
    "content/projects/end-before-start.yaml:6: end: 2016-11-01 is before start (2019-04-30)",
    "content/projects/negative.yaml:6: budget.total: must not be negative",
    "content/projects/text-amount.yaml:6: budget.total: '2.521.964' is text: write a number",
    "e.g. 2521964",
    "content/projects/eu-above-total.yaml:7: budget.eu_contribution: 150 is more than the total (100)",
    "content/projects/bad-rate.yaml:8: budget.cofunding_rate: 80% does not match eu_contribution / total = 76.51%",
    "content/projects/currency.yaml:6: budget.currency: unknown currency 'EUX'",
    "content/projects/country.yaml:9: partners[2].country: unknown country code 'XX'",
    "content/projects/role.yaml:8: partners[1].role: unknown role 'boss': use lead, partner, associated",
    "content/projects/tag.yaml:5: tags: unknown tag 'trainig'; did you mean `training`?",
    "content/projects/default-missing.yaml:2: title: the default language (it) is required",
    "content/news/2024-01-01-n.it.md:4: projects: unknown project 'nope'",
]


def test_bad_project_sheets_fail_listing_every_problem(tmp_path):
    assert_build_lists_every_problem(tmp_path, BAD_SHEETS, EXPECTED_SHEETS, len(EXPECTED_SHEETS) - 1)
