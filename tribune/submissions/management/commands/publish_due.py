from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tribune.submissions.actions import publish_due_articles


class Command(BaseCommand):
    help = "Publish scheduled articles that are due (the worker does it on time; cron may too)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        if dry_run:
            from django.utils import timezone

            from tribune.articles.models import Article, Status

            due = Article.objects.filter(status=Status.SCHEDULED, scheduled_for__lte=timezone.now())
            self.stdout.write(f"{due.count()} articles are due")
            return
        published = publish_due_articles()
        self.stdout.write(f"published {len(published)} articles")
