import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tribune.articles.interchange import ImportProblem, markdown_files, parse_file
from tribune.checks.base import REGISTRY, Severity
from tribune.checks.cli import describe, draft_from_file
from tribune.checks.runner import effective_settings, run_checks

# Exit statuses: scripts and CI tell "the text has a blocking problem" from "no text".
BLOCKED, UNREADABLE = 1, 2


class Command(BaseCommand):
    help = (
        "Run every guideline check on Markdown files in the import format (files or "
        "folders) against the articles on this site, and print what they find. Exit "
        "status 1 when something blocks, 2 when a file cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the messages (default: LANGUAGE_CODE)",
        )
        parser.add_argument(
            "--list", action="store_true", help="list the checks, their switches and options"
        )

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        if options["list"]:
            self._list(as_json=options["json"])
            return
        if not paths:
            raise CommandError("Name at least one file or folder (or use --list).")
        results, problems = [], []
        for path in markdown_files(paths):
            try:
                parsed = parse_file(path)
            except ImportProblem as problem:
                problems.append(problem)
                continue
            findings = run_checks(draft_from_file(parsed), language=options["language"])
            results.append((path, findings))
        if options["json"]:
            self._print_json(results, problems)
        else:
            self._print_text(results)
        for problem in problems:
            self.stderr.write(f"{problem.path}: {problem.field}: {problem.message}")
        if problems:
            raise CommandError(f"{len(problems)} file(s) could not be read", returncode=UNREADABLE)
        blocked = sum(
            any(f.severity == Severity.BLOCKING for f in findings) for _path, findings in results
        )
        if blocked:
            raise CommandError(f"{blocked} file(s) with blocking findings", returncode=BLOCKED)

    def _print_text(self, results: list) -> None:
        for path, findings in results:
            self.stdout.write(str(path))
            for finding in findings:
                self.stdout.write("\n".join(describe(finding)))
            if not findings:
                self.stdout.write("  nothing found")

    def _print_json(self, results: list, problems: list) -> None:
        document = {
            "files": [
                {"path": str(path), "findings": [finding.as_json() for finding in findings]}
                for path, findings in results
            ],
            "unreadable": [
                {"path": str(p.path), "field": p.field, "message": p.message} for p in problems
            ],
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _list(self, *, as_json: bool) -> None:
        current = effective_settings()
        rows = [
            {
                "name": name,
                "label": str(REGISTRY[name].label),
                "enabled": current[name].enabled,
                "options": current[name].options,
            }
            for name in sorted(current)
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            state = "on " if row["enabled"] else "off"
            self.stdout.write(
                f"{state} {row['name']} ({row['label']}): {json.dumps(row['options'])}"
            )
