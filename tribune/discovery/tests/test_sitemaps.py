"""Sitemaps and robots.txt as a search engine's crawler reads them."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tribune.articles import actions
from tribune.discovery import sitemaps
from tribune.testing import factories

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"
BYPASS_CACHE = {"HTTP_COOKIE": "sessionid=none"}
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse_xml(text: bytes | str) -> ET.Element:
    # Our own server's output, in a test: nothing untrusted to defuse.
    return ET.fromstring(text)  # noqa: S314


def days_ago(n: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def fetch(client, url: str, **extra) -> ET.Element:
    response = client.get(url, **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return parse_xml(response.content)


def locations(client, url: str, **extra) -> list[str]:
    return [loc.text for loc in fetch(client, url, **extra).iter(f"{SM}loc")]


def alternates_of(root: ET.Element, location: str) -> dict[str, str]:
    for url in root.findall(f"{SM}url"):
        if url.findtext(f"{SM}loc") == location:
            return {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
    raise AssertionError(f"{location} is not in the sitemap")


@pytest.fixture
def site():
    business = factories.topic("business", en="Business", de="Wirtschaft")
    writer = factories.author("Mara Lindqvist")
    original = factories.article(
        title="Night trains are back", by=writer, topics=(business,), published_at=days_ago(5)
    )
    german = factories.article(
        title="Nachtzüge sind zurück",
        language="de",
        by=writer,
        translation_of=original,
        topics=(business,),
        published_at=days_ago(1),
    )
    alone = factories.article(title="Only in English", published_at=days_ago(3))
    draft = factories.article(title="A draft", published=False)
    gone = factories.article(title="Taken down", topics=(business,))
    actions.unpublish_article(None, gone)
    return {
        "writer": writer,
        "original": original,
        "german": german,
        "alone": alone,
        "draft": draft,
        "gone": gone,
    }


def test_robots_txt_points_crawlers_at_the_sitemap_and_away_from_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def test_the_sitemap_index_lists_every_section_with_its_last_change(client, site):
    index = fetch(client, "/sitemap.xml")
    assert index.tag == f"{SM}sitemapindex"
    entries = {
        entry.findtext(f"{SM}loc"): entry.findtext(f"{SM}lastmod")
        for entry in index.findall(f"{SM}sitemap")
    }
    assert set(entries) == {
        f"{BASE}/sitemap-articles.xml",
        f"{BASE}/sitemap-topics.xml",
        f"{BASE}/sitemap-authors.xml",
        f"{BASE}/sitemap-news.xml",
    }
    latest = datetime.datetime.fromisoformat(entries[f"{BASE}/sitemap-articles.xml"])
    assert latest == site["german"].published_at
    for section in entries:
        assert client.get(section.removeprefix(BASE)).status_code == 200


def test_the_article_sitemap_lists_exactly_the_published_articles(client, site):
    listed = locations(client, "/sitemap-articles.xml")
    expected = [site[key].get_absolute_url() for key in ("original", "german", "alone")]
    assert sorted(listed) == sorted(f"{BASE}{path}" for path in expected)


def test_articles_carry_lastmod_and_their_translations_as_hreflang_alternates(client, site):
    root = fetch(client, "/sitemap-articles.xml")
    english = f"{BASE}{site['original'].get_absolute_url()}"
    german = f"{BASE}{site['german'].get_absolute_url()}"
    assert german == f"{BASE}/de/artikel/nachtzuege-sind-zurueck/"
    assert alternates_of(root, english) == {"en": english, "de": german}
    assert alternates_of(root, german) == {"en": english, "de": german}
    assert alternates_of(root, f"{BASE}{site['alone'].get_absolute_url()}") == {}
    for url in root.findall(f"{SM}url"):
        stamp = datetime.datetime.fromisoformat(url.findtext(f"{SM}lastmod"))
        assert stamp.tzinfo is not None


def test_an_edit_moves_the_lastmod_of_an_article(client, site, committed):
    article = site["alone"]
    with committed():
        actions.revise_article(None, article, title="Only in English, revised", body="New text.")
        actions.publish_article(None, article)
    root = fetch(client, "/sitemap-articles.xml")
    for url in root.findall(f"{SM}url"):
        if url.findtext(f"{SM}loc").endswith(article.get_absolute_url()):
            lastmod = datetime.datetime.fromisoformat(url.findtext(f"{SM}lastmod"))
            assert lastmod > article.published_at


def test_topic_and_author_pages_are_listed_per_language_they_have_articles_in(client, site):
    topics = fetch(client, "/sitemap-topics.xml")
    assert sorted(loc.text for loc in topics.iter(f"{SM}loc")) == [
        f"{BASE}/de/themen/business/",
        f"{BASE}/en/topics/business/",
    ]
    assert alternates_of(topics, f"{BASE}/en/topics/business/") == {
        "en": f"{BASE}/en/topics/business/",
        "de": f"{BASE}/de/themen/business/",
    }
    slug = site["writer"].profile.slug
    authors = locations(client, "/sitemap-authors.xml")
    assert f"{BASE}/en/authors/{slug}/" in authors
    assert f"{BASE}/de/autoren/{slug}/" in authors


def test_the_news_sitemap_holds_the_articles_of_the_last_two_days(client, site):
    root = fetch(client, "/sitemap-news.xml")
    urls = root.findall(f"{SM}url")
    assert [url.findtext(f"{SM}loc") for url in urls] == [
        f"{BASE}{site['german'].get_absolute_url()}"
    ]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Tribune"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "de"
    assert news.findtext(f"{NEWS}title") == "Nachtzüge sind zurück"
    published = datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == site["german"].published_at


def test_a_headline_with_markup_and_control_characters_keeps_the_news_sitemap_valid(client):
    factories.article(title="Tom & Jerry <b>win</b>\x0b again")
    root = fetch(client, "/sitemap-news.xml")
    assert root.findtext(f"{SM}url/{NEWS}news/{NEWS}title") == "Tom & Jerry <b>win</b> again"


def test_addresses_use_the_configured_base_url_whatever_the_host(client, settings, site):
    settings.TRIBUNE_BASE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["internal.local"]
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-topics.xml", "/robots.txt"):
        body = client.get(url, HTTP_HOST="internal.local").content.decode()
        assert "internal.local" not in body and "https://news.example.org/" in body


def test_a_large_article_sitemap_is_split_into_pages(client, monkeypatch, site):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    index = locations(client, "/sitemap.xml")
    assert f"{BASE}/sitemap-articles.xml" in index
    assert f"{BASE}/sitemap-articles.xml?p=2" in index
    first = locations(client, "/sitemap-articles.xml")
    second = locations(client, "/sitemap-articles.xml?p=2")
    assert len(first) == 2 and len(second) == 1
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_an_unpublished_article_leaves_the_sitemaps_at_once_even_when_cached(
    client, site, committed
):
    path = f"{BASE}{site['german'].get_absolute_url()}"
    for url in ("/sitemap-articles.xml", "/sitemap-news.xml"):
        assert path in locations(client, url)
    assert client.get("/sitemap-articles.xml")["X-Cache"] == "hit"
    with committed():
        actions.unpublish_article(None, site["german"])
    for url in ("/sitemap-articles.xml", "/sitemap-news.xml"):
        assert path not in locations(client, url)
    english = alternates_of(
        fetch(client, "/sitemap-articles.xml"), f"{BASE}{site['original'].get_absolute_url()}"
    )
    assert english == {}
    assert f"{BASE}/de/themen/business/" not in locations(client, "/sitemap-topics.xml")


@pytest.mark.parametrize(
    "url, queries",
    [
        ("/sitemap.xml", 1),
        ("/sitemap-articles.xml", 3),
        ("/sitemap-topics.xml", 2),
        ("/sitemap-authors.xml", 2),
        ("/sitemap-news.xml", 2),
        ("/robots.txt", 0),
    ],
)
def test_a_sitemap_costs_the_same_queries_whatever_the_number_of_articles(
    client, django_assert_num_queries, url, queries
):
    topic = factories.topic("business", en="Business")
    for n in range(2):
        factories.article(topics=(topic,), published_at=days_ago(n))
    with django_assert_num_queries(queries):
        assert client.get(url, **BYPASS_CACHE).status_code == 200
    for n in range(8):
        original = factories.article(topics=(topic,), published_at=days_ago(n))
        factories.article(language="de", translation_of=original, topics=(topic,))
    with django_assert_num_queries(queries):
        assert client.get(url, **BYPASS_CACHE).status_code == 200
