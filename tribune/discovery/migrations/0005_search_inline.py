"""PostgreSQL: keep each article's search document in the table row.

A document of a few hundred words is 2 to 4 KB, above PostgreSQL's usual limit for a row
(about 2 KB), so most went to the TOAST table, and every search read two or three more
pages for each document it looked at. Rows of up to 8 KB now keep the document in place:
a search reads half as many pages. New and re-indexed documents are stored this way;
`tribune rebuild_search_index` rewrites the others. The setting takes a SHARE UPDATE
EXCLUSIVE lock, which lets reads and writes go on (docs/deployment.md, migrations on a
live site)."""

from django.db import migrations

from tribune.lib.migration_ops import RunSQLOn


class Migration(migrations.Migration):
    dependencies = [("discovery", "0004_search_plans")]

    operations = [
        RunSQLOn(
            "postgresql",
            ["ALTER TABLE discovery_search_vector SET (toast_tuple_target = 8160)"],
            ["ALTER TABLE discovery_search_vector RESET (toast_tuple_target)"],
        )
    ]
