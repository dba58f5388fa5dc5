"""/doctor for admins, in private: the same set-up report as ``fibrobot doctor``."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import MessageLimit
from telegram.ext import Application, CommandHandler

from bot.deps import Context, get_deps
from bot.features.admins import admin_only
from bot.features.text import escape
from bot.runtime.doctor import Doctor, report
from handlers.common import is_private, reply


@admin_only
async def doctor_command(update: Update, context: Context) -> None:
    """Run every check and reply with one line per check; in the group, point to private."""
    deps = get_deps(context)
    if not is_private(update):
        await reply(update, deps.content.text("doctor_private_only"))
        return
    checks = await Doctor(deps.settings, context.bot, deps.metrics.role).run()
    header = deps.content.text("doctor_header")
    room = MessageLimit.MAX_TEXT_LENGTH - len(header) - 200  # escaping lengthens the text
    await reply(update, f"{header}\n\n{escape(report(checks)[:room])}")


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/doctor."""
    application.add_handler(CommandHandler("doctor", doctor_command))
