"""Median time of one FAQ match over the full FAQ, beside a bare rapidfuzz call."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.config import PROJECT_DIR
from bot.features.content import load_content
from bot.features.matching import FaqMatcher
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
        )
    ]
