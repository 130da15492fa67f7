import pytest
from django.utils import translation

from tribune.notices.tests.conftest import BASE
from tribune.testing import factories

pytestmark = pytest.mark.django_db


def _german_is_compiled() -> bool:
    with translation.override("de"):
        return translation.gettext("Report an article") != "Report an article"


# The German strings arrive with the next merge of the translation catalogue.
needs_german = pytest.mark.skipif(not _german_is_compiled(), reason="German not compiled yet")


@needs_german
def test_a_german_reader_reports_in_german_and_gets_a_german_receipt(client, mailbox, committed):
    article = factories.article(language="de")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/de/melden/?url={article.get_absolute_url()}">Melden Sie ihn</a>' in page
    assert "Einen Artikel melden" in client.get("/de/melden/").content.decode()
    with committed():
        done = client.post(
            "/de/melden/",
            {
                "category": "defamation",
                "urls": BASE + article.get_absolute_url(),
                "explanation": "Der Artikel behauptet Unwahres über mich.",
                "notifier_email": "leserin@example.org",
                "bona_fide": "on",
            },
        ).content.decode()
    assert "Meldung eingegangen" in done
    [message] = mailbox
    assert message["Subject"].startswith("Ihre Meldung N-")
    assert "Ihre Vorgangsnummer ist" in message.get_body(preferencelist=("plain",)).get_content()


@needs_german
def test_a_german_address_of_another_site_is_refused_in_german(client):
    factories.article(language="de")
    page = client.post(
        "/de/melden/",
        {
            "category": "defamation",
            "urls": "https://example.com/de/artikel/x/",
            "explanation": "Der Artikel behauptet Unwahres über mich.",
            "bona_fide": "on",
        },
    ).content.decode()
    assert "ist keine Adresse dieser Website" in page
