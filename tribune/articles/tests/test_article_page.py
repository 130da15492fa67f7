import datetime
import re

import pytest
from django.utils import timezone

from tribune.articles import actions
from tribune.testing import factories

pytestmark = pytest.mark.django_db

ANON = {}
# A session cookie bypasses the page cache, so these tests see the view's own work.
SIGNED_IN_LOOKING = {"HTTP_COOKIE": "sessionid=none"}


def text_of(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def test_article_page_shows_headline_byline_reading_time_and_sections(client):
    business = factories.topic("business", en="Business", de="Wirtschaft")
    writer = factories.author("Mara Lindqvist")
    article = factories.article(
        title="Repair cafés are thriving",
        by=writer,
        topics=(business,),
        published_at=datetime.datetime(2026, 11, 2, 8, 30, tzinfo=datetime.UTC),
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Repair cafés are thriving · Tribune</title>" in html
    assert html.count("<h1") == 1
    assert "<h1>Repair cafés are thriving</h1>" in html
    assert f'By <a href="/en/authors/{writer.profile.slug}/">Mara Lindqvist</a>' in html
    assert '<time datetime="2026-11-02T08:30:00+00:00">Nov. 2, 2026</time>' in html
    assert "1 min read" in html
    assert re.search(r'<h2 id="[^"]+">The first section</h2>', html)
    assert re.search(r'<h3 id="[^"]+">A detail</h3>', html)
    assert '<a href="/en/topics/business/">Business</a>' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_article_page_has_the_contributor_disclaimer_and_footer(client):
    article = factories.article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "written by a member of our community" in html
    assert '<a href="/en/guidelines/">submission guidelines</a>' in html
    assert 'href="mailto:legal@example.org"' in html
    for url in ("/en/guidelines/", "/en/legal-notice/", "/en/privacy/", "/en/contact/"):
        assert f'href="{url}"' in html


def test_german_article_has_german_labels_and_lang(client):
    topic = factories.topic("technology", en="Technology", de="Technologie")
    words = " ".join(["Wort"] * 700)
    article = factories.article(
        title="Nachtzüge sind zurück",
        language="de",
        body=f"Einleitung.\n\n## Erster Abschnitt\n\n{words}",
        topics=(topic,),
        published_at=datetime.datetime(2026, 11, 2, 8, 30, tzinfo=datetime.UTC),
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert article.get_absolute_url().startswith("/de/")
    assert '<html lang="de">' in html
    assert '<article class="article" lang="de">' in html
    assert "4 Minuten Lesezeit" in html
    assert "2. November 2026" in html
    assert ">Von <a href=" in html
    assert ">Technologie</a>" in html
    assert "Mitglied unserer Community" in html
    assert 'href="/de/impressum/"' in html


def test_reading_time_follows_the_article_language(client):
    words = " ".join(["word"] * 900)
    english = factories.article(body=words)
    german = factories.article(language="de", body=" ".join(["Wort"] * 900))
    assert "4 min read" in client.get(english.get_absolute_url()).content.decode()
    assert "5 Minuten Lesezeit" in client.get(german.get_absolute_url()).content.decode()


def test_translations_are_linked_with_hreflang_and_a_switcher(client):
    original = factories.article(title="Night trains are back")
    german = factories.article(
        title="Nachtzüge sind zurück", language="de", translation_of=original
    )
    html = client.get(original.get_absolute_url()).content.decode()
    assert (
        f'<link rel="alternate" hreflang="de" href="http://127.0.0.1:8000{german.get_absolute_url()}">'
        in html
    )
    assert (
        f'<link rel="alternate" hreflang="en" href="http://127.0.0.1:8000{original.get_absolute_url()}">'
        in html
    )
    assert f'<a href="{german.get_absolute_url()}" hreflang="de" lang="de">Deutsch</a>' in html
    back = client.get(german.get_absolute_url()).content.decode()
    assert f'<a href="{original.get_absolute_url()}" hreflang="en" lang="en">English</a>' in back


def test_an_article_without_translations_offers_no_switcher(client):
    html = client.get(factories.article().get_absolute_url()).content.decode()
    assert "hreflang" not in html


def test_the_wrong_language_prefix_redirects_to_the_article(client):
    article = factories.article(language="de", title="Ein Artikel")
    response = client.get(f"/en/articles/{article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_drafts_and_unpublished_articles_are_not_found(client):
    draft = factories.article(published=False)
    gone = factories.article()
    actions.unpublish_article(None, gone)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(gone.get_absolute_url()).status_code == 404
    assert client.get("/en/articles/no-such-article/").status_code == 404


def test_an_edit_after_publication_shows_the_updated_date(client):
    article = factories.article(published_at=timezone.now() - datetime.timedelta(days=3))
    assert (
        "Updated"
        not in client.get(article.get_absolute_url(), **SIGNED_IN_LOOKING).content.decode()
    )
    actions.revise_article(None, article, title="A corrected headline", body="Corrected text.")
    actions.publish_article(None, article)
    html = client.get(article.get_absolute_url(), **SIGNED_IN_LOOKING).content.decode()
    assert "<h1>A corrected headline</h1>" in html
    assert "Updated" in html


def test_the_article_page_costs_four_queries(client, django_assert_num_queries):
    # Article with revision, author and cover; topics; translations; the related list.
    topics = [factories.topic(en=f"Topic {n}", de=f"Thema {n}") for n in range(4)]
    original = factories.article(topics=tuple(topics))
    factories.article(language="de", translation_of=original)
    with django_assert_num_queries(4):
        response = client.get(original.get_absolute_url(), **SIGNED_IN_LOOKING)
    assert response.status_code == 200


def test_contributor_markup_cannot_inject_script(client):
    article = factories.article(
        body=(
            "Hello <script>alert(1)</script>\n\n[click](javascript:alert(1))\n\n"
            "<img src=x onerror=alert(1)>"
        )
    )
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('<div class="article-body">')[1].split("</div>")[0]
    # Raw HTML is shown as text, never run; the javascript: link is not a link.
    assert "<script" not in body
    assert "&lt;script&gt;" in body
    assert "<img" not in body
    assert 'href="javascript' not in body
