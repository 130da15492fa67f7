"""The near-duplicate index in Redis, shared by every worker on every machine.

Keys, all under one prefix (by default CACHE_KEY_PREFIX + ":dupindex:"):

- `<prefix>e:<article id>`: a hash with the entry's fields, its signature and its bucket
  keys (packed), so that a replacement can take the old buckets away;
- `<prefix>b:<bucket key>`: the set of article ids in one LSH bucket;
- `<prefix>ids`: the set of every indexed article id.

A replacement runs in a WATCHed transaction on the entry's hash, so two workers refreshing
the same article cannot leave the buckets of both behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import redis
from django.conf import settings

from tribune.checks.dupindex.base import Entry

_FIELDS = ("revision", "language", "group", "state", "words", "shingles", "signature", "version")


class RedisIndex:
    """Keeps the index in Redis (REDIS_URL)."""

    def __init__(self, url: str | None = None, prefix: str | None = None) -> None:
        self.client = redis.Redis.from_url(url or settings.REDIS_URL)
        self.prefix = prefix if prefix is not None else settings.TRIBUNE_DUPLICATE_REDIS_PREFIX

    def _entry_key(self, article_id: int) -> str:
        return f"{self.prefix}e:{article_id}"

    def _bucket_key(self, key: int) -> str:
        return f"{self.prefix}b:{key}"

    def put(self, entry: Entry, keys: Sequence[int]) -> None:
        """Replace the article's entry and buckets atomically."""
        entry_key = self._entry_key(entry.article_id)
        packed = np.array(sorted(set(keys)), dtype="<i8").tobytes()

        def replace(pipe: redis.client.Pipeline) -> None:
            old = pipe.hget(entry_key, "keys")
            pipe.multi()
            if old:
                for key in np.frombuffer(old, dtype="<i8").tolist():
                    pipe.srem(self._bucket_key(key), entry.article_id)
            pipe.delete(entry_key)
            pipe.hset(
                entry_key,
                mapping={
                    "revision": entry.revision_id,
                    "language": entry.language,
                    "group": entry.translation_group,
                    "state": entry.state,
                    "words": entry.words,
                    "shingles": entry.shingles,
                    "signature": entry.signature_bytes(),
                    "version": entry.version,
                    "keys": packed,
                },
            )
            for key in set(keys):
                pipe.sadd(self._bucket_key(key), entry.article_id)
            pipe.sadd(f"{self.prefix}ids", entry.article_id)

        self.client.transaction(replace, entry_key)

    def put_many(self, items: Iterable[tuple[Entry, Sequence[int]]]) -> None:
        for entry, keys in items:
            self.put(entry, keys)

    def remove(self, article_id: int) -> None:
        entry_key = self._entry_key(article_id)

        def drop(pipe: redis.client.Pipeline) -> None:
            old = pipe.hget(entry_key, "keys")
            pipe.multi()
            if old:
                for key in np.frombuffer(old, dtype="<i8").tolist():
                    pipe.srem(self._bucket_key(key), article_id)
            pipe.delete(entry_key)
            pipe.srem(f"{self.prefix}ids", article_id)

        self.client.transaction(drop, entry_key)

    def candidates(
        self,
        keys: Sequence[int],
        *,
        exclude_article: int | None = None,
        exclude_group: str | None = None,
    ) -> list[Entry]:
        if not keys:
            return []
        ids = {int(x) for x in self.client.sunion([self._bucket_key(k) for k in set(keys)])}
        ids.discard(exclude_article)
        ordered = sorted(ids)
        pipe = self.client.pipeline(transaction=False)
        for article_id in ordered:
            pipe.hmget(self._entry_key(article_id), _FIELDS)
        found = []
        for article_id, values in zip(ordered, pipe.execute(), strict=True):
            if values[0] is None:  # removed between the two round trips
                continue
            revision, language, group, state, words, shingles, signature, version = values
            if exclude_group is not None and group.decode() == exclude_group:
                continue
            found.append(
                Entry(
                    article_id=article_id,
                    revision_id=int(revision),
                    language=language.decode(),
                    translation_group=group.decode(),
                    state=state.decode(),
                    words=int(words),
                    shingles=int(shingles),
                    signature=Entry.signature_from(signature),
                    version=version.decode(),
                )
            )
        return found

    def article_ids(self) -> set[int]:
        return {int(x) for x in self.client.smembers(f"{self.prefix}ids")}

    def stats(self) -> dict[str, int]:
        ids = self.article_ids()
        buckets = 0
        used = 0
        for key in self.client.scan_iter(match=f"{self.prefix}*", count=1000):
            used += self.client.memory_usage(key) or 0
            buckets += key.startswith(f"{self.prefix}b:".encode())
        return {"entries": len(ids), "buckets": buckets, "bytes": used}

    def clear(self) -> None:
        """Delete every key under the prefix (tests and a full rebuild from scratch)."""
        for key in self.client.scan_iter(match=f"{self.prefix}*", count=1000):
            self.client.delete(key)
