import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tribune.core.models import AuditEntry
from tribune.newsletter.models import ConsentRecord, State, Subscriber
from tribune.newsletter.tests.helpers import SIGN_UP, link_in
from tribune.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def business():
    return factories.topic("business", en="Business", de="Wirtschaft")


def test_the_article_page_box_is_a_plain_get_form_leading_to_the_newsletter_page(business):
    article = factories.article(title="Markets calm", topics=(business,))
    response = Client().get(article.get_absolute_url())
    html = response.content.decode()
    assert 'action="/en/newsletter/"' in html
    assert 'method="get"' in html
    assert 'name="topics" value="business"' in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies


def test_the_home_page_carries_the_box_too(business):
    factories.article(title="Markets calm", topics=(business,))
    html = Client().get("/en/").content.decode()
    assert 'action="/en/newsletter/"' in html
    assert "csrfmiddlewaretoken" not in html


def test_the_newsletter_page_prefills_from_the_box_and_leaves_consent_unticked(client, business):
    html = client.get("/en/newsletter/?email=a%40example.org&topics=business").content.decode()
    assert 'value="a@example.org"' in html
    assert re.search(r'name="topics" value="business"[^>]* checked', html)
    assert "csrfmiddlewaretoken" in html
    consent = html[html.index('name="consent"') - 200 : html.index('name="consent"') + 80]
    assert "checked" not in consent


def test_the_whole_opt_in_from_form_to_confirmed(client, mailbox, committed, business):
    with committed():
        response = client.post("/en/newsletter/", SIGN_UP, HTTP_USER_AGENT="Firefox 140")
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert subscriber.state == State.PENDING
    [message] = mailbox
    assert message["To"] == "reader@example.org"
    assert message["Subject"] == "Confirm your newsletter subscription at Tribune"
    assert "List-Unsubscribe" not in message, "the confirmation is not a newsletter"
    link = link_in(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "Yes, send me the newsletter" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == State.PENDING, "a GET must never confirm"
    done = client.post(link, HTTP_USER_AGENT="Firefox 140")
    assert "Subscription confirmed" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED
    assert list(subscriber.topics.values_list("slug", flat=True)) == ["business"]
    events = list(subscriber.consents.values_list("event", flat=True))
    assert events == [ConsentRecord.Event.REQUESTED, ConsentRecord.Event.CONFIRMED]
    request = subscriber.consents.first()
    assert request.consent_version == "1"
    assert request.consent_text.startswith("Yes, send me the newsletter")
    assert request.form == "http://testserver/en/newsletter/"
    assert request.user_agent == "Firefox 140"
    assert request.ip_hash and "127.0.0.1" not in request.ip_hash
    assert AuditEntry.objects.filter(action="subscriber.confirmed").count() == 1
    assert client.post(link).status_code == 400, "a link works once"


def test_the_confirmation_mail_is_neutral(client, mailbox, committed, business):
    factories.article(title="Big scoop about markets", topics=(business,))
    with committed():
        client.post("/en/newsletter/", SIGN_UP)
    text = mailbox[0].get_body(preferencelist=("plain",)).get_content()
    assert "Big scoop" not in text
    assert "ignore this message" in text


def test_an_expired_or_tampered_link_is_refused(client, mailbox, committed, business, settings):
    with committed():
        client.post("/en/newsletter/", SIGN_UP)
    link = link_in(mailbox[0])
    assert client.post(link[:-3] + "xyz/").status_code == 400
    settings.TRIBUNE_NEWSLETTER_CONFIRM_DAYS = 0
    assert client.post(link).status_code == 400
    assert Subscriber.objects.get().state == State.PENDING


def test_signing_up_again_looks_the_same_and_sends_no_mail_when_already_subscribed(
    client, mailbox, committed, business
):
    with committed():
        client.post("/en/newsletter/", SIGN_UP)
    client.post(link_in(mailbox[0]))
    with committed():
        again = client.post("/en/newsletter/", {**SIGN_UP, "email": "Reader@Example.org "})
    first = client.post("/en/newsletter/", {**SIGN_UP, "email": "new@example.org"})
    assert again.status_code == first.status_code == 200
    assert again.content.decode().replace("reader@example.org", "X") == (
        first.content.decode().replace("new@example.org", "X")
    )
    assert len(mailbox) == 1
    assert Subscriber.objects.get(email="reader@example.org").state == State.CONFIRMED


def test_sign_ups_are_rate_limited_per_address_and_per_ip(client, mailbox, committed, business):
    with committed():
        for _ in range(5):
            assert client.post("/en/newsletter/", SIGN_UP).status_code == 200
    assert len(mailbox) == 3, "three confirmation mails an hour per address at most"
    for n in range(5):
        client.post("/en/newsletter/", {**SIGN_UP, "email": f"other{n}@example.org"})
    assert client.post("/en/newsletter/", SIGN_UP).status_code == 429


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-address", "Enter a valid e-mail address"),
        ("email", "a@b.c\r\nBcc: x@y.z", "Line breaks and control characters are not allowed"),
        ("email", "a" * 10240 + "@example.org", "at most 254 characters"),
        ("topics", "no-such-topic", "no-such-topic is not one of our topics."),
        ("topics", "business\r\nBcc: x@y.z", "Line breaks and control characters"),
        ("frequency", "hourly", "Select a valid choice"),
        ("language", "en\nBcc: x@y.z", "Line breaks and control characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    client, mailbox, business, field, value, message
):
    response = client.post("/en/newsletter/", {**SIGN_UP, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not mailbox


def test_consent_must_be_ticked(client, business):
    data = {key: value for key, value in SIGN_UP.items() if key != "consent"}
    response = client.post("/en/newsletter/", data)
    assert response.status_code == 400
    assert "Tick the box to agree" in response.content.decode()


def test_unconfirmed_sign_ups_are_purged_after_the_window(client, mailbox, committed, business):
    with committed():
        client.post("/en/newsletter/", SIGN_UP)
        client.post("/en/newsletter/", {**SIGN_UP, "email": "fresh@example.org"})
    Subscriber.objects.filter(email="reader@example.org").update(
        requested_at=timezone.now() - datetime.timedelta(days=4)
    )
    call_command("purge_pending", "--dry-run")
    assert Subscriber.objects.count() == 2
    call_command("purge_pending")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["fresh@example.org"]
