"""PostgreSQL: let the planner find a common word's newest matches quickly.

For a word in most articles, walking the articles newest first and stopping after
RANKED_MATCHES + 1 matches is far cheaper than collecting every match and sorting them;
for a rare word the GIN index is. The planner picks well only when it knows how common a
word is: a larger statistics sample of the documents gives it that, and an index on
publication time alone serves searches in every language (the one on (language,
published_at) serves searches in one). Built CONCURRENTLY: the table keeps taking writes
(docs/deployment.md, migrations on a live site)."""

from django.db import migrations

from tribune.lib.migration_ops import RunSQLOn


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("discovery", "0003_search_recency")]

    operations = [
        RunSQLOn(
            "postgresql",
            [
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS discovery_search_vector_recent_all "
                "ON discovery_search_vector (published_at DESC, article_id DESC)",
                "ALTER TABLE discovery_search_vector ALTER COLUMN document SET STATISTICS 1000",
            ],
            [
                "DROP INDEX CONCURRENTLY IF EXISTS discovery_search_vector_recent_all",
                "ALTER TABLE discovery_search_vector ALTER COLUMN document SET STATISTICS -1",
            ],
        )
    ]
