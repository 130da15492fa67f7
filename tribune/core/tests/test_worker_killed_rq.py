"""kill -9 a task worker on the RQ queue in the middle of a publication's follow-up work:
the job runs again, once, whether the next worker on the machine puts it back at its start
or RQ first records it as abandoned and the requeue chore puts it back. Real processes over
a throwaway site (SQLite file) and a throwaway redis-server, never the machine's own."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from redis import Redis
from rq.job import Job, JobStatus
from rq.queue import Queue
from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

from tribune.core.tests.test_worker_killed import PUBLISH, SEARCH, _tribune
from tribune.core.tests.test_worker_killed import _env as site_env
from tribune.testing.throwaway import redis_server

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="builds its own SQLite site whatever the suite's database: the SQLite pass runs it",
)

# What any worker's registry maintenance does once a dead worker's lease has run out.
LEASE_RUNS_OUT = (
    "import time, django_rq; from django_tasks_rq import Job; from rq.registry import "
    "StartedJobRegistry; StartedJobRegistry(queue=django_rq.get_queue('default', "
    "job_class=Job)).cleanup(timestamp=time.time() + 3600)"
)


def _env(data: Path, redis_url: str) -> dict[str, str]:
    return site_env(data) | {"REDIS_URL": redis_url, "TRIBUNE_TASK_QUEUE": "rq"}


def _started(queue: Queue) -> list[str]:
    return StartedJobRegistry(queue=queue).get_job_ids(cleanup=False)


def _kill_while_a_job_runs(worker: subprocess.Popen, database: Path, queue: Queue) -> str:
    """Catch the worker in a job, freeze it there (hold the SQLite write lock the job needs
    to record its work) and kill -9 it. Returns the id of the job left STARTED."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lock = sqlite3.connect(database, timeout=30, isolation_level=None)
        try:
            lock.execute("BEGIN IMMEDIATE")
            started = _started(queue)
            if started:
                time.sleep(0.3)  # a job that needs no write could finish: wait for a stuck one
                if _started(queue) == started:
                    worker.send_signal(signal.SIGKILL)
                    worker.wait(10)
                    return started[0]
        finally:
            lock.execute("ROLLBACK") if lock.in_transaction else None
            lock.close()
        time.sleep(0.002)
    pytest.fail("the worker never ran a job")


@contextmanager
def _site_with_a_worker_killed_mid_job(folder: Path, redis_url: str) -> Iterator[tuple]:
    env = _env(folder, redis_url)
    database = folder / "tribune.sqlite3"
    queue = Queue("default", connection=Redis.from_url(redis_url))
    _tribune(env, "migrate", "--noinput")
    _tribune(env, "shell", "-c", PUBLISH)
    queued = set(queue.get_job_ids())
    assert len(queued) >= 4

    # A session of its own: whatever the killed worker leaves behind is killed at the end.
    worker = subprocess.Popen(
        [sys.executable, "-m", "tribune", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        killed = _kill_while_a_job_runs(worker, database, queue)
        job = Job.fetch(killed, connection=queue.connection)
        assert job.get_status() == JobStatus.STARTED  # killed in the middle of it
        assert job.worker_name.endswith(f":{worker.pid}")
        yield env, queue, queued, job
    finally:
        with suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)


def _assert_every_job_completed_once(
    env: dict, queue: Queue, queued: set, killed: Job, *, history: list[str]
) -> None:
    """Every job finished, nothing was enqueued twice, each job has one successful run (the
    killed one also the `history` of its earlier attempts, newest first), and the work is
    there once."""
    connection = queue.connection
    assert {key.decode().removeprefix("rq:job:") for key in connection.keys("rq:job:*")} == queued
    for job in Job.fetch_many(sorted(queued), connection=connection):
        assert job.get_status() == JobStatus.FINISHED, job.func_name
        expected = history if job.id == killed.id else ["SUCCESSFUL"]
        assert [result.type.name for result in job.results()] == expected, job.func_name
    assert set(FinishedJobRegistry(queue=queue).get_job_ids()) == queued
    assert FailedJobRegistry(queue=queue).get_job_ids() == []
    assert _started(queue) == [] and queue.count == 0
    rerun = Job.fetch(killed.id, connection=connection)
    assert rerun.meta["tribune_requeues"] == 1
    assert rerun.worker_name != killed.worker_name  # its successor ran it
    assert _tribune(env, "shell", "--no-imports", "-c", SEARCH).strip() == "1"


def test_the_next_worker_on_the_machine_runs_a_killed_workers_job_again_once(tmp_path):
    with (
        redis_server() as server,
        _site_with_a_worker_killed_mid_job(tmp_path, server.url) as (env, queue, queued, killed),
    ):
        _tribune(env, "worker", "--batch")
        # A kill -9 leaves no record: the one run on record is the successful one.
        _assert_every_job_completed_once(env, queue, queued, killed, history=["SUCCESSFUL"])


def test_a_job_rq_found_abandoned_is_put_back_once_by_the_chore(tmp_path):
    with (
        redis_server() as server,
        _site_with_a_worker_killed_mid_job(tmp_path, server.url) as (env, queue, queued, killed),
    ):
        _tribune(env, "shell", "-c", LEASE_RUNS_OUT)
        failure = Job.fetch(killed.id, connection=queue.connection).latest_result()
        assert "AbandonedJobError" in failure.exc_string
        assert FailedJobRegistry(queue=queue).get_job_ids() == [killed.id]

        assert _tribune(env, "requeue_orphaned_tasks").strip() == "Requeued 1 task(s)."
        assert _tribune(env, "requeue_orphaned_tasks").strip() == "Requeued 0 task(s)."
        _tribune(env, "worker", "--batch")
        _assert_every_job_completed_once(
            env, queue, queued, killed, history=["SUCCESSFUL", "FAILED"]
        )
