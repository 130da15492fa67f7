import sys
import time

from django.core.management.base import BaseCommand

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
        bar = _ProgressBar(self.stderr)
        count = related.rebuild_all(bar.update)
        bar.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the related lists of {count} published articles "
                f"in {time.monotonic() - started:.1f} s."
            )
        )


class _ProgressBar:
    """A one-line bar on stderr: redrawn in place on a terminal, a line per tenth otherwise."""

    WIDTH = 30

    def __init__(self, stream) -> None:
        self.stream = stream
        self.tty = stream.isatty() if hasattr(stream, "isatty") else sys.stderr.isatty()
        self.last: tuple[str, int] = ("", -1)

    def update(self, phase: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        tenth = int(share * 10)
        if not self.tty and (phase, tenth) == self.last:
            return
        self.last = (phase, tenth)
        filled = int(share * self.WIDTH)
        line = f"{phase:>5} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}"
        if self.tty:
            self.stream.write(f"\r{line}", ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def finish(self) -> None:
        if self.tty:
            self.stream.write("")
