from django_tasks import task

from tribune.core import pagecache
from tribune.core.mail import send_templated


@task()
def send_mail(to: str, name: str, context: dict, language: str) -> None:
    """Send one templated message (see tribune.core.mail). Context must be JSON-serializable."""
    send_templated(to, name, context, language)


@task()
def prune_page_files() -> int:
    """Delete the page files of past generations (tribune.core.pagecache); idempotent."""
    return pagecache.prune_page_files()
