"""The media images module on its own: originals made with Pillow in a temporary
folder, processed into a temporary cache. No site is built here."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import warnings
import zlib
from pathlib import Path

import pytest
from markupsafe import Markup
from PIL import Image, ImageCms

from divulga.media import images
from divulga.media.images import Limits, inspect, originals, process
from divulga.media.pictures import BODY_SIZES, enrich_images, picture
from divulga.problems import ERROR, WARNING

SECRETS = (b"DivulgaTestCamera", b"DIVULGA-GPS-DATUM", b"DIVULGA-XMP", b"divulga-secret-comment")


def photo(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """Gradients and a blurred noise: cheap to make and to encode, still a photo to the encoders."""
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.effect_noise((width // 8 + 1, height // 8 + 1), 60).resize((width, height), Image.Resampling.BILINEAR)
    blue = red.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return Image.merge("RGB", (red, green, blue)).convert(mode)


def png_claiming(width: int, height: int, colour: int = 2) -> bytes:
    """A valid PNG header claiming any size (colour 2: RGB, 6: RGBA), with a few bytes of pixel data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def animated_gif() -> bytes:
    frames = [Image.new("P", (60, 40), index) for index in range(1, 6)]
    for index, frame in enumerate(frames):
        frame.putpalette([value for i in range(256) for value in (i, 255 - i, (i * 7) % 256)])
        frame.paste(0, (index * 10, 0, index * 10 + 10, 40))
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=120, loop=0,
                   transparency=0, comment=b"divulga-secret-comment")
    data = buffer.getvalue()
    start = 13 + 3 * 2 ** ((data[10] & 7) + 1)  # after the global colour table: an XMP block
    xmp = b"<x:xmpmeta>DIVULGA-XMP</x:xmpmeta>"
    return data[:start] + b"!\xff\x0bXMP DataXMP" + bytes([len(xmp)]) + xmp + b"\0" + data[start:]


def site(tmp_path: Path, files: dict[str, Image.Image | bytes | tuple]) -> tuple[Path, list[images.Original]]:
    """A site folder with ``files`` in content/media (an image, raw bytes, or (image, save options))."""
    root = tmp_path / "site"
    media = root / "content" / "media"
    for name, content in files.items():
        path = media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            image, options = content if isinstance(content, tuple) else (content, {})
            image.save(path, **options)
    return root, originals(root, media, files)


def gallery_files() -> dict:
    exif = Image.Exif()
    exif[0x010F] = "DivulgaTestCamera"  # Make
    exif[0x0110] = "DivulgaTestCamera Model 7"
    exif[0x0132] = "2023:09:21 10:11:12"  # DateTime
    exif[0x8825] = {1: "N", 2: (45.0, 4.0, 0.0), 3: "E", 4: (7.0, 40.0, 0.0), 18: "DIVULGA-GPS-DATUM"}
    rotated = Image.new("RGB", (300, 200), "red")
    rotated.paste((0, 0, 255), (150, 0, 300, 200))  # stored: red left, blue right
    turned = Image.Exif()
    turned[0x0112] = 6
    transparent = photo(700, 500, "RGBA")
    transparent.putalpha(Image.linear_gradient("L").resize((700, 500)))
    palette = Image.new("P", (640, 480), 1)
    palette.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    palette.paste(0, (0, 0, 320, 480))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    deep = Image.linear_gradient("L").resize((640, 480)).convert("I").point(lambda v: v * 257).convert("I;16")
    return {
        "events/2023/photo.jpg": (photo(2000, 1500), {"exif": exif, "comment": b"divulga-secret-comment",
                                                      "xmp": b"<x:xmpmeta>DIVULGA-XMP</x:xmpmeta>",
                                                      "icc_profile": srgb, "quality": 90}),
        "rotated.jpg": (rotated, {"exif": turned}),
        "big.jpg": (Image.linear_gradient("L").resize((4800, 3200)).convert("RGB"), {}),
        "transparent.png": transparent,
        "opaque-rgba.png": photo(500, 300, "RGBA"),
        "small.png": photo(300, 200),
        "cmyk.jpg": photo(640, 480, "CMYK"),
        "deep.png": deep,
        "palette.png": (palette, {"transparency": 0}),
        "picture.webp": (photo(800, 600), {"exif": exif, "xmp": b"<x:xmpmeta>DIVULGA-XMP</x:xmpmeta>"}),
        "anim.gif": animated_gif(),
    }


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    """The gallery processed once, then again with the same cache."""
    root, found = site(tmp_path_factory.mktemp("gallery"), gallery_files())
    first = process(found, root / ".cache" / "images")
    second = process(found, root / ".cache" / "images")
    return root, found, first, second


def opened(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


# -- what is published ------------------------------------------------------------

def test_the_originals_are_all_published_without_problems(gallery):
    _, found, first, _ = gallery
    assert first.problems == ()
    assert list(first.images) == sorted(o.name for o in found)
    assert first.processed == len(found) and first.reused == 0


def test_no_metadata_survives(gallery):
    root, _, first, _ = gallery
    original = (root / "content/media/events/2023/photo.jpg").read_bytes()
    assert all(secret in original for secret in SECRETS)  # the fixture does carry them
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)[18] == "DIVULGA-GPS-DATUM"
    published = [source for _, source in first.files()]
    assert len(published) > 30
    for source in published:
        data = source.read_bytes()
        assert b"Exif" not in data and b"<x:xmpmeta" not in data, source
        assert not any(secret in data for secret in SECRETS), source
        image = opened(source)
        assert not image.getexif(), source
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"} & set(image.info), source


def test_exif_orientation_is_applied_to_the_pixels(gallery):
    _, _, first, _ = gallery
    image = first.images["rotated.jpg"]
    assert (image.width, image.height) == (200, 300)
    assert [(r.width, r.height) for r in image.fallback] == [(200, 300)]
    copy = opened(image.copy.source)
    assert copy.size == (200, 300)
    red, _, blue = copy.getpixel((100, 20))
    assert red > 200 and blue < 60  # what was stored on the left is now on top
    red, _, blue = copy.getpixel((100, 280))
    assert blue > 200 and red < 60


def test_renditions_in_webp_and_fallback_never_upscaled(gallery):
    _, _, first, _ = gallery
    photo_ = first.images["events/2023/photo.jpg"]
    assert [r.width for r in photo_.webp] == [480, 960, 1600] == [r.width for r in photo_.fallback]
    assert [r.height for r in photo_.webp] == [360, 720, 1200]
    assert {r.mime for r in photo_.webp} == {"image/webp"} and {r.mime for r in photo_.fallback} == {"image/jpeg"}
    assert photo_.src == photo_.fallback[-1]
    hash10 = photo_.src.path.split(".")[-3]
    assert len(hash10) == 10
    assert photo_.webp[1].path == f"media/events/2023/photo.{hash10}.960.webp"
    assert photo_.fallback[0].path == f"media/events/2023/photo.{hash10}.480.jpg"
    assert photo_.og.path == f"media/events/2023/photo.{hash10}.og.jpg"
    assert photo_.copy.path == "media/events/2023/photo.jpg"
    for rendition in photo_.files:
        image = opened(rendition.source)
        assert image.size == (rendition.width, rendition.height)
        assert Image.MIME[image.format] == rendition.mime
    assert opened(photo_.copy.source).size == (2000, 1500)
    assert opened(photo_.fallback[0].source).info.get("progressive") == 1
    small = first.images["small.png"]
    assert [(r.width, r.height) for r in small.webp] == [(300, 200)] and small.og is None
    assert small.copy.mime == "image/png"
    big = first.images["big.jpg"]  # decoded at half scale (draft): just what the copy needs
    assert opened(big.copy.source).size == (2400, 1600)
    assert [r.width for r in big.fallback] == [480, 960, 1600]
    assert images.widths(1200) == [480, 960, 1200] and images.widths(480) == [480]


def test_transparency_gets_png_fallbacks_and_an_opaque_preview(gallery):
    _, _, first, _ = gallery
    transparent = first.images["transparent.png"]
    assert [r.width for r in transparent.fallback] == [480, 700]
    assert {r.mime for r in transparent.fallback} == {"image/png"}
    assert opened(transparent.fallback[0].source).mode == "RGBA"
    assert opened(transparent.webp[0].source).mode == "RGBA"
    assert opened(transparent.og.source).mode == "RGB"
    palette = first.images["palette.png"]
    assert {r.mime for r in palette.fallback} == {"image/png"}
    assert opened(palette.fallback[-1].source).getpixel((10, 10))[3] == 0
    assert {r.mime for r in first.images["opaque-rgba.png"].fallback} == {"image/jpeg"}


def test_open_graph_image_is_1200_by_630(gallery):
    _, _, first, _ = gallery
    for name in ("events/2023/photo.jpg", "transparent.png", "cmyk.jpg", "picture.webp", "big.jpg"):
        og = first.images[name].og
        assert (og.width, og.height, og.mime) == (1200, 630, "image/jpeg")
        assert opened(og.source).size == (1200, 630)


def test_unusual_colour_modes(gallery):
    _, _, first, _ = gallery
    cmyk = opened(first.images["cmyk.jpg"].src.source)
    assert cmyk.mode == "RGB"
    deep = opened(first.images["deep.png"].src.source).convert("L")
    assert 100 < deep.getpixel((320, 240)) < 160  # 16-bit grey scaled, not clipped to white
    webp = first.images["picture.webp"]
    assert webp.copy.mime == "image/webp" and opened(webp.copy.source).format == "WEBP"


def test_gifs_are_copied_with_their_frames_without_comments(gallery):
    root, _, first, _ = gallery
    gif = first.images["anim.gif"]
    assert gif.webp == gif.fallback == () and gif.og is None and gif.src == gif.copy
    assert gif.copy.path == "media/anim.gif" and gif.copy.mime == "image/gif"
    data = gif.copy.source.read_bytes()
    assert b"divulga-secret-comment" not in data and b"XMP DataXMP" not in data and b"DIVULGA-XMP" not in data
    before = Image.open(root / "content/media/anim.gif")
    after = Image.open(gif.copy.source)
    assert after.n_frames == before.n_frames == 5
    assert after.info["loop"] == 0 and after.info["duration"] == 120 and "comment" not in after.info
    for index in range(5):
        before.seek(index)
        after.seek(index)
        assert before.convert("RGBA").tobytes() == after.convert("RGBA").tobytes()


# -- the cache ----------------------------------------------------------------------

def test_second_run_reuses_everything(gallery):
    root, found, first, second = gallery
    assert second.processed == 0 and second.reused == len(found)
    assert second.images == first.images and second.files() == first.files()
    inspection = inspect(found, root / ".cache" / "images")
    assert inspection.decoded == 0
    assert process(found, root / ".cache" / "images", inspection=inspection).images == first.images


def test_outputs_are_deterministic(gallery, tmp_path):
    _, found, first, _ = gallery
    kinds = [o for o in found if o.name in ("events/2023/photo.jpg", "transparent.png", "picture.webp", "anim.gif")]
    again = process(kinds, tmp_path / "other-cache")
    assert again.processed == len(kinds) == 4
    before = [(path, source) for path, source in first.files() if path in {p for p, _ in again.files()}]
    assert len(before) == len(again.files()) > 20
    for (_, one), (_, other) in zip(before, again.files()):
        assert one.read_bytes() == other.read_bytes(), one.name


def test_a_damaged_cache_entry_is_made_again(tmp_path):
    root, found = site(tmp_path, {"a.jpg": photo(900, 600), "b.png": photo(500, 400), "c.jpg": photo(700, 500),
                                  "d.jpg": photo(640, 480)})
    cache = root / ".cache"
    first = process(found, cache)
    entries = {name: image.copy.source.parent for name, image in first.images.items()}
    (entries["a.jpg"] / "manifest.json").write_text("{not json")
    (entries["b.png"] / "480.webp").unlink()
    first.images["c.jpg"].webp[0].source.write_bytes(b"half a fi")
    (entries["d.jpg"] / "inspect.json").write_bytes(os.urandom(100))
    again = process(found, cache)
    assert again.problems == ()
    assert (again.processed, again.reused) == (3, 1)  # d: inspected again, its files still good
    assert again.files() == first.files()
    for _, source in again.files():
        opened(source)
    assert json.loads((entries["d.jpg"] / "inspect.json").read_text())["state"] == "decoded"
    assert not [p for p in cache.rglob(".part-*")]


def test_the_same_photo_under_two_names_is_made_once(tmp_path):
    root, found = site(tmp_path, {"a.jpg": photo(640, 480), "b.png": Image.new("RGB", (10, 10))})
    media = root / "content" / "media"
    (media / "events").mkdir()
    (media / "events" / "a-again.jpg").write_bytes((media / "a.jpg").read_bytes())
    found = originals(root, media, ["a.jpg", "b.png", "events/a-again.jpg"])
    result = process(found, root / ".cache", workers=3)
    assert (result.processed, result.reused) == (3, 0)
    one, two = result.images["a.jpg"], result.images["events/a-again.jpg"]
    assert one.src.source == two.src.source and one.src.path != two.src.path
    assert two.src.path.startswith("media/events/a-again.") and two.copy.path == "media/events/a-again.jpg"
    assert len(list((root / ".cache").iterdir())) == 2


# -- hostile and broken files ----------------------------------------------------------

def hostile_files() -> dict:
    whole = io.BytesIO()
    Image.linear_gradient("L").resize((5000, 4000)).convert("RGB").save(whole, "JPEG")
    small = io.BytesIO()
    photo(600, 400).save(small, "PNG")
    gif = animated_gif()
    assert gif.endswith(b";")
    return {
        "no-trailer.gif": gif[:-1],  # accepted, as browsers do
        "truncated.jpg": whole.getvalue()[: len(whole.getvalue()) * 6 // 10],  # decoded at reduced scale
        "truncated.png": small.getvalue()[: len(small.getvalue()) // 2],
        "truncated.gif": gif[: len(gif) - 40],
        "random.jpg": os.urandom(5000),
        "empty.jpg": b"",
        "bomb.png": png_claiming(100_000, 100_000),
        "too-large.png": png_claiming(9000, 9000),  # under Pillow's own limit, over ours
        "over-pillow-warning.png": png_claiming(11_000, 11_000),
        "transparent-too-large.png": png_claiming(6000, 6000, colour=6),  # needs twice the memory
        "text.png": b"This is not an image at all.\n" * 20,
        "header-only.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    }


def test_hostile_files_are_problems_not_crashes(tmp_path):
    root, found = site(tmp_path, {**hostile_files(), "really-a-gif.jpg": animated_gif()})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inspection = inspect(found, root / ".cache")
        processing = process(found, root / ".cache")
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]
    assert processing.problems == inspection.problems
    assert list(processing.images) == ["no-trailer.gif", "really-a-gif.jpg"]
    assert Image.open(processing.images["no-trailer.gif"].copy.source).n_frames == 5
    by_path = {p.path: p for p in inspection.problems}
    assert len(by_path) == len(inspection.problems) == len(found) - 1
    for name in ("truncated.jpg", "truncated.png", "truncated.gif", "random.jpg", "text.png", "header-only.jpg"):
        problem = by_path[f"content/media/{name}"]
        assert (problem.severity, problem.line, problem.field) == (ERROR, None, "file")
        assert problem.message.startswith("this image cannot be read") and "export it again" in problem.message
    assert "not really a PNG" in by_path["content/media/text.png"].message
    assert "empty" in by_path["content/media/empty.jpg"].message
    assert "too large" in by_path["content/media/bomb.png"].message
    assert "9000 × 9000 px" in by_path["content/media/too-large.png"].message
    assert "11000 × 11000 px" in by_path["content/media/over-pillow-warning.png"].message
    transparent = by_path["content/media/transparent-too-large.png"].message
    assert "at most 25 for a transparent" in transparent and "at most 5000 px wide" in transparent
    gif = by_path["content/media/really-a-gif.jpg"]
    assert gif.severity == WARNING and "is a GIF image" in gif.message and "really-a-gif.gif" in gif.message
    assert processing.images["really-a-gif.jpg"].copy.path == "media/really-a-gif.jpg"
    # the verdicts are remembered: nothing is decoded again
    assert inspect(found, root / ".cache").decoded == 0
    # a raised limit opens the refused ones again (their header only: still refused)
    assert inspect(found, root / ".cache", limits=Limits(max_pixels=90_000_000)).decoded == 1


def test_hostile_files_need_little_memory(tmp_path):
    root, _ = site(tmp_path, hostile_files())
    script = textwrap.dedent(f"""
        import resource
        from pathlib import Path
        from divulga.media.images import originals, process
        root = Path({str(root)!r})
        media = root / "content" / "media"
        found = originals(root, media, [p.name for p in media.iterdir()])
        result = process(found, root / ".cache", workers=1)
        assert len(result.problems) == len(found) - 1, result.problems
        # this process's own peak (VmHWM): ru_maxrss may carry the test runner's, from before exec
        status = Path("/proc/self/status")
        peak = [line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM:")] \
            if status.exists() else []
        print(peak[0] if peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """)
    # One picture at a time: the build decodes two at once (two workers), so its
    # peak may be twice this, whichever two files happen to overlap.
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    # KB: decoding the 5000 × 4000 JPEG at half scale, no bomb; the bound of the other hostile-input tests
    assert int(done.stdout) < 400 * 1024


def test_large_originals_are_warned_about(tmp_path):
    root, found = site(tmp_path, {"wide.png": Image.new("RGB", (6100, 10), "navy"), "heavy.jpg": photo(400, 300),
                                  "fine.jpg": Image.new("RGB", (40, 30), "navy")})
    assert (root / "content/media/heavy.jpg").stat().st_size > 5_000 > (root / "content/media/fine.jpg").stat().st_size
    result = inspect(found, root / ".cache", limits=Limits(warn_bytes=5_000))
    warned = {p.path: p for p in result.problems}
    assert set(warned) == {"content/media/wide.png", "content/media/heavy.jpg"}
    wide = warned["content/media/wide.png"]
    assert wide.severity == WARNING and "6100 × 10 px" in wide.message and "at most 6000 px" in wide.message
    assert "MB" in warned["content/media/heavy.jpg"].message
    assert result.facts["wide.png"].width == 6100 and set(result.facts) == {"wide.png", "heavy.jpg", "fine.jpg"}
    assert not [p for p in inspect(found, root / ".cache").problems if p.path != "content/media/wide.png"]


def test_inspect_reports_facts_as_displayed(gallery):
    root, found, _, _ = gallery
    facts = inspect(found, root / ".cache" / "images").facts
    assert (facts["rotated.jpg"].width, facts["rotated.jpg"].height) == (200, 300)
    assert facts["transparent.png"].has_alpha and facts["palette.png"].has_alpha
    assert not facts["opaque-rgba.png"].has_alpha and not facts["events/2023/photo.jpg"].has_alpha
    assert facts["anim.gif"].frames == 5 and facts["anim.gif"].format == "GIF"
    assert facts["picture.webp"].format == "WEBP"


def test_only_raster_names_are_taken(tmp_path):
    found = originals(tmp_path, tmp_path / "content/media", ["logo.svg", "a/B.JPG", "doc.pdf", "x.webp", "y.gif"])
    assert [(o.name, o.rel) for o in found] == [("a/B.JPG", "content/media/a/B.JPG"), ("x.webp", "content/media/x.webp"),
                                                ("y.gif", "content/media/y.gif")]


# -- HTML ---------------------------------------------------------------------------

def fake_image(name: str = "events/photo.jpg", *, webp: bool = True) -> images.PublishedImage:
    stem = name.rsplit(".", 1)[0]

    def rendition(width: int, ext: str, mime: str) -> images.Rendition:
        return images.Rendition(f"media/{stem}.0123456789.{width}.{ext}", width, width * 3 // 4, mime, Path("/x"))
    copy = images.Rendition(f"media/{name}", 2000, 1500, "image/jpeg", Path("/x"))
    if not webp:
        return images.PublishedImage(name, 400, 300, (), (), images.Rendition(f"media/{name}", 400, 300,
                                                                              "image/gif", Path("/x")), None)
    return images.PublishedImage(name, 2000, 1500, tuple(rendition(w, "webp", "image/webp") for w in (480, 960)),
                                 tuple(rendition(w, "jpg", "image/jpeg") for w in (480, 960)), copy, None)


def test_picture_markup():
    html = picture(fake_image(), alt='A "quote"><script>alert(1)</script>', url=lambda p: "../" + p,
                   sizes="(min-width: 40em) 50vw, 100vw", lang="en", css_class="lead")
    assert isinstance(html, Markup)
    assert "<script>" not in html and 'alt="A &#34;quote&#34;&gt;&lt;script&gt;' in html
    assert html.startswith('<picture><source type="image/webp" srcset="../media/events/photo.0123456789.480.webp '
                           '480w, ../media/events/photo.0123456789.960.webp 960w" sizes="(min-width: 40em) 50vw, '
                           '100vw"><img src="../media/events/photo.0123456789.960.jpg" srcset="')
    assert 'width="960" height="720"' in html and 'loading="lazy" decoding="async"' in html
    assert 'class="lead"' in html and 'lang="en"' in html and html.endswith("></picture>")
    eager = picture(fake_image(), alt="x", url=str, sizes="100vw", eager=True)
    assert 'fetchpriority="high"' in eager and "loading=" not in eager
    gif = picture(fake_image("anim.gif", webp=False), alt="x", url=str, sizes="100vw")
    assert gif.startswith('<img src="media/anim.gif" width="400" height="300"') and "srcset" not in gif
    spaced = picture(fake_image("my photo, 2023.jpg"), alt="", url=str, sizes="100vw")
    assert "media/my%20photo%2C%202023.0123456789.480.webp 480w" in spaced


def test_body_images_are_enriched():
    published = {"../media/events/photo.jpg": fake_image()}
    body = ('<p>Text &amp; more</p>\n<p><a href="x"><img alt="A &lt;b&gt;" src="../media/events/photo.jpg" '
            'title="T" /></a></p>\n<p><img src="https://example.org/x.jpg" alt="e"> <img src="../media/logo.svg" '
            'alt="l"></p>\n<p><img src="../media/events/photo.jpg" alt="small" width="300" loading="eager"></p>')
    html = enrich_images(Markup(body), published.get, url=lambda p: "../" + p)
    assert isinstance(html, Markup)
    first, second = html.split("<picture>")[1:]
    assert first.startswith(f'<source type="image/webp" srcset="../media/events/photo.0123456789.480.webp 480w, '
                            f'../media/events/photo.0123456789.960.webp 960w" sizes="{BODY_SIZES}"><img ')
    assert ('src="../media/events/photo.0123456789.960.jpg" srcset="../media/events/photo.0123456789.480.jpg 480w, '
            '../media/events/photo.0123456789.960.jpg 960w"') in first
    assert 'width="960" height="720" alt="A &lt;b&gt;" title="T" loading="lazy" decoding="async"></picture></a>' \
        in first
    assert 'width="300" height="225"' in second and 'loading="eager"' in second and 'loading="lazy"' not in second
    assert html.startswith("<p>Text &amp; more</p>\n<p><a href=\"x\"><picture>")
    assert ('<p><img src="https://example.org/x.jpg" alt="e"> <img src="../media/logo.svg" alt="l"></p>'
            in html)
    assert enrich_images(html, published.get, url=lambda p: "../" + p) == html  # a second pass changes nothing
    assert enrich_images("<p>no images</p>", published.get, url=str) == "<p>no images</p>"
    scaled = enrich_images('<img src="../media/events/photo.jpg" width="50%">', published.get, url=str)
    assert ' width="50%" ' in scaled and "height=" not in scaled
