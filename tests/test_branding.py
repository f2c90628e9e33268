"""The site's identity from mkdocs.yml: colours that pass WCAG AA, tagline
and description per language, logo and favicon."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, load_mkdocs_yml

from divulga.branding import Palette, contrast, mix
from divulga.config_file import ConfigError, settings_from_config


def config_with(**options) -> dict:
    return {"plugins": [{"i18n": {"languages": [{"locale": "it", "name": "Italiano", "default": True},
                                                {"locale": "en", "name": "English"}]}}],
            "extra": {"divulga": options}}


def test_contrast_follows_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest AA grey
    assert mix("#000000", "#ffffff", 0.5) == "#808080"


def test_the_example_sites_palette_passes_aa():
    """Every text/background pair the stylesheet makes from the configured
    colours (and the default ones) reaches 4.5:1."""
    colours = load_mkdocs_yml(ROOT / "mkdocs.yml")["extra"]["divulga"]["colors"]
    for palette in (Palette(**colours), Palette()):
        assert palette.pairs() and not palette.problems(), palette
        assert min(pair.ratio for pair in palette.pairs()) >= 4.5


def test_stylesheet_takes_its_colours_from_the_palette():
    """The stylesheet's brand colours are the palette's variables, never
    written out: a colour in divulga.css is white, the EU's blue, a status
    colour or a dark text, each listed in Palette.pairs or checked here."""
    css = (ROOT / "overrides/assets/stylesheets/divulga.css").read_text(encoding="utf-8")
    used = {match.lower() for match in re.findall(r"#[0-9a-fA-F]{3,6}\b", css)}
    for colour in used - {"#fff", "#ffffff", "#003399"}:
        # fixed colours with text on them: dark enough for white text, or text on white
        assert max(contrast(colour, "#ffffff"), contrast(colour, "#000000")) >= 4.5, colour
    for variable in ("--divulga-tint", "--divulga-muted", "--divulga-text", "--md-primary-fg-color"):
        assert f"var({variable})" in css
        assert variable in Palette().css()


@pytest.mark.parametrize(("colors", "message"), [
    ({"primary": "#ffcc00"}, "extra.divulga.colors.primary: the header's white text on the primary colour: contrast "
                             "1.5:1 (#ffffff on #ffcc00), WCAG AA needs at least 4.5:1: choose a darker primary colour"),
    ({"accent": "#ff9900"}, "extra.divulga.colors.accent: links pointed at, in the accent colour, on white: contrast "
                            "2.1:1 (#ff9900 on #ffffff), WCAG AA needs at least 4.5:1: choose a darker accent colour"),
    ({"primary": "teal"}, 'extra.divulga.colors.primary: write a colour as # and six hex digits in quotes, e.g. '
                          '"#0b4f6c", not \'teal\''),
    ({"secondary": "#000000"}, "extra.divulga.colors.secondary: unknown colour. Write primary: and accent:"),
    ("#0b4f6c", "extra.divulga.colors: write `primary:` and `accent:` on lines of their own under colors:, "
                'each a colour such as "#0b4f6c" (in quotes)'),
])
def test_unreadable_colours_are_refused(colors, message):
    with pytest.raises(ConfigError) as info:
        settings_from_config(config_with(colors=colors), ROOT, {})
    # one problem per colour, not one per pair the colour spoils
    assert [str(problem).removeprefix("mkdocs.yml:1: ") for problem in info.value.problems] == [message]


def test_tagline_and_description_per_language(tmp_path):
    settings = settings_from_config(config_with(
        tagline={"it": "Riga", "en": "Line"}, description="One text for all",
        colors={"primary": "#123456", "accent": "#8b0000"}), tmp_path, {})
    assert settings.tagline.values == {"it": "Riga", "en": "Line"}
    assert settings.describe("en") == settings.describe("it") == "One text for all"
    assert settings.palette == Palette("#123456", "#8b0000")
    with pytest.raises(ConfigError) as info:
        settings_from_config(config_with(tagline={"en": "Line", "fr": "Ligne"}, description=3), tmp_path, {})
    messages = sorted(str(p).split(": ", 2)[2] for p in info.value.problems)
    assert any("write a short line that says what the site is for in it too" in m for m in messages), messages
    assert any("fr" in m for m in messages) and any("one or two sentences" in m for m in messages), messages


def test_example_site_identity(example_site):
    soup = example_site.soup("en/")
    assert soup.title.get_text() == "Sportello Cluster Piemonte – Cluster cooperation, from Piedmont to Europe"
    assert soup.select_one(".divulga-hero__tagline").get_text() == "Cluster cooperation, from Piedmont to Europe"
    assert soup.select_one("link[rel=icon]")["href"].endswith("assets/images/favicon.svg")
    assert soup.select_one(".md-header img")["src"].endswith("assets/images/logo.svg")
    style = soup.find("style", string=re.compile("--md-primary-fg-color:#0b4f6c"))
    assert style is not None and "--md-accent-fg-color:#a23b12" in style.string
    assert example_site.path("assets/images/logo.svg").is_file()
