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

Place names ("in mexico", "approved in europe") are read as the word "abroad": the article
names no country but the US, so a place is not an unknown word, and the keywords decide where
it leads ("approved abroad" to approval, plain "abroad" to the caution about clinics).
Countries and regions come from Babel's English territory names (CLDR), towns from the IANA
zone names.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import unicodedata
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from babel import Locale
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.features.content import FaqEntry

# A confident answer needs MATCH_SCORE and a lead of MARGIN over the runner-up. Otherwise the
# entries scoring at least MIN_SCORE and within CLOSE of the best are offered as choices, when
# there are two or more of them ("pros and cons" is about benefits and risks alike).
MATCH_SCORE = 0.6
MIN_SCORE = 0.3
MARGIN = 0.08
# A long run-on question rarely looks like any one keyword, so its score stays lower; it is
# still a confident answer when it scores LEAD_SCORE and twice the runner-up or more.
LEAD_SCORE = 0.45
LEAD_RATIO = 0.5
CLOSE = 0.2
MAX_CANDIDATES = 3
WORD_WEIGHT = 0.65  # the phrase view gets the rest
# A word owned by this share of the entries or more ("stem", "cells") is the FAQ's subject.
COMMON_SHARE = 0.2
MIN_COMMON_ENTRIES = 8  # a small FAQ has no subject words

EXACT, SUFFIX, TYPO, PREFIX, TYPO2 = 1.0, 0.9, 0.85, 0.75, 0.7
SUFFIXES = ("s", "es", "d", "ed", "ing", "al", "ly")
MIN_STEM = 4  # shortest word part matched as a prefix ("mito") or a stem ("cure" in "cured")
# Phrase similarity (0-100) below this is noise; above it is rescaled to 0-1.
PHRASE_FLOOR = 50
MAX_WORDS = 30  # a pasted paragraph is cut here, keeping match time bounded

# Question phrases whose meaning lives in words that are otherwise filler, or filler words
# that would steer to the wrong topic ("what does MSC mean" is about MSCs, not a definition).
PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bhow much\b"), "cost"),
    (re.compile(r"\bhow long\b"), "duration"),
    (re.compile(r"\bwho (?:can|could|should|is|are|would|may|might)\b"), "candidate"),
    # Asking where to get it is asking about clinics, whose caution is in "risks".
    (
        re.compile(
            r"\bwhere (?:can|could|do|does|should|would|to)(?: \w+)? (?:get|find|go|buy)\b"
        ),
        "clinics",
    ),
    (re.compile(r"\b(?:go|goes|going|gone|went) wrong\b"), "complications"),
    (re.compile(r"\b(?:how many|how often|more than one|several)\b"), "sessions"),
    (re.compile(r"\bfor (?:everyone|everybody|all)\b"), "everyone"),
    (
        re.compile(
            r"\bwhat (?:do|does|can|could|would|will) (?:stem cells?|they|it)(?: \w+)? do\b"
        ),
        "mechanism",
    ),
    # Others' experience is what the article's case reports are.
    (
        re.compile(
            r"\b(?:anyone|anybody|someone|somebody)(?: here)?(?: actually)? (?:tried|had)\b"
        ),
        "testimonials",
    ),
    (
        re.compile(r"\b(?:did|has|have) (?:it|that|this|they) (?:work|worked|help|helped)\b"),
        "success",
    ),
    (re.compile(r"\b(?:does|do|will|would|did|is) (?:it|that|they|the \w+) hurt\b"), "soreness"),
    (re.compile(r"\b(?:all over|everything hurts?)\b"), "everywhere"),
    (re.compile(r"\b(?:stands? for|short for|means?|meaning|abbreviation|acronym)\b"), " "),
)
# Short forms members write, read as the word the FAQ uses ("fm" and "fibro" are fibromyalgia).
ABBREVIATIONS = {
    "fibro": "fibromyalgia",
    "fm": "fibromyalgia",
    "fms": "fibromyalgia",
    "msc": "mesenchymal",
    "mscs": "mesenchymal",
    "hsc": "hematopoietic",
    "hscs": "hematopoietic",
    "iv": "intravenous",
    "cns": "nervous",
    "dx": "diagnosis",
    "sx": "symptoms",
    "tx": "treatment",
}
# Verbs any question may use ("will it help me sleep" is about sleep): like the FAQ's subject
# words, they count only when nothing else is asked ("how does it work").
GENERIC_WORDS = frozenset(
    {
        *("help", "helps", "helped", "helping", "work", "works", "worked", "working"),
        *("try", "tried", "trying"),
    }
)
# Short forms of place names that the territory names do not give.
PLACE_EXTRAS = (
    "uk",
    "usa",
    "eu",
    "uae",
    "the states",
    "england",
    "scotland",
    "wales",
    "holland",
    "turkey",
    "czech republic",
    "burma",
)
# Towns are the cities of the IANA zone names on the five continents, less those that are
# everyday English words or names ("oral", "phoenix", "victoria").
ZONE_AREAS = ("Africa", "America", "Asia", "Australia", "Europe")
NOT_TOWNS = frozenset(
    {
        *("north", "south", "west", "oral", "virgin", "resolute", "phoenix", "regina", "victoria"),
        *("darwin", "currie", "knox in"),
    }
)
PLACE_WORD = "abroad"  # the FAQ's keywords say where a place leads ("approved abroad")
MAX_PLACE_WORDS = 4  # "saint vincent and the grenadines" has more, and is rarely typed

# Filler, including the words of comparing ("vs", "better", "or"): what is compared carries
# the meaning, and "msc vs hsc" is about kinds of stem cells, not about usual treatments.
_STOP_WORDS_TEXT = """
    a about actually all also always am an and any anybody anyone anything are as at bad be
    been being better but by can cant considering could day days did difference do doc docs
    doctor doctors does doing dont dr else even every everything for from get getting go going
    gonna good got gp guys had has have hello here hey hi how i if im in into is isnt it its
    ive just know lately let lets like many me might more morning mornings must my need needs
    night nights no not of ok okay on one or our out own planning please pls plz really said
    say says should so some somebody someone still tell tells than thank thanks that thats the
    their them then there these they thing things thinking this those time to today told u up
    ur us use used using versus very vs want was we were what whats when where which who whom
    why will with wondering would yes yet you your
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
    text = _plain(text)
    for pattern, replacement in PHRASES:
        text = pattern.sub(replacement, text)
    tokens = _places_as_abroad(text.split()[: MAX_WORDS * 2])
    tokens = [part for token in tokens for part in ABBREVIATIONS.get(token, token).split()]
    words = (w for w in tokens if len(w) > 1 and w not in STOP_WORDS)
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _plain(text: str) -> str:
    """Lowercase words without accents, apostrophes or punctuation, one space apart."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_APOSTROPHES)
    return _NON_WORD.sub(" ", text)


@functools.cache
def places() -> frozenset[tuple[str, ...]]:
    """Names of countries, regions and towns, each as a tuple of plain words.

    Returns:
        E.g. ``("mexico",)``, ``("united", "kingdom")``, ``("tijuana",)``: Babel's English
        territory names (CLDR) without its pseudo-regions, the cities of the IANA zone names
        (not those that are English words), and short forms.
    """
    names = [
        name
        for code, name in Locale("en").territories.items()
        if not code.startswith(("X", "Z")) and code != "001"
    ]
    for zone in zoneinfo.available_timezones():
        area, _, city = zone.partition("/")
        town = city.replace("_", " ").lower()
        if area in ZONE_AREAS and "/" not in city and len(town) > 3 and town not in NOT_TOWNS:
            names.append(town)
    found = {tuple(_plain(name).split()) for name in (*names, *PLACE_EXTRAS)}
    return frozenset(words for words in found if 0 < len(words) <= MAX_PLACE_WORDS)


def _places_as_abroad(tokens: list[str]) -> list[str]:
    """The tokens with every place name read as the word ``abroad``, longest names first."""
    known, kept, start = places(), [], 0
    while start < len(tokens):
        for size in range(min(MAX_PLACE_WORDS, len(tokens) - start), 0, -1):
            if tuple(tokens[start : start + size]) in known:
                kept.append(PLACE_WORD)
                start += size
                break
        else:
            kept.append(tokens[start])
            start += 1
    return kept


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
        indexed: list[tuple[int, list[str]]] = []
        for index, entry in enumerate(self.entries):
            for text in (entry.title, entry.question, *entry.keywords):
                if words := normalise(text):
                    indexed.append((index, words))
                    for word in words:
                        owners.setdefault(word, set()).add(index)
        self._words = sorted(owners)
        self._owners = {word: frozenset(found) for word, found in owners.items()}
        count = len(self.entries)
        self._idf = {word: math.log(1 + count / len(found)) for word, found in owners.items()}
        self._common = GENERIC_WORDS | {
            word
            for word, found in owners.items()
            if count >= MIN_COMMON_ENTRIES and len(found) >= COMMON_SHARE * count
        }
        self._phrases = [" ".join(sorted(self._topical(words))) for _, words in indexed]
        self._phrase_owner = [index for index, _ in indexed]

    def _topical(self, words: list[str]) -> list[str]:
        """The words without those most entries share, unless nothing else is left."""
        return [word for word in words if word not in self._common] or words

    def match(self, query: str) -> MatchResult:
        """Find the entry a member's question is about.

        Args:
            query: The words typed after /faq, as typed.

        Returns:
            A confident match, two or three close candidates, or nothing.
        """
        pairs = [(word, self._lookup(word)) for word in normalise(query)]
        # "stem cell clinics" is about clinics: the words most entries share ("stem", "cells")
        # say what the whole FAQ is about, so they count only when nothing else is asked.
        pairs = [(w, found) for w, found in pairs if not self._is_common(w, found)] or pairs
        known = [found for _, found in pairs if found]
        if not known or len(known) * 2 <= len(pairs):
            return MatchResult(None)
        scores = self._scores(known, " ".join(sorted(word for word, _ in pairs)))
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
        top = scores[ranked[0]]
        second = scores[ranked[1]] if len(ranked) > 1 else 0.0
        if (top >= MATCH_SCORE and second <= top - MARGIN) or (
            top >= LEAD_SCORE and second <= top * LEAD_RATIO
        ):
            return MatchResult(self.entries[ranked[0]])
        close = [i for i in ranked if scores[i] >= max(MIN_SCORE, top - CLOSE)]
        if len(close) >= 2:
            return MatchResult(None, tuple(self.entries[i] for i in close[:MAX_CANDIDATES]))
        return MatchResult(None)

    def _is_common(self, typed: str, found: dict[str, float]) -> bool:
        """True when a typed word is, or most likely stands for, a word most entries share."""
        if typed in self._common:  # "tried" is not a typo of "tired"
            return True
        return bool(found) and max(found, key=found.__getitem__) in self._common

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
