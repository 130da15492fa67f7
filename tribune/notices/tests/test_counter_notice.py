import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from tribune.articles.models import Status
from tribune.notices import actions
from tribune.notices.businessdays import add_business_days, federal_holidays
from tribune.notices.models import CounterNotice
from tribune.notices.tests.conftest import REMOVE, contributor, notice_about
from tribune.testing import factories

pytestmark = pytest.mark.django_db

COUNTER = {
    "name": "Ada Writer",
    "address": "Hafenstraße 1\n20457 Hamburg",
    "telephone": "+49 40 123456",
    "signature": "Ada Writer",
    "statements": "on",
}


def test_the_federal_holidays_of_2026_with_their_observed_days():
    assert federal_holidays(2026) == {
        datetime.date(2026, 1, 1),
        datetime.date(2026, 1, 19),
        datetime.date(2026, 2, 16),
        datetime.date(2026, 5, 25),
        datetime.date(2026, 6, 19),
        datetime.date(2026, 7, 3),  # 4 July is a Saturday
        datetime.date(2026, 9, 7),
        datetime.date(2026, 10, 12),
        datetime.date(2026, 11, 11),
        datetime.date(2026, 11, 26),
        datetime.date(2026, 12, 25),
    }


def test_ten_business_days_skip_weekends_and_thanksgiving():
    # Friday 20 November 2026: Thanksgiving (26th) and two weekends fall in between.
    assert add_business_days(datetime.date(2026, 11, 20), 10) == datetime.date(2026, 12, 7)
    assert add_business_days(datetime.date(2026, 11, 20), 14) == datetime.date(2026, 12, 11)


@pytest.fixture
def removal(settings, moderator):
    settings.TRIBUNE_DMCA = True
    author = contributor()
    article = factories.article(title="Harbour at dawn", by=author)
    notice = notice_about(article, email="rights@example.org", category="intellectual_property")
    return actions.decide(moderator, article, notice=notice, **REMOVE)


def test_a_counter_notice_is_forwarded_and_the_article_restored_after_ten_business_days(
    client, removal, mailbox, committed
):
    author = removal.article.author
    client.force_login(author)
    desk = client.get("/en/desk/").content.decode()
    assert "Send a DMCA counter-notice" in desk
    with committed():
        page = client.post(f"/en/decisions/{removal.uuid}/counter-notice/", COUNTER)
    assert "Counter-notice received" in page.content.decode()
    counter = CounterNotice.objects.get()
    assert counter.restore_on == add_business_days(counter.received_at.date(), 10)
    forwarded = mailbox[-1]
    assert forwarded["To"] == "rights@example.org"
    text = forwarded.get_body(preferencelist=("plain",)).get_content()
    assert "Hafenstraße 1" in text
    assert counter.restore_on.isoformat() in text

    call_command("restore_counter_noticed")
    removal.article.refresh_from_db()
    assert removal.article.status == Status.REMOVED, "not before the tenth business day"

    # Ten business days later (the restore date moved to today instead of the clock).
    CounterNotice.objects.filter(pk=counter.pk).update(restore_on=timezone.now().date())
    with committed():
        call_command("restore_counter_noticed")
    removal.article.refresh_from_db()
    assert removal.article.status == Status.PUBLISHED
    assert CounterNotice.objects.get().state == "restored"
    client.logout()
    assert client.get(removal.article.get_absolute_url()).status_code == 200


def test_a_court_action_keeps_the_article_removed(removal, second_moderator):
    counter = actions.submit_counter_notice(
        removal.article.author,
        removal,
        **{**COUNTER, "statements": True},
    )
    actions.record_court_action(second_moderator, counter)
    CounterNotice.objects.filter(pk=counter.pk).update(restore_on=timezone.now().date())
    call_command("restore_counter_noticed")
    removal.article.refresh_from_db()
    assert removal.article.status == Status.REMOVED


def test_only_the_author_answers_and_only_copyright_removals(removal, moderator):
    with pytest.raises(Exception, match="Only the article's author"):
        actions.submit_counter_notice(
            contributor("Someone"), removal, **{**COUNTER, "statements": True}
        )
    other = factories.article()
    defamation = actions.decide(moderator, other, notice=notice_about(other), **REMOVE)
    with pytest.raises(ValidationError, match="can not be answered"):
        actions.submit_counter_notice(other.author, defamation, **{**COUNTER, "statements": True})
