from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tribune.newsletter import actions


class Command(BaseCommand):
    help = (
        "Delete newsletter sign-ups never confirmed within TRIBUNE_NEWSLETTER_CONFIRM_DAYS "
        "(GDPR storage limitation). Safe to run at any time, e.g. daily from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")

    def handle(self, *args: object, dry_run: bool, **options: object) -> None:
        count = actions.purge_pending(dry_run=dry_run)
        days = settings.TRIBUNE_NEWSLETTER_CONFIRM_DAYS
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} unconfirmed sign-ups older than {days} days.")
