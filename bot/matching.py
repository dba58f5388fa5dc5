"""TEMP STUB."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.content import FaqEntry


@dataclass(frozen=True)
class MatchResult:
    best: FaqEntry | None
    candidates: tuple[FaqEntry, ...] = ()

    @property
    def status(self) -> Literal["match", "ambiguous", "none"]:
        return "match" if self.best else ("ambiguous" if self.candidates else "none")


class FaqMatcher:
    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self.entries = tuple(entries)

    def match(self, query: str) -> MatchResult:
        for e in self.entries:
            if any(k in query.lower() for k in e.keywords):
                return MatchResult(e)
        return MatchResult(None)
