"""Builders of real Telegram ``Update`` objects, and a driver for the application under test."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from telegram import Update

from bot.app import AnyApp
from bot.deps import app_deps
from bot.runtime.fakeapi import ADMIN_ID, GROUP_ID, ApiCall, FakeBotAPI

MEMBER_ID = 1001
OTHER_MEMBER_ID = 1002

_ids = itertools.count(1)

# The rights Telegram lists for an administrator in a chat_member update.
ADMIN_RIGHTS = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)

C = TypeVar("C", bound=Callable[[], datetime])


def pin_clock(app: AnyApp, clock: C) -> C:
    """Run the app on ``clock`` and pause its real-time scheduler.

    The JobQueue fires on the real clock, so a job scheduled for a pinned moment would fire
    (or not) depending on today's date. Tests that pin the clock call the jobs themselves.
    """
    app_deps(app).clock = clock
    assert app.job_queue is not None
    if app.job_queue.scheduler.running:
        app.job_queue.scheduler.pause()
    return clock


def user(
    user_id: int = MEMBER_ID, first_name: str = "Sam", language_code: str | None = None
) -> dict[str, Any]:
    """A Telegram user as JSON; ``language_code`` is their app's language (IETF tag)."""
    found: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code is not None:
        found["language_code"] = language_code
    return found


def chat(chat_id: int) -> dict[str, Any]:
    """A private chat for positive ids, the community supergroup for negative ones."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Sam"}
    return {"id": chat_id, "type": "supergroup", "title": "Fibro community"}


@dataclass
class Driver:
    """Plays a member talking to the real application; reads what the bot sent."""

    app: AnyApp
    api: FakeBotAPI
    user_id: int = MEMBER_ID
    first_name: str = "Sam"
    chat_id: int | None = None  # None: the member's private chat
    sent_before: int = field(default=0)
    language_code: str | None = None  # their Telegram app's language, e.g. "es-419"

    @property
    def where(self) -> int:
        """The chat the member is typing in."""
        return self.chat_id if self.chat_id is not None else self.user_id

    def in_group(self, group_id: int = GROUP_ID) -> Driver:
        """The same member, typing in the group."""
        return Driver(
            self.app, self.api, self.user_id, self.first_name, group_id, 0, self.language_code
        )

    def as_user(self, user_id: int, first_name: str = "Alex") -> Driver:
        """Another person in the same chat (private chats follow the person)."""
        chat_id = self.chat_id if self.chat_id is not None and self.chat_id < 0 else None
        return Driver(self.app, self.api, user_id, first_name, chat_id)

    def message_update(self, text: str) -> Update:
        """A message from the member, with a bot_command entity when it starts with /."""
        message: dict[str, Any] = {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": chat(self.where),
            "from": user(self.user_id, self.first_name, self.language_code),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return Update.de_json({"update_id": next(_ids), "message": message}, self.app.bot)

    async def send(self, text: str) -> list[ApiCall]:
        """Send a message; return the Bot API calls the bot made while handling it."""
        return await self.process(self.message_update(text))

    async def process(self, update: Update) -> list[ApiCall]:
        """Feed one update; return the calls it caused."""
        before = len(self.api.calls)
        await self.app.process_update(update)
        return self.api.calls[before:]

    async def press(self, call: ApiCall, label: str) -> list[ApiCall]:
        """Press the inline button whose text contains ``label`` on a message the bot sent."""
        button = next((b for b in call.buttons if label in b["text"]), None)
        if button is None:
            labels = [b["text"] for b in call.buttons]
            raise AssertionError(f"no button {label!r} among {labels}")
        return await self.press_data(call, button["callback_data"])

    async def press_data(self, call: ApiCall, data: str) -> list[ApiCall]:
        """Press a button by its callback data."""
        chat_id = int(call.params["chat_id"])
        message_id = int(call.params.get("message_id") or call.result["message_id"])
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat(chat_id),
            "from": {"id": self.app.bot.id, "is_bot": True, "first_name": "FibroBot"},
            "text": call.text,
        }
        query = {
            "id": str(next(_ids)),
            "from": user(self.user_id, self.first_name, self.language_code),
            "chat_instance": str(chat_id),
            "data": data,
            "message": message,
        }
        update = Update.de_json({"update_id": next(_ids), "callback_query": query}, self.app.bot)
        return await self.process(update)


def texts(calls: list[ApiCall], *methods: str) -> list[str]:
    """The texts of the messages sent (and edited) among ``calls``."""
    wanted = methods or ("sendMessage", "editMessageText")
    return [call.text for call in calls if call.method in wanted]


def only(calls: list[ApiCall], *methods: str) -> ApiCall:
    """The one message call among ``calls``; fails when there are none or several."""
    wanted = methods or ("sendMessage", "editMessageText")
    found = [call for call in calls if call.method in wanted]
    assert len(found) == 1, f"expected one message, got {[(c.method, c.text[:60]) for c in found]}"
    return found[0]


__all__ = ["ADMIN_ID", "GROUP_ID", "Driver", "only", "texts"]
