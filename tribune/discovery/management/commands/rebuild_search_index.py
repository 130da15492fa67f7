import sys

from django.core.management.base import BaseCommand, CommandParser

from tribune.core.progress import ProgressBar
from tribune.discovery import search


class Command(BaseCommand):
    help = (
        "Index every published article for search again and drop everything else from the "
        "index. Searches keep working meanwhile."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Articles per transaction (500)."
        )

    def handle(self, *args: object, batch_size: int, **options: object) -> None:
        if batch_size < 1:
            self.stderr.write("--batch-size must be at least 1")
            sys.exit(2)
        ids = list(search.searchable_articles().order_by("pk").values_list("pk", flat=True))
        stale = search.backend().indexed_ids() - set(ids)
        total = len(ids) + len(stale)
        done = 0
        bar = ProgressBar(self.stdout)
        bar.count(done, total)
        # Upsert first, then drop the rest: the index is never empty while this runs.
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            search.update_index(chunk)
            done += len(chunk)
            bar.count(done, total)
        if stale:
            search.update_index(stale)
            done += len(stale)
            bar.count(done, total)
        bar.finish()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {len(ids)} articles, removed {len(stale)} from the index.")
        )
