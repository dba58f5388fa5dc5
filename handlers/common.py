"""Small helpers shared by the feature modules."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, cast

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from bot.deps import Context
from bot.features.content import Content
from bot.features.text import split_message


def is_private(update: Update) -> bool:
    """True in a one-to-one chat with the bot."""
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """Reply to the member; in a group, quote their message so the thread stays readable.

    Long texts are split at Telegram's 4096-character limit; buttons go on the last part.
    """
    message = cast(Message, update.effective_message)
    parts = split_message(text)
    quote = not is_private(update)
    for part in parts[:-1]:
        await message.reply_text(part, do_quote=quote)
    return await message.reply_text(parts[-1], reply_markup=markup, do_quote=quote)


def bot_link(context: Context, payload: str) -> str:
    """A t.me deep link that opens a private chat with the bot with ``/start payload``."""
    return f"https://t.me/{context.bot.username}?start={payload}"


def disclaimer(content: Content) -> str:
    """The line every health answer ends with, in the reader's language."""
    return f"<i>{content.text('disclaimer')}</i>"


def flow(
    name: str,
    entry: BaseHandler[Update, Any, Any],
    states: dict[object, list[BaseHandler[Update, Any, Any]]],
    cancels: Sequence[BaseHandler[Update, Any, Any]],
    timeout_seconds: float,
    *,
    persistent: bool = False,
) -> ConversationHandler[Any]:
    """A guided flow with buttons: per chat and per user, restartable, left after a timeout.

    ``cancels`` are the fallbacks that end it at any step; ``persistent`` keeps the step
    through a restart (bot.runtime.persistence).
    """
    with warnings.catch_warnings():
        # Buttons inside a per-chat, per-user flow are intended (PTB warns about per_message).
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[entry],
            states=states,
            fallbacks=list(cancels),
            per_chat=True,
            per_user=True,
            allow_reentry=True,
            conversation_timeout=timeout_seconds,
            name=name,
            persistent=persistent,
        )
