"""Keeping the search index in step with articles (the other discovery tasks are in tasks.py)."""

from django_tasks import task

from tribune.discovery import search


@task()
def update_search_index(article_id: int) -> None:
    """Index the article as it is now: its live text if published, nothing otherwise.

    Enqueued after every publication, live edit and unpublication (articles.actions).
    Idempotent: it reads the article's current state, whatever changed it.
    """
    search.update_index([article_id])
