"""Commands the bot does not know: a pointer to /help in private, silence in the group."""

from __future__ import annotations

from typing import Any, cast

from telegram import Message, Update
from telegram.ext import Application, MessageHandler, filters

from bot.deps import Context, get_deps
from bot.features.text import escape
from handlers.common import reply


async def unknown_command(update: Update, context: Context) -> None:
    """Point the member at /help."""
    text = cast(Message, update.effective_message).text or ""
    command = text.split()[0].split("@")[0][:40] if text.strip() else "/"
    await reply(
        update,
        get_deps(context).content_for(update).text("unknown_command", command=escape(command)),
    )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Catch-all for commands, private chats only (in the group they may be for other bots)."""
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command)
    )
