"""Match what a member types after /faq to an FAQ entry, forgiving typos.

The score of an entry mixes two views of the question:

* words: each meaningful word typed is looked up, typo-tolerantly, among the entry's words
  (its keywords, title and question). Words many entries share ("stem", "cells") weigh
  little; words only one entry has ("fda", "mitochondria") weigh a lot.
* phrase: the typed words as a whole against each keyword, title and question
  (rapidfuzz's ratio over sorted words), so "what is fibromyalgia" finds the entry whose
  question it is, not every entry that mentions fibromyalgia.

Words the FAQ does not know at all ("pizza", "bitcoin") are counted too: when they are half
the query or more, nothing matches, so off-topic messages never get a confident answer.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.features.content import FaqEntry

# A confident answer needs MATCH_SCORE and a lead of MARGIN over the runner-up. Otherwise the
# entries scoring at least MIN_SCORE and within CLOSE of the best are offered as choices, when
# there are two or more of them ("pros and cons" is about benefits and risks alike).
MATCH_SCORE = 0.6
MIN_SCORE = 0.3
MARGIN = 0.08
CLOSE = 0.2
MAX_CANDIDATES = 3
WORD_WEIGHT = 0.65  # the phrase view gets the rest

EXACT, SUFFIX, TYPO, PREFIX, TYPO2 = 1.0, 0.9, 0.85, 0.75, 0.7
SUFFIXES = ("s", "es", "d", "ed", "ing", "al", "ly")
MIN_STEM = 4  # shortest word part matched as a prefix ("mito") or a stem ("cure" in "cured")
# Phrase similarity (0-100) below this is noise; above it is rescaled to 0-1.
PHRASE_FLOOR = 50
MAX_WORDS = 30  # a pasted paragraph is cut here, keeping match time bounded

# Question phrases whose meaning lives in words that are otherwise filler.
PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bhow much\b"), "cost"),
    (re.compile(r"\bhow long\b"), "duration"),
    (re.compile(r"\bwho (?:can|could|should|is|are|would|may|might)\b"), "candidate"),
)

_STOP_WORDS_TEXT = """
    a about actually all also always am an and any anyone are as at be been being but by can could
    did do does doing dont for from get getting go going gonna got good had has have hello
    hey hi how i if im in into is isnt it its ive just know let lets many me might more
    must my no not of ok okay on or our please pls plz really say should so some someone
    still tell than thank thanks that thats the their them then there these they thing things
    this those time to u up ur us want was we were what whats when where which who whom why
    will with would yes yet you your
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

_APOSTROPHES = str.maketrans("", "", "'’`´")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> list[str]:
    """Lowercase, strip accents and punctuation, and keep the meaningful words, in order.

    Args:
        text: What the member typed, or a keyword, title or question.

    Returns:
        The distinct meaningful words, e.g. ``["cost"]`` for "How much does it cost?".
    """
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_APOSTROPHES)
    text = _NON_WORD.sub(" ", text)
    for pattern, replacement in PHRASES:
        text = pattern.sub(replacement, text)
    words = (w for w in text.split() if len(w) > 1 and w not in STOP_WORDS)
    return list(dict.fromkeys(words))[:MAX_WORDS]


def max_typos(word: str) -> int:
    """How many typos a typed word may have: none when short, two when long."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def word_similarity(typed: str, known: str, distance: int) -> float:
    """Similarity of a typed word to a known word at a given edit distance (0 when unrelated).

    Four-letter words only forgive a swapped or a missing letter, so "food" is not "mood".
    """
    if distance == 0:
        return EXACT
    if distance == 1 and (len(typed) >= 5 or len(known) > len(typed) or _swapped(typed, known)):
        return TYPO
    return TYPO2 if distance == 2 and len(typed) >= 8 else 0.0


def _swapped(typed: str, known: str) -> bool:
    return sorted(typed) == sorted(known)


@dataclass(frozen=True)
class MatchResult:
    """The outcome of matching one query.

    Attributes:
        best: The one confident answer, or None.
        candidates: Two or three close topics to offer as buttons when ``best`` is None.
    """

    best: FaqEntry | None
    candidates: tuple[FaqEntry, ...] = ()

    @property
    def status(self) -> Literal["match", "ambiguous", "none"]:
        """``match`` with a best entry, ``ambiguous`` with candidates, else ``none``."""
        if self.best is not None:
            return "match"
        return "ambiguous" if self.candidates else "none"


class FaqMatcher:
    """Fuzzy search over FAQ entries; all indexing is done once, in the constructor."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        """Index the entries' keywords, titles and questions.

        Args:
            entries: The FAQ entries, in menu order (ties go to the earlier entry).
        """
        self.entries = tuple(entries)
        owners: dict[str, set[int]] = {}
        self._phrases: list[str] = []
        self._phrase_owner: list[int] = []
        for index, entry in enumerate(self.entries):
            for text in (entry.title, entry.question, *entry.keywords):
                words = normalise(text)
                if not words:
                    continue
                for word in words:
                    owners.setdefault(word, set()).add(index)
                self._phrases.append(" ".join(sorted(words)))
                self._phrase_owner.append(index)
        self._words = sorted(owners)
        self._owners = {word: frozenset(found) for word, found in owners.items()}
        count = len(self.entries)
        self._idf = {word: math.log(1 + count / len(found)) for word, found in owners.items()}

    def match(self, query: str) -> MatchResult:
        """Find the entry a member's question is about.

        Args:
            query: The words typed after /faq, as typed.

        Returns:
            A confident match, two or three close candidates, or nothing.
        """
        words = normalise(query)
        looked_up = [self._lookup(word) for word in words]
        known = [found for found in looked_up if found]
        if not known or len(known) * 2 <= len(words):
            return MatchResult(None)
        scores = self._scores(known, " ".join(sorted(words)))
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
        top = scores[ranked[0]]
        if top >= MATCH_SCORE and (len(ranked) == 1 or scores[ranked[1]] <= top - MARGIN):
            return MatchResult(self.entries[ranked[0]])
        close = [i for i in ranked if scores[i] >= max(MIN_SCORE, top - CLOSE)]
        if len(close) >= 2:
            return MatchResult(None, tuple(self.entries[i] for i in close[:MAX_CANDIDATES]))
        return MatchResult(None)

    def _lookup(self, typed: str) -> dict[str, float]:
        """Known words a typed word may stand for, with their similarity."""
        found: dict[str, float] = {}
        for known, distance, _ in process.extract(
            typed, self._words, scorer=OSA.distance, score_cutoff=max_typos(typed), limit=None
        ):
            if (similarity := word_similarity(typed, known, distance)) > 0:
                found[known] = similarity
        for suffix in SUFFIXES:  # "cured" is "cure", "costs" is "cost"
            stem = typed.removesuffix(suffix)
            if stem != typed and len(stem) >= MIN_STEM and stem in self._owners:
                found[stem] = max(found.get(stem, 0.0), SUFFIX)
        if len(typed) >= MIN_STEM:  # "mito" is "mitochondria", "insur" is "insurance"
            for known in self._starting_with(typed):
                found[known] = max(found.get(known, 0.0), PREFIX)
        return found

    def _starting_with(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self._words, prefix)
        end = bisect.bisect_left(self._words, prefix + "\uffff", lo=start)
        return self._words[start:end]

    def _scores(self, known: list[dict[str, float]], phrase: str) -> list[float]:
        """Score every entry: weighted word matches blended with the best phrase match."""
        word_scores = [0.0] * len(self.entries)
        total_weight = 0.0
        for found in known:
            weight = max(self._idf[word] * similarity for word, similarity in found.items())
            total_weight += weight
            best_per_entry: dict[int, float] = {}
            for word, similarity in found.items():
                for index in self._owners[word]:
                    best_per_entry[index] = max(best_per_entry.get(index, 0.0), similarity)
            for index, similarity in best_per_entry.items():
                word_scores[index] += weight * similarity
        phrase_scores = [0.0] * len(self.entries)
        for _, score, position in process.extract(
            phrase, self._phrases, scorer=fuzz.ratio, score_cutoff=PHRASE_FLOOR, limit=None
        ):
            owner = self._phrase_owner[position]
            phrase_scores[owner] = max(
                phrase_scores[owner], (score - PHRASE_FLOOR) / (100 - PHRASE_FLOOR)
            )
        return [
            WORD_WEIGHT * word / total_weight + (1 - WORD_WEIGHT) * phrase_
            for word, phrase_ in zip(word_scores, phrase_scores, strict=True)
        ]
