"""Inline mode end to end: a member types ``@bot cost`` in the group and gets FAQ answers.

The emulator has no inline mode; the test injects the inline_query update and compat.py
checks the bot's answerInlineQuery as Telegram would (GAP 12).
"""

from __future__ import annotations

import pytest
from e2e_harness import ChatClient

pytestmark = pytest.mark.e2e


def test_cost_offers_the_cost_answer_with_a_button_into_the_bot(
    group_member: ChatClient,
) -> None:
    results = group_member.inline("cost")
    first = results[0]
    assert first["id"] == "faq:cost"
    text = first["input_message_content"]["message_text"]
    assert "not medical advice" in text
    button = first["reply_markup"]["inline_keyboard"][0][0]
    assert button["url"].endswith("?start=faq-cost")
    assert int(group_member.last_inline["cache_time"]) > 0


def test_typos_empty_and_nonsense_queries(group_member: ChatClient) -> None:
    assert group_member.inline("is it saef")[0]["id"] == "faq:safety"
    assert len(group_member.inline("")) == 5
    [nothing] = group_member.inline("qqqq zzzz")
    assert nothing["id"] == "none"
    assert nothing["reply_markup"]["inline_keyboard"][0][0]["url"].endswith("?start=faq")


def test_the_deep_link_button_opens_that_answer_in_private(member: ChatClient) -> None:
    url = member.inline("cost")[0]["reply_markup"]["inline_keyboard"][0][0]["url"]
    payload = url.split("?start=", 1)[1]
    answer = member.ask(f"/start {payload}")
    assert "not medical advice" in answer.text
