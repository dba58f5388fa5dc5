"""One error handler: log first (ids only, never text), apologise, tell the admins."""

from __future__ import annotations

import logging
import time
from typing import Any, cast

from sqlalchemy.exc import DBAPIError
from telegram import CallbackQuery, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.deps import Context, get_deps
from bot.runtime.lease import RoleLost

log = logging.getLogger("bot.runtime.errors")

# Bad requests that only mean a member was quicker or slower than Telegram: not our bug.
HARMLESS_BAD_REQUESTS = (
    "query is too old",
    "message is not modified",
    "message to edit not found",
)
ADMIN_NOTE_INTERVAL = 300.0  # seconds between two error notes to the admins


def update_ids(update: object) -> dict[str, Any]:
    """The ids that identify an update in the logs: never its text."""
    if not isinstance(update, Update):
        return {"update": type(update).__name__}
    return {
        "update_id": update.update_id,
        "chat_id": update.effective_chat.id if update.effective_chat else None,
        "user_id": update.effective_user.id if update.effective_user else None,
    }


def is_expected(error: BaseException | None) -> bool:
    """True for Telegram events that are not bugs: blocked, flood control, network, migration.

    PTB makes BadRequest a NetworkError, yet it means the bot sent something wrong, so it is
    an error unless Telegram only says that a button or message expired.
    """
    if isinstance(error, BadRequest):
        return any(words in error.message.lower() for words in HARMLESS_BAD_REQUESTS)
    return isinstance(error, (Forbidden, RetryAfter, NetworkError, ChatMigrated))


def lost_database(error: BaseException | None) -> bool:
    """True when SQLAlchemy says the database connection broke under a query."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


async def error_handler(update: object, context: Context) -> None:
    """Log the error with the update's ids; expected Telegram events are warnings."""
    error = context.error
    ids = update_ids(update)
    if isinstance(error, RoleLost):
        # This process gave up its role mid-way: the next active one takes over from the
        # stored state (a tip claimed but not sent is sent by it). Nothing can be sent here.
        what = ids if isinstance(update, Update) else "a job"
        log.warning("Stopped %s: this process is no longer the active one", what)
        return
    if lost_database(error):
        # The database went away (a restart, a cut network): the lease notices it too and
        # this process steps down if it must. Not a bug, so no traceback.
        get_deps(context).metrics.count_error(expected=True)
        log.warning("Database connection lost while handling %s: %s", ids, type(error).__name__)
        await _apologise(update, context)
        return
    expected = is_expected(error)
    get_deps(context).metrics.count_error(expected=expected)
    if expected:
        # Expected events: the member blocked the bot, flood control, a network hiccup,
        # a group turned supergroup. The feature that sent the message deals with them.
        log.warning("Telegram said %s: %s (%s)", type(error).__name__, error, ids)
        return
    log.error("Error while handling %s", ids, exc_info=error)
    await _apologise(update, context)
    await _tell_admins(context, ids, error)


async def _apologise(update: object, context: Context) -> None:
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    text = get_deps(context).content_for(update).text("error_apology")
    try:
        if update.callback_query is not None and await _answer_button(update, text):
            return
        message = update.effective_message
        if message is not None:
            # In the group, reply to the member rather than address everyone.
            await message.reply_text(text, do_quote=update.effective_chat.type != "private")
            return
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError as exc:
        log.warning("Could not send the apology: %s (%s)", type(exc).__name__, update_ids(update))


async def _answer_button(update: Update, text: str) -> bool:
    """Stop the button's spinner with the apology as a notice; False if it was answered already."""
    try:
        await cast(CallbackQuery, update.callback_query).answer(text, show_alert=True)
    except TelegramError:
        return False
    return True


async def _tell_admins(context: Context, ids: dict[str, Any], error: BaseException | None) -> None:
    deps = get_deps(context)
    last_note: dict[int, float] = context.bot_data.setdefault("admin_error_notes", {})
    now = time.monotonic()
    for admin_id in sorted(deps.settings.admin_user_ids):
        if now - last_note.get(admin_id, -ADMIN_NOTE_INTERVAL) < ADMIN_NOTE_INTERVAL:
            continue
        last_note[admin_id] = now
        note = deps.content.text(
            "error_admin_note", error=type(error).__name__, update_id=ids.get("update_id", "-")
        )
        try:
            await context.bot.send_message(admin_id, note)
        except TelegramError as exc:
            log.warning("Could not tell admin %s about an error: %s", admin_id, type(exc).__name__)
