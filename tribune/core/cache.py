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
import time
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

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        # A counter that cannot be read counts as the first of its window (rate limits open).
        return self._guard("incr", super().incr, delta, key, delta, version)
