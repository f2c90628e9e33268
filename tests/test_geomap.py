"""The partner map (divulga.write.geomap): what a browser and a screen reader get.

Every map is parsed back as XML and checked by its elements and attributes, not by how the text
happens to look. No network, no MkDocs; the geometry is drawn once (cached) for the whole module.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from xml.etree import ElementTree as ET

import pytest
from conftest import ROOT

from divulga.write.geomap import MARKER_RADIUS, TINY, CountryMap, country_map, load_geodata

SVG = "{http://www.w3.org/2000/svg}"
# The partners of the example projects.
PARTNERS = {"IT": 5, "FR": 2, "DE": 1, "AT": 1, "CH": 1, "SI": 1, "ES": 2, "BE": 1, "LB": 2, "MA": 1, "TN": 1,
            "EG": 1, "JO": 1}


def make(counts: dict[str, int] = PARTNERS, lang: str = "it", **kwargs: str) -> CountryMap:
    texts = {"title": "Paesi partner", "description": "I paesi dei partner del progetto.",
             "id_prefix": "map-1"}
    return country_map(counts, lang=lang, **{**texts, **kwargs})


def parse(result: CountryMap) -> ET.Element:
    return ET.fromstring(result.svg)


def shapes(root: ET.Element) -> list[ET.Element]:
    """The elements that stand for a country: paths and circles with data-country."""
    return [el for el in root.iter()
            if el.tag in (f"{SVG}path", f"{SVG}circle") and "data-country" in el.attrib]


def classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


def tooltip(root: ET.Element, code: str, tag: str = "path") -> str:
    (el,) = [el for el in root.iter(f"{SVG}{tag}") if el.get("data-country") == code]
    return el.find(f"{SVG}title").text


def test_the_svg_is_xml_with_an_accessible_name_and_description():
    root = parse(make())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("class") == "divulga-map"
    assert root.get("aria-labelledby") == "map-1-title map-1-desc"
    assert root.find(f"{SVG}title").get("id") == "map-1-title"
    assert root.find(f"{SVG}title").text == "Paesi partner"
    assert root.find(f"{SVG}desc").get("id") == "map-1-desc"
    assert root.find(f"{SVG}desc").text == "I paesi dei partner del progetto."
    x, y, width, height = map(float, root.get("viewBox").split())
    assert (x, y, width) == (0, 0, 1000) and 700 < height < 1000


def test_exactly_the_partner_countries_are_marked():
    result = make()
    root = parse(result)
    marked = {el.get("data-country") for el in shapes(root) if "marked" in classes(el)}
    assert marked == set(PARTNERS)
    assert result.shown == tuple(sorted(PARTNERS))
    assert result.missing == ()
    paths = [el.get("data-country") for el in root.iter(f"{SVG}path") if "data-country" in el.attrib]
    assert len(paths) == len(set(paths)) > 60  # one path per country of the view
    assert {"GR", "PL", "TR", "IL", "PS", "GB", "NO", "DZ", "LY"} <= set(paths) - marked


def test_zero_counts_are_not_marked_and_codes_are_normalised():
    result = make({"it": 1, " fr ": 2, "EL": 1, "UK": 3, "DE": 0, "AT": -1})
    marked = {el.get("data-country") for el in shapes(parse(result)) if "marked" in classes(el)}
    assert marked == {"IT", "FR", "GR", "GB"} == set(result.shown)
    assert [entry.code for entry in result.entries] == ["GB", "FR", "GR", "IT"]  # most first, then by name


def test_the_countries_are_named_in_the_language_of_the_page():
    italian, english = parse(make(lang="it")), parse(make(lang="en"))
    assert tooltip(italian, "IT") == "Italia: 5"
    assert tooltip(english, "IT") == "Italy: 5"
    assert tooltip(italian, "LB") == "Libano: 2"
    assert tooltip(english, "MA") == "Morocco: 1"
    assert tooltip(italian, "GR") == "Grecia"  # not a partner: the name alone
    assert tooltip(english, "DE") == "Germany: 1"
    assert tooltip(english, "XK") == "Kosovo"
    entries = {entry.code: entry.name for entry in make(lang="it").entries}
    assert entries["EG"] == "Egitto" and entries["TN"] == "Tunisia"
    assert tooltip(parse(make(lang="xx-nowhere")), "IT") == "Italy: 5"  # unknown language: English


def test_a_label_function_writes_the_tooltips():
    root = parse(make(label=lambda name, count: f"{name} — {count} partner"))
    assert tooltip(root, "FR") == "Francia — 2 partner"


def test_hostile_text_is_escaped():
    hostile = '<script>alert("x")</script> & \x00\x1b'
    result = make({"IT": 1, "<img src=x onerror=alert(1)>": 2}, title=hostile, description=hostile,
                  label=lambda name, count: f"<b>{name}</b>")
    assert "<script" not in result.svg and "<img" not in result.svg and "<b>" not in result.svg
    root = parse(result)  # no control character left either: XML 1.0 could not carry it
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script> & '
    assert root.find(f"{SVG}desc").text == '<script>alert("x")</script> & '
    assert tooltip(root, "IT") == "<b>Italia</b>"
    assert result.missing == ("<img src=x onerror=alert(1)>",)
    assert result.svg.count("http") == 1  # the SVG namespace: no link, no tile, no server


@pytest.mark.parametrize("prefix", ["", "1map", 'a" onload="x', "a b", "map<"])
def test_an_id_prefix_that_is_no_id_is_refused(prefix):
    with pytest.raises(ValueError):
        make(id_prefix=prefix)


def test_a_count_that_is_no_integer_is_refused():
    with pytest.raises(TypeError):
        make({"IT": "3"})


def test_unknown_codes_and_countries_outside_the_view_are_reported():
    result = make({"IT": 1, "XX": 2, "BR": 1, "us": 1, "Italia": 1})
    assert result.shown == ("IT",)
    assert result.missing == ("BR", "Italia", "US", "XX")
    by_code = {entry.code: entry for entry in result.entries}
    assert by_code["XX"].shown is False and by_code["XX"].name == "XX" and by_code["XX"].count == 2
    assert by_code["BR"].name == "Brasile" and by_code["BR"].shown is False
    assert by_code["IT"].shown is True
    root = parse(result)
    assert {el.get("data-country") for el in shapes(root) if "marked" in classes(el)} == {"IT"}


def test_a_tiny_partner_country_gets_a_visible_circle():
    root = parse(make({"MT": 1, "LU": 2, "VA": 1, "IT": 1}))
    circles = {el.get("data-country"): el for el in root.iter(f"{SVG}circle")}
    assert set(circles) == {"MT", "LU", "VA"}  # Italy is big enough
    _, _, width, height = map(float, root.get("viewBox").split())
    for el in circles.values():
        assert "marked" in classes(el)
        assert float(el.get("r")) == MARKER_RADIUS >= 4
        assert 0 < float(el.get("cx")) < width and 0 < float(el.get("cy")) < height
    assert tooltip(root, "MT", "circle") == "Malta: 1"
    malta, sicily = circles["MT"], load_geodata().countries["IT"]
    assert float(malta.get("cy")) > 580 and abs(float(malta.get("cx")) - 500) < 20  # south of Sicily
    assert load_geodata().countries["MT"].area < TINY
    assert not list(parse(make({"IT": 1})).iter(f"{SVG}circle"))  # no partner there, no circle
    assert sicily.area > TINY


def test_the_map_is_north_up_and_not_mirrored():
    places = {code: country.label for code, country in load_geodata().countries.items()}
    x = {code: place[0] for code, place in places.items()}
    y = {code: place[1] for code, place in places.items()}
    assert x["PT"] < x["ES"] < x["IT"] < x["GR"] < x["TR"] < x["AZ"]  # west to east
    assert y["NO"] < y["DE"] < y["IT"] < y["TN"] < y["EG"]  # north to south
    for code in ("IS", "MA", "TN", "EG", "LB", "JO", "IL", "PS", "CY", "AZ"):  # in the view, whole or nearly
        x, y = places[code]
        assert 0 < x < 1000 and 0 < y < load_geodata().height, code


def test_the_same_input_gives_the_same_bytes():
    first = make()
    assert make().svg == first.svg
    assert make(dict(reversed(list(PARTNERS.items())))).svg == first.svg  # order of counts does not matter
    load_geodata.cache_clear()
    assert make().svg == first.svg
    script = textwrap.dedent("""
        import hashlib, sys
        from divulga.write.geomap import country_map
        counts = dict(zip(sys.argv[1::2], map(int, sys.argv[2::2])))
        svg = country_map(counts, lang="it", title="Paesi partner",
                          description="I paesi dei partner del progetto.", id_prefix="map-1").svg
        print(hashlib.sha256(svg.encode()).hexdigest())
    """)
    arguments = [str(item) for pair in PARTNERS.items() for item in pair]
    for seed in ("1", "2"):  # no set or hash order leaks into the output
        out = subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, text=True,
                             check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed})
        assert out.stdout.strip() == hashlib.sha256(first.svg.encode()).hexdigest()


def test_the_map_stays_small():
    assert len(make().svg.encode()) < 80_000
    every = {code: 1 for code in load_geodata().countries}
    assert len(make(every).svg.encode()) < 80_000  # all marked: the classes, counts and circles add a little
    unknown = ["AA", "ZZ", *(f"Q{b}" for b in "MNOPQRSTUVWXYZ"), *(f"X{b}" for b in "ABCDEFGHIJ")]
    assert make(dict.fromkeys(unknown, 1)).svg == make({}).svg  # the codes it cannot show add nothing


def test_the_shipped_drawing_is_what_the_data_gives():
    """Builds read the drawing shipped in the package; it must be the one the installed data gives
    (after a data or recipe change: python -m divulga.write.geomap)."""
    from divulga.write import geomap
    shipped = json.loads((ROOT / "src/divulga/write" / geomap.SHIPPED).read_text(encoding="utf-8"))
    assert shipped["key"] == geomap.drawing_key()
    assert geomap._from_json(shipped) == geomap._draw()


def test_the_drawing_kept_in_a_cache_folder_gives_the_same_map(tmp_path, monkeypatch):
    from divulga.write import geomap
    counts = {"IT": 3, "MT": 1, "LB": 2}
    shipped = country_map(counts, lang="it", title="Partner", description="Carta", id_prefix="m", cache=tmp_path)
    assert list(tmp_path.glob("geomap-*.json")) == []  # the shipped drawing: nothing drawn, nothing kept
    monkeypatch.setattr(geomap, "SHIPPED", "no-such-drawing.json")  # as with another data package
    load_geodata.cache_clear()
    fresh = country_map(counts, lang="it", title="Partner", description="Carta", id_prefix="m")
    load_geodata.cache_clear()
    made = country_map(counts, lang="it", title="Partner", description="Carta", id_prefix="m", cache=tmp_path)
    kept = list(tmp_path.glob("geomap-*.json"))
    assert len(kept) == 1
    load_geodata.cache_clear()  # as a new build would: read back from the folder
    again = country_map(counts, lang="it", title="Partner", description="Carta", id_prefix="m", cache=tmp_path)
    assert shipped.svg == fresh.svg == made.svg == again.svg
    kept[0].write_text("{broken", encoding="utf-8")  # a damaged file is drawn again, not trusted
    load_geodata.cache_clear()
    assert country_map(counts, lang="it", title="Partner", description="Carta", id_prefix="m",
                       cache=tmp_path).svg == fresh.svg
    load_geodata.cache_clear()