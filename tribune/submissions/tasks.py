from django_tasks import task

from tribune.submissions.actions import publish_due_articles


@task()
def publish_due() -> int:
    """Publish the scheduled articles whose time has come (idempotent)."""
    return len(publish_due_articles())
