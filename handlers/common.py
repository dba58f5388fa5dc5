"""Small helpers shared by the feature modules."""

from __future__ import annotations

from typing import cast

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType

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
