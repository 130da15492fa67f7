"""A contributor suspended for manifestly illegal content (DSA art. 23(1)) cannot save or
submit articles until the suspension ends, and reads why on the desk."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from tribune.articles.models import Article, Status
from tribune.notices import actions
from tribune.notices.models import MisuseBasis, MisuseWarning, Suspension
from tribune.submissions.models import Submission

pytestmark = pytest.mark.django_db

DRAFT = {
    "title": "Our river, measured by us",
    "summary": "Volunteers test the water every month.",
    "body": "Intro.\n\n## Why\n\nBecause.",
    "language": "en",
    "sources": "https://example.org/river-report",
}
IN_A_MONTH = datetime.timedelta(days=30)


def writer():
    user = get_user_model().objects.create_user(
        username="writer", email="writer@example.org", password="pw-123456!"
    )
    user.groups.add(Group.objects.get(name="Contributors"))
    return get_user_model().objects.get(pk=user.pk)


def suspend(moderator, user, basis=MisuseBasis.ILLEGAL_CONTENT) -> Suspension:
    warning = actions.warn_for_misuse(
        moderator, basis=basis, user=user, note="Two articles with copied photographs."
    )
    MisuseWarning.objects.filter(pk=warning.pk).update(issued_at=timezone.now() - IN_A_MONTH)
    warning.refresh_from_db()
    return actions.suspend_for_misuse(
        moderator, warning, ends=timezone.now() + IN_A_MONTH, note="A third copied photograph."
    )


def test_a_suspended_contributor_cannot_save_a_draft_and_is_told_until_when(client, moderator):
    author = writer()
    suspension = suspend(moderator, author)
    client.force_login(author)
    response = client.post("/en/desk/new/", {**DRAFT, "save": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"suspended until {suspension.ends.date().isoformat()}" in page
    assert "cannot save or submit articles" in page
    assert DRAFT["body"].split("\n")[0] in page, "what they wrote stays on screen"
    assert not Article.objects.exists()

    desk = client.get("/en/desk/").content.decode()
    assert "Suspensions of your account" in desk
    assert "A third copied photograph." in desk
    assert f"/en/suspensions/{suspension.uuid}/appeal/" in desk


def test_a_suspended_contributor_cannot_submit_a_draft_written_before(client, moderator):
    author = writer()
    client.force_login(author)
    client.post("/en/desk/new/", {**DRAFT, "save": "1"})
    article = Article.objects.get()
    suspend(moderator, author)
    response = client.post(
        f"/en/desk/{article.uuid}/",
        {
            **DRAFT,
            "based_on": article.latest_revision_id,
            "accept_guidelines": "on",
            "submit": "1",
        },
    )
    assert "cannot save or submit articles" in response.content.decode()
    assert not Submission.objects.exists()
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_other_suspensions_and_ended_ones_do_not_stop_writing(client, moderator):
    author = writer()
    # Suspended from sending notices, not from writing (DSA art. 23(2) is a different basis).
    suspend(moderator, author, basis=MisuseBasis.UNFOUNDED_NOTICES)
    ended = suspend(moderator, author)
    Suspension.objects.filter(pk=ended.pk).update(ends=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(author)
    response = client.post("/en/desk/new/", {**DRAFT, "save": "1"})
    assert response.status_code == 302
    assert Article.objects.count() == 1
    assert "Suspension ended" in client.get("/en/desk/").content.decode()


def test_a_lifted_suspension_lets_the_contributor_write_again(client, moderator):
    author = writer()
    suspension = suspend(moderator, author)
    actions.lift_suspension(moderator, suspension)
    client.force_login(author)
    assert client.post("/en/desk/new/", {**DRAFT, "save": "1"}).status_code == 302
    assert "Suspension lifted on appeal" in client.get("/en/desk/").content.decode()
