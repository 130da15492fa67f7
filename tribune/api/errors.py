"""Errors as RFC 9457 problem details (application/problem+json).

Every error the API gives has the same shape: `type` (about:blank: the status says what
kind of problem it is), `title` (the status phrase), `status`, `detail` (what went wrong,
in words a person can act on), `code` (a stable word a program can switch on) and, for
invalid input, `errors`: one entry per field with the same messages the web forms show.
"""

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tribune.articles.actions import ConcurrentChange
from tribune.articles.models import TransitionNotAllowed

PROBLEM_TYPE = "application/problem+json"
# RFC 9110's names where Python's (3.11) differ.
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


class Problem(Exception):
    """Raised anywhere in the API to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.errors = errors or []
        self.headers = headers or {}


def problem_response(problem: Problem) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": _TITLES.get(problem.status) or HTTPStatus(problem.status).phrase,
        "status": problem.status,
        "detail": problem.detail,
        "code": problem.code,
        "errors": problem.errors,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=problem.status, content_type=PROBLEM_TYPE
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


def field_errors(error: ValidationError, default_field: str = "") -> list[dict[str, str]]:
    """One entry per message, keyed by field ("" for the request as a whole)."""
    if hasattr(error, "error_dict"):
        return [
            {"field": "" if field == "__all__" else field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": default_field, "message": message} for message in error.messages]


def invalid(errors: Iterable[dict[str, str]]) -> Problem:
    errors = list(errors)
    named = [f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors]
    detail = "; ".join(named[:3]) + ("; …" if len(named) > 3 else "")
    return Problem(422, detail or _("The request is not valid."), code="invalid", errors=errors)


def _location(loc: Iterable[object]) -> str:
    # Ninja says where a value was: ("body", "payload", "title"), ("query", "limit").
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "form", "file") and len(parts) > 2:
        parts = parts[2:]
    elif parts and parts[0] in ("query", "path", "body", "form", "file", "header"):
        parts = parts[1:]
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    """Answer every error the API can meet with a problem document."""

    def handle(
        exc_class: type[Exception], to_problem: Callable[[HttpRequest, Exception], Problem]
    ) -> None:
        api.add_exception_handler(
            exc_class, lambda request, exc: problem_response(to_problem(request, exc))
        )

    handle(Problem, lambda request, exc: exc)
    handle(
        NinjaValidationError,
        lambda request, exc: invalid(
            {"field": _location(e.get("loc", ())), "message": str(e.get("msg", ""))}
            for e in exc.errors
        ),
    )
    handle(
        AuthenticationError,
        lambda request, exc: Problem(
            401,
            _("Send a valid API token in the header “Authorization: Bearer <token>”."),
            code="token_missing",
            headers={"WWW-Authenticate": "Bearer"},
        ),
    )
    handle(ValidationError, lambda request, exc: invalid(field_errors(exc)))
    handle(
        PermissionDenied,
        lambda request, exc: Problem(
            403, str(exc) or _("You may not do this."), code="permission_denied"
        ),
    )
    handle(
        Http404,
        lambda request, exc: Problem(404, _("There is nothing at this address."), code="not_found"),
    )
    handle(ConcurrentChange, lambda request, exc: Problem(409, str(exc), code="conflict"))
    handle(TransitionNotAllowed, lambda request, exc: Problem(409, str(exc), code="conflict"))
    handle(
        HttpError,
        lambda request, exc: Problem(exc.status_code, str(exc), code="http_error"),
    )
