"""/ask end to end: a member writes to the admins' forum and an admin answers in the topic.

The real bot process, the emulator and tests/e2e/compat.py (which adds copyMessage, getChat
and forum topics: GAPs 9 to 11). Texts are read from content/en/texts.ftl.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ADMIN, MEMBER, running_bot
from e2e_harness import E2E, ChatClient

from tests.content_texts import raw_texts

pytestmark = pytest.mark.e2e

TEXTS: dict[str, str] = raw_texts()
ADMIN_CHAT = {"id": -1007000000001, "type": "supergroup", "title": "Admins", "is_forum": True}
PHOTO = [{"file_id": "AgACphoto1", "file_unique_id": "ph1", "width": 90, "height": 90}]
VOICE = {"file_id": "AwACvoice1", "file_unique_id": "vo1", "duration": 4}


def opening(key: str) -> str:
    plain = re.sub(r"<[^>]+>", "", TEXTS[key])
    return " ".join(plain.split("{")[0].split()[:4])


@pytest.fixture(scope="module")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2E]:
    """The bot with a forum supergroup as the admins' chat."""
    tmp: Path = tmp_path_factory.mktemp("e2e-ask")
    with running_bot(tmp, {"ADMIN_CHAT_ID": str(ADMIN_CHAT["id"])}) as env:
        env.proxy.register_chat(ADMIN_CHAT)
        yield env


@pytest.fixture
def admins(e2e: E2E) -> ChatClient:
    """Ada, an admin, writing in the admins' forum."""
    return e2e.client(ADMIN, ADMIN_CHAT)


def topic_of(e2e: E2E) -> int:
    created = e2e.proxy.find_calls("createForumTopic")
    assert created, "the bot opened no forum topic"
    return int(created[-1].response["result"]["message_thread_id"])


def in_topic(topic: int) -> dict[str, Any]:
    return {"message_thread_id": topic, "is_topic_message": True}


def test_a_member_asks_and_an_admin_answers_in_the_topic(
    e2e: E2E, member: ChatClient, admins: ChatClient
) -> None:
    assert opening("ask_prompt") in member.ask("/ask").text
    member.send("Is it normal to feel worse when it rains?")
    assert member.wait_for_reply().text == TEXTS["ask_sent"]
    copy = admins.wait_for_reply(lambda m: "feel worse when it rains" in m.text)
    topic = topic_of(e2e)
    assert int(copy.raw["message_thread_id"]) == topic
    name = e2e.proxy.find_calls("createForumTopic")[-1].params["name"]
    assert name.startswith(f"{MEMBER['first_name']} · #")

    admins.send("Many members notice it, yes.", **in_topic(topic))
    answer = member.wait_for_reply(lambda m: "Many members notice it" in m.text)
    assert ADMIN["first_name"] not in answer.text, "the admin's name is not shown"


def test_a_photo_goes_to_the_admins_and_a_voice_answer_comes_back(
    e2e: E2E, member: ChatClient, admins: ChatClient
) -> None:
    member.ask("/ask")
    member.send(None, photo=PHOTO, caption="my hands this morning")
    assert member.wait_for_reply().text == TEXTS["ask_sent"]
    copy = admins.wait_for_reply(lambda m: bool(m.raw.get("photo")))
    assert copy.raw["caption"] == "my hands this morning"
    admins.send(None, voice=VOICE, **in_topic(topic_of(e2e)))
    voice = member.wait_for_reply(lambda m: bool(m.raw.get("voice")))
    assert "AwACvoice1" in str(voice.raw["voice"])


def test_a_blocked_member_is_told_once_and_the_admins_see_nothing(
    e2e: E2E, member: ChatClient, admins: ChatClient
) -> None:
    member.ask("/ask")
    member.send("hello")
    member.wait_for_reply()
    topic = topic_of(e2e)
    admins.send("/block", **in_topic(topic))
    assert admins.wait_for_reply().text == TEXTS["ask_admin_blocked"]
    before = set(e2e.bot_messages(ADMIN_CHAT["id"]))
    member.ask("/ask")
    member.send("why can't I write?")
    # The note is the last thing the bot does with the message: after it, nothing new came.
    assert member.wait_for_reply().text == re.sub(r"\s+", " ", TEXTS["ask_blocked"]).strip()
    assert set(e2e.bot_messages(ADMIN_CHAT["id"])) == before
    admins.send("/unblock", **in_topic(topic))
    assert admins.wait_for_reply().text == TEXTS["ask_admin_unblocked"]
