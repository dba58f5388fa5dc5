"""Members joining and leaving: logged (id and time), newcomers welcomed in the group.

The welcome carries the rules and two buttons (FAQ, daily tips) that open a private chat with
the bot. With WELCOME_DELETE_MINUTES it is deleted later to keep the group tidy; pending
deletions are kept in the database and rescheduled at start-up.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

from telegram import (
    Bot,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
    User,
)
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ChatMemberHandler, Job

from bot.deps import Context, Deps, app_deps, get_deps
from bot.features import members
from bot.features.community import community_chat_id
from bot.features.sending import WELCOME, sending
from bot.features.text import escape
from handlers import faq
from handlers.common import bot_link, reply

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]

FAQ_PAYLOAD = "faq"
SUBSCRIBE_PAYLOAD = "subscribe"  # opened by the daily tips feature
DELETE_JOB = "welcome-delete"
RETRY_DELETE = timedelta(minutes=5)


# --- The welcome ---------------------------------------------------------------------------


def welcome_text(deps: Deps, first_name: str) -> str:
    """The group welcome: a short hello, then the rules."""
    hello = deps.content.text("group_welcome", first_name=escape(first_name))
    return f"{hello}\n\n{deps.content.text('rules')}"


def welcome_markup(deps: Deps, context: Context) -> InlineKeyboardMarkup:
    """FAQ and daily-tips buttons, each opening a private chat with the bot."""
    content = deps.content
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(content.text("button_faq"), url=bot_link(context, FAQ_PAYLOAD))],
            [
                InlineKeyboardButton(
                    content.text("button_subscribe"), url=bot_link(context, SUBSCRIBE_PAYLOAD)
                )
            ],
        ]
    )


async def welcome(context: Context, chat_id: int, newcomer: User) -> None:
    """Post the welcome; schedule its deletion when configured."""
    deps = get_deps(context)
    text = welcome_text(deps, newcomer.first_name)
    try:
        with sending(WELCOME):
            message = await context.bot.send_message(
                chat_id, text, reply_markup=welcome_markup(deps, context)
            )
    except TelegramError as exc:
        log.warning("Could not welcome a newcomer in chat %s: %s", chat_id, type(exc).__name__)
        return
    minutes = deps.settings.welcome_delete_minutes
    if minutes:
        delete_at = deps.clock() + timedelta(minutes=minutes)
        async with deps.transaction() as session:
            members.remember_welcome(session, chat_id, message.message_id, delete_at)
        schedule_delete(context.application, chat_id, message.message_id, delete_at)


# --- Tidying up ----------------------------------------------------------------------------


def schedule_delete(application: AnyApp, chat_id: int, message_id: int, at: datetime) -> None:
    """A one-off job that deletes a welcome at ``at``."""
    if application.job_queue is None:
        return
    application.job_queue.run_once(
        delete_job,
        when=at,
        data=(chat_id, message_id),
        name=f"{DELETE_JOB}:{chat_id}:{message_id}",
    )


async def delete_welcome(bot: Bot, deps: Deps, chat_id: int, message_id: int) -> bool:
    """Delete a welcome; False when Telegram should be asked again later."""
    try:
        await bot.delete_message(chat_id, message_id)
    except BadRequest as exc:
        # Already deleted by an admin, or too old to delete: nothing more to do.
        log.info("Welcome %s in chat %s not deleted: %s", message_id, chat_id, exc.message)
    except (RetryAfter, NetworkError) as exc:
        log.warning("Could not delete a welcome yet: %s", type(exc).__name__)
        return False
    except TelegramError as exc:
        log.warning("Could not delete a welcome: %s", type(exc).__name__)
    async with deps.transaction() as session:
        await members.forget_welcome(session, chat_id, message_id)
    return True


async def delete_job(context: Context) -> None:
    """The job that deletes one welcome, retried a little later on a network hiccup."""
    chat_id, message_id = cast(tuple[int, int], cast(Job[Any], context.job).data)
    deps = get_deps(context)
    if not await delete_welcome(context.bot, deps, chat_id, message_id):
        retry_at = deps.clock() + RETRY_DELETE
        schedule_delete(context.application, chat_id, message_id, retry_at)


async def restore_deletions(application: AnyApp) -> None:
    """At start-up: schedule again the deletions a restart interrupted (overdue ones soon)."""
    deps = app_deps(application)
    async with deps.transaction() as session:
        waiting = await members.welcomes_to_delete(session)
    soon = deps.clock() + timedelta(seconds=5)
    for row in waiting:
        schedule_delete(application, row.chat_id, row.message_id, max(row.delete_at, soon))


# --- Handlers ------------------------------------------------------------------------------


async def member_changed(update: Update, context: Context) -> None:
    """Someone joined or left a group: log it in the community, welcome newcomers."""
    change = cast(ChatMemberUpdated, update.chat_member)
    kind = members.membership_change(change)
    person = change.new_chat_member.user
    if kind is None or person.is_bot:
        return
    deps = get_deps(context)
    async with deps.transaction() as session:
        if change.chat.id != await community_chat_id(session, deps.settings):
            return
        members.record_event(session, person.id, kind, deps.clock())
    if kind == members.JOIN:
        await welcome(context, change.chat.id, person)


async def open_faq(update: Update, context: Context, payload: str) -> None:
    """`/start faq` (the welcome's FAQ button): the topic menu in private."""
    if payload != FAQ_PAYLOAD:
        await faq.open_from_deep_link(update, context, payload)
        return
    text, markup = faq.menu(get_deps(context).content_for(update), 0)
    await reply(update, text, markup)


def register(application: AnyApp, deps: Deps) -> None:
    """Joins and leaves, the FAQ deep link, rescheduled deletions, and /mydata, /forget."""
    application.add_handler(ChatMemberHandler(member_changed, ChatMemberHandler.CHAT_MEMBER))
    deps.deep_links.setdefault(FAQ_PAYLOAD, open_faq)
    deps.on_startup.append(restore_deletions)
    deps.personal_data.append(members.MEMBER_EVENTS)
