"""/faq: the topic menu, fuzzy search, answers with Back and Related buttons, shortcuts."""

from __future__ import annotations

import logging
import math
from typing import Any, cast

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.deps import Context, Deps, get_deps
from bot.features.content import Content, FaqEntry
from bot.features.matching import looks_like_question
from bot.features.safety import mentions_crisis
from bot.features.text import MESSAGE_LIMIT, escape
from bot.storage.models import FaqUsage
from handlers.ask import with_ask_button
from handlers.common import bot_link, disclaimer, is_private, reply
from handlers.links import crisis_message

log = logging.getLogger(__name__)

PAGE_SIZE = 8
MAX_RELATED = 3
MENU = "faq:m:"
ANSWER = "faq:a:"
DEEP_LINK_PREFIX = "faq-"


# --- What members read -------------------------------------------------------------------


def page_count(content: Content) -> int:
    """How many pages the topic menu has."""
    return max(1, math.ceil(len(content.faq) / PAGE_SIZE))


def page_of(content: Content, entry_id: str) -> int:
    """The menu page (0-based) an entry is listed on."""
    ids = [entry.id for entry in content.faq]
    return ids.index(entry_id) // PAGE_SIZE if entry_id in ids else 0


def menu(content: Content, page: int) -> tuple[str, InlineKeyboardMarkup]:
    """The topic menu: one button per topic, paged, with Previous/Next."""
    pages = page_count(content)
    page = min(max(page, 0), pages - 1)
    entries = content.faq[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = [[InlineKeyboardButton(e.title, callback_data=ANSWER + e.id)] for e in entries]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(content.text("button_prev"), callback_data=f"{MENU}{page - 1}")
        )
    if page < pages - 1:
        nav.append(
            InlineKeyboardButton(content.text("button_next"), callback_data=f"{MENU}{page + 1}")
        )
    if nav:
        rows.append(nav)
    return content.text("faq_menu", page=page + 1, pages=pages), InlineKeyboardMarkup(rows)


def answer_text(entry: FaqEntry, disclaimer_line: str, *, full: bool) -> str:
    """An answer in HTML: the question in bold, the answer, the longer text when ``full``."""
    parts = [f"<b>{escape(entry.question)}</b>", escape(entry.answer)]
    if full and entry.more:
        parts.append(escape(entry.more))
    parts.append(disclaimer_line)
    return "\n\n".join(parts)


def answer_markup(
    content: Content, entry: FaqEntry, read_more_url: str | None
) -> InlineKeyboardMarkup:
    """Buttons under an answer: read more in private (group), related topics, back."""
    rows = []
    if read_more_url:
        rows.append([InlineKeyboardButton(content.text("button_read_more"), url=read_more_url)])
    for related_id in entry.related[:MAX_RELATED]:
        related = content.faq_entry(related_id)
        if related is not None:
            label = content.text("button_related", title=related.title)
            rows.append([InlineKeyboardButton(label, callback_data=ANSWER + related.id)])
    back = f"{MENU}{page_of(content, entry.id)}"
    rows.append([InlineKeyboardButton(content.text("button_back"), callback_data=back)])
    return InlineKeyboardMarkup(rows)


def choices_markup(content: Content, entries: tuple[FaqEntry, ...]) -> InlineKeyboardMarkup:
    """Buttons offering the close topics of an ambiguous question, then the whole menu."""
    rows = [[InlineKeyboardButton(e.title, callback_data=ANSWER + e.id)] for e in entries]
    rows.append([InlineKeyboardButton(content.text("button_menu"), callback_data=f"{MENU}0")])
    return InlineKeyboardMarkup(rows)


def render_answer(
    update: Update, context: Context, entry: FaqEntry
) -> tuple[str, InlineKeyboardMarkup]:
    """The answer as this chat should see it: in full in private, short in the group."""
    content = get_deps(context).content_for(update)
    entry = content.faq_entry(entry.id) or entry
    private = is_private(update)
    read_more = (
        None if private or not entry.more else bot_link(context, DEEP_LINK_PREFIX + entry.id)
    )
    text = answer_text(entry, disclaimer(content), full=private)
    return text, answer_markup(content, entry, read_more)


# --- Recording use ------------------------------------------------------------------------


async def record_usage(deps: Deps, entry: FaqEntry, chat_type: str) -> None:
    """Count an answer shown: topic, kind of chat, time. Nobody's id."""
    async with deps.transaction() as session:
        session.add(FaqUsage(topic_id=entry.id, chat_type=chat_type))


async def send_answer(update: Update, context: Context, entry: FaqEntry) -> None:
    """Reply with an answer and count it."""
    text, markup = render_answer(update, context, entry)
    await reply(update, text, markup)
    chat_type = update.effective_chat.type if update.effective_chat else "unknown"
    await record_usage(get_deps(context), entry, chat_type)


# --- Handlers -----------------------------------------------------------------------------


async def faq_command(update: Update, context: Context) -> None:
    """`/faq` shows the menu; `/faq <words>` answers the best match."""
    deps = get_deps(context)
    query = " ".join(context.args or []).strip()
    if not query:
        text, markup = menu(deps.content_for(update), 0)
        await reply(update, text, markup)
        return
    await answer_query(update, context, query)


# How much of a typed message is matched against the FAQ.
MATCH_CHARS = 300


async def private_text(update: Update, context: Context) -> None:
    """A question typed in private without /faq: answered as /faq would, or a gentle pointer."""
    text = (cast(Message, update.effective_message).text or "").strip()
    if text:
        await answer_query(update, context, text, pointer_when_unmatched=True)


async def answer_query(
    update: Update, context: Context, query: str, *, pointer_when_unmatched: bool = False
) -> None:
    """Point to help first when the words suggest a crisis; else the best match or choices.

    The whole message is read for crisis words; only its first ``MATCH_CHARS`` characters
    are matched against the FAQ (a question is short; a long message is a story).
    """
    deps = get_deps(context)
    content = deps.content_for(update)
    # Crisis words of every language: someone in crisis may write in any of them.
    if mentions_crisis(query, deps.crisis_words()):
        await reply(update, *crisis_message(content))
        return
    query = query[:MATCH_CHARS]
    result = deps.matcher.match(query, content.language)
    if result.best is not None:
        await send_answer(update, context, result.best)
    elif result.candidates:
        text = content.text("faq_did_you_mean", query=escape(query[:100]))
        await reply(update, text, choices_markup(content, result.candidates))
    elif pointer_when_unmatched:
        # "Hi" or "thanks" typed in private: a short pointer, not a list of topics. A real
        # question the FAQ cannot answer is told so, and where to turn instead.
        key = "faq_no_answer_private" if looks_like_question(query) else "faq_free_text_hint"
        await reply(update, content.text(key), with_ask_button(update, context, None))
    else:
        _, markup = menu(content, 0)
        text = content.text("faq_no_match", query=escape(query[:100]))
        await reply(update, text, with_ask_button(update, context, markup))


def shortcut(entry_id: str) -> Any:
    """A command that opens one answer directly, such as /cost."""

    async def callback(update: Update, context: Context) -> None:
        entry = get_deps(context).content_for(update).faq_entry(entry_id)
        if entry is not None:
            await send_answer(update, context, entry)

    return callback


async def open_from_deep_link(update: Update, context: Context, payload: str) -> None:
    """`/start faq-<id>`: open that answer in the private chat."""
    deps = get_deps(context)
    entry = deps.content_for(update).faq_entry(payload.removeprefix(DEEP_LINK_PREFIX))
    if entry is None:
        _, markup = menu(deps.content_for(update), 0)
        await reply(update, deps.content_for(update).text("faq_unknown_topic"), markup)
        return
    await send_answer(update, context, entry)


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the message the button sits on; pressing the same button twice is harmless."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def menu_button(update: Update, context: Context) -> None:
    """A menu page button (also Back): show that page in the same message."""
    query = cast(CallbackQuery, update.callback_query)
    await query.answer()
    page = _int(cast(str, query.data).removeprefix(MENU))
    text, markup = menu(get_deps(context).content_for(update), page)
    await edit(query, text, markup)


async def answer_button(update: Update, context: Context) -> None:
    """A topic button: show the answer by editing the same message."""
    query = cast(CallbackQuery, update.callback_query)
    deps = get_deps(context)
    entry = deps.content_for(update).faq_entry(cast(str, query.data).removeprefix(ANSWER))
    await query.answer()
    if entry is None:
        # A button from an older version of the content.
        text, markup = menu(deps.content_for(update), 0)
        await edit(
            query, deps.content_for(update).text("faq_unknown_topic") + "\n\n" + text, markup
        )
        return
    text, markup = render_answer(update, context, entry)
    if len(text) > MESSAGE_LIMIT:
        # Too long for one message: send it as new messages, split cleanly.
        await reply(update, text, markup)
    else:
        await edit(query, text, markup)
    chat_type = update.effective_chat.type if update.effective_chat else "unknown"
    await record_usage(deps, entry, chat_type)


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def register(application: Application[Any, Any, Any, Any, Any, Any], deps: Deps) -> None:
    """/faq, the FAQ shortcut commands from faq.yaml, and the FAQ buttons."""
    application.add_handler(CommandHandler("faq", faq_command))
    for entry in deps.content.faq:
        if entry.command:
            application.add_handler(CommandHandler(entry.command, shortcut(entry.id)))
    application.add_handler(CallbackQueryHandler(menu_button, pattern=f"^{MENU}"))
    application.add_handler(CallbackQueryHandler(answer_button, pattern=f"^{ANSWER}"))
    deps.deep_links[DEEP_LINK_PREFIX] = open_from_deep_link


def register_private_text(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Plain text in private is a question; registered last, after every typed-answer flow."""
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, private_text)
    )
