"""Text helpers the guideline checks share: links, sentences and words, each with offsets.

Offsets are indices into the string given (the Markdown source of a field, as submitted),
so that a check can turn them straight into a `Passage`. Everything here is linear in the
length of the text (no regular expression that can backtrack badly), because a body can be
a megabyte of junk. Used by the rules in tribune/checks/rules/ and by `Draft.links`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

# --- Links -------------------------------------------------------------------------------

# A URL runs until whitespace, a quote or an angle bracket. Brackets are allowed inside and
# balanced afterwards, so "(see https://en.wikipedia.org/wiki/Bonn_(city))" keeps the
# wiki URL whole but drops the closing bracket of the sentence.
_URL = re.compile(r"""https?://[^\s<>"'`\]\[]+|www\.[^\s<>"'`\]\[]+""", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"
# Code is not a link: `https://x` in a code span or block is shown, not followed.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[^\n]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def mask_code(markdown: str) -> str:
    """The text with code blocks and code spans blanked out, same length (offsets hold)."""
    return _CODE_SPAN.sub(_blank, _FENCE.sub(_blank, markdown))


def mask_urls(text: str) -> str:
    """The text with web addresses blanked out, same length (offsets hold)."""
    return _URL.sub(_blank, text)


def _trim_url(url: str) -> str:
    # Sentence punctuation and Markdown emphasis after a URL are not part of it; a closing
    # bracket is only when the URL opened one.
    while url:
        if url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("(")):
            url = url[:-1]
        else:
            break
    return url


@dataclass(frozen=True)
class Link:
    """A web address found in Markdown: `url` has a scheme (`www.x` becomes `http://www.x`);
    start and end are the offsets of the address as written."""

    url: str
    start: int
    end: int


def iter_links(markdown: str) -> Iterator[Link]:
    """Every web address in Markdown, with its offsets: inline links and images
    (`[text](url)`), reference definitions, autolinks (`<https://...>`) and bare URLs
    (`https://...`, `www....`), in order. Addresses in code are left out."""
    text = mask_code(markdown)
    for match in _URL.finditer(text):
        url = _trim_url(match.group(0))
        if "." not in url.split("//", 1)[-1]:
            continue  # "https://" on its own, or "www." at the end of a sentence
        end = match.start() + len(url)
        if url[:4].lower() == "www.":
            url = "http://" + url
        yield Link(url, match.start(), end)


def find_links(markdown: str) -> list[str]:
    """The http(s) URLs in Markdown, in order of appearance (repeats included)."""
    return [link.url for link in iter_links(markdown)]


def host_of(url: str) -> str:
    """The lower-case host name of a URL ("" when there is none); `www.` ones count too."""
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "http://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # an invalid IPv6 literal such as http://[::1
        return ""
    return host.rstrip(".").lower()


def host_matches(host: str, domains: frozenset[str] | set[str]) -> str | None:
    """The listed domain that `host` is or is a subdomain of (`news.bad.example` matches
    `bad.example`), else None."""
    parts = host.split(".")
    for index in range(len(parts)):
        candidate = ".".join(parts[index:])
        if candidate in domains:
            return candidate
    return None


# --- Words -------------------------------------------------------------------------------

# A word is a run of letters or digits, joined across one hyphen or apostrophe inside it,
# as in tribune.lib.readingtime ("Straßenbahn-Haltestelle", "don't"). Each repetition must
# start with a joiner, so matching stays linear.
_WORD = re.compile(r"[^\W_]+(?:[-\u2010\u2011'\u2019][^\W_]+)*")


@dataclass(frozen=True)
class Span:
    """A stretch of a string: `text == source[start:end]`."""

    start: int
    end: int
    text: str


def words(text: str) -> list[Span]:
    """The words of a text, with offsets."""
    return [Span(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]


def count_words(text: str) -> int:
    """The number of words in Markdown, web addresses and code not counted."""
    masked = mask_urls(mask_code(text))
    return len(_WORD.findall(masked))


# --- Sentences ---------------------------------------------------------------------------

# Words that end with a full stop without ending the sentence (lower-cased, without the
# stop). Words that often end sentences too ("so", "no", "art") are left out: a sentence
# cut after a rare abbreviation costs less than two sentences glued together. Initials and
# one-letter abbreviations ("U.S.", "z. B.", "John F. Kennedy") are handled by the rule
# that a single letter before a stop never ends a sentence.
ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "inc", "ltd",
        "co", "corp", "gov", "lt", "sgt", "capt", "nos", "vol", "approx", "dept", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "tue", "thu",
        "fri", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "bzw", "ca", "usw", "vgl",
        "evtl", "ggf", "inkl", "bspw", "sog", "zzt", "zz", "nr", "abs", "bd", "hr", "fr", "frl",
        "dipl", "ing", "hrsg", "mio", "mrd", "tsd", "str", "tel", "bzgl", "gegr", "geb", "gest",
        "jh", "jhd", "okt", "dez", "z.b", "d.h", "u.a", "o.a", "s.o", "u.u", "i.d.r",
    }
)  # fmt: skip
_MONTHS = frozenset(
    {
        "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
        "oktober", "november", "dezember", "jänner",
    }
)  # fmt: skip

# A candidate end: one or more of . ! ? … followed by closing quotes or brackets.
_END = re.compile("[.!?\u2026]+[\"'\u201c\u201d\u2019\u00bb\u00ab)\\]]*")
# A Markdown block starts a new sentence: a blank line, a heading, a list item, a quote.
_BLOCK = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>))")
_LINE_MARKER = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,9}[.)][ \t]+|>[ \t]*)*")
_TOKEN_BEFORE = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*|\d+)$")


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    """Whether the stop at text[stop] (a run ending at `after`) ends a sentence."""
    following = text[after : after + 40].lstrip()
    if after < len(text) and not text[after].isspace():
        return False  # "3.5", "example.com", "U.S"
    if not following:
        return True
    if text[stop] != ".":
        return not following[0].islower()
    token_match = _TOKEN_BEFORE.search(text[max(0, stop - 30) : stop])
    token = token_match.group(1).lower() if token_match else ""
    if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return False
    if token.isdigit() and len(token) <= 2:
        # German ordinals and dates: "am 3. Oktober", "der 2. Weltkrieg".
        next_word = re.match(r"[^\W\d_]+", following)
        if next_word and (next_word.group(0).lower() in _MONTHS or len(token) == 1):
            return False
    # A lower-case word after a stop continues the sentence (an abbreviation we lack).
    return not following[0].islower()


def _sentences_in_block(text: str, start: int, end: int) -> Iterator[Span]:
    marker = _LINE_MARKER.match(text, start, end)
    position = marker.end() if marker else start
    for match in _END.finditer(text, position, end):
        if _ends_sentence(text, match.start(), match.end()):
            yield from _span(text, position, match.end())
            position = match.end()
    yield from _span(text, position, end)


def _span(text: str, start: int, end: int) -> Iterator[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield Span(start, end, text[start:end])


def sentences(text: str) -> list[Span]:
    """The sentences of English or German text (Markdown allowed), with offsets.

    A Markdown block (paragraph, heading, list item, quote) never shares a sentence with
    the next; inside one, a sentence ends at . ! ? or … followed by a space and a word that
    does not start in lower case, except after a known abbreviation, an initial, or a
    German ordinal ("am 3. Oktober"). Leading Markdown markers (#, -, >, 1.) are left out.
    """
    found: list[Span] = []
    position = 0
    for match in _BLOCK.finditer(text):
        found.extend(_sentences_in_block(text, position, match.start()))
        position = match.end()
    found.extend(_sentences_in_block(text, position, len(text)))
    return found
