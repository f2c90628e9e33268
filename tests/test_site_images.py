"""Photos through a whole build: what a reader's browser gets, and what it does not."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from conftest import build_fixture, news, run_build
from PIL import Image

GPS = 0x8825


def phone_photo(width: int = 2000, height: int = 1500) -> bytes:
    """A JPEG as a phone writes it: camera make and model, date and a GPS position."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0132] = "PhoneMaker", "Model X", "2024:05:01 10:00:00"
    exif[GPS] = {1: "N", 2: (45.0, 4.0, 12.5), 3: "E", 4: (7.0, 41.0, 3.2)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"taken at home")
    return out.getvalue()


FILES = {
    "content/news/2024-05-01-photo.it.md": news("Con foto", "2024-05-01", image="photo.jpg",
                                                image_alt="Una foto", summary="Riassunto.",
                                                body="Testo.\n\n![Di nuovo](../media/photo.jpg)"),
    "content/news/2024-05-01-photo.en.md": news("With a photo", "2024-05-01", image_alt="A photo"),
    "content/media/photo.jpg": phone_photo(),
}


def test_published_photos_carry_no_metadata_and_offer_sizes(tmp_path):
    assert b"PhoneMaker" in FILES["content/media/photo.jpg"]  # the original has it all
    site = build_fixture(tmp_path, FILES)
    assert site.ok, site.output
    published = sorted((site.site_dir / "media").iterdir())
    names = [p.name for p in published]
    assert "photo.jpg" in names and any(n.endswith(".480.webp") for n in names)
    assert any(n.endswith(".og.jpg") for n in names)
    for path in published:
        data = path.read_bytes()
        assert b"PhoneMaker" not in data and b"Exif" not in data and b"taken at home" not in data, path.name
        with Image.open(path) as image:
            assert not image.getexif() and "exif" not in image.info and "comment" not in image.info, path.name
            assert image.width <= 2000
    with Image.open(site.site_dir / "media" / next(n for n in names if n.endswith(".og.jpg"))) as og:
        assert og.size == (1200, 630)
    for url in ("news/2024-05-01-photo/", "en/news/2024-05-01-photo/", "news/", ""):
        soup = site.soup(url)
        images = soup.select("img[src*='media/']")
        assert images, url
        for img in images:
            assert img["width"] and img["height"] and img["srcset"] and img["sizes"], (url, img)
            assert img.find_parent("picture").source["type"] == "image/webp"
    item = site.soup("news/2024-05-01-photo/")
    hero, body = item.select(".divulga-news__image img, .divulga-news__body img")
    assert "loading" not in hero.attrs and hero["fetchpriority"] == "high"  # seen first: loaded at once
    assert body["loading"] == "lazy" and body["alt"] == "Di nuovo"  # the one written in the text
    assert (hero["width"], hero["height"]) == ("1600", "1200")
    og = item.find("meta", property="og:image")["content"]
    assert re.search(r"/media/photo\.[0-9a-f]{10}\.og\.jpg$", og)


def test_a_second_build_makes_no_picture_again(tmp_path):
    site = build_fixture(tmp_path, FILES)
    assert site.ok and "Pictures: 1 made in every size, 0 reused" in site.output, site.output
    again = run_build(tmp_path / "mkdocs.yml", tmp_path / "site2")
    assert again.returncode == 0 and "Pictures: 0 made in every size, 1 reused" in again.stdout + again.stderr
    first = {p.name: p.read_bytes() for p in (tmp_path / "site" / "media").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "site2" / "media").iterdir()}
    assert first == second


def test_damaged_and_huge_originals(tmp_path):
    """A file Pillow cannot read stops the build and `divulga check` with the
    same error; a very large one is a warning."""
    photo = phone_photo(6100, 40)
    files = {**FILES, "content/media/broken.jpg": FILES["content/media/photo.jpg"][:3000],
             "content/media/wide.jpg": photo}
    site = build_fixture(tmp_path, files)
    assert not site.ok
    problem = re.compile(r"content/media/broken\.jpg:1: file: .*cannot be read")
    assert problem.search(site.output), site.output
    assert re.search(r"content/media/wide\.jpg:1: file: .*6100 × 40 px", site.output), site.output
    assert "Traceback" not in site.output
    check = subprocess.run([sys.executable, "-m", "divulga", "check"], cwd=tmp_path, capture_output=True,
                           text=True)
    assert check.returncode == 1 and problem.search(check.stdout), check.stdout
    assert re.search(r"content/media/wide\.jpg:1: file: .*6100 × 40 px", check.stdout)
