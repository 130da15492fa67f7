import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tribune.core.models import AuditEntry
from tribune.notices import actions
from tribune.notices.models import MisuseBasis, MisuseWarning, Suspension
from tribune.notices.tests.conftest import REMOVE, contributor, notice_about
from tribune.testing import factories

pytestmark = pytest.mark.django_db

IN_A_MONTH = datetime.timedelta(days=30)


def test_a_suspension_needs_a_prior_warning_and_an_end(moderator, mailbox, committed):
    author = contributor()
    with committed():
        warning = actions.warn_for_misuse(
            moderator,
            basis=MisuseBasis.ILLEGAL_CONTENT,
            user=author,
            note="Three articles with copied photographs this month.",
        )
    [warned] = mailbox
    assert warned["To"] == author.email
    assert "copied photographs" in warned.get_body(preferencelist=("plain",)).get_content()

    # A warning given just now is not yet a *prior* warning.
    with pytest.raises(ValidationError, match="needs a warning given at least a day before"):
        actions.suspend_for_misuse(
            moderator, warning, ends=timezone.now() + IN_A_MONTH, note="Again."
        )
    MisuseWarning.objects.filter(pk=warning.pk).update(issued_at=timezone.now() - IN_A_MONTH)
    warning.refresh_from_db()
    with pytest.raises(ValidationError, match="at most a year"):
        actions.suspend_for_misuse(
            moderator, warning, ends=timezone.now() + datetime.timedelta(days=400), note="x"
        )
    with pytest.raises(ValidationError, match="at most a year"):
        actions.suspend_for_misuse(moderator, warning, ends=timezone.now() - IN_A_MONTH, note="x")
    with committed():
        suspension = actions.suspend_for_misuse(
            moderator, warning, ends=timezone.now() + IN_A_MONTH, note="A fourth one."
        )
    assert suspension.user == author
    assert suspension.basis == MisuseBasis.ILLEGAL_CONTENT
    assert actions.suspended_until(MisuseBasis.ILLEGAL_CONTENT, author) == suspension.ends
    assert "Suspended until" in mailbox[-1]["Subject"]
    assert AuditEntry.objects.filter(action="misuse.suspend").count() == 1


def test_a_suspended_notifier_gets_a_clear_answer_and_nothing_is_stored(client, moderator):
    article = factories.article()
    warning = actions.warn_for_misuse(
        moderator,
        basis=MisuseBasis.UNFOUNDED_NOTICES,
        email="Spammer@Example.org",
        note="Forty notices about articles that only criticise a company.",
    )
    MisuseWarning.objects.filter(pk=warning.pk).update(issued_at=timezone.now() - IN_A_MONTH)
    warning.refresh_from_db()
    actions.suspend_for_misuse(
        moderator, warning, ends=timezone.now() + IN_A_MONTH, note="More of the same."
    )
    page = client.post(
        "/en/report/",
        {
            "category": "defamation",
            "urls": "http://127.0.0.1:8000" + article.get_absolute_url(),
            "explanation": "They criticise our company again.",
            "notifier_email": "spammer@example.org",
            "bona_fide": "on",
        },
    ).content.decode()
    assert "we do not process notices from you until" in page
    assert not article.notice_items.exists()


def test_only_moderators_warn(client):
    author = contributor()
    with pytest.raises(Exception, match="Only moderators"):
        actions.warn_for_misuse(author, basis=MisuseBasis.ILLEGAL_CONTENT, user=author, note="No.")


def test_counters_show_on_the_notice_and_suspensions_in_the_report(
    client, moderator, second_moderator
):
    author = contributor()
    for _ in range(2):
        article = factories.article(by=author)
        actions.decide(
            moderator, article, notice=notice_about(article), manifestly_illegal=True, **REMOVE
        )
    unfounded = factories.article()
    actions.decide(
        moderator,
        unfounded,
        notice=notice_about(unfounded, email="noisy@example.org"),
        outcome="no_action",
        notice_manifestly_unfounded=True,
    )
    article = factories.article(by=author)
    notice = notice_about(article, email="noisy@example.org")
    client.force_login(second_moderator)
    page = client.get(f"/en/moderation/notices/{notice.uuid}/").content.decode()
    assert "2 decisions on this contributor's articles in the last 12 months found" in page
    assert "1 manifestly unfounded notice in the last 12 months" in page

    warning = actions.warn_for_misuse(
        moderator, basis=MisuseBasis.ILLEGAL_CONTENT, user=author, note="Two removals."
    )
    MisuseWarning.objects.filter(pk=warning.pk).update(issued_at=timezone.now() - IN_A_MONTH)
    warning.refresh_from_db()
    actions.suspend_for_misuse(
        moderator, warning, ends=timezone.now() + IN_A_MONTH, note="A third one."
    )
    report = client.get("/en/transparency/", {"format": "json"}).json()
    assert report["suspensions"] == {
        "illegal_content": 1,
        "unfounded_notices": 0,
        "unfounded_complaints": 0,
    }
    assert Suspension.objects.count() == 1


def test_a_moderator_warns_then_suspends_through_the_misuse_page(client, moderator, mailbox):
    author = contributor()
    client.force_login(moderator)
    assert client.get("/en/moderation/misuse/").status_code == 200
    client.post(
        "/en/moderation/misuse/",
        {"basis": "illegal_content", "email": author.email, "note": "Two copied photographs."},
    )
    warning = MisuseWarning.objects.get()
    assert warning.user == author
    too_soon = client.post(
        f"/en/moderation/misuse/{warning.uuid}/suspend/",
        {"ends": (timezone.now() + IN_A_MONTH).date().isoformat(), "note": "A third."},
    )
    assert too_soon.status_code == 400
    assert not Suspension.objects.exists()
    MisuseWarning.objects.filter(pk=warning.pk).update(issued_at=timezone.now() - IN_A_MONTH)
    client.post(
        f"/en/moderation/misuse/{warning.uuid}/suspend/",
        {"ends": (timezone.now() + IN_A_MONTH).date().isoformat(), "note": "A third."},
    )
    assert Suspension.objects.get().user == author
    assert author.email in client.get("/en/moderation/misuse/").content.decode()
    client.force_login(author)
    assert client.get("/en/moderation/misuse/").status_code == 403
