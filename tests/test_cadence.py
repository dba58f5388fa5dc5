"""Periodic jobs gated by a stored "next due" moment keep the cadence they promise.

A job wakes on a fixed grid and compares a moment stored by its previous run with the clock.
That moment is stored while the previous run works, so it lies a little after the run's
wake-up; the test clock here behaves like the real one: it is set to the job's wake-up, then
runs on while the job works.
"""

from __future__ import annotations

import time as monotonic_time
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.app import AnyApp
from bot.config import Settings
from bot.deps import app_deps
from bot.features import cadence
from bot.features import subscriptions as subs
from bot.runtime.fakeapi import GROUP_ID, FakeBotAPI
from bot.storage.models import TipDelivery
from handlers.feed import POLL_JOB, poll_once, tick
from handlers.subscribe import delivery_job
from tests.feedserver import FeedServer, Item, feed_server, items, rss
from tests.tg import pin_clock

T0 = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)  # 10:00 in Madrid
SLOW_FEED = 0.05  # seconds the blog takes to answer: a poll takes time, like a real one


class RunningClock:
    """Set to a job's wake-up moment, then running on in real time while the job works."""

    def __init__(self, start: datetime) -> None:
        self.wake(start)

    def wake(self, at: datetime) -> None:
        """The job wakes up at ``at``."""
        self.start, self.began = at, monotonic_time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=monotonic_time.monotonic() - self.began)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        yield running


@pytest.fixture
def settings(settings: Settings, server: FeedServer) -> Settings:
    """A feed read every minute, the shortest cadence an admin can set."""
    return settings.model_copy(
        update={"feed_url": server.url(), "feed_poll_minutes": 1, "feed_timeout_seconds": 2.0}
    )


@pytest.fixture
def clock(app: AnyApp) -> RunningClock:
    """The application's clock; the real jobs are paused, the test runs them on its grid."""
    return pin_clock(app, RunningClock(T0))


def group_posts(api: FakeBotAPI) -> list[str]:
    return [c.text for c in api.sent() if int(c.params["chat_id"]) == GROUP_ID]


# --- The shared rule ---------------------------------------------------------------------


def test_a_moment_stored_just_after_a_wake_up_is_due_at_the_next_one() -> None:
    minute = timedelta(minutes=1)
    stored = T0 + minute + timedelta(milliseconds=40)  # counted from the end of a run
    assert cadence.is_due(stored, T0 + minute, minute)
    assert not cadence.is_due(T0 + 2 * minute, T0 + minute, minute), "never a tick early"
    assert cadence.is_due(None, T0, minute), "never done: due"


# --- The blog feed -----------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [1, 30])
async def test_the_feed_is_read_every_interval_not_every_other(
    app: AnyApp,
    api: FakeBotAPI,
    server: FeedServer,
    clock: RunningClock,
    minutes: int,
) -> None:
    deps = app_deps(app)
    deps.settings = deps.settings.model_copy(update={"feed_poll_minutes": minutes})
    server.serve("/feed.xml", rss(items(1)), delay=SLOW_FEED)
    every = tick(app_deps(app).settings)
    assert (await poll_once(app)).posted == 1
    server.serve("/feed.xml", rss(items(1, 2)), delay=SLOW_FEED)  # published just after
    wake_ups = [T0 + every * n for n in range(1, int(timedelta(minutes=minutes) / every) + 1)]
    results = []
    for moment in wake_ups:
        clock.wake(moment)
        results.append((await poll_once(app)).status)
    assert results == ["not-due"] * (len(wake_ups) - 1) + ["ok"], "read once per interval"
    assert Item(2).heading in group_posts(api)[-1], f"posted {minutes} min after the last"
    assert server.hits() == 2


async def test_a_failing_feed_is_retried_after_its_backoff_not_a_tick_later(
    app: AnyApp, api: FakeBotAPI, server: FeedServer, clock: RunningClock
) -> None:
    server.serve("/feed.xml", "gone", status=404, delay=SLOW_FEED)
    assert (await poll_once(app)).status == "failed"  # the next try in 2 minutes
    server.serve("/feed.xml", rss(items(1)))
    clock.wake(T0 + timedelta(minutes=1))
    assert (await poll_once(app)).status == "not-due"
    clock.wake(T0 + timedelta(minutes=2))
    assert (await poll_once(app)).posted == 1


def test_the_poll_job_runs_as_often_as_the_feed_is_read(settings: Settings) -> None:
    assert tick(settings) == timedelta(minutes=1)
    fast = settings.model_copy(update={"feed_poll_seconds": 5.0})
    assert fast.feed_poll_interval == timedelta(seconds=5)
    assert tick(fast) == timedelta(seconds=5), "a test interval shorter than a minute"


async def test_the_poll_job_is_scheduled_on_the_feed_interval(
    settings: Settings, api: FakeBotAPI
) -> None:
    from bot.app import build_application, start_offline, stop_offline

    fast = build_application(settings.model_copy(update={"feed_poll_seconds": 5.0}), api)
    await start_offline(fast)
    try:
        assert fast.job_queue is not None
        [job] = fast.job_queue.get_jobs_by_name(POLL_JOB)
        assert job.job.trigger.interval == timedelta(seconds=5)
        job.schedule_removal()
    finally:
        await stop_offline(fast)


# --- The tips job ------------------------------------------------------------------------


class FakeContext:
    """What the tips job callback reads from its context."""

    def __init__(self, app: AnyApp) -> None:
        self.application = app
        self.bot = app.bot
        self.bot_data = app.bot_data


async def test_a_tip_retry_goes_out_at_its_time_not_a_minute_later(
    app: AnyApp, api: FakeBotAPI, clock: RunningClock
) -> None:
    async with app_deps(app).transaction() as session:
        earlier = T0 - timedelta(hours=1)
        await subs.subscribe(session, 2001, time(10), "Europe/Madrid", now=earlier, source="t")
    api.fail("sendMessage", 502, "Bad Gateway", times=1)
    clock.wake(T0)
    await delivery_job(FakeContext(app))  # type: ignore[arg-type]
    clock.wake(T0 + timedelta(minutes=1))  # the first backoff is one minute: one run later
    await delivery_job(FakeContext(app))  # type: ignore[arg-type]
    async with app_deps(app).transaction() as session:
        [row] = (await session.scalars(select(TipDelivery))).all()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(api.sent()) == 2, "one refused, one delivered"
