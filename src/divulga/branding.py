"""The site's colours: the primary and accent colours of ``extra.divulga.colors``,
the shades the stylesheet derives from them, and their contrast.

Material paints the header, links, buttons and focus rings from a few CSS
variables (``--md-primary-fg-color``, ``--md-accent-fg-color``, …); Divulga
sets them from the two configured colours, together with its own
(``--divulga-*``: card tints, tag chips, the key-figures band). Every pair of
text and background colour the stylesheet uses is listed in
``Palette.pairs``, so a colour that a reader could not read (WCAG 2.1 AA:
4.5:1 for text) is refused when the configuration is read, naming the pair,
and a test checks the example site's palette.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WHITE = "#ffffff"
# The theme's body text and its lighter shade (dates, labels), as Material
# draws them on white: rgba(0,0,0,.87) and rgba(0,0,0,.54)... the latter is
# too light for AA on tints, so Divulga's stylesheet uses MUTED for them.
TEXT = "#1f1f1f"
MUTED = "#575757"
EU_BLUE = "#003399"  # Annex IX: the statement in reflex blue on white
AA_TEXT = 4.5
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def is_colour(value: object) -> bool:
    return isinstance(value, str) and bool(_HEX.match(value))


def _rgb(colour: str) -> tuple[int, int, int]:
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` with ``amount`` (0–1) of ``other`` mixed in."""
    a, b = _rgb(colour), _rgb(other)
    return _hex(tuple(x + (y - x) * amount for x, y in zip(a, b)))


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio, from 1 to 21."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Pair:
    """Text of one colour on a background of another, as the stylesheet uses it."""

    what: str  # where, in words: "links on white"
    foreground: str
    background: str
    setting: str = ""  # the configured colour it comes from: "primary", "accent"; "": fixed

    @property
    def ratio(self) -> float:
        return contrast(self.foreground, self.background)


@dataclass(frozen=True)
class Palette:
    primary: str = "#24477a"  # used when extra.divulga.colors is not set
    accent: str = "#9a3412"

    @property
    def primary_dark(self) -> str:
        return mix(self.primary, "#000000", 0.25)

    @property
    def primary_light(self) -> str:
        return mix(self.primary, WHITE, 0.2)

    @property
    def tint(self) -> str:
        """Backgrounds of cards' headers, tag chips and the key-figures band."""
        return mix(self.primary, WHITE, 0.92)

    def variables(self) -> dict[str, str]:
        """The CSS variables, by name."""
        return {
            "--md-primary-fg-color": self.primary,
            "--md-primary-fg-color--light": self.primary_light,
            "--md-primary-fg-color--dark": self.primary_dark,
            "--md-primary-bg-color": WHITE,
            "--md-accent-fg-color": self.accent,
            "--md-accent-fg-color--transparent": self.accent + "1a",
            "--md-accent-bg-color": WHITE,
            "--md-typeset-a-color": self.primary,
            "--divulga-tint": self.tint,
            "--divulga-text": TEXT,
            "--divulga-muted": MUTED,
        }

    def css(self) -> str:
        """``:root{…}``, for a <style> element after Material's stylesheet."""
        return ":root{" + ";".join(f"{name}:{value}" for name, value in self.variables().items()) + "}"

    def pairs(self) -> tuple[Pair, ...]:
        """Every text / background combination of the stylesheet that these colours make."""
        return (
            Pair("the header's white text on the primary colour", WHITE, self.primary, "primary"),
            Pair("the drawer's title on the primary colour's dark shade", WHITE, self.primary_dark, "primary"),
            Pair("tabs not selected: white at 70% opacity on the primary colour", mix(WHITE, self.primary, 0.3),
                 self.primary, "primary"),
            Pair("links in the primary colour on white", self.primary, WHITE, "primary"),
            Pair("tag chips and card links in the primary colour on its tint", self.primary, self.tint, "primary"),
            Pair("links pointed at, in the accent colour, on white", self.accent, WHITE, "accent"),
            Pair("buttons pointed at: white text on the accent colour", WHITE, self.accent, "accent"),
            Pair("dates and labels on white", MUTED, WHITE),
            Pair("dates and labels on the tint", MUTED, self.tint, "primary"),
            Pair("text on the tint", TEXT, self.tint, "primary"),
            Pair("the EU statement on white", EU_BLUE, WHITE),
        )

    def problems(self) -> list[tuple[str, str]]:
        """What fails WCAG AA: (the colour setting to change, what fails in
        words with the measured ratio)."""
        return [(pair.setting, f"{pair.what}: contrast {pair.ratio:.1f}:1 ({pair.foreground} on "
                               f"{pair.background}), WCAG AA needs at least {AA_TEXT}:1")
                for pair in self.pairs() if pair.ratio < AA_TEXT]
