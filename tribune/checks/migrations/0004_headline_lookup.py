"""An index on LOWER(title) of article revisions, for the spam check's "same headline" lookup
(tribune.checks.rules.spam.same_headline_articles): without it that lookup reads every
revision (~60 ms at 200,000 on SQLite), with it a few index pages (~0.02 ms).

It lives here, beside the only code that needs it, as SQL of its own because it is an
expression index on another app's table. On PostgreSQL it is built CONCURRENTLY, so that a
live site keeps taking edits while it builds (docs/deployment.md; hence atomic = False);
SQLite (3.9+) builds it plainly."""

from django.db import migrations
from django.db.migrations.operations.base import Operation

NAME = "checks_revision_title_lower"


class CreateHeadlineIndex(Operation):
    reversible = True
    reduces_to_sql = True

    def state_forwards(self, app_label, state):
        pass  # no model changes: the index is invisible to Django's model state

    def _concurrently(self, schema_editor):
        return "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        schema_editor.execute(
            f"CREATE INDEX {self._concurrently(schema_editor)}IF NOT EXISTS {NAME} "
            "ON articles_revision (LOWER(title))"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        schema_editor.execute(f"DROP INDEX {self._concurrently(schema_editor)}IF EXISTS {NAME}")

    def describe(self):
        return "Index article revisions by their lower-case headline"


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("checks", "0003_duplicate_index"),
        ("articles", "0001_initial"),
    ]

    operations = [CreateHeadlineIndex()]
