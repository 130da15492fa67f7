"""Spam and form: links (how many, shortened, blocked), the headline (all caps, click-bait,
the same as another article's) and the length of the body.

Blocking by default: a link to a domain the operator blocked (the operator said so
explicitly) and a headline identical to another live or pending article's (readers could
not tell the two apart, it is usually a resubmitted copy, and the fix takes a minute). The
rest are warnings: each has honest exceptions an editor can judge (a long explainer, a
headline that quotes someone shouting). The `blocking` option changes the choice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.db.models import F, Q, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tribune.checks.base import Draft, Finding, Passage, Severity, check
from tribune.checks.text import count_words, host_matches, host_of, iter_links

SHORTENERS = [
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly",
    "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id", "v.gd",
    "lnkd.in", "dlvr.it", "trib.al", "soo.gd", "clck.ru", "shorte.st", "adf.ly", "bl.ink",
]  # fmt: skip

# Click-bait: phrases that promise a surprise instead of saying what happened. Matched
# case-insensitively as whole words against the headline.
CLICKBAIT = [
    # English
    r"you won'?t believe", r"you will never believe", r"what happened next",
    r"what happens next", r"shocking", r"jaw[- ]dropping", r"mind[- ]blowing",
    r"will blow your mind", r"this one (?:simple |weird )?trick", r"one weird trick",
    r"(?:doctors|experts|banks) hate", r"gone wrong", r"the reason (?:why )?will",
    r"number \d+ will", r"you need to see", r"must see", r"unbelievable",
    r"\d+ (?:things|reasons|ways|facts|secrets|tricks|signs|photos|times) (?:you|that|why|to)",
    # German
    r"das glaubt (?:dir |ihnen )?(?:keiner|niemand)", r"(?:sie|du) werden? (?:es )?nicht glauben",
    r"du wirst (?:es )?nicht glauben", r"was dann passiert(?:e)?", r"schockierend",
    r"schock", r"unfassbar", r"unglaublich", r"(?:ärzte|experten|banken) hassen",
    r"diese(?:r|n)? (?:eine |einfache )?trick", r"krass", r"der wahnsinn",
    r"\d+ (?:dinge|gründe|tipps|fakten|geheimnisse|tricks|anzeichen|wege|fotos|bilder),? "
    r"(?:die|das|wie|warum|für)",
]  # fmt: skip
_CLICKBAIT = re.compile(r"(?<!\w)(?:" + "|".join(CLICKBAIT) + r")(?!\w)", re.IGNORECASE)
# More than one ! or ? ("?!" is ordinary in German headlines; "!!", "???" are not).
_SHOUTING_PUNCTUATION = re.compile(r"!{2,}|\?{2,}|[!?]{3,}")

# A finding quotes at most this many links (its data has the full count).
MAX_PASSAGES = 50

# Statuses whose headline a reader sees now or soon; for these the latest revision counts,
# for published ones the live revision.
PENDING = ("submitted", "in_review", "approved", "scheduled")


def _finding(
    options: Mapping[str, Any], kind: str, message: str, passages: tuple[Passage, ...], **data: Any
) -> Finding:
    blocking = kind in options["blocking"]
    severity = Severity.BLOCKING if blocking else Severity.WARNING
    return Finding("spam", severity, message, passages, {"kind": kind, **data})


@check(
    "spam",
    label=gettext_lazy("Spam and form"),
    options={
        "max_links": 15,
        "shorteners": SHORTENERS,
        "blocked_domains": [],
        "min_words": 120,
        "max_words": 5000,
        "caps_ratio": 0.8,
        "blocking": ["blocked_domain", "same_headline"],
    },
)
def spam(draft: Draft, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Links, headline and length; see the module docstring for what blocks."""
    yield from _check_links(draft, options)
    yield from _check_headline_form(draft, options)
    yield from _check_length(draft, options)
    yield from _check_same_headline(draft, options)


def _check_links(draft: Draft, options: Mapping[str, Any]) -> Iterator[Finding]:
    links = [
        (field, link) for field in ("summary", "body") for link in iter_links(getattr(draft, field))
    ]
    if len(links) > options["max_links"]:
        yield _finding(
            options,
            "too_many_links",
            ngettext(
                "The text has %(count)d links; more than %(limit)d links look like advertising.",
                "The text has %(count)d links; more than %(limit)d links look like advertising.",
                len(links),
            )
            % {"count": len(links), "limit": options["max_links"]},
            (),
            count=len(links),
            limit=options["max_links"],
        )
    shorteners = frozenset(d.lower() for d in options["shorteners"])
    blocked = frozenset(
        d.lower().strip(".") for d in [*options["blocked_domains"], *_setting_blocked()]
    )
    short: list[Passage] = []
    bad: list[Passage] = []
    short_sources: list[str] = []
    bad_domains: set[str] = set()
    for field, link in links:
        host = host_of(link.url)
        if host_matches(host, shorteners):
            short.append(Passage.of(draft, field, link.start, link.end))
        domain = host_matches(host, blocked)
        if domain:
            bad.append(Passage.of(draft, field, link.start, link.end))
            bad_domains.add(domain)
    # Sources given beside the text count too; they are in no field, so have no passage.
    for url in draft.sources:
        host = host_of(url)
        if host_matches(host, shorteners):
            short_sources.append(url)
        domain = host_matches(host, blocked)
        if domain:
            bad_domains.add(domain)
    if short or short_sources:
        yield _finding(
            options,
            "shortener",
            _(
                "Shortened links hide where they lead. Please link to the page itself "
                "instead of a link shortener."
            ),
            tuple(short[:MAX_PASSAGES]),
            count=len(short) + len(short_sources),
            sources=short_sources,
        )
    if bad_domains:
        yield _finding(
            options,
            "blocked_domain",
            _("The article links to a site this publication does not link to: %(domains)s.")
            % {"domains": ", ".join(sorted(bad_domains))},
            tuple(bad[:MAX_PASSAGES]),
            domains=sorted(bad_domains),
        )


def _setting_blocked() -> list[str]:
    return list(getattr(settings, "TRIBUNE_BLOCKED_DOMAINS", []))


def _check_headline_form(draft: Draft, options: Mapping[str, Any]) -> Iterator[Finding]:
    title = draft.title
    letters = [c for c in title if c.isalpha() and c.lower() != c.upper()]
    capitals = sum(1 for c in letters if c.isupper())
    # Ten letters at least, so that "NATO-Gipfel in BONN" or an acronym alone pass.
    if len(letters) >= 10 and capitals >= options["caps_ratio"] * len(letters):
        yield _finding(
            options,
            "all_caps",
            _("The headline is written in capitals. Please write it in normal case."),
            (Passage.of(draft, "title", 0, len(title)),),
        )
    bait = [Passage.of(draft, "title", m.start(), m.end()) for m in _CLICKBAIT.finditer(title)]
    bait += [
        Passage.of(draft, "title", m.start(), m.end())
        for m in _SHOUTING_PUNCTUATION.finditer(title)
    ]
    if bait:
        yield _finding(
            options,
            "clickbait",
            _(
                "The headline sounds like click-bait. Please say what happened instead of "
                "promising a surprise."
            ),
            tuple(sorted(bait, key=lambda p: p.start)),
        )


def _check_length(draft: Draft, options: Mapping[str, Any]) -> Iterator[Finding]:
    count = count_words(draft.body)
    if count < options["min_words"]:
        yield _finding(
            options,
            "too_short",
            ngettext(
                "The text has %(count)d word; articles need at least %(limit)d.",
                "The text has %(count)d words; articles need at least %(limit)d.",
                count,
            )
            % {"count": count, "limit": options["min_words"]},
            (),
            words=count,
            limit=options["min_words"],
        )
    elif count > options["max_words"]:
        yield _finding(
            options,
            "too_long",
            _(
                "The text has %(count)d words; articles may have at most %(limit)d. Please "
                "shorten it or split it into a series."
            )
            % {"count": count, "limit": options["max_words"]},
            (),
            words=count,
            limit=options["max_words"],
        )


def normalize_headline(title: str) -> str:
    """The headline as compared: runs of whitespace made one space, edges trimmed. Case is
    folded by the database (LOWER on both sides), so that the lookup can use the index on
    LOWER(title) that migration checks/0004_headline_lookup adds."""
    return " ".join(title.split())


def same_headline_articles(draft: Draft, *, limit: int = 5) -> list[dict[str, Any]]:
    """Live or pending articles, other than this one and its translations, whose headline
    equals the draft's, ignoring case and surrounding space. One query, on the index."""
    from tribune.articles.models import Revision

    headline = normalize_headline(draft.title)
    if not headline:
        return []
    matches = (
        Revision.objects.annotate(title_lower=Lower("title"))
        .filter(title_lower=Lower(Value(headline)))
        .filter(
            Q(article__status="published", article__live_revision=F("pk"))
            | Q(article__status__in=PENDING, article__latest_revision=F("pk"))
        )
    )
    if draft.article_id is not None:
        matches = matches.exclude(article_id=draft.article_id)
    if draft.translation_group:
        matches = matches.exclude(article__translation_group=draft.translation_group)
    rows = matches.order_by("pk").values(
        "article__uuid", "article__slug", "article__language", "article__status", "title"
    )[:limit]
    return [
        {
            "uuid": str(row["article__uuid"]),
            "slug": row["article__slug"],
            "language": row["article__language"],
            "status": row["article__status"],
            "title": row["title"],
            # Only a published article has a public page; templates show pending ones to
            # editors alone (show_pending), since they are other contributors' work.
            "url": _public_url(row["article__language"], row["article__slug"])
            if row["article__status"] == "published"
            else "",
        }
        for row in rows
    ]


def _public_url(language: str, slug: str) -> str:
    with translation.override(language):
        return reverse("articles:article", kwargs={"slug": slug})


def _check_same_headline(draft: Draft, options: Mapping[str, Any]) -> Iterator[Finding]:
    articles = same_headline_articles(draft)
    if articles:
        yield _finding(
            options,
            "same_headline",
            _("Another article has the same headline. Please choose a headline of your own."),
            (Passage.of(draft, "title", 0, len(draft.title)),),
            articles=articles,
        )
