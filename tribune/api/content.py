"""The content API: published articles, topics and authors, for anyone (no token needed;
a token raises the rate limit)."""

import datetime
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from tribune.api import present, queries
from tribune.api import schemas as s
from tribune.api.errors import Problem
from tribune.discovery.search import search

router = Router(tags=["Content"])

READ_ERRORS = {400: s.Problem, 401: s.Problem, 404: s.Problem, 422: s.Problem, 429: s.Problem}


class ArticleFilters(Schema):
    q: str | None = Field(
        None,
        max_length=500,
        description="Full-text query; results are then ranked by relevance, not date.",
        examples=["river water"],
    )
    language: str | None = Field(None, max_length=8, examples=["en"])
    topic: str | None = Field(None, max_length=80, description="Topic slug.")
    author: str | None = Field(None, max_length=120, description="Author slug.")
    published_after: datetime.datetime | None = Field(
        None, description="Published at or after this time (ISO 8601)."
    )
    published_before: datetime.datetime | None = Field(
        None, description="Published before this time (ISO 8601)."
    )
    cursor: str | None = Field(None, max_length=500, description="`next_cursor` of a page.")
    limit: int = Field(20, ge=1, le=100)


def _aware(moment: datetime.datetime | None, field: str) -> datetime.datetime | None:
    """In UTC, as the database compares it; naive times are taken as UTC."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:  # year 9999 at UTC-1 is past the calendar's end
        raise Problem(
            422,
            _("This date is out of range."),
            code="invalid",
            errors=[{"field": field, "message": _("This date is out of range.")}],
        ) from None


def _bad_cursor() -> Problem:
    return Problem(400, _("The cursor is not one this API gave out."), code="bad_cursor")


def _check_language(language: str | None) -> None:
    if language and language not in queries.languages():
        codes = ", ".join(sorted(queries.languages()))
        raise Problem(
            422,
            _("Unknown language “%(language)s”; use one of: %(codes)s.")
            % {"language": language, "codes": codes},
            code="invalid",
            errors=[{"field": "language", "message": _("Unknown language.")}],
        )


@router.get("/articles", response={200: s.ArticleList, **READ_ERRORS})
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]) -> dict:
    """Published articles, newest first, or best match first with `q`. Filters combine.
    Page through with `next_cursor` until it is null."""
    _check_language(filters.language)
    try:
        cursor = queries.decode_cursor(filters.cursor) if filters.cursor else None
    except queries.BadCursor:
        raise _bad_cursor() from None
    articles = queries.filtered(
        language=filters.language,
        topic=filters.topic,
        author=filters.author,
        published_after=_aware(filters.published_after, "published_after"),
        published_before=_aware(filters.published_before, "published_before"),
    )
    if filters.q is None:
        try:
            page, after = queries.newest_page(articles, cursor, filters.limit)
        except queries.BadCursor:
            raise _bad_cursor() from None
    else:
        # Relevance has no stable key to page by; the cursor carries the page number.
        number = cursor.get("p") if cursor is not None else 1
        if not isinstance(number, int) or number < 1:
            raise _bad_cursor()
        found = search(
            filters.q,
            language=filters.language or None,
            topic=filters.topic or None,
            page=number,
            per_page=filters.limit,
        )
        # Author and date filters narrow each page of matches, so a page may hold fewer.
        page = queries.by_ids(articles, [r.article.pk for r in found.results])
        after = {"p": found.page + 1} if found.has_next and found.page == number else None
    return {
        "items": [present.card(request, article) for article in page],
        "next_cursor": queries.encode_cursor(after) if after else None,
    }


def _one(request: HttpRequest, **lookup: object) -> dict:
    article = queries.article_detail(**lookup)
    if article is None:
        raise Problem(404, _("No published article has this address."), code="not_found")
    return present.detail(request, article)


@router.get("/articles/{uuid}", response={200: s.ArticleDetail, **READ_ERRORS})
def get_article(request: HttpRequest, uuid: UUID) -> dict:
    """One published article: rendered HTML, Markdown source, reading time, cover
    renditions, translations and related articles."""
    return _one(request, uuid=uuid)


@router.get("/articles/{language}/{slug}", response={200: s.ArticleDetail, **READ_ERRORS})
def get_article_by_slug(request: HttpRequest, language: str, slug: str) -> dict:
    """The same, by the article's language and slug (as in its address)."""
    return _one(request, language=language, slug=slug)


@router.get("/topics", response={200: list[s.Topic], **READ_ERRORS})
def list_topics(request: HttpRequest) -> list:
    """Every topic with its name in each language."""
    return [present.topic(request, topic) for topic in queries.topics_with_names()]


class AuthorFilters(Schema):
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


@router.get("/authors", response={200: s.AuthorList, **READ_ERRORS})
def list_authors(request: HttpRequest, filters: Query[AuthorFilters]) -> dict:
    """Authors with at least one published article, by slug."""
    after = None
    if filters.cursor:
        try:
            after = queries.decode_cursor(filters.cursor).get("a")
        except queries.BadCursor:
            raise _bad_cursor() from None
        if not isinstance(after, str):
            raise _bad_cursor()
    page, last = queries.authors(after, filters.limit)
    return {
        "items": [present.author(request, profile) for profile in page],
        "next_cursor": queries.encode_cursor({"a": last}) if last else None,
    }
