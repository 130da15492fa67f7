import datetime

import pytest
from django.utils import timezone

from tribune.articles import actions
from tribune.testing import factories

pytestmark = pytest.mark.django_db

BYPASS_CACHE = {"HTTP_COOKIE": "sessionid=none"}


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def test_home_lists_the_latest_articles_in_its_language_newest_first(client):
    old = factories.article(title="Older English story", published_at=days_ago(3))
    new = factories.article(title="Newer English story", published_at=days_ago(1))
    factories.article(title="Eine deutsche Geschichte", language="de")
    factories.article(title="Unpublished story", published=False)
    html = client.get("/en/").content.decode()
    assert html.index(new.live_revision.title) < html.index(old.live_revision.title)
    assert "Eine deutsche Geschichte" not in html
    assert "Unpublished story" not in html
    assert "A short summary." in html
    assert "1 min read" in html
    german = client.get("/de/").content.decode()
    assert "Eine deutsche Geschichte" in german
    assert "Older English story" not in german


def test_home_groups_the_newest_articles_by_topic(client):
    science = factories.topic("science", en="Science", de="Wissenschaft")
    politics = factories.topic("politics", en="Politics", de="Politik")
    for n in range(6):
        factories.article(title=f"Science story {n}", topics=(science,), published_at=days_ago(n))
    factories.article(title="Politics story", topics=(politics,))
    html = client.get("/en/").content.decode()
    section = html.split('id="topic-science"')[1].split("</section>")[0]
    assert '<a href="/en/topics/science/">Science</a>' in section
    assert [f"Science story {n}" in section for n in range(6)] == [True] * 4 + [False] * 2
    assert "Politics story" in html.split('id="topic-politics"')[1]


def test_home_is_paginated(client, settings):
    settings.TRIBUNE_ARTICLES_PER_PAGE = 3
    for n in range(7):
        factories.article(title=f"Story {n}", published_at=days_ago(n))
    first = client.get("/en/").content.decode()
    third = client.get("/en/?page=3").content.decode()
    assert "Story 0" in first and "Story 3" not in first.split('class="topic-section"')[0]
    assert "Page 1 of 3" in first
    assert 'rel="next" href="?page=2"' in first
    assert "Story 6" in third and "Page 3 of 3" in third
    assert client.get("/en/?page=junk").status_code == 200


def test_home_costs_the_same_queries_whatever_the_number_of_articles(
    client, django_assert_max_num_queries
):
    # Six at most: the count, the page, its topics, the topics, the newest articles per
    # topic, and those of topics left short among the newest.
    topics = [factories.topic(en=f"Topic {n}") for n in range(5)]
    for n in range(3):
        factories.article(topics=(topics[n],))
    with django_assert_max_num_queries(6):
        client.get("/en/", **BYPASS_CACHE)
    for n in range(40):
        factories.article(topics=(topics[n % 5], topics[(n + 1) % 5]))
    with django_assert_max_num_queries(6):
        client.get("/en/", **BYPASS_CACHE)


def test_a_topic_without_recent_articles_still_shows_its_newest_on_the_home_page(client, settings):
    quiet = factories.topic("quiet", en="Quiet corner")
    busy = factories.topic("busy", en="Busy street")
    factories.article(title="An old quiet story", topics=(quiet,), published_at=days_ago(400))
    # Far more recent articles than the home page looks at first (25 per card and topic).
    for n in range(210):
        factories.article(title=f"Busy story {n}", topics=(busy,), published_at=days_ago(n % 300))
    html = client.get("/en/").content.decode()
    assert "An old quiet story" in html.split('id="topic-quiet"')[1].split("</section>")[0]


def test_topic_page_lists_its_articles_with_the_translated_name(client, django_assert_num_queries):
    topic = factories.topic("business", en="Business", de="Wirtschaft")
    factories.article(title="A business story", topics=(topic,))
    factories.article(title="Ein Wirtschaftsartikel", language="de", topics=(topic,))
    factories.article(title="Another subject")
    html = client.get("/en/topics/business/").content.decode()
    assert '<h1 class="page-title">Business</h1>' in html
    assert "A business story" in html
    assert "Another subject" not in html and "Ein Wirtschaftsartikel" not in html
    german = client.get("/de/themen/business/").content.decode()
    assert '<h1 class="page-title">Wirtschaft</h1>' in german
    assert "Ein Wirtschaftsartikel" in german
    for _ in range(5):
        factories.article(topics=(topic,))
    with django_assert_num_queries(4):
        client.get("/en/topics/business/", **BYPASS_CACHE)
    assert client.get("/en/topics/nothing-here/").status_code == 404


def test_author_page_shows_bio_and_published_articles_in_every_language(
    client, django_assert_num_queries
):
    writer = factories.author(
        "Jonas Weber", en="A retired engineer.", de="Ein Ingenieur im Ruhestand."
    )
    factories.article(title="An English piece", by=writer)
    factories.article(title="Ein deutscher Text", language="de", by=writer)
    draft = factories.article(title="Not yet", by=writer, published=False)
    url = writer.profile.get_absolute_url()
    html = client.get(url).content.decode()
    assert '<h1 class="page-title">Jonas Weber</h1>' in html
    assert "A retired engineer." in html
    assert "An English piece" in html and "Ein deutscher Text" in html
    assert draft.latest_revision.title not in html
    assert '<article class="card" lang="de">' in html
    assert (
        "Ein Ingenieur im Ruhestand."
        in client.get(f"/de/autoren/{writer.profile.slug}/").content.decode()
    )
    with django_assert_num_queries(4):
        client.get(url, **BYPASS_CACHE)
    assert client.get("/en/authors/nobody/").status_code == 404


def test_an_unpublished_article_leaves_the_lists(client):
    topic = factories.topic("science", en="Science")
    article = factories.article(title="Soon gone", topics=(topic,))
    actions.unpublish_article(None, article)
    for url in ("/en/", "/en/topics/science/", article.author.profile.get_absolute_url()):
        assert "Soon gone" not in client.get(url, **BYPASS_CACHE).content.decode()


def test_the_site_root_sends_readers_to_their_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").headers["Location"] == "/de/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB").headers["Location"] == "/en/"
