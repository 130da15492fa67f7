"""Reads for the public pages, each fetching what its page needs in a fixed number of queries."""

from django.conf import settings
from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import get_language

from tribune.articles.models import Article, Status, Topic, TopicName
from tribune.discovery.models import RelatedArticle

_ARTICLE_FIELDS = (
    "slug", "language", "status", "translation_group", "author_id", "live_revision",
    "published_at", "revised_at",
)  # fmt: skip
# What a cover needs (tribune.covers.templatetags); cards fetch it in the same query.
_COVER_FIELDS = (
    "cover__palette", "cover__files", "cover__source", "cover__style", "cover__alt_text",
    "cover__credit", "cover__licence",
)  # fmt: skip
# Columns a listing needs; the body stays in the database.
_CARD_DEFERRED = ("live_revision__body", "live_revision__body_html", "live_revision__headings")


def topics_with_labels() -> QuerySet[Topic]:
    """Topics with `label_`, their name in the active language, in the same query."""
    name = TopicName.objects.filter(topic=OuterRef("pk"), language=get_language()).values("name")[
        :1
    ]
    return Topic.objects.annotate(label_=Coalesce(Subquery(name), F("name")))


def published_articles() -> QuerySet[Article]:
    """Articles readers can open by their address, including restricted ones."""
    return Article.objects.filter(status=Status.PUBLISHED, live_revision__isnull=False)


def public_articles() -> QuerySet[Article]:
    """Articles every list shows (home, topics, feeds, search, sitemaps, related): published
    and without a visibility restriction from a notice decision (tribune.notices)."""
    return published_articles().filter(visibility_restriction__isnull=True)


def as_cards(articles: QuerySet[Article]) -> QuerySet[Article]:
    """What a list of articles shows: headline, byline, date, reading time, summary, topics."""
    return (
        articles.select_related("live_revision", "author__profile", "cover")
        .defer(*_CARD_DEFERRED)
        .prefetch_related(Prefetch("topics", queryset=topics_with_labels().order_by("name")))
        .order_by("-published_at", "-id")
    )


def latest_in(language: str) -> QuerySet[Article]:
    return as_cards(public_articles().filter(language=language))


def latest_by_topic(language: str, per_topic: int = 4) -> list[tuple[Topic, list[Article]]]:
    """The newest few articles of every topic, in three or four queries whatever the number
    of topics and articles.

    Ranking every article of every topic (a window over the whole topic table) grew with the
    site: 0.9 s a home page at 100,000 articles. The newest articles fill almost every topic,
    so the ranking first looks at those; only topics left short are looked up among all."""
    topics = list(topics_with_labels().order_by("label_"))
    public = public_articles().filter(language=language)
    recent = public.order_by("-published_at", "-id").values("pk")[: 25 * per_topic * len(topics)]
    through = Article.topics.through
    by_topic: dict[int, list[Article]] = {}
    for row in _newest_per_topic(through.objects.filter(article__in=recent), per_topic):
        by_topic.setdefault(row.topic_id, []).append(row.article)
    short = [topic.pk for topic in topics if len(by_topic.get(topic.pk, ())) < per_topic]
    if short:
        rows = through.objects.filter(topic_id__in=short, article__in=public)
        for topic_id in short:
            by_topic.pop(topic_id, None)
        for row in _newest_per_topic(rows, per_topic):
            by_topic.setdefault(row.topic_id, []).append(row.article)
    return [(topic, by_topic[topic.pk]) for topic in topics if topic.pk in by_topic]


def _newest_per_topic(rows: QuerySet, per_topic: int) -> QuerySet:
    return (
        rows.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("topic_id")],
                order_by=[F("article__published_at").desc(), F("article_id").desc()],
            )
        )
        .filter(rank__lte=per_topic)
        .select_related("article__live_revision", "article__author__profile", "article__cover")
        .defer(*(f"article__{field}" for field in _CARD_DEFERRED))
        .order_by("topic_id", "rank")
    )


def article_page(language: str, slug: str) -> Article | None:
    """A public article with live revision, author and topics; `translations_` holds the
    published versions in other languages, `related_` the "You might also like" list
    (four queries in all)."""
    article = (
        published_articles()
        .filter(language=language, slug=slug)
        # notice_label: a moderation label's banner (tribune.notices), in the same query.
        .select_related("live_revision", "author__profile", "cover", "notice_label__decision")
        # Only what the page shows: the user row (password and all) stays in the database.
        .only(
            *_ARTICLE_FIELDS,
            "author__id",
            "author__profile__display_name",
            "author__profile__slug",
            "uuid",
            *_COVER_FIELDS,
            "notice_label__id",
            "notice_label__decision__uuid",
            "notice_label__decision__ground",
        )
        .prefetch_related(Prefetch("topics", queryset=topics_with_labels().order_by("name")))
        .first()
    )
    if article is not None:
        others = [code for code, _name in settings.LANGUAGES if code != language]
        article.translations_ = list(
            # Named languages, so that the (translation_group, language) index answers.
            public_articles()
            .filter(translation_group=article.translation_group, language__in=others)
            .order_by("language")
            .only("slug", "language")
        )
        article.related_ = related_cards(article.pk)
    return article


def related_cards(article_id: int) -> list[Article]:
    """The stored "You might also like" list, best first, in one query whatever the corpus
    size. Entries that stopped being public are left out here, so a removal shows at once,
    before the task has recomputed the lists."""
    links = (
        RelatedArticle.objects.filter(
            article_id=article_id,
            related__status=Status.PUBLISHED,
            related__live_revision__isnull=False,
            related__visibility_restriction__isnull=True,
        )
        .select_related("related__live_revision", "related__cover")
        .only(
            "related",
            "related__uuid",
            *(f"related__{field}" for field in _COVER_FIELDS),
            "related__slug",
            "related__language",
            "related__live_revision",
            "related__live_revision__title",
            "related__live_revision__word_count",
        )
        .order_by("rank")[:6]
    )
    return [link.related for link in links]


def language_of_slug(slug: str) -> str | None:
    """The language of a public article with this slug, to redirect a wrong /xx/ prefix."""
    return published_articles().filter(slug=slug).values_list("language", flat=True).first()


def is_removed(language: str, slug: str) -> bool:
    """Whether this address held an article removed after a notice (answered with 410)."""
    return Article.objects.filter(language=language, slug=slug, status=Status.REMOVED).exists()
