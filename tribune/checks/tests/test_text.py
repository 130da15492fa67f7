"""The shared text helpers: links, sentences and words, with exact offsets."""

import time

from tribune.checks.base import Draft
from tribune.checks.text import count_words, find_links, host_matches, host_of, sentences, words


def _texts(text):
    found = sentences(text)
    assert all(text[s.start : s.end] == s.text for s in found)
    return [s.text for s in found]


def test_links_are_found_in_markdown_links_autolinks_and_bare_urls_in_order():
    text = (
        "See [the report](https://example.org/report_(2024)) and <https://bit.ly/abc>, "
        "also https://www.spiegel.de/a.html. Or www.faz.net! And ![chart](http://img.example/c.png)."
    )
    assert find_links(text) == [
        "https://example.org/report_(2024)",
        "https://bit.ly/abc",
        "https://www.spiegel.de/a.html",
        "http://www.faz.net",
        "http://img.example/c.png",
    ]


def test_links_in_code_are_not_links():
    text = "Run `curl https://example.org/x` or\n\n```\nhttps://example.org/y\n```\n"
    assert find_links(text) == []


def test_a_scheme_alone_is_not_a_link():
    assert find_links("The address starts with https:// and then www. and nothing.") == []


def test_a_draft_lists_links_of_the_body_and_its_sources():
    draft = Draft(
        title="T", body="Read https://a.example/x.", language="en", sources=("https://b.example",)
    )
    assert draft.links == ("https://a.example/x", "https://b.example")


def test_subdomains_match_a_listed_domain():
    assert host_of("https://News.Bad.Example./story") == "news.bad.example"
    assert host_matches("news.bad.example", {"bad.example"}) == "bad.example"
    assert host_matches("notbad.example", {"bad.example"}) is None
    assert host_of("http://[::1") == ""


def test_english_sentences_do_not_split_after_abbreviations_and_initials():
    text = "Dr. Smith met John F. Kennedy in the U.S. capital. It rained, e.g. all day! Why?"
    assert _texts(text) == [
        "Dr. Smith met John F. Kennedy in the U.S. capital.",
        "It rained, e.g. all day!",
        "Why?",
    ]


def test_german_sentences_do_not_split_after_abbreviations_and_ordinals():
    text = (
        "Am 3. Oktober kamen z. B. Prof. Weber bzw. Dr. Kaya nach Bonn. Das war 1990. "
        "Danach kam die Bahn, d.h. sehr spät."
    )
    assert _texts(text) == [
        "Am 3. Oktober kamen z. B. Prof. Weber bzw. Dr. Kaya nach Bonn.",
        "Das war 1990.",
        "Danach kam die Bahn, d.h. sehr spät.",
    ]


def test_markdown_blocks_are_sentences_of_their_own_without_their_markers():
    text = "# A heading\n\nA paragraph\nwrapped here.\n- an item\n> a quote"
    assert _texts(text) == [
        "A heading",
        "A paragraph\nwrapped here.",
        "an item",
        "a quote",
    ]


def test_quotes_and_numbers_do_not_end_a_sentence_early():
    text = "„Das ist gut.“ Dann ging er. Der Kurs stieg um 3.5 Prozent auf example.com weiter."
    assert _texts(text) == [
        "„Das ist gut.“",
        "Dann ging er.",
        "Der Kurs stieg um 3.5 Prozent auf example.com weiter.",
    ]


def test_words_have_offsets_and_joined_words_count_once():
    text = "Die Straßenbahn-Haltestelle, don't panic."
    found = words(text)
    assert [w.text for w in found] == ["Die", "Straßenbahn-Haltestelle", "don't", "panic"]
    assert all(text[w.start : w.end] == w.text for w in found)


def test_word_count_leaves_out_addresses_and_code():
    assert count_words("Two words https://example.org/a-b-c `code here`") == 2


def test_empty_and_junk_text_give_nothing_and_take_no_time():
    assert sentences("") == []
    assert find_links("") == []
    junk = bytes(range(256)).decode("latin-1") * 4000 + "\udcff"
    started = time.perf_counter()
    sentences(junk)
    find_links(junk)
    words(junk)
    big = ("Ein Satz mit Dr. Weber und https://example.org/x. " * 20_000)[:1_000_000]
    sentences(big)
    find_links(big)
    assert time.perf_counter() - started < 5  # linear: well under a second when quiet
