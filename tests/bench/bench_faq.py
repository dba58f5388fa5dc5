"""Median time of one FAQ match: English only, then over every language's entries.

The multi-language figure asks with the member's language set to each shipped language in
turn (a question in another language falls through to the others), beside the English-only
figure and a bare rapidfuzz call measured in the same run.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.config import PROJECT_DIR
from bot.features.content import load_content
from bot.features.languages import load_catalog
from bot.features.matching import FaqMatcher, matcher_of
from tests.bench.common import Row, median_seconds

QUERIES = [
    "how much does it cost",
    "is it fda approved",
    "is it safe",
    "can stem cells cure fibro",
    "who is a candidate",
    "how long do results last",
    "what is fibromyalgia",
    "iv infusion",
    "side efects",
    "asdfgh qwerty",
    "pizza recipe",
    "mitochondria fatigue",
    "any studies",
]
MORE_QUERIES = [
    "cuánto cuesta",
    "es seguro el tratamiento",
    "está aprobado por la fda",
    "receta de pizza",
    "quanto custa",
    "é seguro?",
    "células-tronco curam fibromialgia",
    "receita de bolo",
]
REPEAT = 2000


def run() -> list[Row]:
    """Measure our matcher and, as the reference, rapidfuzz's extractOne over the questions."""
    content = load_content(PROJECT_DIR / "content")
    matcher = FaqMatcher(content.faq)
    questions = [entry.question for entry in content.faq]
    ours = [median_seconds(lambda q=q: matcher.match(q), REPEAT) for q in QUERIES]
    bare = [
        median_seconds(lambda q=q: process.extractOne(q, questions, scorer=fuzz.WRatio), REPEAT)
        for q in QUERIES
    ]
    ours_ms = sorted(ours)[len(ours) // 2] * 1000
    bare_ms = sorted(bare)[len(bare) // 2] * 1000
    entries = len(content.faq)
    return [
        Row(
            f"FAQ match, one query over {entries} entries (median)",
            f"{ours_ms:.3f} ms",
            f"<= 1 ms (bare extractOne over questions: {bare_ms:.3f} ms)",
            ours_ms <= 1.0,
        ),
        all_languages(ours_ms),
    ]


def all_languages(english_ms: float) -> Row:
    """Every language's matcher, each query asked as a member of each language."""
    catalog = load_catalog(PROJECT_DIR / "content")
    matcher = matcher_of(catalog)
    times = [
        median_seconds(lambda q=q, lang=lang: matcher.match(q, lang), REPEAT // 4)
        for q in QUERIES + MORE_QUERIES
        for lang in catalog.codes
    ]
    all_ms = sorted(times)[len(times) // 2] * 1000
    entries = sum(len(c.faq) for c in catalog.languages.values())
    return Row(
        f"FAQ match over all languages ({len(catalog.codes)}, {entries} entries, median)",
        f"{all_ms:.3f} ms",
        f"<= 1 ms (English only, same run: {english_ms:.3f} ms)",
        all_ms <= 1.0,
    )
