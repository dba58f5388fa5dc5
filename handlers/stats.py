"""/stats for admins: the community's figures as text, then a chart of the last 30 days."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.deps import Context, get_deps
from bot.features import stats
from bot.features.admins import admin_only
from handlers.common import is_private, reply

log = logging.getLogger(__name__)


@admin_only
async def stats_command(update: Update, context: Context) -> None:
    """Reply with the report, then the chart."""
    deps = get_deps(context)
    async with deps.transaction() as session:
        report = await stats.build_report(session, deps.clock(), deps.settings.zone)
    await reply(update, stats.report_text(deps.content_for(update), report, deps.settings.zone))
    # Drawing takes a moment: do it off the event loop so other members are not kept waiting.
    png = await asyncio.to_thread(stats.render_chart, deps.content_for(update), report)
    message = cast(Message, update.effective_message)
    try:
        await message.reply_photo(
            png,
            caption=deps.content_for(update).text("stats_chart_caption"),
            do_quote=not is_private(update),
        )
    except TelegramError as exc:
        log.warning("Could not send the stats chart: %s", type(exc).__name__)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/stats."""
    application.add_handler(CommandHandler("stats", stats_command))
