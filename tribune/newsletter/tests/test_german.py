import pytest
from django.utils import translation

from tribune.newsletter import actions, sending
from tribune.newsletter.tests.helpers import confirmed_subscriber
from tribune.testing import factories

pytestmark = pytest.mark.django_db


def _german_is_compiled() -> bool:
    with translation.override("de"):
        return translation.gettext("Get the latest in your inbox") != "Get the latest in your inbox"


# The German strings arrive with the next merge of the translation catalogue.
needs_german = pytest.mark.skipif(not _german_is_compiled(), reason="German not compiled yet")


@needs_german
def test_a_german_sign_up_gets_a_german_confirmation(client, mailbox, committed):
    with committed():
        client.post(
            "/de/newsletter/",
            {
                "email": "leser@example.org",
                "frequency": "weekly",
                "language": "de",
                "consent": "on",
            },
        )
    [message] = mailbox
    assert message["Subject"] == "Bestätigen Sie Ihr Newsletter-Abonnement bei Tribune"
    assert (
        "/de/newsletter/bestaetigen/" in message.get_body(preferencelist=("plain",)).get_content()
    )


@needs_german
def test_a_german_digest_is_german(mailbox):
    factories.article(title="Märkte ruhig", language="de")
    confirmed_subscriber("leser@example.org", language="de")
    sending.send_edition(actions.create_digest("weekly", "de").pk)
    [message] = mailbox
    assert message["Subject"] == "Diese Woche bei Tribune"
    assert "Abmelden" in message.get_body(preferencelist=("html",)).get_content()
    assert "/de/newsletter/abmelden/" in message["List-Unsubscribe"]
