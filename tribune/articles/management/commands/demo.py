from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tribune.accounts.actions import create_author
from tribune.articles import actions
from tribune.articles.interchange import import_files
from tribune.articles.models import Article, Topic

DEMO = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = (
        "Load the demo site: topics, authors and articles written for Tribune. Safe to run twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for item in yaml.safe_load((DEMO / "topics.yaml").read_text()):
                topic = Topic.objects.filter(slug=item["slug"]).first() or Topic(slug=item["slug"])
                topic.name = item["names"]["en"]
                actions.save_topic(None, topic, item["names"])
            users = get_user_model().objects
            for item in yaml.safe_load((DEMO / "authors.yaml").read_text()):
                if not users.filter(username=item["username"]).exists():
                    create_author(
                        None, username=item["username"], display_name=item["name"], bios=item["bio"]
                    )
        known = set(Article.objects.values_list("language", "slug"))
        files = [p for p in sorted((DEMO / "articles").glob("*.md")) if _key(p) not in known]
        report = import_files(files)
        for problem in report.problems:
            self.stderr.write(f"{problem.path.name}: {problem.field}: {problem.message}")
        if report.problems:
            raise CommandError("the demo content has errors")
        self.stdout.write(self.style.SUCCESS(f"demo: {len(report.imported)} articles added"))


def _key(path: Path) -> tuple[str, str]:
    """The (language, slug) a demo file will have: its name is <language>-<slug>.md."""
    language, _sep, slug = path.stem.partition("-")
    return language, slug
