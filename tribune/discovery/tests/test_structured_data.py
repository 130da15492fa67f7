"""JSON-LD, OpenGraph and Twitter cards, and canonical links, as search engines read them."""

import datetime
import json
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tribune.articles import actions, queries
from tribune.discovery.structured import ld_json_script, og_locale
from tribune.testing import factories

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"
BYPASS_CACHE = {"HTTP_COOKIE": "sessionid=none"}
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld(html: str) -> dict:
    blocks = JSON_LD.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(html: str, key: str) -> list[str]:
    pattern = rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">'
    return re.findall(pattern, html)


@pytest.fixture
def story():
    business = factories.topic("business", en="Business", de="Wirtschaft")
    writer = factories.author("Mara Lindqvist")
    article = factories.article(
        title="Repair cafés are thriving",
        summary="Fixing beats buying.",
        by=writer,
        topics=(business,),
        published_at=datetime.datetime(2026, 11, 2, 8, 30, tzinfo=datetime.UTC),
    )
    german = factories.article(
        title="Reparaturcafés boomen", language="de", by=writer, translation_of=article
    )
    return {"article": article, "german": german, "writer": writer}


def test_the_article_page_describes_itself_as_a_news_article(client, story):
    article = story["article"]
    url = f"{BASE}{article.get_absolute_url()}"
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Repair cafés are thriving"
    assert data["description"] == "Fixing beats buying."
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == "2026-11-02T08:30:00Z"
    assert data["dateModified"] == "2026-11-02T08:30:00Z"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Mara Lindqvist",
            "url": f"{BASE}/en/authors/{story['writer'].profile.slug}/",
        }
    ]
    assert data["publisher"] == {"@type": "Organization", "name": "Tribune", "url": f"{BASE}/"}
    assert data["keywords"] == ["Business"]
    assert "image" not in data


def test_an_edit_after_publication_shows_as_date_modified(client, story, committed):
    article = story["article"]
    with committed():
        actions.revise_article(None, article, title="Repair cafés thrive", body="New text.")
        actions.publish_article(None, article)
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["dateModified"] > data["datePublished"]


def test_the_publisher_logo_and_a_cover_image_go_into_the_cards(client, story, settings):
    settings.TRIBUNE_SITE_LOGO_URL = "/static/tribune/logo.png"
    article = queries.article_page("en", story["article"].slug)
    article.social_image_url = "/media/covers/repair.jpg"
    html = Template("{% load discovery %}{% article_cards article %}").render(
        Context({"article": article})
    )
    data = json_ld(html)
    assert data["publisher"]["logo"] == {
        "@type": "ImageObject",
        "url": f"{BASE}/static/tribune/logo.png",
    }
    assert data["image"] == [f"{BASE}/media/covers/repair.jpg"]
    assert meta(html, "og:image") == [f"{BASE}/media/covers/repair.jpg"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert meta(html, "twitter:image") == [f"{BASE}/media/covers/repair.jpg"]


def test_a_headline_cannot_break_out_of_the_json_ld_block(client):
    title = 'Why </script><script>alert("x")</script> & <!-- matter'
    article = factories.article(title=title, summary="</SCRIPT> in a summary")
    html = client.get(article.get_absolute_url()).content.decode()
    data = json_ld(html)
    assert data["headline"] == title
    assert data["description"] == "</SCRIPT> in a summary"
    # The only script element on the page is the data block itself.
    assert html.count("<script") == 1 and html.count("</script>") == 1
    script = ld_json_script({"text": "</script><!--\u2028"})
    assert script == (
        '<script type="application/ld+json">'
        '{"text":"\\u003C/script\\u003E\\u003C!--\\u2028"}</script>'
    )


def test_the_article_page_carries_opengraph_and_twitter_cards(client, story):
    article = story["article"]
    html = client.get(article.get_absolute_url()).content.decode()
    url = f"{BASE}{article.get_absolute_url()}"
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == ["Repair cafés are thriving"]
    assert meta(html, "og:description") == ["Fixing beats buying."]
    assert meta(html, "og:url") == [url]
    assert meta(html, "og:site_name") == ["Tribune"]
    assert meta(html, "og:locale") == ["en_US"]
    assert meta(html, "og:locale:alternate") == ["de_DE"]
    assert meta(html, "article:published_time") == ["2026-11-02T08:30:00+00:00"]
    assert meta(html, "article:author") == [f"{BASE}/en/authors/{story['writer'].profile.slug}/"]
    assert meta(html, "article:tag") == ["Business"]
    assert meta(html, "twitter:card") == ["summary"]
    assert meta(html, "twitter:title") == ["Repair cafés are thriving"]
    assert f'<link rel="canonical" href="{url}">' in html


def test_a_german_article_speaks_german_in_its_cards(client, story):
    html = client.get(story["german"].get_absolute_url()).content.decode()
    assert meta(html, "og:locale") == ["de_DE"]
    assert meta(html, "og:locale:alternate") == ["en_US"]
    data = json_ld(html)
    assert data["inLanguage"] == "de"
    assert data["author"][0]["url"].startswith(f"{BASE}/de/autoren/")


def test_other_pages_carry_site_cards_and_canonical_links(client, story, settings):
    settings.TRIBUNE_ARTICLES_PER_PAGE = 1
    slug = story["writer"].profile.slug
    for path in ("/en/", "/en/topics/business/", f"/en/authors/{slug}/"):
        html = client.get(path).content.decode()
        assert f'<link rel="canonical" href="{BASE}{path}">' in html
        assert meta(html, "og:type") == ["website"]
        assert meta(html, "og:site_name") == ["Tribune"]
        assert "application/ld+json" not in html
    second = client.get(f"/en/authors/{slug}/?page=2").content.decode()
    assert f'<link rel="canonical" href="{BASE}/en/authors/{slug}/?page=2">' in second


def test_the_cards_cost_no_query_beyond_what_the_article_page_loads(
    story, django_assert_num_queries
):
    with translation.override("en"):
        article = queries.article_page("en", story["article"].slug)
        template = Template("{% load discovery %}{% article_cards article %}")
        with django_assert_num_queries(0):
            html = template.render(Context({"article": article}))
    assert "NewsArticle" in html


def test_locales_name_a_territory():
    assert og_locale("en") == "en_US"
    assert og_locale("de") == "de_DE"
    assert og_locale("fr") == "fr_FR"
    assert og_locale("pt-br") == "pt_BR"
    assert og_locale("sv") == "sv_SE"


def test_a_new_publication_reaches_the_cached_article_page_cards(client, committed):
    article = factories.article(title="Before", published_at=timezone.now())
    client.get(article.get_absolute_url())
    with committed():
        actions.revise_article(None, article, title="After", body="Text.")
        actions.publish_article(None, article)
    assert meta(client.get(article.get_absolute_url()).content.decode(), "og:title") == ["After"]
