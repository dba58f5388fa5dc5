"""Who is an admin: the community group's creator and administrators, and ADMIN_USER_IDS.

Group admins come from getChatAdministrators, cached for at most five minutes and dropped
when a chat_member update shows a change. An anonymous admin posting as the group counts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.deps import Context, Deps, get_deps
from bot.features.community import community_chat_id

log = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
ADMIN_STATUSES = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


@dataclass
class AdminCache:
    """Admin ids per chat, with when they were fetched."""

    entries: dict[int, tuple[float, frozenset[int]]] = field(default_factory=dict)

    def get(self, chat_id: int) -> frozenset[int] | None:
        """The cached admins of a chat, or None when missing or older than five minutes."""
        entry = self.entries.get(chat_id)
        if entry is None or time.monotonic() - entry[0] > CACHE_SECONDS:
            return None
        return entry[1]

    def put(self, chat_id: int, admins: frozenset[int]) -> None:
        """Remember a chat's admins."""
        self.entries[chat_id] = (time.monotonic(), admins)

    def drop(self, chat_id: int) -> None:
        """Forget a chat's admins, so the next check asks Telegram again."""
        self.entries.pop(chat_id, None)


def admin_cache(context: Context) -> AdminCache:
    """The application's admin cache."""
    cache: AdminCache = context.bot_data.setdefault("admin_cache", AdminCache())
    return cache


async def group_admins(bot: Bot, cache: AdminCache, chat_id: int) -> frozenset[int]:
    """The creator and administrators of a group (cached); empty when Telegram cannot say."""
    cached = cache.get(chat_id)
    if cached is not None:
        return cached
    try:
        members = await bot.get_chat_administrators(chat_id)
    except TelegramError as exc:
        log.warning("Cannot list the admins of chat %s: %s", chat_id, type(exc).__name__)
        return frozenset()
    admins = frozenset(m.user.id for m in members if m.status in ADMIN_STATUSES)
    cache.put(chat_id, admins)
    return admins


async def community_id(deps: Deps) -> int | None:
    """The community group's id (from /setup or COMMUNITY_CHAT_ID)."""
    async with deps.transaction() as session:
        return await community_chat_id(session, deps.settings)


async def is_admin(update: Update, context: Context) -> bool:
    """True for ADMIN_USER_IDS, the group's admins, and anonymous admins posting as it."""
    deps = get_deps(context)
    user = update.effective_user
    if user is not None and user.id in deps.settings.admin_user_ids:
        return True
    community = await community_id(deps)
    if community is None:
        return False
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        # An anonymous admin writes "as the group": Telegram shows the group as the sender.
        return message.sender_chat.id == community
    if user is None:
        return False
    return user.id in await group_admins(context.bot, admin_cache(context), community)


Callback = Callable[[Update, Context], Coroutine[Any, Any, Any]]


def admin_only(callback: Callback) -> Callback:
    """Wrap a handler so that only admins reach it; others get a short refusal."""

    async def guarded(update: Update, context: Context) -> Any:
        if await is_admin(update, context):
            return await callback(update, context)
        refusal = get_deps(context).content.text("admin_only")
        if update.callback_query is not None:
            await update.callback_query.answer(refusal, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(refusal)
        return None

    guarded.__name__ = getattr(callback, "__name__", "guarded")
    guarded.__doc__ = callback.__doc__
    return guarded


async def refresh_on_member_change(update: Update, context: Context) -> None:
    """A chat_member update: someone's rights may have changed, so ask Telegram again."""
    if update.effective_chat is not None:
        admin_cache(context).drop(update.effective_chat.id)
