"""The interface of a related-articles engine (STYLE.md rule 5).

An engine knows how alike two articles' texts are. It keeps whatever index it needs up to
date through `index` and `remove`, and answers `similar` with the most alike indexed
articles. Ranking (topics, recency, language, how many to show) is not its business:
`tribune.discovery.related` does that for every engine alike. The setting
`TRIBUNE_RELATED_ENGINE` names the class; an embedding-based engine can replace the TF-IDF
one by implementing these methods.
"""

from collections.abc import Callable, Iterable
from typing import Protocol


class RelatedEngine(Protocol):
    def index(self, article_id: int) -> bool:
        """Add or refresh a published article's live text; drop it if it is not public.

        Returns whether the article is in the index afterwards. Idempotent.
        """
        ...

    def remove(self, article_id: int) -> None:
        """Drop an article from the index (nothing happens if it is not there)."""
        ...

    def similar(self, article_id: int, limit: int) -> list[tuple[int, float]]:
        """Up to `limit` other indexed articles as (article id, similarity in 0..1), most
        alike first. Empty when the article itself is not indexed."""
        ...

    def rebuild(
        self, article_ids: Iterable[int], progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Replace the whole index by these articles (the public ones among them); calls
        `progress(done, total)` now and then. Returns the number indexed."""
        ...
