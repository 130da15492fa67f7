from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tribune.core.workers import requeue_orphaned_tasks, this_worker_id


class Command(BaseCommand):
    help = (
        "Run background tasks (the database task queue) until stopped. On start, tasks that "
        "a killed worker on this machine left half-done go back in the queue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        requeued = requeue_orphaned_tasks()
        if requeued:
            self.stderr.write(f"Requeued {requeued} task(s) left running by a dead worker.")
        call_command(
            "db_worker", batch=batch, worker_id=this_worker_id(), verbosity=options["verbosity"]
        )
