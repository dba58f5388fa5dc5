"""Telegram's command menus: the members' commands for everyone, the admins' for admins."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeChat,
    BotCommandScopeChatAdministrators,
)
from telegram.error import TelegramError

from bot.deps import Deps
from bot.features.community import community_chat_id
from bot.features.content import Content

log = logging.getLogger(__name__)


def menu_commands(content: Content) -> list[BotCommand]:
    """Telegram's command menu: the member commands, then FAQ shortcuts from faq.yaml."""
    commands = [BotCommand(c.command, c.description) for c in content.commands]
    listed = {c.command for c in content.commands}
    for entry in content.faq:
        if entry.command and entry.command not in listed:
            commands.append(BotCommand(entry.command, entry.title))
    return commands


def admin_menu_commands(content: Content) -> list[BotCommand]:
    """The admins' command menu: everything members have, then the admin commands."""
    admin = [BotCommand(c.command, c.description) for c in content.admin_commands]
    return menu_commands(content) + admin


def menu_languages(deps: Deps) -> list[tuple[str | None, Content]]:
    """Each command menu to register, as (language code, content).

    The default menu (no code) is in the community's language; then one per shipped language,
    which Telegram shows to members whose app uses that language.
    """
    languages = deps.catalog.codes if deps.catalog is not None else ()
    return [(None, deps.content)] + [(code, deps.content_in(code)) for code in languages]


async def set_menus(bot: Bot, deps: Deps) -> None:
    """Register Telegram's command menu in every language, then the admins' menus.

    setMyCommands with ``language_code`` (https://core.telegram.org/bots/api#setmycommands).
    """
    for code, content in menu_languages(deps):
        await bot.set_my_commands(menu_commands(content), language_code=code)
    await set_admin_commands(bot, deps)


async def set_admin_commands(bot: Bot, deps: Deps) -> None:
    """Show the admin commands to the community's administrators and to ADMIN_USER_IDS.

    Call again when the community group changes (/setup). A chat Telegram does not know yet
    (an admin who never opened the bot) is logged and skipped.
    """
    if not deps.content.admin_commands:
        return
    async with deps.transaction() as session:
        community = await community_chat_id(session, deps.settings)
    scopes: list[BotCommandScope] = [
        BotCommandScopeChat(user_id) for user_id in sorted(deps.settings.admin_user_ids)
    ]
    if community is not None:
        scopes.insert(0, BotCommandScopeChatAdministrators(community))
    for scope in scopes:
        for code, content in menu_languages(deps):
            try:
                await bot.set_my_commands(
                    admin_menu_commands(content), scope=scope, language_code=code
                )
            except TelegramError as exc:
                log.warning("Admin commands not registered for a %s: %s", scope.type, exc)
                break
