"""Checks registered by a test, in place of the real ones, so that a test says exactly
which checks run; the real registry comes back afterwards."""

import re

import pytest
from django.utils.translation import gettext as _

from tribune.checks.base import REGISTRY, Finding, Passage, Severity, check


def forbidden_words(draft, options):
    """Blocking: each forbidden word in the headline or the text, as a passage."""
    for field in ("title", "body"):
        text = getattr(draft, field)
        for word in options["words"]:
            for match in re.finditer(re.escape(word), text, re.IGNORECASE):
                yield Finding(
                    "forbidden",
                    Severity.BLOCKING,
                    # A message Django translates already: the contributor's language shows.
                    _("Enter a valid value."),
                    (Passage.of(draft, field, match.start(), match.end()),),
                    {"word": word},
                )


def short_text(draft, options):
    if len(draft.body.split()) < options["min_words"]:
        yield Finding("short", Severity.WARNING, "The text is short.")


def broken(draft, options):
    raise RuntimeError("a bug in a check")


@pytest.fixture
def test_checks():
    """Swap the registry for three small checks: `forbidden` (blocking, option `words`),
    `short` (warning, option `min_words`) and `broken` (off by default; raises)."""
    saved = dict(REGISTRY)
    REGISTRY.clear()
    # The broken one first: the checks after it must still run.
    check("broken", label="Broken", enabled=False)(broken)
    check("forbidden", label="Forbidden words", options={"words": ["casino"]})(forbidden_words)
    check("short", label="Short text", options={"min_words": 10, "ratio": 0.5})(short_text)
    yield REGISTRY
    REGISTRY.clear()
    REGISTRY.update(saved)
