"""Search with PostgreSQL's full-text search.

`discovery_search_vector` holds one tsvector per article (migration 0002_search_index),
made with the text search configuration of the article's language ('english', 'german',
...), the headline weighted A, topics, summary and author B, the body D, under a GIN index.
A query is a plainto_tsquery of plain words (never the reader's raw string), in the
configuration of the language filter or, without one, of every site language, OR-ed.
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
from tribune.discovery.backends.text import SNOWBALL, words

TABLE = "discovery_search_vector"
# How many of the newest index entries a search reads before it turns to the GIN index.
RECENT_WINDOW = 3000
# The configurations PostgreSQL ships (15); other languages are indexed without stemming.
BUILT_IN = frozenset(
    (
        "arabic",
        "armenian",
        "basque",
        "catalan",
        "danish",
        "dutch",
        "english",
        "finnish",
        "french",
        "german",
        "greek",
        "hindi",
        "hungarian",
        "indonesian",
        "irish",
        "italian",
        "lithuanian",
        "nepali",
        "norwegian",
        "portuguese",
        "romanian",
        "russian",
        "serbian",
        "spanish",
        "swedish",
        "tamil",
        "turkish",
        "yiddish",
    )
)
ARTICLES = Article._meta.db_table
# Restricts to one topic, by slug (the search page's topic filter).
TOPIC_FILTER = (
    "a.id IN (SELECT at.article_id FROM articles_article_topics at "
    "JOIN articles_topic t ON t.id = at.topic_id WHERE t.slug = %s)"
)


def configuration(language: str) -> str:
    name = SNOWBALL.get(language.lower(), "simple")
    return name if name in BUILT_IN else "simple"


_DOCUMENT = " || ".join(
    f"setweight(to_tsvector(%s::regconfig, %s), '{weight}')" for weight in "ABBBD"
)


class PostgresSearch:
    """The search engine for PostgreSQL sites (the default there)."""

    def index(self, documents: Iterable[Document]) -> None:
        rows = []
        for doc in documents:
            config = configuration(doc.language)
            # Our words, not PostgreSQL's parser's: it would skip anything that looks like a
            # tag ("<script>") or split e-mails and paths its own way, so that the engines
            # would find different things. The query's terms are split the same way.
            fields = [
                " ".join(words(text))
                for text in (doc.title, doc.topics, doc.summary, doc.author, doc.body)
            ]
            rows.append(
                [
                    doc.article_id,
                    doc.language,
                    doc.published_at,
                    *(v for f in fields for v in (config, f)),
                ]
            )
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (article_id, language, published_at, document) "
                f"VALUES (%s, %s, %s, {_DOCUMENT}) ON CONFLICT (article_id) DO UPDATE "
                "SET language = EXCLUDED.language, published_at = EXCLUDED.published_at, "
                "document = EXCLUDED.document",
                rows,
            )

    def remove(self, article_ids: Iterable[int]) -> None:
        ids = [int(pk) for pk in article_ids]
        if ids:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)", [ids])

    def indexed_ids(self) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT article_id FROM {TABLE}")
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
        configs = list(dict.fromkeys(configuration(code) for code in languages))
        query = " || ".join("plainto_tsquery(%s::regconfig, %s)" for _config in configs)
        query_params = [v for config in configs for v in (config, " ".join(terms))]
        # Only fixed names and placeholders go into the SQL; every value is a parameter.
        where = ["TRUE"]
        params: list[object] = []
        if language:
            where.append("s.language = %s")
            params.append(language)
        if topic:
            where.append(TOPIC_FILTER.replace("a.id IN", "s.article_id IN"))
            params.append(topic)
        conditions = " AND ".join(where)
        newest = f"ORDER BY published_at DESC, article_id DESC LIMIT {RANKED_MATCHES + 1}"
        enough = f"(SELECT COUNT(*) FROM w) > {RANKED_MATCHES}"
        # Still checked against the articles: the index may lag behind an unpublication.
        public = (
            f"FROM c JOIN {TABLE} s ON s.article_id = c.article_id "
            f"JOIN {ARTICLES} a ON a.id = c.article_id WHERE a.status = %s "
            f"AND a.live_revision_id IS NOT NULL AND {NOT_RESTRICTED}"
        )
        # The newest RANKED_MATCHES + 1 matches (c) are ranked. They are looked for first
        # among the newest RECENT_WINDOW entries (w), walked newest first on the
        # (language, published_at) index: a common word's are found there after a few
        # thousand rows at most. Only when those hold fewer, the words are rare enough for
        # the GIN index to find every match cheaply; PostgreSQL skips that part otherwise
        # (a one-time filter). The walk is bounded here, not left to the planner: it cannot
        # tell how often several words occur together and, taking them for rare, would read
        # every match through the GIN index (OFFSET 0 keeps it from walking there instead).
        candidates = (
            "WITH w AS MATERIALIZED (SELECT article_id, published_at FROM ("
            f"SELECT s.article_id, s.published_at, s.document FROM {TABLE} s "
            f"WHERE {conditions} ORDER BY s.published_at DESC, s.article_id DESC "
            f"LIMIT {RECENT_WINDOW}) r WHERE r.document @@ ({query}) {newest}), "
            f"c AS MATERIALIZED (SELECT * FROM w WHERE {enough} UNION ALL ("
            f"SELECT * FROM (SELECT s.article_id, s.published_at FROM {TABLE} s "
            f"WHERE {conditions} AND s.document @@ ({query}) OFFSET 0) m "
            f"WHERE NOT {enough} {newest})) "
        )
        candidate_params = [*params, *query_params, *params, *query_params]
        with connection.cursor() as cursor:
            cursor.execute(
                f"{candidates} SELECT c.article_id, ts_rank(s.document, {query}) AS score, "
                f"COUNT(*) OVER () {public} "
                "ORDER BY score DESC, c.published_at DESC, c.article_id DESC LIMIT %s OFFSET %s",
                [*candidate_params, *query_params, Status.PUBLISHED, limit, offset],
            )
            rows = cursor.fetchall()
            if rows:
                count = rows[0][2]
            elif offset:  # a page past the last: how many there are, for the last page
                cursor.execute(
                    f"{candidates} SELECT COUNT(*) {public}",
                    [*candidate_params, Status.PUBLISHED],
                )
                count = cursor.fetchone()[0]
            else:
                count = 0
        return Hits(
            [Hit(pk, score) for pk, score, _count in rows],
            min(count, RANKED_MATCHES),
            more=count > RANKED_MATCHES,
        )
