"""From one 1200x630 picture to the files readers get: responsive WebP and JPEG widths, and
the social card with the headline. Pure functions of their input: the same art gives the
same bytes, and file names carry a hash of those bytes (cached for a year, never stale)."""

import hashlib
import io
from dataclasses import dataclass
from functools import cache

import fontpkg_source_sans_3
from PIL import Image, ImageDraw, ImageFont

from tribune.covers.backends.base import ART_HEIGHT, ART_WIDTH

# Bump when what is rendered changes, so that the render task redraws existing covers.
VERSION = "1"
WIDTHS = (400, 800, 1200)
WEBP_QUALITY = 76
JPEG_QUALITY = 82
FONT_PATH = fontpkg_source_sans_3.ROOT / "files" / "SourceSans3[wght].ttf"


@dataclass(frozen=True)
class Rendition:
    kind: str  # "webp", "jpeg" or "social"
    width: int
    height: int
    data: bytes

    @property
    def extension(self) -> str:
        return "webp" if self.kind == "webp" else "jpg"

    def storage_name(self, identity: str) -> str:
        digest = hashlib.sha256(self.data).hexdigest()[:16]
        label = "social" if self.kind == "social" else str(self.width)
        return f"covers/{identity}/{digest}-{label}.{self.extension}"


def height_for(width: int) -> int:
    return round(width * ART_HEIGHT / ART_WIDTH)


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "webp":
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=2)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def page_renditions(art: Image.Image) -> list[Rendition]:
    """Every width in WebP and JPEG, widest first."""
    renditions = []
    for width in sorted(WIDTHS, reverse=True):
        size = (width, height_for(width))
        if art.size == size:
            scaled = art
        elif art.width % width == 0:  # 1200 to 400: an exact box reduction, much faster
            scaled = art.reduce(art.width // width)
        else:
            scaled = art.resize(size, Image.Resampling.BICUBIC)
        renditions.extend(
            Rendition(kind, width, size[1], _encode(scaled, kind)) for kind in ("webp", "jpeg")
        )
    return renditions


@cache
def _font(size: int, weight: str) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(str(FONT_PATH), size)
    font.set_variation_by_name(weight)
    return font


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fit_headline(headline: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the headline fits in three lines; else cut with an ellipsis."""
    for size in (68, 60, 52, 46):
        font = _font(size, "Bold")
        lines = _wrap(headline, font, width)
        if len(lines) <= 3 and all(font.getlength(line) <= width for line in lines):
            return font, lines
    lines = lines[:3]
    while lines[-1] and font.getlength(lines[-1] + " …") > width:
        lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
    lines[-1] += " …"
    return font, lines


def social_card(
    art: Image.Image, headline: str, site_name: str, accent: tuple[int, int, int]
) -> Rendition:
    """1200x630 for link previews: the art, darkened towards the bottom, with the headline
    and the site name typeset in Source Sans 3 (a libre font with umlauts and ß)."""
    card = art.convert("RGBA")
    shade = Image.linear_gradient("L").resize((ART_WIDTH, ART_HEIGHT))  # 0 at top, 255 at bottom
    shade = shade.point(lambda v: max(0, (v - 60)) * 235 // 195)
    card.alpha_composite(Image.merge("RGBA", (*Image.new("RGB", card.size).split(), shade)))
    draw = ImageDraw.Draw(card)
    margin = 64
    font, lines = _fit_headline(" ".join(headline.split()), ART_WIDTH - 2 * margin)
    line_height = round(font.size * 1.12)
    site_font = _font(30, "SemiBold")
    bottom = ART_HEIGHT - margin - 30 - 28
    top = bottom - line_height * len(lines)
    draw.rectangle((margin, top - 34, margin + 72, top - 26), fill=accent)
    for i, line in enumerate(lines):
        draw.text((margin, top + i * line_height), line, font=font, fill=(255, 255, 255))
    draw.text((margin, ART_HEIGHT - margin - 30), site_name, font=site_font, fill=(235, 235, 235))
    return Rendition("social", ART_WIDTH, ART_HEIGHT, _encode(card.convert("RGB"), "jpeg"))
