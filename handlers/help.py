"""/help: the commands a member can use."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.content import Content
from bot.deps import Context, get_deps
from bot.text import escape
from handlers.common import reply


def help_text(content: Content) -> str:
    """The help message: every member command with its description."""
    lines = [f"/{c.command} — {escape(c.description)}" for c in content.commands]
    shortcuts = [e for e in content.faq if e.command]
    lines += [f"/{e.command} — {escape(e.title)}" for e in shortcuts]
    return content.text("help", commands="\n".join(lines))


async def help_command(update: Update, context: Context) -> None:
    """Reply with the list of commands."""
    await reply(update, help_text(get_deps(context).content))


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/help."""
    application.add_handler(CommandHandler("help", help_command))
