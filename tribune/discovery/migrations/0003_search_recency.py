"""PostgreSQL: the publication time beside each search document, with an index, so that
the newest matches are found by walking that index instead of reading every match."""

from django.db import migrations

from tribune.discovery.migrations._vendor import RunSQLOn

POSTGRES = [
    "ALTER TABLE discovery_search_vector ADD COLUMN published_at timestamptz",
    "UPDATE discovery_search_vector s SET published_at = a.published_at "
    "FROM articles_article a WHERE a.id = s.article_id",
    "CREATE INDEX discovery_search_vector_recent ON discovery_search_vector "
    "(language, published_at DESC, article_id DESC)",
]
POSTGRES_REVERSE = [
    "DROP INDEX discovery_search_vector_recent",
    "ALTER TABLE discovery_search_vector DROP COLUMN published_at",
]


class Migration(migrations.Migration):
    dependencies = [("discovery", "0002_search_index")]

    operations = [RunSQLOn("postgresql", POSTGRES, POSTGRES_REVERSE)]
