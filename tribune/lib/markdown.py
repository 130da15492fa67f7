"""Markdown for reader-submitted articles: render, sanitize, and extract the reading text.

The pipeline is the one the compliance notes ask for (shared/reference/compliance.md, 5.2):
Markdown with raw HTML switched off in the parser, then nh3 with an explicit allow-list. The
sanitizer is the real boundary; the token pass before it only makes the output nicer (a
link with a refused URL becomes its plain text instead of an empty ``<a>``) and stricter.

Rules a reader of the stored HTML can rely on:

* Headings are shifted below the page's own ``<h1>`` (the headline) by clamping the level
  into 2..4: ``#`` and ``##`` become ``<h2>``, ``###`` ``<h3>``, ``####`` to ``######``
  ``<h4>``.
* Every heading gets ``id="h-<slug>"``. The slug is made by us from the heading text
  (lower case; ä ö ü become ae oe ue and ß ss, so "Über Straßen" gives ``h-ueber-strassen``;
  other accents are dropped, other scripts kept; runs of anything else become one hyphen).
  Repeats get ``-2``, ``-3``; a heading with no letters or digits gets ``section``. The
  ``h-`` prefix keeps body ids apart from the page chrome (templates must not use ids that
  start with ``h-``) and, because of the hyphen, no id is a JavaScript identifier, so a
  heading cannot clobber a global such as ``window.config``.
* Links and images keep only http, https, mailto (links) or http, https (images) URLs, or
  relative ones. Anything else turns the link into its text and the image into its alt text.
* Links get ``rel="nofollow ugc noopener"``. Comments, styles and event handlers never pass.

Callers should cap the length of what they render (a max_length on the form field):
markdown-it-py stays fast on the pathological inputs in the tests, but there is no reason to
parse megabytes from a stranger. ``text`` is plain text, not HTML: autoescape it.
"""

import html
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

import nh3
from django.utils.text import slugify as django_slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token

ANCHOR_PREFIX = "h-"
FALLBACK_SLUG = "section"
MAX_SLUG_LENGTH = 80

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})

ALLOWED_TAGS = frozenset(
    {
        "p", "h2", "h3", "h4", "a", "em", "strong", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "hr", "br", "img", "sup", "sub",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "a": {"href", "title"},
    "ol": {"start"},
    "img": {"src", "alt", "title", "width", "height"},
}
# Table alignment from Markdown (`|:--:|`), as the old align attribute because style is banned.
ALIGNMENTS = {"left", "center", "right"}
ALLOWED_ATTRIBUTE_VALUES = {"th": {"align": ALIGNMENTS}, "td": {"align": ALIGNMENTS}}

_parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


@dataclass(frozen=True)
class Heading:
    """A body heading: its level in the output (2 to 4), its plain text and its id."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Rendered:
    """The result of rendering one Markdown body.

    ``html`` is sanitized and may be stored and output with ``|safe``. ``text`` is plain
    reading text for word counts and excerpts (it is NOT escaped: autoescape it like any
    user input). ``headings`` are in document order, for a table of contents.
    """

    html: str
    text: str
    headings: tuple[Heading, ...]


def render_markdown(source: str) -> Rendered:
    """Render Markdown written by a reader into sanitized HTML plus its reading text."""
    tokens = _parser.parse(source)
    headings: list[Heading] = []
    lines: list[str] = []
    used_slugs: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{_body_level(int(token.tag[1]))}"
        elif token.type in ("th_open", "td_open"):
            _style_to_align(token)
        elif token.type == "inline":
            token.children = _safe_inline(token.children or [])
            line = _inline_text(token.children)
            if line.strip():
                lines.append(line)
            opener = tokens[index - 1]  # an inline token always follows its block's opener
            if opener.type == "heading_open":
                anchor = ANCHOR_PREFIX + _unique(slugify(line), used_slugs)
                opener.attrSet("id", anchor)
                headings.append(Heading(int(opener.tag[1]), line.strip(), anchor))
    html_out = _parser.renderer.render(tokens, _parser.options, {})
    return Rendered(html=sanitize_html(html_out), text="\n".join(lines), headings=tuple(headings))


def sanitize_html(fragment: str) -> str:
    """Clean an HTML fragment down to the allow-list above.

    Used on our own renderer's output, and safe on arbitrary HTML too: unknown tags are
    removed (their text kept), script and style with their content, comments dropped, URLs
    held to the rule of ``url_scheme`` (links http, https, mailto; images http, https; or
    relative), and any id prefixed with ``h-``.
    """
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        url_schemes=set(LINK_SCHEMES),
        attribute_filter=_filter_url,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
        id_prefix=ANCHOR_PREFIX,
    )


def fold_german(text: str) -> str:
    """Lower case with German letters spelled out: "Nachtzüge, Straße" -> "nachtzuege, strasse"."""
    folded = text.casefold()  # also turns ß (and ẞ) into ss
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        folded = folded.replace(umlaut, spelled)
    return folded


def url_slug(text: str) -> str:
    """An ASCII slug for URLs: "Nachtzüge beschließen" -> "nachtzuege-beschliessen"; may be ""."""
    return django_slugify(fold_german(text))


def slugify(text: str) -> str:
    """An ASCII-leaning anchor slug: "Über Straßen" -> "ueber-strassen"; "" -> "section".

    Apostrophes vanish ("Don't" -> "dont"); other runs of non-alphanumerics become "-".
    """
    folded = unicodedata.normalize("NFC", fold_german(text)).replace("'", "").replace("\u2019", "")
    words = "".join(_fold_accent(char) if char.isalnum() else " " for char in folded).split()
    slug = "-".join(words)[:MAX_SLUG_LENGTH].strip("-")
    return slug or FALLBACK_SLUG


def url_scheme(url: str) -> str:
    """The scheme of ``url`` as a lenient reader might see it, lower case; "" if relative.

    Entities and percent-escapes are decoded (three rounds, for double encoding) and
    invisible characters dropped first, so ``java&#x09;script:`` and ``java%250Ascript:``
    both count as "javascript". Whatever comes before the first colon counts as a scheme
    unless a / ? or # comes earlier. This is stricter than browsers, which read some of these
    as relative paths; the price is that a relative link like ``a%3Ab`` is refused too.
    """
    decoded = url
    for _ in range(3):  # a few rounds catch double encoding; "until stable" is quadratic
        decoded = html.unescape(unquote(decoded))
    visible = "".join(char for char in decoded if char.isprintable() and not char.isspace())
    head, colon, _ = visible.partition(":")
    if not colon or any(char in head for char in "/?#"):
        return ""
    return head.lower()


def _body_level(level: int) -> int:
    return min(max(level, 2), 4)


def _unique(slug: str, used: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in used:
        candidate, number = f"{slug}-{number}", number + 1
    used.add(candidate)
    return candidate


def _fold_accent(char: str) -> str:
    """Drop accents from Latin letters (é -> e) but leave other scripts whole (й stays й)."""
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(part for part in decomposed if not unicodedata.combining(part))
    return base if base.isascii() else char


def _allowed(url: str, schemes: frozenset[str]) -> bool:
    scheme = url_scheme(url)
    return scheme == "" or scheme in schemes


def _filter_url(element: str, attribute: str, value: str) -> str | None:
    """nh3 hook: the same URL rule as the renderer, so raw HTML cannot do more than Markdown."""
    if attribute == "href":
        return value if _allowed(value, LINK_SCHEMES) else None
    if attribute == "src":
        return value if _allowed(value, IMAGE_SCHEMES) else None
    return value


def _style_to_align(cell: Token) -> None:
    style = str(cell.attrs.pop("style", ""))
    alignment = style.removeprefix("text-align:")
    if alignment in ALIGNMENTS:
        cell.attrSet("align", alignment)


def _safe_inline(children: list[Token]) -> list[Token]:
    """Unwrap links and drop images whose URL is refused; strikethrough becomes <del>."""
    kept: list[Token] = []
    unwrapping = False
    for child in children:
        if child.type == "link_open" and not _allowed(str(child.attrGet("href")), LINK_SCHEMES):
            unwrapping = True
        elif child.type == "link_close" and unwrapping:
            unwrapping = False
        elif child.type == "image" and not _allowed(str(child.attrGet("src")), IMAGE_SCHEMES):
            kept.append(Token("text", "", 0, content=_inline_text(child.children or [])))
        else:
            if child.type in ("s_open", "s_close"):
                child.tag = "del"
            kept.append(child)
    return kept


def _inline_text(children: Iterable[Token]) -> str:
    """The words a reader sees: text, inline code, image alt text; no autolink URLs."""
    parts: list[str] = []
    in_autolink = False
    for child in children:
        if child.markup == "autolink":
            in_autolink = child.type == "link_open"
        elif child.type in ("text", "code_inline") and not in_autolink:
            parts.append(child.content)
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)
