"""With Redis gone, readers keep getting pages (from the database); the site recovers by
itself when Redis returns. Runs against a throwaway redis-server, never the machine's own."""

import logging

import pytest

from tribune.articles import actions
from tribune.testing import factories
from tribune.testing.throwaway import redis_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_redis(settings):
    with redis_server() as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "tribune.core.cache.ResilientRedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"RETRY_SECONDS": 0, "socket_connect_timeout": 0.5},
            }
        }
        yield server


def test_pages_are_served_while_redis_is_down_and_cached_again_when_it_returns(
    client, own_redis, caplog, committed
):
    article = factories.article(title="Still readable")
    url = article.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"

    own_redis.stop()
    with caplog.at_level(logging.ERROR, logger="tribune.core.cache"):
        down = client.get(url)
    assert down.status_code == 200
    assert "Still readable" in down.content.decode()
    assert "X-Cache" not in down  # rendered from the database, not from a stale copy
    assert any("Redis cache unavailable" in r.getMessage() for r in caplog.records)

    # An edit while Redis is away is visible at once: nothing stale is served.
    with committed():
        actions.revise_article(None, article, title="Edited in the outage", body="New words.")
        actions.publish_article(None, article)
    assert "Edited in the outage" in client.get(url).content.decode()

    own_redis.start()
    assert "Edited in the outage" in client.get(url).content.decode()
    again = client.get(url)
    assert again["X-Cache"] == "hit"
    assert "Edited in the outage" in again.content.decode()


def test_public_forms_stay_usable_while_redis_is_down(client, own_redis):
    own_redis.stop()
    # Rate limits cannot count without Redis; they let people in rather than lock all out.
    for _ in range(25):  # past the sign-in limit of 20 an hour
        response = client.post("/en/account/sign-in/", {"username": "a@b.example", "password": "x"})
        assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()
