"""The near-duplicate index in Redis: the same behaviour as in the database, shared by
every worker. Needs Redis on 127.0.0.1:6379 (the suite's service, see
tribune/testing/services.py); uses db 15 and a prefix of its own, and deletes its keys."""

import uuid

import pytest
from django.core.management import call_command

from tribune.articles import actions as article_actions
from tribune.checks import dupindex
from tribune.checks.base import Draft
from tribune.checks.dupindex.redisindex import RedisIndex
from tribune.checks.rules.duplicates import duplicates
from tribune.checks.tests.test_duplicates import HARBOUR, OPTIONS, RIVER, reworded
from tribune.testing import factories
from tribune.testing.services import REDIS, reachable

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not reachable(*REDIS[:2]), reason="Redis is not running on 127.0.0.1:6379"),
]

URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_index(settings):
    prefix = f"tribune-test-{uuid.uuid4().hex[:8]}:dupindex:"
    settings.REDIS_URL = URL
    settings.TRIBUNE_DUPLICATE_REDIS_PREFIX = prefix
    settings.TRIBUNE_DUPLICATE_INDEX = "tribune.checks.dupindex.redisindex.RedisIndex"
    index = RedisIndex(URL, prefix)
    yield index
    index.clear()
    assert not list(index.client.scan_iter(match=f"{prefix}*"))


def test_published_articles_are_found_through_the_redis_index(redis_index, committed):
    with committed():
        river = factories.article(title="The river is cleaner", body=RIVER)
        factories.article(title="The pier", body=HARBOUR)
    assert isinstance(dupindex.backend(), RedisIndex)
    assert len(redis_index.article_ids()) == 2
    (finding,) = duplicates(Draft(title="x", body=reworded(RIVER), language="en"), OPTIONS)
    assert finding.severity == "blocking"
    assert finding.data["matches"][0]["uuid"] == str(river.uuid)

    with committed():
        article_actions.unpublish_article(None, river)
    assert river.pk not in redis_index.article_ids()
    assert list(duplicates(Draft(title="x", body=reworded(RIVER), language="en"), OPTIONS)) == []


def test_replacing_an_entry_leaves_no_bucket_of_the_old_text_behind(redis_index, committed):
    with committed():
        river = factories.article(title="The river is cleaner", body=RIVER)
    with committed():
        article_actions.revise_article(None, river, title="The pier", body=HARBOUR)
        article_actions.publish_article(None, river)
    buckets = [
        key
        for key in redis_index.client.scan_iter(match=f"{redis_index.prefix}b:*")
        if redis_index.client.sismember(key, river.pk)
    ]
    assert len(buckets) == dupindex.text.BANDS
    assert redis_index.stats()["entries"] == 1


def test_the_rebuild_command_fills_the_redis_index(redis_index, committed, capsys):
    with committed():
        factories.article(title="The river is cleaner", body=RIVER)
    redis_index.clear()
    call_command("rebuild_duplicate_index")
    assert len(redis_index.article_ids()) == 1
    assert "RedisIndex" in capsys.readouterr().out
