"""Asking the index about a text: candidates by LSH, ranked by the MinHash estimate, then
verified exactly against the candidates' stored text (tribune.checks.dupindex.align).

Long texts are queried in windows of WINDOW words: a copy of a 700-word article inside a
20,000-word text has a Jaccard similarity with it of a few percent, which LSH would miss,
while the window holding it is mostly the copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tribune.checks.dupindex import PUBLISHED, backend, text
from tribune.checks.dupindex.align import ANCHOR, Alignment, SubmissionAnchors
from tribune.checks.dupindex.base import Entry
from tribune.checks.dupindex.text import Word

WINDOW = 1500  # words per query window of a long text (texts up to this are one window)
MAX_WINDOWS = 64  # longer texts (over ~48,000 words, beyond the site's limit) get wider windows
MAX_VERIFIED = 10  # candidates compared word by word, the most alike first
MIN_ESTIMATE = 0.05  # estimated share below which a candidate is not worth verifying


@dataclass(frozen=True)
class Original:
    """A verified match: the indexed article, its text's words and raw fields."""

    article_id: int
    uuid: str
    title: str
    url: str
    state: str
    language: str
    fields: dict[str, str]
    words: list[Word]
    alignment: Alignment
    estimate: float


def _windows(words: list[Word]) -> list[tuple[int, int]]:
    if len(words) <= WINDOW:
        return [(0, len(words))]
    size = max(WINDOW, -(-len(words) // MAX_WINDOWS))
    step = size // 2  # half-overlapping, so a copy never falls apart at a window edge
    return [(start, min(start + size, len(words))) for start in range(0, len(words) - step, step)]


def _estimate(window_shingles: int, entry: Entry, signature: np.ndarray) -> float:
    """Estimated share of the smaller text found in the other."""
    shared = text.shared_shingles(
        text.jaccard(signature, entry.signature), window_shingles, entry.shingles
    )
    return shared / max(1, min(window_shingles, entry.shingles))


def find_originals(
    fields: dict[str, str],
    language: str,
    *,
    article_id: int | None = None,
    translation_group: str | None = None,
) -> tuple[list[Word], list[Original]]:
    """The submission's words and the indexed articles it verifiably copies from, the
    largest overlap first. Two index round trips and one query for the candidates' texts."""
    from tribune.articles.models import Revision

    words = text.document_words((name, fields.get(name, "")) for name in text.FIELD_ORDER)
    if len(words) < text.SHINGLE:
        return words, []
    index = backend()
    # Hashed once for the whole text: the windows' shingles and the exact anchors alike.
    sequence = text.sequence_hashes(text.word_hashes([w.norm for w in words]), text.SHINGLE)
    keys: list[int] = []
    queried: list[tuple[int, np.ndarray]] = []
    for start, end in _windows(words):
        shingles = text.distinct_shingles(sequence[start : max(start + 1, end - text.SHINGLE + 1)])
        signature = text.signature(shingles)
        queried.append((len(shingles), signature))
        keys += text.band_keys(signature, language)
    candidates = index.candidates(keys, exclude_article=article_id, exclude_group=translation_group)
    ranked = sorted(
        (
            (max(_estimate(size, entry, signature) for size, signature in queried), entry)
            for entry in candidates
            if entry.language == language and entry.version == text.VERSION
        ),
        key=lambda pair: -pair[0],
    )
    chosen = [(estimate, e) for estimate, e in ranked if estimate >= MIN_ESTIMATE][:MAX_VERIFIED]
    if not chosen:
        return words, []
    revisions = {
        r.pk: r
        for r in Revision.objects.filter(pk__in=[e.revision_id for _s, e in chosen]).select_related(
            "article"
        )
    }
    # The shingles' hashes are the anchors' too when both are as long.
    anchors = SubmissionAnchors(words, sequence if ANCHOR == text.SHINGLE else None)
    found = []
    for estimate, entry in chosen:
        revision = revisions.get(entry.revision_id)
        if revision is None or revision.article_id != entry.article_id:
            continue  # the index is behind the database; the next refresh fixes it
        original_fields = {
            "title": revision.title,
            "summary": revision.summary,
            "body": revision.body,
        }
        original_words = text.document_words(
            (name, original_fields[name]) for name in text.FIELD_ORDER
        )
        alignment = anchors.align(original_words)
        if not alignment.pairs:
            continue
        article = revision.article
        found.append(
            Original(
                article_id=article.pk,
                uuid=str(article.uuid),
                title=revision.title,
                url=article.get_absolute_url() if entry.state == PUBLISHED else "",
                state=entry.state,
                language=article.language,
                fields=original_fields,
                words=original_words,
                alignment=alignment,
                estimate=estimate,
            )
        )
    found.sort(key=lambda o: -o.alignment.overlap)
    return words, found
