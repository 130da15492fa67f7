"""The API itself: one NinjaAPI with the content and contributor routers, problem-details
errors, and an OpenAPI 3.1 document generated from the code (schemas.py, the endpoints'
type hints and docstrings)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from tribune.api import content, contributor, errors

DESCRIPTION = """\
Tribune's public API.

**Content** (no token needed): published articles, topics and authors. Responses carry
an `ETag`; send it back in `If-None-Match` to get `304 Not Modified`. A token raises the
rate limit.

**Contributor** (`/api/v1/me/...`): your own articles. Create a personal access token on
your desk's "API tokens" page and send it as `Authorization: Bearer <token>`. Each token
has scopes: `articles:read-own`, `drafts:write`, `submissions:write`.

Errors are RFC 9457 problem details (`application/problem+json`), with field-level
messages for invalid input; `429` comes with `Retry-After`.
"""


class Docs(DocsBase):
    """The interactive page, under the site's strict CSP: Swagger UI from django-ninja's
    own static files (no CDN) and our init script; no inline script or style."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            "api/docs.html",
            {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)},
        )


class TribuneAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict:
        schema = super().get_openapi_schema(*args, **kwargs)
        # Errors are sent as application/problem+json; say so in the document, so that
        # clients (and schemathesis) check them against the right media type.
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content_types = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content_types:
                        content_types[errors.PROBLEM_TYPE] = content_types.pop("application/json")
        return schema


api = TribuneAPI(
    title="Tribune API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=Docs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/v1", content.router)
api.add_router("/v1/me", contributor.router)
