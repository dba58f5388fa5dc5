"""Announcements with a photo end to end, and /edit, through the real bot and the emulator.

The emulator knows only sendMessage; compat.py stores media sends through it (GAP 10), so the
group's client sees the photo's file_id and caption.
"""

from __future__ import annotations

import re

import pytest
from e2e_harness import E2E, GROUP_CHAT_ID, BotMessage, ChatClient

from tests.content_texts import raw_texts

pytestmark = pytest.mark.e2e

TEXTS: dict[str, str] = raw_texts()
FLYER = [{"file_id": "AgACflyer", "file_unique_id": "fl1", "width": 800, "height": 600}]
BOLD = [{"type": "bold", "offset": 0, "length": 6}]


def opening(key: str) -> str:
    plain = re.sub(r"<[^>]+>", "", TEXTS[key])
    return " ".join(plain.split("{")[0].split()[:4])


def has_photo(message: BotMessage) -> bool:
    return "AgACflyer" in str(message.raw.get("photo"))


def test_an_admin_announces_a_flyer_now_and_the_group_gets_it(
    e2e: E2E, admin: ChatClient, group_member: ChatClient
) -> None:
    admin.ask("/announce")
    admin.send(None, photo=FLYER, caption="Picnic on Sunday at noon", caption_entities=BOLD)
    preview = admin.wait_for_reply(has_photo)
    assert preview.raw["caption"] == "<b>Picnic</b> on Sunday at noon"
    prompt = admin.wait_for_reply(lambda m: bool(m.buttons))
    admin.press(TEXTS["button_now"], prompt)
    admin.press(TEXTS["button_no_pin"], admin.wait_for_reply(lambda m: bool(m.buttons)))
    admin.press(TEXTS["button_confirm"], admin.wait_for_reply(lambda m: bool(m.buttons)))
    assert (
        opening("announce_posted")
        in admin.wait_for_reply(lambda m: opening("announce_posted") in m.text).text
    )
    post = group_member.wait_for_reply(has_photo)
    assert post.raw["caption"] == preview.raw["caption"], "the preview was exactly the post"
    sent = e2e.proxy.find_calls("sendPhoto")[-1]
    assert int(sent.params["chat_id"]) == GROUP_CHAT_ID


def test_an_admin_edits_a_scheduled_post_into_a_flyer(e2e: E2E, admin: ChatClient) -> None:
    admin.ask("/announce")
    admin.send("Yoga in the park")
    admin.wait_for_reply(lambda m: bool(m.buttons))
    admin.send("tomorrow 9:00")
    admin.press(TEXTS["button_no_pin"], admin.wait_for_reply(lambda m: bool(m.buttons)))
    admin.press(TEXTS["button_confirm"], admin.wait_for_reply(lambda m: bool(m.buttons)))
    done = admin.wait_for_reply(lambda m: "#" in m.text and "Next" in m.text)
    post_id = re.search(r"#(\d+)", done.text)
    assert post_id is not None
    question = admin.ask(f"/edit {post_id.group(1)}")
    admin.press(TEXTS["button_edit_content"], question)
    admin.wait_for_reply(lambda m: opening("edit_ask_content") in m.text)
    admin.send(None, photo=FLYER, caption="Yoga in the park, bring a mat")
    assert admin.wait_for_reply(has_photo).raw["caption"] == "Yoga in the park, bring a mat"
    changed = admin.wait_for_reply(lambda m: "changed" in m.text)
    assert f"#{post_id.group(1)}" in changed.text
