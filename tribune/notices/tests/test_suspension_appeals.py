"""A suspension comes with a statement of reasons (DSA art. 17) and can be appealed like a
decision on content (art. 20(1)(c)); a different moderator decides."""

import datetime
import re

import pytest
from django.utils import timezone

from tribune.core.models import AuditEntry
from tribune.notices import actions
from tribune.notices.models import Appeal, MisuseBasis, MisuseWarning, Suspension
from tribune.notices.tests.conftest import contributor

pytestmark = pytest.mark.django_db

IN_A_MONTH = datetime.timedelta(days=30)


def suspend(moderator, *, user=None, email="", basis=MisuseBasis.ILLEGAL_CONTENT) -> Suspension:
    warning = actions.warn_for_misuse(
        moderator, basis=basis, user=user, email=email, note="Several times this month."
    )
    MisuseWarning.objects.filter(pk=warning.pk).update(issued_at=timezone.now() - IN_A_MONTH)
    warning.refresh_from_db()
    return actions.suspend_for_misuse(
        moderator, warning, ends=timezone.now() + IN_A_MONTH, note="Once more after the warning."
    )


def appeal_path_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:8000(/en/suspensions/[0-9a-f-]+/appeal/)", text)[1]


def test_the_contributor_appeals_a_suspension_and_another_moderator_lifts_it(
    client, moderator, second_moderator, mailbox, committed
):
    author = contributor()
    with committed():
        suspension = suspend(moderator, user=author)
    path = appeal_path_in(mailbox[-1])
    assert path == f"/en/suspensions/{suspension.uuid}/appeal/"
    assert client.get(path).status_code == 302, "an account's suspension: sign in first"

    client.force_login(author)
    assert "An appeal is free" in client.get(path).content.decode()
    done = client.post(path, {"text": "The photographs were licensed; here are the receipts."})
    assert "review the suspension" in done.content.decode()
    appeal = Appeal.objects.get()
    assert appeal.suspension == suspension and appeal.decision is None
    assert "Your appeal is being handled." in client.get("/en/desk/").content.decode()
    again = client.post(path, {"text": "Once more."})
    assert "already being handled" in again.content.decode()

    client.force_login(moderator)
    listed = client.get("/en/moderation/appeals/").content.decode()
    assert "by the person suspended" in listed
    own = client.post(
        f"/en/moderation/appeals/{appeal.uuid}/", {"reverse_decision": "yes", "reply": "Mine."}
    )
    assert "another moderator must decide" in own.content.decode().lower()
    assert Appeal.objects.get().state == "open"

    client.force_login(second_moderator)
    page = client.get(f"/en/moderation/appeals/{appeal.uuid}/").content.decode()
    assert "The person suspended writes" in page and "here are the receipts" in page
    with committed():
        response = client.post(
            f"/en/moderation/appeals/{appeal.uuid}/",
            {"reverse_decision": "yes", "reply": "The licences are in order."},
        )
    assert response.status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    assert actions.suspended_until(MisuseBasis.ILLEGAL_CONTENT, author) is None
    last = mailbox[-1]
    assert last["To"] == author.email
    assert "reversed the decision" in last.get_body(preferencelist=("plain",)).get_content()
    assert AuditEntry.objects.filter(action="misuse.lift").count() == 1


def test_an_upheld_appeal_leaves_the_suspension_in_force(moderator, second_moderator):
    author = contributor()
    suspension = suspend(moderator, user=author)
    appeal = actions.appeal_suspension(author, suspension, text="I did nothing wrong.")
    actions.decide_appeal(second_moderator, appeal, reverse_decision=False, reply="You did.")
    assert Appeal.objects.get().state == "upheld"
    assert actions.suspended_until(MisuseBasis.ILLEGAL_CONTENT, author) == suspension.ends


def test_a_notifier_without_an_account_appeals_through_the_mailed_link(
    client, moderator, mailbox, committed
):
    with committed():
        suspend(moderator, email="notifier@example.org", basis=MisuseBasis.UNFOUNDED_NOTICES)
    statement = mailbox[-1]
    assert statement["To"] == "notifier@example.org"
    text = statement.get_body(preferencelist=("plain",)).get_content()
    assert "We do not process notices from you." in text
    path = appeal_path_in(statement)
    response = client.post(path, {"text": "My notices were about real defamation."})
    assert "Appeal received" in response.content.decode()
    assert Appeal.objects.get().by_contributor, "the affected person's own appeal"


def test_a_suspension_of_appeals_does_not_stop_the_appeal_against_it(client, moderator):
    suspension = suspend(
        moderator, email="loud@example.org", basis=MisuseBasis.UNFOUNDED_COMPLAINTS
    )
    response = client.post(
        f"/en/suspensions/{suspension.uuid}/appeal/", {"text": "My appeals had reasons."}
    )
    assert "Appeal received" in response.content.decode()


def test_only_the_suspended_account_may_appeal_and_only_in_time(client, moderator):
    author = contributor()
    suspension = suspend(moderator, user=author)
    client.force_login(contributor("Someone Else"))
    assert client.get(f"/en/suspensions/{suspension.uuid}/appeal/").status_code == 404

    Suspension.objects.filter(pk=suspension.pk).update(
        starts=timezone.now() - datetime.timedelta(days=200)
    )
    client.force_login(author)
    late = client.post(f"/en/suspensions/{suspension.uuid}/appeal/", {"text": "Too late?"})
    assert "The time to appeal this suspension has passed." in late.content.decode()
    assert not Appeal.objects.exists()


def test_suspensions_reach_the_report_and_the_statements_batch_without_personal_data(
    client, moderator, second_moderator
):
    author = contributor("Ada Writer")
    account = suspend(moderator, user=author)
    address = suspend(moderator, email="spam@example.org", basis=MisuseBasis.UNFOUNDED_NOTICES)
    appeal = actions.appeal_suspension(author, account, text="Please look again.")
    actions.decide_appeal(second_moderator, appeal, reverse_decision=True, reply="Lifted.")

    page = client.get("/en/transparency/").content.decode()
    assert "Suspensions for misuse" in page
    report = client.get("/en/transparency/?format=json").json()
    assert report["suspensions"] == {
        "illegal_content": 1,
        "unfounded_notices": 1,
        "unfounded_complaints": 0,
    }
    assert report["appeals"]["against_suspensions"] == 1
    assert report["appeals"]["reversed"] == 1

    batch = client.get("/en/transparency/statements.json").json()["statements"]
    by_puid = {entry["puid"]: entry for entry in batch}
    on_account = by_puid[str(account.uuid)]
    assert on_account["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    assert on_account["end_date_account_restriction"] == account.ends.date().isoformat()
    on_address = by_puid[str(address.uuid)]
    assert on_address["decision_provision"] == "DECISION_PROVISION_PARTIAL_SUSPENSION"
    assert on_address["content_type"] == ["CONTENT_TYPE_OTHER"]
    text = str(batch)
    for personal in ("Ada Writer", author.email, "spam@example.org", "Once more", author.username):
        assert personal not in text
