"""Work that follows a change but need not make anyone wait."""

from django_tasks import task

from tribune.discovery import related


@task()
def refresh_related(article_id: int) -> None:
    """After an article is published, edited or taken down: update the related-articles
    index and every stored list the change affects. Idempotent."""
    related.refresh_related(article_id)
