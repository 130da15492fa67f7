"""Task workers that can be killed at any moment (kill -9, a crash, a power cut).

django-tasks' database worker marks a task RUNNING when it takes it and never looks at it
again if the worker dies before the end. `tribune worker` therefore names itself
`<host>:<pid>`, and every worker start (and the `requeue_orphaned_tasks` chore) puts the
RUNNING tasks of this host's dead workers back in the queue. Tasks are idempotent (STYLE.md
rule 14: they take ids, reload fresh state and do nothing when the state has moved on), so
running a half-done one again completes it once.
"""

import logging
import os
import socket

from django.db.models import Q
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


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


def requeue_orphaned_tasks() -> int:
    """Put back in the queue the tasks that a dead worker on this host had taken."""
    host = socket.gethostname()[:50]
    requeued = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("worker_ids")
    for result in running.iterator():
        owner = result.worker_ids[-1] if result.worker_ids else ""
        owner_host, _, pid = owner.rpartition(":")
        if owner_host != host or not pid.isdigit() or _alive(int(pid)):
            continue
        # Conditional: if the task finished meanwhile, or another worker requeued it, skip.
        requeued += DBTaskResult.objects.filter(
            Q(pk=result.pk), Q(status=TaskResultStatus.RUNNING)
        ).update(status=TaskResultStatus.READY, started_at=None)
        logger.warning("requeued task %s of dead worker %s", result.pk, owner)
    return requeued
