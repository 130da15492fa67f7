from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from tribune.core.pagecache import cache_for_readers


def site_page(name: str) -> Callable[[HttpRequest], HttpResponse]:
    """A page of fixed text (guidelines, legal notice, privacy...), one template per language."""

    @cache_for_readers
    def view(request: HttpRequest) -> HttpResponse:
        templates = [f"core/pages/{name}.{get_language()}.html", f"core/pages/{name}.en.html"]
        return TemplateResponse(request, templates).render()

    return view


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers and so does the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
