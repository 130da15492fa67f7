"""The near-duplicate index in the database (SQLite or PostgreSQL): the default backend.

Entries and their LSH buckets are rows (tribune.checks.models.duplicates); looking up
candidates is one query over the (key, entry) unique index, whatever the corpus size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count

from tribune.checks.dupindex.base import Entry
from tribune.checks.models.duplicates import DuplicateBucket, DuplicateEntry

# Rows per INSERT/DELETE batch, and bucket keys per lookup: SQLite (3.32+) allows 32766
# parameters per statement; a long text's windows ask for up to 64 x 64 keys at once.
_CHUNK = 2000
_KEYS_PER_QUERY = 8000


def _insert_bucket_sql() -> str:
    # SQLite (3.24+) and PostgreSQL both take ON CONFLICT DO NOTHING; names quoted, as
    # "key" is a keyword in both.
    quote = connection.ops.quote_name
    table, key, entry = (quote(n) for n in (DuplicateBucket._meta.db_table, "key", "entry_id"))
    return f"INSERT INTO {table} ({key}, {entry}) VALUES (%s, %s) ON CONFLICT DO NOTHING"  # noqa: S608 - names from the model


def _delete(article_ids: list[int]) -> None:
    """Entries and their buckets, without loading them (a cascade through the ORM would
    read every bucket row first)."""
    for start in range(0, len(article_ids), _CHUNK):
        chunk = article_ids[start : start + _CHUNK]
        DuplicateBucket.objects.filter(entry_id__in=chunk)._raw_delete(connection.alias)
        DuplicateEntry.objects.filter(pk__in=chunk)._raw_delete(connection.alias)


def _row(entry: Entry) -> DuplicateEntry:
    return DuplicateEntry(
        article_id=entry.article_id,
        revision_id=entry.revision_id,
        language=entry.language,
        translation_group=entry.translation_group,
        state=entry.state,
        words=entry.words,
        shingles=entry.shingles,
        signature=entry.signature_bytes(),
        version=entry.version,
    )


class DatabaseIndex:
    """Keeps the index in the project's database."""

    def put(self, entry: Entry, keys: Sequence[int]) -> None:
        """Replace the article's entry and buckets in one transaction."""
        self.put_many([(entry, keys)])

    def put_many(self, items: Iterable[tuple[Entry, Sequence[int]]]) -> None:
        """Replace many entries in one transaction. Two workers refreshing the same
        article at once: the second one's insert conflicts, so it runs again once."""
        items = list(items)
        if not items:
            return
        for attempt in (1, 2):
            try:
                with transaction.atomic():
                    _delete([entry.article_id for entry, _keys in items])
                    DuplicateEntry.objects.bulk_create(
                        [_row(entry) for entry, _keys in items], batch_size=_CHUNK
                    )
                    # Plain SQL: a rebuild writes 64 rows per article, and a model instance
                    # for each would cost more than hashing the texts.
                    rows = [(key, entry.article_id) for entry, keys in items for key in set(keys)]
                    with connection.cursor() as cursor:
                        cursor.executemany(_insert_bucket_sql(), rows)
                return
            except IntegrityError:
                if attempt == 2:
                    raise

    def remove(self, article_id: int) -> None:
        with transaction.atomic():
            _delete([article_id])

    def candidates(
        self,
        keys: Sequence[int],
        *,
        exclude_article: int | None = None,
        exclude_group: str | None = None,
    ) -> list[Entry]:
        keys = list(dict.fromkeys(keys))
        found: dict[int, Entry] = {}
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            rows = DuplicateEntry.objects.filter(
                pk__in=DuplicateBucket.objects.filter(
                    key__in=keys[start : start + _KEYS_PER_QUERY]
                ).values("entry_id")
            )
            if exclude_article is not None:
                rows = rows.exclude(pk=exclude_article)
            if exclude_group is not None:
                rows = rows.exclude(translation_group=exclude_group)
            for row in rows:
                found[row.article_id] = Entry(
                    article_id=row.article_id,
                    revision_id=row.revision_id,
                    language=row.language,
                    translation_group=str(row.translation_group),
                    state=row.state,
                    words=row.words,
                    shingles=row.shingles,
                    signature=Entry.signature_from(row.signature),
                    version=row.version,
                )
        return list(found.values())

    def article_ids(self) -> set[int]:
        return set(DuplicateEntry.objects.values_list("pk", flat=True))

    def stats(self) -> dict[str, int]:
        entries = DuplicateEntry.objects.aggregate(n=Count("pk"))["n"]
        buckets = DuplicateBucket.objects.count()
        result = {"entries": entries, "buckets": buckets}
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_total_relation_size(%s) + pg_total_relation_size(%s)",
                    [DuplicateEntry._meta.db_table, DuplicateBucket._meta.db_table],
                )
                result["bytes"] = cursor.fetchone()[0]
        elif connection.vendor == "sqlite":
            result["bytes"] = _sqlite_bytes()
        return result


def _sqlite_bytes() -> int:
    """Pages used by the index tables and their indexes (needs the dbstat table, which
    most SQLite builds have; 0 when it is missing)."""
    tables = [DuplicateEntry._meta.db_table, DuplicateBucket._meta.db_table]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name IN (%s, %s)", tables)
            names = [row[0] for row in cursor.fetchall()]
            marks = ", ".join(["%s"] * len(names))
            cursor.execute(f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({marks})", names)  # noqa: S608 - placeholders only
            return int(cursor.fetchone()[0] or 0)
    except DatabaseError:  # a figure for the benchmark, never worth failing over
        return 0
