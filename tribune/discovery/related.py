"""'You might also like': which articles an article's page suggests, and keeping that stored.

The engine (`TRIBUNE_RELATED_ENGINE`, see `backends/related_base.py`) says how alike texts
are; this module ranks: articles in the same language first, then by similarity boosted by
shared topics and by recency, never the article itself, its translations or anything not
published. Lists are stored in `RelatedArticle` (the page reads them with one query, which
also hides entries that stopped being public, so a removal shows at once) and recomputed by
`tasks.refresh_related` after every visible change, for the changed article and for the
articles whose lists it leaves or would now enter.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from tribune.articles.models import Article, Status
from tribune.core.pagecache import invalidate_pages_on_commit
from tribune.discovery.backends.related_base import RelatedEngine
from tribune.discovery.models import RelatedArticle

MAX_SHOWN = 6
MIN_SHOWN = 3
# How much a shared topic (at most two count) and a recent publication raise a score.
TOPIC_BOOST = 0.15
RECENCY_BOOST = 0.1
RECENCY_HALF_LIFE_DAYS = 60
# Candidates asked of the engine, and how many of the most alike articles are checked for
# whether a new article now belongs in their lists.
CANDIDATES = 40
NEIGHBOURS_CHECKED = 30
SHORT_LISTS_CHECKED = 50


@cache
def engine() -> RelatedEngine:
    """The configured engine; engines keep no state in the process, so one is enough."""
    return import_string(settings.TRIBUNE_RELATED_ENGINE)()


@dataclass(frozen=True)
class _Facts:
    language: str
    group: str
    published_at: datetime | None
    topics: frozenset[int]


def _facts(ids: list[int]) -> dict[int, _Facts]:
    """Language, translation group, date and topics of the public articles among `ids`."""
    rows = (
        Article.objects.filter(pk__in=ids, status=Status.PUBLISHED, live_revision__isnull=False)
        .values_list("pk", "language", "translation_group", "published_at")
        .order_by()
    )
    topics: dict[int, set[int]] = {}
    through = Article.topics.through.objects.filter(article_id__in=ids)
    for article_id, topic_id in through.values_list("article_id", "topic_id"):
        topics.setdefault(article_id, set()).add(topic_id)
    return {
        pk: _Facts(language, str(group), published, frozenset(topics.get(pk, ())))
        for pk, language, group, published in rows
    }


def _score(similarity: float, source: _Facts, other: _Facts, now: datetime) -> float:
    shared = min(len(source.topics & other.topics), 2)
    age_days = (
        max((now - other.published_at).total_seconds() / 86400, 0) if other.published_at else 0
    )
    recency = math.pow(0.5, age_days / RECENCY_HALF_LIFE_DAYS)
    return similarity * (1 + TOPIC_BOOST * shared) * (1 + RECENCY_BOOST * recency)


def compute_related(article_id: int) -> list[tuple[int, float]]:
    """The ranked list for a public article (empty for anything else), best first."""
    similar = engine().similar(article_id, CANDIDATES)
    facts = _facts([article_id, *(pk for pk, _s in similar)])
    source = facts.get(article_id)
    if source is None:
        return []
    now = timezone.now()
    ranked = sorted(
        (
            (other.language != source.language, -_score(similarity, source, other, now), pk)
            for pk, similarity in similar
            if similarity > 0
            and (other := facts.get(pk)) is not None
            and other.group != source.group
        )
    )
    chosen = [(pk, -negative) for _other_language, negative, pk in ranked[:MAX_SHOWN]]
    if len(chosen) < MIN_SHOWN:
        chosen += _fill(article_id, source, {pk for pk, _s in chosen}, MIN_SHOWN - len(chosen))
    return chosen


def _fill(article_id: int, source: _Facts, taken: set[int], wanted: int) -> list[tuple[int, float]]:
    """Too few alike articles (a young site): the newest in the same language and topic."""
    newest = (
        Article.objects.filter(
            status=Status.PUBLISHED,
            live_revision__isnull=False,
            language=source.language,
            topics__in=source.topics,
        )
        .exclude(pk__in={article_id, *taken})
        .exclude(translation_group=source.group)
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)
        .distinct()[:wanted]
    )
    return [(pk, 0.0) for pk in newest]


def store_related(article_id: int, *, invalidate: bool = True) -> bool:
    """Recompute and store one article's list; True when it changed."""
    entries = compute_related(article_id)
    with transaction.atomic():
        stored = list(
            RelatedArticle.objects.filter(article_id=article_id)
            .order_by("rank")
            .values_list("related_id", flat=True)
        )
        if stored == [pk for pk, _s in entries]:
            return False
        RelatedArticle.objects.filter(article_id=article_id).delete()
        RelatedArticle.objects.bulk_create(
            RelatedArticle(article_id=article_id, related_id=pk, rank=rank, score=score)
            for rank, (pk, score) in enumerate(entries, start=1)
        )
        if invalidate:
            invalidate_pages_on_commit()
    return True


def _would_enter(article_id: int) -> set[int]:
    """The most alike articles whose stored list is short or ends below this article's score."""
    similar = engine().similar(article_id, NEIGHBOURS_CHECKED)
    if not similar:
        return set()
    facts = _facts([article_id, *(pk for pk, _s in similar)])
    new = facts.get(article_id)
    if new is None:
        return set()
    lists: dict[int, list[float]] = {}
    for owner, score in RelatedArticle.objects.filter(
        article_id__in=[pk for pk, _s in similar]
    ).values_list("article_id", "score"):
        lists.setdefault(owner, []).append(score)
    now = timezone.now()
    entering = set()
    for pk, similarity in similar:
        other = facts.get(pk)
        if other is None or other.group == new.group:
            continue
        scores = lists.get(pk, [])
        if len(scores) < MAX_SHOWN or _score(similarity, other, new, now) > min(scores):
            entering.add(pk)
    return entering


def _short_lists_sharing_a_topic(article_id: int) -> set[int]:
    """Lists filled up from a topic (a young site): a new article of that topic may belong."""
    article = _public().filter(pk=article_id).values_list("language", flat=True).first()
    topics = Article.topics.through.objects.filter(article_id=article_id).values("topic_id")
    if article is None:
        return set()
    short = (
        _public()
        .filter(language=article, topics__in=topics)
        .exclude(pk=article_id)
        .annotate(entries=Count("related_links", distinct=True))
        .filter(entries__lt=MIN_SHOWN)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:SHORT_LISTS_CHECKED]
    )
    return set(short)


def refresh_related(article_id: int) -> set[int]:
    """After a visible change: index the article (or drop it), store its list and those of
    the articles that list it or would now. Returns the ids whose lists changed."""
    listed_by = set(
        RelatedArticle.objects.filter(related_id=article_id).values_list("article_id", flat=True)
    )
    if engine().index(article_id):
        affected = listed_by | _would_enter(article_id) | _short_lists_sharing_a_topic(article_id)
    else:
        engine().remove(article_id)
        RelatedArticle.objects.filter(article_id=article_id).delete()
        affected = listed_by
    changed = {article_id} if store_related(article_id) else set()
    changed |= {pk for pk in sorted(affected - {article_id}) if store_related(pk)}
    return changed


def _public() -> QuerySet[Article]:
    return Article.objects.filter(status=Status.PUBLISHED, live_revision__isnull=False)


def public_article_count() -> int:
    return _public().count()


def rebuild_all(progress: Callable[[str, int, int], None] | None = None) -> int:
    """Rebuild the engine's index and every stored list. Returns the number of lists."""
    public = list(_public().order_by("pk").values_list("pk", flat=True))
    engine().rebuild(
        public, (lambda done, total: progress("index", done, total)) if progress else None
    )
    RelatedArticle.objects.exclude(
        article__status=Status.PUBLISHED, article__live_revision__isnull=False
    ).delete()
    for done, pk in enumerate(public, start=1):
        store_related(pk, invalidate=False)
        if progress and (done % 100 == 0 or done == len(public)):
            progress("lists", done, len(public))
    invalidate_pages_on_commit()
    return len(public)
