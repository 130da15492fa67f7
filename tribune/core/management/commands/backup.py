import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tribune.core import backup
from tribune.core.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Write the site's database content (portable JSON lines) and files (media, private "
        "attachments) to one .tar.gz archive, read in one consistent snapshot while the site "
        "runs. `tribune restore` reads it back into an empty install, SQLite or PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            default="",
            help="Archive to write, or a folder for it "
            "(default: ./tribune-backup-<UTC time>.tar.gz).",
        )
        parser.add_argument(
            "--hash",
            action="store_true",
            dest="print_hash",
            help="Print the content hash of this database and write nothing (the hash a "
            "restore of a backup of it must give).",
        )

    def handle(self, *args: Any, path: str, print_hash: bool, **options: Any) -> None:
        if print_hash:
            self.stdout.write(backup.database_content_hash())
            return
        destination = _destination(path)
        started = time.monotonic()
        bar = ProgressBar(self.stderr)
        try:
            manifest = backup.create_backup(destination, bar.update)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        bar.finish()
        rows = sum(entry["rows"] for entry in manifest["models"].values())
        files = sum(1 for name in manifest["files"] if not name.startswith("db/"))
        size = destination.stat().st_size / 1e6
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {destination}: {rows} rows of {len(manifest['models'])} tables and "
                f"{files} files, {size:.1f} MB, in {time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write(f"Content hash: {manifest['content_hash']}")


def _destination(path: str) -> Path:
    name = f"tribune-backup-{timezone.now():%Y%m%dT%H%M%SZ}.tar.gz"
    if not path:
        return Path.cwd() / name
    chosen = Path(path)
    if chosen.is_dir():
        return chosen / name
    if not chosen.parent.is_dir():
        raise CommandError(f"The folder {chosen.parent} does not exist.")
    return chosen
