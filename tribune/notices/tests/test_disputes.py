"""DSA art. 21 and 24(1)(a): decisions taken to certified out-of-court dispute settlement
bodies, their outcomes, and the figures in the transparency report."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from tribune.core.models import AuditEntry
from tribune.notices import actions
from tribune.notices.models import Decision, Dispute
from tribune.notices.tests.conftest import REMOVE, contributor, notice_about
from tribune.testing import factories

pytestmark = pytest.mark.django_db

BODY = "User Rights GmbH"


@pytest.fixture
def decision(moderator):
    article = factories.article(title="Harbour news", by=contributor())
    made = actions.decide(moderator, article, notice=notice_about(article), **REMOVE)
    # Decided 40 days ago, so that disputes can be referred and closed in the past.
    Decision.objects.filter(pk=made.pk).update(decided_at=timezone.now() - datetime.timedelta(40))
    made.refresh_from_db()
    return made


def _days_ago(days: int) -> str:
    return (timezone.now().date() - datetime.timedelta(days)).isoformat()


def _page(decision) -> str:
    return f"/en/moderation/decisions/{decision.uuid}/disputes/"


def test_a_moderator_records_a_dispute_and_later_its_outcome(client, moderator, decision):
    client.force_login(moderator)
    notice_page = client.get(f"/en/moderation/notices/{decision.notice.uuid}/").content.decode()
    assert _page(decision) in notice_page
    response = client.post(
        _page(decision), {"body": BODY, "referred_on": _days_ago(30), "outcome": "open"}
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    page = client.get(_page(decision)).content.decode()
    assert BODY in page and "Still open" in page
    assert BODY in client.get("/en/moderation/disputes/").content.decode()
    response = client.post(
        f"/en/moderation/disputes/{dispute.uuid}/close/",
        {
            "close-outcome": "for_recipient",
            "close-closed_on": _days_ago(2),
            "close-complied": "yes",
        },
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.outcome, dispute.complied) == ("for_recipient", True)
    page = client.get(_page(decision)).content.decode()
    assert "In favour of the recipient" in page and "implemented" in page
    assert "Record the outcome" not in page  # closed is final
    entries = AuditEntry.objects.filter(object_type="notices.dispute").order_by("id")
    assert [entry.action for entry in entries] == [
        "notice.dispute",
        "notice.dispute_close",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "", "referred_on": 30}, "Name the dispute settlement body."),
        ({"referred_on": ""}, "Give the date the dispute was referred to the body."),
        ({"referred_on": -3}, "The referral date cannot be in the future."),
        ({"referred_on": 60}, "The dispute cannot have been referred before the decision of"),
        (
            {"outcome": "settled", "closed_on": 35, "complied": "yes"},
            "The dispute cannot be closed before it was referred.",
        ),
        ({"outcome": "for_us", "complied": "yes"}, "Give the date the dispute was closed."),
        (
            {"closed_on": 5},
            "An open dispute has no closing date: choose its outcome or leave the date empty.",
        ),
        (
            {"outcome": "settled", "closed_on": 5},
            "Say whether we implemented the body&#x27;s decision or settlement.",
        ),
        (
            {"outcome": "withdrawn", "closed_on": 5, "complied": "no"},
            "Only a decision or a settlement can be implemented",
        ),
        (
            {"outcome": "for_us", "closed_on": -1, "complied": "yes"},
            "The closing date cannot be in the future.",
        ),
    ],
)
def test_impossible_disputes_are_refused_with_a_clear_message(
    client, moderator, decision, data, message
):
    form = {"body": BODY, "referred_on": 30, "outcome": "open", "closed_on": "", "complied": ""}
    form.update(data)
    for key in ("referred_on", "closed_on"):
        if isinstance(form[key], int):
            form[key] = _days_ago(form[key])
    client.force_login(moderator)
    response = client.post(_page(decision), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Dispute.objects.exists()


def test_closing_needs_a_date_and_happens_once(client, moderator, decision):
    dispute = actions.record_dispute(
        moderator, decision, body=BODY, referred_on=timezone.now().date()
    )
    client.force_login(moderator)
    url = f"/en/moderation/disputes/{dispute.uuid}/close/"
    response = client.post(url, {"close-outcome": "withdrawn", "close-closed_on": ""})
    assert response.status_code == 400
    assert "Give the date the dispute was closed." in response.content.decode()
    today = timezone.now().date().isoformat()
    assert (
        client.post(url, {"close-outcome": "withdrawn", "close-closed_on": today}).status_code
        == 302
    )
    again = client.post(
        url, {"close-outcome": "settled", "close-closed_on": today, "close-complied": "no"}
    )
    assert "This dispute has already been closed." in again.content.decode()
    dispute.refresh_from_db()
    assert dispute.outcome == "withdrawn"


def test_only_moderators_see_and_record_disputes(client, decision):
    client.force_login(decision.article.author)
    assert client.get(_page(decision)).status_code == 403
    assert client.get("/en/moderation/disputes/").status_code == 403


def test_the_transparency_report_counts_disputes_of_the_period(client, moderator, decision):
    record = actions.record_dispute
    record(
        moderator,
        decision,
        body=BODY,
        referred_on=timezone.now().date() - datetime.timedelta(20),
        outcome="for_recipient",
        closed_on=timezone.now().date() - datetime.timedelta(10),
        complied=True,
    )
    record(
        moderator,
        decision,
        body=BODY,
        referred_on=timezone.now().date() - datetime.timedelta(30),
        outcome="for_us",
        closed_on=timezone.now().date() - datetime.timedelta(0),
        complied=True,
    )
    record(
        moderator,
        decision,
        body=BODY,
        referred_on=timezone.now().date() - datetime.timedelta(25),
        outcome="settled",
        closed_on=timezone.now().date() - datetime.timedelta(5),
        complied=False,
    )
    record(
        moderator, decision, body=BODY, referred_on=timezone.now().date() - datetime.timedelta(3)
    )
    record(
        moderator,
        decision,
        body=BODY,
        referred_on=timezone.now().date() - datetime.timedelta(39),
        outcome="withdrawn",
        closed_on=timezone.now().date() - datetime.timedelta(38),
    )
    period = {"start": _days_ago(35), "end": _days_ago(0)}
    report = client.get("/en/transparency/", {**period, "format": "json"}).json()["disputes"]
    # The withdrawn dispute was referred before the period.
    assert report["submitted"] == 4
    assert report["by_outcome"] == {
        "open": 1, "for_recipient": 1, "for_us": 1, "settled": 1, "withdrawn": 0,
    }  # fmt: skip
    assert report["median_days_to_complete"] == 20  # 10, 20 and 30 days
    assert (report["implemented"], report["with_outcome_to_implement"]) == (2, 3)
    assert report["implemented_share"] == 0.667
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/en/transparency/", {**period, "format": "csv"}).content.decode()
            )
        )
    )
    assert ["disputes", "submitted", "4"] in rows
    assert ["disputes", "by_outcome.settled", "1"] in rows
    assert ["disputes", "median_days_to_complete", "20"] in rows
    assert ["disputes", "implemented_share", "0.667"] in rows
    page = client.get("/en/transparency/", period).content.decode()
    assert "Out-of-court dispute settlement" in page
    assert "67 % (2/3)" in page
