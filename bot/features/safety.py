"""Noticing when a member may be in crisis, so the bot points to real help first."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.features.text import without_accents


def _normalise(text: str) -> str:
    # Accents are dropped: "no puedo mas" is "no puedo más", "suicidio" is "suicídio".
    text = without_accents(text.lower().replace("’", "'"))
    return " " + re.sub(r"[^\w' -]+", " ", text).replace("-", " ") + " "


def mentions_crisis(text: str, crisis_words: Sequence[str]) -> bool:
    """True when the text contains one of the crisis words or phrases, as whole words."""
    normalised = re.sub(r"\s+", " ", _normalise(text))
    return any(f" {_normalise(word).strip()} " in normalised for word in crisis_words)
