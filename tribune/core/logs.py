"""Request ids and JSON logs, so that one request's lines can be found among many workers'.

`RequestIdMiddleware` gives every request an id (the proxy's X-Request-ID when it sends a
sane one, else a new one), returns it in the X-Request-ID response header, and keeps it in a
context variable for the duration of the request; `RequestIdFilter` puts it on every log
record, and `JsonFormatter` writes one JSON object per line (LOG_FORMAT=json).
"""

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")

_SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        ident = given if _SANE.fullmatch(given) else uuid.uuid4().hex
        # Not reset on the way out: Django logs the response (404s, 500s) after the
        # middleware has returned. The next request on this thread sets its own id.
        request_id.set(ident)
        response = self.get_response(request)
        response["X-Request-ID"] = ident
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


# Attributes every LogRecord has; anything else was passed in `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
