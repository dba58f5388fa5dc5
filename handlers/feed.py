"""Blog updates: a job polls FEED_URL and posts new articles to the community group.

The database remembers the feed's ETag and Last-Modified, when to poll next, and every
article seen, so a restart neither reposts nor refetches needlessly. A failing feed is logged
and tried again later, each time waiting longer; it never stops the bot.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.deps import Context, Deps, app_deps
from bot.features import announcements, feed
from bot.features.community import community_chat_id
from bot.features.feed import Article, FeedError, Fetched, Plan
from bot.features.sending import BLOG_POST, sending
from bot.storage.models import FeedEntry

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]

POLL_JOB = "feed-poll"
DIGEST_JOB = "feed-digest"
TICK = timedelta(minutes=1)  # how often the job looks whether the feed is due (at most)
FIRST_TICK = timedelta(seconds=3)  # soon after start; the database says whether it is due


@dataclass(frozen=True)
class PollResult:
    """What one poll did, for the log and the tests."""

    status: str  # off, no-community, not-due, not-modified, failed, ok
    posted: int = 0


# --- Posting -------------------------------------------------------------------------------


async def post(bot: Bot, deps: Deps, chat_id: int, text: str, button: str | None = None) -> bool:
    """Post to the group (and topic); False, logged, when Telegram refuses."""
    markup = None
    if button:
        label = deps.content.text("button_read_blog")
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, url=button)]])
    try:
        # Through the announcements' sender, so a group turned supergroup is followed.
        with sending(BLOG_POST):
            await announcements.send(
                bot, deps, chat_id, text, deps.settings.feed_message_thread_id, reply_markup=markup
            )
    except TelegramError as exc:
        log.warning("Could not post a blog update to chat %s: %s", chat_id, type(exc).__name__)
        return False
    return True


async def post_single(bot: Bot, deps: Deps, chat_id: int, article: Article) -> bool:
    """Post one article and remember it as posted."""
    text = feed.article_html(deps.content, article)
    if not await post(bot, deps, chat_id, text, article.link or None):
        return False
    await remember(deps, [article], feed.POSTED)
    return True


async def post_gathered(bot: Bot, deps: Deps, chat_id: int, articles: list[Article]) -> bool:
    """Post older new articles as one list and remember them as posted."""
    header = deps.content.text("feed_more", count=len(articles))
    text = feed.gathered_html(header, [(a.title, a.link) for a in articles])
    if not await post(bot, deps, chat_id, text):
        return False
    await remember(deps, articles, feed.POSTED)
    return True


async def post_plan(bot: Bot, deps: Deps, chat_id: int, plan: Plan) -> bool:
    """Post what the plan says, older ones first; stop at the first refusal."""
    if plan.gathered and not await post_gathered(bot, deps, chat_id, plan.gathered):
        return False
    for article in plan.singles:
        if not await post_single(bot, deps, chat_id, article):
            return False
    return True


async def remember(deps: Deps, articles: list[Article], status: str) -> None:
    """Remember articles in their own short transaction."""
    url = str(deps.settings.feed_url)
    async with deps.transaction() as session:
        state = await feed.feed_state(session, url)
        feed.remember(session, state, articles, status, deps.clock())


# --- Polling -------------------------------------------------------------------------------


def tick(settings: Settings) -> timedelta:
    """How often the poll job runs: every minute, or as often as the feed is read if sooner."""
    return min(TICK, settings.feed_poll_interval)


@dataclass(frozen=True)
class Due:
    """A poll that is due: when it began, where to post, the validators to send."""

    began: datetime
    chat_id: int | None
    etag: str | None
    last_modified: str | None


async def prepare(deps: Deps, url: str) -> Due | None:
    """The community chat and the feed's validators; None when the feed is not due yet."""
    began = deps.clock()
    async with deps.transaction() as session:
        chat_id = await community_chat_id(session, deps.settings)
        state = await feed.feed_state(session, url)
        if not feed.is_due(state, began, tick(deps.settings)):
            return None
        return Due(began, chat_id, state.etag, state.last_modified)


async def fetch_articles(
    deps: Deps, url: str, etag: str | None, modified: str | None
) -> tuple[Fetched, list[Article] | None]:
    """Fetch, then parse in a thread (not to block the bot); no articles on 304."""
    fetched = await feed.fetch(url, etag, modified, deps.settings.feed_timeout_seconds)
    if fetched.body is None:
        return fetched, None
    articles = await asyncio.to_thread(feed.parse, fetched.body, url, fetched.content_type)
    return fetched, articles


async def note_failure(deps: Deps, url: str, began: datetime, error: Exception) -> None:
    """Log a failed poll and push the next try further away."""
    poll = deps.settings.feed_poll_interval
    async with deps.transaction() as session:
        state = await feed.feed_state(session, url)
        wait = feed.record_failure(state, began, poll)
        failures = state.failures
    log.warning(
        "The blog feed could not be read (%s); failure %d in a row, next try in %d min",
        error,
        failures,
        wait.total_seconds() // 60,
    )


async def note_success(deps: Deps, url: str, began: datetime, fetched: Fetched | None) -> None:
    """Keep the validators (None: keep the old ones) and schedule the next poll."""
    poll = deps.settings.feed_poll_interval
    async with deps.transaction() as session:
        state = await feed.feed_state(session, url)
        feed.record_success(state, fetched, began, poll)


async def choose(deps: Deps, url: str, articles: list[Article]) -> Plan:
    """Find the new articles and plan the posts; skipped or digest ones are remembered now."""
    now = deps.clock()
    async with deps.transaction() as session:
        state = await feed.feed_state(session, url)
        first_poll = not await feed.has_history(session, state)
        plan = feed.plan(await feed.unseen(session, state, articles), first_poll=first_poll)
        feed.remember(session, state, plan.skipped, feed.SKIPPED, now)
        if deps.settings.feed_digest:
            feed.remember(session, state, plan.gathered + plan.singles, feed.PENDING, now)
    return plan


async def poll_once(application: AnyApp) -> PollResult:
    """Poll the feed once if it is due, and post what is new."""
    deps = app_deps(application)
    url = deps.settings.feed_url
    if url is None:
        return PollResult("off")
    due = await prepare(deps, url)
    if due is None:
        return PollResult("not-due")
    if due.chat_id is None:
        log.info("The blog feed waits: no community group yet (set it with /setup)")
        return PollResult("no-community")
    try:
        fetched, articles = await fetch_articles(deps, url, due.etag, due.last_modified)
        if articles is None:
            await note_success(deps, url, due.began, None)
            return PollResult("not-modified")
        return await publish(
            application.bot, deps, due.chat_id, due.began, fetched=fetched, articles=articles
        )
    except FeedError as exc:
        await note_failure(deps, url, due.began, exc)
        return PollResult("failed")
    except Exception as exc:
        # A bug, or input feedparser chokes on: back off like any failure, so the error
        # handler tells the admins once per back-off rather than every minute.
        await note_failure(deps, url, due.began, exc)
        raise


async def publish(
    bot: Bot,
    deps: Deps,
    chat_id: int,
    began: datetime,
    *,
    fetched: Fetched,
    articles: list[Article],
) -> PollResult:
    """Post the new articles (or keep them for the digest), then record the poll."""
    url = str(deps.settings.feed_url)
    plan = await choose(deps, url, articles)
    if deps.settings.feed_digest:
        await note_success(deps, url, began, fetched)
        return PollResult("ok")
    complete = await post_plan(bot, deps, chat_id, plan)
    # When a post failed, keep the old validators so the next poll sees those articles again.
    await note_success(deps, url, began, fetched if complete else None)
    posted = len(plan.singles) + len(plan.gathered)
    return PollResult("ok", posted if complete else 0)


async def post_digest(application: AnyApp) -> int:
    """Post the articles gathered for the daily digest in one message; how many."""
    deps = app_deps(application)
    url = deps.settings.feed_url
    if url is None:
        return 0
    async with deps.transaction() as session:
        chat_id = await community_chat_id(session, deps.settings)
        waiting = await feed.pending(session, await feed.feed_state(session, url))
    if chat_id is None or not waiting:
        return 0
    header = deps.content.text("feed_digest", count=len(waiting))
    text = feed.gathered_html(header, [(e.title, e.link) for e in waiting])
    if not await post(application.bot, deps, chat_id, text):
        return 0
    await mark_posted(deps, [e.id for e in waiting])
    return len(waiting)


async def mark_posted(deps: Deps, entry_ids: list[int]) -> None:
    """Mark digest articles as posted."""
    async with deps.transaction() as session:
        for entry_id in entry_ids:
            entry = await session.get(FeedEntry, entry_id)
            if entry is not None:
                entry.status, entry.posted_at = feed.POSTED, deps.clock()


# --- Jobs ----------------------------------------------------------------------------------


async def poll_job(context: Context) -> None:
    """The repeating job: poll when due."""
    result = await poll_once(context.application)
    if result.posted:
        log.info("Posted %d blog update(s)", result.posted)


async def digest_job(context: Context) -> None:
    """The daily job of digest mode."""
    count = await post_digest(context.application)
    if count:
        log.info("Posted the blog digest with %d article(s)", count)


async def schedule(application: AnyApp) -> None:
    """Start the feed jobs when FEED_URL is set (called after the database is ready)."""
    settings = app_deps(application).settings
    queue = application.job_queue
    if settings.feed_url is None or queue is None:
        return
    for job in queue.get_jobs_by_name(POLL_JOB) + queue.get_jobs_by_name(DIGEST_JOB):
        job.schedule_removal()
    every = tick(settings)
    queue.run_repeating(
        poll_job,
        interval=every,
        first=min(FIRST_TICK, every),
        name=POLL_JOB,
        job_kwargs={"coalesce": True},
    )
    if settings.feed_digest:
        at = settings.feed_digest_time.replace(tzinfo=settings.zone)
        queue.run_daily(digest_job, time=at, name=DIGEST_JOB)
    log.info("Polling the blog feed every %g s", settings.feed_poll_interval.total_seconds())


def register(application: AnyApp, deps: Deps) -> None:
    """Start polling once the database is ready."""
    deps.on_startup.append(schedule)
