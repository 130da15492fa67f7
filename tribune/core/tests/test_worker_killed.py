"""kill -9 a task worker in the middle of a publication's follow-up work, start it again:
every task completes, once. Real processes over a throwaway site (SQLite file, database
task queue), as `tribune serve` runs them."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="builds its own SQLite site whatever the suite's database: the SQLite pass runs it",
)

PUBLISH = (
    "from tribune.testing import factories; "
    "factories.article(title='Published while a worker dies', body='Words about rivers.')"
)
SEARCH = "from tribune.discovery.search import search; print(search('rivers', language='en').total)"


def _env(data: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"} and not key.startswith("TRIBUNE_")
    }
    return env | {"DJANGO_SETTINGS_MODULE": "tribune.settings", "TRIBUNE_DATA_DIR": str(data)}


def _tribune(env: dict[str, str], *arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tribune", *arguments],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _tasks(database: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT task_path, status, worker_ids FROM django_tasks_database_dbtaskresult"
        ).fetchall()


def _kill_while_a_task_runs(worker: subprocess.Popen, database: Path) -> str:
    """Catch the worker with a task RUNNING, freeze it there (hold the write lock it needs to
    record the result) and kill -9 it. Returns the task left running."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lock = sqlite3.connect(database, timeout=30, isolation_level=None)
        try:
            lock.execute("BEGIN IMMEDIATE")
            running = lock.execute(
                "SELECT task_path FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
            ).fetchone()
            if running:
                worker.send_signal(signal.SIGKILL)
                worker.wait(10)
                return running[0]
        finally:
            lock.execute("ROLLBACK") if lock.in_transaction else None
            lock.close()
        time.sleep(0.002)
    pytest.fail("the worker never ran a task")


def test_a_worker_killed_mid_publication_completes_the_work_once_when_restarted(tmp_path):
    env = _env(tmp_path)
    database = tmp_path / "tribune.sqlite3"
    _tribune(env, "migrate", "--noinput")
    _tribune(env, "shell", "-c", PUBLISH)
    queued = _tasks(database)
    assert len(queued) >= 4 and all(status == "READY" for _, status, _ in queued)

    worker = subprocess.Popen(
        [sys.executable, "-m", "tribune", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    killed_task = _kill_while_a_task_runs(worker, database)
    assert (killed_task, "RUNNING") in {(path, status) for path, status, _ in _tasks(database)}

    _tribune(env, "worker", "--batch")
    finished = _tasks(database)
    assert len(finished) == len(queued)  # nothing enqueued twice
    assert {status for _, status, _ in finished} == {"SUCCESSFUL"}
    (rerun,) = [ids for path, _, ids in finished if path == killed_task]
    assert rerun.count(":") == 2  # two workers took it: the killed one and its successor
    assert _tribune(env, "shell", "--no-imports", "-c", SEARCH).strip() == "1"
