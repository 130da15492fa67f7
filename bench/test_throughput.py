"""The throughput benchmark runs end to end at its small size, so that it never rots.

No speed is asserted here: figures depend on the machine and go into the issue's closing
note (bench/README.md). These tests check what someone running the benchmark would notice
if it broke: a server that did not answer, errors, a page cache that never hits.
The benchmark builds its own site in a temporary folder; the test database is not used.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).with_name("throughput.py")
TIMEOUT = 180

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None or shutil.which("wrk") is None,
    reason="the throughput benchmark needs nginx and wrk "
    "(Debian packages nginx-light and wrk: `make system-packages` installs them)",
)


def _clean_env() -> dict[str, str]:
    """The test process's environment without the test settings (TRIBUNE_ENV=test, the
    test data folder, DATABASE_URL/REDIS_URL of the PostgreSQL pass): the benchmark
    configures its own site."""
    dropped = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    return {
        k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("TRIBUNE_")
    }


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--small"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_clean_env(),
        text=True,
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        # SIGTERM lets the benchmark stop the servers it started before it exits.
        process.send_signal(signal.SIGTERM)
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        pytest.fail(f"bench/throughput.py --small took over {TIMEOUT} s:\n{err[-3000:]}")
    assert process.returncode == 0, f"bench/throughput.py --small failed:\n{err[-3000:]}"
    return json.loads(out)


@pytest.fixture(scope="module")
def result(report: dict[str, Any]) -> dict[str, Any]:
    (only,) = report["results"]
    return only


def test_the_small_run_builds_a_site_of_fifty_published_articles(result):
    assert result["articles"] == 50
    assert result["corpus"]["published_articles"] == 50
    assert result["corpus"]["languages"] == ["de", "en"]
    assert result["corpus"]["page"]["url"].startswith("/en/articles/")


@pytest.mark.parametrize("server", ["nginx", "fronted", "cached", "uncached"])
def test_every_server_answers_the_article_page_without_errors(result, server):
    figures = result[server]
    assert figures["requests"] > 0
    assert figures["rps"] > 0
    assert figures["errors"] == 0, figures
    assert figures["p50_ms"] > 0
    assert figures["p99_ms"] >= figures["p50_ms"]


def test_nginx_serves_the_same_page_the_app_renders(result):
    assert result["page_bytes"] > 0
    assert result["page_bytes_uncached"] == result["page_bytes"]


def test_the_cached_run_is_answered_from_the_page_cache(result):
    assert result["cached"]["x_cache_before"] == "hit"
    assert result["cached"]["x_cache_after"] == "hit"
    assert result["cached"]["served_from_cache"] is True
    assert result["uncached"]["x_cache_before"] == ""


def test_nginx_in_front_answers_readers_from_the_page_file(result):
    assert result["fronted"]["served_from_file"] is True


def test_the_report_states_ratios_and_targets_for_every_app_run(report, result):
    assert report["targets"] == {
        "fronted_ratio_to_nginx": 0.80,
        "cached_ratio_to_nginx": 0.12,
        "uncached_ratio_to_nginx": 0.015,
    }
    for server in ("fronted", "cached", "uncached"):
        assert result[server]["ratio_to_nginx"] > 0
        assert isinstance(result[server]["target_met"], bool)
    assert report["machine"]["cpus"] >= 1
