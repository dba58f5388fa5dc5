"""The /faq matcher against the real FAQ: what members type, typos, nonsense and speed."""

from __future__ import annotations

import statistics
import timeit
from pathlib import Path

import pytest
import yaml

from bot.features.content import FaqEntry, FaqFile
from bot.features.matching import FaqMatcher, MatchResult, normalise

FAQ_PATH = Path(__file__).resolve().parent.parent / "content" / "en" / "faq.yaml"

# What members really type, typos included, and the topic each must reach.
PHRASINGS: list[tuple[str, str]] = [
    # cost
    ("how much does it cost", "cost"),
    ("price", "cost"),
    ("How much?", "cost"),
    ("is it expensive", "cost"),
    ("does insurance cover it", "cost"),
    ("is it covered by insurence", "cost"),
    ("can i afford it", "cost"),
    ("cost of stem cell therapy in mexico", "cost"),
    ("stem cell prices", "cost"),
    # approval
    ("is it fda approved", "approval"),
    ("aproved?", "approval"),
    ("is it legal", "approval"),
    ("FDA", "approval"),
    ("is it approved in the us", "approval"),
    ("still experimental?", "approval"),
    # safety
    ("is it safe", "safety"),
    ("is it saef", "safety"),
    ("side effects", "safety"),
    ("what are the side efects", "safety"),
    # risks
    ("what are the risks", "risks"),
    ("is it dangerous", "risks"),
    ("is it a scam", "risks"),
    ("unregulated clinics", "risks"),
    ("downsides", "risks"),
    # cure
    ("can stem cells cure fibro", "cure"),
    ("is there a cure", "cure"),
    ("curable?", "cure"),
    ("will it go away", "cure"),
    # results-duration
    ("how long does it last", "results-duration"),
    ("does it wear off", "results-duration"),
    ("permanent results?", "results-duration"),
    ("long term relief", "results-duration"),
    # candidate
    ("who can get it", "candidate"),
    ("am i a candidate", "candidate"),
    ("am i eligible", "candidate"),
    ("should i try it", "candidate"),
    # what-is-fibromyalgia
    ("what is fibromyalgia", "what-is-fibromyalgia"),
    ("fibromialgia", "what-is-fibromyalgia"),
    ("fibro fog", "what-is-fibromyalgia"),
    ("symptoms of fibromyalgia", "what-is-fibromyalgia"),
    ("what is central sensitization", "what-is-fibromyalgia"),
    # why-hard-to-treat
    ("why is fibro so hard to treat", "why-hard-to-treat"),
    ("what causes fibromyalgia", "why-hard-to-treat"),
    ("nothing works for me", "why-hard-to-treat"),
    # what-are-stem-cells
    ("what are stem cells", "what-are-stem-cells"),
    ("stemcell", "what-are-stem-cells"),
    ("stem cels", "what-are-stem-cells"),
    ("regenerative medicine", "what-are-stem-cells"),
    # stem-cell-types
    ("what are MSCs", "stem-cell-types"),
    ("mesenchymal", "stem-cell-types"),
    ("types of stem cells", "stem-cell-types"),
    ("umbilical cord stem cells", "stem-cell-types"),
    ("where do stem cells come from", "stem-cell-types"),
    # how-could-help
    ("how could stem cells help", "how-could-help"),
    ("how does it work", "how-could-help"),
    # neuroinflammation
    ("brain inflammation", "neuroinflammation"),
    ("neuro-inflammation", "neuroinflammation"),
    ("microglia", "neuroinflammation"),
    ("inflamation", "neuroinflammation"),
    # immune-system
    ("immune system", "immune-system"),
    ("autoimune", "immune-system"),
    ("is fibro an autoimmune disease", "immune-system"),
    # mitochondria
    ("mitochondria fatigue", "mitochondria"),
    ("mito", "mitochondria"),
    ("tired all the time", "mitochondria"),
    ("no energy", "mitochondria"),
    # tissue-repair
    ("muscle recovery", "tissue-repair"),
    ("oxidative stress", "tissue-repair"),
    ("tissue repair", "tissue-repair"),
    # early-research
    ("any studies?", "early-research"),
    ("clinical trials", "early-research"),
    ("what does the research say", "early-research"),
    ("is there evidence", "early-research"),
    # delivery-methods
    ("iv infusion", "delivery-methods"),
    ("intrathecal", "delivery-methods"),
    ("how is it given", "delivery-methods"),
    ("needle in the spine", "delivery-methods"),
    ("how many sessions do i need", "delivery-methods"),
    # benefits
    ("benefits", "benefits"),
    ("what can i expect", "benefits"),
    ("better sleep", "benefits"),
    # vs-traditional-treatments
    ("stem cells vs meds", "vs-traditional-treatments"),
    ("compared to antidepressants", "vs-traditional-treatments"),
    ("better than painkillers?", "vs-traditional-treatments"),
    # outlook
    ("is it worth it", "outlook"),
    ("is this the breakthrough", "outlook"),
]

# Never a confident answer, never a list of topics.
NONSENSE: list[str] = [
    "",
    "   ",
    "asdfgh",
    "qwerty",
    "pizza recipe",
    "what's the weather",
    "🙂",
    "😭😭",
    "123",
    "???",
    "tell me a joke",
    "who won the football",
    "my cat is sick",
    "bitcoin price",
    "how much is a pizza",
    "healthy food",
    "good morning",
    "thank you",
    "where is the bathroom",
    "buy cheap viagra",
    "lorem ipsum dolor",
]

# Questions about two topics at once: offered as choices.
AMBIGUOUS: list[tuple[str, set[str]]] = [
    ("pros and cons", {"benefits", "risks"}),
    ("benefits and risks", {"benefits", "risks"}),
    ("regulation and safety", {"risks", "safety"}),
    ("inflammation and immune", {"neuroinflammation", "immune-system"}),
    ("stem cell injection cost", {"cost", "delivery-methods"}),
]


def load_entries() -> tuple[FaqEntry, ...]:
    raw = yaml.safe_load(FAQ_PATH.read_text(encoding="utf-8"))
    return FaqFile.model_validate(raw).faq


@pytest.fixture(scope="module")
def entries() -> tuple[FaqEntry, ...]:
    return load_entries()


@pytest.fixture(scope="module")
def matcher(entries: tuple[FaqEntry, ...]) -> FaqMatcher:
    return FaqMatcher(entries)


def test_matcher_loads_the_real_faq(matcher: FaqMatcher, entries: tuple[FaqEntry, ...]) -> None:
    assert len(entries) >= 20
    assert matcher.entries == entries


def test_the_tables_are_big_enough_and_cover_every_topic(entries: tuple[FaqEntry, ...]) -> None:
    assert len(PHRASINGS) >= 45
    assert len(NONSENSE) >= 12
    assert {faq_id for _, faq_id in PHRASINGS} == {entry.id for entry in entries}


@pytest.mark.parametrize(("query", "expected"), PHRASINGS)
def test_member_phrasings_reach_their_topic(
    matcher: FaqMatcher, query: str, expected: str
) -> None:
    result = matcher.match(query)
    assert result.status == "match", (query, result)
    assert result.best is not None
    assert result.best.id == expected
    assert result.candidates == ()


@pytest.mark.parametrize("query", NONSENSE)
def test_nonsense_and_off_topic_get_nothing(matcher: FaqMatcher, query: str) -> None:
    result = matcher.match(query)
    assert result.status == "none", (query, result)
    assert result.best is None
    assert result.candidates == ()


@pytest.mark.parametrize(("query", "expected"), AMBIGUOUS)
def test_two_topic_questions_offer_choices(
    matcher: FaqMatcher, query: str, expected: set[str]
) -> None:
    result = matcher.match(query)
    assert result.status == "ambiguous", (query, result)
    assert result.best is None
    ids = [entry.id for entry in result.candidates]
    assert 2 <= len(ids) <= 3
    assert expected <= set(ids)


def test_every_title_question_and_keyword_finds_its_own_entry(
    matcher: FaqMatcher, entries: tuple[FaqEntry, ...]
) -> None:
    misses = [
        (entry.id, text, matcher.match(text).status)
        for entry in entries
        for text in (entry.title, entry.question, *entry.keywords)
        if normalise(text) and matcher.match(text).best is not entry
    ]
    assert misses == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("How much does it COST?!", ["cost"]),
        ("How long does it last", ["duration", "last"]),
        ("Who can get it?", ["candidate"]),
        ("Fibromyalgía — stem-cell thérapy", ["fibromyalgia", "stem", "cell", "therapy"]),
        ("what's the weather", ["weather"]),
        ("is it safe, is it safe", ["safe"]),
        ("🙂 a b c", []),
    ],
)
def test_normalise(text: str, words: list[str]) -> None:
    assert normalise(text) == words


def test_a_pasted_paragraph_is_cut_short(matcher: FaqMatcher) -> None:
    paragraph = "how much does it cost " + " ".join(f"word{n}" for n in range(2000))
    assert len(normalise(paragraph)) == 30
    assert matcher.match(paragraph).status == "none"  # mostly unknown words


def test_an_empty_faq_matches_nothing() -> None:
    assert FaqMatcher([]).match("cost").status == "none"


def test_status_follows_the_fields(entries: tuple[FaqEntry, ...]) -> None:
    assert MatchResult(entries[0]).status == "match"
    assert MatchResult(None, entries[:2]).status == "ambiguous"
    assert MatchResult(None).status == "none"


def test_median_match_time_is_well_under_a_millisecond(matcher: FaqMatcher) -> None:
    queries = [query for query, _ in PHRASINGS] + NONSENSE
    per_query = [
        min(timeit.repeat(lambda q=query: matcher.match(q), number=20, repeat=3)) / 20
        for query in queries
    ]
    median = statistics.median(per_query)
    assert median < 0.0005, f"median {median * 1e6:.0f} µs per query"
