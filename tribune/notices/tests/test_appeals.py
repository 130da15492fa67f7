import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tribune.articles.models import Status
from tribune.notices import actions
from tribune.notices.models import Appeal, Decision, Notice, Restriction
from tribune.notices.tests.conftest import REMOVE, RESTRICT, contributor, notice_about
from tribune.testing import factories

pytestmark = pytest.mark.django_db


def link_in(message, pattern: str) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:8000(" + pattern + r")", text).group(1)


def test_the_contributor_appeals_a_removal_and_another_moderator_restores_the_article(
    client, moderator, second_moderator, mailbox, committed
):
    author = contributor()
    with committed():
        article = factories.article(title="Harbour cranes return", by=author)
    notice = notice_about(article)
    with committed():
        decision = actions.decide(moderator, article, notice=notice, **REMOVE)
    assert client.get(article.get_absolute_url()).status_code == 410

    client.force_login(author)
    appeal_path = link_in(mailbox[-1], r"/en/decisions/[0-9a-f-]+/appeal/")
    assert "An appeal is free" in client.get(appeal_path).content.decode()
    done = client.post(appeal_path, {"text": "The photograph is my own; here is the original."})
    assert "Appeal received" in done.content.decode()
    appeal = Appeal.objects.get()
    assert appeal.by_contributor

    client.force_login(moderator)
    own = client.post(
        f"/en/moderation/appeals/{appeal.uuid}/", {"reverse_decision": "yes", "reply": "Mine."}
    )
    assert "another moderator must decide" in own.content.decode()
    assert Appeal.objects.get().state == "open"

    client.force_login(second_moderator)
    assert "Harbour cranes return" in client.get("/en/moderation/appeals/").content.decode()
    with committed():
        response = client.post(
            f"/en/moderation/appeals/{appeal.uuid}/",
            {"reverse_decision": "yes", "reply": "The author showed the original file."},
        )
    assert response.status_code == 302
    client.logout()
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Harbour cranes return" in client.get("/en/").content.decode()
    assert Decision.objects.get(pk=decision.pk).reversed_at is not None
    last = mailbox[-1]
    assert last["To"] == author.email
    assert "reversed the decision" in last.get_body(preferencelist=("plain",)).get_content()


def test_reversing_a_restriction_brings_the_article_back_into_the_lists(
    moderator, second_moderator, client, committed
):
    with committed():
        article = factories.article(title="Harbour cranes return")
    decision = actions.decide(moderator, article, notice=notice_about(article), **RESTRICT)
    appeal = actions.appeal_decision(
        article.author, decision, by_contributor=True, text="It follows the guidelines."
    )
    with committed():
        actions.decide_appeal(second_moderator, appeal, reverse_decision=True, reply="Agreed.")
    assert not Restriction.objects.exists()
    assert "Harbour cranes return" in client.get("/en/").content.decode()


def test_the_notifier_appeals_no_action_through_the_mail_link_without_an_account(
    client, moderator, second_moderator, mailbox, committed
):
    article = factories.article()
    notice = notice_about(article, email="reader@example.org")
    with committed():
        actions.decide(moderator, article, notice=notice, outcome="no_action")
    path = link_in(mailbox[-1], r"/en/decisions/[0-9a-f-]+/appeal/[0-9a-f-]+/")
    client.post(path, {"text": "The article names me and my address; please look again."})
    appeal = Appeal.objects.get()
    assert not appeal.by_contributor
    with committed():
        actions.decide_appeal(
            second_moderator, appeal, reverse_decision=True, reply="We will decide again."
        )
    assert Notice.objects.get(pk=notice.pk).state == "received", "back in the queue"
    assert mailbox[-1]["To"] == "reader@example.org"
    # A new decision can now be taken on the same notice.
    actions.decide(second_moderator, article, notice=notice, **REMOVE)
    article.refresh_from_db()
    assert article.status == Status.REMOVED


def test_a_notice_link_of_another_notice_opens_no_appeal(client, moderator):
    article = factories.article()
    decision = actions.decide(moderator, article, notice=notice_about(article), **REMOVE)
    other = notice_about(article)
    assert client.get(f"/en/decisions/{decision.uuid}/appeal/{other.uuid}/").status_code == 404


def test_only_the_author_can_appeal_as_contributor(client, moderator):
    article = factories.article()
    decision = actions.decide(moderator, article, notice=notice_about(article), **REMOVE)
    client.force_login(contributor("Someone else"))
    assert client.get(f"/en/decisions/{decision.uuid}/appeal/").status_code == 404
    client.logout()
    assert client.get(f"/en/decisions/{decision.uuid}/appeal/").status_code == 302


def test_an_appeal_is_accepted_until_the_deadline_and_refused_after_it(moderator):
    article = factories.article()
    decision = actions.decide(moderator, article, notice=notice_about(article), **REMOVE)
    day = datetime.timedelta(days=1)
    Decision.objects.filter(pk=decision.pk).update(
        decided_at=timezone.now() - (decision.appeal_deadline - decision.decided_at) + day
    )
    decision.refresh_from_db()
    actions.appeal_decision(article.author, decision, by_contributor=True, text="Too harsh.")
    Decision.objects.filter(pk=decision.pk).update(decided_at=decision.decided_at - 2 * day)
    decision.refresh_from_db()
    with pytest.raises(ValidationError, match="The time to appeal this decision has passed"):
        actions.appeal_decision(None, decision, by_contributor=False, text="Late.")


def test_an_upheld_appeal_leaves_the_decision_in_force(moderator, second_moderator):
    article = factories.article()
    decision = actions.decide(moderator, article, notice=notice_about(article), **REMOVE)
    appeal = actions.appeal_decision(article.author, decision, by_contributor=True, text="No.")
    actions.decide_appeal(second_moderator, appeal, reverse_decision=False, reply="It stays.")
    article.refresh_from_db()
    assert article.status == Status.REMOVED
    assert Appeal.objects.get().state == "upheld"
    with pytest.raises(PermissionDenied):
        actions.decide_appeal(moderator, appeal, reverse_decision=True, reply="Mine.")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_appeal_carries_an_attachment_that_only_moderators_download(
    client, moderator, second_moderator
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    author = contributor()
    article = factories.article(by=author)
    decision = actions.decide(moderator, article, notice=notice_about(article), **REMOVE)
    client.force_login(author)
    refused = client.post(
        f"/en/decisions/{decision.uuid}/appeal/",
        {
            "text": "See the licence.",
            "attachment": SimpleUploadedFile("licence.png", b"<html><script>alert(1)</script>"),
        },
    )
    assert "Please attach a PDF, PNG or JPEG file." in refused.content.decode()
    assert not Appeal.objects.exists()
    client.post(
        f"/en/decisions/{decision.uuid}/appeal/",
        {"text": "See the licence.", "attachment": SimpleUploadedFile("../../x.html", PNG)},
    )
    appeal = Appeal.objects.get()
    assert appeal.attachment.name.endswith(".png")
    assert ".." not in appeal.attachment.name and "x.html" not in appeal.attachment.name
    url = f"/en/moderation/appeals/{appeal.uuid}/attachment/"
    assert client.get(url).status_code == 403
    client.force_login(second_moderator)
    assert (
        "Download the attachment"
        in client.get(f"/en/moderation/appeals/{appeal.uuid}/").content.decode()
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PNG
