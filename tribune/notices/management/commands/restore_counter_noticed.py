from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from tribune.notices import actions
from tribune.notices.models import CounterNotice, CounterState


class Command(BaseCommand):
    help = (
        "Restore the articles whose DMCA counter-notice restore date has come and no court "
        "action was reported. Idempotent: run it daily."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only count what is due")

    def handle(self, *args: Any, **options: Any) -> None:
        due = CounterNotice.objects.filter(
            state=CounterState.WAITING, restore_on__lte=timezone.now().date()
        ).values_list("pk", flat=True)
        if options["dry_run"]:
            self.stdout.write(f"{len(due)} article(s) due for restoring")
            return
        restored = sum(actions.restore_after_counter_notice(pk) for pk in list(due))
        self.stdout.write(f"{restored} article(s) restored")
