"""/healthz says the process lives; /readyz says whether it can serve (database, cache,
queue); errors get a page that needs no database."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from tribune.testing.throwaway import redis_server

pytestmark = pytest.mark.django_db


def test_a_healthy_site_is_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "queue": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_lost_cache_makes_the_site_not_ready_until_it_returns(client, settings):
    with redis_server() as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "tribune.core.cache.ResilientRedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"RETRY_SECONDS": 0},
            }
        }
        assert client.get("/readyz").status_code == 200
        server.stop()
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["checks"]["cache"] == "unavailable"
        assert client.get("/healthz").status_code == 200  # alive, only not ready
        server.start()
        assert client.get("/readyz").status_code == 200


def _database_gone(request):
    raise OperationalError("could not connect to server: Connection refused")


def _bug(request):
    raise ZeroDivisionError


urlpatterns = [path("gone", _database_gone), path("bug", _bug)]
handler500 = "tribune.core.views.server_error"


@pytest.mark.urls(__name__)
def test_a_database_outage_answers_503_with_a_page_that_says_come_back():
    response = Client(raise_request_exception=False).get("/gone")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "We will be back in a moment" in response.content.decode()


@pytest.mark.urls(__name__)
def test_other_errors_answer_500_with_our_page():
    response = Client(raise_request_exception=False).get("/bug")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
