"""The covers benchmark runs end to end at its small size, so that it never rots.
No speed is asserted: the figures go into the issue's closing note."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("covers.py")


def test_the_covers_benchmark_reports_times_and_sizes_of_every_rendition():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--small"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["articles"] == 6
    assert report["ms_per_article"]["median"] > 0
    assert set(report["bytes_per_rendition"]) == {
        "jpeg-400", "jpeg-800", "jpeg-1200", "webp-400", "webp-800", "webp-1200",
        "social-1200.jpg",
    }  # fmt: skip
    assert all(size["median"] > 1000 for size in report["bytes_per_rendition"].values())
