"""/mydata and /forget: everything the bot stores about a member, shown or erased.

What is stored is listed by each feature in ``deps.personal_data`` (see ``bot.storage.privacy``).
"""

from __future__ import annotations

import logging
from typing import Any, cast

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.deps import Context, Deps, get_deps
from bot.features import subscriptions as subs
from bot.features.content import Content
from bot.features.i18n import native_name
from bot.features.text import escape
from bot.storage.privacy import Fact, PersonalData, after_erase_all, describe_all, erase_all
from handlers.common import reply
from handlers.subscribe import private_only, show, user_id_of, waiting_of

log = logging.getLogger(__name__)

PREFIX = "privacy:"
TIPS_DATA = PersonalData("data_kind_tips", subs.subscription_facts, subs.erase_subscription)


def forget_markup(content: Content) -> InlineKeyboardMarkup:
    """Erase, or keep."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    content.text("button_forget"), callback_data=f"{PREFIX}forget!"
                ),
                InlineKeyboardButton(
                    content.text("button_keep_data"), callback_data=f"{PREFIX}keep"
                ),
            ]
        ]
    )


def data_text(content: Content, found: dict[str, list[Fact]]) -> str:
    """Each kind of data with its lines, as HTML, in the member's language."""
    return "\n\n".join(
        f"<b>{escape(content.text(name))}</b>\n"
        + "\n".join(f"• {escape(content.text(key, **readable(fields)))}" for key, fields in facts)
        for name, facts in found.items()
    )


def readable(fields: dict[str, object]) -> dict[str, object]:
    """A stored language code as its own name: ``pt`` reads "Português"."""
    code = fields.get("language")
    return fields | {"language": native_name(code)} if isinstance(code, str) else fields


async def stored_or_say_nothing(update: Update, context: Context) -> dict[str, list[Fact]]:
    """Everything stored about the member, by kind; when nothing is, say so to them."""
    deps = get_deps(context)
    async with deps.transaction() as session:
        found = await describe_all(session, deps.personal_data, user_id_of(update))
    if not found:
        await reply(update, deps.content_for(update).text("privacy_nothing"))
    return found


async def mydata_command(update: Update, context: Context) -> None:
    """/mydata: everything stored about the member."""
    if await private_only(update, context, "mydata"):
        return
    found = await stored_or_say_nothing(update, context)
    if found:
        content = get_deps(context).content_for(update)
        text = content.text("privacy_mydata", data=data_text(content, found))
        await reply(update, text)


async def forget_command(update: Update, context: Context) -> None:
    """/forget: ask before erasing."""
    if await private_only(update, context, "mydata"):
        return
    deps = get_deps(context)
    found = await stored_or_say_nothing(update, context)
    if not found:
        return
    waiting_of(context).ask(user_id_of(update), "forget")
    content = deps.content_for(update)
    kinds = escape(", ".join(content.text(name) for name in found))
    await reply(update, content.text("privacy_ask_forget", kinds=kinds), forget_markup(content))


async def forget_button(update: Update, context: Context) -> None:
    """Erase everything (confirmed), or keep it."""
    query = cast(CallbackQuery, update.callback_query)
    await query.answer()
    deps = get_deps(context)
    user_id = user_id_of(update)
    waiting_of(context).done(user_id)
    if query.data != f"{PREFIX}forget!":
        await show(update, deps.content_for(update).text("privacy_kept"), None, True)
        return
    content = deps.content_for(update)  # the language they read, before it is erased
    async with deps.transaction() as session:
        erased = await erase_all(session, deps.personal_data, user_id)
    deps.chosen_languages[user_id] = None
    await after_erase_all(deps.personal_data, user_id)
    # Flows in progress also live in memory (user_data); drop them there too.
    context.application.drop_user_data(user_id)
    log.info("Erased %s row(s) at a member's request", erased)
    await show(update, content.text("privacy_forgotten"), None, True)


async def typed_instead_of_button(
    update: Update, context: Context, _text: str, _extra: str
) -> None:
    """Text where the confirmation buttons were expected: hint, and the buttons again."""
    deps = get_deps(context)
    await reply(
        update,
        deps.content_for(update).text("tips_use_buttons"),
        forget_markup(deps.content_for(update)),
    )


async def open_deep_link(update: Update, context: Context, _payload: str) -> None:
    """``/start mydata`` from the group's button."""
    await mydata_command(update, context)


def register(application: Application[Any, Any, Any, Any, Any, Any], deps: Deps) -> None:
    """/mydata, /forget and their buttons; the daily tips' data joins the registry."""
    application.add_handler(CommandHandler("mydata", mydata_command))
    application.add_handler(CommandHandler("forget", forget_command))
    application.add_handler(CallbackQueryHandler(forget_button, pattern=f"^{PREFIX}"))
    waiting_of_app(application).answers["forget"] = typed_instead_of_button
    deps.deep_links["mydata"] = open_deep_link
    deps.personal_data.append(TIPS_DATA)


def waiting_of_app(application: Application[Any, Any, Any, Any, Any, Any]) -> Any:
    """The open questions (registered by handlers.subscribe, which must come first)."""
    return application.bot_data["tips_waiting"]
