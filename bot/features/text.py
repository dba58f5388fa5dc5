"""Helpers for what members read: HTML escaping and Telegram's message length limit."""

from __future__ import annotations

import html
import unicodedata

MESSAGE_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64


def without_accents(text: str) -> str:
    """``text`` with its accents dropped: "São Paulo" -> "Sao Paulo", "más" -> "mas"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def escape(text: str) -> str:
    """Escape content for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text into messages of at most ``limit`` characters, between paragraphs or words.

    Tags in our HTML never span a blank line, so splitting between paragraphs keeps them whole.
    """
    parts: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        for piece in _fit(paragraph, limit):
            joined = f"{current}\n\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return parts


def _fit(paragraph: str, limit: int) -> list[str]:
    """A paragraph as pieces of at most ``limit`` characters, broken at spaces when it must."""
    if len(paragraph) <= limit:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for whole_word in paragraph.split(" "):
        word = whole_word
        while len(word) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:limit])
            word = word[limit:]
        joined = f"{current} {word}" if current else word
        if len(joined) <= limit:
            current = joined
        else:
            pieces.append(current)
            current = word
    if current:
        pieces.append(current)
    return pieces


def fits_callback(data: str) -> bool:
    """True when ``data`` fits Telegram's 64-byte callback data limit."""
    return len(data.encode()) <= CALLBACK_DATA_LIMIT
