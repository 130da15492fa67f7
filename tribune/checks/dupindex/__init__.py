"""The near-duplicate index: what it holds, keeping it current, and asking it.

What the index should hold for an article (`wanted`):
- a public article: its live revision ("published");
- an article with an open submission, or approved and scheduled: the submitted (latest)
  revision ("pending");
- anything else (draft, declined, changes requested, unpublished, removed): nothing.

`refresh(article_id)` makes the index agree with that, idempotently; the task
`tasks.refresh_duplicate_index` runs it after every commit that may change the answer
(publish, live edit, unpublish, removal, submit, decline, changes requested, approval).
`rebuild()` recomputes everything (`tribune rebuild_duplicate_index`).

The backend (database or Redis) is chosen by the TRIBUNE_DUPLICATE_INDEX setting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.utils.module_loading import import_string

from tribune.checks.dupindex import text
from tribune.checks.dupindex.base import DuplicateIndex, Entry

PUBLISHED = "published"
PENDING = "pending"


def backend() -> DuplicateIndex:
    """The configured index backend (they keep no state in the process but a connection)."""
    return import_string(settings.TRIBUNE_DUPLICATE_INDEX)()


def make_entry(
    *,
    article_id: int,
    revision_id: int,
    language: str,
    translation_group: str,
    state: str,
    title: str,
    summary: str,
    body: str,
) -> tuple[Entry, list[int]]:
    """The entry and bucket keys of one text."""
    norms = text.document_norms((title, summary, body))
    shingles = text.shingle_hashes(norms)
    signature = text.signature(shingles)
    entry = Entry(
        article_id=article_id,
        revision_id=revision_id,
        language=language,
        translation_group=str(translation_group),
        state=state,
        words=len(norms),
        shingles=len(shingles),
        signature=signature,
        version=text.VERSION,
    )
    return entry, text.band_keys(signature, language) if norms else []


def _wanted_rows(article_ids: Iterable[int] | None = None) -> Iterator[dict]:
    """(article, revision, state) rows of what the index should hold, for these articles
    or for every article. Three queries whatever the number of articles."""
    from tribune.articles.models import Article, Status
    from tribune.submissions.models import OPEN_STATES, Submission

    articles = Article.objects.all()
    if article_ids is not None:
        articles = articles.filter(pk__in=list(article_ids))
    fields = ("pk", "language", "translation_group")
    public = articles.filter(status=Status.PUBLISHED, live_revision__isnull=False)
    seen: set[int] = set()
    for row in public.values(*fields, "live_revision_id").order_by("pk"):
        seen.add(row["pk"])
        yield {**row, "revision_id": row["live_revision_id"], "state": PUBLISHED}
    submitted = Submission.objects.filter(state__in=OPEN_STATES, article__in=articles)
    for row in submitted.values("article_id", "revision_id").order_by("article_id"):
        if row["article_id"] in seen:
            continue
        seen.add(row["article_id"])
        yield {"pk": row["article_id"], "revision_id": row["revision_id"], "state": PENDING}
    scheduled = articles.filter(
        status__in=(Status.SCHEDULED, Status.APPROVED), latest_revision__isnull=False
    )
    for row in scheduled.values(*fields, "latest_revision_id").order_by("pk"):
        if row["pk"] not in seen:
            yield {**row, "revision_id": row["latest_revision_id"], "state": PENDING}


def _entries(rows: list[dict]) -> list[tuple[Entry, list[int]]]:
    """Entries for rows of `_wanted_rows`, reading the texts in one query."""
    from tribune.articles.models import Revision

    revisions = Revision.objects.filter(pk__in=[r["revision_id"] for r in rows]).values(
        "pk", "title", "summary", "body", "article__language", "article__translation_group"
    )
    texts = {r["pk"]: r for r in revisions}
    made = []
    for row in rows:
        revision = texts.get(row["revision_id"])
        if revision is None:
            continue
        made.append(
            make_entry(
                article_id=row["pk"],
                revision_id=row["revision_id"],
                language=revision["article__language"],
                translation_group=str(revision["article__translation_group"]),
                state=row["state"],
                title=revision["title"],
                summary=revision["summary"],
                body=revision["body"],
            )
        )
    return made


def refresh(article_id: int) -> bool:
    """Make the index hold what it should for this article; returns whether the article
    is in the index afterwards. Idempotent."""
    index = backend()
    rows = list(_wanted_rows([article_id]))
    made = _entries(rows) if rows else []
    if not made or not made[0][1]:  # nothing to index, or a text without a single word
        index.remove(article_id)
        return False
    index.put(*made[0])
    return True


def wanted_count() -> int:
    """How many articles the index should hold."""
    return sum(1 for _row in _wanted_rows())


def rebuild(progress: Callable[[int, int], None] | None = None, batch: int = 500) -> int:
    """Recompute the whole index from the articles; entries of articles that should not
    be there any more are dropped. Readers keep getting answers meanwhile (entries are
    replaced batch by batch, not cleared first). Returns the number of entries."""
    index = backend()
    rows = list(_wanted_rows())
    total, indexed = len(rows), 0
    kept: set[int] = set()
    for start in range(0, total, batch):
        made = [(entry, keys) for entry, keys in _entries(rows[start : start + batch]) if keys]
        index.put_many(made)
        kept.update(entry.article_id for entry, _keys in made)
        indexed += len(made)
        if progress:
            progress(min(start + batch, total), total)
    for stale in index.article_ids() - kept:
        index.remove(stale)
    return indexed
