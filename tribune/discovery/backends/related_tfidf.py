"""TF-IDF related-articles engine with its index in the database.

Each indexed article is a vector of its strongest word stems (title, summary and body, the
headline counting three times and the summary twice), weighted by sublinear term frequency
times inverse document frequency and scaled to unit length. Similarity is the dot product.

Why the database and not a matrix in memory or in the data folder: the index must be right
with several web and task processes on several machines, survive restarts and change in the
same transaction as the article. Three tables do it (see `discovery.models`): the stems with
their document counts, one row per article with its vector, and an inverted index of
(stem, article, weight) covering the index `(stem, weight desc, article)`. Finding one
article's neighbours reads, for each of its strongest stems, only that stem's heaviest
postings (a bounded, index-only range scan whatever the corpus size), adds them up per
article, and re-scores the best candidates exactly from their stored vectors. Nothing is
loaded per process, so a web process could ask too; in practice tasks do.

Writers take one lock for the whole index (PostgreSQL advisory lock; SQLite serializes
writers anyway), so the document counts stay exact with any number of workers.
"""

import math
from collections import Counter
from collections.abc import Callable, Iterable
from heapq import nlargest

from django.db import connection, transaction
from django.db.models import F

from tribune.articles.models import Article, Revision, Status
from tribune.discovery.backends.related_text import term_counts
from tribune.discovery.models import RelatedDocument, RelatedPosting, RelatedTerm

# Stems kept per article: enough to describe it, few enough that postings stay small.
TERMS_PER_ARTICLE = 24
# Stems of the source article that look for candidates, and postings read per stem.
QUERY_TERMS = 16
POSTINGS_PER_TERM = 400
# Candidates re-scored exactly per requested result.
CANDIDATES_PER_RESULT = 8
# The row of the empty stem (no word is one) counts the indexed articles: counting them
# for each publication read the whole document table (20 ms at 100,000 articles).
DOCUMENTS = ""
_LOCK_KEY = 0x7472_6C61  # "trla": the PostgreSQL advisory lock of this index
_BATCH = 2000


def _lock_index() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _revision_terms(revision: Revision, language: str) -> Counter[str]:
    return term_counts(language, revision.title, revision.summary, revision.body)


def _weigh(counts: Counter[str], df: dict[str, int], total: int) -> dict[str, float]:
    """The unit-length vector of the strongest stems: (1 + ln tf) * (1 + ln((1 + N) / (1 + df))).

    The smoothed idf keeps a young index useful (on a site of two articles every word is in
    every article). A vector keeps the document counts of when it was made; they move
    slowly once a site has some articles, and `tribune rebuild_related` brings all up to date.
    """
    raw = {
        term: (1.0 + math.log(n)) * (1.0 + math.log((1 + total) / (1 + df[term])))
        for term, n in counts.items()
    }
    top = nlargest(TERMS_PER_ARTICLE, ((w, t) for t, w in raw.items() if w > 0))
    norm = math.sqrt(sum(w * w for w, _t in top)) or 1.0
    return {t: w / norm for w, t in top}


class TfidfEngine:
    """Content similarity by TF-IDF over word stems, indexed in the database."""

    def index(self, article_id: int) -> bool:
        with transaction.atomic():
            _lock_index()
            article = (
                Article.objects.filter(pk=article_id)
                .select_related("live_revision")
                .only("language", "status", "live_revision")
                .first()
            )
            public = (
                article is not None
                and article.status == Status.PUBLISHED
                and article.live_revision is not None
            )
            current = RelatedDocument.objects.filter(pk=article_id).only("revision_id").first()
            if current is not None:
                if public and current.revision_id == article.live_revision_id:
                    return True
                self._drop(current)
            if not public:
                return False
            self._add(article)
            return True

    def remove(self, article_id: int) -> None:
        with transaction.atomic():
            _lock_index()
            current = RelatedDocument.objects.filter(pk=article_id).first()
            if current is not None:
                self._drop(current)

    def _drop(self, document: RelatedDocument) -> None:
        revision = Revision.objects.select_related("article").get(pk=document.revision_id)
        terms = [*_revision_terms(revision, revision.article.language), DOCUMENTS]
        RelatedTerm.objects.filter(text__in=terms, documents__gt=0).update(
            documents=F("documents") - 1
        )
        document.delete()

    def _add(self, article: Article) -> None:
        counts = _revision_terms(article.live_revision, article.language)
        RelatedTerm.objects.bulk_create(
            [RelatedTerm(text=term) for term in counts], ignore_conflicts=True
        )
        terms = [*counts, DOCUMENTS]
        RelatedTerm.objects.filter(text__in=terms).update(documents=F("documents") + 1)
        known, df = {}, {}
        for pk, text, documents in RelatedTerm.objects.filter(text__in=terms).values_list(
            "pk", "text", "documents"
        ):
            known[text], df[text] = pk, documents
        total = df.pop(DOCUMENTS, None)
        if total is None:  # an index built before the count was kept: count once
            total = RelatedDocument.objects.count() + 1
            RelatedTerm.objects.create(text=DOCUMENTS, documents=total)
        vector = _weigh(counts, df, total)
        document = RelatedDocument.objects.create(
            article_id=article.pk,
            revision_id=article.live_revision_id,
            vector={str(known[t]): round(w, 5) for t, w in vector.items()},
        )
        RelatedPosting.objects.bulk_create(
            RelatedPosting(term_id=known[t], document=document, weight=w) for t, w in vector.items()
        )

    def similar(self, article_id: int, limit: int) -> list[tuple[int, float]]:
        source = RelatedDocument.objects.filter(pk=article_id).values_list("vector", flat=True)
        vector = next(iter(source), None)
        if not vector:
            return []
        query = nlargest(QUERY_TERMS, vector.items(), key=lambda item: item[1])
        candidates = self._candidates(article_id, query, limit * CANDIDATES_PER_RESULT)
        scored = []
        for other, other_vector in RelatedDocument.objects.filter(pk__in=candidates).values_list(
            "article_id", "vector"
        ):
            score = sum(w * other_vector.get(term, 0.0) for term, w in vector.items())
            scored.append((other, min(score, 1.0)))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:limit]

    def _candidates(self, article_id: int, query: list[tuple[str, float]], limit: int) -> list[int]:
        """Articles with the highest partial score over each query stem's heaviest postings."""
        table = RelatedPosting._meta.db_table
        parts, params = [], []
        for n, (term, weight) in enumerate(query):
            # Each part in its own subquery so that its LIMIT applies to it alone (SQLite).
            parts.append(
                f"SELECT document_id, weight * %s AS s FROM (SELECT document_id, weight "
                f"FROM {table} WHERE term_id = %s ORDER BY weight DESC LIMIT %s) AS p{n}"
            )
            params += [weight, int(term), POSTINGS_PER_TERM]
        sql = (
            f"SELECT document_id FROM ({' UNION ALL '.join(parts)}) AS postings "
            "WHERE document_id <> %s GROUP BY document_id ORDER BY SUM(s) DESC, document_id "
            "LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, article_id, limit])
            return [row[0] for row in cursor.fetchall()]

    def rebuild(
        self, article_ids: Iterable[int], progress: Callable[[int, int], None] | None = None
    ) -> int:
        ids = sorted(set(article_ids))
        # Pass 1: count every public article's stems once, keeping them compact.
        vocabulary: dict[str, int] = {}
        df: Counter[int] = Counter()
        counted: list[tuple[int, int, dict[int, int]]] = []
        for start in range(0, len(ids), _BATCH):
            rows = Article.objects.filter(
                pk__in=ids[start : start + _BATCH],
                status=Status.PUBLISHED,
                live_revision__isnull=False,
            ).values_list(
                "pk",
                "language",
                "live_revision_id",
                "live_revision__title",
                "live_revision__summary",
                "live_revision__body",
            )
            for pk, language, revision_id, title, summary, body in rows:
                counts = term_counts(language, title, summary, body)
                ids_counts = {
                    vocabulary.setdefault(t, len(vocabulary)): n for t, n in counts.items()
                }
                df.update(ids_counts.keys())
                counted.append((pk, revision_id, ids_counts))
            if progress:
                # Counting is one step per article, writing the other.
                progress(min(start + _BATCH, len(ids)), 2 * len(ids))
        total = len(ids)
        # Pass 2: replace the index.
        with transaction.atomic():
            _lock_index()
            RelatedPosting.objects.all().delete()
            RelatedDocument.objects.all().delete()
            RelatedTerm.objects.all().delete()
            words = list(vocabulary)
            RelatedTerm.objects.bulk_create(
                [
                    RelatedTerm(text=DOCUMENTS, documents=len(counted)),
                    *(RelatedTerm(text=w, documents=df[i]) for i, w in enumerate(words)),
                ],
                batch_size=5000,
            )
            pks = dict(RelatedTerm.objects.values_list("text", "pk"))
            term_pk = [pks[w] for w in words]
            for start in range(0, len(counted), _BATCH):
                documents, postings = [], []
                for pk, revision_id, ids_counts in counted[start : start + _BATCH]:
                    weights = _weigh(Counter(ids_counts), df, len(counted))
                    vector = {term_pk[i]: round(w, 5) for i, w in weights.items()}
                    documents.append(
                        RelatedDocument(
                            article_id=pk,
                            revision_id=revision_id,
                            vector={str(t): w for t, w in vector.items()},
                        )
                    )
                    postings.extend(
                        RelatedPosting(term_id=t, document_id=pk, weight=w)
                        for t, w in vector.items()
                    )
                RelatedDocument.objects.bulk_create(documents, batch_size=1000)
                RelatedPosting.objects.bulk_create(postings, batch_size=5000)
                if progress:
                    written = (start + len(documents)) * total // len(counted)
                    progress(total + written, 2 * total)
        return len(counted)
