import time

from django.conf import settings
from django.core.management.base import BaseCommand

from tribune.checks import dupindex
from tribune.core.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Rebuild the near-duplicate index from every published and pending article "
        "(idempotent; the index keeps answering meanwhile)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the articles and change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        if dry_run:
            count = dupindex.wanted_count()
            self.stdout.write(f"Would index {count} published and pending articles.")
            return
        started = time.monotonic()
        bar = ProgressBar(self.stderr)
        count = dupindex.rebuild(bar.count)
        bar.finish()
        where = settings.TRIBUNE_DUPLICATE_INDEX.rsplit(".", 1)[-1]
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count} published and pending articles ({where}) "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
