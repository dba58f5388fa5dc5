"""1,000 stored schedules restored at start-up: jobs rebuilt from the tables, scheduler started."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram.ext import AIORateLimiter

from bot.app import AnyApp, _post_init, _post_shutdown, build_application
from bot.config import PROJECT_DIR, load_settings
from bot.deps import app_deps
from bot.features import announcements as ann
from bot.runtime.fakeapi import GROUP_ID, FakeBotAPI
from bot.storage.models import Announcement
from tests.bench.common import Row

COUNT = 1000
RUNS = 3
TARGET_SECONDS = 1.0
CRONS = ("0 9 * * *", "0 18 * * mon", "30 8 * * mon-fri", "0 10 1 * *", "0 19 last * *")


def rows(now: datetime) -> list[Announcement]:
    """Half one-offs spread over the coming weeks, half repeats of every kind we make."""
    made = []
    for index in range(COUNT):
        repeat = index % 2 == 1
        made.append(
            Announcement(
                chat_id=GROUP_ID,
                text_html=f"<b>Post {index}</b>",
                pin=False,
                kind="repeat" if repeat else "once",
                run_at=None if repeat else now + timedelta(hours=1 + index),
                cron=CRONS[index % len(CRONS)] if repeat else None,
                when_text="bench",
                status=ann.SCHEDULED,
                created_by=1000,
                created_at=now,
            )
        )
    return made


async def start_once(settings: Any, api: FakeBotAPI) -> tuple[float, int]:
    """Build the bot, time its announcement start-up hook and the scheduler start."""
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    application: AnyApp = build_application(settings, api, rate_limiter=limiter)
    deps = app_deps(application)
    timed: list[float] = []
    hooks = list(deps.on_startup)

    def timing(hook: Any) -> Any:
        async def run(app: AnyApp) -> None:
            started = time.perf_counter()
            await hook(app)
            if hook.__module__ == "handlers.announce":
                timed.append(time.perf_counter() - started)

        return run

    deps.on_startup = [timing(hook) for hook in hooks]
    await application.initialize()
    await _post_init(application)
    started = time.perf_counter()
    await application.job_queue.start()
    timed.append(time.perf_counter() - started)
    jobs = len(application.job_queue.scheduler.get_jobs())
    await application.job_queue.stop(wait=False)
    await application.shutdown()
    await _post_shutdown(application)
    return sum(timed), jobs


async def measure() -> tuple[float, int]:
    """Store the schedules once, then start the bot a few times on them."""
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            database_url=f"sqlite:///{folder}/bench.db",
            content_dir=PROJECT_DIR / "content",
            community_chat_id=GROUP_ID,
        )
        api = FakeBotAPI()
        first: AnyApp = build_application(settings, api)
        await first.initialize()
        await _post_init(first)
        async with app_deps(first).transaction() as session:
            session.add_all(rows(datetime.now(UTC)))
        await first.shutdown()
        await _post_shutdown(first)
        results = [await start_once(settings, api) for _ in range(RUNS)]
    return statistics.median(r[0] for r in results), min(r[1] for r in results)


def run() -> list[Row]:
    """Median over a few start-ups."""
    seconds, jobs = asyncio.run(measure())
    return [
        Row(
            f"{COUNT:,} stored schedules restored at start-up (median of {RUNS}; {jobs} jobs)",
            f"{seconds:.2f} s",
            f"<= {TARGET_SECONDS:.0f} s",
            seconds <= TARGET_SECONDS and jobs >= COUNT,
        )
    ]
