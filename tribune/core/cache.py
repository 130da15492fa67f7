"""The Redis cache, made to fail soft: pages must keep being served when Redis stops.

Everything Tribune keeps in the cache can be rebuilt (rendered pages, the page-cache
generation, rate-limit counters), so an unreachable Redis is treated as an empty cache that
forgets what it is told: reads miss, writes are dropped, the error is logged. After a failure
the cache is left alone for `RETRY_SECONDS` (an OPTIONS entry), so a dead Redis costs one
failed connection per few seconds and process rather than one per call; then the next call
tries again, which is how the site recovers by itself when Redis returns.

While Redis is away the page cache stops answering (see `tribune.core.pagecache`: without a
generation it cannot know what is current), so readers get pages rendered from the database.
Rate limits let requests through rather than lock everybody out.
"""

import logging
import os
import threading
import time
import weakref
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until = 0.0
        self._watches: dict[str, _Watch] = {}
        self._watches_lock = threading.Lock()

    def set_and_announce(self, key: str, value: Any) -> None:
        """Set a key (no expiry) and tell every process that watches it (`announced`)."""
        stored = self._guard("set", self._set_for_good, False, key, value)
        watch = self._watches.get(key)
        if watch is not None:
            # This process knows at once, without waiting for Redis's message; but a value
            # Redis did not take (it is away) must not be vouched for: once Redis is back,
            # other processes would read another one and pages cached meanwhile be lost.
            watch.heard(value if stored else None)
        if stored:
            self.announce(key)

    def _set_for_good(self, key: str, value: Any) -> bool:
        super().set(key, value, None)
        return True

    def announce(self, key: str) -> None:
        """Tell the watching processes that `key` changed (it was set some other way)."""
        self._guard("publish", self._publish, None, key)

    def _publish(self, key: str) -> None:
        channel = self.make_and_validate_key(key)
        self._cache.get_client(write=True).publish(channel, b"1")

    def announced(self, key: str) -> Any:
        """The value of a key that changes seldom and is read on every request, from this
        process's memory: a thread subscribed to its announcements re-reads it when told,
        and proves the subscription alive every second. None while that cannot be vouched
        for (starting, Redis away, no word for `_Watch.DEAF_AFTER` seconds): ask Redis."""
        watch = self._watches.get(key)
        if watch is None or watch.pid != os.getpid():  # new, or inherited through fork
            with self._watches_lock:
                watch = self._watches.get(key)
                if watch is None or watch.pid != os.getpid():
                    watch = self._watches[key] = _Watch(self, key)
        return watch.value()

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _guard(self, operation: str, call: Any, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.available:
            return fallback
        try:
            return call(*args, **kwargs)
        except RedisError as error:
            self._down_until = time.monotonic() + self.retry_seconds
            logger.error(
                "Redis cache unavailable (%s: %s); serving without it for %ss",
                operation,
                error,
                self.retry_seconds,
            )
            return fallback

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guard("get", super().get, default, key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> dict[str, Any]:
        return self._guard("get_many", super().get_many, {}, keys, version)

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._guard("has_key", super().has_key, False, key, version)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._guard("set", super().set, None, key, value, timeout, version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        return self._guard("set_many", super().set_many, list(data), data, timeout, version)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._guard("add", super().add, False, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._guard("touch", super().touch, False, key, timeout, version)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._guard("delete", super().delete, False, key, version)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._guard("delete_many", super().delete_many, None, keys, version)

    def clear(self) -> None:
        self._guard("clear", super().clear, None)
        for watch in list(self._watches.values()):
            watch.heard(None)  # gone from Redis: nothing to vouch for until announced again

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        # A counter that cannot be read counts as the first of its window (rate limits open).
        return self._guard("incr", super().incr, delta, key, delta, version)


class _Watch:
    """A thread that keeps one key's value current in this process (see `announced`)."""

    DEAF_AFTER = 3.0  # seconds without a message or pong: the value is not vouched for

    def __init__(self, cache: ResilientRedisCache, key: str) -> None:
        # Weak: a cache object Django drops (new settings, in tests) takes its thread along.
        self.cache_ref = weakref.ref(cache)
        self.key = key
        self.channel = cache.make_and_validate_key(key)
        self.pid = os.getpid()
        self._value: Any = None
        self._heard_at = float("-inf")
        self._failing = False
        thread = threading.Thread(target=self._run, name=f"watch {key}", daemon=True)
        thread.start()

    def value(self) -> Any:
        if time.monotonic() - self._heard_at > self.DEAF_AFTER:
            return None
        return self._value

    def heard(self, value: Any) -> None:
        self._value = value
        self._heard_at = time.monotonic() if value is not None else float("-inf")

    def _run(self) -> None:
        while (cache := self.cache_ref()) is not None:
            redis, pause = cache._cache, max(cache.retry_seconds, 0.5)
            del cache  # no strong reference while listening
            try:
                self._listen(redis)
            except Exception as error:  # any failure: deaf, then try again
                # Once per outage: the retries every few seconds would flood the log.
                if not self._failing:
                    logger.warning("lost the announcements of %s (%s); retrying", self.key, error)
                self._failing = True
            self._heard_at = float("-inf")
            time.sleep(pause)

    def _listen(self, redis: Any) -> None:
        pubsub = redis.get_client(write=True).pubsub()
        try:
            pubsub.subscribe(self.channel)
            self._failing = False
            while self.cache_ref() is not None:
                message = pubsub.get_message(timeout=1.0)
                if message is None:
                    pubsub.ping()  # its pong proves the connection; a dead one raises
                    continue
                if message["type"] in ("subscribe", "message"):
                    # Subscribed first, then read: no change can fall between the two. The
                    # message carries no value: re-reading gives the latest of several
                    # changes announced out of order.
                    self.heard(redis.get(self.channel, None))
                elif message["type"] == "pong" and self._value is not None:
                    self._heard_at = time.monotonic()
        finally:
            pubsub.close()
