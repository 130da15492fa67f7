"""The CI size of bench/discovery.py: it runs and reports everything; speed is not judged."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "discovery.py"


def test_the_discovery_benchmark_reports_every_figure_at_the_small_size():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--small", "--databases", "sqlite"],
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
    assert result["corpus"]["vocabulary_overlap"]["en"] > 0.3  # topics share words
    assert result["rebuild"]["index_seconds"] >= 0
    assert result["publish"]["own_list"]["samples"] == 20
    assert result["publish"]["lists_it_changes"]["samples"] == 20
    # Related lists are about the article's subject far more often than chance (1 in 12).
    assert result["quality"]["precision_at_5"] > 0.5
    assert result["quality"]["same_language_share"] > 0.9
    search = result["search"]
    assert "skipped" in search or search["queries"]["samples"] == 20
    assert set(result["targets_met"]) >= {"related_publish_p99", "precision_at_5"}


def test_the_corpus_generator_is_reproducible_and_labels_every_article():
    sys.path.insert(0, str(BENCH.parent))
    import corpus

    first, again = corpus.generate(20, seed=3), corpus.generate(20, seed=3)
    assert [a.body for a in first] == [a.body for a in again]
    assert all(a.topic in corpus.TOPICS for a in first)
    assert {a.language for a in corpus.generate(60)} == {"en", "de"}
    assert corpus.vocabulary_overlap("en") > 0.3
