"""Unsourced claims: sentences that credit a claim to an outlet, an agency or a person while
the article links no source at all, and anonymous sources ("insiders", "aus Kreisen").

What counts as an attribution is a set of English and German patterns around a named
outlet (the `outlets` option plus `extra_outlets`), a capitalised name or a word such as
"sources"/"Quellen": "according to Reuters", "laut dpa", "The Wall Street Journal
reveals", "wie die FAZ berichtet", "told the BBC", "Quellen zufolge". An attribution is only
a finding when the article has no link in the body and no source beside it: one link shows
the contributor knows where the claim came from, and the editor can judge the rest.
Anonymous-source phrases are counted whatever the links: a note below `anonymous_threshold`
of them, a warning from there on.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy, ngettext

from tribune.checks.base import Draft, Finding, Passage, Severity, check
from tribune.checks.text import mask_code, sentences

OUTLETS = [
    # Agencies
    "Reuters", "Associated Press", "AP", "AFP", "Agence France-Presse", "dpa",
    "Deutsche Presse-Agentur", "epd", "KNA", "APA", "Bloomberg", "Xinhua", "Interfax", "ANSA",
    "EFE", "Kyodo",
    # English-language outlets
    "The New York Times", "New York Times", "NYT", "The Washington Post", "Washington Post",
    "The Wall Street Journal", "Wall Street Journal", "WSJ", "The Guardian", "Guardian",
    "The Times", "The Sunday Times", "The Telegraph", "The Independent", "Financial Times",
    "FT", "The Economist", "Economist", "BBC", "CNN", "NBC", "NBC News", "CBS", "CBS News",
    "ABC News", "Fox News", "NPR", "Sky News", "Politico", "Axios", "The Atlantic",
    "The New Yorker", "Los Angeles Times", "USA Today", "Al Jazeera", "The Information",
    "ProPublica", "Daily Mail", "The Sun", "Business Insider", "Forbes", "CNBC",
    # German-language outlets
    "FAZ", "F.A.Z.", "Frankfurter Allgemeine", "Frankfurter Allgemeine Zeitung",
    "Frankfurter Allgemeine Sonntagszeitung", "FAS", "Süddeutsche Zeitung",
    "Süddeutschen Zeitung", "Süddeutsche", "Süddeutschen", "SZ", "Spiegel", "Der Spiegel",
    "Spiegel Online", "Zeit", "Die Zeit", "Zeit Online", "Bild", "Bild am Sonntag",
    "Welt", "Die Welt", "Welt am Sonntag", "Handelsblatt", "Tagesspiegel", "taz", "Stern",
    "Focus", "ARD", "ZDF", "Tagesschau", "Tagesthemen", "Deutschlandfunk", "NDR", "WDR", "BR",
    "MDR", "SWR", "HR", "RBB", "RND", "Redaktionsnetzwerk Deutschland", "t-online", "n-tv",
    "ntv", "RTL", "Wirtschaftswoche", "Capital", "Business Insider Deutschland",
    "NZZ", "Neue Zürcher Zeitung", "Der Standard", "Standard", "Die Presse", "ORF", "Kurier",
    "Tages-Anzeiger", "SRF", "Deutsche Welle", "DW", "Correctiv", "Bellingcat",
]  # fmt: skip

# Verbs of reporting, after the one who reports: "Reuters reports", "die FAZ berichtet".
_REPORT_VERBS_EN = (
    r"(?:reports|reported|reveals|revealed|says|said|writes|wrote|claims|claimed|"
    r"has learned|had learned|learned|learnt|understands|has found|found|discovered|"
    r"exposed|uncovers|uncovered|first reported|confirmed|cites|cited|quotes|quoted)"
)
_REPORT_VERBS_DE = (
    r"(?:berichtet|berichtete|berichten|berichteten|meldet|meldete|melden|schreibt|"
    r"schrieb|enthüllt|enthüllte|deckt auf|deckte auf|erfuhr|erfahren hat|erfahren haben|"
    r"will erfahren haben|zitiert|zitierte|behauptet|behauptete|veröffentlichte|"
    r"hat recherchiert|recherchierte)"
)
# A name: one to four capitalised words ("Reuters", "Olaf Scholz", "Dr. Anna Berg").
_NAME = r"(?:(?:Dr|Prof|Mr|Mrs|Ms)\.\s)?[A-ZÄÖÜ][\w'\u2019.-]*(?:\s[A-ZÄÖÜ][\w'\u2019.-]*){0,3}"
_ARTICLE_EN = r"(?:the\s)?"
_GENERIC_EN = r"(?i:sources|reports|officials|insiders|media reports|a report)"
_ARTICLE_DE = r"(?:(?:der|die|das|dem|den|des)\s)?"

# Anonymous sources, in any sentence. Each alternative is a bounded phrase.
ANONYMOUS = [
    # English
    r"sources (?:say|said|says|told|tell|claim|claimed|suggest|suggested|indicate)",
    r"according to (?:several |multiple |two |three |unnamed |anonymous )?sources",
    r"(?:sources|people|persons?|officials?) (?:close to|familiar with|briefed on)",
    r"(?:unnamed|anonymous) (?:sources?|officials?|insiders?)",
    r"insiders?", r"on (?:the )?condition of anonymity", r"asked not to be (?:named|identified)",
    r"speaking anonymously", r"it is understood",
    # German
    r"(?:\w+en )?quellen zufolge", r"aus (?:gut )?(?:informierten |unterrichteten )?kreisen",
    r"insider(?:n|in|innen)?", r"wie aus [^.!?\n]{1,80}? verlautet(?:e)?", r"hieß es aus",
    r"informierte(?:n)? quellen?", r"mit der sache vertraute(?:n)? (?:person(?:en)?|kreise)",
    r"(?:der|die) nicht namentlich genannt werden (?:will|wollte|wollen|wollten)",
    r"unbestätigten (?:berichten|angaben)", r"anonyme(?:n)? quellen?",
]  # fmt: skip
_ANONYMOUS = re.compile(r"(?<!\w)(?:" + "|".join(ANONYMOUS) + r")(?!\w)", re.IGNORECASE)

# Work is capped for huge bodies: 60,000 characters are some 9,000 words, far past the
# spam check's length limit, and take ~30 ms; the finding's data says when text was cut.
MAX_CHARS = 60_000
# A finding quotes at most this many sentences (the count in its data is the full one).
MAX_PASSAGES = 50


@lru_cache(maxsize=16)
def _attribution_pattern(outlets: tuple[str, ...]) -> re.Pattern[str]:
    # Longest names first, so that "The Wall Street Journal" wins over "The Times"-like
    # prefixes; outlet names are matched in their own case ("Die Zeit", not "die Zeit").
    names = "|".join(re.escape(o) for o in sorted(set(outlets), key=len, reverse=True))
    outlet = rf"(?:{names})(?!\w)"
    who = rf"(?:{outlet}|{_NAME})"
    alternatives = [
        # English
        rf"(?i:according to)\s(?:{_ARTICLE_EN}{who}|{_GENERIC_EN})",
        rf"{_ARTICLE_EN}{outlet}\s(?:(?:has|had|also|first|exclusively)\s)?{_REPORT_VERBS_EN}",
        rf"(?:told|tells|said to|speaking to|in an interview with)\s{_ARTICLE_EN}{outlet}",
        rf"(?:reported|revealed|first reported|reports?)\s(?:by|in)\s{_ARTICLE_EN}{outlet}",
        rf"(?:citing|cited by|quoted by)\s{_ARTICLE_EN}{who}",
        # German
        rf"(?i:laut)\s{_ARTICLE_DE}(?:{who}|(?i:medienberichten|berichten|angaben|informationen))",
        rf"{_ARTICLE_DE}(?:{who}|(?i:\w+en\sQuellen|Quellen|Berichten|Medienberichten|Angaben))\s(?i:zufolge)",
        rf"(?i:wie)\s{_ARTICLE_DE}(?:{outlet})[^.!?\n]{{0,60}}?\s{_REPORT_VERBS_DE}",
        rf"{_ARTICLE_DE}{outlet}\s(?:(?:hat|habe|will|soll)\s)?{_REPORT_VERBS_DE}",
        rf"(?i:sagte|sagt|erklärte|erklärt|bestätigte|bestätigt)\s{_ARTICLE_DE}{outlet}",
        rf"(?i:gegenüber|im Gespräch mit|im Interview mit)\s{_ARTICLE_DE}{outlet}",
        rf"(?i:nach\s(?:Informationen|Angaben|Recherchen))\s(?:{_ARTICLE_DE}|von\s){who}",
        rf"(?i:unter Berufung auf)\s{_ARTICLE_DE}{who}",
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")")


def _fields(draft: Draft) -> Iterator[tuple[str, str]]:
    for field in ("title", "summary", "body"):
        text = getattr(draft, field)
        if text:
            # Code is blanked and the text cut to the cap; offsets still hold.
            yield field, mask_code(text[:MAX_CHARS])


def _sentence_of(starts: list[int], spans: list[Any], offset: int) -> Any | None:
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and spans[index].start <= offset < spans[index].end:
        return spans[index]
    return None


def _sentence_passages(
    draft: Draft, field: str, text: str, offsets: Iterable[int]
) -> list[Passage]:
    spans = sentences(text)
    starts = [span.start for span in spans]
    passages: dict[int, Passage] = {}
    for offset in offsets:
        span = _sentence_of(starts, spans, offset)
        if span is not None and span.start not in passages:
            passages[span.start] = Passage.of(draft, field, span.start, span.end)
    return list(passages.values())


@check(
    "sourcing",
    label=gettext_lazy("Unsourced claims"),
    options={
        "outlets": OUTLETS,
        "extra_outlets": [],
        "severity": "warning",
        "anonymous_threshold": 3,
    },
)
def sourcing(draft: Draft, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Attributions without any linked source; anonymous sources counted."""
    pattern = _attribution_pattern(tuple(options["outlets"]) + tuple(options["extra_outlets"]))
    unsourced: list[Passage] = []
    anonymous: list[Passage] = []
    capped = len(draft.body) > MAX_CHARS
    for field, text in _fields(draft):
        if not draft.links:
            offsets = [m.start() for m in pattern.finditer(text)]
            offsets += [m.start() for m in _ANONYMOUS.finditer(text)]
            unsourced += _sentence_passages(draft, field, text, sorted(offsets))
        anonymous += [
            Passage.of(draft, field, m.start(), m.end()) for m in _ANONYMOUS.finditer(text)
        ]
    data = {"checked_chars": MAX_CHARS} if capped else {}
    if unsourced:
        yield Finding(
            "sourcing",
            options["severity"],
            ngettext(
                "This sentence credits a claim to someone, but the article links no source. "
                "Please add a link to where the claim comes from.",
                "%(count)d sentences credit claims to someone, but the article links no "
                "source. Please add links to where the claims come from.",
                len(unsourced),
            )
            % {"count": len(unsourced)},
            tuple(unsourced[:MAX_PASSAGES]),
            {"kind": "unsourced", "sentences": len(unsourced), **data},
        )
    if anonymous:
        many = len(anonymous) >= options["anonymous_threshold"]
        yield Finding(
            "sourcing",
            Severity.WARNING if many else Severity.INFO,
            ngettext(
                "The article cites an anonymous source once. Editors may ask who it is.",
                "The article cites anonymous sources %(count)d times. Editors may ask who "
                "they are.",
                len(anonymous),
            )
            % {"count": len(anonymous)},
            tuple(anonymous[:MAX_PASSAGES]),
            {"kind": "anonymous", "count": len(anonymous), **data},
        )
