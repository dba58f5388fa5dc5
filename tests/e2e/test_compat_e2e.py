"""The compat proxy's fixes, checked with a bare PTB 22 Bot (no FibroBot process).

Each test names the gap from compat.py it covers. If a newer telegram-test-api fixes a
gap, the matching workaround can go; if one of these fails, the harness is broken, not
the bot.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from compat import MAX_LONG_POLL_SECONDS, CompatProxy
from e2e_harness import (
    ADMIN_USER_ID,
    BOT_TOKEN,
    GROUP_CHAT_ID,
    Emulator,
    post_json,
    require_emulator,
)
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.error import BadRequest, Conflict

pytestmark = pytest.mark.e2e

T = TypeVar("T")
USER: dict[str, Any] = {"id": 3000001, "is_bot": False, "first_name": "Lee"}
ADMIN: dict[str, Any] = {"id": ADMIN_USER_ID, "is_bot": False, "first_name": "Ada"}
GROUP: dict[str, Any] = {"id": GROUP_CHAT_ID, "type": "supergroup", "title": "Group"}


@dataclass
class Stack:
    emulator: Emulator
    proxy: CompatProxy

    def run(self, make: Any) -> Any:
        """Run ``make(bot)`` (a coroutine function) with an initialized PTB Bot."""

        async def go() -> Any:
            async with Bot(BOT_TOKEN, base_url=f"{self.proxy.url}/bot") as bot:
                return await make(bot)

        return _run(go())

    def user_says(self, text: str, chat: dict[str, Any] | None = None) -> None:
        post_json(
            f"{self.emulator.url}/sendMessage",
            {
                "botToken": BOT_TOKEN,
                "from": USER,
                "chat": chat or {"id": USER["id"], "type": "private", "first_name": "Lee"},
                "date": int(time.time()),
                "text": text,
            },
        )


async def confirm_all(bot: Bot) -> None:
    """Fetch and confirm (offset = last + 1) whatever earlier tests left pending."""
    updates = await bot.get_updates(timeout=0)
    if updates:
        await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)


def _run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    require_emulator()
    emulator = Emulator(tmp_path_factory.mktemp("compat") / "emulator.log")
    proxy = CompatProxy(emulator.url).start()
    proxy.register_chat(GROUP)
    proxy.register_user(USER)
    proxy.register_user(ADMIN, admin=True)
    try:
        yield Stack(emulator, proxy)
    finally:
        proxy.stop()
        emulator.stop()


def test_gap1_get_me_is_a_bot(stack: Stack) -> None:
    me = stack.run(lambda bot: bot.get_me())
    assert me.is_bot is True


def test_gap2_send_message_answers_a_real_message(stack: Stack) -> None:
    async def send(bot: Bot) -> Any:
        return await bot.send_message(
            GROUP_CHAT_ID,
            "<b>hi</b>",
            parse_mode="HTML",
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )

    message = stack.run(send)
    assert abs(message.date.timestamp() - time.time()) < 60, "date in seconds"
    assert message.chat.type == "supergroup"
    assert message.from_user is not None
    assert message.from_user.is_bot


def test_gap3_get_updates_keeps_updates_until_confirmed_and_waits(stack: Stack) -> None:
    stack.run(confirm_all)  # whatever earlier tests left
    stack.user_says("one")
    stack.user_says("two")

    async def scenario(bot: Bot) -> tuple[Any, ...]:
        first = await bot.get_updates(timeout=0)
        again = await bot.get_updates(offset=first[0].update_id, timeout=0)
        rest = await bot.get_updates(offset=first[0].update_id + 1, timeout=0, limit=1)
        started = time.monotonic()
        empty = await bot.get_updates(offset=first[-1].update_id + 1, timeout=30)
        return first, again, rest, empty, time.monotonic() - started

    first, again, rest, empty, waited = stack.run(scenario)
    assert [u.message.text for u in first] == ["one", "two"]
    assert [u.message.text for u in again] == ["one", "two"], "unconfirmed updates come back"
    assert [u.message.text for u in rest] == ["two"], "offset confirms, limit is honoured"
    assert empty == ()
    assert MAX_LONG_POLL_SECONDS * 0.8 <= waited < MAX_LONG_POLL_SECONDS + 2, "long poll"


def test_gap4_and_gap7_callback_edit_and_answer(stack: Stack) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])

    async def send(bot: Bot) -> Any:
        await confirm_all(bot)
        return await bot.send_message(USER["id"], "menu", reply_markup=markup)

    sent = stack.run(send)
    post_json(
        f"{stack.emulator.url}/sendCallback",
        {
            "botToken": BOT_TOKEN,
            "from": USER,
            "message": {
                "message_id": sent.message_id,
                "date": int(time.time()),
                "chat": {"id": USER["id"], "type": "private", "first_name": "Lee"},
                "text": "menu",
            },
            "data": "go",
        },
    )

    async def handle(bot: Bot) -> tuple[Any, ...]:
        updates = await bot.get_updates(timeout=1)
        query = updates[-1].callback_query
        assert query is not None
        answered = await query.answer("done")
        edited = await query.edit_message_text("answer")  # no reply_markup: buttons go
        return query, answered, edited

    query, answered, edited = stack.run(handle)
    assert query.chat_instance, "GAP 7"
    assert query.data == "go"
    assert answered is True
    assert edited.message_id == sent.message_id, "GAP 4b: the edited Message comes back"
    assert edited.text == "answer"
    assert edited.reply_markup is None
    stored = [
        item["message"]
        for item in post_json(f"{stack.emulator.url}/getUpdatesHistory", {"token": BOT_TOKEN})[
            "result"
        ]
        if item.get("messageId") == sent.message_id
    ]
    assert stored[0]["text"] == "answer"
    assert not stored[0]["reply_markup"]["inline_keyboard"], "GAP 4a: old buttons removed"


def test_gap5_and_gap6_unemulated_methods(stack: Stack) -> None:
    async def calls(bot: Bot) -> tuple[Any, ...]:
        commands = await bot.set_my_commands([("start", "Start")])
        admins = await bot.get_chat_administrators(GROUP_CHAT_ID)
        admin = await bot.get_chat_member(GROUP_CHAT_ID, ADMIN_USER_ID)
        member = await bot.get_chat_member(GROUP_CHAT_ID, USER["id"])
        return commands, admins, admin, member

    commands, admins, admin, member = stack.run(calls)
    assert commands is True
    assert ADMIN_USER_ID in [a.user.id for a in admins]
    assert admin.status == "administrator"
    assert member.status == "member"
    assert stack.proxy.find_calls("setMyCommands")[-1].params["commands"]


def test_unknown_methods_fail_loudly(stack: Stack) -> None:
    async def poll(bot: Bot) -> Any:
        return await bot.send_poll(USER["id"], "Q?", ["a", "b"])

    with pytest.raises(BadRequest, match=r"(?i)sendPoll is emulated by neither"):
        stack.run(poll)


def test_injected_updates_reach_the_bot(stack: Stack) -> None:
    stack.run(confirm_all)
    stack.proxy.inject_update(
        BOT_TOKEN,
        {
            "edited_message": {
                "message_id": 99,
                "date": int(time.time()),
                "edit_date": int(time.time()),
                "chat": {"id": USER["id"], "type": "private", "first_name": "Lee"},
                "from": USER,
                "text": "edited",
            }
        },
    )
    stack.user_says("after")
    updates = stack.run(lambda bot: bot.get_updates(timeout=1))
    assert [u.effective_message.text for u in updates] == ["edited", "after"]
    assert updates[0].update_id < updates[1].update_id


def test_gap4c_edits_that_change_nothing_or_miss_are_refused(stack: Stack) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])

    async def scenario(bot: Bot) -> Any:
        sent = await bot.send_message(USER["id"], "same", reply_markup=markup)
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("same", USER["id"], sent.message_id, reply_markup=markup)
        with pytest.raises(BadRequest, match="not found"):
            await bot.edit_message_text("x", USER["id"], 987654)
        return await bot.edit_message_reply_markup(USER["id"], sent.message_id)

    edited = stack.run(scenario)
    assert edited.reply_markup is None, "removing the buttons is a change"


def test_gap13_a_second_poller_ends_the_first_with_409_conflict(stack: Stack) -> None:
    async def two_pollers() -> list[object]:
        base = f"{stack.proxy.url}/bot"
        async with Bot(BOT_TOKEN, base_url=base) as one, Bot(BOT_TOKEN, base_url=base) as two:
            await one.delete_webhook(drop_pending_updates=True)  # earlier tests' updates
            first = asyncio.create_task(one.get_updates(timeout=1))
            await asyncio.sleep(0.3)  # the first one is held open, waiting for updates
            second = asyncio.create_task(two.get_updates(timeout=1))
            return await asyncio.gather(first, second, return_exceptions=True)

    before = stack.proxy.conflicts
    older, newer = _run(two_pollers())
    assert isinstance(older, Conflict), older
    assert "terminated by other getUpdates request" in older.message
    assert newer == ()
    assert stack.proxy.conflicts == before + 1
