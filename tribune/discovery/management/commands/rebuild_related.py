import time

from django.core.management.base import BaseCommand

from tribune.core.progress import ProgressBar
from tribune.discovery import related


class Command(BaseCommand):
    help = "Rebuild the related-articles index and every article's 'You might also like' list."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the articles and change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        if dry_run:
            count = related.public_article_count()
            self.stdout.write(f"Would rebuild the related lists of {count} published articles.")
            return
        started = time.monotonic()
        bar = ProgressBar(self.stderr)
        count = related.rebuild_all(bar.update)
        bar.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the related lists of {count} published articles "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
