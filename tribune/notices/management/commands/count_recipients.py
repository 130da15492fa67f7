import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tribune.notices import actions
from tribune.notices.recipients import count_recipients, lines_of


def _month(value: str) -> datetime.date:
    try:
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        raise CommandError(f"--month takes YYYY-MM; got {value!r}") from None


class Command(BaseCommand):
    help = (
        "Count the unique recipients of a month from web server access logs (combined "
        "format, .gz too) for the DSA art. 24(2) figure; only the number is stored. Pass "
        "every log file that covers the month. Running it again replaces the month's figure."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("logs", nargs="+", type=Path, help="access log files")
        parser.add_argument(
            "--month", type=_month, help="YYYY-MM; the previous calendar month by default"
        )
        parser.add_argument("--dry-run", action="store_true", help="print, do not store")

    def handle(self, *args: Any, **options: Any) -> None:
        month = options["month"]
        if month is None:
            first = timezone.now().date().replace(day=1)
            month = (first - datetime.timedelta(days=1)).replace(day=1)
        for path in options["logs"]:
            if not path.is_file():
                raise CommandError(f"No such log file: {path}")
        recipients = count_recipients(lines_of(options["logs"]), month)
        if not options["dry_run"]:
            actions.record_recipient_count(month, recipients)
        verb = "would store" if options["dry_run"] else "stored"
        self.stdout.write(f"{month:%Y-%m}: {recipients} recipient(s), {verb}")
