"""Periodic chores, run once per time slot however many machines call `tribune run_chores`.

Each chore is a management command with a period and an offset into it (UTC). A systemd
timer (docs/deployment.md) runs `tribune run_chores` every few minutes on every machine;
for each chore whose current slot has no ChoreRun row yet, the first process to insert one
runs it. A slot missed while the site was down runs at the next call (catch-up), once.
"""

import datetime
import io
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from tribune.core.models import ChoreRun

logger = logging.getLogger(__name__)

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
# Slots count from this instant; 1970-01-05 was a Monday, so weekly slots start on Mondays.
EPOCH = datetime.datetime(1970, 1, 5, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Chore:
    name: str
    every: datetime.timedelta
    command: tuple[str, ...]
    offset: datetime.timedelta = datetime.timedelta(0)
    enabled: Callable[[], bool] = field(default=lambda: True)
    per_host: bool = False  # runs once per slot on every machine, not once in all

    @property
    def run_name(self) -> str:
        """The name its ChoreRun rows carry: per-host chores add the host."""
        return f"{self.name}@{socket.gethostname()}"[:64] if self.per_host else self.name

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        """The start of the period `now` falls in."""
        periods = (now - EPOCH - self.offset) // self.every
        return EPOCH + self.offset + periods * self.every


CHORES: tuple[Chore, ...] = (
    Chore("publish_due", 5 * MINUTE, ("publish_due",)),
    # Per machine: only this host's dead workers' tasks, so the slot is the host's own.
    Chore("requeue_orphaned_tasks", 5 * MINUTE, ("requeue_orphaned_tasks",), per_host=True),
    Chore("resume_editions", 15 * MINUTE, ("send_edition", "--resume")),
    # With the queue on Redis: the tasks that waited in the database while Redis was away.
    Chore(
        "run_database_tasks",
        5 * MINUTE,
        ("worker", "--fallback"),
        enabled=lambda: "database" in settings.TASKS and settings.TRIBUNE_TASK_QUEUE == "rq",
    ),
    Chore("editor_digest", DAY, ("send_editor_digest",), offset=6 * HOUR),
    Chore("daily_digest", DAY, ("send_edition", "--digest", "daily"), offset=7 * HOUR),
    Chore("weekly_digest", 7 * DAY, ("send_edition", "--digest", "weekly"), offset=7 * HOUR),
    Chore("purge_pending", DAY, ("purge_pending",), offset=3 * HOUR),
    Chore(
        "restore_counter_noticed",
        DAY,
        ("restore_counter_noticed",),
        offset=4 * HOUR,
        enabled=lambda: settings.TRIBUNE_DMCA,
    ),
    # DSA art. 24(5): statements of reasons to the Commission's Transparency Database.
    Chore(
        "submit_statements",
        HOUR,
        ("submit_statements",),
        enabled=lambda: bool(settings.TRIBUNE_TDB_TOKEN),
    ),
)


def claim(chore: Chore, now: datetime.datetime) -> ChoreRun | None:
    """The run of this slot if this process got it; None if another one did."""
    try:
        with transaction.atomic():
            return ChoreRun.objects.create(
                chore=chore.run_name, slot=chore.slot(now), host=socket.gethostname()
            )
    except IntegrityError:
        return None


def run_due(
    now: datetime.datetime | None = None, *, only: str | None = None
) -> list[tuple[Chore, ChoreRun]]:
    """Run every enabled chore whose current slot nobody has claimed; return what ran here."""
    now = now or timezone.now()
    ran = []
    for chore in CHORES:
        if (only and chore.name != only) or not chore.enabled():
            continue
        run = claim(chore, now)
        if run is None:
            continue
        output = io.StringIO()
        try:
            call_command(*chore.command, stdout=output, stderr=output)
        except Exception:  # one failing chore must not stop the others; the row says it failed
            logger.exception("chore %s failed", chore.name)
            run.failed = True
        run.output = output.getvalue()[-10_000:]
        run.finished_at = timezone.now()
        run.save(update_fields=["failed", "output", "finished_at"])
        ran.append((chore, run))
    return ran
