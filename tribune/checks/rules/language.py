"""Language: is the text in the language the contributor declared, and are there passages
in another language inside it, as a machine translation leaves behind?

Two lingua detectors, each built once per process on first use (a lock keeps two threads
from building the same one):

* The identifier names the language of the whole text. It knows the site's languages and
  other common ones (option `languages`): a French text declared as German must come out
  as French, not as "German, barely". It runs in lingua's low-accuracy mode (trigrams
  only), which is reliable on a paragraph or more and keeps it at ~40 MB and ~0.1 s to
  load; high accuracy for twenty languages would cost ~500 MB per worker.
* The segmenter finds stretches in another language inside the text. It knows only the
  site's languages plus English, the language most leftovers come from, in high accuracy
  (short phrases need it; ~100 MB for two languages). Each language more costs memory
  and time and is one more way to misread a word. When every other language of the set
  has a list of function words (English and German do), only the sentences holding one
  of those words ("the", "which"; "und", "nicht") are read, which makes the check some
  five times faster on ordinary text.

A stretch counts as foreign only if it looks like language rather than a name or a
loanword: three words or more (two when one is a function word of that language only,
"the", "und"), more than half of them starting in lower case ("Fridays for Future" and
"Bund für Umwelt und Naturschutz" are names), and not inside quotation marks or emphasis
(quotes and titles of works are foreign on purpose). These thresholds come from the
samples in tribune/checks/tests/test_language.py: no finding on ten ordinary texts full of
loanwords (Computer, Team, online, Software, Homeoffice, Meeting, Deadline), names and
titles; the English leftovers found in six of seven German test sentences, the German
ones in two of three English sentences.

Huge bodies are checked in part: the first `MAX_IDENTIFY_CHARS` for the language of the
whole, the first `MAX_SEGMENT_CHARS` for foreign passages; the finding's data says so.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from tribune.checks.base import Draft, Finding, Passage, Severity, check
from tribune.checks.text import mask_code, mask_urls, sentences, words

# Common languages besides the site's: Western and Central European ones, plus the large
# languages in other scripts that submissions arrive in.
LANGUAGES = [
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "nb", "fi", "cs", "hu",
    "ro", "el", "tr", "ru", "uk", "ar", "zh", "ja",
]  # fmt: skip
MAX_IDENTIFY_CHARS = 4_000
MAX_SEGMENT_CHARS = 12_000
MIN_LETTERS = 40

# Words that mark a stretch as a language even when it has only two words; each is common
# in its language and not a word of the other site language.
FUNCTION_WORDS = {
    "en": frozenset(
        {
            "the", "of", "and", "which", "with", "is", "are", "that", "this", "these", "those",
            "would", "should", "could", "have", "has", "been", "were", "from", "for", "not", "but",
            "their", "they", "you", "your", "our", "its", "into", "about", "when", "where", "what",
            "who", "be", "by", "or", "at", "as", "a", "on", "it", "we",
        }
    ),
    "de": frozenset(
        {
            "der", "das", "und", "nicht", "ist", "sind", "mit", "von", "auf", "für", "sich", "auch",
            "ein", "eine", "einen", "dem", "den", "des", "zu", "wir", "ich", "wurde", "werden",
            "oder", "aber", "wenn", "noch", "nach", "bei", "über", "vom", "zum", "zur", "im",
        }
    ),
}  # fmt: skip

# Quoted or emphasised stretches (bounded, one paragraph at most): foreign on purpose.
_QUOTED = re.compile(
    r"„[^“”\n]{1,400}[“”]|“[^”\n]{1,400}”|\"[^\"\n]{1,400}\"|«[^»\n]{1,400}»|»[^«\n]{1,400}«"
    "|\u201a[^\u2018\u2019\n]{1,400}[\u2018\u2019]"
    r"|\*[^*\n]{1,400}\*|(?<!\w)_[^_\n]{1,400}_(?!\w)"
)
# Characters lingua (a Rust library) cannot take or should not see: lone surrogates from
# undecodable bytes, control characters.
_UNSPEAKABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_lock = threading.Lock()
_detectors: dict[tuple[tuple[Language, ...], bool], LanguageDetector] = {}


def lingua_language(code: str) -> Language | None:
    """The lingua language for a Django language code ("de", "pt-br"), if lingua knows it."""
    iso = getattr(IsoCode639_1, code.split("-")[0].split("_")[0].upper(), None)
    return Language.from_iso_code_639_1(iso) if iso is not None else None


def detector(codes: tuple[str, ...], *, low_accuracy: bool) -> LanguageDetector:
    """The detector for these languages, built on first use and kept for the process."""
    languages = tuple(sorted({lang for c in codes if (lang := lingua_language(c))}, key=str))
    if not languages:
        raise ValueError(f"lingua knows none of the languages {codes!r}")
    key = (languages, low_accuracy)
    found = _detectors.get(key)
    if found is None:
        with _lock:
            found = _detectors.get(key)
            if found is None:
                builder = LanguageDetectorBuilder.from_languages(*languages)
                builder = builder.with_preloaded_language_models()
                if low_accuracy:
                    builder = builder.with_low_accuracy_mode()
                found = _detectors[key] = builder.build()
    return found


def _site_codes() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def _name(language: Language) -> str:
    code = language.iso_code_639_1.name.lower()
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return language.name.title()


def _junk_share(text: str) -> float:
    """The share of characters no written text has: control characters, undecodable bytes
    (lone surrogates), private-use and unassigned code points, U+FFFD."""
    junk = sum(
        1
        for c in text
        if c == "\ufffd"
        or (c not in "\n\r\t" and unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn"))
    )
    return junk / len(text) if text else 0.0


def prepare(text: str) -> str:
    """Text for lingua, same length as the input: code, web addresses and characters it
    cannot take blanked out, so that offsets into the field still hold."""
    text = _UNSPEAKABLE.sub(" ", text)
    return mask_urls(mask_code(text))


@check(
    "language",
    label=gettext_lazy("Language"),
    options={"languages": LANGUAGES, "min_words": 3},
)
def language(draft: Draft, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The declared language against the detected one; then foreign passages inside."""
    declared = lingua_language(draft.language)
    body = prepare(draft.body[: max(MAX_IDENTIFY_CHARS, MAX_SEGMENT_CHARS)])
    sample = body[:MAX_IDENTIFY_CHARS] if body.strip() else prepare(draft.title)
    sampled = (
        {"checked_chars": MAX_SEGMENT_CHARS, "total_chars": len(draft.body)}
        if len(draft.body) > MAX_SEGMENT_CHARS
        else {}
    )
    if declared is None:
        return  # A language lingua does not know: nothing to compare with.
    letters = sum(1 for c in sample if c.isalpha())
    junk = _junk_share((draft.body or draft.title)[:MAX_IDENTIFY_CHARS])
    if junk <= 0.05 and letters < MIN_LETTERS:
        return  # Too little to tell; the spam check reports the length.
    if junk > 0.05 or letters < sum(1 for c in sample if not c.isspace()) / 2:
        yield Finding(
            "language",
            Severity.INFO,
            _("Most of the text is not words; please check that the right file was sent."),
            data={"kind": "not_text", **sampled},
        )
        return
    identifier = detector((*options["languages"], *_site_codes()), low_accuracy=True)
    confidences = identifier.compute_language_confidence_values(sample)
    if not confidences or confidences[0].value == 0:
        yield Finding(
            "language",
            Severity.INFO,
            _("The language of the text could not be recognised."),
            data={"kind": "unknown", **sampled},
        )
        return
    top = confidences[0]
    declared_confidence = next((c.value for c in confidences if c.language == declared), 0.0)
    if top.language != declared and declared_confidence < 0.5:
        yield Finding(
            "language",
            Severity.WARNING,
            _("The text seems to be in %(detected)s, but its language is given as %(declared)s.")
            % {"detected": _name(top.language), "declared": _name(declared)},
            data={
                "kind": "differs",
                "detected": top.language.iso_code_639_1.name.lower(),
                "confidence": round(top.value, 3),
                **sampled,
            },
        )
        return
    foreign = list(_foreign_passages(draft, declared, options, body, sampled))
    yield from foreign
    if sampled and not foreign:
        yield Finding(
            "language",
            Severity.INFO,
            _("The text is long; only its first %(count)d characters were checked.")
            % {"count": MAX_SEGMENT_CHARS},
            data={"kind": "sampled", **sampled},
        )


def _foreign_passages(
    draft: Draft,
    declared: Language,
    options: Mapping[str, Any],
    body: str,
    sampled: Mapping[str, Any],
) -> Iterator[Finding]:
    codes = (*_site_codes(), "en", draft.language)
    segmenter = detector(codes, low_accuracy=False)
    markers = _markers(tuple(sorted(set(codes))), declared)
    passages: list[Passage] = []
    found: set[Language] = set()
    for field, text in (
        ("title", prepare(draft.title)),
        ("summary", prepare(draft.summary)),
        ("body", body[:MAX_SEGMENT_CHARS]),
    ):
        if not text.strip():
            continue
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
        for offset, chunk in _chunks(text, markers):
            for result in segmenter.detect_multiple_languages_of(chunk):
                if result.language == declared:
                    continue
                span = _foreign_span(chunk, offset, result, options["min_words"], quoted)
                if span:
                    passages.append(Passage.of(draft, field, *span))
                    found.add(result.language)
    if passages:
        yield Finding(
            "language",
            Severity.WARNING,
            ngettext(
                "One passage seems to be in another language (%(languages)s), perhaps left "
                "over from a translation.",
                "%(count)d passages seem to be in another language (%(languages)s), perhaps "
                "left over from a translation.",
                len(passages),
            )
            % {"count": len(passages), "languages": ", ".join(sorted(map(_name, found)))},
            tuple(passages),
            {
                "kind": "foreign_passages",
                "languages": sorted(lang.iso_code_639_1.name.lower() for lang in found),
                **sampled,
            },
        )


@lru_cache(maxsize=32)
def _markers(codes: tuple[str, ...], declared: Language) -> re.Pattern[str] | None:
    """The function words of the other languages, or None when one of them has no list
    (then every sentence is read)."""
    others = [c for c in codes if lingua_language(c) not in (declared, None)]
    if any(c.split("-")[0] not in FUNCTION_WORDS for c in others):
        return None
    declared_words = FUNCTION_WORDS.get(declared.iso_code_639_1.name.lower(), frozenset())
    marks = set().union(*(FUNCTION_WORDS[c.split("-")[0]] for c in others)) - declared_words
    if not marks:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(marks)) + r")(?!\w)")


def _chunks(text: str, markers: re.Pattern[str] | None) -> Iterator[tuple[int, str]]:
    """What the segmenter reads, with its offset: the whole text, or, when the other
    languages have function-word lists, only the sentences with one of those words.
    A stretch of English with none of "the, of, and, which, ..." is rare; reading a tenth of
    the sentences makes the check about five times faster on ordinary text."""
    if markers is None:
        yield 0, text
        return
    for sentence in sentences(text):
        if markers.search(sentence.text):
            yield sentence.start, sentence.text


def _foreign_span(
    chunk: str, offset: int, result: Any, min_words: int, quoted: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The offsets in the field of a detected stretch if it looks like language, else None."""
    start, end = result.start_index, result.end_index
    stretch = [
        w
        for w in words(chunk[start:end])
        if not any(q_start <= offset + start + w.start < q_end for q_start, q_end in quoted)
    ]
    if not stretch:
        return None
    lower = [w for w in stretch if w.text[0].islower()]
    code = result.language.iso_code_639_1.name.lower()
    function_words = FUNCTION_WORDS.get(code, frozenset())
    enough = len(stretch) >= min_words or (
        len(stretch) >= 2 and any(w.text.lower() in function_words for w in lower)
    )
    if not enough or len(lower) < 2 or len(lower) * 2 <= len(stretch):
        return None
    first, last = start + stretch[0].start, start + stretch[-1].end
    # End on the sentence's own punctuation if it follows the last word.
    while last < end and chunk[last] in ".,;:!?…":
        last += 1
    return offset + first, offset + last
