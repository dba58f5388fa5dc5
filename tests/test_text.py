"""Telegram's limits: 4096 characters per message, split cleanly; 64-byte callback data."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.features.text import MESSAGE_LIMIT, escape, fits_callback, split_message


def test_short_text_is_one_message() -> None:
    assert split_message("Hello") == ["Hello"]


def test_long_text_splits_between_paragraphs_first() -> None:
    paragraphs = [f"<b>Part {i}</b> " + "word " * 150 for i in range(12)]
    parts = split_message("\n\n".join(p.strip() for p in paragraphs))
    assert len(parts) > 1
    assert all(len(part) <= MESSAGE_LIMIT for part in parts)
    # No bold tag is cut in two: every part opens and closes as many as it has.
    assert all(part.count("<b>") == part.count("</b>") for part in parts)


@given(st.lists(st.text(alphabet="abc \n", min_size=0, max_size=900), max_size=12))
def test_splitting_keeps_every_word_and_the_limit(chunks: list[str]) -> None:
    text = "".join(chunks)
    parts = split_message(text, limit=300)
    assert all(len(part) <= 300 for part in parts)
    assert " ".join(parts).split() == text.split()


def test_escape_for_html_parse_mode() -> None:
    assert escape("<3 & fish > chips") == "&lt;3 &amp; fish &gt; chips"


def test_callback_limit_is_in_bytes() -> None:
    assert fits_callback("faq:a:" + "x" * 58)
    assert not fits_callback("faq:a:" + "é" * 30)
