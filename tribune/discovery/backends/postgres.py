"""Search with PostgreSQL's full-text search.

`discovery_search_vector` holds one tsvector per article (migration 0002_search_index),
made with the text search configuration of the article's language ('english', 'german',
...), the headline weighted A, topics, summary and author B, the body D, under a GIN index.
A query is a plainto_tsquery of plain words (never the reader's raw string), in the
configuration of the language filter or, without one, of every site language, OR-ed.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import connection

from tribune.articles.models import Article, Status
from tribune.discovery.backends.base import NOT_RESTRICTED, RANKED_MATCHES, Document, Hit, Hits
from tribune.discovery.backends.text import SNOWBALL, words

TABLE = "discovery_search_vector"
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
            rows.append([doc.article_id, doc.language, *(v for f in fields for v in (config, f))])
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (article_id, language, document) "
                f"VALUES (%s, %s, {_DOCUMENT}) ON CONFLICT (article_id) DO UPDATE "
                "SET language = EXCLUDED.language, document = EXCLUDED.document",
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
        languages = [language] if language else [code for code, _name in settings.LANGUAGES]
        configs = list(dict.fromkeys(configuration(code) for code in languages))
        query = " || ".join("plainto_tsquery(%s::regconfig, %s)" for _config in configs)
        query_params = [v for config in configs for v in (config, " ".join(terms))]
        where = [f"s.document @@ ({query})", "a.status = %s", "a.live_revision_id IS NOT NULL"]
        where.append(NOT_RESTRICTED)
        params: list[object] = [*query_params, Status.PUBLISHED]
        if language:
            where.append("a.language = %s")
            params.append(language)
        if topic:
            where.append(TOPIC_FILTER)
            params.append(topic)
        # Only fixed names and placeholders go into the SQL; every value is a parameter.
        # The newest RANKED_MATCHES matches are ranked; ranking every match would read
        # every matching document, which grows with the site.
        # The candidates carry no document: only the ranked few are read in full.
        candidates = (
            f"WITH c AS MATERIALIZED (SELECT s.article_id, a.published_at "
            f"FROM {TABLE} s JOIN {ARTICLES} a ON a.id = s.article_id WHERE {' AND '.join(where)} "
            f"ORDER BY a.published_at DESC, a.id DESC LIMIT {RANKED_MATCHES + 1}) "
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"{candidates} SELECT c.article_id, ts_rank(s.document, {query}) AS score, "
                f"(SELECT COUNT(*) FROM c) FROM c JOIN {TABLE} s ON s.article_id = c.article_id "
                "ORDER BY score DESC, c.published_at DESC, c.article_id DESC LIMIT %s OFFSET %s",
                [*params, *query_params, limit, offset],
            )
            rows = cursor.fetchall()
            if not rows and offset:
                cursor.execute(f"{candidates} SELECT COUNT(*) FROM c", params)
                count = cursor.fetchone()[0]
            else:
                count = rows[0][2] if rows else 0
        return Hits(
            [Hit(pk, score) for pk, score, _count in rows],
            min(count, RANKED_MATCHES),
            more=count > RANKED_MATCHES,
        )
