import json

import pytest
from django.test import Client

from tribune.core.models import AuditEntry
from tribune.newsletter import actions
from tribune.newsletter.models import (
    ConsentRecord,
    State,
    Subscriber,
    Suppression,
    address_hash,
)
from tribune.newsletter.tests.helpers import SIGN_UP, confirmed_subscriber
from tribune.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber():
    return confirmed_subscriber("reader@example.org", topics=[factories.topic("business")])


def test_one_click_post_without_cookies_or_csrf_token_unsubscribes_with_a_200(subscriber):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/en/newsletter/unsubscribe/{subscriber.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not response.cookies
    subscriber.refresh_from_db()
    assert subscriber.state == State.UNSUBSCRIBED
    last = subscriber.consents.last()
    assert (last.event, last.method) == (ConsentRecord.Event.UNSUBSCRIBED, "rfc8058_post")


def test_one_click_also_takes_multipart_form_data(subscriber):
    response = Client(enforce_csrf_checks=True).post(
        f"/en/newsletter/unsubscribe/{subscriber.token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().state == State.UNSUBSCRIBED


def test_a_get_on_the_unsubscribe_link_shows_a_button_and_never_unsubscribes(subscriber):
    response = Client().get(f"/en/newsletter/unsubscribe/{subscriber.token}/")
    assert response.status_code == 200
    assert "<button" in response.content.decode()
    assert Subscriber.objects.get().state == State.CONFIRMED


def test_a_wrong_token_finds_nobody(subscriber):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/en/newsletter/unsubscribe/not-the-token/").status_code == 404
    assert client.get(f"/en/newsletter/manage/{subscriber.token[:-1]}x/").status_code == 404
    assert Subscriber.objects.get().state == State.CONFIRMED


def test_the_preferences_page_changes_topics_and_frequency(client, subscriber):
    factories.topic("technology", en="Technology")
    url = f"/en/newsletter/manage/{subscriber.token}/"
    assert "reader@example.org" in client.get(url).content.decode()
    response = client.post(url, {"topics": ["technology"], "frequency": "daily"})
    assert "Your settings are saved." in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.frequency == "daily"
    assert list(subscriber.topics.values_list("slug", flat=True)) == ["technology"]
    assert subscriber.consents.last().event == ConsentRecord.Event.PREFERENCES
    refused = client.post(url, {"topics": ["nope"], "frequency": "daily"})
    assert refused.status_code == 400
    assert "nope is not one of our topics." in refused.content.decode()


def test_the_export_has_the_consent_history_as_json_and_as_a_printable_page(client, subscriber):
    response = client.get(f"/en/newsletter/manage/{subscriber.token}/data.json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["email"] == "reader@example.org"
    assert data["topics"] == ["business"]
    assert [record["event"] for record in data["consent_records"]] == ["requested", "confirmed"]
    assert data["consent_records"][0]["consent_version"] == "1"
    page = client.get(f"/en/newsletter/manage/{subscriber.token}/data/").content.decode()
    assert "Record of consent" in page
    assert "Sign-up requested" in page
    assert "Confirmed" in page


def test_erasure_keeps_only_the_hashed_address_and_honours_the_opt_out(client, mailbox, committed):
    subscriber = confirmed_subscriber("reader@example.org")
    url = f"/en/newsletter/manage/{subscriber.token}/erase/"
    assert Subscriber.objects.exists(), "the GET only asks"
    client.get(url)
    assert Subscriber.objects.exists()
    response = client.post(url)
    assert "Your data is erased" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()
    [suppressed] = Suppression.objects.all()
    assert suppressed.address_hash == address_hash("Reader@example.org")
    assert "reader@example.org" not in json.dumps(
        list(AuditEntry.objects.values("data", "object_id"))
    )
    factories.topic("business")
    with committed():
        client.post("/en/newsletter/", SIGN_UP)
    assert not mailbox, "an erased address gets nothing, not even a confirmation"
    assert not Subscriber.objects.exists()


def test_an_unsubscriber_may_sign_up_again_through_the_double_opt_in(mailbox, committed):
    subscriber = confirmed_subscriber("reader@example.org")
    actions.unsubscribe(subscriber, method="link_page")
    with committed():
        again = actions.request_subscription(
            email="reader@example.org",
            topics=[],
            frequency="weekly",
            language="en",
            form="test",
            consent_text="consent",
        )
    assert again.state == State.PENDING
    assert len(mailbox) == 1


def test_the_unsubscribe_page_of_someone_already_out_offers_to_sign_up_again(subscriber):
    actions.unsubscribe(subscriber, method="link_page")
    page = Client().get(f"/en/newsletter/unsubscribe/{subscriber.token}/").content.decode()
    assert "This address gets no newsletter from us." in page
    assert 'name="List-Unsubscribe"' not in page
