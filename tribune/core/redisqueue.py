"""The task queue on Redis (django-tasks-rq, RQ underneath): the worker `tribune worker`
runs, and putting back the jobs of workers killed in the middle of one.

What RQ does by itself when a worker dies with a job (kill -9, out of memory, a power cut):
the job stays STARTED in the queue's StartedJobRegistry, under a lease that the worker's
heartbeat keeps renewing. Once the lease has run out, the registry maintenance of any other
worker (every ten minutes) records the job as failed, with an AbandonedJobError, in the
FailedJobRegistry, and there it stays: django-tasks-rq asks for no retries. Tasks are
idempotent (STYLE.md rule 14), so we run such a job again instead, once:

- when `tribune worker` starts, and from the `requeue_orphaned_tasks` chore, the STARTED
  jobs of dead workers on this host (workers are named `<host>:<pid>`, as for the database
  queue) go back in the queue at once, without waiting for the lease;
- the same chore puts back the jobs that RQ recorded as abandoned: a worker on a machine
  that never came back, or one that was gone longer than its lease.

Either way, taking the entry out of its registry is the conditional step (ZREM answers 1 to
one caller only), so two machines doing this at once put a job back once. A job that has
killed its worker MAX_REQUEUES times is left failed (in the admin's RQ pages) rather than
put back forever.

The worker runs each job in its own process (RQ's SimpleWorker) rather than in a forked
child: a killed worker takes its job with it, like the database worker, and no orphan goes on
working on a job that has been put back. A thread renews the lease while a job runs, so a
job may run as long as it needs (queues have no time limit, settings.RQ_QUEUES).
"""

import ctypes
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

import django_rq.queues
import django_tasks_rq
from django import db
from django.conf import settings
from django.core.checks import CheckMessage
from django_tasks import task_backends
from django_tasks.base import Task, TaskResult
from django_tasks_rq import Job
from redis import Redis
from redis.exceptions import RedisError
from rq.exceptions import InvalidJobOperation
from rq.executions import Execution
from rq.job import JobStatus
from rq.queue import Queue
from rq.registry import FailedJobRegistry, StartedJobRegistry
from rq.utils import now, utcformat
from rq.worker import BaseWorker, SimpleWorker, WorkerStatus

from tribune.core.workers import FALLBACK_QUEUE

logger = logging.getLogger(__name__)

# Times one job may be put back after killing its worker; after that it stays failed.
MAX_REQUEUES = 3
REQUEUES_META = "tribune_requeues"
ABANDONED = "AbandonedJobError"  # what RQ writes in the failure of an abandoned job


class RQBackend(django_tasks_rq.RQBackend):
    """django-tasks-rq's backend, without its demand that django_rq be an installed app. It
    works as a library; as an app it would add migrations to RQ sites only, and a backup
    carries its site's migrations, so the SQLite demo's could not be restored into a
    PostgreSQL + Redis site (tribune/core/backup.py)."""

    def check(self, **kwargs: Any) -> Iterable[CheckMessage]:
        for message in super().check(**kwargs):
            if "django_rq app not installed" not in message.msg:
                yield message

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        """A task that Redis cannot take now (Redis away) waits in the database queue, which
        the `run_database_tasks` chore empties: the change that queued it is committed
        already, and the work it needs (mail, indexes, pages) must not be lost with Redis."""
        try:
            return super().enqueue(task, args, kwargs)
        except RedisError as error:
            logger.error(
                "task queue on Redis unavailable (%s); %s waits in the database queue",
                error,
                task.name,
            )
            return task.using(backend=FALLBACK_QUEUE).enqueue(*args, **kwargs)


class TribuneWorker(SimpleWorker):
    """RQ's SimpleWorker, with a lease renewed during jobs and a name that may be reused."""

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        # SimpleWorker holds a lease as long as the job's time limit (without one, seven
        # minutes). Ours is short, since _renew_lease renews it for as long as the job runs:
        # a dead worker's job is known as abandoned a minute and a half later.
        return BaseWorker.get_heartbeat_ttl(self, job, working_time)

    def execute_job(self, job: Job, queue: Queue) -> None:
        execution = self.prepare_execution(job)
        finished = threading.Event()
        renewer = threading.Thread(
            target=self._renew_lease, args=(job, execution, finished), daemon=True
        )
        renewer.start()
        try:
            self.perform_job(job, queue, execution)
        finally:
            finished.set()
            renewer.join()
        self.set_state(WorkerStatus.IDLE)

    def _renew_lease(self, job: Job, execution: Execution, finished: threading.Event) -> None:
        while not finished.wait(self.job_monitoring_interval):
            try:
                self.maintain_heartbeats(job, execution)
            except Exception:  # a failed beat must not end the renewals: the next one may work
                logger.exception("could not renew the lease of job %s", job.id)

    def register_birth(self) -> None:
        # RQ refuses to start a worker whose name a live worker holds. Ours is `<host>:<pid>`
        # and this process has that pid, so a holder is a killed predecessor that had the
        # same pid (containers restart with the same one): record its death first.
        if self.connection.exists(self.key) and not self.connection.hexists(self.key, "death"):
            self.connection.hset(self.key, "death", utcformat(now()))
        super().register_birth()


def _queues() -> list[Queue]:
    backend = task_backends["default"]
    return django_rq.queues.get_queues(*sorted(backend.queues), job_class=Job)


def run_worker(name: str, *, batch: bool) -> None:
    """Work the queues of the default task backend until stopped (SIGTERM lets the job in
    hand finish), or with `batch` until they are empty. Its scheduler moves tasks enqueued
    with `run_after` into the queue when their time comes (one worker's scheduler does it for
    all, under a lock in Redis)."""
    queues = _queues()
    worker = TribuneWorker(
        queues,
        connection=queues[0].connection,
        job_class=Job,
        queue_class=type(queues[0]),
        name=name,
    )
    # The scheduler is a forked child: it must not share our database connections, and it
    # must stop when we die, even by kill -9, or it would outlive us and hold its lock.
    db.connections.close_all()
    os.register_at_fork(after_in_child=_die_with_parent)
    worker.work(burst=batch, with_scheduler=True, logging_level=None)


def _die_with_parent() -> None:
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def requeue_abandoned_jobs(is_dead_here: Callable[[str], bool]) -> int:
    """Put back in the queue the jobs of dead workers: STARTED ones whose worker on this
    host is dead (`is_dead_here`), and those RQ recorded as abandoned. Returns how many."""
    requeued = 0
    for queue in _queues():
        requeued += _requeue_started(queue, is_dead_here) + _requeue_abandoned(queue)
    return requeued


def _requeue_started(queue: Queue, is_dead_here: Callable[[str], bool]) -> int:
    registry = StartedJobRegistry(queue=queue)
    requeued = 0
    for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
        job = queue.fetch_job(job_id)
        if job is None or job.get_status() != JobStatus.STARTED or not job.worker_name:
            continue
        if not is_dead_here(job.worker_name):
            continue
        # Conditional: if the job finished meanwhile, or another process took it, skip.
        if not queue.connection.zrem(registry.key, f"{job_id}:{execution_id}"):
            continue
        if _requeues(job) >= MAX_REQUEUES:
            reason = f"{ABANDONED}: worker {job.worker_name} died; put back {MAX_REQUEUES} times"
            with queue.connection.pipeline() as pipeline:
                job.set_status(JobStatus.FAILED, pipeline=pipeline)
                FailedJobRegistry(queue=queue).add(job, exc_string=reason, pipeline=pipeline)
                pipeline.execute()
            logger.error(
                "job %s (%s) killed its worker too often: %s", job.id, job.func_name, reason
            )
            continue
        dead_worker = job.worker_name
        job.meta[REQUEUES_META] = _requeues(job) + 1
        job.started_at = None
        queue.enqueue_job(job)
        requeued += 1
        logger.warning("requeued job %s (%s) of dead worker %s", job.id, job.func_name, dead_worker)
    return requeued


def _requeue_abandoned(queue: Queue) -> int:
    registry = FailedJobRegistry(queue=queue)
    requeued = 0
    for job_id in registry.get_job_ids(cleanup=False):
        job = queue.fetch_job(job_id)
        if job is None or _requeues(job) >= MAX_REQUEUES:
            continue
        failure = job.latest_result()
        if failure is None or ABANDONED not in (failure.exc_string or ""):
            continue  # a task that raised: its failure stands
        job.meta[REQUEUES_META] = _requeues(job) + 1
        try:
            registry.requeue(job)  # ZREM first: raises if another process took it
        except InvalidJobOperation:
            continue
        requeued += 1
        logger.warning("requeued job %s (%s), abandoned by its worker", job.id, job.func_name)
    return requeued


def _requeues(job: Job) -> int:
    return int(job.meta.get(REQUEUES_META, 0))


def queue_ready() -> bool:
    """Redis answers for every queue of the task backend, within half a second (a client of
    its own: RQ's connections wait minutes on purpose, for blocking reads)."""
    for name in sorted(task_backends["default"].queues):
        url = settings.RQ_QUEUES[name]["URL"]
        with Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5) as client:
            client.ping()
    return True
