from django_tasks import task

from tribune.core.mail import send_templated


@task()
def send_mail(to: str, name: str, context: dict, language: str) -> None:
    """Send one templated message (see tribune.core.mail). Context must be JSON-serializable."""
    send_templated(to, name, context, language)
