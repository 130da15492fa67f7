import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tribune.core.progress import ProgressBar
from tribune.newsletter import actions, sending
from tribune.newsletter.models import Delivery, Edition, Frequency

MAX_CONNECTIONS = 32


class Command(BaseCommand):
    help = (
        "Send a newsletter edition (or build today's digest with --digest and send it). "
        "Running it again after a crash resumes: nobody gets a message twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("edition", nargs="?", help="The edition's UUID.")
        parser.add_argument(
            "--digest",
            choices=Frequency.values,
            help="Build the digest of this frequency in every language, then send it.",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help=(
                "Start every scheduled edition whose time has come, and finish every edition "
                "whose sending stopped (after a crash); safe from cron."
            ),
        )
        parser.add_argument("--batch-size", type=int, default=None, help="Messages per connection.")
        parser.add_argument(
            "--connections",
            type=int,
            default=None,
            help=(
                "SMTP connections at once, in this one process "
                "(default: TRIBUNE_NEWSLETTER_CONNECTIONS)."
            ),
        )
        parser.add_argument("--limit", type=int, default=None, help="Stop after this many.")
        parser.add_argument(
            "--shard",
            default=None,
            help="I/N: send only the I-th of N disjoint parts (run N commands for N connections).",
        )

    def handle(self, *args: object, **options: object) -> None:
        batch_size = options["batch_size"]
        limit = options["limit"]
        connections = options["connections"]
        if connections is None:
            connections = settings.TRIBUNE_NEWSLETTER_CONNECTIONS
        if (batch_size is not None and batch_size < 1) or (limit is not None and limit < 0):
            self.stderr.write("--batch-size must be at least 1 and --limit at least 0")
            sys.exit(2)
        if not 1 <= connections <= MAX_CONNECTIONS:
            self.stderr.write(f"--connections must be between 1 and {MAX_CONNECTIONS}")
            sys.exit(2)
        shard = None
        if options["shard"]:
            try:
                index, count = (int(part) for part in options["shard"].split("/"))
            except ValueError:
                index, count = -1, 0
            if not 0 <= index < count:
                self.stderr.write("--shard must look like 0/4 (0 to N-1 of N)")
                sys.exit(2)
            shard = (index, count)
        if options["digest"]:
            editions = []
            for language, _name in settings.LANGUAGES:
                edition = actions.create_digest(options["digest"], language)
                if edition is not None:
                    editions.append(edition)
            if not editions:
                self.stdout.write("Nothing new since the last digest.")
        elif options["resume"]:
            # Scheduled editions whose task was lost (or that the task backend cannot defer).
            started = actions.start_due_editions()
            if started:
                self.stdout.write(f"Started {len(started)} scheduled editions.")
            editions = list(Edition.objects.filter(state=Edition.EditionState.SENDING))
        elif options["edition"]:
            edition = Edition.objects.filter(uuid=options["edition"]).first()
            if edition is None:
                self.stderr.write(f"No edition {options['edition']}")
                sys.exit(2)
            if edition.state == Edition.EditionState.SCHEDULED:
                self.stderr.write(
                    f"{edition.uuid} is scheduled for {edition.send_at:%Y-%m-%d %H:%M %Z}; "
                    "unschedule it in the admin to send it now."
                )
                sys.exit(2)
            editions = [edition]
        else:
            self.stderr.write("Name an edition's UUID, or use --digest daily|weekly or --resume")
            sys.exit(2)
        for edition in editions:
            self._send(edition, batch_size, limit, shard, connections)

    def _send(
        self,
        edition: Edition,
        batch_size: int | None,
        limit: int | None,
        shard: tuple[int, int] | None,
        connections: int,
    ) -> None:
        if edition.state == Edition.EditionState.DRAFT:
            sending.fan_out(edition)
        pending = Delivery.objects.filter(edition=edition, state=Delivery.DeliveryState.PENDING)
        total = pending.count() // (shard[1] if shard else 1)
        total = total if limit is None else min(limit * connections, total)  # per connection
        done = [0]
        bar = ProgressBar(self.stdout)

        counting = threading.Lock()  # several sending threads report

        def progress(count: int) -> None:
            with counting:
                done[0] += count
                bar.count(done[0], total)

        bar.count(0, total)
        sent = sending.send_until_stopped(
            edition.pk,
            batch_size=batch_size,
            limit=limit,
            shard=shard,
            connections=connections,
            progress=progress,
        )
        bar.finish()
        self.stdout.write(self.style.SUCCESS(f"{edition.uuid}: {sent} messages sent."))
