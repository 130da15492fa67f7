from typing import Any

from django.core.management.base import BaseCommand

from tribune.core.workers import requeue_orphaned_tasks


class Command(BaseCommand):
    help = "Put back in the queue the tasks that a dead worker on this machine had taken."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Requeued {requeue_orphaned_tasks()} task(s).")
