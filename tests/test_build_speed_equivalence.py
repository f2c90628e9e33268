"""What the build's shortcuts must not change: the same output as the long way.

- page bodies are sanitized by an nh3 ``Cleaner`` made once: the same HTML as
  ``nh3.clean`` with the same allow-list;
- Markdown texts are scanned with the patterns tried only on lines that can
  match them: the same masks and findings;
- an item's card is rendered once per language and reused on every listing
  (divulga.adapter.templates.Reuse.render_entry): each page still gets links
  and pictures relative to itself.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

import nh3
import pytest
from conftest import TINY_JPEG, build_fixture, epoch, news

from divulga.read import html_safety
from divulga.read.html_safety import clean, code_masked, scan
from divulga.read.pagetext import scan_markdown

TRICKY = [
    "",
    "<p>plain</p>",
    "<p>a <b>bold</b> <script>alert(1)</script> <!-- a comment --> end</p>",
    '<a href="javascript:alert(1)" onclick="x()">link</a> <a href="https://example.org/?a=1&b=2">ok</a>',
    '<a href="mailto:a@example.org" rel="nofollow" target="_blank">mail</a>',
    '<img src="https://tracker.example.org/pixel.gif" alt="pixel"><img src="../media/a.jpg" alt="ours">',
    '<IMG SRC="//tracker.example.org/p.gif" alt="upper"> <img src="\\\\host/p.gif"> <img src=" /\\host">',
    '<p style="color:red" class="x" id="y" title="t" lang="en" dir="rtl">styled</p>',
    "<table><tr><td colspan=2 align=left onmouseover=x>cell</td></tr></table>",
    '<iframe src="https://video.example.org/embed"></iframe><video src="a.mp4"></video>',
    "<p>unclosed <em>emphasis <strong>and more</p><div>",
    "&lt;script&gt; &amp; &#x3C;b&#x3E; &nbsp; é 😀",
    '<details open><summary>More</summary><ol start="3" reversed type="a"><li>x</li></ol></details>',
    '<time datetime="2024-05-01">1 May</time><form action="/x"><input name="q"></form>',
    '<svg onload="alert(1)"><circle r="1"/></svg><math><mi>x</mi></math>',
    '<a href="  JAVASCRIPT:alert(1)">spaced</a><a href="data:text/html,x">data</a>',
]


@pytest.mark.parametrize("html", TRICKY)
def test_clean_gives_what_nh3_clean_gives_with_the_same_allow_list(html):
    images = "<img" in html.lower()
    expected = nh3.clean(html, tags=html_safety._TAGS, attributes=html_safety._ATTRIBUTES,
                         url_schemes=html_safety._SCHEMES, link_rel=None, strip_comments=True,
                         attribute_filter=html_safety._local_images_only if images else None)
    assert str(clean(html)) == expected


def test_clean_still_drops_scripts_and_other_sites_images():
    cleaned = str(clean(TRICKY[2] + TRICKY[5] + TRICKY[6]))
    assert "<script" not in cleaned and "alert" not in cleaned and "comment" not in cleaned
    assert "tracker.example.org" not in cleaned and "\\\\host" not in cleaned
    assert 'src="../media/a.jpg"' in cleaned


def test_code_masks_keep_lines_and_blank_only_code():
    body = ("text with `code <script>` span\n"
            "~~~\n<script>in a fence</script>\n~~~\n"
            "plain <b>line</b>\n\n"
            "    indented <script>code</script>\n"
            "```python\nx = '<iframe>'\n```\n"
            "last ``a ` b`` line")
    masked = code_masked(body)
    assert len(masked) == len(body.splitlines())
    assert masked[0] == "text with " + " " * len("`code <script>`") + " span"
    assert masked[1:4] == ["", "", ""] and masked[7:10] == ["", "", ""]
    assert masked[4] == "plain <b>line</b>" and masked[6] == ""
    assert masked[10] == "last " + " " * len("``a ` b``") + " line"


def test_scans_find_what_they_found_before():
    body = ("[ok](https://example.org) and [bad](javascript:alert(1))\n"
            "![](../media/a.jpg) ![pixel][p]\n"
            "<script>x</script> <p onclick=\"x()\">y</p>\n"
            "{: onclick=\"x()\" }\n"
            "[DA COMPLETARE: summary]\n"
            "   [p]: https://tracker.example.org/p.gif\n"
            "[link]: javascript:void(0)\n")
    found = [(f.line, f.field) for f in scan(body, 5)]
    assert found == [(5, "link"), (7, "html"), (7, "html"), (8, "html"), (11, "link"), (10, "image")]
    result = scan_markdown(body, 5)
    assert (6, "image") in [(f.line, f.field) for f in result.findings]  # no alt text
    assert result.targets == ((5, "https://example.org"), (5, "javascript:alert(1"), (6, "../media/a.jpg"),
                              (10, "https://tracker.example.org/p.gif"), (11, "javascript:void(0)"))
    assert result.placeholders == ((9, "[DA COMPLETARE: summary]"),)


# -- cards reused from listing to listing ------------------------------------------

TAGS = ("tags:\n  - key: training\n    label: {it: Formazione, en: Training}\n"
        "  - key: benchmarking\n    label: {it: Benchmarking, en: Benchmarking}\n")


def _files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"content/tags.yaml": TAGS, "content/media/photo.jpg": TINY_JPEG}
    for number in range(1, 14):
        date = f"2024-{1 + number % 12:02d}-{1 + number:02d}"
        tags = ["training"] if number % 2 else ["training", "benchmarking"]
        extra = {"image": "photo.jpg", "image_alt": "Una foto"} if number in (3, 12) else {}
        files[f"content/news/{date}-item-{number}.it.md"] = news(f"Notizia {number}", date, tags=tags,
                                                                 summary=f"Riassunto {number}.", **extra)
        if number % 3:
            files[f"content/news/{date}-item-{number}.en.md"] = news(f"News {number}", date,
                                                                     summary=f"Summary {number}.")
    return files


def _links(card) -> list[str]:
    links = [a["href"] for a in card.select("a[href]")] + [img["src"] for img in card.select("img[src]")]
    for tag in card.select("[srcset]"):
        links += [candidate.split()[0] for candidate in tag["srcset"].split(",")]
    return links


def test_every_card_links_from_its_own_page(tmp_path):
    """The same card on the home page, the news list, its tags' pages and its
    year's page: each copy's links and pictures lead to the right files from
    the page it is on."""
    site = build_fixture(tmp_path, _files(), env=epoch("2024-12-31"))
    assert site.ok, site.output
    checked: dict[str, set[str]] = {}  # card's title -> folders of the pages it was checked on
    for page in sorted(site.site_dir.rglob("index.html")):
        folder = page.parent.relative_to(site.site_dir).as_posix()
        url = "" if folder == "." else folder + "/"
        soup = site.soup(url)
        for card in soup.select("li.divulga-card--news"):
            for link in _links(card):
                parts = urlsplit(link)
                assert not parts.scheme and not parts.netloc, (url, link)
                target = posixpath.normpath(posixpath.join(url, unquote(parts.path)))
                target = "" if target == "." else target
                assert not target.startswith(".."), (url, link)
                assert site.exists(target) or (site.site_dir / target).is_file(), (url, link)
            checked.setdefault(card.select_one(".divulga-card__title a").get_text(strip=True), set()).add(url)
    assert len(checked) >= 13
    assert all(len(pages) >= 3 for pages in checked.values()), checked  # list, tag, year pages at least
    pictured = [title for title, pages in checked.items() if title.endswith((" 3", " 12"))]
    assert pictured and all(len(checked[title]) >= 3 for title in pictured)
    assert "media/" in site.text("news/") and "media/" in site.text("news/tags/training/")
