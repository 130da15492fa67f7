"""The newsletter benchmark runs end to end at its small size, so that it never rots.
No speed is asserted: the figures go into the issue's closing note."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("newsletter.py")


def test_the_newsletter_benchmark_sends_everything_once_even_after_a_kill():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--small"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(done.stdout)
    [result] = report["results"]
    assert result["subscribers"] == 120
    assert result["articles"] == 8
    assert result["one_connection"]["messages"] == 120
    assert result["four_connections"]["messages"] == 120
    assert result["one_connection"]["raw_per_second"] > 0
    resume = result["kill_and_resume"]
    assert resume["killed_after"] >= 40
    assert resume["duplicates"] == 0
    assert resume["losses"] == 0
    assert report["zero_duplicates"] and report["zero_losses"]
