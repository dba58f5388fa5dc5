"""Inline mode: ``@<bot> cost`` in any chat offers FAQ answers to share there.

The same matcher as /faq (typos included). An empty query offers the most read topics; a
query with no match offers one result that opens the bot. Words that suggest a crisis put
the emergency text first. Inline mode must be turned on with @BotFather (/setinline).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.ext import Application, InlineQueryHandler

from bot.deps import Context, Deps, get_deps
from bot.features.content import Content, FaqEntry
from bot.features.safety import mentions_crisis
from bot.features.stats import top_faq_topics
from bot.features.text import escape
from handlers.common import bot_link, disclaimer
from handlers.faq import DEEP_LINK_PREFIX, answer_text
from handlers.links import crisis_message

# Answers change only when the content is edited, and the most read topics slowly: Telegram
# may keep them for five minutes. Results follow the member's language, so Telegram must
# not share them between people (is_personal).
CACHE_SECONDS = 300
IS_PERSONAL = True
TOP_TOPICS = 5
TOP_TOPICS_DAYS = 30
QUERY_LIMIT = 100  # characters of the query read; Telegram sends at most 256
DESCRIPTION_LIMIT = 100


def short(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The first words of an answer, for the line under a result's title."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def answer_result(context: Context, content: Content, entry: FaqEntry) -> InlineQueryResultArticle:
    """One FAQ answer as an inline result: the short answer, the disclaimer, an open button."""
    link = bot_link(context, DEEP_LINK_PREFIX + entry.id)
    button = InlineKeyboardButton(content.text("button_open_in_bot"), url=link)
    return InlineQueryResultArticle(
        id=f"faq:{entry.id}",
        title=entry.title,
        description=short(entry.answer),
        input_message_content=InputTextMessageContent(
            answer_text(entry, disclaimer(content), full=False)
        ),
        reply_markup=InlineKeyboardMarkup([[button]]),
    )


def no_match_result(context: Context, content: Content, query: str) -> InlineQueryResultArticle:
    """Nothing matched: one result that says so and opens the bot's topic menu."""
    button = InlineKeyboardButton(content.text("button_open_in_bot"), url=bot_link(context, "faq"))
    return InlineQueryResultArticle(
        id="none",
        title=content.text("inline_no_match_title"),
        description=content.text("inline_no_match_description"),
        input_message_content=InputTextMessageContent(
            content.text("inline_no_match_text", query=escape(query), bot=context.bot.username)
        ),
        reply_markup=InlineKeyboardMarkup([[button]]),
    )


def crisis_result(content: Content) -> InlineQueryResultArticle:
    """The emergency text and the helplines button, offered first."""
    text, markup = crisis_message(content)
    return InlineQueryResultArticle(
        id="crisis",
        title=content.text("inline_crisis_title"),
        description=short(content.emergency.text),
        input_message_content=InputTextMessageContent(text),
        reply_markup=markup,
    )


async def most_read(deps: Deps, content: Content) -> list[FaqEntry]:
    """The most read topics of the last 30 days; the first topics when nothing was read yet."""
    since = deps.clock() - timedelta(days=TOP_TOPICS_DAYS)
    async with deps.transaction() as session:
        top = await top_faq_topics(session, since, TOP_TOPICS)
    entries = [e for topic, _ in top if (e := content.faq_entry(topic)) is not None]
    return entries or list(content.faq[:TOP_TOPICS])


async def results_for(
    context: Context, query: str, content: Content
) -> list[InlineQueryResultArticle]:
    """The inline results for a query, best first, in the member's language (``content``)."""
    deps = get_deps(context)
    if not query:
        return [answer_result(context, content, e) for e in await most_read(deps, content)]
    found = []
    if mentions_crisis(query, deps.crisis_words()):
        found.append(crisis_result(content))
    match = deps.matcher.match(query, content.language)
    entries = [match.best] if match.best is not None else list(match.candidates)
    found += [answer_result(context, content, entry) for entry in entries]
    return found or [no_match_result(context, content, query)]


async def inline_query(update: Update, context: Context) -> None:
    """Answer an inline query with FAQ answers, in the language of the member asking."""
    query = cast(InlineQuery, update.inline_query)
    content = get_deps(context).content_for(update)
    results = await results_for(context, query.query.strip()[:QUERY_LIMIT], content)
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=IS_PERSONAL)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Inline queries."""
    application.add_handler(InlineQueryHandler(inline_query))
