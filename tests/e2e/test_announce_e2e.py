"""Announcements end to end: admins line up posts through the real bot and the emulator.

What is asserted is what an admin or a member notices: the replies, the post arriving in
the group, a refusal. Texts are read from content/texts.yaml so edits do not break this.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from e2e_harness import REPO_ROOT, ChatClient

from tests.content_texts import raw_texts

pytestmark = pytest.mark.e2e

TEXTS: dict[str, str] = raw_texts()
POSTS: list[dict[str, Any]] = yaml.safe_load(
    (REPO_ROOT / "content" / "en" / "posts.yaml").read_text()
)["posts"]


def opening(key: str) -> str:
    """The fixed opening words of a text, tags and {fields} left out."""
    plain = re.sub(r"<[^>]+>", "", TEXTS[key])
    return " ".join(plain.split("{")[0].split()[:4])


def label(key: str) -> str:
    return TEXTS[key]


def start_announcement(admin: ChatClient, text: str, when: str | None) -> None:
    """Run /announce up to the pin question; ``when`` None presses Now."""
    assert opening("announce_ask_text") in admin.ask("/announce").text
    admin.send(text)
    prompt = admin.wait_for_reply(lambda m: bool(m.buttons))
    assert opening("announce_preview") in prompt.text
    if when is None:
        admin.press(label("button_now"), prompt)
    else:
        admin.send(when)
    assert opening("announce_ask_pin") in admin.wait_for_reply(lambda m: bool(m.buttons)).text


def test_an_admin_announces_now_and_it_arrives_in_the_group(
    admin: ChatClient, group_member: ChatClient
) -> None:
    start_announcement(admin, "Coffee meet-up on Friday at 18:00 ☕", None)
    admin.press(label("button_no_pin"))
    summary = admin.wait_for_reply(lambda m: bool(m.buttons))
    assert "now" in summary.text
    admin.press(label("button_confirm"), summary)
    done = admin.wait_for_reply(lambda m: opening("announce_posted") in m.text)
    assert "#" in done.text
    post = group_member.wait_for_reply(lambda m: "Coffee meet-up" in m.text)
    assert post.text == "Coffee meet-up on Friday at 18:00 ☕"


def test_a_member_is_refused_and_nothing_is_scheduled(
    member: ChatClient, admin: ChatClient
) -> None:
    refusal = TEXTS["admin_only"]
    assert member.ask("/announce").text == refusal
    # No flow was started: the text gets the private chat's general pointer, not a preview.
    assert member.ask("Free pizza for everyone at 3am").text == TEXTS["faq_free_text_hint"]
    assert member.ask("/pause resources").text == refusal
    assert "Free pizza" not in admin.ask("/scheduled").text


def test_scheduled_lists_a_future_post_with_its_id(admin: ChatClient) -> None:
    start_announcement(admin, "Reminder: gentle stretching group on Sunday", "tomorrow 9:00")
    admin.press(label("button_pin"))
    summary = admin.wait_for_reply(lambda m: bool(m.buttons))
    admin.press(label("button_confirm"), summary)
    done = admin.wait_for_reply(lambda m: opening("announce_scheduled") in m.text)
    number = re.search(r"#(\d+)", done.text)
    assert number is not None
    listing = admin.ask("/scheduled")
    assert f"#{number.group(1)}" in listing.text
    assert "Reminder: gentle stretching group" in listing.text
    assert "09:00" in listing.text
    assert POSTS[0]["title"] in listing.text
    assert opening("paused") in admin.ask(f"/pause {number.group(1)}").text
    assert opening("cancelled") in admin.ask(f"/cancel {number.group(1)}").text
    assert f"#{number.group(1)}" not in admin.ask("/scheduled").text


def test_a_bad_time_gets_a_hint_and_the_admin_can_cancel(admin: ChatClient) -> None:
    assert opening("announce_ask_text") in admin.ask("/announce").text
    admin.send("Yoga at the park")
    admin.wait_for_reply(lambda m: bool(m.buttons))
    assert opening("when_unknown") in admin.ask("whenever suits").text
    hint = admin.ask("tomorrow")
    assert opening("when_no_time") in hint.text
    assert "tomorrow 9:00" in hint.text
    admin.press(label("button_cancel"))
    assert opening("announce_cancelled_draft") in admin.wait_for_reply().text
