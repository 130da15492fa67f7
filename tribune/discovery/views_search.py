"""The search page. Not cached: every query string would be a cache entry of its own, and
a stream of one-off searches (or a bot trying random ones) would push the article pages
out of the shared page cache; a search costs three quick queries instead."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tribune.articles.queries import topics_with_labels
from tribune.discovery.backends.text import MAX_QUERY_CHARS
from tribune.discovery.search import SearchPage, search

MAX_PAGE = 10_000


def _choice(value: str, allowed: set[str]) -> str | None:
    return value if value in allowed else None


def _page_number(value: str) -> int:
    return min(int(value), MAX_PAGE) if value.isascii() and value.isdigit() else 1


def search_page(request: HttpRequest) -> HttpResponse:
    """Search results for ?q=..., optionally filtered by &language= and &topic= (a slug).

    Filters that name no language or topic are ignored; every query string gets a page.
    """
    query = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    topics = list(topics_with_labels().order_by("label_"))
    language = _choice(request.GET.get("language", ""), {code for code, _n in settings.LANGUAGES})
    topic = _choice(request.GET.get("topic", ""), {t.slug for t in topics})
    result = search(
        query,
        language=language,
        topic=topic,
        page=_page_number(request.GET.get("page", "1")),
        per_page=settings.TRIBUNE_ARTICLES_PER_PAGE,
    )
    return render(
        request,
        "discovery/search.html",
        {
            "result": result,
            "query": query,
            "language": language or "",
            "topic": topic or "",
            "topics": topics,
            "languages": settings.LANGUAGES,
            "same_search": _url(result, language, topic, 1),
            "previous_url": _url(result, language, topic, result.page - 1),
            "next_url": _url(result, language, topic, result.page + 1),
            "max_query_chars": MAX_QUERY_CHARS,
        },
    )


def _url(result: SearchPage, language: str | None, topic: str | None, page: int) -> str:
    params = {"q": result.query, "language": language, "topic": topic, "page": page > 1 and page}
    return "?" + urlencode({key: value for key, value in params.items() if value})
