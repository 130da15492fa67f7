from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.newsletter import actions, bounces
from tribune.newsletter.models import Subscriber, normalize_email


class Command(BaseCommand):
    help = (
        "Read bounce reports (DSNs), complaint reports (ARF) and mails to the List-Unsubscribe "
        "mailto address from files, mbox files or folders: hard bounces, complaints and "
        "unsubscribe mails stop mail to the address at once, soft bounces when they repeat. "
        "Other messages (auto-replies) are counted and left alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Only say what was found.")

    def handle(self, *args: object, paths: list[Path], dry_run: bool, **options: object) -> None:
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder")
        counts = {
            "hard": 0,
            "soft": 0,
            "complaint": 0,
            "unsubscribe": 0,
            "unknown address": 0,
            "not a report": 0,
        }
        mailto = settings.TRIBUNE_NEWSLETTER_UNSUBSCRIBE_EMAIL
        for path in paths:
            for raw, message in bounces.messages_in(path):
                reports = bounces.reports_in(message)
                sender = bounces.unsubscribe_request(message, mailto)
                if sender:
                    counts["unsubscribe"] += 1
                    if not dry_run:
                        self._unsubscribe(sender, counts)
                elif not reports:
                    counts["not a report"] += 1
                for report in reports:
                    counts[report.kind] += 1
                    if dry_run:
                        continue
                    event = actions.record_bounce(
                        report.email,
                        report.kind,
                        status=report.status,
                        diagnostic=report.diagnostic,
                        raw=raw,
                    )
                    if event is None:
                        counts["unknown address"] += 1
        summary = ", ".join(f"{kind}: {n}" for kind, n in counts.items())
        self.stdout.write(("Would record " if dry_run else "Recorded ") + summary)

    def _unsubscribe(self, email: str, counts: dict[str, int]) -> None:
        subscriber = Subscriber.objects.filter(email=normalize_email(email)).first()
        if subscriber is None:
            counts["unknown address"] += 1
        else:
            actions.unsubscribe(subscriber, method="mailto")
