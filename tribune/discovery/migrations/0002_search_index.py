"""The full-text search index: FTS5 tables on SQLite, a tsvector table on PostgreSQL.

Each engine's tables are created only on its own database (see backends/sqlite.py and
backends/postgres.py). Neither holds a foreign key to articles: search results are joined
with the articles table and filtered on their status anyway, and a key would stop
PostgreSQL from truncating the articles table (as Django's test flush does).
"""

from django.db import migrations

from tribune.discovery.migrations._vendor import RunSQLOn


COLUMNS = "title, summary, body, author, topics"
NEW = "new.title, new.summary, new.body, new.author, new.topics"
OLD = "old.title, old.summary, old.body, old.author, old.topics"

SQLITE = [
    # Stemmed text, one row per published article (id = the article's id).
    """CREATE TABLE discovery_search_text (
        id INTEGER PRIMARY KEY,
        language TEXT NOT NULL,
        title TEXT NOT NULL, summary TEXT NOT NULL, body TEXT NOT NULL,
        author TEXT NOT NULL, topics TEXT NOT NULL
    )""",
    # The text is stemmed already; unicode61 only splits it and folds diacritics.
    f"""CREATE VIRTUAL TABLE discovery_search_fts USING fts5(
        {COLUMNS}, content='discovery_search_text', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER discovery_search_text_ai AFTER INSERT ON discovery_search_text BEGIN
        INSERT INTO discovery_search_fts (rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END""",
    f"""CREATE TRIGGER discovery_search_text_ad AFTER DELETE ON discovery_search_text BEGIN
        INSERT INTO discovery_search_fts (discovery_search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
    END""",
    f"""CREATE TRIGGER discovery_search_text_au AFTER UPDATE ON discovery_search_text BEGIN
        INSERT INTO discovery_search_fts (discovery_search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.id, {OLD});
        INSERT INTO discovery_search_fts (rowid, {COLUMNS}) VALUES (new.id, {NEW});
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER discovery_search_text_au",
    "DROP TRIGGER discovery_search_text_ad",
    "DROP TRIGGER discovery_search_text_ai",
    "DROP TABLE discovery_search_fts",
    "DROP TABLE discovery_search_text",
]

POSTGRES = [
    """CREATE TABLE discovery_search_vector (
        article_id bigint PRIMARY KEY,
        language varchar(8) NOT NULL,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX discovery_search_vector_document ON discovery_search_vector USING GIN (document)",
]
POSTGRES_REVERSE = ["DROP TABLE discovery_search_vector"]


class Migration(migrations.Migration):

    dependencies = [
        ("discovery", "0002_related_index"),
    ]

    operations = [
        RunSQLOn("sqlite", SQLITE, SQLITE_REVERSE),
        RunSQLOn("postgresql", POSTGRES, POSTGRES_REVERSE),
    ]
