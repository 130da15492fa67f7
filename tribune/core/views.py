import logging
import sys
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tribune.core.pagecache import cache_for_readers
from tribune.core.workers import queue_ready

logger = logging.getLogger(__name__)


def site_page(name: str) -> Callable[[HttpRequest], HttpResponse]:
    """A page of fixed text (guidelines, legal notice, privacy...), one template per language."""

    @cache_for_readers
    def view(request: HttpRequest) -> HttpResponse:
        templates = [f"core/pages/{name}.{get_language()}.html", f"core/pages/{name}.en.html"]
        return TemplateResponse(request, templates).render()

    return view


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. The database is /readyz's business, so that a
    database outage takes processes out of rotation instead of getting them restarted."""
    return JsonResponse({"status": "ok"})


def _database_ready() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def _cache_ready() -> bool:
    # The Redis cache fails soft (reads miss), so a round trip is the only honest probe.
    key, token = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, token, 10)
    found = cache.get(key)
    cache.delete(key)
    return found == token


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database, the shared cache and the task queue all answer. A load
    balancer sends no readers to a process that answers 503 here."""
    checks: dict[str, str] = {}
    for name, probe in (
        ("database", _database_ready),
        ("cache", _cache_ready),
        ("queue", queue_ready),
    ):
        try:
            checks[name] = "ok" if probe() else "unavailable"
        except Exception as error:  # any failure means "not ready"; the reason goes to the log
            logger.error("readiness: %s unavailable: %s", name, error)
            checks[name] = "unavailable"
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500. A database that cannot be reached is an outage, not a bug: the
    reader gets 503 with a page that says to come back, rendered without the database."""
    error = sys.exc_info()[1]
    outage = isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and not connection.is_usable()
    )
    if outage:
        title = _("We will be back in a moment")
        explanation = _(
            "The site cannot reach its database right now. Readers and editors will see it "
            "again as soon as it is back."
        )
    else:
        title = _("Something went wrong on our side")
        explanation = _("The error has been logged. Please try again in a little while.")
    content = render_to_string(
        "core/unavailable.html",
        {
            "title": title,
            "explanation": explanation,
            "site_name": settings.TRIBUNE_SITE_NAME,
            "language": get_language(),
        },
    )
    response = HttpResponse(content, status=503 if outage else 500)
    if outage:
        response["Retry-After"] = "30"
    return response
