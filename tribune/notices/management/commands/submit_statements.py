import datetime
import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tribune.notices import actions, tdb, transparency
from tribune.notices.models import SubmittedStatement

SINCE = datetime.datetime(2024, 2, 17, tzinfo=datetime.UTC)  # the DSA applies to all from here


class Command(BaseCommand):
    help = (
        "Send the statements of reasons not yet sent to the DSA Transparency Database "
        "(art. 24(5)), in batches of 100, without personal data. Idempotent: run it daily. "
        "--dry-run prints the batches instead of sending them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="print, do not send")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = set(SubmittedStatement.objects.values_list("puid", flat=True))
        waiting = [
            entry
            for entry in transparency.statements(SINCE, timezone.now())["statements"]
            if entry["puid"] not in sent
        ]
        if options["dry_run"]:
            for batch in tdb.batches(waiting):
                self.stdout.write(json.dumps({"statements": batch}, indent=2))
            self.stdout.write(f"{len(waiting)} statement(s) would be sent")
            return
        if not settings.TRIBUNE_TDB_URL or not settings.TRIBUNE_TDB_TOKEN:
            raise CommandError("Set TRIBUNE_TDB_URL and TRIBUNE_TDB_TOKEN, or use --dry-run.")
        stored = 0
        for batch in tdb.batches(waiting):
            try:
                puids = tdb.send(settings.TRIBUNE_TDB_URL, settings.TRIBUNE_TDB_TOKEN, batch)
            except tdb.SubmissionFailed as error:
                raise CommandError(
                    f"The Transparency Database refused a batch ({error}); {stored} statement(s) "
                    "were stored before it. Nothing of this batch was stored; run again later."
                ) from None
            stored += actions.record_submitted_statements(puids)
        self.stdout.write(f"{stored} statement(s) sent")
