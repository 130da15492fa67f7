"""What every API response gets, whichever endpoint answers: CORS headers (and answers to
preflight requests), the rate limit, and ETags with conditional GET.

Applied by wrapping each view of the API in urls.py, so that nothing outside /api/ pays
for it and the rest of the site keeps its middleware stack unchanged.
"""

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext as _

from tribune.api.auth import token_of
from tribune.api.errors import PROBLEM_TYPE, Problem, problem_response
from tribune.core.ratelimit import allow, client_ip

WINDOW = 60  # seconds; the limits in settings are per minute
ALLOWED_METHODS = "GET, HEAD, POST, PATCH, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type, If-None-Match"
EXPOSED_HEADERS = "ETag, Retry-After, WWW-Authenticate"
PREFLIGHT_MAX_AGE = "86400"


def _allowed_origin(request: HttpRequest) -> str:
    origin = request.headers.get("Origin", "")
    allowed = settings.TRIBUNE_API_CORS_ORIGINS
    if "*" in allowed:
        return "*"
    return origin if origin and origin in allowed else ""


def _add_cors(request: HttpRequest, response: HttpResponse) -> None:
    if "*" not in settings.TRIBUNE_API_CORS_ORIGINS:
        patch_vary_headers(response, ["Origin"])
    origin = _allowed_origin(request)
    if origin:
        # No Allow-Credentials: the API reads no cookies, so none need to be sent.
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS


def _preflight(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED_METHODS
    if request.headers.get("Access-Control-Request-Method") and _allowed_origin(request):
        response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    _add_cors(request, response)
    return response


def _rate_limited(request: HttpRequest) -> Problem | None:
    """A token raises the limit and is counted on its own, not with its address."""
    try:
        token = token_of(request)
    except Problem:
        # An invalid token counts against its address: guessing tokens is limited too.
        if not allow("api", client_ip(request), settings.TRIBUNE_API_RATE_ANONYMOUS, WINDOW):
            return _too_many()
        raise
    if token is not None:
        scope, identity, limit = "api-token", str(token.pk), settings.TRIBUNE_API_RATE_TOKEN
    else:
        scope, identity, limit = "api", client_ip(request), settings.TRIBUNE_API_RATE_ANONYMOUS
    if allow(scope, identity, limit, WINDOW):
        return None
    return _too_many()


def _too_many() -> Problem:
    retry_after = WINDOW - int(time.time()) % WINDOW
    return Problem(
        429,
        _("Too many requests; try again in %(seconds)d seconds.") % {"seconds": retry_after},
        code="rate_limited",
        headers={"Retry-After": str(retry_after)},
    )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _holds_nul(request: HttpRequest) -> bool:
    """Whether any text of the request holds a NUL character, which PostgreSQL cannot
    store or compare: refused up front, so that no query ever sees one."""
    texts: list[Iterable[str]] = [[request.path], _strings(dict(request.GET.lists()))]
    content_type = request.content_type or ""
    if request.method in ("POST", "PATCH", "PUT"):
        if content_type == "application/json":
            try:
                texts.append(_strings(json.loads(request.body or b"null")))
            except ValueError:
                return False  # not JSON at all: the endpoint refuses it with its own 400
        elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            texts += [_strings(dict(request.POST.lists())), request.FILES.keys()]
    return any("\x00" in text for group in texts for text in group)


def _add_etag(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    digest = hashlib.sha256(response.content).hexdigest()[:32]
    response["ETag"] = f'"{digest}"'
    # Own articles are the token holder's business; published content may sit in any
    # cache for a minute and is then revalidated cheaply with If-None-Match.
    private = request.path.startswith("/api/v1/me/")
    response["Cache-Control"] = "private, no-cache" if private else "public, max-age=60"
    return get_conditional_response(request, etag=response["ETag"], response=response)


def _not_allowed(response: HttpResponse) -> HttpResponse:
    """Ninja's plain-text 405, as a problem document that keeps its Allow header."""
    allowed = response.get("Allow", "")
    problem = Problem(
        405,
        _("This address does not take this method; it takes: %(methods)s.") % {"methods": allowed},
        code="method_not_allowed",
        headers={"Allow": allowed},
    )
    return problem_response(problem)


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap one of the API's views with CORS, the rate limit and conditional GET."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return _preflight(request)
        head = request.method == "HEAD"
        if head:  # answered as GET without the body, headers (ETag included) intact
            request.method = "GET"
        try:
            problem = _rate_limited(request)
        except Problem as refused:  # an invalid token, before any endpoint ran
            problem = refused
        if problem is None and _holds_nul(request):
            problem = Problem(400, _("No field may hold a NUL character (code 0)."), code="invalid")
        if problem is not None:
            response = problem_response(problem)
        else:
            response = _add_etag(request, view(request, *args, **kwargs))
            if response.status_code == 405 and response.get("Content-Type") != PROBLEM_TYPE:
                response = _not_allowed(response)
        _add_cors(request, response)
        if head:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    wrapper.csrf_exempt = True  # tokens, not cookies: see tribune.api.auth
    return wrapper
