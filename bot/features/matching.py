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

Each language has its own matcher (its stop words, question phrases, short forms and word
endings) over that language's entries; ``CatalogMatcher`` asks the member's language first,
then the others, so a clear question in another language still finds its answer.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import math
import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from babel import Locale
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.features.content import FaqEntry
from bot.features.text import without_accents

if TYPE_CHECKING:
    from bot.features.languages import Catalog

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

# Spanish and Portuguese, written without accents (they are stripped before this filter).
_STOP_WORDS_ES = """
    a al algo alguien algun alguna alguno ante antes aqui asi bien buen buena buenas buenos
    cada como con cual cuales cuando de del desde donde el ella ellas ellos en entonces entre
    era eres es esa esas ese eso esos esta estan estas este esto estos estoy favor fue gracias
    ha hay hola la las le les lo los me mi mis mucho muy nada ni no nos o oye para pero por
    porfa porque pregunta puede puedo que quiero quien saber se sea ser si sin sobre son soy su
    sus tambien te tengo tiene tu tus un una uno unos usted y ya yo dime decir dice dicen
    hacer hacerse hacerme
"""
_STOP_WORDS_PT = """
    a ao aos aquela aquele as ate com como da das de dela dele do dos e ela ele eles em entao
    entre era essa esse esta estao estas este estou eu favor foi ha isso ja la mais mas me meu
    minha muito na nao nas no nos o oi ola obrigada obrigado os ou para pela pelo por porque
    pode posso pra qual quando que quem quero saber se sem ser seu sua so sou tambem te tem
    tenho tu um uma umas uns voce voces vc dizer diga diz dizem fazer
"""


@dataclass(frozen=True)
class Language:
    """What matching needs to know of a language's words."""

    stop_words: frozenset[str]
    phrases: tuple[tuple[re.Pattern[str], str], ...] = ()
    suffixes: tuple[str, ...] = ("s", "es")
    abbreviations: Mapping[str, str] = dataclasses.field(default_factory=dict)
    generic_words: frozenset[str] = frozenset()
    # The word a place name is read as ("abroad"), which the FAQ's keywords then place.
    place_word: str | None = None


LANGUAGES: dict[str, Language] = {
    "en": Language(STOP_WORDS, PHRASES, SUFFIXES, ABBREVIATIONS, GENERIC_WORDS, PLACE_WORD),
    "es": Language(
        frozenset(_STOP_WORDS_ES.split()),
        (
            (re.compile(r"\bcuanto (?:cuesta|vale|sale|cobran|es)\b"), "costo"),
            (re.compile(r"\bcuanto (?:tiempo|duran?)\b"), "duracion"),
            (re.compile(r"\bquien(?:es)? (?:puede|pueden|podria|podrian|deberia)\b"), "candidato"),
        ),
        ("s", "es", "mente"),
        {"fibro": "fibromialgia", "fm": "fibromialgia", "iv": "intravenosa"},
        place_word="extranjero",
    ),
    "pt": Language(
        frozenset(_STOP_WORDS_PT.split()),
        (
            (re.compile(r"\bquanto (?:custa|sai|cobram|e)\b"), "custo"),
            (re.compile(r"\bquanto tempo\b"), "duracao"),
            (re.compile(r"\bquem (?:pode|podem|poderia|deveria)\b"), "candidato"),
        ),
        ("s", "es", "mente"),
        {"fibro": "fibromialgia", "fm": "fibromialgia", "iv": "intravenosa"},
        place_word="exterior",
    ),
}

NO_LANGUAGE = Language(frozenset())

_APOSTROPHES = str.maketrans("", "", "'’`´")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str, language: str = "en") -> list[str]:
    """Lowercase, strip accents and punctuation, and keep the meaningful words, in order.

    Args:
        text: What the member typed, or a keyword, title or question.
        language: Whose stop words, question phrases and short forms apply (``en``, ``es``...).

    Returns:
        The distinct meaningful words, e.g. ``["cost"]`` for "How much does it cost?".
    """
    words_of = LANGUAGES.get(language, NO_LANGUAGE)
    text = _plain(text)
    for pattern, replacement in words_of.phrases:
        text = pattern.sub(replacement, text)
    tokens = text.split()[: MAX_WORDS * 2]
    if words_of.place_word is not None:
        tokens = _places_as_abroad(tokens, language, words_of.place_word)
    short = words_of.abbreviations
    tokens = [part for token in tokens for part in short.get(token, token).split()]
    words = (w for w in tokens if len(w) > 1 and w not in words_of.stop_words)
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _plain(text: str) -> str:
    """Lowercase words without accents, apostrophes or punctuation, one space apart."""
    text = without_accents(text.lower()).translate(_APOSTROPHES)
    return _NON_WORD.sub(" ", text)


@functools.cache
def places(language: str = "en") -> frozenset[tuple[str, ...]]:
    """Names of countries, regions and towns, each as a tuple of plain words.

    Args:
        language: Whose territory names: ``es`` gives "espana", ``pt`` "espanha".

    Returns:
        E.g. ``("mexico",)``, ``("united", "kingdom")``, ``("tijuana",)``: Babel's territory
        names (CLDR) in that language without its pseudo-regions, the cities of the IANA zone
        names (not those that are English words), and English short forms.
    """
    names = [
        name
        for code, name in Locale(language).territories.items()
        if not code.startswith(("X", "Z")) and code != "001"
    ]
    for zone in zoneinfo.available_timezones():
        area, _, city = zone.partition("/")
        town = city.replace("_", " ").lower()
        if area in ZONE_AREAS and "/" not in city and len(town) > 3 and town not in NOT_TOWNS:
            names.append(town)
    extras = PLACE_EXTRAS if language == "en" else ()  # "eu" is "I" in Portuguese
    found = {tuple(_plain(name).split()) for name in (*names, *extras)}
    stop_words = LANGUAGES.get(language, NO_LANGUAGE).stop_words
    return frozenset(
        words
        for words in found
        if 0 < len(words) <= MAX_PLACE_WORDS and not (len(words) == 1 and words[0] in stop_words)
    )


def _places_as_abroad(
    tokens: list[str], language: str = "en", word: str = PLACE_WORD
) -> list[str]:
    """The tokens with every place name read as the word ``abroad``, longest names first."""
    known, kept, start = places(language), [], 0
    while start < len(tokens):
        for size in range(min(MAX_PLACE_WORDS, len(tokens) - start), 0, -1):
            if tuple(tokens[start : start + size]) in known:
                kept.append(word)
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

    def __init__(self, entries: Sequence[FaqEntry], language: str = "en") -> None:
        """Index the entries' keywords, titles and questions.

        Args:
            entries: The FAQ entries, in menu order (ties go to the earlier entry).
            language: The entries' language: its stop words, phrases and word endings.
        """
        self.entries = tuple(entries)
        self.language = language
        words_of = LANGUAGES.get(language, NO_LANGUAGE)
        self._suffixes = words_of.suffixes
        owners: dict[str, set[int]] = {}
        indexed: list[tuple[int, list[str]]] = []
        for index, entry in enumerate(self.entries):
            for text in (entry.title, entry.question, *entry.keywords):
                if words := normalise(text, language):
                    indexed.append((index, words))
                    for word in words:
                        owners.setdefault(word, set()).add(index)
        self._words = sorted(owners)
        self._owners = {word: frozenset(found) for word, found in owners.items()}
        count = len(self.entries)
        self._idf = {word: math.log(1 + count / len(found)) for word, found in owners.items()}
        self._common = words_of.generic_words | {
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
        pairs = [(word, self._lookup(word)) for word in normalise(query, self.language)]
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
        for suffix in self._suffixes:  # "cured" is "cure", "costs" is "cost"
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


class CatalogMatcher:
    """Matching in every language: the member's first, then the others, answers by id."""

    def __init__(self, matchers: Mapping[str, FaqMatcher]) -> None:
        """Keep one matcher per language.

        Args:
            matchers: By language code, each over that language's entries (same ids).
        """
        self.matchers = dict(matchers)
        self._by_id = {
            code: {entry.id: entry for entry in matcher.entries}
            for code, matcher in self.matchers.items()
        }

    def match(self, query: str, language: str = "en") -> MatchResult:
        """Find the entry a question is about, in any language; entries come in ``language``.

        The member's own language wins, then a confident match in another language, then
        the member's language's close choices, then any other's.
        """
        own = language if language in self.matchers else next(iter(self.matchers))
        results = {own: self.matchers[own].match(query)}
        if results[own].status == "match":
            return results[own]
        for code, matcher in self.matchers.items():
            if code != own:
                results[code] = matcher.match(query)
                if results[code].status == "match":
                    return self._in(language, results[code])
        for result in results.values():
            if result.status == "ambiguous":
                return self._in(language, result)
        return MatchResult(None)

    def _in(self, language: str, result: MatchResult) -> MatchResult:
        """The same result with the entries in ``language`` (English's when it lacks one)."""
        own = self._by_id.get(language, {})

        def local(entry: FaqEntry) -> FaqEntry:
            return own.get(entry.id, entry)

        best = local(result.best) if result.best is not None else None
        return MatchResult(best, tuple(local(entry) for entry in result.candidates))


def matcher_of(catalog: Catalog) -> CatalogMatcher:
    """Index every language's FAQ, once, at start-up."""
    return CatalogMatcher(
        {code: FaqMatcher(content.faq, code) for code, content in catalog.languages.items()}
    )


# First words that make a message a question, in each shipped language (accents dropped).
QUESTION_WORDS = frozenset({
    # English
    "what", "how", "why", "when", "where", "who", "which", "should", "can", "could", "is",
    "are", "do", "does", "will", "would", "may",
    # Spanish
    "que", "como", "cuando", "donde", "quien", "cual", "puedo", "debo", "deberia", "hay", "es",
    # Portuguese
    "quando", "onde", "quem", "qual", "posso", "devo", "tem",
})  # fmt: skip


def looks_like_question(text: str) -> bool:
    """True for "should i stop my pregabalin" or "¿es seguro?", False for "hello" or "thanks"."""
    plain = without_accents(text.lower()).strip()
    words = re.findall(r"\w+", plain)
    return "?" in plain or "¿" in plain or bool(words and words[0] in QUESTION_WORDS)
