"""The search engine interface: what the search page and the indexing task need from an
engine, whatever engine it is.

Two engines implement it: SQLite FTS5 (`sqlite.SQLiteSearch`) and PostgreSQL full-text
search (`postgres.PostgresSearch`). `TRIBUNE_SEARCH_BACKEND` names the one in use; by
default the one that fits the database. Engines receive plain, case-folded words (see
`text.query_terms`), never a query string as typed, and stem them their own way.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from tribune.articles.models import Article


@dataclass(frozen=True)
class Document:
    """What the index knows of one published article: its language and its searchable text
    (plain text, not HTML). `topics` holds every name of every topic, in all languages."""

    article_id: int
    language: str
    title: str
    summary: str
    body: str
    author: str
    topics: str
    published_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float  # higher is better; comparable only within one search


# Engines rank at most this many matches: the newest ones. Ranking every match of a
# common word costs time that grows with the site (ts_rank and bm25 read each matching
# document, and finding the newest matches costs more the more of them are wanted); for
# news, the newest two hundred matches of a word hold what readers look for, and a query
# of two or three words narrows them further.
RANKED_MATCHES = 200


# Articles under a visibility restriction (a notice decision) stay out of results at
# once, before the index task has dropped them. The table is found through the article's
# reverse relation, so that discovery needs no import of the notices app.
_RESTRICTIONS = Article._meta.get_field("visibility_restriction").related_model._meta.db_table
NOT_RESTRICTED = f"NOT EXISTS (SELECT 1 FROM {_RESTRICTIONS} r WHERE r.article_id = a.id)"


def languages_to_search(language: str | None) -> list[str]:
    """The languages whose stemming a query uses: the one asked for, or every site language."""
    return [language] if language else [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class Hits:
    hits: list[Hit]  # one page, best first
    total: int  # matches over all pages, counted up to RANKED_MATCHES
    more: bool = False  # there are more matches than RANKED_MATCHES


class SearchBackend(Protocol):
    """A full-text index of published articles.

    `search` must only return articles that are published at the moment of the query, even
    if the index has not yet caught up with an unpublication. Every method is idempotent.
    """

    def index(self, documents: Iterable[Document]) -> None:
        """Add documents, or replace those already indexed under the same article ids."""
        ...

    def remove(self, article_ids: Iterable[int]) -> None:
        """Drop these articles from the index; unknown ids are ignored."""
        ...

    def indexed_ids(self) -> set[int]:
        """The ids of every indexed article (for rebuilding without a gap)."""
        ...

    def search(
        self,
        terms: list[str],
        *,
        language: str | None,
        topic: str | None,
        offset: int,
        limit: int,
    ) -> Hits:
        """Published articles that contain every term (in stemmed form), best first.

        `language` restricts to articles in that language and stems the terms in it only;
        without it the terms are stemmed in every site language and any stemming may match.
        `topic` is a topic slug. Headline matches weigh more than topic, summary and author
        matches, and those more than body matches.
        """
        ...
