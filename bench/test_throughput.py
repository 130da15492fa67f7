"""The throughput benchmark runs end to end at its small size, so that it never rots.

No speed is asserted here: figures depend on the machine and go into the issue's closing
note (bench/README.md). These tests check what someone running the benchmark would notice
if it broke, on the article page and the home page alike: a server that did not answer,
errors, a page cache that never hits, nginx in front not serving the page file.
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
# The first words of the summary table's heading, which the benchmark prints last.
HEADING = ["articles", "page", "server"]
PAGES = ["article", "home"]
SERVERS = ["nginx", "fronted", "cached", "uncached"]

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
def run() -> tuple[dict[str, Any], list[str]]:
    """Run `--small` once for the module: its JSON report and the summary table it printed."""
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
    lines = [line.removeprefix("[bench] ") for line in err.splitlines()]
    (start,) = (n for n, line in enumerate(lines) if line.split()[:3] == HEADING)
    summary = lines[start:]
    # Shown with `pytest -rP`: the small run's figures, for whoever wants to see them.
    print("\n".join(summary), file=sys.stderr)
    return json.loads(out), summary


@pytest.fixture(scope="module")
def report(run: tuple[dict[str, Any], list[str]]) -> dict[str, Any]:
    return run[0]


@pytest.fixture(scope="module")
def summary(run: tuple[dict[str, Any], list[str]]) -> list[str]:
    return run[1]


@pytest.fixture(scope="module")
def result(report: dict[str, Any]) -> dict[str, Any]:
    (only,) = report["results"]
    return only


def test_the_small_run_builds_a_site_of_fifty_published_articles(result):
    assert result["articles"] == 50
    assert result["corpus"]["published_articles"] == 50
    assert result["corpus"]["languages"] == ["de", "en"]
    assert result["corpus"]["page"]["url"].startswith("/en/articles/")


def test_every_run_measures_the_article_page_and_the_home_page(result):
    assert list(result["pages"]) == PAGES
    assert result["pages"]["article"]["url"] == result["corpus"]["page"]["url"]
    assert result["pages"]["home"]["url"] == "/en/"


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("page", PAGES)
def test_every_server_answers_each_page_without_errors(result, page, server):
    figures = result["pages"][page][server]
    assert figures["requests"] > 0
    assert figures["rps"] > 0
    assert figures["errors"] == 0, figures
    assert figures["p50_ms"] > 0
    assert figures["p99_ms"] >= figures["p50_ms"]


@pytest.mark.parametrize("page", PAGES)
def test_nginx_serves_the_same_page_the_app_renders(result, page):
    figures = result["pages"][page]
    assert figures["page_bytes"] > 0
    assert figures["page_bytes_uncached"] == figures["page_bytes"]


def test_the_two_pages_are_different_pages(result):
    pages = result["pages"]
    assert pages["article"]["page_bytes"] != pages["home"]["page_bytes"]


@pytest.mark.parametrize("page", PAGES)
def test_the_cached_run_is_answered_from_the_page_cache(result, page):
    figures = result["pages"][page]
    assert figures["cached"]["x_cache_before"] == "hit"
    assert figures["cached"]["x_cache_after"] == "hit"
    assert figures["cached"]["served_from_cache"] is True
    assert figures["uncached"]["x_cache_before"] == ""


@pytest.mark.parametrize("page", PAGES)
def test_nginx_in_front_answers_readers_from_the_page_file(result, page):
    assert result["pages"][page]["fronted"]["served_from_file"] is True


def test_the_report_states_ratios_and_targets_for_every_app_run_of_each_page(report, result):
    assert report["targets"] == {
        "fronted_ratio_to_nginx": 0.80,
        "cached_ratio_to_nginx": 0.12,
        "uncached_ratio_to_nginx": 0.015,
    }
    assert set(report["pages"]) == set(PAGES)
    for page in result["pages"].values():
        for server in ("fronted", "cached", "uncached"):
            assert page[server]["ratio_to_nginx"] > 0
            assert isinstance(page[server]["target_met"], bool)
        assert isinstance(page["targets_met"], bool)
    assert report["machine"]["cpus"] >= 1


def test_the_printed_summary_names_the_page_on_every_line(summary):
    heading, *rows = summary
    assert "page" in heading.split()
    assert len(rows) == len(PAGES) * len(SERVERS)
    for page in PAGES:
        assert sum(row.split()[1] == page for row in rows) == len(SERVERS)
