"""Exact verification of a candidate and the passages it shares with the submission.

MinHash only says two texts are probably alike. Before anything is reported, the words of
both texts are compared exactly: every ANCHOR-word sequence of the candidate is looked up
in the submission, and anchors that follow each other on (nearly) the same diagonal are
chained into passages. Gaps of up to GAP words are bridged, so that a copy with every
fifth word replaced still reads as one passage instead of crumbs; passages shorter than
MIN_PASSAGE words are dropped, so that stock phrases two honest articles share do not count.

The cost grows with the candidate's length (a lookup per anchor of the candidate), not with
the submission's: a 1 MB submission is indexed once and then compared cheaply with each of
the few candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tribune.checks.dupindex import text
from tribune.checks.dupindex.text import Word

ANCHOR = 3  # words per exact anchor
GAP = 6  # words between two anchors that may differ (replaced, inserted or dropped)
SHIFT = 3  # how far the two texts may drift apart within one passage (inserted words)
MIN_PASSAGE = 10  # words of the submission a passage must span
MIN_WHOLE_FIELD = 4  # ... unless it is a whole field (a copied headline), of this many words
MAX_POSITIONS = 6  # places one anchor is looked up in (repetitive text stays linear)


@dataclass
class Run:
    sub_first: int
    sub_last: int  # index of the last anchor's first word
    orig_first: int
    orig_last: int
    anchors: int = 1


@dataclass(frozen=True)
class Pair:
    """A passage of the submission (word indexes, inclusive) and its counterpart."""

    sub_start: int
    sub_end: int
    orig_start: int
    orig_end: int


@dataclass(frozen=True)
class Alignment:
    pairs: list[Pair]
    submitted_share: float  # share of the submission's words inside passages
    original_share: float  # share of the candidate's words inside passages
    copied_words: int  # words of the submission inside passages

    @property
    def overlap(self) -> float:
        """The larger share: a copy padded with boilerplate still counts by the original's."""
        return max(self.submitted_share, self.original_share)


class SubmissionAnchors:
    """The submission's anchors, looked up once per check run."""

    def __init__(self, words: Sequence[Word], sequence: np.ndarray | None = None) -> None:
        self.words = words
        if sequence is None:
            sequence = text.sequence_hashes(text.word_hashes([w.norm for w in words]), ANCHOR)
        # Sorted once; each candidate's anchors are then found by binary search (numpy),
        # so a 1 MB submission costs a sort, not a Python dictionary of 170,000 entries.
        self.order = np.argsort(sequence, kind="stable")
        self.sorted = sequence[self.order]
        # Where each field's words start and end, to recognise a field copied whole.
        fields = [w.field for w in words]
        self.field_spans = {
            name: (fields.index(name), len(fields) - 1 - fields[::-1].index(name))
            for name in set(fields)
        }

    def align(self, original: Sequence[Word]) -> Alignment:
        matches = self._matches(original)
        runs = _chain(matches)
        pairs = []
        for run in runs:
            sub_end = run.sub_last + ANCHOR - 1
            orig_end = run.orig_last + ANCHOR - 1
            pieces = _split_by_field(self.words, original, run, sub_end, orig_end)
            if sub_end - run.sub_first + 1 >= MIN_PASSAGE:
                pairs += pieces
            else:
                pairs += [p for p in pieces if self._whole_field(p)]
        covered_sub = _covered([(p.sub_start, p.sub_end) for p in pairs])
        covered_orig = _covered([(p.orig_start, p.orig_end) for p in pairs])
        return Alignment(
            pairs=sorted(pairs, key=lambda p: p.sub_start),
            submitted_share=covered_sub / len(self.words) if self.words else 0.0,
            original_share=covered_orig / len(original) if original else 0.0,
            copied_words=covered_sub,
        )

    def _whole_field(self, pair: Pair) -> bool:
        span = self.field_spans[self.words[pair.sub_start].field]
        return span == (pair.sub_start, pair.sub_end) and span[1] - span[0] + 1 >= MIN_WHOLE_FIELD

    def _matches(self, original: Sequence[Word]) -> list[tuple[int, int]]:
        anchors = text.sequence_hashes(text.word_hashes([w.norm for w in original]), ANCHOR)
        if not len(anchors) or not len(self.sorted):
            return []
        left = np.searchsorted(self.sorted, anchors, side="left")
        right = np.minimum(
            np.searchsorted(self.sorted, anchors, side="right"), left + MAX_POSITIONS
        )
        found = [
            (i, j)
            for j in np.nonzero(right > left)[0].tolist()
            for i in self.order[left[j] : right[j]].tolist()
        ]
        found.sort()
        return found


def _chain(matches: list[tuple[int, int]]) -> list[Run]:
    """Greedy chaining of anchor matches (sorted by submission position) into runs."""
    open_runs: list[Run] = []
    done: list[Run] = []
    for i, j in matches:
        still_open = []
        for run in open_runs:
            (still_open if i - run.sub_last <= GAP + ANCHOR else done).append(run)
        open_runs = still_open
        best, best_drift = None, SHIFT + 1
        for run in open_runs:
            step_sub, step_orig = i - run.sub_last, j - run.orig_last
            if step_sub <= 0 or step_orig <= 0:
                continue
            drift = abs(step_orig - step_sub)
            if step_orig <= GAP + ANCHOR + SHIFT and drift < best_drift:
                best, best_drift = run, drift
        if best is None:
            open_runs.append(Run(i, i, j, j))
        else:
            best.sub_last, best.orig_last, best.anchors = i, j, best.anchors + 1
    return done + open_runs


def _split_by_field(
    sub: Sequence[Word], orig: Sequence[Word], run: Run, sub_end: int, orig_end: int
) -> list[Pair]:
    """A passage never crosses from one field into another (title into summary, say):
    each piece points into one field on each side."""
    pairs = []
    start = run.sub_first
    orig_start = run.orig_first
    for i in range(run.sub_first, sub_end + 1):
        if i == sub_end or sub[i + 1].field != sub[i].field:
            # The counterpart is cut at the same proportion of the run.
            share = (i + 1 - run.sub_first) / (sub_end + 1 - run.sub_first)
            orig_stop = min(orig_end, run.orig_first + round(share * (orig_end - run.orig_first)))
            if orig_stop >= orig_start:
                pairs.append(Pair(start, i, orig_start, orig_stop))
            start, orig_start = i + 1, orig_stop + 1
    return pairs


def _covered(spans: list[tuple[int, int]]) -> int:
    """Words inside the union of inclusive spans."""
    total, reach = 0, -1
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach + 1) + 1
            reach = end
    return total
