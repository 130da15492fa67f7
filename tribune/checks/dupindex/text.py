"""From text to what the near-duplicate index compares: words, shingles, MinHash signatures
and LSH band keys.

Words are found in the raw text (so that every word keeps its exact character offsets in
the field it came from, for the passages of a finding) and normalised one by one: Unicode
NFKC (full-width letters, ligatures), case folded, accents stripped. Punctuation and
whitespace are never part of a word, so splitting or merging sentences and re-wrapping
lines change nothing. Why these choices, and the shingle size and LSH parameters, were
measured: see docs/checks-duplicates.md.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from tribune.checks.text import mask_urls

# Words per shingle, measured on the benchmark corpus (docs/checks-duplicates.md): with a
# fifth of the words replaced, copies keep a Jaccard similarity of 0.75 on single words,
# 0.46 on 2-word, 0.32 on 3-word and 0.18 on 5-word shingles, while unrelated articles on
# the same topic share 0.42, 0.06, 0.001 and 0.0. Three words separate best.
SHINGLE = 3
NUM_PERM = 128
# LSH: BANDS bands of ROWS hash values each (BANDS * ROWS <= NUM_PERM). With 64 x 2 a pair
# at Jaccard 0.25 becomes a candidate with probability 0.984, at 0.3 with 0.998, at 0.01
# (unrelated texts) with 0.006. Every candidate is verified exactly, so recall matters
# more than a few extra candidates.
BANDS = 64
ROWS = 2
# The signature's scheme is stored with the index: changing any of these needs
# `tribune rebuild_duplicate_index`.
SCHEME = "affine32"
SEED = 1
VERSION = f"{SHINGLE}w-{NUM_PERM}p-{BANDS}x{ROWS}-{SCHEME}-s{SEED}"

# A body of 1 MB is about 170,000 words: shingles beyond this many distinct ones are
# sampled (by hash value, so the same for every text), which keeps the signature cost flat.
MAX_SHINGLES = 50_000
_BATCH = 8192

_WORD = re.compile(r"\w+")

FIELD_ORDER = ("title", "summary", "body")


class Word(NamedTuple):
    """A normalised word and where it stands in its field of the raw text."""

    norm: str
    field: str
    start: int
    end: int


_UMLAUT_SPELLINGS = re.compile(r"([aou])e")


@lru_cache(maxsize=200_000)
def normalise_word(raw: str) -> str:
    """One spelling per word: NFKC, case folded, accents stripped, and the German "ae",
    "oe", "ue" written for ä, ö, ü folded too, so that "Müller", "Mueller" and "Muller" are
    one word. Measured on German copies whose umlauts were rewritten: without the folding
    their 3-word Jaccard similarity falls from 0.33 to 0.22; collisions it causes ("does"
    and "dos") do not matter in 3-word shingles (unrelated texts: unchanged)."""
    folded = unicodedata.normalize("NFKC", raw).casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _UMLAUT_SPELLINGS.sub(r"\1", folded) if "e" in folded else folded


def words(text: str, field: str = "body") -> list[Word]:
    """The words of `text` in order, links left out (a link is not prose anyone wrote)."""
    if not text:
        return []
    if "://" in text or "www." in text:
        text = mask_urls(text)  # blanked with spaces: every offset stays true
    spans = [match.span() for match in _WORD.finditer(text)]
    norms = map(normalise_word, _WORD.findall(text))
    return [
        Word(norm, field, start, end)
        for norm, (start, end) in zip(norms, spans, strict=True)
        if norm.strip("_")
    ]


def document_words(fields: Iterable[tuple[str, str]]) -> list[Word]:
    """The words of several fields (title, summary, body) as one sequence."""
    out: list[Word] = []
    for name, text in fields:
        out += words(text or "", name)
    return out


def document_norms(fields: Iterable[str]) -> list[str]:
    """Only the normalised words of several texts, without offsets: what indexing needs,
    several times faster than `document_words`."""
    out: list[str] = []
    for text in fields:
        if not text:
            continue
        if "://" in text or "www." in text:
            text = mask_urls(text)
        out += [n for n in map(normalise_word, _WORD.findall(text)) if n.strip("_")]
    return out


@lru_cache(maxsize=200_000)
def _word_hash(norm: str) -> int:
    return zlib.crc32(norm.encode("utf-8", "surrogatepass"))


_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1], dtype=np.uint64)


def word_hashes(norms: list[str]) -> np.ndarray:
    """A 32-bit hash of each normalised word, in order (uint64, for the arithmetic)."""
    return np.fromiter((_word_hash(n) for n in norms), dtype=np.uint64, count=len(norms))


def sequence_hashes(hashes: np.ndarray, size: int) -> np.ndarray:
    """A 64-bit hash of every run of `size` words, in order: position i hashes words i to
    i + size - 1 (order matters: "a b" is not "b a"). Empty when there are fewer words."""
    count = len(hashes) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64)
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(size):
        # Wrapping uint64 arithmetic.
        combined = combined * np.uint64(31) + hashes[offset : offset + count] * _MIX[offset]
    return combined ^ (combined >> np.uint64(29))


def distinct_shingles(sequence: np.ndarray) -> np.ndarray:
    """The distinct 32-bit shingle hashes among sequence hashes (at most MAX_SHINGLES)."""
    unique = np.unique(sequence & np.uint64(0xFFFFFFFF))
    # np.unique sorts: the smallest hashes are the same sample for any text holding them.
    return unique[:MAX_SHINGLES]


def shingle_hashes(norms: list[str], size: int = SHINGLE) -> np.ndarray:
    """The distinct 32-bit hashes of the `size`-word shingles of a word sequence (a text
    shorter than `size` words has its whole text as the one shingle)."""
    if not norms:
        return np.empty(0, dtype=np.uint64)
    return distinct_shingles(sequence_hashes(word_hashes(norms), min(size, len(norms))))


@lru_cache(maxsize=1)
def _permutations() -> tuple:
    # datasketch brings scipy along: half a second that every process (a web worker, each
    # command) would pay at start-up, imported here when a signature is first needed.
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def signature(shingles: np.ndarray) -> np.ndarray:
    """The MinHash signature (NUM_PERM uint32 values) of a set of shingle hashes."""
    from datasketch import MinHash

    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        scheme=SCHEME,
        hashfunc=int,
        permutations=_permutations(),
    )
    values = shingles.tolist()
    for start in range(0, len(values), _BATCH):
        minhash.update_batch(values[start : start + _BATCH])
    return minhash.hashvalues.astype(np.uint32)


# A random 64-bit salt per band (fixed: keys are stored), so that equal values in two
# different bands are two different buckets.
_BAND_SALTS = np.random.default_rng(20261126).integers(0, 2**63, size=BANDS, dtype=np.uint64)


def band_keys(sig: np.ndarray, language: str) -> list[int]:
    """The LSH bucket of each band, as signed 64-bit integers (they fit a BIGINT column).
    The language is part of the key: only texts in the same language are compared."""
    salt = np.uint64(int.from_bytes(hashlib.blake2b(language.encode(), digest_size=8).digest()))
    raw = sig.astype(np.uint64)
    if ROWS == 2:
        # Two 32-bit values are one 64-bit key as they are: no hashing needed.
        keys = (raw[0 : 2 * BANDS : 2] << np.uint64(32)) | raw[1 : 2 * BANDS : 2]
    else:
        keys = np.array(
            [
                int.from_bytes(
                    hashlib.blake2b(
                        raw[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8
                    ).digest()
                )
                for band in range(BANDS)
            ],
            dtype=np.uint64,
        )
    return (keys ^ _BAND_SALTS ^ salt).view(np.int64).tolist()


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def shared_shingles(jaccard_estimate: float, size_a: int, size_b: int) -> float:
    """How many shingles two sets of these sizes share, given their Jaccard similarity."""
    return jaccard_estimate * (size_a + size_b) / (1 + jaccard_estimate)
