"""A fixed-window rate limit in the shared cache, for public forms (sign-up, login, ...)."""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def allow(scope: str, identity: str, limit: int, window: int) -> bool:
    """Count one attempt for `identity` in `scope`; False once `limit` is passed in `window` s."""
    slot = int(time.time() // window)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{slot}:{digest}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        count = 1
    return count <= limit


def client_ip(request: HttpRequest) -> str:
    # Behind the documented reverse proxy, REMOTE_ADDR is the proxy; gunicorn sets it from
    # X-Forwarded-For only for trusted proxies (--forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "")


def limit_posts(scope: str, *, per_ip: int, window: int) -> Callable:
    """Refuse POSTs from one address past `per_ip` in `window` seconds, with a 429 page."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and not allow(scope, client_ip(request), per_ip, window):
                response = render(request, "core/too_many_requests.html", status=429)
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
