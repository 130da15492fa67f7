"""The interface of a near-duplicate index backend (STYLE.md rule 5).

An index holds, per indexed article, an `Entry` (which revision, its language and
translation group, sizes and MinHash signature) and the entry's LSH bucket keys. It knows
nothing about articles, submissions or how signatures are made: `tribune.checks.dupindex`
decides what goes in (`refresh`, `rebuild`) and how candidates are verified.
`TRIBUNE_DUPLICATE_INDEX` names the class: the database one by default, the Redis one
when REDIS_URL is set, so that every worker shares it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class Entry:
    article_id: int
    revision_id: int
    language: str
    translation_group: str
    state: str  # "published" or "pending"
    words: int
    shingles: int
    signature: np.ndarray  # uint32, text.NUM_PERM values
    version: str

    def signature_bytes(self) -> bytes:
        return self.signature.astype("<u4").tobytes()

    @staticmethod
    def signature_from(raw: bytes) -> np.ndarray:
        return np.frombuffer(bytes(raw), dtype="<u4").astype(np.uint32)


class DuplicateIndex(Protocol):
    def put(self, entry: Entry, keys: Sequence[int]) -> None:
        """Store or replace the article's entry and its bucket keys (idempotent)."""
        ...

    def put_many(self, items: Iterable[tuple[Entry, Sequence[int]]]) -> None:
        """`put` for many entries at once (a rebuild)."""
        ...

    def remove(self, article_id: int) -> None:
        """Drop the article's entry and buckets; nothing happens if it is not there."""
        ...

    def candidates(
        self,
        keys: Sequence[int],
        *,
        exclude_article: int | None = None,
        exclude_group: str | None = None,
    ) -> list[Entry]:
        """The entries sharing at least one bucket key with `keys`, leaving out an article
        and a translation group."""
        ...

    def article_ids(self) -> set[int]:
        """Every indexed article."""
        ...

    def stats(self) -> dict[str, int]:
        """Entries, buckets and (where the backend can tell) bytes used."""
        ...
