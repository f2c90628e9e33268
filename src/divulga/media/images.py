"""Raster images from the media folder: checked, then published in the sizes pages need.

Editors drop photos straight from a camera or a phone into ``content/media/``:
often 5-20 MB, turned upright by an EXIF tag rather than in their pixels, and
carrying the camera's serial number, the time and the GPS position of where
they were taken. The site publishes none of that. Two stages:

- ``inspect`` (``divulga check`` and the build's validation) decodes each
  original once, fully, to tell editors which ones cannot be shown (damaged,
  truncated, not an image, far too large) and which slow the build;
- ``process`` (the build) makes what the pages use: WebP and JPEG (PNG for
  transparent images) copies 480, 960 and 1600 px wide, a copy at the
  original's own name for links written in Markdown, and a 1200 × 630 link
  preview (Open Graph) image. Every file is encoded again from the pixels, so
  no EXIF, GPS, XMP or comment survives; colours are converted to sRGB and the
  ICC profile dropped; the EXIF orientation is applied to the pixels. GIFs
  are copied block by block without their comments and metadata blocks, so
  animations stay exactly as they were.

Both remember their work by the SHA-256 of the original's bytes, in a cache
folder the caller chooses, so a photo is decoded and encoded once, not at
every build::

    <cache>/<sha256>/inspect.json    what the original is, or why it cannot be used
    <cache>/<sha256>/manifest.json   the files made from it (written last)
    <cache>/<sha256>/480.webp 480.jpg … copy.jpg og.jpg

Files are written under a temporary name and renamed, and an entry is trusted
only when its manifest reads and lists files that are there with their
sizes: an interrupted build or a damaged cache means work redone, never half
an image published. Sizes are checked from the header before any pixel is
decoded, and JPEGs are decoded directly at the reduced scale the outputs need.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps, ImageSequence

from divulga.problems import ERROR, WARNING, Problem

FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # what a file may turn out to be, whatever its name
SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
WIDTHS = (480, 960, 1600)  # px, the renditions pages choose from (srcset)
COPY_WIDTH = 2400  # px, the copy at the original's name
OG_SIZE = (1200, 630)  # the link preview social networks show
OG_MIN_WIDTH = 600  # narrower originals get no preview of their own: the site's default is used
QUALITY = 80  # JPEG and WebP
# Part of every cache entry and published name: change it when any output
# would change, so that entries are made again and browsers that keep files
# "forever" never show an old one.
RECIPE = "divulga-images-1"
ROLES = ("webp", "fallback", "copy", "og")
# EXIF orientation → the transposition that shows the pixels upright (as ImageOps.exif_transpose).
ORIENTATIONS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
                6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90}
LANCZOS = Image.Resampling.LANCZOS


@dataclass(frozen=True)
class Limits:
    """What an original may be. Pillow keeps RGB pixels in 4 bytes, so 50
    megapixels (8660 × 5773 px) take 200 MB while a PNG decodes, about 300 MB
    with the first reduction; transparent images (resized with premultiplied
    alpha, a second full copy), GIFs and 16-bit PNGs take twice as much, so
    their limit is half. A JPEG is decoded at the scale the outputs need."""

    max_pixels: int = 50_000_000  # above: refused before decoding (a "decompression bomb")
    max_transparent_pixels: int = 25_000_000  # the same for transparent, GIF and 16-bit images
    max_animation_pixels: int = 400_000_000  # a GIF's frames together: bounds the decoding time
    warn_bytes: int = 8 * 1024 * 1024  # above: a warning, such originals slow the first build
    warn_side: int = 6000  # px, width or height


@dataclass(frozen=True)
class Original:
    """An image file an editor put in the media folder."""

    name: str  # relative to the media folder, with "/": "events/2023/photo.jpg"
    file: Path  # where to read it
    rel: str  # relative to the site's root, for problems: "content/media/events/2023/photo.jpg"


@dataclass(frozen=True)
class Facts:
    """What an original is: found once, then remembered by its content."""

    digest: str  # SHA-256 of the file's bytes
    format: str  # what the bytes are, whatever the name says: "JPEG", "PNG", "WEBP" or "GIF"
    width: int  # px as shown, EXIF orientation applied
    height: int
    has_alpha: bool  # some pixel is not fully opaque (a GIF: it declares a transparent colour)
    frames: int  # more than 1: an animation
    file_size: int  # bytes


@dataclass(frozen=True)
class Inspection:
    facts: dict[str, Facts]  # by Original.name: the images that can be published
    problems: tuple[Problem, ...]
    decoded: int  # originals decoded in this run; 0 when the cache knew them all


@dataclass(frozen=True)
class Rendition:
    path: str  # where it is published, site-relative: "media/events/photo.3f2a9c1b7e.960.webp"
    width: int
    height: int
    mime: str  # "image/webp"
    source: Path  # the file in the cache to copy to ``path``


@dataclass(frozen=True)
class PublishedImage:
    """An original as pages use it."""

    name: str  # relative to the media folder: "events/2023/photo.jpg"
    width: int  # the original's size as shown
    height: int
    webp: tuple[Rendition, ...]  # narrowest first; empty for a GIF
    fallback: tuple[Rendition, ...]  # the same widths in JPEG, or PNG when transparent
    copy: Rendition  # at the original's name ("media/events/2023/photo.jpg"), at most 2400 px wide
    og: Rendition | None  # 1200 × 630 JPEG; None for a GIF or an original under 600 px wide

    @property
    def src(self) -> Rendition:
        """The default ``src``: the widest fallback (the copy, for a GIF)."""
        return self.fallback[-1] if self.fallback else self.copy

    @property
    def files(self) -> tuple[Rendition, ...]:
        return (*self.webp, *self.fallback, self.copy, *((self.og,) if self.og else ()))


@dataclass(frozen=True)
class Processing:
    images: dict[str, PublishedImage]  # by Original.name, sorted
    problems: tuple[Problem, ...]  # inspect's, and any met while making the files
    processed: int  # originals whose files were made in this run
    reused: int  # originals whose files came from the cache

    def files(self) -> list[tuple[str, Path]]:
        """(site-relative path, cache file to copy there) for everything to publish, sorted."""
        return sorted({(r.path, r.source) for image in self.images.values() for r in image.files})


def is_raster(name: str) -> bool:
    """Whether a media file is handled here (by its name; its bytes decide what it is)."""
    return PurePosixPath(name).suffix.lower() in SUFFIXES


def originals(root: Path, media_dir: Path, names: Iterable[str]) -> list[Original]:
    """The raster images among ``names`` (relative to ``media_dir``), sorted.
    SVG and other files are not looked at here."""
    found = []
    for name in sorted(set(names)):
        if is_raster(name):
            file = Path(media_dir, name)
            try:
                rel = file.relative_to(root).as_posix()
            except ValueError:
                rel = file.as_posix()
            found.append(Original(name, file, rel))
    return found


# -- inspect -------------------------------------------------------------------

def inspect(originals: Sequence[Original], cache_dir: Path, *, limits: Limits = Limits(),
            workers: int | None = None) -> Inspection:
    """What each original is and what is wrong with it. Every file is hashed;
    only those the cache does not know are opened."""
    cache = Path(cache_dir)
    results = _map(lambda original: _inspect_one(original, cache, limits), originals, workers)
    facts = {o.name: found for o, (found, _, _) in zip(originals, results) if found is not None}
    problems = sorted((p for _, found, _ in results for p in found), key=Problem.sort_key)
    return Inspection(facts, tuple(problems), sum(decoded for _, _, decoded in results))


def _inspect_one(original: Original, cache: Path, limits: Limits) -> tuple[Facts | None, list[Problem], bool]:
    decoded = False
    try:
        with open(original.file, "rb") as handle:
            digest, size = _digest(handle)
            if size == 0:
                return None, [_problem(original, "this file is empty (0 bytes): copy the image here again, "
                                                 "or remove the file")], False
            record_file = cache / digest / "inspect.json"
            record = _record(_read_json(record_file))
            if record is None or not _settled(record, limits):
                record, _ = _load(handle, limits, keep=False)
                decoded = True
                if _digest(handle)[0] != digest:
                    return None, [_changed(original)], decoded
                with contextlib.suppress(OSError):  # no cache: slower next time, still right
                    _write(record_file, json.dumps(record, sort_keys=True).encode())
    except OSError as exc:
        return None, [_problem(original, f"cannot be read ({exc.strerror or exc}): check its permissions")], decoded
    return (*_verdict(original, digest, size, record, limits), decoded)


def _verdict(original: Original, digest: str, size: int, record: dict,
             limits: Limits) -> tuple[Facts | None, list[Problem]]:
    kind = FORMAT_NAMES[SUFFIXES[PurePosixPath(original.name).suffix.lower()]]
    if record["state"] == "unreadable":
        return None, [_problem(original, f"this image cannot be read (it may be damaged or not really a {kind}): "
                                         "export it again as JPEG or PNG")]
    if record["state"] == "huge":  # Pillow refused it on opening: over twice its own limit
        return None, [_problem(original, f"this image is too large to publish (more than "
                                         f"{limits.max_pixels / 1e6:.0f} megapixels), or damaged: export it "
                                         f"again, at most {limits.warn_side} px wide and tall")]
    refusal = _refusal(record, limits)
    if refusal:
        return None, [_problem(original, refusal)]
    facts = Facts(digest, record["format"], record["width"], record["height"], record["has_alpha"],
                  record["frames"], size)
    problems = []
    if facts.format == "GIF" and size > limits.warn_bytes:
        problems.append(_problem(original, f"this GIF is {size / 2**20:.1f} MB: it is published as it is, and "
                                           "every page that shows it loads slowly; make it shorter or smaller, "
                                           f"under {limits.warn_bytes / 2**20:g} MB", WARNING))
    elif size > limits.warn_bytes or max(facts.width, facts.height) > limits.warn_side:
        problems.append(_problem(original, f"this image is {size / 2**20:.1f} MB, {facts.width} × {facts.height} "
                                           "px: the site publishes smaller copies, but such a large original "
                                           f"slows every build; export it at most {limits.warn_side} px wide and "
                                           f"tall and under {limits.warn_bytes / 2**20:g} MB", WARNING))
    suffix = PurePosixPath(original.name).suffix
    if facts.format != SUFFIXES[suffix.lower()]:
        better = f"{PurePosixPath(original.name).stem}.{EXTENSIONS[facts.format]}"
        problems.append(_problem(original, f"this file is a {FORMAT_NAMES[facts.format]} image but its name ends "
                                           f"in {suffix}: rename it {better} (and change the pages that show "
                                           f"it), or export it again as {kind}", WARNING))
    if facts.frames > 1 and facts.format != "GIF":
        problems.append(_problem(original, f"this is an animated {FORMAT_NAMES[facts.format]}: the site shows "
                                           "only its first frame; save it as a GIF to keep the animation",
                                 WARNING))
    return facts, problems


def _refusal(record: dict, limits: Limits) -> str | None:
    """Why an image whose header was read is too large to decode, or None."""
    width, height, frames = record["width"], record["height"], record["frames"]
    limit = limits.max_transparent_pixels if record["heavy"] else limits.max_pixels
    if width * height > limit:
        side = min(limits.warn_side, math.isqrt(limit) // 100 * 100)
        kind = " for a transparent, GIF or 16-bit image" if record["heavy"] else ""
        return (f"this image is too large to publish ({width} × {height} px, {width * height / 1e6:.0f} "
                f"megapixels; at most {limit / 1e6:.0f}{kind}): export it again, at most {side} px wide and tall")
    if width * height * frames > limits.max_animation_pixels:
        return (f"this animation is too large to publish ({frames} frames of {width} × {height} px): "
                "make it shorter or smaller")
    return None


def _settled(record: dict, limits: Limits) -> bool:
    """Whether a cached record answers without opening the file: a refusal
    stands only while the limits still refuse it."""
    return record["state"] != "header" or _refusal(record, limits) is not None


def _record(data: object) -> dict | None:
    """A cached inspect record, or None when missing, damaged or from another recipe."""
    if not isinstance(data, dict) or data.get("recipe") != RECIPE:
        return None
    state = data.get("state")
    if state in ("unreadable", "huge"):
        return data
    sizes = all(type(data.get(key)) is int and data[key] > 0 for key in ("width", "height", "frames"))
    known = type(data.get("heavy")) is bool and (state == "header" or type(data.get("has_alpha")) is bool)
    return data if sizes and known and data.get("format") in FORMATS else None


# -- decoding ------------------------------------------------------------------

def _load(handle: BinaryIO, limits: Limits, *, keep: bool) -> tuple[dict, Image.Image | None]:
    """The original's record and, with ``keep`` (and unless refused or a GIF),
    its working image: RGB or RGBA, sRGB, upright, just large enough for every
    output. Without ``keep`` (inspecting), the pixels are still all decoded,
    which is how a truncated file shows, but reduced to a thumbnail (a JPEG
    decoded at 1/8 scale). Any failure is recorded as such, never raised."""
    handle.seek(0)
    record = {"recipe": RECIPE}
    try:
        with Image.open(handle, formats=FORMATS) as im:
            heavy = im.format == "GIF" or im.mode.startswith("I") or _transparent(im)
            record.update(state="header", format=im.format, width=im.width, height=im.height, frames=1, heavy=heavy)
            if _refusal(record, limits):
                return record, None
            record["frames"] = getattr(im, "n_frames", 1)
            if _refusal(record, limits):
                return record, None
            # Only now: a PNG's EXIF may follow its pixels, and Pillow decodes them to reach it.
            orientation = _orientation(im)
            width, height = (im.height, im.width) if orientation in (5, 6, 7, 8) else im.size
            record.update(width=width, height=height)
            if im.format == "GIF":
                alpha = "transparency" in im.info
                for frame in ImageSequence.Iterator(im):  # every frame: a truncated one is noticed
                    frame.load()
                return {**record, "state": "decoded", "has_alpha": alpha}, None
            scale = _scale(width, height) if keep else min(1.0, 256 / max(width, height))
            size = (max(1, math.ceil(im.width * scale)), max(1, math.ceil(im.height * scale)))
            if im.format == "JPEG":
                im.draft(im.mode, size)  # decode at 1/2, 1/4 or 1/8 scale when that is enough
            im.load()
            working = _normalized(im, size, orientation)
    except Image.DecompressionBombError:
        return {"recipe": RECIPE, "state": "huge"}, None
    except Exception:  # noqa: BLE001 - hostile bytes raise anything; all mean "cannot be shown"
        return {"recipe": RECIPE, "state": "unreadable"}, None
    return {**record, "state": "decoded", "has_alpha": working.mode == "RGBA"}, working if keep else None


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(0x0112)
    except Exception:  # noqa: BLE001 - a damaged EXIF block: the pixels are shown as stored
        return 1
    return value if value in ORIENTATIONS else 1


def _scale(width: int, height: int) -> float:
    """How much of the original (as shown) the largest output needs."""
    copy = min(1.0, COPY_WIDTH / width)
    og = min(1.0, max(OG_SIZE[0] / width, OG_SIZE[1] / height)) if width >= OG_MIN_WIDTH else 0.0
    return max(copy, og)


def _normalized(im: Image.Image, size: tuple[int, int], orientation: int) -> Image.Image:
    icc = im.info.get("icc_profile")
    if im.mode.startswith("I"):  # 16-bit grey: convert() would clip it to white
        im = im.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    elif im.mode not in ("L", "LA", "RGB", "RGBA", "CMYK") or "transparency" in im.info:
        im = im.convert("RGBA" if _transparent(im) else "RGB")
    # Decided at full size, so that inspecting (a thumbnail) and processing agree.
    opaque = im.mode not in ("LA", "RGBA") or im.getchannel("A").getextrema()[0] == 255
    if im.size != size:
        im = im.resize(size, LANCZOS, reducing_gap=3.0)
    if opaque and im.mode in ("LA", "RGBA"):
        im = im.convert(im.mode[:-1])
    if icc:
        im = _srgb(im, icc)
    if im.mode not in ("RGB", "RGBA"):
        im = im.convert("RGBA" if im.mode == "LA" else "RGB")
    if orientation in ORIENTATIONS:
        im = im.transpose(ORIENTATIONS[orientation])
    im.info = {}  # no comment, EXIF or profile may follow the pixels into a file
    return im


def _transparent(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info


def _srgb(im: Image.Image, icc: bytes) -> Image.Image:
    """The pixels converted from their embedded profile to sRGB, what browsers
    assume for untagged files; as they are when the profile is unusable."""
    alpha = im.getchannel("A") if im.mode == "RGBA" else None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(im.convert("RGB") if alpha else im, source,
                                              ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return im
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


# -- process -------------------------------------------------------------------

def process(originals: Sequence[Original], cache_dir: Path, *, limits: Limits = Limits(),
            prefix: str = "media/", workers: int | None = None,
            inspection: Inspection | None = None) -> Processing:
    """The published files of every readable original, made only for the
    contents the cache does not hold yet. ``prefix``: where the media folder is
    published in the site; ``inspection``: ``inspect``'s answer for the same
    originals and limits when the caller has it (else it is asked again)."""
    cache = Path(cache_dir)
    inspection = inspection or inspect(originals, cache, limits=limits, workers=workers)
    readable = [o for o in originals if o.name in inspection.facts]
    manifests: dict[str, list[dict] | None] = {}
    todo: dict[str, Original] = {}  # one job per content: a photo under two names is made once
    for original in readable:
        digest = inspection.facts[original.name].digest
        if digest not in manifests:
            manifests[digest] = _manifest(cache / digest)
            if manifests[digest] is None:
                todo[digest] = original
    made = _map(lambda o: _produce(o, inspection.facts[o.name], cache, limits), list(todo.values()), workers)
    problems = list(inspection.problems)
    for digest, problem in zip(todo, made):
        if problem:
            problems.append(problem)
        else:
            manifests[digest] = _manifest(cache / digest)
    images: dict[str, PublishedImage] = {}
    for original in readable:
        facts = inspection.facts[original.name]
        if manifests[facts.digest] is not None:
            images[original.name] = _published(original, facts, cache / facts.digest, manifests[facts.digest],
                                               prefix)
    processed = sum(inspection.facts[name].digest in todo for name in images)
    return Processing(images, tuple(sorted(problems, key=Problem.sort_key)), processed, len(images) - processed)


def _produce(original: Original, facts: Facts, cache: Path, limits: Limits) -> Problem | None:
    """Make one original's files in its cache entry, the manifest last."""
    entry = cache / facts.digest
    files = []
    try:
        with open(original.file, "rb") as handle:
            if facts.format == "GIF":
                size = _write(entry / "copy.gif", functools.partial(_strip_gif, handle))
                files.append(_item("copy.gif", "copy", "GIF", facts.width, facts.height, size))
            else:
                _, working = _load(handle, limits, keep=True)
                if working is None:  # the cached inspection was wrong about it
                    return _problem(original, "this image cannot be read (it may be damaged): "
                                              "export it again as JPEG or PNG")
                for name, role, fmt, image in _outputs(working, facts):
                    size = _write(entry / name, functools.partial(_encode, image, fmt))
                    files.append(_item(name, role, fmt, image.width, image.height, size))
            if _digest(handle)[0] != facts.digest:
                return _changed(original)
        _write(entry / "manifest.json", json.dumps({"recipe": RECIPE, "files": files}, indent=1).encode())
    except ValueError:  # _strip_gif, or an encoder
        return _problem(original, "this image cannot be read (it may be damaged): export it again")
    except OSError as exc:
        return _problem(original, f"could not be prepared for the site ({exc.strerror or exc}): check that "
                                  f"the folder {cache} can be written and that the disk is not full")
    return None


def _outputs(working: Image.Image, facts: Facts) -> Iterator[tuple[str, str, str, Image.Image]]:
    """(cache file, role, format, image) for every file made from an original."""
    fallback = "PNG" if working.mode == "RGBA" else "JPEG"
    image = _resized(working, facts, min(facts.width, COPY_WIDTH))
    yield f"copy.{EXTENSIONS[facts.format]}", "copy", facts.format, image
    for width in reversed(widths(facts.width)):  # each from the next larger one: less to read
        image = _resized(image, facts, width)
        yield f"{width}.webp", "webp", "WEBP", image
        yield f"{width}.{EXTENSIONS[fallback]}", "fallback", fallback, image
    if facts.width >= OG_MIN_WIDTH:
        opaque = working
        if working.mode == "RGBA":
            opaque = Image.new("RGB", working.size, "white")
            opaque.paste(working, mask=working.getchannel("A"))
        yield "og.jpg", "og", "JPEG", ImageOps.fit(opaque, OG_SIZE, LANCZOS)


def widths(width: int) -> list[int]:
    """The rendition widths of an original ``width`` px wide: never wider than
    it, and its own width (up to the largest) where it falls between two."""
    widest = min(width, WIDTHS[-1])
    return [w for w in WIDTHS if w < widest] + [widest]


def _resized(working: Image.Image, facts: Facts, width: int) -> Image.Image:
    size = (width, max(1, round(facts.height * width / facts.width)))
    return working if working.size == size else working.resize(size, LANCZOS)


def _encode(image: Image.Image, fmt: str, out: BinaryIO) -> None:
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(out, "PNG")  # zlib level 6: level 9 takes ten times as long on photos for ~8% less
    else:
        image.save(out, "WEBP", quality=QUALITY, method=4)


def _strip_gif(source: BinaryIO, out: BinaryIO) -> None:
    """Copy a GIF without its comments and application blocks (XMP, editors'
    data), keeping the one that makes it loop; the frames are copied as they
    are. Raises ValueError when the file ends early or is not a GIF."""
    def take(count: int) -> bytes:
        data = source.read(count)
        if len(data) != count:
            raise ValueError("the GIF ends early")
        return data

    def sub_blocks(write: Callable[[bytes], object]) -> None:
        while (size := take(1)) != b"\0":
            write(size + take(size[0]))
        write(size)

    source.seek(0)
    header = take(13)
    if header[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF")
    out.write(header + (take(3 << ((header[10] & 7) + 1)) if header[10] & 0x80 else b""))
    while (kind := source.read(1)) not in (b";", b""):  # a missing trailer is forgiven, as browsers do
        if kind == b",":  # a frame: descriptor, colours, LZW data
            descriptor = take(9)
            colours = take(3 << ((descriptor[8] & 7) + 1)) if descriptor[8] & 0x80 else b""
            out.write(kind + descriptor + colours + take(1))
            sub_blocks(out.write)
        elif kind == b"!":
            label, size = take(1), take(1)
            first = take(size[0])
            keep = label in (b"\xf9", b"\x01") or first[:11] in (b"NETSCAPE2.0", b"ANIMEXTS1.0")
            write = out.write if keep else (lambda data: None)
            write(kind + label + size + first)
            if size != b"\0":
                sub_blocks(write)
        else:
            raise ValueError("not a GIF block")
    out.write(b";")


def _item(file: str, role: str, fmt: str, width: int, height: int, size: int) -> dict:
    return {"file": file, "role": role, "format": fmt, "width": width, "height": height, "bytes": size}


def _manifest(entry: Path) -> list[dict] | None:
    """The files of a complete cache entry, or None to make it again."""
    data = _read_json(entry / "manifest.json")
    if not isinstance(data, dict) or data.get("recipe") != RECIPE or not isinstance(data.get("files"), list):
        return None
    for item in data["files"]:
        if not (isinstance(item, dict) and item.get("role") in ROLES and item.get("format") in FORMATS
                and isinstance(item.get("file"), str) and "/" not in item["file"] and "\\" not in item["file"]
                and not item["file"].startswith(".")
                and all(type(item.get(key)) is int and item[key] > 0 for key in ("width", "height", "bytes"))):
            return None
        try:
            if (entry / item["file"]).stat().st_size != item["bytes"]:
                return None
        except OSError:
            return None
    return data["files"] if [i["role"] for i in data["files"]].count("copy") == 1 else None


def _published(original: Original, facts: Facts, entry: Path, files: list[dict], prefix: str) -> PublishedImage:
    tag = hashlib.sha256(f"{RECIPE}:{facts.digest}".encode()).hexdigest()[:10]
    stem = f"{prefix}{original.name.rsplit('.', 1)[0]}.{tag}"

    def rendition(item: dict, path: str) -> Rendition:
        return Rendition(path, item["width"], item["height"], MIME_TYPES[item["format"]], entry / item["file"])

    def sized(role: str) -> tuple[Rendition, ...]:
        items = sorted((i for i in files if i["role"] == role), key=lambda i: i["width"])
        return tuple(rendition(i, f"{stem}.{i['width']}.{EXTENSIONS[i['format']]}") for i in items)

    copy = next(rendition(i, prefix + original.name) for i in files if i["role"] == "copy")
    og = next((rendition(i, f"{stem}.og.jpg") for i in files if i["role"] == "og"), None)
    return PublishedImage(original.name, facts.width, facts.height, sized("webp"), sized("fallback"), copy, og)


# -- files and threads -----------------------------------------------------------

def _digest(handle: BinaryIO) -> tuple[str, int]:
    handle.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _read_json(path: Path) -> object:
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read(1 << 20))
    except (OSError, ValueError, RecursionError):
        return None


def _write(path: Path, fill: Callable[[BinaryIO], object] | bytes) -> int:
    """Write a file atomically (a temporary file renamed over it); its size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(descriptor, "wb") as out:
            if isinstance(fill, bytes):
                out.write(fill)
            else:
                fill(out)
            size = out.tell()
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return size


def _map(function: Callable, items: Sequence, workers: int | None) -> list:
    """``map`` on a few threads (Pillow and hashlib let go of the GIL while they
    work), the results in the order of ``items``. Pillow's warnings (decompression
    bomb, palette notes) are silenced: what matters becomes a Problem."""
    count = workers or min(2, os.cpu_count() or 1)  # each may hold a decoded picture (up to ~300 MB)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if count <= 1 or len(items) <= 1:
            return [function(item) for item in items]
        with ThreadPoolExecutor(max_workers=count) as pool:
            return list(pool.map(function, items))


def _problem(original: Original, message: str, severity: str = ERROR) -> Problem:
    return Problem(original.rel, None, "file", message, severity)


def _changed(original: Original) -> Problem:
    return _problem(original, "this image changed while it was being read: run the build (or the check) again")
