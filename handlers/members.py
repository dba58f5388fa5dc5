"""Members joining and leaving: logged (id and time), newcomers welcomed in the group.

Joins that come within WELCOME_GATHER_SECONDS of each other get one welcome together
("Welcome, Ana, Ben and 28 others"), gathered by one named job per chat on the JobQueue, and
each new welcome deletes the previous one, as big group bots do: a wave of joins (a spam raid,
a link shared in a big channel) gives one message, not one per person, well inside Telegram's
limit of about 20 messages a minute in one group (https://core.telegram.org/bots/faq, "My bot
is hitting limits"). The welcome carries the rules and two buttons (FAQ, daily tips) that
open a private chat with the bot. With WELCOME_DELETE_MINUTES it is deleted later to keep the
group tidy; welcomes still in the group are kept in the database, so a restart still deletes
or replaces them. Admins switch welcomes off and on with ``/welcome off|on``.
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
from telegram.ext import Application, ChatMemberHandler, CommandHandler, Job

from bot.deps import Context, Deps, app_deps, get_deps
from bot.features import members
from bot.features.admins import admin_only
from bot.features.community import community_chat_id
from bot.features.sending import WELCOME, sending
from bot.storage.models import WelcomeMessage
from handlers import faq
from handlers.common import bot_link, reply
from handlers.setup import who

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
Newcomers = dict[int, str]  # user id -> first name, in the order they joined

FAQ_PAYLOAD = "faq"
SUBSCRIBE_PAYLOAD = "subscribe"  # opened by the daily tips feature
DELETE_JOB = "welcome-delete"
GATHER_JOB = "welcome-gather"
RETRY_DELETE = timedelta(minutes=5)


# --- The welcome ---------------------------------------------------------------------------


def welcome_text(deps: Deps, first_names: list[str]) -> str:
    """The group welcome: a short hello to everyone gathered, then the rules."""
    names = members.greeted_names(deps.content, first_names)
    hello = deps.content.text("group_welcome", names=names)
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


def gather(context: Context, chat_id: int, newcomer: User) -> None:
    """Add a newcomer to the chat's coming welcome; the first join of a window schedules it."""
    if context.job_queue is None:
        return
    name = f"{GATHER_JOB}:{chat_id}"
    pending = context.job_queue.get_jobs_by_name(name)
    if pending:
        cast(Newcomers, pending[0].data)[newcomer.id] = newcomer.first_name
        return
    context.job_queue.run_once(
        welcome_job,
        when=get_deps(context).settings.welcome_gather_seconds,
        data={newcomer.id: newcomer.first_name},
        chat_id=chat_id,
        name=name,
    )


def ungather(context: Context, chat_id: int, user_id: int) -> None:
    """Someone left before their welcome went out (often a spammer removed): do not greet them."""
    if context.job_queue is None:
        return
    for job in context.job_queue.get_jobs_by_name(f"{GATHER_JOB}:{chat_id}"):
        cast(Newcomers, job.data).pop(user_id, None)


async def welcome_job(context: Context) -> None:
    """The end of a gathering window: one welcome for everyone who joined in it."""
    job = cast(Job[Any], context.job)
    newcomers = cast(Newcomers, job.data)
    first_names = list(newcomers.values())
    newcomers.clear()  # run once, even if asked twice
    if first_names:
        await welcome(context, cast(int, job.chat_id), first_names)


async def welcome(context: Context, chat_id: int, first_names: list[str]) -> None:
    """Post one welcome, unless admins turned welcomes off; it replaces the previous one."""
    deps = get_deps(context)
    async with deps.transaction() as session:
        if not await members.welcomes_on(session):
            return
        previous = await members.posted_welcomes(session, chat_id)
    text = welcome_text(deps, first_names)
    try:
        with sending(WELCOME):
            message = await context.bot.send_message(
                chat_id, text, reply_markup=welcome_markup(deps, context)
            )
    except TelegramError as exc:
        log.warning("Could not welcome newcomers in chat %s: %s", chat_id, type(exc).__name__)
        return
    minutes = deps.settings.welcome_delete_minutes
    delete_at = deps.clock() + timedelta(minutes=minutes) if minutes else None
    async with deps.transaction() as session:
        members.remember_welcome(session, chat_id, message.message_id, delete_at)
    if delete_at is not None:
        schedule_delete(context.application, chat_id, message.message_id, delete_at)
    await replace(context, deps, previous)


async def replace(context: Context, deps: Deps, previous: list[WelcomeMessage]) -> None:
    """Delete the welcomes a new one replaces; retried later when Telegram cannot yet."""
    for row in previous:
        name = f"{DELETE_JOB}:{row.chat_id}:{row.message_id}"
        for job in context.job_queue.get_jobs_by_name(name) if context.job_queue else ():
            job.schedule_removal()
        if not await delete_welcome(context.bot, deps, row.chat_id, row.message_id):
            retry_at = deps.clock() + RETRY_DELETE
            async with deps.transaction() as session:
                await members.delete_later(session, row.chat_id, row.message_id, retry_at)
            schedule_delete(context.application, row.chat_id, row.message_id, retry_at)


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
        when = max(row.delete_at, soon) if row.delete_at is not None else soon
        schedule_delete(application, row.chat_id, row.message_id, when)


# --- Handlers ------------------------------------------------------------------------------


async def member_changed(update: Update, context: Context) -> None:
    """Someone joined or left a group: log it in the community, gather newcomers' welcome.

    A change that keeps someone in the group (a restricted member freed, an admin demoted) is
    not a join; bots are neither logged nor welcomed.
    """
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
        greet = kind == members.JOIN and await members.welcomes_on(session)
    if kind != members.JOIN:
        ungather(context, change.chat.id, person.id)
    elif greet:  # decided when they join: turning welcomes on later does not greet them
        gather(context, change.chat.id, person)


@admin_only
async def welcome_command(update: Update, context: Context) -> None:
    """/welcome on|off: switch the newcomers' welcome (admins); /welcome alone tells the state."""
    deps = get_deps(context)
    choice = context.args[0].lower() if context.args else ""
    if choice not in ("", "on", "off"):
        await reply(update, deps.content.text("welcome_usage"))
        return
    async with deps.transaction() as session:
        if choice:
            await members.switch_welcomes(session, choice == "on", who(update))
        enabled = await members.welcomes_on(session)
    if choice:
        log.info("Welcomes turned %s by %s", choice, who(update))
    await reply(update, deps.content.text("welcome_on" if enabled else "welcome_off"))


async def open_faq(update: Update, context: Context, payload: str) -> None:
    """`/start faq` (the welcome's FAQ button): the topic menu in private."""
    if payload != FAQ_PAYLOAD:
        await faq.open_from_deep_link(update, context, payload)
        return
    text, markup = faq.menu(get_deps(context).content_for(update), 0)
    await reply(update, text, markup)


def register(application: AnyApp, deps: Deps) -> None:
    """Joins and leaves, /welcome, the FAQ deep link, rescheduled deletions, /mydata, /forget."""
    application.add_handler(ChatMemberHandler(member_changed, ChatMemberHandler.CHAT_MEMBER))
    application.add_handler(CommandHandler("welcome", welcome_command))
    deps.deep_links.setdefault(FAQ_PAYLOAD, open_faq)
    deps.on_startup.append(restore_deletions)
    deps.personal_data.append(members.MEMBER_EVENTS)
