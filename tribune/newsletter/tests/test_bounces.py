import pytest
from django.core.management import call_command

from tribune.newsletter.models import BounceEvent, State, Subscriber, Suppression
from tribune.newsletter.tests.helpers import confirmed_subscriber

pytestmark = pytest.mark.django_db


def dsn(recipient: str, action: str, status: str) -> str:
    return f"""From: MAILER-DAEMON@mx.example.net
To: noreply@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 {status} mailbox problem

--B
Content-Type: text/rfc822-headers

To: {recipient}
Subject: This week at Tribune

--B--
"""


ARF = """From: fbl@isp.example.net
To: abuse@example.org
Subject: Complaint
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="F"

--F
Content-Type: text/plain

This is an abuse report.

--F
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ISP-FBL/1.0
Version: 1
Original-Rcpt-To: <c@example.org>

--F
Content-Type: text/rfc822-headers

To: c@example.org
Subject: This week at Tribune

--F--
"""


def test_a_hard_bounce_and_a_complaint_suppress_at_once(tmp_path):
    confirmed_subscriber("a@example.org")
    confirmed_subscriber("c@example.org")
    (tmp_path / "hard.eml").write_text(dsn("a@example.org", "failed", "5.1.1"))
    (tmp_path / "complaint.eml").write_text(ARF)
    (tmp_path / "holiday.eml").write_text("From: x@example.net\nSubject: I am away\n\nBack soon.")
    call_command("process_bounces", str(tmp_path))
    assert Subscriber.objects.get(email="a@example.org").state == State.BOUNCED
    assert Subscriber.objects.get(email="c@example.org").state == State.COMPLAINED
    assert set(Suppression.objects.values_list("reason", flat=True)) == {
        "hard_bounce",
        "complaint",
    }
    hard = BounceEvent.objects.get(kind="hard")
    assert hard.status == "5.1.1"
    assert "Final-Recipient" in hard.raw, "the raw report is kept"


def test_soft_bounces_suppress_only_when_they_repeat(tmp_path):
    confirmed_subscriber("b@example.org")
    report = tmp_path / "soft.eml"
    report.write_text(dsn("b@example.org", "delayed", "4.2.2"))
    call_command("process_bounces", str(report))
    call_command("process_bounces", str(report))
    assert Subscriber.objects.get().state == State.CONFIRMED
    call_command("process_bounces", str(report))
    assert Subscriber.objects.get().state == State.BOUNCED
    assert Suppression.objects.get().reason == "soft_bounces"


def test_a_dry_run_changes_nothing(tmp_path):
    confirmed_subscriber("a@example.org")
    (tmp_path / "hard.eml").write_text(dsn("a@example.org", "failed", "5.1.1"))
    call_command("process_bounces", "--dry-run", str(tmp_path))
    assert Subscriber.objects.get().state == State.CONFIRMED
    assert not BounceEvent.objects.exists()


def test_a_mail_to_the_unsubscribe_address_unsubscribes_its_sender(tmp_path, settings):
    settings.TRIBUNE_NEWSLETTER_UNSUBSCRIBE_EMAIL = "unsubscribe@news.example.org"
    confirmed_subscriber("a@example.org")
    confirmed_subscriber("b@example.org")
    (tmp_path / "u.eml").write_text(
        "From: Reader A <A@example.org>\nTo: unsubscribe@news.example.org\nSubject: unsubscribe\n\n"
    )
    call_command("process_bounces", str(tmp_path))
    states = dict(Subscriber.objects.values_list("email", "state"))
    assert states == {"a@example.org": State.UNSUBSCRIBED, "b@example.org": State.CONFIRMED}
    record = Subscriber.objects.get(email="a@example.org").consents.last()
    assert record.method == "mailto"
