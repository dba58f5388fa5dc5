"""/setup makes a group the community group; a group upgraded to a supergroup is followed."""

from __future__ import annotations

import logging
from typing import Any, cast

from telegram import Message, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.deps import Context, Deps, get_deps
from bot.features import announcements as ann
from bot.features.admins import admin_cache, group_admins, is_admin
from bot.features.community import community_chat_id, set_community_chat
from bot.runtime.commands import set_admin_commands
from handlers.common import is_private, reply

log = logging.getLogger(__name__)


async def admin_here(update: Update, context: Context) -> bool:
    """True for ADMIN_USER_IDS and for admins of the group the command was sent in."""
    deps, chat = get_deps(context), update.effective_chat
    user, message = update.effective_user, update.effective_message
    if user is not None and user.id in deps.settings.admin_user_ids:
        return True
    if chat is None:
        return False
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id
    admins = await group_admins(context.bot, admin_cache(context), chat.id)
    return user is not None and user.id in admins


async def may_set_up(update: Update, context: Context, current: int | None) -> bool:
    """Admins of this group may claim it; moving an existing community also needs its admins."""
    if not await admin_here(update, context):
        return False
    return current is None or await is_admin(update, context)


async def setup_command(update: Update, context: Context) -> None:
    """/setup in a group: this group becomes the community group, schedules follow it."""
    deps = get_deps(context)
    chat = update.effective_chat
    if chat is None or is_private(update):
        await reply(update, deps.content_for(update).text("setup_private"))
        return
    async with deps.transaction() as session:
        current = await community_chat_id(session, deps.settings)
    if current == chat.id:
        await reply(update, deps.content_for(update).text("setup_already"))
        return
    if not await may_set_up(update, context, current):
        await reply(update, deps.content_for(update).text("admin_only"))
        return
    moved = await claim_group(deps, chat.id, current, who(update))
    await reply(update, deps.content_for(update).text("setup_done", moved=moved))
    # The admin command menu belongs to the community's administrators: show it in the new group.
    await set_admin_commands(context.bot, deps)


async def claim_group(deps: Deps, chat_id: int, current: int | None, by: int | None) -> int:
    """Store the community group and move pending schedules to it; how many moved."""
    async with deps.transaction() as session:
        await set_community_chat(session, chat_id, set_by=by)
        await ann.record(session, "community", "setup", by, f"{current} -> {chat_id}")
        return await ann.move_schedules(session, current, chat_id) if current else 0


def who(update: Update) -> int | None:
    """The admin (or the group, for an anonymous admin) behind an update."""
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id
    return update.effective_user.id if update.effective_user else None


async def migrated(update: Update, context: Context) -> None:
    """The service message of a group upgraded to a supergroup: follow it."""
    message = cast(Message, update.effective_message)
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    deps = get_deps(context)
    async with deps.transaction() as session:
        moved = await ann.follow_group(session, deps.settings, old, new)
    log.info("Group %s became supergroup %s; %s schedules followed", old, new, moved)
    await set_admin_commands(context.bot, deps)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/setup and the supergroup migration service messages."""
    application.add_handler(CommandHandler("setup", setup_command))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
