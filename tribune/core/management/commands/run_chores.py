from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tribune.core.chores import CHORES, run_due
from tribune.core.models import ChoreRun


class Command(BaseCommand):
    help = (
        "Run the periodic chores that are due (publishing scheduled articles, digests, clean-"
        "ups), each once per time slot however many machines run this. Call it every few "
        "minutes from a timer on every machine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="Show the chores and stop.")
        parser.add_argument("--dry-run", action="store_true", help="Say what is due; run none.")
        parser.add_argument("--only", help="Run only this chore (if due).")

    def handle(self, *args: Any, **options: Any) -> None:
        names = {chore.name for chore in CHORES}
        if options["only"] and options["only"] not in names:
            raise CommandError(
                f"No chore {options['only']!r}; there are {', '.join(sorted(names))}."
            )
        now = timezone.now()
        if options["list"] or options["dry_run"]:
            taken = set(ChoreRun.objects.values_list("chore", "slot"))
            for chore in CHORES:
                slot = chore.slot(now)
                state = (
                    "off" if not chore.enabled()
                    else "done" if (chore.run_name, slot) in taken
                    else "due"
                )  # fmt: skip
                self.stdout.write(
                    f"{chore.name:<24} every {chore.every}  slot {slot:%Y-%m-%d %H:%M} UTC  "
                    f"{state}  ({' '.join(chore.command)})"
                )
            return
        failed = []
        for chore, run in run_due(now, only=options["only"]):
            self.stdout.write(f"{chore.name}: {'FAILED' if run.failed else 'done'}")
            if run.failed:
                failed.append(chore.name)
        if failed:
            raise CommandError(f"Failed: {', '.join(failed)} (see the log and ChoreRun rows).")
