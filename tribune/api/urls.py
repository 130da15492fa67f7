"""/api/: outside the language prefix, every view wrapped by tribune.api.http."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _

from tribune.api.api import api
from tribune.api.errors import Problem, problem_response
from tribune.api.http import api_view


def _wrapped(patterns: list) -> list:
    return [
        URLPattern(p.pattern, api_view(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]


_patterns, _app_name, _namespace = api.urls  # ninja names them "ninja"/"api"
app_name = "api"  # the namespace the docs page reverses ("api:openapi-json")


@api_view
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /api/: a problem document, not the site's HTML 404 page."""
    return problem_response(Problem(404, _("There is nothing at this address."), code="not_found"))


urlpatterns = [*_wrapped(_patterns), re_path(r"^(?P<rest>.*)$", not_found)]
