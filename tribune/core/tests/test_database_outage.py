"""Stop PostgreSQL under a running site: /readyz fails, readers get a friendly 503, and the
site recovers by itself when the database returns. A real gunicorn process over a throwaway
PostgreSQL cluster, never the machine's own server."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tribune.testing.throwaway import free_port, postgres_server, wait_for_port


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _eventually(url: str, status: int, seconds: float = 10) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        answer = _get(url)
        if answer[0] == status or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


@pytest.fixture
def site_on_throwaway_postgres(tmp_path):
    with postgres_server() as database:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env |= {
            "DATABASE_URL": database.url,
            "DJANGO_SETTINGS_MODULE": "tribune.testing.settings",
            "TRIBUNE_DATA_DIR": str(tmp_path),
            "TRIBUNE_PAGE_CACHE": "false",
        }
        subprocess.run(
            [sys.executable, "-m", "tribune", "migrate", "--noinput"],
            env=env,
            check=True,
            capture_output=True,
        )
        port = free_port()
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "tribune.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"),
                *("--log-level", "critical"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, seconds=30)
            yield database, f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(10)


def test_a_database_outage_gives_readers_503_and_the_site_recovers_on_its_own(
    site_on_throwaway_postgres,
):
    database, site = site_on_throwaway_postgres
    assert _get(f"{site}/readyz")[0] == 200
    assert _get(f"{site}/en/")[0] == 200

    database.stop()
    status, page = _get(f"{site}/en/")
    assert status == 503
    assert "We will be back in a moment" in page
    status, body = _get(f"{site}/readyz")
    assert status == 503
    assert '"database": "unavailable"' in body
    assert _get(f"{site}/healthz")[0] == 200  # alive: no restart wanted, only no traffic

    database.start()
    assert _eventually(f"{site}/readyz", 200)[0] == 200
    assert _eventually(f"{site}/en/", 200)[0] == 200
