"""With Redis, each process keeps the page-cache generation in memory and Redis tells it of a
new one. Two cache objects stand for two processes; the server is a throwaway redis-server."""

import time
from collections.abc import Callable

import pytest

from tribune.core.cache import ResilientRedisCache
from tribune.testing.throwaway import redis_server

KEY = "pagecache:generation"


def process(url: str) -> ResilientRedisCache:
    return ResilientRedisCache(url, {"OPTIONS": {"RETRY_SECONDS": 0}})


def soon(condition: Callable[[], bool], seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def server():
    with redis_server() as running:
        yield running


def test_a_new_generation_reaches_the_other_process(server):
    writer, reader = process(server.url), process(server.url)
    assert reader.announced(KEY) is None, "nothing to vouch for yet: ask Redis"
    assert writer.announced(KEY) is None  # both watch from now on
    writer.set_and_announce(KEY, "first")
    assert writer.announced(KEY) == "first", "a watching writer knows at once"
    assert soon(lambda: reader.announced(KEY) == "first")
    for generation in ("second", "third"):
        writer.set_and_announce(KEY, generation)
        assert soon(lambda generation=generation: reader.announced(KEY) == generation)


def test_a_process_that_watches_late_reads_the_current_value(server):
    writer = process(server.url)
    writer.set_and_announce(KEY, "before")
    late = process(server.url)
    late.announced(KEY)  # starts watching
    assert soon(lambda: late.announced(KEY) == "before")


def test_a_value_set_without_announcing_is_found_after_an_announcement(server):
    writer, reader = process(server.url), process(server.url)
    writer.set_and_announce(KEY, "one")
    assert soon(lambda: reader.announced(KEY) == "one")
    writer.set(KEY, "two", None)  # e.g. the first process to find the key missing
    writer.announce(KEY)
    assert soon(lambda: reader.announced(KEY) == "two")


def test_without_redis_nothing_is_vouched_for_and_it_recovers(server):
    writer, reader = process(server.url), process(server.url)
    writer.set_and_announce(KEY, "old")
    assert soon(lambda: reader.announced(KEY) == "old")
    server.stop()
    # The lost connection is noticed within seconds; until then the copy is still the
    # current generation, since nobody could have started a new one without Redis.
    assert soon(lambda: reader.announced(KEY) is None)
    server.start()
    writer.set_and_announce(KEY, "new")
    assert soon(lambda: reader.announced(KEY) == "new")


def test_a_value_set_while_redis_is_away_is_not_vouched_for(server):
    # Otherwise the process would go on answering with a generation Redis never held, and
    # once Redis is back the others (and itself, a few seconds later) would use another.
    writer = process(server.url)
    writer.announced(KEY)  # starts watching
    writer.set_and_announce(KEY, "old")
    assert writer.announced(KEY) == "old"
    server.stop()
    writer.set_and_announce(KEY, "lost")
    assert writer.announced(KEY) is None
    server.start()
    writer.set_and_announce(KEY, "new")
    assert writer.announced(KEY) == "new"
