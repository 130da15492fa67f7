from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.articles.interchange import ImportProblem, import_files, markdown_files, parse_file
from tribune.articles.models import Article
from tribune.checks.base import Severity
from tribune.checks.cli import describe, draft_from_file
from tribune.checks.runner import run_checks


class Command(BaseCommand):
    help = (
        "Import Markdown files with YAML front matter (files or folders) as articles. The "
        "guideline checks run on each file first; a file with a blocking finding is refused "
        "unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--force",
            action="store_true",
            help="import files even when a guideline check finds a blocking problem",
        )

    def handle(self, *args: Any, paths: list[Path], force: bool = False, **options: Any) -> None:
        files = markdown_files(paths)
        held = self._check(files, force=force)
        report = import_files([path for path in files if path not in held])
        for note in report.notes:
            self.stdout.write(note)
        for article in report.imported:
            self.stdout.write(
                f"imported {article.language}/{article.slug} ({article.get_status_display()})"
            )
        problems = [*held.values(), *report.problems]
        for problem in problems:
            self.stderr.write(
                self.style.ERROR(f"{problem.path}: {problem.field}: {problem.message}")
            )
        summary = f"{len(report.imported)} imported, {len(problems)} refused"
        if problems:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _check(self, files: list[Path], *, force: bool) -> dict[Path, ImportProblem]:
        """Run the guideline checks on every readable file; print what they find and return
        the files refused for a blocking finding. Unreadable files are left to the import,
        which names the field at fault, and so are files whose article exists already."""
        held = {}
        for path in files:
            try:
                parsed = parse_file(path)
            except ImportProblem:
                continue
            if Article.objects.filter(language=parsed.language, slug=parsed.slug).exists():
                continue  # refused by the import anyway, which says why; nothing to check
            findings = run_checks(draft_from_file(parsed), language=settings.LANGUAGE_CODE)
            if not findings:
                continue
            self.stdout.write(f"{path}: the guideline checks found:")
            for finding in findings:
                self.stdout.write("\n".join(describe(finding)))
            blocking = [f for f in findings if f.severity == Severity.BLOCKING]
            if blocking and not force:
                checks = ", ".join(sorted({f.check for f in blocking}))
                held[path] = ImportProblem(
                    path, "checks", f"blocking findings ({checks}); fix them or use --force"
                )
        return held
