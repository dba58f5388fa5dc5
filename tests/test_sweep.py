"""Kinds of update that real groups send and that are easy to get wrong, each kept right.

An edited command; an anonymous admin and a member posting as their own channel; a restricted
member freed and a bot joining; a button tapped twice; updates that carry no user at all.
"""

from __future__ import annotations

import itertools
import logging
import time
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update
from telegram.ext import TypeHandler

from bot.app import AnyApp
from bot.config import Settings
from bot.deps import app_deps
from bot.runtime.fakeapi import ADMIN_ID, GROUP_ID, NOT_MODIFIED, FakeBotAPI
from bot.storage.models import ScheduleChange
from tests.test_members import events, membership, welcome_now
from tests.tg import MEMBER_ID, Driver, chat, only, texts, user

_ids = itertools.count(9000)

# The senders Telegram puts in `from` when someone posts as a chat rather than as themselves.
GROUP_ANONYMOUS_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group"}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel"}
OWN_CHANNEL = {"id": -1009876543210, "type": "channel", "title": "Sam's channel"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # The tests end the welcome's gathering window themselves, never the timer.
    return settings.model_copy(update={"welcome_gather_seconds": 60})


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """What the error handler logged: it must stay empty."""
    caplog.set_level(logging.WARNING, logger="bot.runtime.errors")
    return caplog


def logged_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.runtime.errors"]


def update(app: AnyApp, kind: str, body: dict[str, Any]) -> Update:
    return Update.de_json({"update_id": next(_ids), kind: body}, app.bot)


def message(
    text: str, chat_id: int, sender: dict[str, Any] | None, **extra: Any
) -> dict[str, Any]:
    """A text message as Telegram sends it; ``sender`` None leaves out `from`."""
    body: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat(chat_id),
        "text": text,
        **extra,
    }
    if sender is not None:
        body["from"] = sender
    if text.startswith("/"):
        length = len(text.split(maxsplit=1)[0])
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return body


# --- An edited command ---------------------------------------------------------------------


@pytest.mark.parametrize("chat_id", [MEMBER_ID, GROUP_ID], ids=["private", "group"])
async def test_an_edited_command_is_answered_once_as_it_now_reads(
    app: AnyApp, member: Driver, errors: pytest.LogCaptureFixture, chat_id: int
) -> None:
    typo = message("/faq cots and prise", chat_id, user())
    await member.process(update(app, "message", typo))
    fixed = typo | {"text": "/faq cost", "edit_date": int(time.time())}
    fixed["entities"] = [{"type": "bot_command", "offset": 0, "length": 4}]
    answer = only(await member.process(update(app, "edited_message", fixed)))
    assert "$5,000" in answer.text, "the edit is read as the member wrote it in the end"
    assert answer.params["chat_id"] in (chat_id, str(chat_id))
    assert logged_errors(errors) == []


# --- Who may use admin commands ------------------------------------------------------------


async def test_an_anonymous_admin_posting_as_the_group_is_an_admin(
    app: AnyApp, member: Driver, errors: pytest.LogCaptureFixture
) -> None:
    anonymous = {"sender_chat": chat(GROUP_ID)}
    calls = await member.process(
        update(app, "message", message("/stats", GROUP_ID, GROUP_ANONYMOUS_BOT, **anonymous))
    )
    assert any("Community statistics" in text for text in texts(calls))
    calls = await member.process(
        update(app, "message", message("/welcome off", GROUP_ID, GROUP_ANONYMOUS_BOT, **anonymous))
    )
    assert "Welcomes are off" in only(calls).text
    async with app_deps(app).transaction() as session:
        change = await session.scalar(
            select(ScheduleChange).where(ScheduleChange.target == "welcome")
        )
    assert change is not None
    assert change.user_id == GROUP_ID, "recorded as the group, the only name Telegram gives"
    assert logged_errors(errors) == []


@pytest.mark.parametrize("command", ["/stats", "/welcome off", "/scheduled", "/announce"])
async def test_a_member_posting_as_their_own_channel_is_refused(
    app: AnyApp, member: Driver, errors: pytest.LogCaptureFixture, command: str
) -> None:
    as_channel = {"sender_chat": OWN_CHANNEL}
    calls = await member.process(
        update(app, "message", message(command, GROUP_ID, CHANNEL_BOT, **as_channel))
    )
    assert "only the community's admins" in only(calls).text
    assert logged_errors(errors) == []


# --- Joins that are not joins, and bots ----------------------------------------------------


async def test_a_restricted_member_freed_is_not_welcomed_again(
    app: AnyApp, member: Driver
) -> None:
    await member.process(membership(app, "restricted-in", "member"))
    await welcome_now(app)
    assert member.api.sent() == [], "they were in the group all along"
    assert await events(app) == []


async def test_a_restricted_outsider_let_in_is_welcomed(app: AnyApp, member: Driver) -> None:
    await member.process(membership(app, "restricted-out", "member", first_name="Ana"))
    await welcome_now(app)
    assert only(member.api.sent()).text.startswith("Welcome, Ana 💜")
    assert await events(app) == [(MEMBER_ID, "join")]


async def test_a_bot_joining_gets_no_welcome_and_no_log(app: AnyApp, member: Driver) -> None:
    await member.process(membership(app, "left", "member", 4242, first_name="Spam", is_bot=True))
    await member.process(membership(app, "left", "administrator", 4243, is_bot=True))
    await welcome_now(app)
    assert member.api.sent() == []
    assert await events(app) == []


# --- A button tapped twice -----------------------------------------------------------------


@pytest.mark.parametrize("label", ["What are stem cells", "Next"])
async def test_a_double_tap_is_answered_without_an_error_or_an_apology(
    member: Driver, api: FakeBotAPI, errors: pytest.LogCaptureFixture, label: str
) -> None:
    menu = only(await member.send("/faq"))
    first = await member.press(menu, label)
    assert only(first, "editMessageText")
    # Both taps carry the menu message: the second asks for the very same edit.
    second = await member.press(menu, label)
    [refused] = [c for c in second if c.method == "editMessageText"]
    assert refused.result is None, "Telegram answered 'message is not modified'"
    assert NOT_MODIFIED.startswith("Bad Request: message is not modified")
    assert [c.method for c in second if c.method != "editMessageText"] == ["answerCallbackQuery"]
    assert "text" not in only(second, "answerCallbackQuery").params, "no apology"
    assert logged_errors(errors) == []


# --- Updates with no user ------------------------------------------------------------------


def no_user_updates(app: AnyApp) -> list[Update]:
    channel = {"id": -1005555555555, "type": "channel", "title": "Fibro news"}
    post = message("/faq cost", 0, None, sender_chat=channel) | {"chat": channel}
    poll = {
        "id": "poll-1",
        "question": "How was your sleep?",
        "options": [
            {"persistent_id": "a", "text": "OK", "voter_count": 1},
            {"persistent_id": "b", "text": "Bad", "voter_count": 2},
        ],
        "total_voter_count": 3,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    }
    reactions = {
        "chat": chat(GROUP_ID),
        "message_id": 5,
        "date": int(time.time()),
        "reactions": [{"type": {"type": "emoji", "emoji": "❤"}, "total_count": 2}],
    }
    return [
        update(app, "channel_post", post),
        update(app, "edited_channel_post", post | {"edit_date": int(time.time())}),
        update(app, "poll", poll),
        update(app, "message_reaction_count", reactions),
    ]


async def test_updates_without_a_user_pass_every_handler_quietly(
    app: AnyApp, member: Driver, errors: pytest.LogCaptureFixture
) -> None:
    for item in no_user_updates(app):
        assert item.effective_user is None
        assert await member.process(item) == [], type(item)
    assert logged_errors(errors) == []
    # The bot still works for the next member.
    assert "$5,000" in only(await member.send("/faq cost")).text


async def test_a_failure_on_an_update_without_a_user_is_logged_and_reported(
    app: AnyApp, member: Driver, errors: pytest.LogCaptureFixture
) -> None:
    async def broken(_update: Update, _context: Any) -> None:
        raise RuntimeError("a bug")

    app.add_handler(TypeHandler(Update, broken), group=99)
    poll = no_user_updates(app)[2]
    calls = await member.process(poll)
    [record] = [r for r in errors.records if r.name == "bot.runtime.errors"]
    assert record.levelno == logging.ERROR
    assert "'user_id': None" in record.getMessage()
    note = only(calls)
    assert int(note.params["chat_id"]) == ADMIN_ID, "the admins hear of it; nobody else to tell"
