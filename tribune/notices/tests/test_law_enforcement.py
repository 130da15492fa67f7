"""DSA art. 18: a moderator informs the authorities of a suspected crime threatening life or
safety, from the notice's page."""

import pytest

from tribune.core.models import AuditEntry
from tribune.notices.models import CrimeReport
from tribune.notices.tests.conftest import BASE, contributor, notice_about
from tribune.testing import factories

pytestmark = pytest.mark.django_db

POLICE = "hinweise@polizei.example"
WHY = "The article announces an attack on a named school next Monday, with a time and place."


@pytest.fixture
def case():
    author = contributor("Ada Writer")
    article = factories.article(
        title="Harbour news", by=author, body="We will be at the school gate at eight."
    )
    notice = notice_about(article, email="reader@example.org")
    return {"author": author, "article": article, "notice": notice}


def _url(notice, article) -> str:
    return f"/en/moderation/notices/{notice.uuid}/law-enforcement/{article.uuid}/"


def test_a_moderator_informs_the_authorities_with_everything_we_hold(
    client, moderator, case, mailbox, committed, settings
):
    settings.TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL = POLICE
    notice, article, author = case["notice"], case["article"], case["author"]
    client.force_login(moderator)
    page = client.get(f"/en/moderation/notices/{notice.uuid}/").content.decode()
    assert f"Inform the authorities ({POLICE})" in page
    with committed():
        response = client.post(_url(notice, article), {"crime-explanation": WHY})
    assert response.status_code == 302
    [message] = mailbox
    assert message["To"] == POLICE
    assert message["Subject"] == (
        "Suspected criminal offence (Art. 18 DSA) on Tribune: Harbour news"
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert WHY in text
    assert BASE + article.get_absolute_url() in text
    assert "We will be at the school gate at eight." in text  # the content itself
    assert "The second paragraph." in text  # the passage the notifier named
    assert notice.reference in text
    assert "reader@example.org" in text
    assert author.email in text and author.username in text and "Ada Writer" in text
    assert "moderator@example.org" in text  # whom to ask
    report = CrimeReport.objects.get()
    assert (report.sent_to, report.sent_by, report.notice) == (POLICE, moderator, notice)
    entry = AuditEntry.objects.get(action="notice.report_crime")
    assert entry.actor == moderator
    assert entry.data["sent_to"] == POLICE
    history = client.get(f"/en/moderation/notices/{notice.uuid}/").content.decode()
    assert f"reported to law enforcement ({POLICE}) by moderator" in history
    assert WHY in history
    assert f"Reported to {POLICE} on" in history


def test_without_a_configured_address_the_form_says_so_and_nothing_is_sent(
    client, moderator, case, mailbox, committed, settings
):
    settings.TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL = ""
    notice, article = case["notice"], case["article"]
    client.force_login(moderator)
    page = client.get(f"/en/moderation/notices/{notice.uuid}/").content.decode()
    assert "the operator must set TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL" in page
    assert "Inform the authorities" not in page
    with committed():
        response = client.post(_url(notice, article), {"crime-explanation": WHY})
    assert response.status_code == 400
    assert "No law enforcement address is configured" in response.content.decode()
    assert not CrimeReport.objects.exists()
    assert not AuditEntry.objects.filter(action="notice.report_crime").exists()
    assert mailbox == []


def test_the_explanation_is_required(client, moderator, case, mailbox, committed, settings):
    settings.TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL = POLICE
    client.force_login(moderator)
    with committed():
        response = client.post(_url(case["notice"], case["article"]), {"crime-explanation": "   "})
    assert response.status_code == 400
    assert "Explain why the content suggests a threat to life or safety." in (
        response.content.decode()
    )
    assert not CrimeReport.objects.exists()
    assert mailbox == []


def test_header_injection_in_the_title_and_explanation_adds_no_header_or_recipient(
    client, moderator, mailbox, committed, settings
):
    settings.TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL = POLICE
    article = factories.article(title="Harbour\r\nBcc: victim@example.com", by=contributor())
    notice = notice_about(article)
    client.force_login(moderator)
    with committed():
        client.post(
            _url(notice, article),
            {"crime-explanation": "Threat.\r\nBcc: another@example.com\r\n\r\nBody"},
        )
    [message] = mailbox
    assert message["Bcc"] is None
    assert message.get_all("To") == [POLICE]
    assert "\n" not in message["Subject"]
    assert "Bcc: another@example.com" in message.get_body(preferencelist=("plain",)).get_content()


def test_only_moderators_may_report_and_only_articles_of_the_notice(
    client, moderator, case, settings
):
    settings.TRIBUNE_DSA_LAW_ENFORCEMENT_EMAIL = POLICE
    notice, article = case["notice"], case["article"]
    client.force_login(case["author"])
    assert client.post(_url(notice, article), {"crime-explanation": WHY}).status_code == 403
    client.force_login(moderator)
    other = factories.article(by=case["author"])
    assert client.post(_url(notice, other), {"crime-explanation": WHY}).status_code == 404
    assert client.get(_url(notice, article)).status_code == 405
    assert not CrimeReport.objects.exists()
