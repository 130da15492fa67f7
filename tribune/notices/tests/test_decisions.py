import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tribune.articles.models import Status
from tribune.core.models import AuditEntry
from tribune.notices import actions
from tribune.notices.models import Decision, Notice, Restriction, TrustedFlagger
from tribune.notices.tests.conftest import REMOVE, RESTRICT, contributor, notice_about
from tribune.testing import factories

pytestmark = pytest.mark.django_db

# The article page cache only answers readers without a session cookie.


def test_the_queue_is_for_moderators_only(client):
    assert client.get("/en/moderation/notices/").status_code == 403
    client.force_login(contributor())
    assert client.get("/en/moderation/notices/").status_code == 403


def test_the_queue_lists_trusted_flaggers_first_then_the_oldest(client, moderator):
    article = factories.article(title="Harbour news")
    first = notice_about(article)
    second = notice_about(article)
    flagger = contributor("Hate Aid")
    TrustedFlagger.objects.create(user=flagger, name="Hate Aid e.V.")
    trusted = notice_about(article, trusted=flagger)
    client.force_login(moderator)
    page = client.get("/en/moderation/notices/").content.decode()
    positions = [page.index(n.reference) for n in (trusted, first, second)]
    assert positions == sorted(positions)
    assert "Trusted flagger" in page
    assert "Harbour news" in page


def test_a_notice_shows_the_passage_and_the_history_of_article_and_contributor(
    client, moderator, django_assert_num_queries
):
    author = contributor()
    article = factories.article(title="Harbour news", by=author)
    other = factories.article(title="Older story", by=author)
    earlier = notice_about(article)
    old = notice_about(other)
    actions.decide(moderator, other, notice=old, **RESTRICT)
    for _ in range(3):  # more history, same number of queries
        more = factories.article(by=author)
        actions.decide(moderator, more, notice=notice_about(more, article), outcome="no_action")
    notice = notice_about(article)
    client.force_login(moderator)
    with django_assert_num_queries(10):  # session, user, permissions (3), notice page (5)
        page = client.get(f"/en/moderation/notices/{notice.uuid}/").content.decode()
    assert "The second paragraph." in page
    assert earlier.reference in page
    assert "Older story: Visibility restricted" in page


def test_a_removal_needs_its_grounds_and_says_which_are_missing(client, moderator):
    article = factories.article()
    notice = notice_about(article)
    client.force_login(moderator)
    response = client.post(
        f"/en/moderation/notices/{notice.uuid}/decide/{article.uuid}/", {"outcome": "remove"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Name the law or the clause of our terms." in page
    assert "State the facts and circumstances you relied on." in page
    assert not Decision.objects.exists()
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_a_contributor_can_not_decide(client):
    article = factories.article()
    notice = notice_about(article)
    client.force_login(contributor())
    response = client.post(f"/en/moderation/notices/{notice.uuid}/decide/{article.uuid}/", REMOVE)
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_a_removal_vanishes_from_every_page_list_feed_and_cache_at_once(
    client, moderator, mailbox, committed
):
    topic = factories.topic("harbours", en="Harbours")
    author = contributor()
    with committed():
        article = factories.article(
            title="Harbour cranes return", by=author, topics=(topic,), body="Cranes " * 60
        )
        neighbour = factories.article(
            title="Harbour cranes again", topics=(topic,), body="Cranes " * 60
        )
    notice = notice_about(article, email="rights@example.org", category="intellectual_property")
    lists = [
        "/en/",
        "/en/topics/harbours/",
        "/en/feeds/rss.xml",
        "/en/feeds/atom.xml",
        "/en/feeds/feed.json",
        "/sitemap-articles.xml",
        neighbour.get_absolute_url(),
    ]
    for url in lists:
        client.get(url)
        cached = client.get(url)
        assert cached["X-Cache"] == "hit", url
        assert "Harbour cranes return" in cached.content.decode() or url.endswith(".xml")
    assert client.get(article.get_absolute_url()).status_code == 200
    client.force_login(moderator)
    with committed():
        response = client.post(
            f"/en/moderation/notices/{notice.uuid}/decide/{article.uuid}/", REMOVE
        )
    assert response.status_code == 302
    client.logout()

    gone = client.get(article.get_absolute_url())
    assert gone.status_code == 410
    assert "Article removed" in gone.content.decode()
    for url in lists:
        text = client.get(url).content.decode()
        assert "Harbour cranes return" not in text, url
        assert article.get_absolute_url() not in text, url
    # Search marks the matched words, so the headline is looked for by its address.
    assert (
        article.get_absolute_url()
        not in client.get("/en/search/", {"q": "cranes"}).content.decode()
    )

    article.refresh_from_db()
    assert article.status == Status.REMOVED
    decision = Decision.objects.get()
    assert decision.notice == notice
    assert Notice.objects.get(pk=notice.pk).state == "decided"
    assert AuditEntry.objects.filter(action="notice.decide", object_id=str(decision.pk)).exists()

    by_recipient = {message["To"]: message for message in mailbox}
    statement = by_recipient[author.email].get_body(preferencelist=("plain",)).get_content()
    for part in (
        "Decision: Removed",
        "Where: everywhere; for how long: with no end date",
        "Ground: Illegal content: § 97 UrhG (copyright)",
        "https://www.gesetze-im-internet.de/urhg/__97.html",
        "reproduces a photograph",
        "Facts and circumstances: A notice showed",
        "follows a notice sent to us under Art. 16",
        "No automated means were used",
        f"/en/decisions/{decision.uuid}/appeal/",
        "out-of-court dispute settlement",
    ):
        assert part in statement, part
    decision_mail = by_recipient["rights@example.org"].get_body(preferencelist=("plain",))
    text = decision_mail.get_content()
    assert notice.reference in text
    assert "Decision: Removed" in text
    assert f"/en/decisions/{decision.uuid}/appeal/{notice.uuid}/" in text


def test_a_restricted_article_stays_reachable_but_leaves_every_list(client, moderator, committed):
    topic = factories.topic("harbours", en="Harbours")
    with committed():
        article = factories.article(title="Harbour cranes return", topics=(topic,))
    notice = notice_about(article)
    with committed():
        actions.decide(moderator, article, notice=notice, **RESTRICT)
    assert Restriction.objects.filter(article=article).exists()
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Harbour cranes return" in page.content.decode()
    for url in ("/en/", "/en/topics/harbours/", "/en/feeds/rss.xml", "/sitemap-articles.xml"):
        assert article.get_absolute_url() not in client.get(url).content.decode(), url
    assert (
        article.get_absolute_url()
        not in client.get("/en/search/", {"q": "cranes"}).content.decode()
    )


def test_no_action_changes_nothing_and_tells_the_notifier(moderator, mailbox, committed):
    article = factories.article()
    notice = notice_about(article, email="reader@example.org")
    mailbox.clear()
    with committed():
        actions.decide(moderator, article, notice=notice, outcome="no_action")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    [message] = mailbox
    assert message["To"] == "reader@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Decision: No action" in text
    assert "You can appeal this decision free of charge" in text


def test_the_contributor_sees_the_statement_of_reasons_on_the_desk(client, moderator):
    author = contributor()
    article = factories.article(title="Harbour cranes return", by=author)
    actions.decide(moderator, article, notice=notice_about(article), **REMOVE)
    client.force_login(author)
    page = client.get("/en/desk/").content.decode()
    assert "Decisions on your articles" in page
    assert "§ 97 UrhG (copyright)" in page
    assert "reproduces a photograph" in page
    assert "Appeal" in page


def test_a_decision_for_one_of_two_articles_keeps_the_notice_in_the_queue(moderator):
    first, second = factories.article(), factories.article()
    notice = notice_about(first, second)
    actions.decide(moderator, first, notice=notice, outcome="no_action")
    assert Notice.objects.get(pk=notice.pk).state == "received"
    actions.decide(moderator, second, notice=notice, outcome="no_action")
    decided = Notice.objects.get(pk=notice.pk)
    assert decided.state == "decided"
    assert decided.decided_at >= decided.received_at
    assert decided.received_at == notice.received_at


def test_a_decision_is_taken_once(moderator, second_moderator):
    article = factories.article()
    notice = notice_about(article)
    actions.decide(moderator, article, notice=notice, outcome="no_action")
    with pytest.raises(actions.AlreadyDecided):
        actions.decide(second_moderator, article, notice=notice, **REMOVE)


def test_the_appeal_deadline_is_six_months_after_the_decision(moderator):
    article = factories.article()
    decision = actions.decide(moderator, article, notice=notice_about(article), **REMOVE)
    assert decision.appeal_deadline - decision.decided_at >= datetime.timedelta(days=183)
    assert decision.appeal_deadline > timezone.now() + datetime.timedelta(days=180)


def test_the_queue_costs_the_same_queries_for_three_or_six_notices(
    client, moderator, django_assert_num_queries
):
    client.force_login(moderator)
    for _ in range(3):
        notice_about(factories.article(), factories.article())
    with django_assert_num_queries(6):  # session, user, permissions (2), notices, items
        client.get("/en/moderation/notices/")
    for _ in range(3):
        notice_about(factories.article())
    with django_assert_num_queries(6):
        assert client.get("/en/moderation/notices/").status_code == 200


def test_a_restriction_that_can_not_be_applied_leaves_no_statement_behind(moderator):
    article = factories.article()
    notice = notice_about(article)
    from tribune.articles.models import Article

    Article.objects.filter(pk=article.pk).update(status=Status.DRAFT)
    with pytest.raises(ValidationError):
        actions.decide(moderator, article, notice=notice, **REMOVE)
    assert not Decision.objects.exists(), "statement and restriction share one transaction"
    assert not AuditEntry.objects.filter(action="notice.decide").exists()


def test_a_restricted_article_leaves_search_even_before_the_index_catches_up(
    client, moderator, committed
):
    with committed():
        article = factories.article(title="Harbour cranes return")
    url = article.get_absolute_url()
    assert url in client.get("/en/search/", {"q": "cranes"}).content.decode()
    # Decided without running the follow-up tasks: the index still holds the article.
    actions.decide(moderator, article, notice=notice_about(article), **RESTRICT)
    assert url not in client.get("/en/search/", {"q": "cranes"}).content.decode()
