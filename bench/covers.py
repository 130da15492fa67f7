"""Cover rendering: milliseconds to draw one article's cover and encode all its files, and
the bytes of each file.

For each of N synthetic articles (random UUIDs, topics spread over the palettes, the style
each would get by default) it draws the art with the default Pillow backend and encodes
every rendition the render task stores: WebP and JPEG at each width, and the social card
with the headline. Storage writes are left out: they depend on the disk, not on us.
The process is pinned to one CPU, as the target is per core.

    .venv/bin/python bench/covers.py [--articles 200] [--small]

Prints one JSON document to stdout. Targets (issue 6): under 150 ms per article for all
renditions on one core, and the 1200px WebP under 60 KB.
"""

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tribune.covers import renditions  # imported after the path is set
from tribune.covers.backends.base import CoverSpec
from tribune.covers.backends.pillow import PillowCoverBackend
from tribune.covers.palettes import TOPIC_PALETTES, default_style, palette_for

TARGET_MS = 150
TARGET_WEBP_1200 = 60_000
TOPICS = [*TOPIC_PALETTES, "gardening", "sports", "culture"]
HEADLINE = "Was der Digital Services Act für kleine Foren bedeutet: Größe, Pflichten, Übergänge"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def render_one(backend: PillowCoverBackend, identity: str, topic: str) -> list:
    palette = palette_for([topic], identity)
    spec = CoverSpec(
        identity=identity, seed=0, style=default_style(palette, identity), palette=palette
    )
    art = backend.draw(spec)
    made = renditions.page_renditions(art)
    made.append(renditions.social_card(art, HEADLINE, "Tribune", palette.rgb(palette.colours[-1])))
    return made


def run(articles: int) -> dict:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    backend = PillowCoverBackend()
    render_one(backend, "warm-up", "science")  # fonts and codecs load once per process
    times: list[float] = []
    sizes: dict[str, list[int]] = {}
    by_style: dict[str, list[float]] = {}
    for n in range(articles):
        identity = str(uuid.UUID(int=n * 7919 + 1))
        topic = TOPICS[n % len(TOPICS)]
        started = time.perf_counter()
        made = render_one(backend, identity, topic)
        elapsed = (time.perf_counter() - started) * 1000
        times.append(elapsed)
        style = default_style(palette_for([topic], identity), identity)
        by_style.setdefault(style.value, []).append(elapsed)
        for rendition in made:
            label = "social-1200.jpg" if rendition.kind == "social" else (
                f"{rendition.kind}-{rendition.width}"
            )  # fmt: skip
            sizes.setdefault(label, []).append(len(rendition.data))
    webp_1200 = sizes["webp-1200"]
    return {
        "benchmark": "covers",
        "articles": articles,
        "ms_per_article": {
            "median": round(statistics.median(times), 1),
            "p99": round(percentile(times, 0.99), 1),
            "max": round(max(times), 1),
        },
        "ms_median_by_style": {
            style: round(statistics.median(values), 1) for style, values in by_style.items()
        },
        "bytes_per_rendition": {
            label: {"median": int(statistics.median(values)), "max": max(values)}
            for label, values in sorted(sizes.items())
        },
        "targets": {
            "ms_per_article_p99_under": TARGET_MS,
            "webp_1200_bytes_under": TARGET_WEBP_1200,
        },
        "met": {
            "ms_per_article": percentile(times, 0.99) < TARGET_MS,
            "webp_1200": max(webp_1200) < TARGET_WEBP_1200,
        },
        "machine": {
            "python": platform.python_version(),
            "pillow": importlib.metadata.version("Pillow"),
            "cpus_used": 1,
            "cpus_on_machine": os.cpu_count(),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--small", action="store_true", help="The CI size: 6 articles.")
    options = parser.parse_args()
    print(json.dumps(run(6 if options.small else options.articles), indent=2))


if __name__ == "__main__":
    main()
