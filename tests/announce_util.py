"""Helpers shared by the announcement tests: a fixed clock, rows, updates with formatting."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from telegram import Update

from bot.app import AnyApp
from bot.deps import app_deps
from bot.features import announcements as ann
from bot.features.when import When, parse_when
from bot.runtime.fakeapi import GROUP_ID
from bot.storage.models import Announcement, ScheduleChange
from tests.tg import chat, pin_clock, user

# Monday 23 November 2026, 20:00 UTC (the test settings use UTC).
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
GROUP_ADMIN_ID = 2000

_ids = itertools.count(50_000)


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def use_clock(app: AnyApp, now: datetime = NOW) -> Clock:
    return pin_clock(app, Clock(now))


async def add(
    app: AnyApp,
    when: str,
    *,
    text: str = "<b>Friday</b> meet-up",
    pin: bool = False,
    chat_id: int = GROUP_ID,
    created: datetime = NOW,
    status: str = ann.SCHEDULED,
    by: int | None = 1000,
) -> Announcement:
    """Store an announcement as the flow would, without scheduling its job."""
    parsed = (
        parse_when(when, created, app_deps(app).settings.zone) if when != "now" else When("now")
    )
    draft = ann.Draft(text, parsed, when, pin)
    async with app_deps(app).transaction() as session:
        row = await ann.create_announcement(session, draft, chat_id, by, created)
        row.status = status
    return row


async def add_at(app: AnyApp, run_at: datetime, **kwargs: Any) -> Announcement:
    """Store a one-off due at ``run_at`` (which may be in the past, as after a crash)."""
    row = await add(app, "now", **kwargs)
    async with app_deps(app).transaction() as session:
        stored = await session.get(Announcement, row.id)
        assert stored is not None
        stored.run_at = run_at
    row.run_at = run_at
    return row


async def get(app: AnyApp, announcement_id: int) -> Announcement:
    async with app_deps(app).transaction() as session:
        row = await session.get(Announcement, announcement_id)
        assert row is not None
        return row


async def changes(app: AnyApp, target: str) -> list[tuple[str, int | None]]:
    async with app_deps(app).transaction() as session:
        rows = await session.scalars(
            select(ScheduleChange)
            .where(ScheduleChange.target == target)
            .order_by(ScheduleChange.id)
        )
        return [(r.action, r.user_id) for r in rows]


async def count(app: AnyApp) -> int:
    async with app_deps(app).transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Announcement)) or 0)


def formatted_message(
    app: AnyApp, text: str, entities: list[dict[str, Any]], **where: Any
) -> Update:
    """A text message with formatting entities (bold, links...), as Telegram sends it."""
    chat_id = where.get("chat_id", 1000)
    message = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat(chat_id),
        "from": user(where.get("user_id", 1000), "Ada"),
        "text": text,
        "entities": entities,
    }
    return Update.de_json({"update_id": next(_ids), "message": message}, app.bot)


def message_update(app: AnyApp, chat_id: int, **fields: Any) -> Update:
    """Any message update (service messages, sender_chat...)."""
    message = {"message_id": next(_ids), "date": int(time.time()), "chat": chat(chat_id), **fields}
    return Update.de_json({"update_id": next(_ids), "message": message}, app.bot)
