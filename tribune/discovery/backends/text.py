"""Words, stems and plain text for search: the same rules for indexing, querying and
highlighting, so that what the index holds, what a query asks and what a snippet marks
agree.

A query is never handed to an engine as typed: `query_terms` keeps only runs of letters and
digits, so FTS operators, quotes, parentheses, column filters and NUL bytes cannot reach
SQLite's or PostgreSQL's query parser.
"""

import html
import re
import threading
import unicodedata

import Stemmer

# The longest query we read; anything after it is ignored (the form says so too).
MAX_QUERY_CHARS = 200
# More terms than this make a query slower without making it better.
MAX_TERMS = 10
# A word longer than this is junk (a pasted hash, a run of letters), not something to find.
MAX_TERM_CHARS = 60

# Django language code -> Snowball algorithm (the same names as PostgreSQL's configurations).
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "et": "estonian", "eu": "basque",
    "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian",
    "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian", "nb": "norwegian",
    "ne": "nepali", "nl": "dutch", "nn": "norwegian", "no": "norwegian", "pl": "polish",
    "pt": "portuguese", "pt-br": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip

_WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")
# PyStemmer's stemmers are not thread-safe (each keeps a cache): one set per thread.
_local = threading.local()


def _stemmer(language: str) -> Stemmer.Stemmer | None:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        algorithm = SNOWBALL.get(language.lower())
        stemmers[language] = Stemmer.Stemmer(algorithm) if algorithm else None
    return stemmers[language]


def normalize(text: str) -> str:
    """Case-folded NFKC text: "Straße" and "STRASSE", "ﬁ" and "fi" become the same."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    """The normalized words of a text, in order."""
    return _WORD.findall(normalize(text))


def stem_words(items: list[str], language: str) -> list[str]:
    """Snowball stems of already normalized words in the given language (unknown: as they are)."""
    stemmer = _stemmer(language)
    return stemmer.stemWords(items) if stemmer else list(items)


def stem(word: str, language: str) -> str:
    return stem_words([word], language)[0]


def stemmed_text(text: str, language: str) -> str:
    """The text as the SQLite index holds it: its stems, separated by spaces."""
    return " ".join(stem_words(words(text), language))


def query_terms(query: str) -> list[str]:
    """The plain words of a query, without duplicates, at most MAX_TERMS of them.

    Everything that is not a letter or digit separates words; it is never passed on.
    """
    terms: list[str] = []
    for word in words(query[:MAX_QUERY_CHARS]):
        if len(word) <= MAX_TERM_CHARS and word not in terms:
            terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms


def html_to_text(fragment: str) -> str:
    """The words of stored, sanitized article HTML as plain (unescaped) text."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())
