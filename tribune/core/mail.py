"""The one way Tribune sends mail: templates per message, rendered in the recipient's language.

A message is three templates: `<name>/subject.txt`, `<name>/body.txt` and `<name>/body.html`.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(to: str, name: str, context: dict, language: str) -> None:
    """Render and send one message now (call it from a task, not from a request)."""
    context = {
        "site_name": settings.TRIBUNE_SITE_NAME,
        "base_url": settings.TRIBUNE_BASE_URL,
        **context,
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"{name}/subject.txt", context).split())
        text = render_to_string(f"{name}/body.txt", context)
        html = render_to_string(f"{name}/body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()
