from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tribune.articles.interchange import export_articles
from tribune.articles.models import Article


class Command(BaseCommand):
    help = "Write every article as a Markdown file with YAML front matter (the import format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--language", help="Only articles in this language.")

    def handle(self, *args: Any, folder: Path, language: str | None, **options: Any) -> None:
        articles = Article.objects.select_related(
            "author__profile", "live_revision", "latest_revision"
        ).prefetch_related("topics")
        if language:
            articles = articles.filter(language=language)
        written = export_articles(folder, articles)
        self.stdout.write(self.style.SUCCESS(f"wrote {len(written)} articles to {folder}"))
