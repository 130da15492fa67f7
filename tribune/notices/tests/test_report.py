import pytest
from django.core.cache import cache

from tribune.core.models import AuditEntry
from tribune.notices.models import Notice, NoticeItem
from tribune.testing import factories

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


def url_of(article) -> str:
    return BASE + article.get_absolute_url()


def good(*articles, **changes) -> dict:
    data = {
        "category": "defamation",
        "urls": "\n".join(url_of(article) for article in articles),
        "passage": "The second paragraph.",
        "explanation": "It says I was convicted of fraud, which is untrue and harms my name.",
        "bona_fide": "on",
    }
    data.update(changes)
    return data


def test_a_reader_without_an_account_reports_three_articles_and_gets_a_reference(
    client, mailbox, committed
):
    articles = [factories.article() for _ in range(3)]
    with committed():
        response = client.post("/en/report/", good(*articles))
    assert response.status_code == 200
    notice = Notice.objects.get()
    assert notice.reference in response.content.decode()
    assert "cannot tell you our decision" in response.content.decode()
    assert {item.article_id for item in NoticeItem.objects.all()} == {a.pk for a in articles}
    assert notice.received_at is not None
    assert notice.notifier is None
    assert mailbox == [], "no address, no mail"
    entry = AuditEntry.objects.get(action="notice.receive")
    assert entry.object_id == str(notice.pk)


def test_a_notifier_who_gives_an_address_gets_a_receipt_at_once(client, mailbox, committed):
    article = factories.article(title="A story about the harbour")
    with committed():
        client.post(
            "/en/report/",
            good(article, notifier_name="Jana Kowalski", notifier_email="Jana@Example.org"),
        )
    notice = Notice.objects.get()
    [message] = mailbox
    assert message["To"] == "jana@example.org"
    assert notice.reference in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Hello Jana Kowalski" in text
    assert url_of(article) in text
    assert notice.acknowledged_at is not None


def test_the_article_page_links_to_the_report_form_with_the_article_filled_in(client):
    article = factories.article()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/en/report/?url={article.get_absolute_url()}"' in page
    assert "legal@example.org" in page, "the legal contact stays visible"
    form = client.get(f"/en/report/?url={article.get_absolute_url()}").content.decode()
    assert url_of(article) in form


def test_a_notice_without_the_good_faith_statement_is_refused(client):
    article = factories.article()
    data = good(article)
    del data["bona_fide"]
    response = client.post("/en/report/", data)
    assert "Please confirm that your notice is made in good faith." in response.content.decode()
    assert not Notice.objects.exists()


def test_addresses_of_other_sites_and_missing_articles_are_named_in_the_answer(client):
    article = factories.article()
    draft = factories.article(published=False)
    data = good(
        article,
        urls="\n".join(
            [
                url_of(article),
                "https://evil.example.com/en/articles/x/",
                BASE + "/en/articles/no-such-article/",
                url_of(draft),
                "javascript:alert(1)",
            ]
        ),
    )
    page = client.post("/en/report/", data).content.decode()
    assert "“https://evil.example.com/en/articles/x/” is not an address on this site" in page
    assert f"“{BASE}/en/articles/no-such-article/” is not one of our articles" in page
    assert f"“{url_of(draft)}” is not one of our articles" in page
    assert "“javascript:alert(1)” is not an address on this site" in page
    assert not Notice.objects.exists()


def test_five_hundred_addresses_are_refused_with_the_limit(client):
    article = factories.article()
    page = client.post("/en/report/", good(article, urls="\n".join([url_of(article)] * 500)))
    assert "Please report at most 20 addresses in one notice (you gave 500)" in (
        page.content.decode()
    )
    assert not Notice.objects.exists()


def test_an_explanation_of_a_hundred_kilobytes_is_refused_and_the_text_kept_on_screen(client):
    article = factories.article()
    text = "word " * 20_479 + "word."
    page = client.post("/en/report/", good(article, explanation=text)).content.decode()
    assert "Ensure this value has at most 10000 characters (it has 102400)." in page
    assert "word word word" in page, "what was typed is not lost"
    assert not Notice.objects.exists()


def test_header_injection_in_name_or_address_is_refused_and_nothing_is_sent(
    client, mailbox, committed
):
    article = factories.article()
    with committed():
        page = client.post(
            "/en/report/",
            good(
                article,
                notifier_name="Eve\r\nBcc: victim@example.org",
                notifier_email="eve@example.org\r\nBcc: victim@example.org",
            ),
        ).content.decode()
    assert "Please write this on one line." in page
    assert "Enter a valid email address." in page
    assert not Notice.objects.exists()
    assert mailbox == []


def test_the_same_url_twice_is_one_reported_article(client):
    article = factories.article()
    client.post("/en/report/", good(article, urls=f"{url_of(article)}\n{url_of(article)}"))
    assert NoticeItem.objects.count() == 1


def test_a_copyright_notice_keeps_the_dmca_details(client, settings):
    settings.TRIBUNE_DMCA = True
    article = factories.article()
    client.post(
        "/en/report/",
        good(
            article,
            category="intellectual_property",
            dmca_work="My photograph “Harbour at dawn”, 2024",
            dmca_rights_holder="Jana Kowalski",
            dmca_contact="Hafenstraße 1, 20457 Hamburg, +49 40 123456",
            dmca_signature="Jana Kowalski",
            dmca_statements="on",
        ),
    )
    notice = Notice.objects.get()
    assert notice.dmca_work.startswith("My photograph")
    assert notice.dmca_signature == "Jana Kowalski"
    assert notice.dmca_statements


def test_a_bot_that_fills_the_hidden_field_is_answered_alike_but_nothing_is_stored(client):
    article = factories.article()
    response = client.post("/en/report/", good(article, website="http://spam.example"))
    assert response.status_code == 200
    assert "Notice received" in response.content.decode()
    assert not Notice.objects.exists()


def test_too_many_notices_from_one_address_get_a_429(client, settings):
    article = factories.article()
    cache.clear()
    for _ in range(settings.TRIBUNE_NOTICES_PER_HOUR):
        assert client.post("/en/report/", good(article)).status_code == 200
    assert client.post("/en/report/", good(article)).status_code == 429


def test_the_form_needs_a_csrf_token(client):
    from django.test import Client

    article = factories.article()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/en/report/", good(article)).status_code == 403
    assert not Notice.objects.exists()


def test_received_at_can_not_be_changed_once_stored(client):
    article = factories.article()
    client.post("/en/report/", good(article))
    notice = Notice.objects.get()
    notice.received_at = notice.received_at.replace(year=2020)
    with pytest.raises(ValueError, match="stored once"):
        notice.save()


def test_a_signed_in_trusted_flagger_is_marked_as_such(client):
    from tribune.notices.models import TrustedFlagger

    article = factories.article()
    flagger = factories.author()
    TrustedFlagger.objects.create(user=flagger, name="Hate Aid e.V.", dsc_country="DE")
    client.force_login(flagger)
    client.post("/en/report/", good(article, category="hate_speech"))
    assert Notice.objects.get().from_trusted_flagger


def test_without_the_us_process_the_form_asks_for_no_dmca_details(client, settings):
    settings.TRIBUNE_DMCA = False
    assert "penalty of perjury" not in client.get("/en/report/").content.decode()
    settings.TRIBUNE_DMCA = True
    assert "penalty of perjury" in client.get("/en/report/").content.decode()
