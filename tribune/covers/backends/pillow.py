"""The default cover generator: abstract art drawn with Pillow, seeded from the article.

Three styles, each a small composition of shapes whose sizes, positions and colours come
from a random generator seeded with the article's UUID and the cover's seed, so the same
article always gets the same picture and a new seed a new one. Shapes are drawn at twice
the size and reduced, which smooths their edges without a slow anti-aliasing pass.
No text, no figures: only gradients, geometry and lines.
"""

import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

from tribune.covers.backends.base import CoverSpec
from tribune.covers.palettes import Palette, Style

RGB = tuple[int, int, int]
SUPERSAMPLE = 2


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _vertical_gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    column = Image.new("RGB", (1, 256))
    column.putdata([_mix(top, bottom, i / 255) for i in range(256)])
    return column.resize(size, Image.Resampling.BILINEAR)


def _colours(palette: Palette) -> tuple[RGB, list[RGB], RGB]:
    """The ground, the mid tones, and the accent, as RGB."""
    *mids, accent = (palette.rgb(c) for c in palette.colours)
    return palette.rgb(palette.ground), mids, accent


def _soft_field(rng: random.Random, palette: Palette, size: tuple[int, int]) -> Image.Image:
    """A background of large blurred blobs: drawn small, blurred, then enlarged."""
    ground, mids, _accent = _colours(palette)
    small = (size[0] // 8, size[1] // 8)
    field = _vertical_gradient(small, _mix(ground, mids[0], 0.5), ground)
    draw = ImageDraw.Draw(field)
    for _ in range(rng.randint(4, 6)):
        colour = _mix(rng.choice(mids[:3]), ground, rng.uniform(0.1, 0.45))
        cx, cy = rng.uniform(-0.1, 1.1) * small[0], rng.uniform(-0.1, 1.1) * small[1]
        r = rng.uniform(0.2, 0.45) * small[0]
        draw.ellipse((cx - r, cy - r * 0.8, cx + r, cy + r * 0.8), fill=colour)
    field = field.filter(ImageFilter.GaussianBlur(small[0] / 10))
    return field.resize(size, Image.Resampling.BICUBIC)


def _wave(rng: random.Random, width: int, base: float, amplitude: float) -> Callable:
    waves = [
        (rng.uniform(0.6, 1.6) * 2 * math.pi / width, rng.uniform(0, 2 * math.pi), amplitude),
        (rng.uniform(2.0, 3.5) * 2 * math.pi / width, rng.uniform(0, 2 * math.pi), amplitude / 3),
    ]
    tilt = rng.uniform(-0.12, 0.12)

    def y(x: float) -> float:
        return base + tilt * (x - width / 2) + sum(a * math.sin(k * x + p) for k, p, a in waves)

    return y


def _gradients(spec: CoverSpec, rng: random.Random) -> Image.Image:
    """Layered gradients: translucent hills of colour over a soft field, with a sun."""
    w, h = spec.size
    ground, mids, accent = _colours(spec.palette)
    art = _soft_field(rng, spec.palette, spec.size)
    if rng.random() < 0.8:  # a disc of the accent colour, low behind the layers
        r = rng.uniform(0.09, 0.16) * w
        cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.25, 0.5) * h
        disc = Image.new("L", (w // 4, h // 4), 0)
        ImageDraw.Draw(disc).ellipse(
            ((cx - r) / 4, (cy - r) / 4, (cx + r) / 4, (cy + r) / 4), fill=255
        )
        halo = disc.filter(ImageFilter.GaussianBlur(r / 10)).resize(spec.size)
        art.paste(_mix(accent, mids[-1], 0.3), (0, 0), halo.point(lambda v: v * 0.55))
        sun = Image.new("L", (w * SUPERSAMPLE, h * SUPERSAMPLE), 0)
        s = SUPERSAMPLE
        ImageDraw.Draw(sun).ellipse(((cx - r) * s, (cy - r) * s, (cx + r) * s, (cy + r) * s), 255)
        art.paste(accent, (0, 0), sun.reduce(SUPERSAMPLE))
    layers = rng.randint(3, 5)
    tones = sorted(mids, key=sum, reverse=True)  # light at the back, dark in front
    for i in range(layers):
        depth = (i + 1) / layers
        base = h * (0.35 + 0.5 * depth) + rng.uniform(-0.05, 0.05) * h
        y = _wave(rng, w, base * SUPERSAMPLE, rng.uniform(0.04, 0.1) * h * SUPERSAMPLE)
        mask = Image.new("L", (w * SUPERSAMPLE, h * SUPERSAMPLE), 0)
        step = 16
        outline = [(x, y(x)) for x in range(0, w * SUPERSAMPLE + step, step)]
        outline += [(w * SUPERSAMPLE, h * SUPERSAMPLE), (0, h * SUPERSAMPLE)]
        ImageDraw.Draw(mask).polygon(outline, fill=255)
        tone = tones[min(i, len(tones) - 1)] if i < len(tones) else ground
        top = _mix(tone, ground, 0.15 + 0.55 * depth)
        fill = _vertical_gradient(spec.size, top, _mix(top, ground, 0.6))
        art.paste(fill, (0, 0), mask.reduce(SUPERSAMPLE))
    return art


def _geometric(spec: CoverSpec, rng: random.Random) -> Image.Image:
    """A field of square tiles, each with a quarter circle, half circle, disc, triangle,
    ring or stripes, in a few colours of the palette."""
    w, h = spec.size
    ground, mids, accent = _colours(spec.palette)
    cell = rng.choice((150, 175, 210)) * SUPERSAMPLE
    colours = [ground, *rng.sample(mids, 3)]
    art = Image.new("RGB", (w * SUPERSAMPLE, h * SUPERSAMPLE), ground)
    offset_x, offset_y = rng.randrange(cell), rng.randrange(cell)
    for top in range(-offset_y, h * SUPERSAMPLE, cell):
        for left in range(-offset_x, w * SUPERSAMPLE, cell):
            back = rng.choice(colours)
            front = accent if rng.random() < 0.1 else rng.choice([c for c in colours if c != back])
            # Each tile is drawn on its own square, so that no shape spills into the next.
            tile = Image.new("RGB", (cell, cell), back)
            _tile(ImageDraw.Draw(tile), rng, cell, front)
            art.paste(tile, (left, top))
    return art.reduce(SUPERSAMPLE)


def _tile(draw: ImageDraw.ImageDraw, rng: random.Random, size: int, front: RGB) -> None:
    left, top, right, bottom = 0, 0, size, size
    motif = rng.choices(
        ("quarter", "half", "disc", "triangle", "ring", "stripes", "plain"),
        weights=(5, 4, 2, 3, 2, 1, 2),
    )[0]
    if motif == "quarter":
        cx, cy = rng.choice(((left, top), (right, top), (left, bottom), (right, bottom)))
        draw.ellipse((cx - size, cy - size, cx + size, cy + size), fill=front)
    elif motif == "half":
        side = rng.randrange(4)
        cx, cy = [(left + size / 2, top), (right, top + size / 2), (left + size / 2, bottom),
                  (left, top + size / 2)][side]  # fmt: skip
        r = size / 2
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=front)
    elif motif == "disc":
        m = size * 0.14
        draw.ellipse((left + m, top + m, right - m, bottom - m), fill=front)
    elif motif == "triangle":
        corners = [(left, top), (right, top), (right, bottom), (left, bottom)]
        del corners[rng.randrange(4)]
        draw.polygon(corners, fill=front)
    elif motif == "ring":
        m = size * 0.16
        draw.ellipse((left + m, top + m, right - m, bottom - m), outline=front, width=size // 9)
    elif motif == "stripes":
        band = size / 7
        for i in range(1, 7, 2):
            draw.rectangle((left, top + i * band, right, top + (i + 1) * band), fill=front)


def _lines(spec: CoverSpec, rng: random.Random) -> Image.Image:
    """Flowing lines: a band of sine-shaped strands drifting in phase over a soft field."""
    w, h = spec.size
    ground, mids, accent = _colours(spec.palette)
    art = _soft_field(rng, spec.palette, spec.size)
    art = Image.blend(art, Image.new("RGB", spec.size, ground), 0.35)
    s = SUPERSAMPLE
    strands = Image.new("RGBA", (w * s, h * s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(strands)
    count = rng.randint(10, 14)
    start, spread = rng.uniform(0.08, 0.3) * h * s, rng.uniform(0.45, 0.75) * h * s
    k1 = rng.uniform(0.7, 1.4) * 2 * math.pi / (w * s)
    k2 = rng.uniform(1.8, 2.8) * 2 * math.pi / (w * s)
    p1, p2 = rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi)
    a1, a2 = rng.uniform(0.12, 0.22) * h * s, rng.uniform(0.03, 0.08) * h * s
    d1, d2 = rng.uniform(0.02, 0.06), rng.uniform(-0.08, 0.08)
    tilt = rng.uniform(-0.2, 0.2)
    tones = [*mids, mids[-1]]
    highlights = set(rng.sample(range(count), 2))
    for i in range(count):
        t = i / (count - 1)
        position = t * (len(tones) - 1)
        low = int(position)
        colour = _mix(tones[low], tones[min(low + 1, len(tones) - 1)], position - low)
        if i in highlights:
            colour = accent
        alpha = round(255 * (0.65 + 0.35 * math.sin(math.pi * t)))
        base = start + t * spread
        points = [
            (
                x,
                base
                + tilt * (x - w * s / 2)
                + a1 * math.sin(k1 * x + p1 + i * d1)
                + a2 * math.sin(k2 * x + p2 + i * d2),
            )
            for x in range(-40, w * s + 41, 20)
        ]
        width = 7 if i in highlights else rng.choice((4, 5, 6))
        draw.line(points, fill=(*colour, alpha), width=s * width)
    art = art.convert("RGBA")
    art.alpha_composite(strands.reduce(s))
    return art.convert("RGB")


_STYLES = {Style.GRADIENTS: _gradients, Style.GEOMETRIC: _geometric, Style.LINES: _lines}


class PillowCoverBackend:
    """Draws covers locally with Pillow; fast enough to run in the publish task."""

    version = "pillow-1"

    def draw(self, spec: CoverSpec) -> Image.Image:
        # Not for secrets: a str seed gives the same sequence on every machine and run.
        rng = random.Random(spec.seed_text)  # noqa: S311
        art = _STYLES[Style(spec.style)](spec, rng)
        if art.size != spec.size:
            art = art.resize(spec.size, Image.Resampling.LANCZOS)
        return art
