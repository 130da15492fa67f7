"""Rendering covers: after publication, an edit readers see, or an editor's choice."""

from django_tasks import task

from tribune.articles.models import Article
from tribune.covers.actions import render_cover_files


@task()
def render_cover(article_id: int) -> None:
    """Render the article's cover files. Idempotent: current files are left as they are."""
    article = (
        Article.objects.filter(pk=article_id).select_related("live_revision", "latest_revision")
    ).first()
    if article is not None:
        render_cover_files(article)
