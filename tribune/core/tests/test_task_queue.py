"""Which task queue the settings choose (the database, or RQ on Redis), /readyz for the RQ
queue, and an RQ worker that starts where a killed one with the same pid was registered."""

import json
import os
import subprocess
import sys
import time

import pytest
from rq.worker import WorkerStatus

from tribune.testing.throwaway import redis_server

SHOW = (
    "import json, tribune.settings as s; "
    "print(json.dumps([s.TRIBUNE_TASK_QUEUE, s.TASKS['default']['BACKEND'], s.RQ_QUEUES]))"
)


def _settings_with(tmp_path, **variables: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"} and not key.startswith("TRIBUNE_")
    }
    env |= {"TRIBUNE_DATA_DIR": str(tmp_path), **variables}
    return subprocess.run(
        [sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "variables, queue, backend",
    [
        ({}, "database", "django_tasks_db.DatabaseBackend"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/3"}, "rq", "tribune.core.redisqueue.RQBackend"),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/3", "TRIBUNE_TASK_QUEUE": "database"},
            "database",
            "django_tasks_db.DatabaseBackend",
        ),
    ],
)
def test_redis_url_puts_tasks_on_rq_unless_told_otherwise(tmp_path, variables, queue, backend):
    done = _settings_with(tmp_path, **variables)
    assert done.returncode == 0, done.stderr
    chosen, configured, rq_queues = json.loads(done.stdout)
    assert (chosen, configured) == (queue, backend)
    if "REDIS_URL" in variables:  # no time limit on a job, as with the database queue
        assert rq_queues == {"default": {"URL": variables["REDIS_URL"], "DEFAULT_TIMEOUT": -1}}


def test_the_rq_queue_without_redis_is_refused_with_a_clear_message(tmp_path):
    done = _settings_with(tmp_path, TRIBUNE_TASK_QUEUE="rq")
    assert done.returncode != 0
    assert "TRIBUNE_TASK_QUEUE=rq needs REDIS_URL" in done.stderr


def test_tests_run_tasks_at_once_whatever_the_queue(settings):
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


@pytest.fixture
def rq_queue(settings):
    """The RQ task backend on a throwaway redis-server, for this test only."""
    with redis_server() as server:
        settings.RQ_QUEUES = {"default": {"URL": server.url, "DEFAULT_TIMEOUT": -1}}
        settings.TASKS = {"default": {"BACKEND": "tribune.core.redisqueue.RQBackend"}}
        yield server


@pytest.mark.django_db
def test_readiness_follows_the_redis_of_the_rq_queue(client, rq_queue):
    assert client.get("/readyz").json()["checks"]["queue"] == "ok"
    rq_queue.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == "unavailable"
    rq_queue.start()
    assert client.get("/readyz").status_code == 200


def test_a_worker_starts_where_a_killed_one_with_its_pid_is_still_registered(rq_queue):
    from django_tasks_rq import Job

    from tribune.core.redisqueue import TribuneWorker, _queues
    from tribune.core.workers import this_worker_id

    queues = _queues()
    # A worker that had this process's pid, killed (kill -9) before it could record its death.
    killed = TribuneWorker(
        queues, connection=queues[0].connection, job_class=Job, name=this_worker_id()
    )
    killed.register_birth()

    successor = TribuneWorker(
        queues, connection=queues[0].connection, job_class=Job, name=this_worker_id()
    )
    successor.register_birth()  # RQ alone would refuse: "an active worker named ... already"
    successor.set_state(WorkerStatus.IDLE)
    assert not queues[0].connection.hexists(successor.key, "death")
    successor.register_death()


def test_a_worker_renews_the_lease_of_a_long_job_while_it_runs(rq_queue):
    from django_tasks_rq import Job
    from rq.registry import StartedJobRegistry

    from tribune.core.redisqueue import TribuneWorker, _queues

    (queue,) = _queues()
    worker = TribuneWorker(
        [queue], connection=queue.connection, job_class=Job, job_monitoring_interval=1
    )
    worker.register_birth()
    registry = StartedJobRegistry(queue=queue)
    leases = []

    def long_job(job, queue, execution):  # stands for a task that takes its time
        for _ in range(4):
            leases.append(queue.connection.zscore(registry.key, execution.composite_key))
            time.sleep(0.6)

    worker.perform_job = long_job
    job = queue.enqueue_job(queue.create_job("tribune.submissions.tasks.publish_due"))
    worker.execute_job(job, queue)
    # Each renewal pushes the lease's end further; it is short, so a dead worker's job is
    # found abandoned soon after (RQ's SimpleWorker would hold it for the job's time limit).
    assert leases == sorted(leases) and leases[-1] > leases[0]
    assert leases[0] - time.time() < 120


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tasks_queued_while_redis_is_away_wait_in_the_database_and_run_later(
    settings, mailbox, caplog
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from tribune.core.tasks import send_mail

    with redis_server() as server:
        settings.RQ_QUEUES = {"default": {"URL": server.url, "DEFAULT_TIMEOUT": -1}}
        settings.TASKS = {
            "default": {"BACKEND": "tribune.core.redisqueue.RQBackend"},
            "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        }
        server.stop()
        url = "https://news.example.org/confirm/1/"
        # What an action does after its change is committed: it must not fail for Redis.
        send_mail.enqueue("reader@example.org", "newsletter/mail/confirm", {"url": url}, "en")
        assert "task queue on Redis unavailable" in caplog.text
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        assert mailbox == []
        call_command("worker", "--fallback", verbosity=0)  # the run_database_tasks chore
        [message] = mailbox
        assert message["To"] == "reader@example.org"
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"
