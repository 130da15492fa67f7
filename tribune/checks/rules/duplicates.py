"""Near-duplicates: the submission against every published and pending article in its
language (issue 4, check 1). The work is in tribune.checks.dupindex; this turns verified
matches into one finding.

Severity by the overlap (the larger of: the share of the submission inside copied
passages, the share of the original found in it): `block_at` and above is blocking,
`warn_at` and above a warning, below that nothing is said. Defaults measured on the
benchmark corpus (docs/checks-duplicates.md): planted copies (a fifth of the words
replaced, sentences split and merged, paragraphs shuffled, boilerplate added) overlap by
0.74 at the least and 0.86 in the median; unrelated articles on the same topics by 0.0.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tribune.checks.base import Draft, Finding, Passage, Severity, check
from tribune.checks.dupindex.align import Pair
from tribune.checks.dupindex.find import Original, find_originals
from tribune.checks.dupindex.text import Word

# Characters of an original passage kept in a finding (the template shows them whole).
MAX_ORIGINAL_CHARS = 2000


@check(
    "duplicates",
    label=gettext_lazy("Near-duplicates"),
    options={"block_at": 0.5, "warn_at": 0.2, "max_matches": 5},
)
def duplicates(draft: Draft, options: Mapping[str, Any]) -> Iterator[Finding]:
    fields = {"title": draft.title, "summary": draft.summary, "body": draft.body}
    words, originals = find_originals(
        fields,
        draft.language,
        article_id=draft.article_id,
        translation_group=draft.translation_group,
    )
    warn_at, block_at = float(options["warn_at"]), float(options["block_at"])
    matches = [o for o in originals if o.alignment.overlap >= warn_at]
    matches = matches[: max(1, int(options["max_matches"]))]
    if not matches:
        return
    top = matches[0]
    severity = Severity.BLOCKING if top.alignment.overlap >= block_at else Severity.WARNING
    passages: dict[tuple[str, int, int], Passage] = {}
    data = []
    for original in matches:
        pairs = []
        for pair in original.alignment.pairs:
            passage = _passage(draft, words, pair)
            passages.setdefault((passage.field, passage.start, passage.end), passage)
            pairs.append(
                {"submitted": passage.as_json(), "original": _original_text(original, pair)}
            )
        data.append(
            {
                "uuid": original.uuid,
                "title": original.title,
                "url": original.url,
                "state": original.state,
                "overlap": round(original.alignment.overlap, 3),
                "percent": round(original.alignment.overlap * 100),
                "submitted_share": round(original.alignment.submitted_share, 3),
                "original_share": round(original.alignment.original_share, 3),
                "pairs": pairs,
            }
        )
    yield Finding(
        check="duplicates",
        severity=severity,
        message=_message(matches),
        passages=tuple(sorted(passages.values(), key=lambda p: (p.field != "title", p.start))),
        data={"matches": data},
    )


def _message(matches: list[Original]) -> str:
    top = matches[0]
    percent = round(top.alignment.overlap * 100)
    if top.state == "published":
        first = _("This text overlaps %(percent)s%% with the published article “%(title)s”.") % {
            "percent": percent,
            "title": top.title,
        }
    else:
        first = _("This text overlaps %(percent)s%% with an article waiting for review.") % {
            "percent": percent
        }
    others = len(matches) - 1
    if not others:
        return first
    more = ngettext(
        "It also overlaps with %(count)d more article.",
        "It also overlaps with %(count)d more articles.",
        others,
    ) % {"count": others}
    return f"{first} {more}"


def _passage(draft: Draft, words: list[Word], pair: Pair) -> Passage:
    first, last = words[pair.sub_start], words[pair.sub_end]
    return Passage.of(draft, first.field, first.start, last.end)


def _original_text(original: Original, pair: Pair) -> str:
    """The original's side of a pair, cut at the end of its field."""
    first = original.words[pair.orig_start]
    last = first
    for word in original.words[pair.orig_start : pair.orig_end + 1]:
        if word.field != first.field:
            break
        last = word
    quoted = original.fields[first.field][first.start : last.end]
    if len(quoted) > MAX_ORIGINAL_CHARS:
        quoted = quoted[:MAX_ORIGINAL_CHARS] + "…"
    return quoted
