from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.articles.interchange import import_files


class Command(BaseCommand):
    help = "Import Markdown files with YAML front matter (files or folders) as articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        report = import_files(paths)
        for note in report.notes:
            self.stdout.write(note)
        for article in report.imported:
            self.stdout.write(
                f"imported {article.language}/{article.slug} ({article.get_status_display()})"
            )
        for problem in report.problems:
            self.stderr.write(
                self.style.ERROR(f"{problem.path}: {problem.field}: {problem.message}")
            )
        summary = f"{len(report.imported)} imported, {len(report.problems)} refused"
        if report.problems:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
