"""Full-text search of published articles: the one entry point for the search page, the
indexing task, the rebuild command and the benchmarks.

`search()` takes a query as a reader typed it and returns a `SearchPage`: results with the
article, a highlighted headline and snippet (escaped text with the matched words in
<mark>), the total and the page numbers. The engine behind it is the one named by
`TRIBUNE_SEARCH_BACKEND` (see backends/base.py).
"""

import html
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from tribune.articles.models import Article, Revision, Topic
from tribune.articles.queries import public_articles
from tribune.discovery.backends.base import Document, SearchBackend
from tribune.discovery.backends.text import (
    MAX_QUERY_CHARS,
    html_to_text,
    normalize,
    query_terms,
    stem_words,
)

MAX_PER_PAGE = 100
SNIPPET_WORDS = 32
# Snippets are looked for in the first part of a long body only.
SNIPPET_SOURCE_CHARS = 50_000
_WORD = re.compile(r"[^\W_]+")
_WORD_SPLIT = re.compile(r"([^\W_]+)")
_NOT_WORD = re.compile(r"[\W_]")
# A long body's first characters are read first; most snippets are found there.
FIRST_READ_CHARS = 4000
_OPEN, _CLOSE = "\ue000", "\ue001"  # where <mark> and </mark> go in a passage
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
# What a result shows (search_results.html and its byline); the rest stays in the database.
_RESULT_FIELDS = (
    "slug", "language", "published_at", "author_id", "live_revision",
    "live_revision__title", "live_revision__summary", "live_revision__body_html",
    "live_revision__word_count", "author__profile__display_name", "author__profile__slug",
)  # fmt: skip


@dataclass
class SearchResult:
    article: Article  # with live_revision and author.profile loaded
    score: float
    headline: SafeString  # the headline, escaped, matched words in <mark>
    snippet: SafeString  # a passage of summary or body, the same way


@dataclass
class SearchPage:
    query: str  # what was searched for, as used (cut to MAX_QUERY_CHARS)
    terms: list[str]  # the words searched for; empty when the query had none
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    more: bool = False  # more matches than the engines rank (RANKED_MATCHES)
    page: int = 1
    per_page: int = 10

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        """The number of the first result on this page (1-based), 0 without results."""
        return (self.page - 1) * self.per_page + 1 if self.results else 0


@cache
def _backend_for(path: str) -> SearchBackend:
    return import_string(path)()


def backend() -> SearchBackend:
    """The search engine chosen by TRIBUNE_SEARCH_BACKEND."""
    return _backend_for(settings.TRIBUNE_SEARCH_BACKEND)


def search(
    query: str,
    *,
    language: str | None = None,
    topic: str | None = None,
    page: int = 1,
    per_page: int = 10,
) -> SearchPage:
    """Published articles that contain every word of `query`, best first.

    Any string is a valid query: only its words count (at most MAX_QUERY_CHARS characters of
    it are read). `language` is a site language code, `topic` a topic slug; `page` past the
    last page gives the last page. Costs two queries with results, none without words.
    """
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    query = query[:MAX_QUERY_CHARS]
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    page = max(1, page)
    terms = query_terms(query)
    result = SearchPage(query=query, terms=terms, page=page, per_page=per_page)
    if not terms or (topic is not None and not _SLUG.fullmatch(topic)):
        result.page = 1
        return result
    engine = backend()
    found = engine.search(
        terms, language=language, topic=topic, offset=(page - 1) * per_page, limit=per_page
    )
    if not found.hits and found.total:
        result.page = math.ceil(found.total / per_page)
        found = engine.search(
            terms,
            language=language,
            topic=topic,
            offset=(result.page - 1) * per_page,
            limit=per_page,
        )
    result.total = found.total
    result.more = found.more
    if not found.total:
        result.page = 1
    articles = (
        Article.objects.filter(pk__in=[hit.article_id for hit in found.hits])
        .select_related("live_revision", "author__profile")
        .only(*_RESULT_FIELDS)
        .order_by()  # the hits give the order
        .in_bulk()
    )
    for hit in found.hits:
        article = articles.get(hit.article_id)
        if article is not None:
            result.results.append(_result(article, hit.score, terms))
    return result


def _result(article: Article, score: float, terms: list[str]) -> SearchResult:
    revision = article.live_revision
    stems = {_fold(stem) for stem in stem_words(terms, article.language)}
    headline = _Marked(revision.title, stems, article.language)
    return SearchResult(
        article=article,
        score=score,
        headline=headline.render(0, headline.words),
        snippet=_snippet(revision, stems, article.language),
    )


def _snippet(revision: Revision, stems: set[str], language: str) -> SafeString:
    """The summary, unless a passage of the body holds more of the query's words (the body
    is not read when the summary holds them all)."""
    summary = _Marked(revision.summary, stems, language)
    in_summary = summary.matched_stems(0, summary.words) if revision.summary else -1
    if in_summary < len(stems):
        text = html_to_text(revision.body_html)[:SNIPPET_SOURCE_CHARS]
        body = _Marked(text, stems, language, window=SNIPPET_WORDS)
        start, matched = body.best_window(SNIPPET_WORDS)
        if matched > in_summary:
            return body.render(start, start + SNIPPET_WORDS)
    return summary.render(0, summary.words)


def _escape(text: str) -> str:
    # The standard library's escape: the same five characters as Django's, without the
    # lazy-string wrapper that costs more than the escaping on thousands of words.
    return html.escape(text, quote=True)


@lru_cache(maxsize=200_000)
def _key(word: str, language: str) -> str:
    """The word as the index compares it: normalized, stemmed, without diacritics.
    Cached: snippets look at thousands of words a query, most of them seen before."""
    return _fold(stem_words([normalize(word)], language)[0])


def _fold(word: str) -> str:
    """Without diacritics, as FTS5's unicode61 tokenizer compares words."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _Marked:
    """A text split into words, each known to match the query or not.

    With a `window`, a long text's beginning is read first, and the rest only when that
    beginning holds no window of that many words with every query word: a later window
    cannot be better. `complete` says whether the whole text was read."""

    def __init__(self, text: str, stems: set[str], language: str, window: int = 0) -> None:
        text = text.replace(_OPEN, "").replace(_CLOSE, "")
        self.text = text
        self.complete = True
        if window and len(text) > FIRST_READ_CHARS:
            cut = _NOT_WORD.search(text, FIRST_READ_CHARS)
            if cut is not None:
                self._read(text[: cut.start()], stems, language)
                if self.best_window(window)[1] == len(stems):
                    if _WORD.search(text, cut.start()) is None:
                        self.parts[-1] += text[cut.start() :]
                    else:
                        self.complete = False
                    return
        self._read(text, stems, language)

    def _read(self, text: str, stems: set[str], language: str) -> None:
        # Text between words and the words, alternating: word i is parts[2 * i + 1].
        self.parts = _WORD_SPLIT.split(text)
        self.stems = [_key(word, language) for word in self.parts[1::2]]
        self.hit = [stem in stems for stem in self.stems]

    @property
    def words(self) -> int:
        return len(self.stems)

    def matched_stems(self, start: int, end: int) -> int:
        return len(
            {s for s, hit in zip(self.stems[start:end], self.hit[start:end], strict=True) if hit}
        )

    def best_window(self, size: int) -> tuple[int, int]:
        """(first word, number of different query words) of the window of `size` words
        with the most different query words, starting a few words before its first match."""
        best, best_count = 0, 0
        hits = [i for i, hit in enumerate(self.hit) if hit]
        for first in hits:
            count = self.matched_stems(first, first + size)
            if count > best_count:
                best, best_count = first, count
        if best_count:
            best = max(0, min(best - 4, self.words - size))
        return best, best_count

    def render(self, start: int, end: int) -> SafeString:
        """Words start..end with what lies between them, escaped, matches in <mark>."""
        if not self.stems:
            return mark_safe(_escape(self.text.strip()))  # noqa: S308 - escaped just now
        end = min(end, self.words)
        # Matches are wrapped in two private-use characters, which the text was cleared of,
        # so that the passage is escaped in one go and the marks put in after.
        pieces = ["… "] if start else [self.parts[0]]
        for i in range(start, end):
            if i > start:
                pieces.append(self.parts[2 * i])
            word = self.parts[2 * i + 1]
            pieces.append(f"{_OPEN}{word}{_CLOSE}" if self.hit[i] else word)
        if end < self.words or not self.complete:
            pieces.append(" …")
        else:
            pieces.append(self.parts[-1])
        passage = _escape("".join(pieces).strip())
        marked = passage.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
        return mark_safe(marked)  # noqa: S308 - escaped above; only the marks are added


def _documents(articles: QuerySet[Article]) -> Iterable[Document]:
    topics = Topic.objects.prefetch_related("names")
    for article in articles.select_related("live_revision", "author__profile").prefetch_related(
        Prefetch("topics", queryset=topics)
    ):
        revision = article.live_revision
        names = [
            name
            for topic in article.topics.all()
            for name in dict.fromkeys([topic.name, *(n.name for n in topic.names.all())])
        ]
        profile = getattr(article.author, "profile", None)
        yield Document(
            article_id=article.pk,
            language=article.language,
            title=revision.title,
            summary=revision.summary,
            body=html_to_text(revision.body_html),
            author=profile.display_name if profile else article.author.get_username(),
            topics=" ".join(names),
            published_at=article.published_at,
        )


def searchable_articles() -> QuerySet[Article]:
    """What the index should hold: every article readers can see."""
    return public_articles()


@transaction.atomic
def update_index(article_ids: Iterable[int]) -> None:
    """Bring these articles' index entries up to date: (re)index the published ones, drop
    the others. Idempotent; the indexing task and the rebuild command call it."""
    ids = set(article_ids)
    public = searchable_articles().filter(pk__in=ids)
    engine = backend()
    documents = list(_documents(public))
    engine.index(documents)
    engine.remove(ids - {doc.article_id for doc in documents})
