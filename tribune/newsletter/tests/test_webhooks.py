"""Bounce and complaint webhooks, posted as Mailgun posts them: signed with the key."""

import base64
import hashlib
import hmac
import json
import secrets
import time

import pytest

from tribune.newsletter import actions, sending
from tribune.newsletter.models import BounceEvent, Delivery, State, Subscriber, Suppression
from tribune.newsletter.tests.helpers import confirmed_subscriber
from tribune.testing import factories

pytestmark = pytest.mark.django_db

KEY = "key-for-the-webhook-tests"
URL = "/newsletter/esp/mailgun/tracking/"


@pytest.fixture(autouse=True)
def mailgun(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}


def post_event(client, event_data: dict, *, key: str = KEY, token: str = ""):
    """What Mailgun sends: the event and a signature block, HMAC-SHA256(timestamp + token)."""
    timestamp, token = str(int(time.time())), token or secrets.token_hex(25)
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    body = {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {"timestamp": time.time(), **event_data},
    }
    return client.post(URL, json.dumps(body), content_type="application/json")


def failed(recipient: str, severity: str, status: str, message_id: str = "") -> dict:
    code = 550 if status.startswith("5") else 452
    return {
        "event": "failed",
        "severity": severity,
        "reason": "bounce" if severity == "permanent" else "generic",
        "recipient": recipient,
        "message": {"headers": {"message-id": message_id.strip("<>")}},
        "delivery-status": {"code": code, "message": f"{code} {status} mailbox problem"},
    }


@pytest.fixture
def sent(mailbox):
    """A subscriber who was sent a digest, and the delivery with our Message-ID."""
    factories.article(title="Markets calm")
    subscriber = confirmed_subscriber("reader@example.org")
    sending.send_edition(actions.create_digest("weekly", "en").pk)
    return subscriber, Delivery.objects.get()


def test_a_hard_bounce_suppresses_the_address_found_by_our_message_id(client, sent):
    subscriber, delivery = sent
    # The provider names the address the mail ended up at; our Message-ID says who it was.
    response = post_event(
        client, failed("forwarded@elsewhere.example", "permanent", "5.1.1", delivery.message_id)
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == State.BOUNCED
    assert Suppression.objects.get().reason == "hard_bounce"
    event = BounceEvent.objects.get()
    assert (event.kind, event.status, event.delivery) == ("hard", "5.1.1", delivery)
    assert '"provider": "Mailgun"' in event.raw, "the provider's report is kept"


def test_a_complaint_suppresses_the_address_and_unsubscribes(client):
    confirmed_subscriber("reader@example.org")
    response = post_event(client, {"event": "complained", "recipient": "Reader@Example.org"})
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.state == State.COMPLAINED
    assert subscriber.consents.last().method == "complaint"
    assert Suppression.objects.get().reason == "complaint"


def test_a_soft_bounce_only_scores(client, sent):
    subscriber, delivery = sent
    report = failed("reader@example.org", "temporary", "4.2.2", delivery.message_id)
    assert post_event(client, report).status_code == 200
    # The provider reports every retry of the deferred message: still one soft bounce.
    assert post_event(client, report).status_code == 200
    assert post_event(client, report).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED
    assert not Suppression.objects.exists()
    assert set(BounceEvent.objects.values_list("kind", flat=True)) == {"soft"}
    # Soft bounces of three different messages within the window do suppress.
    post_event(client, failed("reader@example.org", "temporary", "4.2.2"))
    assert Subscriber.objects.get().state == State.CONFIRMED
    post_event(client, failed("reader@example.org", "temporary", "4.2.2"))
    assert Subscriber.objects.get().state == State.BOUNCED
    assert Suppression.objects.get().reason == "soft_bounces"


def test_a_webhook_delivered_twice_is_recorded_once(client):
    confirmed_subscriber("reader@example.org")
    report = failed("reader@example.org", "temporary", "4.2.2")
    post_event(client, report, token="a" * 50)
    post_event(client, report, token="a" * 50)
    assert BounceEvent.objects.count() == 1


def test_a_bad_signature_is_refused_and_changes_nothing(client):
    confirmed_subscriber("reader@example.org")
    response = post_event(
        client, failed("reader@example.org", "permanent", "5.1.1"), key="somebody-elses-key"
    )
    assert response.status_code == 400
    assert Subscriber.objects.get().state == State.CONFIRMED
    assert not BounceEvent.objects.exists()
    assert not Suppression.objects.exists()


def test_an_address_that_keeps_posting_bad_signatures_is_shut_out(client):
    report = {"event": "complained", "recipient": "reader@example.org"}
    codes = [post_event(client, report, key="forged").status_code for _ in range(21)]
    assert codes[:20] == [400] * 20
    assert codes[20] == 429
    assert post_event(client, report).status_code == 429, "for an hour, even signed"


def test_webhooks_without_their_secret_are_not_there(client, settings):
    settings.ANYMAIL = {}
    confirmed_subscriber("reader@example.org")
    response = post_event(client, {"event": "complained", "recipient": "reader@example.org"})
    assert response.status_code == 404
    # Providers that only have basic auth need ANYMAIL_WEBHOOK_SECRET.
    response = client.post(
        "/newsletter/esp/postmark/tracking/",
        json.dumps({"RecordType": "SpamComplaint", "Email": "reader@example.org"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Subscriber.objects.get().state == State.CONFIRMED


def test_basic_auth_secures_providers_that_do_not_sign(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ["esp:s3cret-words"]}
    confirmed_subscriber("reader@example.org")
    complaint = json.dumps(
        {
            "RecordType": "SpamComplaint",
            "Type": "SpamComplaint",
            "ID": 42,
            "Email": "reader@example.org",
            "BouncedAt": "2026-11-20T10:00:00Z",
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        }
    )
    url = "/newsletter/esp/postmark/tracking/"
    refused = client.post(url, complaint, content_type="application/json")
    assert refused.status_code == 400
    assert Subscriber.objects.get().state == State.CONFIRMED
    auth = "Basic " + base64.b64encode(b"esp:s3cret-words").decode()
    accepted = client.post(url, complaint, content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert accepted.status_code == 200
    assert Subscriber.objects.get().state == State.COMPLAINED


def test_an_unsubscribe_at_the_provider_is_honoured(client):
    confirmed_subscriber("reader@example.org")
    post_event(client, {"event": "unsubscribed", "recipient": "reader@example.org"})
    subscriber = Subscriber.objects.get()
    assert subscriber.state == State.UNSUBSCRIBED
    assert subscriber.consents.last().method == "esp:Mailgun"


def test_deliveries_and_opens_change_nothing(client):
    confirmed_subscriber("reader@example.org")
    for event in ("delivered", "opened", "clicked", "accepted"):
        response = post_event(client, {"event": event, "recipient": "reader@example.org"})
        assert response.status_code == 200
    assert Subscriber.objects.get().state == State.CONFIRMED
    assert not BounceEvent.objects.exists()
