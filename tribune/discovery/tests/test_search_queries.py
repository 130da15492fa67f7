"""Any query string gives results or a friendly "no results", never an error: FTS5 and
tsquery syntax, SQL, markup, control characters and 10 KB of junk are only words or
nothing to the engines. Runs on the engine of the database under test."""

import random

import html5lib
import pytest

from tribune.discovery.backends.sqlite import match_expression
from tribune.discovery.backends.text import MAX_TERMS, query_terms
from tribune.discovery.search import search
from tribune.lib.tests.xss_payloads import PAYLOADS
from tribune.testing import factories

pytestmark = pytest.mark.django_db


def _junk(seed: int, size: int) -> str:
    chooser = random.Random(seed)  # noqa: S311 - reproducible junk, not a secret
    alphabet = "\"'()*^:-+~|&!<>{}[]%_\\/ \t\n\x00" + "aäbcdefßz09" + "😀𝔘ǅİıﬁ²\u0301\u202e"
    return "".join(chooser.choice(alphabet) for _ in range(size))


NASTY = [
    "", " ", "\t\n", '"', '""', "'", "''", "(", ")", "((", "(()", "a)", "{", "}", "[", "]",
    "AND", "OR", "NOT", "NEAR", "and or not", "heat AND", "OR heat", "NOT heat", "heat NOT",
    "NEAR(heat pump)", "NEAR(heat pump, 2)", "heat NEAR/2 pump", "*", "heat*", "*heat",
    "^heat", "heat^", "title:heat", "body:pump", "{title body}: heat", "- heat", "-heat",
    "+heat", "heat -pump", ":", "a:b:c", "col:", "^", "heat:*", "heat:A", "!heat", "heat & pump",
    "heat | pump", "heat <-> pump", "heat <2> pump", "'heat':*", "\x00", "heat\x00pump",
    "\x00\x00\x00", "\\", "\\\\heat", "%", "_", "%_%", "%s", "%(q)s", "?", "$1",
    "'; DROP TABLE articles_article; --", "' OR 1=1 --", "1; SELECT pg_sleep(1)",
    "<script>alert(1)</script>", "&amp;", "&#0;", "\ud800", "heat\udfffpump", "😀",
    "\U0001d525\U0001d522",
    "ǅ", "İ", "\u0131i", "ﬁre", "²³", "e\u0301", "\u202eheat", "Straße", "STRASSE",
    "NULL", "null", "*:*", "OR OR OR", '"unbalanced', "(heat OR pump", "heat)", "-", "--", "...",
    "a" * 10_000, "heat " * 2_000, "x" * 61, "ä" * 200, _junk(1, 10_240), _junk(2, 10_240),
    "\x00" * 10_240,
]  # fmt: skip


@pytest.fixture
def corpus(committed):
    topic = factories.topic("energy", en="Energy", de="Energie")
    with committed():
        factories.article(title="Heat pump costs", body="What a heat pump costs.", topics=(topic,))
        factories.article(title="Wärmepumpen im Altbau", language="de", body="Strom und Wärme.")


def test_no_query_makes_an_error(corpus):
    for query in NASTY:
        for filters in ({}, {"language": "de"}, {"topic": "energy", "page": 3}):
            page = search(query, **filters)
            assert page.total >= 0 and page.page >= 1, repr(query[:40])


def test_the_search_page_answers_every_nasty_query(corpus, client):
    # Lone surrogates cannot come from a request (it is decoded bytes); search() gets them.
    for query in (q for q in NASTY if "\ud800" not in q and "\udfff" not in q):
        response = client.get("/en/search/", {"q": query, "topic": query, "language": query})
        assert response.status_code == 200, repr(query[:40])
        if query.strip():
            assert "match" in response.content.decode() or "no words" in response.content.decode()


def test_syntax_in_a_query_is_ignored_and_its_words_are_still_found(corpus):
    for query in ('"heat pump', "heat* ^pump (", "-heat +pump", "heat:* & pump"):
        assert search(query).total == 1, query
    assert search("{title}: wärmepumpe").total == 0  # "title" is a word the article lacks


def test_a_query_keeps_only_words_at_most_ten_of_them():
    assert query_terms('NEAR(heat "pump*" title:x) ^y \x00 ü') == [
        "near", "heat", "pump", "title", "x", "y", "ü",
    ]  # fmt: skip
    assert query_terms("Straße STRASSE strasse") == ["strasse"]
    assert len(query_terms(" ".join(f"w{n}" for n in range(50)))) == MAX_TERMS
    assert query_terms("x" * 61) == []
    assert query_terms("((*))") == []


def test_the_fts5_expression_quotes_every_stem_and_tries_each_language():
    expression = match_expression(["verbindungen", "and"], ["en", "de"])
    assert expression == '("verbindungen" AND "and") OR ("verbind" AND "and")'
    assert match_expression(["running"], ["en", "de"]) == '("run") OR ("running")'


def test_hostile_markup_in_a_query_or_an_article_comes_back_escaped(client, committed):
    with committed():
        for n, payload in enumerate(PAYLOADS[:15]):
            factories.article(
                title=f"Payload story {n}", summary=f"payload {payload}", body=payload
            )
    found = 0
    for payload in PAYLOADS:
        html = client.get("/en/search/", {"q": f"payload {payload}"}).content.decode()
        main = html.split('<main id="main" class="wrap">')[1].split("</main>")[0]
        # Parsed as a browser would: only the page's own elements, no handler attributes.
        elements = list(html5lib.parseFragment(main, namespaceHTMLElements=False).iter())
        assert {element.tag for element in elements[1:]} <= PAGE_TAGS, payload
        assert not [name for e in elements for name in e.attrib if name.startswith("on")]
        found += "<mark>Payload</mark> story" in main
    assert found >= 15  # the stories themselves were found and shown, escaped


# Every element the search page itself writes; a payload's tags must never appear.
PAGE_TAGS = {
    "h1", "h2", "form", "p", "label", "input", "select", "option", "button", "section", "ol",
    "li", "a", "span", "time", "mark", "nav",
}  # fmt: skip
