import re

from tribune.newsletter import actions
from tribune.newsletter.models import Subscriber

SIGN_UP = {
    "email": "reader@example.org",
    "topics": ["business"],
    "frequency": "weekly",
    "language": "en",
    "consent": "on",
}


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:8000(/\S+)", text).group(1)


def confirmed_subscriber(email: str, topics=(), language: str = "en", frequency: str = "weekly"):
    subscriber = actions.request_subscription(
        email=email,
        topics=topics,
        frequency=frequency,
        language=language,
        form="test",
        consent_text="consent",
    )
    assert actions.confirm_subscription(subscriber)
    return Subscriber.objects.get(pk=subscriber.pk)
