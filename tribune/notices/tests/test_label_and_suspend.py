"""The decision form's "label" outcome and its "warn / suspend the contributor" step."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import timezone

from tribune.articles.models import Status
from tribune.notices import actions, transparency
from tribune.notices.models import (
    Decision,
    Label,
    MisuseBasis,
    MisuseWarning,
    Suspension,
)
from tribune.notices.tests.conftest import REMOVE, RESTRICT, contributor, notice_about
from tribune.testing import factories

pytestmark = pytest.mark.django_db

LABEL = {**RESTRICT, "outcome": "label", "explanation": "The figures are not sourced."}
IN_A_MONTH = timezone.now().date() + datetime.timedelta(days=30)


def decide_url(notice, article) -> str:
    return f"/en/moderation/notices/{notice.uuid}/decide/{article.uuid}/"


def banner(article) -> str:
    return Template("{% load notices %}{% notice_label article %}").render(
        Context({"article": article})
    )


def test_a_labelled_article_stays_in_every_list_with_a_banner_and_a_public_statement(
    client, moderator, mailbox, committed
):
    author = contributor()
    with committed():
        article = factories.article(title="Harbour cranes return", by=author)
    notice = notice_about(article, category="guidelines")
    client.force_login(moderator)
    form = client.get(f"/en/moderation/notices/{notice.uuid}/").content.decode()
    assert "Labelled as disputed" in form and "Suspend the contributor" in form
    with committed():
        response = client.post(decide_url(notice, article), LABEL)
    assert response.status_code == 302
    client.logout()

    decision = Decision.objects.get()
    assert decision.outcome == "label"
    assert Label.objects.get().article == article
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert "Harbour cranes return" in client.get("/en/").content.decode(), "still listed"
    assert client.get(article.get_absolute_url()).status_code == 200

    shown = banner(article)
    assert "Disputed content" in shown
    assert "breaks our submission guidelines" in shown
    statement_path = f"/en/decisions/{decision.uuid}/"
    assert statement_path in shown
    public = client.get(statement_path).content.decode()
    assert "The figures are not sourced." in public
    assert "Harbour cranes return" in public
    assert author.email not in public and "Ada Writer" not in public

    [to_author] = [m for m in mailbox if m["To"] == author.email]
    assert "Labelled as disputed" in to_author.get_body(preferencelist=("plain",)).get_content()

    day = datetime.timedelta(days=1)
    batch = transparency.statements(decision.decided_at - day, timezone.now())
    [entry] = batch["statements"]
    assert entry["decision_visibility"] == ["DECISION_VISIBILITY_OTHER"]
    assert "label" in entry["decision_visibility_other"].lower()


def test_reversing_a_label_takes_the_banner_and_the_statement_page_away(
    client, moderator, second_moderator, committed
):
    with committed():
        article = factories.article(title="Harbour cranes return")
    decision = actions.decide(moderator, article, notice=notice_about(article), **LABEL)
    appeal = actions.appeal_decision(
        article.author, decision, by_contributor=True, text="The figures come from the port."
    )
    with committed():
        actions.decide_appeal(second_moderator, appeal, reverse_decision=True, reply="Agreed.")
    article.refresh_from_db()
    assert not Label.objects.exists()
    assert "Disputed content" not in banner(article)
    assert client.get(f"/en/decisions/{decision.uuid}/").status_code == 404


def test_only_label_decisions_have_a_public_statement(client, moderator):
    article = factories.article()
    decision = actions.decide(moderator, article, notice=notice_about(article), **RESTRICT)
    assert client.get(f"/en/decisions/{decision.uuid}/").status_code == 404


def test_a_suspension_from_the_decision_form_needs_an_earlier_warning(client, moderator):
    author = contributor()
    article = factories.article(title="Copied photographs", by=author)
    notice = notice_about(article, category="intellectual_property")
    client.force_login(moderator)
    suspend = {
        **REMOVE,
        "manifestly_illegal": "on",
        "misuse_step": "suspend",
        "suspension_ends": IN_A_MONTH.isoformat(),
        "misuse_note": "A second copied photograph in a month.",
    }
    response = client.post(decide_url(notice, article), suspend)
    assert response.status_code == 400
    assert "needs a warning given at least a day before" in response.content.decode()
    # The decision and the suspension stand or fall together.
    assert not Decision.objects.exists()
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED

    not_manifest = client.post(decide_url(notice, article), {**suspend, "manifestly_illegal": ""})
    assert "Only a restriction of manifestly illegal content" in not_manifest.content.decode()
    assert not Decision.objects.exists()


def test_a_moderator_warns_from_one_decision_and_suspends_from_a_later_one(
    client, moderator, mailbox, committed
):
    author = contributor()
    first = factories.article(title="Copied photographs", by=author)
    second = factories.article(title="More copied photographs", by=author)
    client.force_login(moderator)
    notice = notice_about(first, category="intellectual_property")
    with committed():
        response = client.post(
            decide_url(notice, first),
            {
                **REMOVE,
                "manifestly_illegal": "on",
                "misuse_step": "warn",
                "misuse_note": "A photograph copied from a news agency.",
            },
        )
    assert response.status_code == 302
    warning = MisuseWarning.objects.get()
    assert warning.user == author and warning.basis == MisuseBasis.ILLEGAL_CONTENT
    assert any("A warning from" in m["Subject"] for m in mailbox if m["To"] == author.email)

    MisuseWarning.objects.filter(pk=warning.pk).update(
        issued_at=timezone.now() - datetime.timedelta(days=10)
    )
    notice = notice_about(second, category="intellectual_property")
    without_end = client.post(
        decide_url(notice, second),
        {**REMOVE, "manifestly_illegal": "on", "misuse_step": "suspend", "misuse_note": "x"},
    )
    assert "Give the day the suspension ends." in without_end.content.decode()
    with committed():
        response = client.post(
            decide_url(notice, second),
            {
                **REMOVE,
                "manifestly_illegal": "on",
                "misuse_step": "suspend",
                "suspension_ends": IN_A_MONTH.isoformat(),
                "misuse_note": "A second copied photograph after the warning.",
            },
        )
    assert response.status_code == 302
    suspension = Suspension.objects.get()
    decision = Decision.objects.get(article=second)
    assert suspension.decision == decision
    assert suspension.warning == warning
    assert suspension.ends.date() == IN_A_MONTH
    assert actions.suspended_until(MisuseBasis.ILLEGAL_CONTENT, author) == suspension.ends

    statement = next(m for m in mailbox if m["Subject"].startswith("Suspended until"))
    text = statement.get_body(preferencelist=("plain",)).get_content()
    assert "This is our statement of reasons." in text
    assert "You cannot save or submit articles." in text
    assert "A second copied photograph after the warning." in text
    assert re.search(rf"/en/suspensions/{suspension.uuid}/appeal/", text)


def test_reversing_the_decision_lifts_the_suspension_it_started(
    moderator, second_moderator, committed
):
    author = contributor()
    article = factories.article(by=author)
    warning = actions.warn_for_misuse(
        moderator, basis=MisuseBasis.ILLEGAL_CONTENT, user=author, note="First time."
    )
    MisuseWarning.objects.filter(pk=warning.pk).update(
        issued_at=timezone.now() - datetime.timedelta(days=10)
    )
    decision = actions.decide(
        moderator,
        article,
        notice=notice_about(article),
        **REMOVE,
        manifestly_illegal=True,
        misuse_step="suspend",
        suspension_ends=timezone.now() + datetime.timedelta(days=30),
        misuse_note="Again.",
    )
    appeal = actions.appeal_decision(author, decision, by_contributor=True, text="It is mine.")
    with committed():
        actions.decide_appeal(second_moderator, appeal, reverse_decision=True, reply="It is.")
    assert Suspension.objects.get().lifted_at is not None
    assert actions.suspended_until(MisuseBasis.ILLEGAL_CONTENT, author) is None


def test_the_public_statement_goes_with_the_article_and_costs_one_query(
    client, moderator, django_assert_num_queries
):
    article = factories.article(title="Harbour cranes return")
    decision = actions.decide(moderator, article, notice=notice_about(article), **LABEL)
    client.cookies["sessionid"] = "none"  # past the page cache
    with django_assert_num_queries(1):  # the statement; the cookie finds no session
        assert client.get(f"/en/decisions/{decision.uuid}/").status_code == 200
    other = notice_about(article)
    actions.decide(moderator, article, notice=other, **REMOVE)
    assert client.get(f"/en/decisions/{decision.uuid}/").status_code == 404
