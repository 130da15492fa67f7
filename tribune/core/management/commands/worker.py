from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tribune.core.workers import requeue_orphaned_tasks, run_worker


class Command(BaseCommand):
    help = (
        "Run background tasks until stopped, from the task queue the settings choose (the "
        "database, or RQ on Redis). On start, tasks that a killed worker on this machine left "
        "half-done go back in the queue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Exit when the queue is empty (RQ: burst mode; due scheduled tasks run too).",
        )
        parser.add_argument(
            "--fallback",
            action="store_true",
            help=(
                "With RQ: run the tasks that waited in the database while Redis was away, "
                "then exit."
            ),
        )

    def handle(self, *args: Any, batch: bool, fallback: bool, **options: Any) -> None:
        requeued = requeue_orphaned_tasks(starting=True, fallback=fallback)
        if requeued:
            self.stderr.write(f"Requeued {requeued} task(s) left running by a dead worker.")
        run_worker(batch=batch, fallback=fallback, verbosity=options["verbosity"])
