import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tribune.submissions.actions import send_editor_digests


class Command(BaseCommand):
    help = "Mail the daily digest of new submissions to the editors who chose it (run once a day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24, help="How far back to look.")

    def handle(self, *args: Any, hours: int, **options: Any) -> None:
        sent = send_editor_digests(timezone.now() - datetime.timedelta(hours=hours))
        self.stdout.write(f"sent {sent} digests")
