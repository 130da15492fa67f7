"""Search with SQLite's FTS5, stemming in Python.

FTS5 brings only an English Porter stemmer, so we stem ourselves with Snowball (PyStemmer)
in each article's language and store the stems: `discovery_search_text` holds them, one row
per article (id = article id), and the FTS5 table `discovery_search_fts` indexes that table
as external content, kept in step by triggers (migration 0002_search_index). A query is
stemmed the same way before it reaches MATCH, each stem quoted, so that no FTS5 syntax
can come from a reader.
"""

from collections.abc import Iterable

from django.db import connection

from tribune.articles.models import Article, Status
from tribune.discovery.backends.base import (
    NOT_RESTRICTED,
    RANKED_MATCHES,
    Document,
    Hit,
    Hits,
    languages_to_search,
)
from tribune.discovery.backends.text import stem_words, stemmed_text

TEXT_TABLE = "discovery_search_text"
FTS_TABLE = "discovery_search_fts"
# bm25 weights of the FTS5 columns in order: title, summary, body, author, topics.
WEIGHTS = "10.0, 3.0, 1.0, 3.0, 3.0"
ARTICLES = Article._meta.db_table
# Restricts to one topic, by slug (the search page's topic filter).
TOPIC_FILTER = (
    "a.id IN (SELECT at.article_id FROM articles_article_topics at "
    "JOIN articles_topic t ON t.id = at.topic_id WHERE t.slug = %s)"
)
_COLUMNS = ("title", "summary", "body", "author", "topics")


def match_expression(terms: list[str], languages: list[str]) -> str:
    """An FTS5 query: every term, stemmed in one of the languages. Only quoted stems of
    letters and digits go in, so the expression is always valid."""
    clauses: list[str] = []
    for language in languages:
        stems = stem_words(terms, language)
        clause = "(" + " AND ".join(f'"{stem}"' for stem in stems) + ")"
        if clause not in clauses:
            clauses.append(clause)
    return " OR ".join(clauses)


class SQLiteSearch:
    """The search engine for SQLite sites (the default there)."""

    def index(self, documents: Iterable[Document]) -> None:
        rows = [
            (
                doc.article_id,
                doc.language,
                *(stemmed_text(getattr(doc, column), doc.language) for column in _COLUMNS),
            )
            for doc in documents
        ]
        if not rows:
            return
        updates = ", ".join(f"{c} = excluded.{c}" for c in ("language", *_COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TEXT_TABLE} (id, language, {', '.join(_COLUMNS)}) "
                f"VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET {updates}",
                rows,
            )

    def remove(self, article_ids: Iterable[int]) -> None:
        ids = [(int(pk),) for pk in article_ids]
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TEXT_TABLE} WHERE id = %s", ids)

    def indexed_ids(self) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {TEXT_TABLE}")
            return {row[0] for row in cursor.fetchall()}

    def search(
        self,
        terms: list[str],
        *,
        language: str | None,
        topic: str | None,
        offset: int,
        limit: int,
    ) -> Hits:
        if not terms:
            return Hits([], 0)
        languages = languages_to_search(language)
        where = ["a.status = %s", "a.live_revision_id IS NOT NULL"]
        where.append(NOT_RESTRICTED)
        params: list[object] = [match_expression(terms, languages), Status.PUBLISHED]
        if language:
            where.append("a.language = %s")
            params.append(language)
        if topic:
            where.append(TOPIC_FILTER)
            params.append(topic)
        # Rank only the newest RANKED_MATCHES matches (by rowid, which is the article id, so
        # creation order): FTS5 walks its index backwards for them at once, and bm25() then
        # reads just that rowid range. Both steps are MATERIALIZED: otherwise SQLite's
        # planner walks the articles and runs the full-text match once per article.
        # Only fixed names and placeholders go into the SQL.
        sql = (
            f"WITH f AS MATERIALIZED (SELECT rowid AS id FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT {RANKED_MATCHES + 1}), "
            f"m AS MATERIALIZED (SELECT rowid AS id, -bm25({FTS_TABLE}, {WEIGHTS}) AS score "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid >= (SELECT MIN(id) FROM f)), "
            f"c AS MATERIALIZED (SELECT a.id, a.published_at, m.score FROM m "
            f"JOIN {ARTICLES} a ON a.id = m.id WHERE {' AND '.join(where)}) "
        )
        match, *filters = params
        with connection.cursor() as cursor:
            cursor.execute(
                f"{sql} SELECT id, score, (SELECT COUNT(*) FROM c), (SELECT COUNT(*) FROM f) "
                "FROM c ORDER BY score DESC, published_at DESC, id DESC LIMIT %s OFFSET %s",
                [match, match, *filters, limit, offset],
            )
            rows = cursor.fetchall()
            if rows or not offset:
                count, candidates = (rows[0][2], rows[0][3]) if rows else (0, 0)
            else:
                cursor.execute(
                    f"{sql} SELECT (SELECT COUNT(*) FROM c), (SELECT COUNT(*) FROM f)",
                    [match, match, *filters],
                )
                count, candidates = cursor.fetchone()
        more = candidates > RANKED_MATCHES
        rows = [(pk, score, None) for pk, score, *_counts in rows]
        return Hits(
            [Hit(pk, score) for pk, score, _none in rows], min(count, RANKED_MATCHES), more=more
        )
