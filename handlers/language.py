"""/language: a member chooses the language the bot writes to them in, with buttons.

Each button is the language's name in itself ("Español", "Português"), so a member can find
theirs whatever language the bot is speaking. The choice is stored with the member (shown
by /mydata, erased by /forget); "as my Telegram" goes back to Telegram's language.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import select, update
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.deps import Context, Deps, get_deps
from bot.features.content import Content
from bot.features.i18n import native_name
from bot.storage.models import Member, Subscription, utcnow
from handlers.common import reply
from handlers.faq import edit
from handlers.tracking import upsert_seen

PREFIX = "lang:"
AUTO = "auto"


def language_markup(deps: Deps, content: Content) -> InlineKeyboardMarkup:
    """One button per shipped language in its own name, then "as my Telegram"."""
    codes = deps.catalog.codes if deps.catalog is not None else (deps.content.language,)
    rows = [
        [InlineKeyboardButton(native_name(code), callback_data=PREFIX + code)] for code in codes
    ]
    auto = content.text("button_language_auto")
    rows.append([InlineKeyboardButton(auto, callback_data=PREFIX + AUTO)])
    return InlineKeyboardMarkup(rows)


async def language_command(update: Update, context: Context) -> None:
    """/language: the member's language now, and the choices."""
    deps = get_deps(context)
    content = deps.content_for(update)
    text = content.text("language_ask", language=native_name(content.language))
    await reply(update, text, language_markup(deps, content))


async def store_choice(deps: Deps, user: User, language: str | None) -> None:
    """Keep the member's choice (None: follow Telegram) and send their tips in it."""
    async with deps.transaction() as session:
        await upsert_seen(session, Member, {"id": user.id, "language": language})
        subscribed = await session.scalar(
            select(Subscription.id).where(Subscription.member_id == user.id)
        )
        deps.chosen_languages[user.id] = language
        if subscribed is not None:
            tips_language = deps.language_of(user)
            await session.execute(
                update(Subscription)
                .where(Subscription.id == subscribed)
                .values(language=tips_language, updated_at=utcnow())
            )


async def language_button(update: Update, context: Context) -> None:
    """A language button: store the choice, confirm in the chosen language."""
    query = cast(CallbackQuery, update.callback_query)
    deps = get_deps(context)
    await query.answer()
    choice = cast(str, query.data).removeprefix(PREFIX)
    codes = deps.catalog.codes if deps.catalog is not None else (deps.content.language,)
    language = choice if choice in codes else None
    await store_choice(deps, query.from_user, language)
    content = deps.content_for(update)
    key = "language_set" if language is not None else "language_auto"
    await edit(query, content.text(key, language=native_name(content.language)), None)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/language and its buttons."""
    application.add_handler(CommandHandler("language", language_command))
    application.add_handler(CallbackQueryHandler(language_button, pattern=f"^{PREFIX}"))
