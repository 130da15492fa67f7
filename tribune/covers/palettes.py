"""Colour palettes for covers, chosen by topic, and the visual styles a cover can take.

The palette key is also a CSS class (`cover-palette-<key>` in site.css): until a cover's
image exists, a block in the same colours stands in for it.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Style(models.TextChoices):
    GRADIENTS = "gradients", _("Layered gradients")
    GEOMETRIC = "geometric", _("Geometric field")
    LINES = "lines", _("Flowing lines")


@dataclass(frozen=True)
class Palette:
    key: str
    # Said in the alt text: "in deep blues and amber".
    description: Promise
    ground: str  # the darkest colour, the background
    colours: tuple[str, ...]  # mid tones to light, then one accent last
    style: Style  # the style a topic with this palette gets unless an editor picks one

    def rgb(self, hex_colour: str) -> tuple[int, int, int]:
        value = hex_colour.lstrip("#")
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


PALETTES: dict[str, Palette] = {
    p.key: p
    for p in (
        Palette(
            "harbour",
            _("deep blues and teal with an amber accent"),
            "#0d1b2a",
            ("#1b3a5c", "#2a6f97", "#2a9d8f", "#8ecae6", "#ffb703"),
            Style.GEOMETRIC,
        ),
        Palette(
            "moss",
            _("forest greens and pale mint with an apricot accent"),
            "#0f2a1f",
            ("#1b4332", "#2d6a4f", "#52b788", "#b7e4c7", "#f4a259"),
            Style.LINES,
        ),
        Palette(
            "ember",
            _("deep reds and orange with a warm yellow accent"),
            "#1f0d0c",
            ("#6b1d1d", "#a4302b", "#d9622b", "#f2a65a", "#fde68a"),
            Style.GEOMETRIC,
        ),
        Palette(
            "ledger",
            _("indigo and violet with a golden accent"),
            "#17142b",
            ("#2e2a6b", "#4b45a8", "#7678ed", "#c3c4f7", "#f7b801"),
            Style.GRADIENTS,
        ),
        Palette(
            "lab",
            _("midnight blue and aqua with a coral accent"),
            "#0a1128",
            ("#1c2a4a", "#31577a", "#3fa7a3", "#a8e6df", "#ff7f6b"),
            Style.LINES,
        ),
        Palette(
            "brick",
            _("terracotta and sand with a sky-blue accent"),
            "#2a1a14",
            ("#6e3524", "#b25b3a", "#dd9265", "#f2cf9a", "#7fb7be"),
            Style.GRADIENTS,
        ),
        Palette(
            "dusk",
            _("plum and rose with a peach accent"),
            "#1c1221",
            ("#43284d", "#7a3f6b", "#b85c7a", "#e8a4a0", "#ffd6a5"),
            Style.GRADIENTS,
        ),
        Palette(
            "lagoon",
            _("petrol and turquoise with a sunny yellow accent"),
            "#06242c",
            ("#0b4f5c", "#118ab2", "#06b6a0", "#9be7d8", "#ffd166"),
            Style.LINES,
        ),
    )
}

# The demo site's topics get palettes that suit them; any other topic gets one by its slug.
TOPIC_PALETTES = {
    "technology": "harbour",
    "climate": "moss",
    "politics": "ember",
    "business": "ledger",
    "science": "lab",
    "local": "brick",
}


def _pick(text: str, options: list[str]) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def palette_for(topic_slugs: Iterable[str], identity: str) -> Palette:
    """The palette of an article: by its first topic (by slug), else by its identity."""
    slugs = sorted(topic_slugs)
    for slug in slugs:
        if slug in TOPIC_PALETTES:
            return PALETTES[TOPIC_PALETTES[slug]]
    return PALETTES[_pick(slugs[0] if slugs else identity, list(PALETTES))]


# How the alt text names a style: "Abstract illustration: flowing lines in ...".
STYLE_PHRASES = {
    Style.GRADIENTS: _("layered hills of colour"),
    Style.GEOMETRIC: _("a field of geometric shapes"),
    Style.LINES: _("flowing lines"),
}


def default_style(palette: Palette, identity: str) -> Style:
    """The style of a cover no editor chose: mostly the palette's own, so that a topic has a
    look, but one in two articles gets another, so that neighbours on a page differ."""
    others = [style for style in Style if style != palette.style]
    return Style(_pick(f"style:{identity}", [palette.style, palette.style, *others]))
