"""Readers' browsers revalidate cached pages and get 304 while nothing has changed."""

import pytest

from tribune.articles import actions
from tribune.core.pagecache import invalidate_pages, lookup
from tribune.core.tests.test_page_cache import _wsgi_get
from tribune.testing import factories

pytestmark = pytest.mark.django_db


def test_cached_pages_carry_validators_and_ask_browsers_to_revalidate(client):
    article = factories.article()
    first = client.get(article.get_absolute_url())
    again = client.get(article.get_absolute_url())
    assert first["ETag"] == again["ETag"]
    assert first["Last-Modified"] == again["Last-Modified"]
    assert first["Cache-Control"] == "no-cache"


def test_a_matching_if_none_match_gets_304_without_a_body(client, django_assert_num_queries):
    article = factories.article()
    etag = client.get(article.get_absolute_url())["ETag"]
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "Content-Length" not in response


def test_the_first_render_already_answers_a_conditional_get(client):
    # A browser may hold the page from before the cache was cleared: same bytes, same tag.
    article = factories.article()
    etag = client.get(article.get_absolute_url())["ETag"]
    invalidate_pages()
    response = client.get(article.get_absolute_url(), headers={"If-None-Match": f"W/{etag}"})
    assert response.status_code == 304


def test_if_modified_since_is_honoured_and_if_none_match_wins_over_it(client):
    article = factories.article()
    page = client.get(article.get_absolute_url())
    since = page["Last-Modified"]
    assert (
        client.get(article.get_absolute_url(), headers={"If-Modified-Since": since}).status_code
        == 304
    )
    stale = client.get(
        article.get_absolute_url(),
        headers={"If-Modified-Since": since, "If-None-Match": '"something-else"'},
    )
    assert stale.status_code == 200
    assert stale.content == page.content


def test_an_edit_changes_the_tag_so_the_reader_gets_the_new_page(client, committed):
    article = factories.article(title="Old headline")
    etag = client.get(article.get_absolute_url())["ETag"]
    with committed():
        actions.revise_article(None, article, title="New headline", body="New words.")
        actions.publish_article(None, article)
    response = client.get(article.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "New headline" in response.content.decode()
    assert response["ETag"] != etag


def test_the_wsgi_layer_answers_304_too(client):
    article = factories.article()
    etag = client.get(article.get_absolute_url())["ETag"]
    status, headers, body = _wsgi_get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert status == "304 Not Modified"
    assert body == b""
    assert headers["ETag"] == etag
    assert "Content-Length" not in headers
    status, headers, body = _wsgi_get(article.get_absolute_url(), HTTP_IF_NONE_MATCH='"other"')
    assert status == "200 OK"
    assert len(body) == int(headers["Content-Length"])


def test_signed_in_users_get_no_validators_from_the_page_cache(client, django_user_model):
    article = factories.article()
    client.force_login(django_user_model.objects.create_user("reader"))
    response = client.get(article.get_absolute_url())
    assert "ETag" not in response


def test_paths_beyond_latin_1_do_not_break_either_cache_layer(client):
    # A reader's browser sends UTF-8; the server hands it over as Latin-1 (PEP 3333), and
    # Django's handler decodes it: both layers must make a key of either form.
    path = "/en/no-such-page-\u2041/"
    assert client.get(path).status_code == 404
    raw = {"REQUEST_METHOD": "GET", "PATH_INFO": path.encode("utf-8").decode("latin-1")}
    assert lookup(raw) is None  # a miss, handed on to Django
