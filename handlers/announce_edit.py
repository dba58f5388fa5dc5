"""/edit <id>: change the text, the media or the time of a scheduled post in place. Admins only.

The post keeps its id, its schedule history and its job (moved when the time changes);
every change is logged in ScheduleChange with who and when.
"""

from __future__ import annotations

from typing import Any, cast

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.deps import Context, Deps, get_deps
from bot.features import announcements as ann
from bot.features.admins import admin_only
from bot.features.content import Content
from bot.features.text import escape
from bot.features.when import WhenError, parse_when
from bot.storage.models import Announcement
from handlers.announce import (
    EDIT_CB,
    EDIT_CHOOSE,
    EDIT_CONTENT,
    EDIT_TIME,
    MEDIA,
    TIMEOUT_SECONDS,
    media_in,
    next_label,
    show_preview,
    stale_button,
    target_of,
    user_id,
    when_error,
)
from handlers.common import flow, reply


def edit_key(update: Update) -> str:
    """Where the post being edited in this chat is remembered, in the admin's user_data."""
    chat = update.effective_chat
    return f"edit:{chat.id if chat else 0}"


def edit_buttons(content: Content, *pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """One row per button (text key, callback suffix), and Cancel last."""
    rows = [
        [InlineKeyboardButton(content.text(key), callback_data=EDIT_CB + data)]
        for key, data in pairs
    ]
    rows.append(
        [InlineKeyboardButton(content.text("button_cancel"), callback_data=EDIT_CB + "cancel")]
    )
    return InlineKeyboardMarkup(rows)


def editable(deps: Deps, row: Announcement | None, target: str) -> str | None:
    """Why a post cannot be edited, or None when it can."""
    if row is None:
        return deps.content.text("manage_unknown", id=escape(target))
    if row.status not in (ann.SCHEDULED, ann.PAUSED):
        return deps.content.text("manage_done", id=row.id)
    return None


@admin_only
async def edit_start(update: Update, context: Context) -> int:
    """/edit <id>: what should change?"""
    deps = get_deps(context)
    target = target_of(context.args)
    if target is None or not target.isdigit():
        await reply(update, deps.content.text("edit_usage"))
        return ConversationHandler.END
    async with deps.transaction() as session:
        refused = editable(deps, await session.get(Announcement, int(target)), target)
    if refused is not None:
        await reply(update, refused)
        return ConversationHandler.END
    cast(dict[str, Any], context.user_data)[edit_key(update)] = int(target)
    markup = edit_buttons(
        deps.content, ("button_edit_content", "content"), ("button_edit_time", "time")
    )
    await reply(update, deps.content.text("edit_ask", id=int(target)), markup)
    return EDIT_CHOOSE


async def choose(update: Update, context: Context) -> int:
    """Text or media, or time."""
    deps = get_deps(context)
    query = cast(CallbackQuery, update.callback_query)
    await query.answer()
    if query.data == EDIT_CB + "time":
        text = f"{deps.content.text('edit_ask_time')}\n\n{deps.content.text('when_forms')}"
        await reply(update, text, edit_buttons(deps.content))
        return EDIT_TIME
    await reply(update, deps.content.text("edit_ask_content"), edit_buttons(deps.content))
    return EDIT_CONTENT


async def new_content(update: Update, context: Context) -> int:
    """A new text (the media stays), or new media with its caption as the text."""
    message = cast(Message, update.effective_message)
    media = media_in(message)
    text_html = (message.caption_html or "") if media else message.text_html
    return await apply(update, context, ann.Edit(text_html=text_html, media=media))


async def new_time(update: Update, context: Context) -> int | None:
    """A new "when", read like /announce reads it."""
    deps = get_deps(context)
    phrase = (cast(Message, update.effective_message).text or "").strip()
    try:
        when = parse_when(phrase, deps.clock(), deps.settings.zone)
    except WhenError as error:
        await reply(update, when_error(deps.content, error, deps.settings.timezone))
        return None
    return await apply(update, context, ann.Edit(when=when, when_text=phrase))


async def apply(update: Update, context: Context, change: ann.Edit) -> int:
    """Store the change and log it, move the job, show the post as it will now go out."""
    deps = get_deps(context)
    post_id = cast(int, cast(dict[str, Any], context.user_data).pop(edit_key(update), 0))
    async with deps.transaction() as session:
        row = await session.get(Announcement, post_id)
        refused = editable(deps, row, str(post_id))
        if row is not None and refused is None:
            await ann.edit_announcement(session, row, change, user_id(update), deps.clock())
    if row is None or refused is not None:
        await reply(update, cast(str, refused))
        return ConversationHandler.END
    if change.when is not None and row.status == ann.SCHEDULED:
        ann.schedule(context.application, row, deps.settings.zone)
    await show_preview(update, context, row.text_html, ann.media_of(row))
    next_time = next_label(deps, row, deps.clock())
    await reply(update, deps.content.text("edit_done", id=row.id, next=next_time))
    return ConversationHandler.END


async def cancel_edit(update: Update, context: Context) -> int:
    """Cancel (button or /cancel): nothing changes."""
    cast(dict[str, Any], context.user_data or {}).pop(edit_key(update), None)
    if update.callback_query is not None:
        await update.callback_query.answer()
    await reply(update, get_deps(context).content.text("edit_cancelled"))
    return ConversationHandler.END


async def timed_out(update: Update, context: Context) -> None:
    """Left alone for 15 minutes: nothing changed."""
    cast(dict[str, Any], context.user_data or {}).pop(edit_key(update), None)
    if update.effective_chat is not None:
        text = get_deps(context).content.text("edit_cancelled")
        await context.bot.send_message(update.effective_chat.id, text)


def conversation() -> ConversationHandler[Any]:
    """The /edit flow: per chat and per user, Cancel at every step, a 15-minute timeout."""
    typed = filters.TEXT & ~filters.COMMAND
    cancel = CallbackQueryHandler(cancel_edit, pattern=f"^{EDIT_CB}cancel$")
    return flow(
        "announce_edit",
        CommandHandler("edit", edit_start),
        {
            EDIT_CHOOSE: [CallbackQueryHandler(choose, pattern=f"^{EDIT_CB}(content|time)$")],
            EDIT_CONTENT: [MessageHandler(typed | MEDIA, new_content)],
            EDIT_TIME: [MessageHandler(typed, new_time)],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
        },
        [cancel, CommandHandler("cancel", cancel_edit)],
        TIMEOUT_SECONDS,
    )


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/edit and its buttons (a stale button gets a short notice)."""
    application.add_handler(conversation())
    application.add_handler(CallbackQueryHandler(stale_button, pattern=f"^{EDIT_CB}"))
