"""/links: the community's links as buttons, with what to do in an emergency."""

from __future__ import annotations

from typing import Any, cast

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.deps import Context, get_deps
from bot.features.content import Content
from bot.features.text import escape
from handlers.common import reply

LINKS = "links:show"


def links_message(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    """The links text and one URL button per link, then the helpline directory."""
    lines = [content.text("links_intro")]
    lines += [
        f"• <b>{escape(link.title)}</b> — {escape(link.description)}" for link in content.links
    ]
    lines.append(escape(content.emergency.text))
    rows = [[InlineKeyboardButton(link.title, url=link.url)] for link in content.links]
    rows.append(
        [
            InlineKeyboardButton(
                content.text("button_emergency"), url=content.emergency.directory_url
            )
        ]
    )
    return "\n\n".join(lines), InlineKeyboardMarkup(rows)


def crisis_message(content: Content) -> tuple[str, InlineKeyboardMarkup]:
    """For a member who may be in crisis: kind words, the emergency text, the helplines."""
    text = f"{content.text('crisis')}\n\n<b>{escape(content.emergency.text)}</b>"
    button = InlineKeyboardButton(
        content.text("button_emergency"), url=content.emergency.directory_url
    )
    return text, InlineKeyboardMarkup([[button]])


async def links_command(update: Update, context: Context) -> None:
    """Reply with the links."""
    text, markup = links_message(get_deps(context).content_for(update))
    await reply(update, text, markup)


async def links_button(update: Update, context: Context) -> None:
    """The Links button under the welcome: send the links as a new message."""
    query = cast(CallbackQuery, update.callback_query)
    await query.answer()
    text, markup = links_message(get_deps(context).content_for(update))
    await reply(update, text, markup)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/links and the Links button."""
    application.add_handler(CommandHandler("links", links_command))
    application.add_handler(CallbackQueryHandler(links_button, pattern=f"^{LINKS}$"))
