"""Anonymous readers get whole cached pages; every change shows up at once."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tribune.accounts.actions import update_profile
from tribune.articles import actions
from tribune.testing import factories

pytestmark = pytest.mark.django_db


def test_a_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    article = factories.article(title="Cached story")
    first = client.get(article.get_absolute_url())
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_signed_in_users_never_get_cached_pages(client):
    article = factories.article()
    client.get(article.get_absolute_url())
    client.force_login(get_user_model().objects.create_user("reader"))
    response = client.get(article.get_absolute_url())
    assert "X-Cache" not in response
    assert response.status_code == 200


def test_publishing_shows_the_new_article_on_the_home_page_at_once(client, committed):
    factories.article(title="First story")
    assert "First story" in client.get("/en/").content.decode()
    assert client.get("/en/")["X-Cache"] == "hit"
    with committed():
        factories.article(title="Breaking story")
    assert "Breaking story" in client.get("/en/").content.decode()


def test_publishing_warms_the_article_page_for_the_first_reader(client, committed):
    with committed():
        article = factories.article(title="Warm story")
    response = client.get(article.get_absolute_url())
    assert response["X-Cache"] == "hit"
    assert "Warm story" in response.content.decode()


def test_an_edit_shows_up_at_once_on_the_article_and_the_lists(client, committed):
    article = factories.article(title="Old headline")
    for url in (article.get_absolute_url(), "/en/"):
        client.get(url)
    with committed():
        actions.revise_article(None, article, title="New headline", body="New words.")
        actions.publish_article(None, article)
    for url in (article.get_absolute_url(), "/en/"):
        html = client.get(url).content.decode()
        assert "New headline" in html and "Old headline" not in html


def test_unpublishing_removes_the_article_from_cached_pages_at_once(client, committed):
    article = factories.article(title="Going away")
    client.get(article.get_absolute_url())
    client.get("/en/")
    with committed():
        actions.unpublish_article(None, article)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Going away" not in client.get("/en/").content.decode()


def test_renaming_the_author_shows_up_at_once(client, committed):
    article = factories.article(by=factories.author("Old Name"))
    assert "Old Name" in client.get(article.get_absolute_url()).content.decode()
    with committed():
        update_profile(None, article.author.profile, display_name="New Name")
    assert "New Name" in client.get(article.get_absolute_url()).content.decode()


def test_renaming_a_topic_shows_up_at_once(client, committed):
    topic = factories.topic("science", en="Science")
    article = factories.article(topics=(topic,))
    assert ">Science</a>" in client.get(article.get_absolute_url()).content.decode()
    with committed():
        topic.name = "Natural sciences"
        actions.save_topic(None, topic, {"en": "Natural sciences"})
    assert ">Natural sciences</a>" in client.get(article.get_absolute_url()).content.decode()


def test_changing_topics_of_an_article_shows_up_at_once(client, committed):
    science = factories.topic("science", en="Science")
    article = factories.article()
    assert ">Science</a>" not in client.get(article.get_absolute_url()).content.decode()
    with committed():
        actions.update_article_details(None, article, topics=[science])
    assert ">Science</a>" in client.get(article.get_absolute_url()).content.decode()


def test_error_pages_and_redirects_are_not_cached(client):
    assert "X-Cache" not in client.get("/en/articles/missing/")
    assert client.get("/en/articles/missing/").status_code == 404
    assert "X-Cache" not in client.get("/")


def test_the_cache_can_be_switched_off(client, settings):
    settings.TRIBUNE_PAGE_CACHE = False
    article = factories.article()
    client.get(article.get_absolute_url())
    assert "X-Cache" not in client.get(article.get_absolute_url())


def _wsgi_get(path: str, **environ: str) -> tuple[str, dict[str, str], bytes]:
    """A request straight to the WSGI application that gunicorn serves."""
    from tribune.wsgi import application

    answer: dict = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer.update(status=status, headers=dict(headers))

    body = b"".join(
        application(
            {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", **environ},
            start_response,
        )
    )
    return answer["status"], answer["headers"], body


def test_the_wsgi_layer_answers_hits_with_the_full_headers_before_django_runs(
    client, django_assert_num_queries
):
    article = factories.article(title="Served by the fast path")
    page = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        status, headers, body = _wsgi_get(article.get_absolute_url())
    assert status == "200 OK"
    assert body == page.content
    assert headers["X-Cache"] == "hit"
    assert headers["Content-Length"] == str(len(body))
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_under_https_redirect_plain_http_readers_are_not_served_from_the_cache(client, settings):
    article = factories.article()
    client.get(article.get_absolute_url())
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(article.get_absolute_url())  # middleware reads the setting at start
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_a_new_generation_written_by_another_process_is_seen_at_once(settings):
    from django.core.cache import caches
    from django.core.cache.backends.filebased import FileBasedCache

    from tribune.core import pagecache

    if not isinstance(caches["default"], FileBasedCache):
        pytest.skip("this checks the file cache's shortcut; the cache here is Redis")
    before = pagecache.current_generation()
    assert pagecache.current_generation() == before
    # Another worker process has a cache object of its own over the same folder.
    other = FileBasedCache(settings.CACHES["default"]["LOCATION"], {})
    other.set(pagecache.GENERATION_KEY, "from-another-process", None)
    assert pagecache.current_generation() == "from-another-process"
