"""/start: the welcome with the main buttons, and deep links such as ``/start faq-cost``."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.deps import Context, Deps, get_deps
from bot.features.content import Content
from bot.features.text import escape
from handlers.common import disclaimer, is_private, reply
from handlers.faq import MENU
from handlers.links import LINKS


def welcome_markup(content: Content) -> InlineKeyboardMarkup:
    """The main buttons: FAQ topics and community links."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(content.text("button_faq"), callback_data=f"{MENU}0")],
            [InlineKeyboardButton(content.text("button_links"), callback_data=LINKS)],
        ]
    )


async def start(update: Update, context: Context) -> None:
    """Open a deep link when there is one, otherwise welcome the member."""
    deps = get_deps(context)
    payload = context.args[0] if context.args else ""
    for prefix, open_link in deps.deep_links.items():
        if payload.startswith(prefix):
            await open_link(update, context, payload)
            return
    user = update.effective_user
    first_name = escape(user.first_name) if user and user.first_name else ""
    content = deps.content_for(update)
    text = content.text("welcome", first_name=first_name, bot_name=escape(context.bot.first_name))
    if is_private(update):
        # In private, newcomers also read the group's rules.
        text = f"{text}\n\n{content.text('rules')}"
    await reply(update, f"{text}\n\n{disclaimer(content)}", welcome_markup(content))


def register(application: Application[Any, Any, Any, Any, Any, Any], deps: Deps) -> None:
    """/start, in private and in the group."""
    application.add_handler(CommandHandler("start", start))
