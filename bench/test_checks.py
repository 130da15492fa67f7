"""The CI size of bench/checks.py: it runs and reports every figure; speed is not judged."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "checks.py"


def test_the_checks_benchmark_reports_every_figure_at_the_small_size():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--small"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    (result,) = report["results"]
    assert "error" not in result, result.get("error")
    assert result["articles"] == 300
    assert result["index"]["entries"] == 300
    assert result["index"]["buckets"] > 0
    assert result["index"]["refresh_one_article"]["samples"] == 20
    assert result["checks"]["all_checks"]["samples"] == 60
    assert result["checks"]["duplicates_only"]["samples"] == 60
    # Quality is judged at every size: the planted copies are found, nothing else is.
    assert result["quality"]["recall"] >= 0.9
    assert result["quality"]["precision"] >= 0.95
    assert result["quality"]["unrelated_flagged"] == 0
    assert set(result["targets_met"]) == {"checks_p99", "recall", "precision"}


def test_a_near_copy_keeps_the_words_but_not_the_order_of_its_original():
    sys.path.insert(0, str(BENCH.parent))
    import random

    import corpus

    (original,) = corpus.generate(1, seed=4)
    copy = corpus.near_copy(original, random.Random(1))  # noqa: S311 - reproducible text
    assert copy.body != original.body and copy.language == original.language
    kept = set(original.body.split()) & set(copy.body.split())
    assert len(kept) > 0.5 * len(set(original.body.split()))
    assert copy.body.split("\n\n")[0] in corpus.BOILERPLATE[original.language]
