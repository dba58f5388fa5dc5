"""/help: the commands a member can use."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.deps import Context, get_deps
from bot.features.admins import is_admin
from bot.features.content import Content
from bot.features.text import escape
from handlers.common import reply


def help_text(content: Content) -> str:
    """The help message: every member command with its description."""
    lines = [f"/{c.command} — {escape(c.description)}" for c in content.commands]
    shortcuts = [e for e in content.faq if e.command]
    lines += [f"/{e.command} — {escape(e.title)}" for e in shortcuts]
    return content.text("help", commands="\n".join(lines))


def admin_help_text(content: Content) -> str:
    """The admins' part of the help: their commands with descriptions."""
    lines = [f"/{c.command} — {escape(c.description)}" for c in content.admin_commands]
    return content.text("admin_help", commands="\n".join(lines))


async def help_command(update: Update, context: Context) -> None:
    """Reply with the list of commands; admins also see theirs."""
    content = get_deps(context).content_for(update)
    text = help_text(content)
    if content.admin_commands and await is_admin(update, context):
        text = f"{text}\n\n{admin_help_text(content)}"
    await reply(update, text)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/help."""
    application.add_handler(CommandHandler("help", help_command))
