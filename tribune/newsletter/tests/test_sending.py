import signal
from collections import Counter
from email.utils import parsedate_to_datetime

import pytest
from django.core.management import call_command

from tribune.newsletter import actions, sending
from tribune.newsletter.models import Delivery, Edition, Suppression
from tribune.newsletter.tests.helpers import confirmed_subscriber
from tribune.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return factories.topic("business", en="Business"), factories.topic("technology")


@pytest.fixture
def digest(topics):
    business, technology = topics
    factories.article(title="Markets calm", topics=(business,))
    factories.article(title="Chips get faster", topics=(technology,))
    return actions.create_digest("weekly", "en")


def test_a_digest_collects_what_was_published_since_the_last_one(digest, topics):
    assert sorted(str(a) for a in digest.articles.all()) == ["Chips get faster", "Markets calm"]
    assert actions.create_digest("weekly", "en") is None, "nothing new since"
    assert actions.create_digest("weekly", "de") is None, "nothing in German"


def test_every_mail_carries_the_list_headers_of_rfc_2369_and_8058(
    digest, topics, mailbox, settings
):
    settings.TRIBUNE_BASE_URL = "https://news.example.org"
    settings.TRIBUNE_NEWSLETTER_UNSUBSCRIBE_EMAIL = "unsubscribe@news.example.org"
    subscriber = confirmed_subscriber("reader@example.org", topics=[topics[0]])
    assert sending.send_edition(digest.pk) == 1
    [message] = mailbox
    url = f"https://news.example.org/en/newsletter/unsubscribe/{subscriber.token}/"
    assert message["List-Unsubscribe"].strip() == (
        f"<{url}>, <mailto:unsubscribe@news.example.org?subject=unsubscribe>"
    )
    assert "reader" not in message["List-Unsubscribe"], "an opaque token, not the address"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Id"] == "Tribune <newsletter.news.example.org>"
    assert message["Message-ID"].endswith("@news.example.org>")
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert message["Subject"] == "This week at Tribune"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert url in text
    assert f'href="{url}"' in html
    assert "Markets calm" in html
    assert "Chips get faster" not in html, "only the subscriber's topics"
    assert "<table" in html
    assert Delivery.objects.get().message_id == message["Message-ID"]


def test_a_send_stopped_midway_resumes_and_everyone_gets_exactly_one(digest, mailbox):
    for n in range(7):
        confirmed_subscriber(f"reader{n}@example.org")
    confirmed_subscriber("daily@example.org", frequency="daily")
    # The first run stops after three messages, as a killed worker would.
    assert sending.send_edition(digest.pk, batch_size=2, limit=3) == 3
    assert len(mailbox) == 3
    assert Edition.objects.get().state == Edition.EditionState.SENDING
    call_command("send_edition", str(digest.uuid), "--batch-size", "2")
    call_command("send_edition", str(digest.uuid))
    received = Counter(message["To"] for message in mailbox)
    assert received == {f"reader{n}@example.org": 1 for n in range(7)}
    assert Edition.objects.get().state == Edition.EditionState.SENT
    assert Delivery.objects.filter(state="sent").count() == 7


def test_a_stop_request_right_after_the_mark_still_delivers_that_message(
    digest, mailbox, monkeypatch
):
    # Ctrl+C (or systemd's SIGTERM) arriving in the worst place: the delivery is marked sent
    # and the final "." has not left yet. The stop waits until the message is through.
    for n in range(5):
        confirmed_subscriber(f"reader{n}@example.org")
    mark = sending._mark_pending_as_sent
    marked = []

    def mark_then_stop(pk: int, message_id: str) -> int:
        done = mark(pk, message_id)
        marked.append(pk)
        if len(marked) == 3:
            signal.raise_signal(signal.SIGINT)
        return done

    monkeypatch.setattr(sending, "_mark_pending_as_sent", mark_then_stop)
    with pytest.raises(KeyboardInterrupt):
        sending.send_edition(digest.pk)
    assert len(mailbox) == 3, "the third message went out before the stop"
    monkeypatch.setattr(sending, "_mark_pending_as_sent", mark)
    sending.send_edition(digest.pk)
    received = Counter(message["To"] for message in mailbox)
    assert received == {f"reader{n}@example.org": 1 for n in range(5)}


def test_suppression_is_checked_at_send_time(digest, mailbox):
    confirmed_subscriber("a@example.org")
    gone = confirmed_subscriber("b@example.org")
    sending.fan_out(digest)
    actions.suppress_address("B@example.org", Suppression.Reason.HARD_BOUNCE)
    sending.send_edition(digest.pk)
    assert [message["To"] for message in mailbox] == ["a@example.org"]
    gone.refresh_from_db()
    assert gone.state == "bounced"
    assert Delivery.objects.get(subscriber=gone).state == "skipped"


def test_an_unsubscribe_between_fan_out_and_sending_is_honoured(digest, mailbox):
    keeps = confirmed_subscriber("a@example.org")
    leaves = confirmed_subscriber("b@example.org")
    sending.fan_out(digest)
    actions.unsubscribe(leaves, method="rfc8058_post")
    sending.send_edition(digest.pk)
    assert [message["To"] for message in mailbox] == [keeps.email]


def test_the_digest_command_builds_and_sends_per_language(topics, mailbox):
    factories.article(title="Markets calm", topics=(topics[0],))
    confirmed_subscriber("reader@example.org")
    call_command("send_edition", "--digest", "weekly")
    assert len(mailbox) == 1
    call_command("send_edition", "--digest", "weekly")
    assert len(mailbox) == 1, "nothing new, nothing sent"


def test_a_german_subscriber_gets_a_german_digest(mailbox):
    factories.article(title="Märkte ruhig", language="de")
    confirmed_subscriber("leser@example.org", language="de")
    edition = actions.create_digest("weekly", "de")
    sending.send_edition(edition.pk)
    [message] = mailbox
    assert message["List-Unsubscribe"].strip().startswith("<http://127.0.0.1:8000/de/")
    assert "Märkte ruhig" in message.get_body(preferencelist=("plain",)).get_content()


def test_shards_split_an_edition_between_senders_without_overlap(digest, mailbox):
    for n in range(9):
        confirmed_subscriber(f"reader{n}@example.org")
    for index in range(3):
        call_command("send_edition", str(digest.uuid), "--shard", f"{index}/3")
    assert Counter(message["To"] for message in mailbox) == {
        f"reader{n}@example.org": 1 for n in range(9)
    }
    assert Edition.objects.get().state == Edition.EditionState.SENT


def test_the_fast_path_sends_the_same_message_the_standard_library_would_build(
    digest, mailbox, settings
):
    settings.DEFAULT_FROM_EMAIL = "Tribune News <news@example.org>"
    short = confirmed_subscriber("reader@example.org")
    long = confirmed_subscriber(
        "a-very-long-address-that-takes-the-slow-path-" + "x" * 20 + "@example.org"
    )
    sending.send_edition(digest.pk)
    by_recipient = {message["To"]: message for message in mailbox}
    fast, slow = by_recipient[short.email], by_recipient[long.email]
    assert set(fast.keys()) == set(slow.keys())
    for message, subscriber in ((fast, short), (slow, long)):
        assert subscriber.token in message["List-Unsubscribe"]
        html = message.get_body(preferencelist=("html",)).get_content()
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert f"/en/newsletter/unsubscribe/{subscriber.token}/" in html
        assert f"/en/newsletter/manage/{subscriber.token}/" in text
        assert "__TRIBUNE" not in html + text + str(message["List-Unsubscribe"])

    def html_without_token(message) -> str:
        html = message.get_body(preferencelist=("html",)).get_content()
        return html.replace(short.token, "T").replace(long.token, "T")

    assert html_without_token(fast) == html_without_token(slow)
    assert fast["Subject"] == slow["Subject"]
    assert fast["List-Unsubscribe-Post"] == slow["List-Unsubscribe-Post"]
    assert fast["From"] == slow["From"] == "Tribune News <news@example.org>"
    assert fast.envelope_from == slow.envelope_from == "news@example.org"
    assert (fast.envelope_to, slow.envelope_to) == ([short.email], [long.email])


def test_an_address_with_a_quoted_part_is_sent_by_the_standard_library(digest, mailbox):
    quoted = confirmed_subscriber('"first last"@example.org')
    sending.send_edition(digest.pk)
    [message] = mailbox
    assert message.envelope_to == [quoted.email]
    assert quoted.token in message["List-Unsubscribe"]


def test_resume_finishes_every_interrupted_edition_and_a_throttle_still_sends_all(
    digest, mailbox, settings
):
    for n in range(4):
        confirmed_subscriber(f"reader{n}@example.org")
    sending.send_edition(digest.pk, limit=1)
    settings.TRIBUNE_NEWSLETTER_RATE = 1000
    call_command("send_edition", "--resume")
    assert sorted(message["To"] for message in mailbox) == [
        f"reader{n}@example.org" for n in range(4)
    ]
    call_command("send_edition", "--resume")
    assert len(mailbox) == 4


class _Picky:
    """An SMTP server that refuses some recipients for now (451) and some for good (550)."""

    def __init__(self) -> None:
        self.accepted: list[str] = []
        self.busy = {"busy@example.org"}

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address == "gone@example.org":
            return "550 5.1.1 no such mailbox"
        if address in self.busy:
            return "451 4.2.2 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.accepted.extend(envelope.rcpt_tos)
        return "250 accepted"


@pytest.fixture
def picky(settings):
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = _Picky()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    controller.stop()


def test_a_permanent_refusal_is_recorded_and_a_temporary_one_is_tried_again(digest, picky):
    confirmed_subscriber("ok@example.org")
    confirmed_subscriber("gone@example.org")
    confirmed_subscriber("busy@example.org")
    sending.send_edition(digest.pk)
    assert picky.accepted == ["ok@example.org"]
    states = dict(Delivery.objects.values_list("subscriber__email", "state"))
    assert states == {
        "ok@example.org": "sent",
        "gone@example.org": "failed",
        "busy@example.org": "pending",
    }
    assert "5.1.1" in Delivery.objects.get(subscriber__email="gone@example.org").error
    assert Edition.objects.get().state == Edition.EditionState.SENDING
    picky.busy.clear()
    sending.send_edition(digest.pk)
    assert picky.accepted == ["ok@example.org", "busy@example.org"]
    assert Edition.objects.get().state == Edition.EditionState.SENT


def test_a_message_refused_for_now_too_often_has_failed(digest, picky):
    confirmed_subscriber("busy@example.org")
    for _ in range(sending.MAX_ATTEMPTS):
        sending.send_edition(digest.pk)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("failed", sending.MAX_ATTEMPTS - 1)
    assert not picky.accepted


def test_the_digest_shows_each_cover_with_its_alt_text(mailbox, committed, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    with committed():
        factories.article(title="Markets calm")
    confirmed_subscriber("reader@example.org")
    sending.send_edition(actions.create_digest("weekly", "en").pk)
    html = mailbox[0].get_body(preferencelist=("html",)).get_content()
    assert '<img src="http://127.0.0.1:8000/media/' in html
    assert 'alt="Abstract illustration' in html


def test_nobody_gets_an_article_twice_across_editions(topics, mailbox):
    first = factories.article(title="Markets calm")
    got_it = confirmed_subscriber("early@example.org")
    special = actions.save_edition(None, Edition(subject="Special", language="en"), [first])
    sending.send_edition(special.pk)
    confirmed_subscriber("late@example.org")
    factories.article(title="Chips get faster")
    digest = actions.create_digest("weekly", "en")
    mailbox.clear()
    sending.send_edition(digest.pk)
    bodies = {m["To"]: m.get_body(preferencelist=("plain",)).get_content() for m in mailbox}
    assert "Markets calm" not in bodies[got_it.email]
    assert "Chips get faster" in bodies[got_it.email]
    assert "Markets calm" in bodies["late@example.org"]
    repeat = actions.save_edition(None, Edition(subject="Again", language="en"), [first])
    mailbox.clear()
    sending.send_edition(repeat.pk)
    assert [m["To"] for m in mailbox] == [], "everyone had it already"
    assert set(Delivery.objects.filter(edition=repeat).values_list("state", flat=True)) == {
        "skipped"
    }


def test_the_final_dot_is_not_held_back_by_nagles_algorithm(digest, mailbox, settings):
    # The "." goes out alone after the delivery is marked; with Nagle on it waited for the
    # server's delayed acknowledgement (40 ms a message). Sending must switch it off.
    import smtplib
    import socket

    subscriber = confirmed_subscriber("reader@example.org")
    delivery = Delivery.objects.create(edition=digest, subscriber=subscriber)
    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
        assert smtp.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        sending._smtp_send(
            smtp, "news@example.org", subscriber.email, b"Subject: x\r\n\r\nHi\r\n",
            delivery.pk, "<nagle@example.org>",
        )  # fmt: skip
        assert smtp.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    assert len(mailbox) == 1


# Several connections are threads with database connections of their own: they see only
# committed rows, so these tests commit (and serialized_rollback restores the roles).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_connections_in_one_process_send_each_subscriber_once(mailbox):
    topic = factories.topic("business", en="Business")
    factories.article(title="Markets calm", topics=(topic,))
    digest = actions.create_digest("weekly", "en")
    for n in range(11):
        confirmed_subscriber(f"reader{n}@example.org")
    mailbox.clear()  # the confirmation requests, sent at once when a test commits
    call_command("send_edition", str(digest.uuid), "--connections", "4", "--batch-size", "2")
    assert Counter(message["To"] for message in mailbox) == {
        f"reader{n}@example.org": 1 for n in range(11)
    }
    assert Edition.objects.get().state == Edition.EditionState.SENT
    assert len({message["Message-ID"] for message in mailbox}) == 11


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_connections_asked_to_stop_finish_their_message_and_a_resume_sends_the_rest(mailbox):
    topic = factories.topic("business", en="Business")
    factories.article(title="Markets calm", topics=(topic,))
    digest = actions.create_digest("weekly", "en")
    for n in range(12):
        confirmed_subscriber(f"reader{n}@example.org")
    mailbox.clear()  # the confirmation requests, sent at once when a test commits
    asked = []

    def stop() -> bool:  # asked before every message, by every connection
        asked.append(1)
        return len(asked) > 5

    sent = sending.send_edition(digest.pk, connections=3, stop=stop)
    assert 0 < sent < 12
    assert len(mailbox) == sent == Delivery.objects.filter(state="sent").count()
    assert Edition.objects.get().state == Edition.EditionState.SENDING
    sending.send_edition(digest.pk, connections=3)
    assert Counter(message["To"] for message in mailbox) == {
        f"reader{n}@example.org": 1 for n in range(12)
    }


def test_connections_outside_the_allowed_range_are_refused(digest, capsys):
    for bad in ("0", "33"):
        with pytest.raises(SystemExit):
            call_command("send_edition", str(digest.uuid), "--connections", bad)
        assert "--connections must be between 1 and 32" in capsys.readouterr().err
    assert Edition.objects.get().state == Edition.EditionState.DRAFT
