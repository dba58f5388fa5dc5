"""One poll of a 100-entry feed (fetch, parse, deduplicate, post): target at most 200 ms.

The feed is served by a local HTTP server on 127.0.0.1; the database is SQLite with half of
the entries already seen, and the bot posts to the fake Bot API. Before each run the state
is reset (outside the timing) so every run fetches the whole feed and finds 50 new entries.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete, select, update
from telegram.ext import AIORateLimiter

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.config import PROJECT_DIR, load_settings
from bot.deps import app_deps
from bot.runtime.fakeapi import GROUP_ID, FakeBotAPI
from bot.storage.models import FeedEntry, FeedState
from handlers.feed import POLL_JOB, poll_once
from tests.bench.common import Row
from tests.feedserver import feed_server, items, rss

ENTRIES = 100
REPEAT = 15
TARGET_MS = 200.0


async def reset(app: AnyApp, seen_ids: list[int]) -> None:
    """Forget what the last run remembered, and make the feed due again."""
    async with app_deps(app).transaction() as session:
        await session.execute(delete(FeedEntry).where(FeedEntry.id.not_in(seen_ids)))
        await session.execute(update(FeedState).values(next_poll_at=None, etag=None))


async def seen_ids(app: AnyApp) -> list[int]:
    """The ids of the entries remembered so far."""
    async with app_deps(app).transaction() as session:
        return list(await session.scalars(select(FeedEntry.id)))


async def measure(folder: Path) -> tuple[list[float], int]:
    """Milliseconds of each timed poll, and how many messages the last one posted."""
    with feed_server() as server:
        settings = load_settings(
            database_url=f"sqlite:///{folder}/bench.db",
            content_dir=PROJECT_DIR / "content",
            community_chat_id=GROUP_ID,
            feed_url=server.url(),
        )
        app = build_application(
            settings,
            FakeBotAPI(),
            rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0),
        )
        await start_offline(app)
        assert app.job_queue is not None
        for job in app.job_queue.get_jobs_by_name(POLL_JOB):
            job.schedule_removal()  # only the timed polls run
        try:
            server.serve("/feed.xml", rss(items(*range(1, ENTRIES // 2 + 1))))
            await poll_once(app)  # first poll: remembers the 50 older entries
            keep = await seen_ids(app)
            server.serve("/feed.xml", rss(items(*range(1, ENTRIES + 1))))
            timings, posted = [], 0
            for _ in range(REPEAT):
                await reset(app, keep)
                started = time.perf_counter()
                result = await poll_once(app)
                timings.append((time.perf_counter() - started) * 1000)
                posted = result.posted
        finally:
            await stop_offline(app)
    return timings, posted


def run() -> list[Row]:
    """Time the poll; report the median beside the target."""
    with tempfile.TemporaryDirectory() as folder:
        timings, posted = asyncio.run(measure(Path(folder)))
    median = statistics.median(timings)
    what = f"feed poll, {ENTRIES} entries (50 new, {posted} posted)"
    return [Row(what, f"{median:.0f} ms median", f"<= {TARGET_MS:.0f} ms", median <= TARGET_MS)]
