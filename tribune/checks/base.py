"""What a guideline check reads and what it returns.

A check is one function in `tribune/checks/rules/<name>.py`, registered with `@check(...)`.
It receives the submitted text as a `Draft` and its options (defaults from the decorator,
overridden by the operator in settings or the admin) and yields `Finding`s. The runner
calls it inside `translation.override(<contributor's language>)`, so messages made with
`gettext` come out in that language. A check that raises is reported as "check failed";
the other checks still run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    INFO = "info", _("Note")
    WARNING = "warning", _("Warning")
    BLOCKING = "blocking", _("Blocking")


# The fields a passage can point into: the Markdown source of each, as submitted.
FIELDS = ("title", "summary", "body")


@dataclass(frozen=True)
class Passage:
    """The exact stretch of submitted text a finding is about: `text == getattr(draft,
    field)[start:end]`."""

    field: str
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, draft: Draft, field: str, start: int, end: int) -> Passage:
        return cls(field, start, end, getattr(draft, field)[start:end])

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Finding:
    """One thing a check noticed. `message` is already translated; `data` holds what the
    check's own template needs (JSON-serialisable), e.g. the matching articles of a
    near-duplicate."""

    check: str
    severity: str  # a Severity value
    message: str
    passages: tuple[Passage, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": str(self.severity),
            "message": str(self.message),
            "passages": [p.as_json() for p in self.passages],
            "data": dict(self.data),
        }


@dataclass(frozen=True)
class Draft:
    """The text under check, detached from the database so that `tribune check_article`
    and the import can check files that are not stored yet.

    `article_id` and `translation_group` are set for stored articles, so that checks can
    leave the article itself (and its translations) out of comparisons.
    """

    title: str
    body: str
    language: str
    summary: str = ""
    sources: tuple[str, ...] = ()
    article_id: int | None = None
    translation_group: str | None = None

    @cached_property
    def links(self) -> tuple[str, ...]:
        """Every http(s) URL in the body and the sources, in order of appearance."""
        from tribune.checks.text import find_links

        return tuple(find_links(self.body)) + tuple(self.sources)


CheckFunction = Callable[[Draft, Mapping[str, Any]], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    name: str
    label: str
    function: CheckFunction
    options: Mapping[str, Any]
    enabled: bool = True


REGISTRY: dict[str, Check] = {}


def check(
    name: str, *, label: str, options: Mapping[str, Any] | None = None, enabled: bool = True
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check under `name` with its default `options`."""

    def register(function: CheckFunction) -> CheckFunction:
        if name in REGISTRY:
            raise ValueError(f"A check named {name!r} is registered already.")
        REGISTRY[name] = Check(name, label, function, dict(options or {}), enabled)
        return function

    return register
