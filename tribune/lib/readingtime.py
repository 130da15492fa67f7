"""Word counts and "n min read" estimates for article bodies.

Source of every speed below: S. Trauzettel-Klosinski, K. Dietz and the IReST Study Group,
"Standardized Assessment of Reading Performance: The New International Reading Speed Texts
IReST", Investigative Ophthalmology & Visual Science 2012, 53(9):5452-5461,
doi:10.1167/iovs.11-8284. Mean words per minute of 25 normally sighted native speakers aged
18-35 per language, reading equivalent sixth-grade texts.

Caveat: IReST timed reading ALOUD (the abstract says so). Silent reading is faster (Brysbaert,
J. Mem. Lang. 2019, puts English at 238 wpm silent against 183 aloud), so these estimates
err on the long side. We use IReST anyway because it is the one study that measured all of
these languages with the same texts, which keeps the languages comparable to each other.

How each figure was checked (the paper's own table could not be read):
- The abstract, read in the journal's page and on PubMed, gives the 17-language mean,
  184 ± 29 words/min; the 17 per-language figures (these 15, Chinese 158, Japanese 193)
  average 183.7, which agrees.
- [V] seen in irisreading.com's reproduction of the paper's per-language table.
- [C] that reproduction was cut off before these rows; the figure is the one given by two
  unrelated public code repositories that copy the same table (and agree with it on every
  [V] row). Not checked against the paper itself.
Chinese (158) and Japanese (193) are left out on purpose: IReST counted their words with a
segmentation that count_words below does not do (it finds no spaces to split on).
"""

import re
import unicodedata

WORDS_PER_MINUTE: dict[str, int] = {
    "ar": 138,  # Arabic, IReST 138 ± 20 [V]
    "de": 179,  # German, IReST 179 ± 17 [V]
    "en": 228,  # English, IReST 228 ± 30 [V]
    "es": 218,  # Spanish, IReST 218 [V] (seen in the page's text; its table row was cut off)
    "fi": 161,  # Finnish, IReST 161 ± 18 [V]
    "fr": 195,  # French, IReST 195 ± 26 [V]
    "he": 187,  # Hebrew, IReST 187 ± 29 [V]
    "it": 188,  # Italian, IReST 188 ± 28 [V]
    "nl": 202,  # Dutch, IReST 202 ± 29 [V]
    "pl": 166,  # Polish, IReST 166 ± 23 [V]
    "pt": 181,  # Portuguese (Brazilian texts), IReST 181 [C]
    "ru": 184,  # Russian, IReST 184 [C]
    "sl": 180,  # Slovenian, IReST 180 [C]
    "sv": 199,  # Swedish, IReST 199 [C]
    "tr": 166,  # Turkish, IReST 166 [C]
}

# Unknown languages: the IReST mean over all 17 languages, 184 ± 29 words/min (abstract).
DEFAULT_WORDS_PER_MINUTE = 184

# A word is a run of letters or digits, joined across one hyphen, apostrophe, or . , : inside
# it, so "Straßenbahn-Haltestelle", "don't", "3,5" and "10:30" each count once. Every
# repetition must start with a joiner, which a letter cannot be, so matching stays linear.
_WORD = re.compile(r"[^\W_]+(?:[-\u2010\u2011'\u2019.,:][^\W_]+)*")


def count_words(text: str) -> int:
    """The number of words in plain text; punctuation and symbols alone are not words.

    Combining marks are dropped first so that vowel signs (Arabic harakat, Hebrew niqqud,
    decomposed umlauts) do not split a word. Scripts written without spaces (Chinese,
    Japanese, Thai) count one word per unbroken run, far too few.
    """
    letters = "".join(char for char in text if not unicodedata.category(char).startswith("M"))
    return len(_WORD.findall(letters))


def reading_minutes(word_count: int, language: str) -> int:
    """Minutes to read ``word_count`` words in ``language``, at least 1.

    The language is a BCP 47 tag; only its primary subtag counts ("de-AT" and "de_CH" read as
    "de"), and an unknown one reads at DEFAULT_WORDS_PER_MINUTE. The result is rounded to the
    nearest minute with halves rounded up (2.5 -> 3; Python's round() would give 2), so
    "4 min read" means 3.5 to just under 4.5 minutes.
    """
    if word_count < 0:
        raise ValueError(f"word_count must not be negative; got {word_count}")
    primary = language.strip().replace("_", "-").split("-")[0].lower()
    speed = WORDS_PER_MINUTE.get(primary, DEFAULT_WORDS_PER_MINUTE)
    # floor(words / speed + 1/2) in integers, so no float lands just below a half.
    return max(1, (2 * word_count + speed) // (2 * speed))
