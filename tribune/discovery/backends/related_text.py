"""Words to stems for the related-articles engine: language-aware, without markup.

The headline counts three times and the summary twice, as a reader weighs them. Link
addresses, numbers and common function words are left out; the rest is lowercased and
stemmed with the Snowball stemmer of the article's language ("trains" and "train" are one
term, as are "Verbindungen" and "Verbindung").
"""

import re
from collections import Counter
from functools import cache, lru_cache

import snowballstemmer

_LINK = re.compile(r"\]\([^)]*\)|<[^>]*>|\bhttps?://\S+|\bwww\.\S+")
_WORD = re.compile(r"[^\W\d_]{3,40}")

_SNOWBALL = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "fi": "finnish", "fr": "french", "hu": "hungarian", "it": "italian",
    "nl": "dutch", "no": "norwegian", "nb": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish",
}  # fmt: skip

# Function words that say nothing about a subject (lists of our own, lowercase).
_STOPWORDS = {
    "en": """about above after again against all also among and any are around because been
    before being below between both but can could did does doing down during each even ever
    every few for from further had has have having her here hers herself him himself his how
    however into its itself just last least less more most much must near need never new
    next nor not now off often once one only other our ours out over own per rather said
    same say says she should since some still such than that the their theirs them then
    there these they this those though three through thus too two under until upon very
    via was way ways were what when where whether which while who whom whose why will with
    within without would year years yet you your yours also another many may might made
    make makes like get gets got well back first second""",
    "de": """aber alle allem allen aller alles als also am an ander andere anderem anderen
    anderer anderes auch auf aus bei beim bin bis bisher bist da dabei dadurch dafür dagegen
    daher damit dann darauf darum das dass dein deine dem den denn der deren des deshalb
    dessen die dies diese diesem diesen dieser dieses doch dort drei durch ein eine einem
    einen einer eines einige einmal er erst es etwa euch euer für gegen gibt hab habe haben
    hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im
    immer in ins ist jede jedem jeden jeder jedes jedoch jetzt kann kein keine keinem keinen
    können könnte machen man mehr mein meine mit muss müssen nach nicht nichts noch nun nur
    ob oder ohne schon sehr sein seine seinem seinen seiner seit sich sie sind so soll
    sollen sondern sowie über um und uns unser unter viel viele vom von vor war waren warum
    was weil weiter welche welchem welchen welcher wenn wer werde werden wie wieder will
    wir wird wo wurde wurden zu zum zur zwar zwei zwischen jahr jahre jahren neue neuen
    sagt sagte heute bereits""",
}


@cache
def _stopwords(language: str) -> frozenset[str]:
    return frozenset(_STOPWORDS.get(language, "").split())


@cache
def _stemmer(language: str):
    name = _SNOWBALL.get(language.split("-")[0])
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=200_000)
def _stem(language: str, word: str) -> str:
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer else word


def words(language: str, text: str) -> list[str]:
    """The stems of `text`'s content words, in order."""
    stop = _stopwords(language)
    found = _WORD.findall(_LINK.sub(" ", text).lower())
    return [_stem(language, word) for word in found if word not in stop]


def term_counts(language: str, title: str, summary: str, body: str) -> Counter[str]:
    """How often each stem occurs, the headline counting three times and the summary twice."""
    counts = Counter(words(language, body))
    for word in words(language, summary):
        counts[word] += 2
    for word in words(language, title):
        counts[word] += 3
    return counts
