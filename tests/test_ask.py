"""/ask: a member writes to the admins privately, through the real application.

The admins' chat is a forum supergroup (one topic per member) or a plain group (a header
message admins reply to). What is asserted is what people notice: the copy in the admins'
chat, the answer reaching the member, the notes, and the rows kept (ids and times only).
"""

from __future__ import annotations

import itertools
import logging
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram import Update

from bot.app import AnyApp
from bot.config import Settings
from bot.deps import app_deps
from bot.runtime.fakeapi import ADMIN_ID, BOT_ID, ApiCall, FakeBotAPI
from bot.storage.models import AskBlock, AskMessage, AskThread
from handlers.ask import PRUNE_JOB
from tests.content_texts import raw_texts
from tests.tg import MEMBER_ID, Driver, only, pin_clock, texts

ADMIN_CHAT = -1009876543210
_ids = itertools.count(50_000)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings, with an admins' chat for /ask."""
    return settings.model_copy(update={"admin_chat_id": ADMIN_CHAT})


@pytest.fixture
def forum(api: FakeBotAPI) -> FakeBotAPI:
    """The admins' chat is a forum supergroup."""
    api.forums.add(ADMIN_CHAT)
    return api


def text_of(app: AnyApp, key: str, **fields: object) -> str:
    return app_deps(app).content.text(key, **fields)


def opening(app: AnyApp, key: str) -> str:
    """The first words of a text, before any field or tag."""
    return raw_texts()[key].split("{")[0].split("<")[0][:25]


def message(chat: dict[str, Any], sender: dict[str, Any], **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": sender,
        **content,
    }


PHOTO = {"photo": [{"file_id": "ph1", "file_unique_id": "u1", "width": 90, "height": 90}]}
VOICE = {"voice": {"file_id": "vo1", "file_unique_id": "u2", "duration": 3}}
MEMBER = {"id": MEMBER_ID, "is_bot": False, "first_name": "Sam"}
ADMIN = {"id": ADMIN_ID, "is_bot": False, "first_name": "Alex"}
ADMIN_CHAT_JSON = {"id": ADMIN_CHAT, "type": "supergroup", "title": "Admins"}


async def member_sends(member: Driver, **content: Any) -> list[ApiCall]:
    """A private message from the member (text, photo or voice)."""
    chat = {"id": MEMBER_ID, "type": "private", "first_name": "Sam"}
    return await feed(member, message(chat, MEMBER, **content))


async def admin_sends(
    member: Driver,
    *,
    topic: int | None = None,
    reply_to: int | None = None,
    reply_from: dict[str, Any] | None = None,
    sender: dict[str, Any] = ADMIN,
    **content: Any,
) -> list[ApiCall]:
    """A message in the admins' chat: in a topic, and/or replying to a message."""
    msg = message(ADMIN_CHAT_JSON, sender, **content)
    if topic is not None:
        msg |= {"message_thread_id": topic, "is_topic_message": True}
    if reply_to is not None:
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "FibroBot"}
        msg["reply_to_message"] = message(ADMIN_CHAT_JSON, reply_from or bot, text="…")
        msg["reply_to_message"]["message_id"] = reply_to
    if "text" in content and content["text"].startswith("/"):
        length = len(content["text"].split()[0])
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return await feed(member, msg)


async def feed(member: Driver, msg: dict[str, Any]) -> list[ApiCall]:
    update = Update.de_json({"update_id": next(_ids), "message": msg}, member.app.bot)
    return await member.process(update)


def calls(found: list[ApiCall], method: str, chat_id: int | None = None) -> list[ApiCall]:
    return [
        c
        for c in found
        if c.method == method and (chat_id is None or int(c.params["chat_id"]) == chat_id)
    ]


async def count(app: AnyApp, model: type, *where: object) -> int:
    async with app_deps(app).transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))


async def open_topic(member: Driver, **content: Any) -> tuple[int, list[ApiCall]]:
    """/ask, then one message: the topic id the bot opened, and the calls of the message."""
    await member.send("/ask")
    found = await member_sends(member, **(content or {"text": "Is pacing helpful?"}))
    topic = calls(found, "createForumTopic")[0].result["message_thread_id"]
    return int(topic), found


# --- Each way, in a forum ------------------------------------------------------------------


async def test_text_goes_to_a_topic_named_for_the_member_and_the_answer_comes_back(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    prompt = only(await member.send("/ask"))
    assert opening(app, "ask_prompt") in prompt.text
    topic, found = await open_topic(member)
    name = calls(found, "createForumTopic")[0].params["name"]
    assert name.startswith("Sam · #")
    assert str(MEMBER_ID) not in name
    copy = calls(found, "copyMessage", ADMIN_CHAT)[0]
    assert int(copy.params["from_chat_id"]) == MEMBER_ID
    assert int(copy.params["message_thread_id"]) == topic
    assert texts(calls(found, "sendMessage", MEMBER_ID)) == [text_of(app, "ask_sent")]

    answer = await admin_sends(member, topic=topic, text="Yes, gently: <b>rest</b> counts.")
    back = only(answer, "copyMessage")
    assert int(back.params["chat_id"]) == MEMBER_ID
    assert int(back.params["from_chat_id"]) == ADMIN_CHAT
    # A copy: the admin's formatting as sent, and no name added.
    assert "caption" not in back.params
    assert not calls(answer, "sendMessage", MEMBER_ID)


@pytest.mark.parametrize("media", [PHOTO, VOICE], ids=["photo", "voice"])
async def test_photo_and_voice_go_both_ways(
    member: Driver, forum: FakeBotAPI, media: dict[str, Any]
) -> None:
    topic, found = await open_topic(member, **media, caption="my <i>hands</i> today")
    copy = calls(found, "copyMessage", ADMIN_CHAT)[0]
    assert int(copy.params["message_id"]) > 0
    assert "caption" not in copy.params, "the member's caption is kept as sent"
    back = only(await admin_sends(member, topic=topic, **media), "copyMessage")
    assert int(back.params["chat_id"]) == MEMBER_ID


async def test_a_sticker_is_not_passed_on_and_the_member_is_told(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    await member.send("/ask")
    sticker = {
        "file_id": "st",
        "file_unique_id": "s",
        "width": 5,
        "height": 5,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    found = await member_sends(member, sticker=sticker)
    assert not calls(found, "copyMessage")
    assert texts(found) == [text_of(app, "ask_not_supported")]


async def test_without_ask_a_private_question_is_still_for_the_faq(
    member: Driver, forum: FakeBotAPI
) -> None:
    found = await member.send("how much does it cost")
    assert not calls(found, "copyMessage")


async def test_an_admin_can_sign_their_answers(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    topic, _ = await open_topic(member)
    assert (
        opening(app, "ask_admin_sign_on")
        in only(await admin_sends(member, topic=topic, text="/sign")).text
    )
    answer = only(await admin_sends(member, topic=topic, text="We are here."), "sendMessage")
    assert int(answer.params["chat_id"]) == MEMBER_ID
    assert answer.text.startswith("We are here.")
    assert answer.text.endswith(text_of(app, "ask_signature", name="Alex"))
    photo = only(await admin_sends(member, topic=topic, **PHOTO), "copyMessage")
    assert photo.params["caption"] == text_of(app, "ask_signature", name="Alex")
    await admin_sends(member, topic=topic, text="/sign")
    assert only(await admin_sends(member, topic=topic, text="Unsigned."), "copyMessage")


# --- A plain group -------------------------------------------------------------------------


async def test_a_plain_group_gets_a_header_and_replies_to_it_or_the_copy_reach_the_member(
    member: Driver, api: FakeBotAPI, app: AnyApp
) -> None:
    await member.send("/ask")
    found = await member_sends(member, text="Can I ask something private?")
    assert not calls(found, "createForumTopic")
    header = calls(found, "sendMessage", ADMIN_CHAT)[0]
    assert "Sam" in header.text
    assert opening(app, "ask_admin_header") in header.text
    copy = calls(found, "copyMessage", ADMIN_CHAT)[0]
    assert copy.params["reply_parameters"]["message_id"] == header.result["message_id"]

    to_copy = await admin_sends(member, reply_to=copy.result["message_id"], text="Of course.")
    assert int(only(to_copy, "copyMessage").params["chat_id"]) == MEMBER_ID
    to_header = await admin_sends(member, reply_to=header.result["message_id"], text="Yes.")
    assert int(only(to_header, "copyMessage").params["chat_id"]) == MEMBER_ID


async def test_a_reply_to_the_wrong_message_reaches_nobody(
    member: Driver, api: FakeBotAPI, app: AnyApp
) -> None:
    await member.send("/ask")
    await member_sends(member, text="Hello admins")
    # A reply to a bot message that belongs to no member: the admin is told.
    wrong = await admin_sends(member, reply_to=999_999, text="Meant for Sam")
    assert not calls(wrong, "copyMessage")
    assert texts(wrong) == [text_of(app, "ask_admin_unknown_reply")]
    # Admins talking among themselves: the bot stays out of it.
    other = {"id": 1234, "is_bot": False, "first_name": "Kim"}
    chatter = await admin_sends(member, reply_to=999_998, reply_from=other, text="agreed")
    assert chatter == []
    assert not calls(await admin_sends(member, text="coffee?"), "copyMessage")


# --- Telegram's answers --------------------------------------------------------------------


async def test_a_member_who_blocked_the_bot_is_reported_to_the_admins_not_logged_as_error(
    member: Driver, forum: FakeBotAPI, app: AnyApp, caplog: pytest.LogCaptureFixture
) -> None:
    topic, _ = await open_topic(member)
    forum.fail("copyMessage", 403, "Forbidden: bot was blocked by the user")
    with caplog.at_level(logging.WARNING):
        found = await admin_sends(member, topic=topic, text="Are you ok?")
    note = only(found)
    assert int(note.params["chat_id"]) == ADMIN_CHAT
    assert note.text == text_of(app, "ask_admin_undelivered")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await count(app, AskMessage, AskMessage.direction == "out") == 0


async def test_a_topic_deleted_by_an_admin_is_replaced_by_a_new_one(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    old, _ = await open_topic(member)
    forum.fail("copyMessage", 400, "Bad Request: message thread not found")
    found = await member_sends(member, text="Still there?")
    new = int(calls(found, "createForumTopic")[0].result["message_thread_id"])
    assert new != old
    copies = [c for c in calls(found, "copyMessage", ADMIN_CHAT) if c.result]
    assert [int(c.params["message_thread_id"]) for c in copies] == [new]
    assert texts(calls(found, "sendMessage", MEMBER_ID)) == [text_of(app, "ask_sent")]
    assert only(await admin_sends(member, topic=new, text="Yes!"), "copyMessage")
    assert not calls(await admin_sends(member, topic=old, text="old"), "copyMessage")


# --- Limits, blocks, crisis ----------------------------------------------------------------


async def test_past_the_hourly_limit_a_kind_note_and_nothing_reaches_the_admins(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    deps = app_deps(app)
    deps.settings = deps.settings.model_copy(update={"ask_limit_per_hour": 2})
    now = deps.clock()
    clock = pin_clock(app, lambda: now)
    await open_topic(member)
    await member_sends(member, text="two")
    found = await member_sends(member, text="three")
    assert not calls(found, "copyMessage")
    assert texts(found) == [text_of(app, "ask_limit", limit=2)]
    assert clock() == now
    pin_clock(app, lambda: now + timedelta(minutes=61))
    assert calls(await member_sends(member, text="an hour later"), "copyMessage", ADMIN_CHAT)


async def test_a_blocked_member_is_told_once_and_nothing_reaches_the_admins(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    topic, _ = await open_topic(member)
    blocked = only(await admin_sends(member, topic=topic, text="/block"))
    assert blocked.text == text_of(app, "ask_admin_blocked")
    assert await count(app, AskBlock) == 1
    await member.send("/ask")
    first = await member_sends(member, text="why?")
    assert texts(first) == [text_of(app, "ask_blocked")]
    assert not calls(first, "copyMessage")
    await member.send("/ask")
    assert await member_sends(member, text="hello??") == []
    unblocked = only(await admin_sends(member, topic=topic, text="/unblock"))
    assert unblocked.text == text_of(app, "ask_admin_unblocked")
    await member.send("/ask")
    assert calls(await member_sends(member, text="thanks"), "copyMessage", ADMIN_CHAT)


async def test_crisis_words_get_the_member_help_first_and_mark_the_message_for_the_admins(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    await member.send("/ask")
    found = await member_sends(member, text="some days I want to end my life")
    first_to_member = next(c for c in found if c.method == "sendMessage")
    assert int(first_to_member.params["chat_id"]) == MEMBER_ID
    assert opening(app, "crisis") in first_to_member.text
    crisis_mark = text_of(app, "ask_admin_crisis")
    mark = next(i for i, c in enumerate(found) if c.text == crisis_mark)
    after = found[mark + 1]
    assert (after.method, int(after.params["chat_id"])) == ("copyMessage", ADMIN_CHAT)
    assert found.index(first_to_member) < mark, "the member is helped first"


async def test_crisis_words_past_the_limit_still_get_help_and_reach_the_admins(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    deps = app_deps(app)
    deps.settings = deps.settings.model_copy(update={"ask_limit_per_hour": 1})
    await open_topic(member)
    found = await member_sends(member, text="some days I want to end my life")
    first_to_member = next(c for c in found if c.method == "sendMessage")
    assert opening(app, "crisis") in first_to_member.text
    assert calls(found, "copyMessage", ADMIN_CHAT), "a crisis is passed on past the limit"
    assert text_of(app, "ask_limit", limit=1) not in texts(found)


async def test_a_blocked_member_in_crisis_gets_help_and_nothing_reaches_the_admins(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    topic, _ = await open_topic(member)
    await admin_sends(member, topic=topic, text="/block")
    await member.send("/ask")
    found = await member_sends(member, text="i want to die")
    assert opening(app, "crisis") in found[0].text
    assert int(found[0].params["chat_id"]) == MEMBER_ID
    assert not calls(found, "copyMessage")


# --- Closing, forgetting, the no-match button ----------------------------------------------


async def test_close_closes_the_topic_and_the_next_message_reopens_it(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    topic, _ = await open_topic(member)
    closed = await admin_sends(member, topic=topic, text="/close")
    assert int(only(closed, "closeForumTopic").params["message_thread_id"]) == topic
    told = calls(closed, "sendMessage", MEMBER_ID)
    assert texts(told) == [text_of(app, "ask_member_closed")]
    # The member is no longer "asking": a typed question is for the FAQ again.
    assert not calls(await member.send("cost"), "copyMessage")
    await member.send("/ask")
    again = await member_sends(member, text="one more thing")
    assert int(only(again, "reopenForumTopic").params["message_thread_id"]) == topic
    assert int(calls(again, "copyMessage", ADMIN_CHAT)[0].params["message_thread_id"]) == topic


async def test_close_outside_a_conversation_says_how_to_use_it(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    found = await admin_sends(member, text="/close")
    assert texts(found) == [text_of(app, "ask_admin_which")]


async def test_mydata_shows_the_conversation_and_forget_erases_it_and_closes_the_topic(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    topic, _ = await open_topic(member)
    await admin_sends(member, topic=topic, text="Hello Sam")
    shown = only(await member.send("/mydata")).text
    assert "conversation with the admins" in shown
    assert "never their content" in shown
    ask = only(await member.send("/forget"))
    done = await member.press(ask, "erase")
    assert int(only(done, "closeForumTopic").params["message_thread_id"]) == topic
    note = calls(done, "sendMessage", ADMIN_CHAT)
    assert texts(note) == [text_of(app, "ask_admin_forgotten")]
    for model in (AskThread, AskMessage, AskBlock):
        assert await count(app, model) == 0
    assert not calls(await admin_sends(member, topic=topic, text="hi?"), "copyMessage")


async def test_a_no_match_reply_offers_to_ask_the_admins(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    hint = only(await member.send("hello there"))
    prompt = only(await member.press(hint, "Ask the admins"))
    assert opening(app, "ask_prompt") in prompt.text
    assert calls(await member_sends(member, text="a question"), "copyMessage", ADMIN_CHAT)
    group = member.in_group()
    no_match = only(await group.send("/faq zzzzqqq"))
    button = next(b for b in no_match.buttons if "Ask the admins" in b["text"])
    assert button["url"].endswith("?start=ask")
    opened = only(await member.send("/start ask"))
    assert opening(app, "ask_prompt") in opened.text


async def test_ask_in_the_group_points_to_the_private_chat(member: Driver, app: AnyApp) -> None:
    found = only(await member.in_group().send("/ask"))
    assert found.text == text_of(app, "ask_in_private")
    assert found.buttons[0]["url"].endswith("?start=ask")


# --- When things are not there --------------------------------------------------------------


async def test_without_an_admin_chat_ask_says_so_and_no_button_is_offered(
    member: Driver, app: AnyApp
) -> None:
    deps = app_deps(app)
    deps.settings = deps.settings.model_copy(update={"admin_chat_id": None})
    assert only(await member.send("/ask")).text == text_of(app, "ask_unavailable")
    hint = only(await member.send("hello there"))
    assert not any("Ask the admins" in b["text"] for b in hint.buttons)


async def test_an_admin_chat_the_bot_cannot_reach_gets_the_member_a_kind_note(
    member: Driver, forum: FakeBotAPI, app: AnyApp, caplog: pytest.LogCaptureFixture
) -> None:
    await member.send("/ask")
    forum.fail("getChat", 403, "Forbidden: bot was kicked from the supergroup chat")
    with caplog.at_level(logging.WARNING):
        found = await member_sends(member, text="hello?")
    assert texts(found) == [text_of(app, "ask_failed")]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await count(app, AskMessage) == 0, "not counted against the hourly limit"


async def test_an_answer_telegram_cannot_copy_is_reported_with_telegrams_words(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    topic, _ = await open_topic(member)
    forum.fail("copyMessage", 400, "Bad Request: message can't be copied")
    note = only(await admin_sends(member, topic=topic, text="a quiz"))
    assert note.text == text_of(app, "ask_admin_not_copied", error="Message can't be copied")


async def test_a_photo_sent_without_ask_is_offered_to_the_admins(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    hint = only(await member_sends(member, **PHOTO))
    assert hint.text == text_of(app, "ask_media_hint")
    prompt = only(await member.press(hint, "Ask the admins"))
    assert opening(app, "ask_prompt") in prompt.text
    assert calls(await member_sends(member, **PHOTO), "copyMessage", ADMIN_CHAT)


async def test_without_the_right_to_manage_topics_messages_arrive_under_a_header(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    forum.fail("createForumTopic", 400, "Bad Request: not enough rights to create a topic")
    await member.send("/ask")
    found = await member_sends(member, text="hello")
    header = calls(found, "sendMessage", ADMIN_CHAT)[0]
    assert opening(app, "ask_admin_header") in header.text
    copy = calls(found, "copyMessage", ADMIN_CHAT)[0]
    assert copy.params["reply_parameters"]["message_id"] == header.result["message_id"]
    assert texts(calls(found, "sendMessage", MEMBER_ID)) == [text_of(app, "ask_sent")]


async def test_relayed_message_ids_are_forgotten_after_30_days(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    deps = app_deps(app)
    now = deps.clock()
    pin_clock(app, lambda: now)
    topic, _ = await open_topic(member)
    await admin_sends(member, topic=topic, text="answer")
    assert await count(app, AskMessage) == 2
    assert app.job_queue is not None
    [job] = app.job_queue.get_jobs_by_name(PRUNE_JOB)
    pin_clock(app, lambda: now + timedelta(days=29))
    await job.run(app)
    assert await count(app, AskMessage) == 2
    pin_clock(app, lambda: now + timedelta(days=31))
    await job.run(app)
    assert await count(app, AskMessage) == 0
    assert await count(app, AskThread) == 1, "the topic stays theirs until /forget"


# --- Languages -----------------------------------------------------------------------------


async def test_the_member_reads_ask_in_their_language_the_admins_in_the_community_s(
    member: Driver, forum: FakeBotAPI, app: AnyApp
) -> None:
    spanish = Driver(app, forum, MEMBER_ID, "Sam", language_code="es")
    assert only(await spanish.send("/ask")).text.startswith("✉️ Escribe tu mensaje")
    chat = {"id": MEMBER_ID, "type": "private", "first_name": "Sam"}
    found = await feed(spanish, message(chat, MEMBER | {"language_code": "es"}, text="Hola"))
    thanks = calls(found, "sendMessage", MEMBER_ID)
    assert thanks[-1].text.startswith("✅ Tu mensaje llegó a la administración")
    intro = calls(found, "sendMessage", ADMIN_CHAT)[0]
    assert "wrote to the admins" in intro.text, "the admins' side stays in COMMUNITY_LANGUAGE"
    topic = int(calls(found, "createForumTopic")[0].result["message_thread_id"])
    await admin_sends(member, topic=topic, text="/sign")
    answer = only(await admin_sends(member, topic=topic, text="Aquí estamos."), "sendMessage")
    assert answer.text.endswith("— Alex, administración")
