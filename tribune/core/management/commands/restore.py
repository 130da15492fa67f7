import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.core import backup
from tribune.core.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Restore a `tribune backup` archive into this install, which must be empty (a new "
        "database after `tribune migrate`, at the same Tribune version). The archive is "
        "checked first; a damaged one is refused and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The .tar.gz archive written by `tribune backup`.")

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        started = time.monotonic()
        bar = ProgressBar(self.stderr)
        try:
            restored = backup.restore_backup(source, bar.update)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        bar.finish()
        for warning in restored.warnings:
            self.stderr.write(self.style.WARNING(warning))
        manifest = restored.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(restored.rows.values())} rows of {len(restored.rows)} tables "
                f"and {restored.files} files from {source} (made {manifest['created_at']} on "
                f"{manifest['database_engine']}) in {time.monotonic() - started:.1f} s; the "
                "search index was rebuilt."
            )
        )
        self.stdout.write(f"Content hash: {manifest['content_hash']}")
