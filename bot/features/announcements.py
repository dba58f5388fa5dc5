"""Announcements and recurring posts: stored in our tables, rebuilt as JobQueue jobs.

Data functions take the caller's session and never commit. Delivery claims an occurrence in
one transaction before sending (a one-off becomes ``sending``, then ``sent`` once Telegram
took it; a repeat records ``last_run``), so a restart or a second job never posts the same
occurrence twice. A one-off left in ``sending`` by a crash or a lost role may or may not
have reached Telegram: the next start-up sends it again (duplicated only if it was on the
wire), rather than lose it.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from apscheduler.jobstores.base import JobLookupError
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application, JobQueue

from bot.config import Settings
from bot.deps import Context, Deps, app_deps
from bot.features.community import community_chat_id, follow_migration
from bot.features.content import Content, Post
from bot.features.sending import ADMIN_NOTE, ANNOUNCEMENT, sending
from bot.features.text import escape
from bot.features.when import When, cron_trigger, parse_when, show
from bot.storage.models import Announcement, PostState, ScheduleChange

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
ANONYMOUS_ADMIN_BOT = 1087968824  # Telegram's "Group" user behind anonymous admins
SCHEDULED, PAUSED, SENT, MISSED, FAILED, CANCELLED = (
    "scheduled",
    "paused",
    "sent",
    "missed",
    "failed",
    "cancelled",
)
SENDING = "sending"  # a one-off claimed and being posted
Outcome = Literal["sent", "missed", "skipped", "failed"]
# sendPhoto/sendDocument/sendVideo: "caption, 0-1024 characters after entities parsing"
# (Bot API). A longer text goes on in a second message.
CAPTION_LIMIT = 1024
MEDIA_KINDS = ("photo", "document", "video")
# What Telegram says when a stored file_id no longer works.
FILE_GONE = ("wrong file identifier", "file reference", "wrong remote file", "file_id")


@dataclass(frozen=True)
class Media:
    """A photo, document or video, by Telegram's ``file_id``."""

    kind: str
    file_id: str


def media_of(row: Announcement) -> Media | None:
    """The media stored with an announcement, if any."""
    if row.media_kind in MEDIA_KINDS and row.media_file_id:
        return Media(row.media_kind, row.media_file_id)
    return None


def visible_length(text_html: str) -> int:
    """How many characters a member reads (what Telegram counts): tags dropped, entities read."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", text_html)))


# --- Names and times ----------------------------------------------------------------------


def job_name(announcement_id: int) -> str:
    """The JobQueue job of an announcement (replaced, never duplicated)."""
    return f"announcement:{announcement_id}"


def post_job_name(post_id: str) -> str:
    """The JobQueue job of a recurring post from content."""
    return f"post:{post_id}"


def show_time(moment: datetime, zone: ZoneInfo) -> str:
    """A time as admins read it, in the community zone: ``Tue 1 Dec 2026, 18:00``."""
    return show(moment, zone)


def occurrence(now: datetime) -> datetime:
    """The minute a repeat fires in: crontab's resolution, so one occurrence per minute."""
    return now.replace(second=0, microsecond=0)


def grace(settings: Settings) -> timedelta:
    """How late a missed one-off may still go out."""
    return timedelta(minutes=settings.announce_grace_minutes)


def preview(text_html: str, limit: int = 60) -> str:
    """A short plain-text glimpse of a post for /scheduled (escaped for HTML)."""
    plain = " ".join(html.unescape(re.sub(r"<[^>]+>", "", text_html)).split())
    return escape(plain if len(plain) <= limit else plain[: limit - 1] + "…")


# --- Data functions (caller's session, no commit) ------------------------------------------


async def record(
    session: AsyncSession, target: str, action: str, user_id: int | None, detail: str = ""
) -> None:
    """Log a change to a schedule: who, what, when. Never the post's text."""
    session.add(ScheduleChange(target=target, action=action, user_id=user_id, detail=detail))


@dataclass(frozen=True)
class Draft:
    """What an admin chose in /announce, ready to store."""

    text_html: str
    when: When
    when_text: str
    pin: bool = False
    thread_id: int | None = None
    media: Media | None = None


async def create_announcement(
    session: AsyncSession, draft: Draft, chat_id: int, user_id: int | None, now: datetime
) -> Announcement:
    """Store a new announcement (``now`` is stored as a one-off due at once)."""
    repeat = draft.when.kind == "repeat"
    row = Announcement(
        chat_id=chat_id,
        thread_id=draft.thread_id,
        text_html=draft.text_html,
        media_kind=draft.media.kind if draft.media else None,
        media_file_id=draft.media.file_id if draft.media else None,
        pin=draft.pin,
        kind="repeat" if repeat else "once",
        run_at=None if repeat else (draft.when.at or now),
        cron=draft.when.cron,
        when_text=draft.when_text[:120],
        status=SCHEDULED,
        created_by=user_id,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    await record(session, f"#{row.id}", "created", user_id, row.cron or str(row.run_at))
    return row


async def edit_announcement(
    session: AsyncSession, row: Announcement, change: Edit, user_id: int | None, now: datetime
) -> str:
    """Change a stored announcement's text, media or time in place; log it; what changed."""
    done = []
    if change.text_html is not None:
        row.text_html = change.text_html
        done.append("text")
    if change.media is not None:
        row.media_kind, row.media_file_id = change.media.kind, change.media.file_id
        done.append("media")
    if change.when is not None:
        repeat = change.when.kind == "repeat"
        row.kind = "repeat" if repeat else "once"
        row.run_at = None if repeat else (change.when.at or now)
        row.cron = change.when.cron if repeat else None
        row.when_text = change.when_text[:120]
        done.append(f"time: {row.cron or row.run_at}")
    detail = ", ".join(done)
    await record(session, f"#{row.id}", "edited", user_id, detail[:200])
    return detail


@dataclass(frozen=True)
class Edit:
    """What an admin changes in a scheduled post (None: unchanged)."""

    text_html: str | None = None
    media: Media | None = None
    when: When | None = None
    when_text: str = ""


async def upcoming(session: AsyncSession) -> Sequence[Announcement]:
    """Announcements still to come, scheduled or paused, oldest first."""
    statuses = (SCHEDULED, PAUSED)
    query = select(Announcement).where(Announcement.status.in_(statuses)).order_by(Announcement.id)
    return (await session.scalars(query)).all()


async def set_status(
    session: AsyncSession, announcement_id: int, status: str, user_id: int | None, action: str
) -> None:
    """Change an announcement's status and log who did it."""
    await session.execute(
        update(Announcement).where(Announcement.id == announcement_id).values(status=status)
    )
    await record(session, f"#{announcement_id}", action, user_id)


async def move_schedules(session: AsyncSession, old: int, new: int) -> int:
    """Point every stored schedule of chat ``old`` at chat ``new``; how many moved."""
    result = await session.execute(
        update(Announcement).where(Announcement.chat_id == old).values(chat_id=new)
    )
    moved = int(getattr(result, "rowcount", 0) or 0)
    await record(session, "community", "moved", None, f"{old} -> {new}: {moved}")
    return moved


async def follow_group(session: AsyncSession, settings: Settings, old: int, new: int) -> int:
    """The group became a supergroup: move the community and every schedule with it."""
    await follow_migration(session, settings, old, new)
    return await move_schedules(session, old, new)


async def claim_once(
    session: AsyncSession, announcement_id: int, now: datetime, late: timedelta
) -> tuple[Outcome, Announcement | None]:
    """Claim a due one-off: ``sent`` when it may go out now, ``missed`` when too late.

    A claimed row is ``sending`` until Telegram has taken the post (then ``sent``).
    """
    row = await session.get(Announcement, announcement_id)
    if row is None or row.kind != "once" or row.status != SCHEDULED or row.run_at is None:
        return "skipped", None
    missed = now - row.run_at > late
    status = MISSED if missed else SENDING
    # The condition on the status makes the claim atomic: only one claimer changes the row.
    result = await session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.status == SCHEDULED)
        .values(status=status, last_run=now)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        return "skipped", None
    await record(session, f"#{row.id}", MISSED if missed else SENT, None)
    await session.refresh(row)
    return ("missed" if missed else "sent"), row


async def recover_sending(session: AsyncSession) -> int:
    """Start-up: one-offs left ``sending`` (fate unknown) are due again; how many."""
    result = await session.execute(
        update(Announcement)
        .where(Announcement.kind == "once", Announcement.status == SENDING)
        .values(status=SCHEDULED)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def claim_repeat(
    session: AsyncSession, announcement_id: int, moment: datetime
) -> Announcement | None:
    """Claim one occurrence of a repeat; None when paused, gone or already posted."""
    result = await session.execute(
        update(Announcement)
        .where(
            Announcement.id == announcement_id,
            Announcement.kind == "repeat",
            Announcement.status == SCHEDULED,
            or_(Announcement.last_run.is_(None), Announcement.last_run < moment),
        )
        .values(last_run=moment)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        return None
    await record(session, f"#{announcement_id}", "sent", None, str(moment))
    row = await session.get(Announcement, announcement_id)
    if row is not None:
        await session.refresh(row)
    return row


async def post_states(session: AsyncSession, posts: Sequence[Post]) -> dict[str, PostState]:
    """The state row of every content post, created (not paused) when missing."""
    rows = {s.post_id: s for s in (await session.scalars(select(PostState))).all()}
    for post in posts:
        if post.id not in rows:
            rows[post.id] = PostState(post_id=post.id, paused=False)
            session.add(rows[post.id])
    await session.flush()
    return rows


async def set_post_paused(
    session: AsyncSession, post_id: str, paused: bool, user_id: int | None, now: datetime
) -> None:
    """Pause or resume a content post, and log who did it."""
    state = await session.get(PostState, post_id)
    if state is None:
        state = PostState(post_id=post_id)
        session.add(state)
    state.paused, state.updated_by, state.updated_at = paused, user_id, now
    await record(session, f"post:{post_id}", "paused" if paused else "resumed", user_id)


async def claim_post(session: AsyncSession, post_id: str, moment: datetime) -> bool:
    """Claim one occurrence of a content post; False when paused or already posted."""
    if await session.get(PostState, post_id) is None:
        session.add(PostState(post_id=post_id, paused=False))
        await session.flush()
    result = await session.execute(
        update(PostState)
        .where(
            PostState.post_id == post_id,
            PostState.paused.is_(False),
            or_(PostState.last_run.is_(None), PostState.last_run < moment),
        )
        .values(last_run=moment)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


# --- Jobs ----------------------------------------------------------------------------------


def job_queue(application: AnyApp) -> JobQueue[Any]:
    """The application's JobQueue (installed with python-telegram-bot[job-queue])."""
    if application.job_queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    return application.job_queue


def schedule(application: AnyApp, row: Announcement, zone: ZoneInfo) -> None:
    """Add (or replace) the job of a scheduled announcement."""
    if row.kind == "repeat" and row.cron:
        trigger: Any = cron_trigger(row.cron, zone)
    elif row.run_at is not None:
        trigger = DateTrigger(run_date=row.run_at, timezone=zone)
    else:
        return
    job_queue(application).run_custom(
        announcement_job,
        job_kwargs={
            "trigger": trigger,
            "id": job_name(row.id),
            "replace_existing": True,
            # Lateness is judged by our grace period at claim time, not by APScheduler.
            "misfire_grace_time": None,
            "coalesce": True,
        },
        name=job_name(row.id),
        data=row.id,
    )


def schedule_post(application: AnyApp, post: Post, zone: ZoneInfo, now: datetime) -> None:
    """Add (or replace) the job of a recurring content post."""
    cron = parse_when(post.when, now, zone).cron
    if cron is None:
        return
    name = post_job_name(post.id)
    job_queue(application).run_custom(
        post_job,
        job_kwargs={
            "trigger": cron_trigger(cron, zone),
            "id": name,
            "replace_existing": True,
            "misfire_grace_time": 300,
            "coalesce": True,
        },
        name=name,
        data=post.id,
    )


def unschedule(application: AnyApp, name: str) -> None:
    """Remove a job by name, if it is there."""
    with contextlib.suppress(JobLookupError):
        job_queue(application).scheduler.remove_job(name)


def has_job(application: AnyApp, name: str) -> bool:
    """True when a job of this name is queued (started or not)."""
    return job_queue(application).scheduler.get_job(name) is not None


@dataclass
class Restored:
    """What start-up did with the stored schedules."""

    scheduled: int = 0
    missed: int = 0
    posts: int = 0


async def restore_jobs(application: AnyApp) -> Restored:
    """Start-up: rebuild a job for every stored schedule; mark one-offs past grace missed."""
    deps = app_deps(application)
    zone, now, late = deps.settings.zone, deps.clock(), grace(deps.settings)
    report, missed = Restored(), []
    async with deps.transaction() as session:
        if interrupted := await recover_sending(session):
            log.warning("%s announcement(s) were being posted when the bot stopped", interrupted)
        for row in await upcoming(session):
            if row.status != SCHEDULED:
                continue
            if row.kind == "once" and row.run_at is not None and now - row.run_at > late:
                await set_status(session, row.id, MISSED, None, "missed")
                missed.append(row)
                continue
            schedule(application, row, zone)
            report.scheduled += 1
        states = await post_states(session, deps.content.posts)
    for post in deps.content.posts:
        if not states[post.id].paused:
            schedule_post(application, post, zone, now)
            report.posts += 1
    for row in missed:
        await tell_missed(application.bot, deps, row)
    report.missed = len(missed)
    log.info("Restored %s announcement jobs and %s post jobs", report.scheduled, report.posts)
    return report


async def announcement_job(context: Context) -> None:
    """JobQueue callback: post announcement ``job.data`` if it is still due."""
    job = context.job
    if job is not None and isinstance(job.data, int):
        with sending(ANNOUNCEMENT):
            await deliver_announcement(
                context.application, job.data, app_deps(context.application).clock()
            )


async def post_job(context: Context) -> None:
    """JobQueue callback: post content post ``job.data`` unless paused or already posted."""
    job = context.job
    if job is not None and isinstance(job.data, str):
        with sending(ANNOUNCEMENT):
            now = app_deps(context.application).clock()
            await deliver_post(context.application, job.data, now)


# --- Delivery ------------------------------------------------------------------------------


async def deliver_announcement(
    application: AnyApp, announcement_id: int, now: datetime
) -> Outcome:
    """Claim the announcement's occurrence, then post it; at most once per occurrence."""
    deps = app_deps(application)
    async with deps.transaction() as session:
        row = await session.get(Announcement, announcement_id)
        if row is None:
            return "skipped"
        if row.kind == "repeat":
            outcome: Outcome = "sent"
            row = await claim_repeat(session, announcement_id, occurrence(now))
        else:
            outcome, row = await claim_once(session, announcement_id, now, grace(deps.settings))
    if row is None:
        return "skipped"
    if outcome == "missed":
        await tell_missed(application.bot, deps, row)
        return "missed"
    return await post_announcement(application.bot, deps, row)


async def post_announcement(bot: Bot, deps: Deps, row: Announcement) -> Outcome:
    """Send a claimed announcement (and pin it); on failure mark it and tell the admins."""
    try:
        message = await send(
            bot, deps, row.chat_id, row.text_html, row.thread_id, media=media_of(row)
        )
    except TelegramError as exc:
        log.warning("Announcement %s not posted: %s", row.id, type(exc).__name__)
        async with deps.transaction() as session:
            if row.kind == "once":
                await set_status(session, row.id, FAILED, None, "failed")
            else:
                await record(session, f"#{row.id}", "failed", None, type(exc).__name__)
        await tell_admins(bot, deps, failure_text(deps, row, exc), row.created_by)
        return "failed"
    if row.kind == "once":
        # Telegram has the post: record it even if the role was lost meanwhile, so that the
        # next active process does not post it again.
        async with deps.outcome_transaction() as session:
            await session.execute(
                update(Announcement).where(Announcement.id == row.id).values(status=SENT)
            )
    log.info("Announcement %s posted to chat %s", row.id, message.chat_id)
    if row.pin and not await pin(bot, message):
        await tell_admins(
            bot, deps, deps.content.text("announce_pin_failed", id=row.id), row.created_by
        )
    return "sent"


def failure_text(deps: Deps, row: Announcement, exc: TelegramError) -> str:
    """What the admins are told when a post fails; a file Telegram lost gets its own words."""
    if media_of(row) is not None and any(w in exc.message.lower() for w in FILE_GONE):
        return deps.content.text("announce_media_gone", id=row.id)
    return deps.content.text("announce_failed", id=row.id, error=reason(exc))


async def send(
    bot: Bot,
    deps: Deps,
    chat_id: int,
    text_html: str,
    thread_id: int | None,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    media: Media | None = None,
) -> Message:
    """Send a post to a chat; when the group became a supergroup, follow it and resend once."""
    try:
        return await send_post(bot, chat_id, text_html, thread_id, media, reply_markup)
    except ChatMigrated as exc:
        new = exc.new_chat_id
        async with deps.transaction() as session:
            moved = await follow_group(session, deps.settings, chat_id, new)
        log.info("Chat %s became %s; %s schedules moved", chat_id, new, moved)
        return await send_post(bot, new, text_html, thread_id, media, reply_markup)


async def send_post(  # noqa: PLR0917 - the parts of a post, in order
    bot: Bot,
    chat_id: int,
    text_html: str,
    thread_id: int | None,
    media: Media | None = None,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> Message:
    """The post as members see it; returns its first message.

    The text alone; or the media with the text as its caption; or, when the text is over
    the 1024-character caption limit, the media and then the text in a second message.
    """
    if media is None:
        return await bot.send_message(
            chat_id, text_html, message_thread_id=thread_id, reply_markup=reply_markup
        )
    fits = visible_length(text_html) <= CAPTION_LIMIT
    first = await send_media(bot, chat_id, media, text_html if fits else None, thread_id)
    if not fits:
        await bot.send_message(
            chat_id, text_html, message_thread_id=thread_id, reply_markup=reply_markup
        )
    return first


async def send_media(
    bot: Bot, chat_id: int, media: Media, caption: str | None, thread_id: int | None
) -> Message:
    """One photo, document or video by file_id, with an optional HTML caption."""
    caption = caption or None
    if media.kind == "photo":
        return await bot.send_photo(
            chat_id, media.file_id, caption=caption, message_thread_id=thread_id
        )
    if media.kind == "video":
        return await bot.send_video(
            chat_id, media.file_id, caption=caption, message_thread_id=thread_id
        )
    return await bot.send_document(
        chat_id, media.file_id, caption=caption, message_thread_id=thread_id
    )


async def pin(bot: Bot, message: Message) -> bool:
    """Pin quietly; False when the bot lacks the right."""
    try:
        await bot.pin_chat_message(message.chat_id, message.message_id, disable_notification=True)
    except (BadRequest, Forbidden) as exc:
        log.warning("Cannot pin in chat %s: %s", message.chat_id, type(exc).__name__)
        return False
    return True


def reason(exc: TelegramError) -> str:
    """What Telegram said, for the admins (Telegram's words, never the post's text)."""
    return escape(f"{type(exc).__name__}: {exc.message}")


async def tell_missed(bot: Bot, deps: Deps, row: Announcement) -> None:
    """Tell the admins a one-off was not posted because the bot was down too long."""
    due = show_time(row.run_at, deps.settings.zone) if row.run_at else "?"
    text = deps.content.text(
        "announce_missed", id=row.id, due=due, grace=deps.settings.announce_grace_minutes
    )
    await tell_admins(bot, deps, text, row.created_by)


async def tell_admins(bot: Bot, deps: Deps, text: str, also: int | None = None) -> None:
    """Send a note to ADMIN_USER_IDS and the admin who made the post, when they can get it."""
    people = set(deps.settings.admin_user_ids)
    if also is not None and also > 0 and also != ANONYMOUS_ADMIN_BOT:
        people.add(also)
    for person in sorted(people):
        try:
            with sending(ADMIN_NOTE):
                await bot.send_message(person, text)
        except TelegramError as exc:
            log.warning("Could not tell admin %s: %s", person, type(exc).__name__)


def post_text(content: Content, post: Post) -> str:
    """A content post's HTML, with the community links under it when asked."""
    parts = [post.text]
    if post.links:
        lines = [
            f'• <a href="{html.escape(link.url)}">{escape(link.title)}</a>'
            f" — {escape(link.description)}"
            for link in content.links
        ]
        parts.append("\n".join(lines))
        emergency = content.emergency
        parts.append(
            f'{escape(emergency.text)}\n<a href="{html.escape(emergency.directory_url)}">'
            f"{escape(emergency.directory_title)}</a>"
        )
    return "\n\n".join(parts)


async def deliver_post(application: AnyApp, post_id: str, now: datetime) -> Outcome:
    """Post one occurrence of a content post unless paused or already posted."""
    deps = app_deps(application)
    post = next((p for p in deps.content.posts if p.id == post_id), None)
    if post is None:
        return "skipped"
    async with deps.transaction() as session:
        chat_id = await community_chat_id(session, deps.settings)
        claimed = chat_id is not None and await claim_post(session, post_id, occurrence(now))
    if not claimed or chat_id is None:
        return "skipped"
    try:
        message = await send(application.bot, deps, chat_id, post_text(deps.content, post), None)
    except TelegramError as exc:
        log.warning("Post %s not posted: %s", post_id, type(exc).__name__)
        text = deps.content.text("announce_failed", id=post_id, error=reason(exc))
        await tell_admins(application.bot, deps, text)
        return "failed"
    if post.pin:
        await pin(application.bot, message)
    return "sent"
