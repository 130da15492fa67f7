"""Whole-page caching for anonymous readers.

A view opts in with `@cache_for_readers`. The middleware sits above sessions, auth and
templates: a hit is answered from the shared cache without touching any of them.

Invalidation is by generation: every cache key carries the current generation, and any
change to what public pages show (an article, its author, its topics) starts a new one.
A new generation is one cache write, seen by every worker process at once (the cache is
shared: files in the data folder, or Redis), and old entries simply expire. Publishing is
rare next to reading, so re-rendering everything after a change costs little.
"""

import hashlib
import io
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import transaction
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "pagecache:generation"
CACHE_HEADER = "X-Cache"


def current_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def invalidate_pages() -> None:
    """Make every cached page stale, in every process."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def invalidate_pages_on_commit() -> None:
    """Invalidate once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(invalidate_pages)


def cache_for_readers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view's successful responses as the same for every anonymous reader."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.cache_for_readers = True
        return response

    return wrapper


def _key(generation: str, path: str) -> str:
    digest = hashlib.sha256(path.encode()).hexdigest()
    return f"page:{generation}:{digest}"


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only anonymous GETs: a session cookie may mean a signed-in user, whose page differs.
        if (
            not settings.TRIBUNE_PAGE_CACHE
            or request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return self.get_response(request)
        key = _key(current_generation(), request.get_full_path())
        hit = cache.get(key)
        if hit is not None:
            headers, content = hit
            response = HttpResponse(content, headers=headers)
            response[CACHE_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if (
            getattr(response, "cache_for_readers", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            cache.set(
                key, (dict(response.items()), response.content), settings.TRIBUNE_PAGE_CACHE_SECONDS
            )
            response[CACHE_HEADER] = "miss"
        return response


_handler = None


def warm(paths: list[str]) -> None:
    """Render pages into the cache now, so that the first reader after a change gets a hit.

    Runs each path through the full WSGI stack as an anonymous GET, exactly as a reader's
    request would go, addressed to the host of TRIBUNE_BASE_URL.
    """
    if not settings.TRIBUNE_PAGE_CACHE:
        return
    global _handler
    if _handler is None:
        _handler = WSGIHandler()
    base = urlsplit(settings.TRIBUNE_BASE_URL)
    port = base.port or (443 if base.scheme == "https" else 80)
    for path in paths:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": base.hostname,
            "SERVER_PORT": str(port),
            "HTTP_HOST": base.netloc,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": base.scheme,
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
        }
        # get_response, not the handler itself: a real request's start and finish signals
        # would close the caller's database connection (a task's, a test's) mid-transaction.
        _handler.get_response(WSGIRequest(environ))
