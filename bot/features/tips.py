"""Daily tips: the content model of ``tips.yaml`` and the tip of the day.

The tip of the day is a pure function of the calendar date, so ``/tip`` and the delivered tip
agree, and everyone gets the same tip on the same date. The rotation is one fixed order
(shuffled by a hash of the ids, so topics mix) walked day by day: any run of as many days as
there are tips shows every tip exactly once. Adding or removing a tip reshuffles the order
from then on, which is fine: no tip is tied to a date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TIP_LIMIT = 400
TIP_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
# Day 0 of the rotation; any fixed date works, changing it would reshuffle every date.
ROTATION_EPOCH = date(2024, 1, 1)

Topic = Literal[
    "pacing", "sleep", "movement", "comfort", "stress", "fog", "appointments", "community",
    "selfcare",
]  # fmt: skip


class Tip(BaseModel):
    """One short, kind, practical idea, optionally pointing to an FAQ answer."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    id: str = Field(pattern=TIP_ID_PATTERN)
    topic: Topic
    text: str = Field(min_length=20, max_length=TIP_LIMIT)
    faq: str | None = None


class TipsFile(BaseModel):
    """The whole of ``tips.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tips: tuple[Tip, ...] = Field(min_length=1)


def check_tips(tips: Sequence[Tip], faq_ids: Iterable[str] | None, path: str) -> list[str]:
    """Cross-entry checks: unique ids, FAQ ids that exist, no HTML in the plain text."""
    seen: set[str] = set()
    problems = []
    for tip in tips:
        if tip.id in seen:
            problems.append(f"{path}: tip {tip.id!r}: duplicate id")
        seen.add(tip.id)
        if "<" in tip.text or "&" in tip.text:
            problems.append(f"{path}: tip {tip.id!r}: text is plain, write no < or &")
    known = set(faq_ids) if faq_ids is not None else None
    for tip in tips:
        if known is not None and tip.faq is not None and tip.faq not in known:
            problems.append(f"{path}: tip {tip.id!r}: faq id {tip.faq!r} does not exist")
    return problems


@lru_cache(maxsize=4)
def rotation(ids: tuple[str, ...]) -> tuple[str, ...]:
    """The order tips are shown in: stable, topics mixed (not file order), every id once."""
    return tuple(sorted(ids, key=lambda tip_id: hashlib.sha256(tip_id.encode()).digest()))


def tip_of_day(tips: Sequence[Tip], day: date) -> Tip:
    """The tip for this calendar date: the same for everyone, every tip before a repeat."""
    if not tips:
        raise ValueError("there are no tips")
    by_id = {tip.id: tip for tip in tips}
    order = rotation(tuple(sorted(by_id)))
    return by_id[order[(day - ROTATION_EPOCH).days % len(order)]]
