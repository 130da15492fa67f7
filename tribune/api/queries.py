"""Reads for the content API, each in a fixed number of queries whatever the page size."""

import base64
import datetime
import json
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from tribune.accounts.models import Profile
from tribune.articles.models import Article, Topic
from tribune.articles.queries import public_articles, related_cards


class BadCursor(ValueError):
    pass


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        raise BadCursor(cursor) from None
    if not isinstance(data, dict):
        raise BadCursor(cursor)
    return data


def topics_with_names() -> QuerySet[Topic]:
    return Topic.objects.prefetch_related("names").order_by("name")


def cards(articles: QuerySet[Article]) -> QuerySet[Article]:
    """What a list item shows; three queries: articles, their topics, the topics' names."""
    return articles.select_related("live_revision", "author__profile", "cover").prefetch_related(
        Prefetch("topics", queryset=topics_with_names())
    )


def filtered(
    *,
    language: str | None = None,
    topic: str | None = None,
    author: str | None = None,
    published_after: datetime.datetime | None = None,
    published_before: datetime.datetime | None = None,
) -> QuerySet[Article]:
    articles = public_articles()
    if language:
        articles = articles.filter(language=language)
    if topic:
        articles = articles.filter(topics__slug=topic)
    if author:
        articles = articles.filter(author__profile__slug=author)
    if published_after:
        articles = articles.filter(published_at__gte=published_after)
    if published_before:
        articles = articles.filter(published_at__lt=published_before)
    return articles


def newest_page(
    articles: QuerySet[Article], cursor: dict[str, Any] | None, limit: int
) -> tuple[list[Article], dict[str, Any] | None]:
    """A page of the newest articles after `cursor` (the last one seen: its publication
    time and id), and the cursor of the next page. Keyset pagination: every page costs the
    same, and an article published meanwhile does not shift the pages that follow."""
    if cursor is not None:
        try:
            after = datetime.datetime.fromisoformat(cursor["t"])
            after_id = int(cursor["i"])
        except (KeyError, TypeError, ValueError):
            raise BadCursor(str(cursor)) from None
        if after.tzinfo is None:
            raise BadCursor(str(cursor))
        try:
            after = after.astimezone(datetime.UTC)
        except OverflowError:
            raise BadCursor(str(cursor)) from None
        articles = articles.filter(
            Q(published_at__lt=after) | Q(published_at=after, id__lt=after_id)
        )
    page = list(cards(articles).order_by("-published_at", "-id")[: limit + 1])
    if len(page) <= limit:
        return page, None
    page = page[:limit]
    last = page[-1]
    return page, {"t": last.published_at.isoformat(), "i": last.pk}


def by_ids(articles: QuerySet[Article], ids: list[int]) -> list[Article]:
    """These articles (those among them that pass the filters), in the order of `ids`."""
    found = cards(articles.filter(pk__in=ids)).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def article_detail(**lookup: Any) -> Article | None:
    """One public article with everything its API page shows: the article with its live
    revision, author and cover, its topics with their names, and (below) translations
    and related articles; five queries in all."""
    article = cards(public_articles().filter(**lookup)).first()
    if article is None:
        return None
    article.translations_ = list(
        public_articles()
        .filter(translation_group=article.translation_group)
        .exclude(pk=article.pk)
        .order_by("language")
        .only("uuid", "slug", "language")
    )
    article.related_ = related_cards(article.pk)
    return article


def authors(after: str | None, limit: int) -> tuple[list[Profile], str | None]:
    """Authors with at least one public article, by slug, in one query."""
    profiles = Profile.objects.filter(user__in=public_articles().values("author_id")).order_by(
        "slug"
    )
    if after:
        profiles = profiles.filter(slug__gt=after)
    page = list(profiles[: limit + 1])
    if len(page) <= limit:
        return page, None
    return page[:limit], page[limit - 1].slug


def languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}
