"""Task workers that can be killed at any moment (kill -9, a crash, a power cut), for
either task queue (settings.TRIBUNE_TASK_QUEUE): the database one and RQ on Redis.

django-tasks' database worker marks a task RUNNING when it takes it and never looks at it
again if the worker dies before the end. `tribune worker` therefore names itself
`<host>:<pid>`, and every worker start (and the `requeue_orphaned_tasks` chore) puts the
RUNNING tasks of this host's dead workers back in the queue. Tasks are idempotent (STYLE.md
rule 14: they take ids, reload fresh state and do nothing when the state has moved on), so
running a half-done one again completes it once. RQ's side of this is in redisqueue.py.
"""

import logging
import os
import socket
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import RQBackend

logger = logging.getLogger(__name__)
# The database queue beside RQ for tasks queued while Redis is away (settings.TASKS).
FALLBACK_QUEUE = "database"


def this_worker_id() -> str:
    # db_worker allows up to 64 characters; the pid is what tells whether it still runs.
    return f"{socket.gethostname()[:50]}:{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, run by someone else
        return True
    return True


def queue_kind() -> str:
    """Which queue the default task backend is: "database", "rq" or "immediate" (tests)."""
    backend = task_backends["default"]
    if isinstance(backend, DatabaseBackend):
        return "database"
    if isinstance(backend, RQBackend):
        return "rq"
    return "immediate"


def _dead_here(*, starting: bool) -> Callable[[str], bool]:
    """Whether a worker id names a dead worker of this host. A starting worker has not
    taken anything yet, so its own pid, if a predecessor had it, is dead too."""
    host = socket.gethostname()[:50]

    def is_dead(worker_id: str) -> bool:
        owner_host, _, pid = worker_id.rpartition(":")
        if owner_host != host or not pid.isdigit():
            return False
        return (starting and int(pid) == os.getpid()) or not _alive(int(pid))

    return is_dead


def requeue_orphaned_tasks(*, starting: bool = False, fallback: bool = False) -> int:
    """Put back in the queue the tasks that dead workers had taken (those of this host's
    workers; with RQ, also those RQ found abandoned anywhere). Returns how many.
    `fallback`: only those of the database queue beside RQ (which works without Redis)."""
    kind = queue_kind()
    is_dead = _dead_here(starting=starting)
    if kind == "rq":
        # First the tasks that waited in the database while Redis was away: this part
        # needs no Redis, and Redis may be away still.
        requeued = _requeue_database_tasks(is_dead) if FALLBACK_QUEUE in settings.TASKS else 0
        if fallback:
            return requeued
        from tribune.core.redisqueue import requeue_abandoned_jobs

        return requeued + requeue_abandoned_jobs(is_dead)
    if kind == "database":
        return _requeue_database_tasks(is_dead)
    return 0


def _requeue_database_tasks(is_dead: Callable[[str], bool]) -> int:
    requeued = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("worker_ids")
    for result in running.iterator():
        owner = result.worker_ids[-1] if result.worker_ids else ""
        if not is_dead(owner):
            continue
        # Conditional: if the task finished meanwhile, or another worker requeued it, skip.
        requeued += DBTaskResult.objects.filter(
            Q(pk=result.pk), Q(status=TaskResultStatus.RUNNING)
        ).update(status=TaskResultStatus.READY, started_at=None)
        logger.warning("requeued task %s of dead worker %s", result.pk, owner)
    return requeued


def run_worker(*, batch: bool, fallback: bool = False, verbosity: int = 1) -> None:
    """Run tasks from the configured queue as this worker (`<host>:<pid>`) until stopped,
    or with `batch` until the queue is empty. `fallback`: the database queue that takes the
    tasks queued while Redis was away (settings.TASKS), then exit."""
    kind = queue_kind()
    if fallback:
        if FALLBACK_QUEUE in settings.TASKS:
            # As arguments: db_worker checks --backend's default before keyword options.
            call_command(
                "db_worker",
                f"--backend={FALLBACK_QUEUE}",
                "--batch",
                f"--worker-id={this_worker_id()}",
                verbosity=verbosity,
            )
    elif kind == "rq":
        from tribune.core.redisqueue import run_worker as run_rq_worker

        run_rq_worker(this_worker_id(), batch=batch)
    elif kind == "database":
        call_command("db_worker", batch=batch, worker_id=this_worker_id(), verbosity=verbosity)
    else:
        raise RuntimeError("the task backend runs tasks at once: there is no queue to work")


def queue_ready() -> bool:
    """The task queue answers: its table, or its Redis."""
    kind = queue_kind()
    if kind == "rq":
        from tribune.core.redisqueue import queue_ready as redis_ready

        return redis_ready()
    if kind == "database":
        DBTaskResult.objects.exists()
    return True
