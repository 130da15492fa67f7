"""The index's follow-up work, enqueued after commit by the actions that change what it
should hold (tribune.articles.actions, tribune.submissions.actions)."""

from django_tasks import task


@task()
def refresh_duplicate_index(article_id: int) -> bool:
    """Bring the near-duplicate index in line with the article's state and text.
    Idempotent: it recomputes what the index should hold from the database."""
    from tribune.checks import dupindex

    return dupindex.refresh(article_id)
