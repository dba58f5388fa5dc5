"""The /faq matcher against the real FAQ: what members type, typos, nonsense and speed."""

from __future__ import annotations

import statistics
import timeit
from pathlib import Path

import pytest
import yaml

from bot.features.content import FaqEntry, FaqFile
from bot.features.matching import STOP_WORDS, FaqMatcher, MatchResult, normalise, places
from bot.features.text import escape
from tests.tg import Driver, only

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

# Questions as members post them in patient groups (lowercase, typos, run-ons, no question
# marks), each with the topics an answer may come from; NO_MATCH where the article says
# nothing, so an honest "no match" is right too. Two or three choices count as reaching a
# topic only when every choice is allowed; a confident answer outside the set is wrong.
NO_MATCH = "no match"
MEMBER_QUESTIONS: list[tuple[str, set[str]]] = [
    # abbreviations
    ("what does MSC mean", {"stem-cell-types"}),
    ("msc vs hsc whats the difference", {"stem-cell-types"}),
    ("whats the difference between msc and hsc", {"stem-cell-types"}),
    ("whats an hsc", {"stem-cell-types"}),
    ("hsc transplant for fibro", {"stem-cell-types"}),
    ("is IV better than the spinal one", {"delivery-methods"}),
    ("iv or spinal injection which is better", {"delivery-methods"}),
    ("do they do it by iv", {"delivery-methods"}),
    ("what does FM stand for", {"what-is-fibromyalgia"}),
    ("are msc's fda approved for fibro", {"approval"}),
    ("what is cns sensitization", {"neuroinflammation", "what-is-fibromyalgia"}),
    # symptom first
    ("why do i hurt everywhere", {"what-is-fibromyalgia"}),
    ("my whole body hurts all the time", {"what-is-fibromyalgia"}),
    (
        "i ache all over and im always exhausted is that fibro",
        {"mitochondria", "what-is-fibromyalgia"},
    ),
    ("why does everything hurt even a light touch", {"neuroinflammation", "what-is-fibromyalgia"}),
    ("i cant think straight lately", {"what-is-fibromyalgia"}),
    ("my memory is shot", {"what-is-fibromyalgia"}),
    ("brain fog is killing me", {"what-is-fibromyalgia"}),
    ("why cant the doctors find anything wrong with me", {"what-is-fibromyalgia"}),
    ("does fibro show up on blood tests", {"what-is-fibromyalgia"}),
    ("is fibro in the brain", {"neuroinflammation", "what-is-fibromyalgia"}),
    ("i wake up exhausted every morning", {"mitochondria", "what-is-fibromyalgia"}),
    ("so tired all the time could stem cells help with that", {"mitochondria"}),
    ("i have really bad fatigue will this help", {"mitochondria"}),
    ("would it help my brain fog", {"benefits", "what-is-fibromyalgia"}),
    ("will it help me sleep", {"benefits"}),
    ("could stem cells fix my sleep", {"benefits"}),
    ("my legs burn at night", {"what-is-fibromyalgia", NO_MATCH}),
    # places and countries: the article names only the US FDA, and warns about clinics
    ("is this approved in europe", {"approval"}),
    ("is it approved in canada", {"approval"}),
    ("is it legal in the uk", {"approval"}),
    ("approved in australia yet?", {"approval"}),
    ("how much is it in germany", {"cost"}),
    ("price in the uk", {"cost"}),
    ("is it cheaper abroad", {"cost", NO_MATCH}),
    ("cheapest place to get it", {"cost", "risks", NO_MATCH}),
    ("is it safe in tijuana", {"risks", "safety"}),
    ("where can i get stem cell treatment in mexico", {"risks", "safety", NO_MATCH}),
    ("can i get it in spain", {"risks", "safety", NO_MATCH}),
    ("any good clinics in canada", {"risks", "safety", NO_MATCH}),
    ("thinking of going to panama for stem cells", {"risks", "safety", NO_MATCH}),
    ("stem cells in costa rica", {"risks", "safety", NO_MATCH}),
    ("has anyone been to a clinic in colombia", {"risks", "safety", NO_MATCH}),
    ("does the fda regulate these clinics", {"approval", "risks", "safety"}),
    # worse, harm, dangerous
    ("can it make me worse", {"risks", "safety"}),
    ("could it make my fibro worse", {"risks", "safety"}),
    ("can it make the pain worse", {"risks", "safety"}),
    ("can stem cells harm you", {"risks", "safety"}),
    ("any bad reactions", {"risks", "safety"}),
    ("what can go wrong", {"risks", "safety"}),
    ("can u die from it", {"risks", "safety"}),
    ("is it dangrous for someone like me", {"risks", "safety"}),
    ("is it dangerous with lupus", {"risks", "safety", NO_MATCH}),
    ("can it cause cancer", {"risks", "safety", NO_MATCH}),
    ("how bad are the side effects", {"risks", "safety"}),
    ("r there any side affects", {"risks", "safety"}),
    ("does it hurt", {"delivery-methods", "safety"}),
    ("is the spinal injection painful", {"delivery-methods", "safety"}),
    ("whats the catch", {"risks", NO_MATCH}),
    ("my doc says its a scam", {"risks"}),
    ("is it legit or a scam", {"risks"}),
    # where the cells come from
    ("umbilical cord cells vs my own fat", {"stem-cell-types"}),
    ("do they use your own bone marrow", {"stem-cell-types"}),
    ("fat derived or cord blood which is better", {"stem-cell-types"}),
    ("where do the cells come from", {"stem-cell-types"}),
    ("how do they get the cells out of the fat", {"delivery-methods", "stem-cell-types"}),
    # the rest of the FAQ, as posted
    (
        "has anyone here actually tried stem cells did it work",
        {"benefits", "early-research"},
    ),
    ("anyone get relief", {"benefits", "early-research"}),
    ("whats the success rate", {"early-research"}),
    ("is there any proof it works", {"early-research"}),
    ("any clinical trails for fibro", {"early-research"}),
    ("is there a trial i can join", {"early-research", NO_MATCH}),
    (
        "what are the chances it works",
        {"benefits", "early-research", "results-duration", NO_MATCH},
    ),
    (
        "does it work for everyone",
        {"benefits", "candidate", "early-research", "results-duration", "risks"},
    ),
    ("how many treatments do u need", {"delivery-methods"}),
    ("will i need more than one treatment", {"delivery-methods", NO_MATCH}),
    ("are the injections into your spine", {"delivery-methods"}),
    ("does insurance pay for any of it", {"cost"}),
    ("will my insurance pay", {"cost"}),
    ("is it covered by medicare", {"cost"}),
    ("how much for one session", {"cost"}),
    ("is it worth the money", {"cost", "outlook"}),
    ("is it permanant", {"cure", "results-duration"}),
    ("do results last", {"results-duration"}),
    ("will it stop the pain forever", {"cure", "results-duration"}),
    ("how long before i feel better", {"results-duration", NO_MATCH}),
    ("is stem cell therapy a cure", {"cure"}),
    ("is fibro genetic", {"why-hard-to-treat"}),
    ("ive tried everything and nothing helps", {"candidate", "why-hard-to-treat"}),
    ("how do i know if im a good candidate", {"candidate"}),
    ("do i need a referal", {"candidate"}),
    ("can my gp refer me", {"candidate"}),
    ("my rheumatologist says no", {"candidate", NO_MATCH}),
    ("what do stem cells actually do for pain", {"how-could-help"}),
    ("can i stop my meds after", {"vs-traditional-treatments", NO_MATCH}),
    ("should i stop taking cymbalta", {"vs-traditional-treatments", NO_MATCH}),
    # the article says nothing about these
    ("does cbd oil help", {NO_MATCH}),
    ("what about low dose naltrexone", {NO_MATCH}),
    ("how do i apply for disability benefits", {NO_MATCH}),
    ("does acupuncture work for fibro", {NO_MATCH}),
    ("gluten free diet for fibro", {NO_MATCH}),
    ("what vitamins help fibro", {NO_MATCH}),
    ("best mattress for fibro pain", {NO_MATCH}),
    ("is it ok while pregnant", {"candidate", NO_MATCH}),
    ("what about my dog", {NO_MATCH}),
    ("can i do it while on lyrica", {NO_MATCH}),
    ("how do i find a rheumatologist", {NO_MATCH}),
    ("is there a facebook group", {NO_MATCH}),
]
# Still missed: each gets "no match" or choices that include a right topic, never a wrong
# answer (checked below). Strict, so a fix shows up as an unexpected pass.
KNOWN_MISSES = {
    "are msc's fda approved for fibro",  # approval, but the MSC topic scores close behind
    "my memory is shot",  # "shot" is also an injection
    "could stem cells fix my sleep",  # "fix" is also a cure
    "hsc transplant for fibro",  # the article never says "transplant"
    "will it stop the pain forever",
    "what do stem cells actually do for pain",
}


def outcome(result: MatchResult) -> set[str]:
    """The topics a member is shown: one answer, the choices, or NO_MATCH."""
    if result.best is not None:
        return {result.best.id}
    return {entry.id for entry in result.candidates} or {NO_MATCH}


def test_the_member_questions_are_many_and_mostly_reached() -> None:
    queries = [query for query, _ in MEMBER_QUESTIONS]
    assert len(queries) >= 90
    assert len(set(queries)) == len(queries)
    assert set(queries) >= KNOWN_MISSES
    assert len(KNOWN_MISSES) <= 0.1 * len(queries)  # the goal: 90% or more


@pytest.mark.parametrize(
    ("query", "allowed"),
    [
        pytest.param(query, allowed, marks=pytest.mark.xfail(strict=True, reason="known miss"))
        if query in KNOWN_MISSES
        else (query, allowed)
        for query, allowed in MEMBER_QUESTIONS
    ],
)
def test_member_questions_reach_an_allowed_topic(
    matcher: FaqMatcher, query: str, allowed: set[str]
) -> None:
    assert outcome(matcher.match(query)) <= allowed


@pytest.mark.parametrize(("query", "allowed"), MEMBER_QUESTIONS)
def test_member_questions_never_get_a_wrong_answer(
    matcher: FaqMatcher, query: str, allowed: set[str]
) -> None:
    shown = outcome(matcher.match(query))
    if shown != {NO_MATCH}:  # an answer, or choices that include a right one
        assert shown & allowed, (query, shown)


def test_a_clinic_abroad_never_opens_what_stem_cells_are(matcher: FaqMatcher) -> None:
    for country in ("mexico", "Mexico", "méxico", "the dominican republic", "thailand"):
        result = matcher.match(f"where can i get stem cell treatment in {country}")
        assert result.best is not None, country
        assert result.best.id == "risks", country


def test_approval_abroad_says_the_article_speaks_of_the_us_only(matcher: FaqMatcher) -> None:
    result = matcher.match("is this approved in europe")
    assert result.best is not None
    assert result.best.id == "approval"
    answer = result.best.answer.lower()
    assert "us fda" in answer
    assert "fda only" in answer
    assert "any other country" in answer


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("What does MSC mean?", ["mesenchymal"]),
        ("what do MSCs stand for", ["mesenchymal"]),
        ("hsc", ["hematopoietic"]),
        ("IV drip", ["intravenous", "drip"]),
        ("what is FM", ["fibromyalgia"]),
        ("is it approved in the United Kingdom", ["approved", "abroad"]),
        ("cost in México or Costa Rica", ["cost", "abroad"]),
        ("clinic in tijuana", ["clinic", "abroad"]),
        ("where can i get it", ["clinics"]),
        ("i ache all over", ["ache", "everywhere"]),
        ("i wake up tired every morning", ["wake", "tired"]),
    ],
)
def test_normalise_reads_short_forms_and_places(text: str, words: list[str]) -> None:
    assert normalise(text) == words


def test_no_place_name_is_a_word_of_the_faq_or_a_filler(matcher: FaqMatcher) -> None:
    # A place is read as "abroad": a place name that is also a keyword would be lost.
    single = {words[0] for words in places() if len(words) == 1}
    assert {"mexico", "europe", "germany", "tijuana", "bogota"} <= single
    vocabulary = {
        word
        for entry in matcher.entries
        for text in entry.keywords
        for word in text.lower().split()
    }
    assert single.isdisjoint(vocabulary | STOP_WORDS)
    assert single.isdisjoint({"wake", "oral", "phoenix", "west", "easter", "christmas"})


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


@pytest.mark.parametrize(
    ("question", "answer_from", "must_say"),
    [
        ("what does MSC mean", "stem-cell-types", "Mesenchymal stem cells (MSCs)"),
        ("umbilical cord cells vs my own fat", "stem-cell-types", "fat tissue"),
        ("why do i hurt everywhere", "what-is-fibromyalgia", "pain spread across the body"),
        ("is this approved in europe", "approval", "US FDA only"),
        ("can it make me worse", "risks", "rare complications"),
        ("where can i get stem cell treatment in mexico", "risks", "scientific oversight"),
    ],
)
async def test_the_issue_questions_get_their_answer_through_faq(
    member: Driver, entries: tuple[FaqEntry, ...], question: str, answer_from: str, must_say: str
) -> None:
    reply = only(await member.send(f"/faq {question}"))
    by_id = {entry.id: entry for entry in entries}
    assert escape(by_id[answer_from].question) in reply.text
    assert must_say in reply.text
    assert by_id["what-are-stem-cells"].question not in reply.text
