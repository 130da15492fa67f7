"""The whole story as people live it, through the pages only."""

import re

import pytest

from tribune.notices.models import Appeal, Decision, Notice
from tribune.notices.tests.conftest import BASE, REMOVE, contributor
from tribune.testing import factories

pytestmark = pytest.mark.django_db


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_report_removal_appeal_restoration_and_the_report_of_the_day(
    client, moderator, second_moderator, mailbox, committed
):
    author = contributor()
    with committed():
        article = factories.article(title="Harbour at dawn", by=author)
    path = article.get_absolute_url()

    # A rights holder without an account follows "Report it" on the article.
    report_link = re.search(r'href="(/en/report/\?url=[^"]+)"', client.get(path).content.decode())
    form = client.get(report_link.group(1)).content.decode()
    assert BASE + path in form
    with committed():
        receipt = client.post(
            "/en/report/",
            {
                "category": "intellectual_property",
                "urls": BASE + path,
                "passage": "The photograph at the top.",
                "explanation": "The photograph is mine and was used without a licence.",
                "notifier_email": "photographer@example.org",
                "bona_fide": "on",
            },
        ).content.decode()
    notice = Notice.objects.get()
    assert notice.reference in receipt
    assert notice.reference in mailbox[-1]["Subject"]

    # A moderator removes it with a statement of reasons.
    client.force_login(moderator)
    assert notice.reference in client.get("/en/moderation/notices/").content.decode()
    with committed():
        client.post(f"/en/moderation/notices/{notice.uuid}/decide/{article.uuid}/", REMOVE)
    client.logout()
    assert client.get(path).status_code == 410
    for url in ("/en/", "/en/feeds/rss.xml", "/sitemap-articles.xml"):
        assert path not in client.get(url).content.decode()
    statement = next(m for m in mailbox if m["To"] == author.email)
    assert "§ 97 UrhG" in text_of(statement)

    # The contributor appeals from the desk; another moderator reverses.
    client.force_login(author)
    desk = client.get("/en/desk/").content.decode()
    appeal_url = re.search(r'href="(/en/decisions/[0-9a-f-]+/appeal/)"', desk).group(1)
    client.post(appeal_url, {"text": "I took the photograph myself; the file is attached."})
    appeal = Appeal.objects.get()
    client.force_login(second_moderator)
    with committed():
        client.post(
            f"/en/moderation/appeals/{appeal.uuid}/",
            {"reverse_decision": "yes", "reply": "The original file proves it."},
        )
    client.logout()
    assert client.get(path).status_code == 200
    assert path in client.get("/en/").content.decode()
    assert Decision.objects.get().reversed_at is not None

    # The transparency report of the day counts all of it.
    report = client.get("/en/transparency/", {"format": "json"}).json()
    assert report["notices"]["by_category"]["intellectual_property"] == 1
    assert report["decisions"]["by_outcome"]["remove"] == 1
    assert report["appeals"]["reversed"] == 1
