"""Word counts and reading times for articles, in English, German and unknown languages."""

import pytest

from tribune.lib.readingtime import (
    DEFAULT_WORDS_PER_MINUTE,
    WORDS_PER_MINUTE,
    count_words,
    reading_minutes,
)

GERMAN_SENTENCE = (
    "Die Straßenbahn-Haltestelle am Rathaus wird ab 1. März für 3,5 Millionen Euro umgebaut."
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Straßenbahn-Haltestelle", 1),
        ("don't", 1),
        ("don\u2019t", 1),  # typographic apostrophe
        ("E-Mail-Adresse", 1),
        ("3,5 Prozent", 2),
        ("um 10:30 Uhr", 3),
        ("1.000,50 €", 1),
        ("\u2014 ! ? \u2026 « » - \u2013", 0),  # dashes, ellipsis, quotes
        ("", 0),
        ("Ende.  Anfang", 2),
        ("u\u0308ber", 1),  # decomposed ü
        ("مَرْحَبًا بِكَ", 2),  # Arabic with vowel marks
    ],
)
def test_count_words_counts_unicode_words_once(text, words):
    assert count_words(text) == words


def test_count_words_on_a_german_news_sentence():
    # Die, Straßenbahn-Haltestelle, am, Rathaus, wird, ab, 1, März, für, 3,5, Millionen, Euro,
    # umgebaut
    assert count_words(GERMAN_SENTENCE) == 13


def test_the_table_covers_the_languages_tribune_expects():
    expected = {"en", "de", "fr", "es", "it", "nl", "pl", "pt", "ru", "sv", "fi", "tr"}
    assert expected <= WORDS_PER_MINUTE.keys()
    assert all(100 < speed < 300 for speed in WORDS_PER_MINUTE.values())


def test_the_irest_figures_for_english_and_german():
    assert WORDS_PER_MINUTE["en"] == 228
    assert WORDS_PER_MINUTE["de"] == 179
    assert DEFAULT_WORDS_PER_MINUTE == 184


@pytest.mark.parametrize(
    ("words", "language", "minutes"),
    [
        (900, "en", 4),  # 3.95
        (1000, "en", 4),  # 4.39
        (1100, "en", 5),  # 4.82
        (700, "de", 4),  # 3.91
        (800, "de", 4),  # 4.47
        (2000, "de", 11),  # 11.17
    ],
)
def test_realistic_article_sizes_read_as_expected(words, language, minutes):
    assert reading_minutes(words, language) == minutes


def test_a_german_article_of_realistic_length_is_a_four_minute_read():
    article = " ".join([GERMAN_SENTENCE] * 55)  # 715 words
    assert reading_minutes(count_words(article), "de") == 4


@pytest.mark.parametrize(
    ("words", "language", "minutes"),
    [
        (341, "en", 1),  # 1.496
        (342, "en", 2),  # exactly 1.5 rounds up
        (569, "en", 2),  # 2.496
        (570, "en", 3),  # exactly 2.5 rounds up, unlike round()
        (447, "de", 2),  # 2.497
        (448, "de", 3),  # 2.503
    ],
)
def test_reading_time_rounds_half_minutes_up(words, language, minutes):
    assert reading_minutes(words, language) == minutes


@pytest.mark.parametrize("words", [0, 1, 50, 113])
def test_reading_time_is_never_below_one_minute(words):
    assert reading_minutes(words, "en") == 1


def test_an_unknown_language_reads_at_the_cross_language_mean():
    assert reading_minutes(459, "xx") == 2  # 2.49 at 184 wpm
    assert reading_minutes(460, "xx") == 3  # 2.5
    assert reading_minutes(460, "") == 3


@pytest.mark.parametrize("tag", ["de-AT", "de_CH", "DE", " de ", "de-Latn-DE"])
def test_region_and_script_subtags_are_ignored(tag):
    assert reading_minutes(448, tag) == reading_minutes(448, "de") == 3


def test_a_negative_word_count_is_a_bug_in_the_caller():
    with pytest.raises(ValueError, match="negative"):
        reading_minutes(-1, "en")


def test_count_words_stays_fast_on_adversarial_text():
    assert count_words("a-" * 200_000) == 1
    assert count_words("a" * 500_000 + "!") == 1
