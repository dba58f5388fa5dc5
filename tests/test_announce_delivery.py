"""Posting announcements: restart and grace period, exactly once, pins, Telegram's errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import pytest
from telegram.ext import AIORateLimiter

from bot.app import AnyApp, _post_init, _post_shutdown, build_application
from bot.config import Settings
from bot.deps import app_deps
from bot.features import announcements as ann
from bot.features.community import community_chat_id
from bot.runtime.fakeapi import ADMIN_ID, GROUP_ID, ApiCall, FakeBotAPI
from tests.announce_util import NOW, Clock, add, add_at, changes, get, use_clock

NEW_GROUP = -100999


@asynccontextmanager
async def restarted(settings: Settings, api: FakeBotAPI, now: datetime) -> AsyncIterator[AnyApp]:
    """The bot started again on the same database: post_init ran, the scheduler not yet."""
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    application = build_application(settings, api, rate_limiter=limiter)
    app_deps(application).clock = Clock(now)
    await application.initialize()
    await _post_init(application)
    try:
        yield application
    finally:
        await application.shutdown()
        await _post_shutdown(application)


def group_posts(api: FakeBotAPI) -> list[str]:
    return [c.text for c in api.sent() if int(c.params["chat_id"]) in (GROUP_ID, NEW_GROUP)]


def notes_to(api: FakeBotAPI, person: int) -> list[str]:
    return [c.text for c in api.sent() if int(c.params["chat_id"]) == person]


async def test_a_restart_restores_every_job(
    app: AnyApp, api: FakeBotAPI, settings: Settings
) -> None:
    once = await add(app, "tomorrow 9:00")
    repeat = await add(app, "every monday 18:00")
    paused = await add(app, "every day 9:00", status=ann.PAUSED)
    done = await add(app, "in 1 hour", status=ann.SENT)
    async with restarted(settings, api, NOW) as again:
        assert ann.has_job(again, ann.job_name(once.id))
        assert ann.has_job(again, ann.job_name(repeat.id))
        assert not ann.has_job(again, ann.job_name(paused.id))
        assert not ann.has_job(again, ann.job_name(done.id))
        assert ann.has_job(again, ann.post_job_name("resources"))
        job = again.job_queue.scheduler.get_job(ann.job_name(once.id))
        assert job.trigger.run_date == once.run_at


async def test_missed_within_grace_goes_out_late_once(
    app: AnyApp, api: FakeBotAPI, settings: Settings
) -> None:
    row = await add_at(app, NOW - timedelta(minutes=59))
    async with restarted(settings, api, NOW) as again:
        assert ann.has_job(again, ann.job_name(row.id))
        assert await ann.deliver_announcement(again, row.id, NOW) == "sent"
        assert await ann.deliver_announcement(again, row.id, NOW) == "skipped"
    async with restarted(settings, api, NOW + timedelta(minutes=1)) as third:
        assert not ann.has_job(third, ann.job_name(row.id))
    assert len(group_posts(api)) == 1
    assert (await get(app, row.id)).status == ann.SENT


async def test_missed_past_grace_is_marked_and_admins_are_told(
    app: AnyApp, api: FakeBotAPI, settings: Settings
) -> None:
    row = await add_at(app, NOW - timedelta(minutes=61), by=4242)
    async with restarted(settings, api, NOW) as again:
        assert not ann.has_job(again, ann.job_name(row.id))
        assert await ann.deliver_announcement(again, row.id, NOW) == "skipped"
    assert group_posts(api) == []
    assert (await get(app, row.id)).status == ann.MISSED
    for person in (ADMIN_ID, 4242):
        (note,) = notes_to(api, person)
        assert f"#{row.id} was due at Mon 23 Nov 2026, 18:59" in note
        assert "60" in note
    assert ("missed", None) in await changes(app, f"#{row.id}")


async def test_a_late_job_past_grace_is_missed_not_posted(app: AnyApp, api: FakeBotAPI) -> None:
    row = await add_at(app, NOW)
    assert await ann.deliver_announcement(app, row.id, NOW + timedelta(hours=2)) == "missed"
    assert group_posts(api) == []
    assert "was due" in notes_to(api, ADMIN_ID)[0]


async def test_grace_period_is_a_setting(app: AnyApp, api: FakeBotAPI, settings: Settings) -> None:
    short = settings.model_copy(update={"announce_grace_minutes": 5})
    row = await add_at(app, NOW - timedelta(minutes=6))
    async with restarted(short, api, NOW):
        pass
    assert (await get(app, row.id)).status == ann.MISSED


async def test_a_repeat_posts_each_occurrence_once_across_restarts(
    app: AnyApp, api: FakeBotAPI, settings: Settings
) -> None:
    row = await add(app, "every day 9:00")
    nine = datetime(2026, 11, 24, 9, 0, 5, tzinfo=NOW.tzinfo)
    assert await ann.deliver_announcement(app, row.id, nine) == "sent"
    async with restarted(settings, api, nine + timedelta(seconds=20)) as again:
        assert (
            await ann.deliver_announcement(again, row.id, nine + timedelta(seconds=20))
            == "skipped"
        )
        assert await ann.deliver_announcement(again, row.id, nine + timedelta(days=1)) == "sent"
    assert len(group_posts(api)) == 2
    assert (await get(app, row.id)).status == ann.SCHEDULED


async def test_pin_without_the_right_tells_the_admin(app: AnyApp, api: FakeBotAPI) -> None:
    row = await add_at(app, NOW, pin=True)
    api.fail("pinChatMessage", 400, "Bad Request: not enough rights to manage pinned messages")
    assert await ann.deliver_announcement(app, row.id, NOW) == "sent"
    assert len(group_posts(api)) == 1
    (note,) = notes_to(api, ADMIN_ID)
    assert "couldn't pin it" in note


@pytest.mark.parametrize(
    ("status", "description", "extra", "said"),
    [
        (403, "Forbidden: bot was kicked from the supergroup chat", {}, "bot was kicked"),
        (400, "Bad Request: message thread not found", {}, "thread not found"),
        (429, "Too Many Requests: retry after 5", {"retry_after": 5}, "RetryAfter"),
        (502, "Bad Gateway", {}, "NetworkError"),
    ],
)
async def test_telegram_errors_mark_the_post_failed_and_tell_the_admins(  # noqa: PLR0917
    app: AnyApp, api: FakeBotAPI, status: int, description: str, extra: dict[str, int], said: str
) -> None:
    row = await add_at(app, NOW)
    api.fail("sendMessage", status, description, **extra)
    assert await ann.deliver_announcement(app, row.id, NOW) == "failed"
    assert (await get(app, row.id)).status == ann.FAILED
    (note,) = notes_to(api, ADMIN_ID)
    assert f"couldn't post announcement #{row.id}" in note
    assert said in note
    # Never retried into a double post: the claim holds.
    assert await ann.deliver_announcement(app, row.id, NOW) == "skipped"


async def test_a_failing_repeat_stays_scheduled(app: AnyApp, api: FakeBotAPI) -> None:
    row = await add(app, "every day 9:00")
    api.fail("sendMessage", 403, "Forbidden: bot was kicked from the supergroup chat")
    assert await ann.deliver_announcement(app, row.id, NOW) == "failed"
    assert (await get(app, row.id)).status == ann.SCHEDULED
    assert ("failed", None) in await changes(app, f"#{row.id}")


async def test_chat_migrated_follows_the_group_and_resends_once(
    app: AnyApp, api: FakeBotAPI
) -> None:
    row = await add_at(app, NOW)
    later = await add(app, "every monday 18:00")
    description = "Bad Request: group chat was upgraded to a supergroup chat"
    api.fail("sendMessage", 400, description, migrate_to_chat_id=NEW_GROUP)
    assert await ann.deliver_announcement(app, row.id, NOW) == "sent"
    posted = [c for c in api.sent() if int(c.params["chat_id"]) == NEW_GROUP]
    assert len(posted) == 1
    assert (await get(app, later.id)).chat_id == NEW_GROUP
    async with app_deps(app).transaction() as session:
        assert await community_chat_id(session, app_deps(app).settings) == NEW_GROUP


async def test_the_job_callback_uses_the_bot_clock(app: AnyApp, api: FakeBotAPI) -> None:
    clock = use_clock(app)
    row = await add_at(app, NOW)
    ann.schedule(app, row, app_deps(app).settings.zone)
    job = app.job_queue.get_jobs_by_name(ann.job_name(row.id))[0]
    clock.advance(minutes=30)
    await job.run(app)
    assert len(group_posts(api)) == 1
    assert (await get(app, row.id)).last_run == clock.now


async def test_claimed_but_never_posted_goes_out_once_after_a_takeover(
    app: AnyApp, api: FakeBotAPI, settings: Settings
) -> None:
    # The active process claimed the post, then died (kill -9) before Telegram took it.
    row = await add_at(app, NOW - timedelta(minutes=1))
    async with app_deps(app).transaction() as session:
        outcome, _ = await ann.claim_once(session, row.id, NOW, ann.grace(settings))
    assert outcome == "sent"
    assert (await get(app, row.id)).status == ann.SENDING
    assert group_posts(api) == []
    async with restarted(settings, api, NOW) as again:  # the standby takes over
        assert await ann.deliver_announcement(again, row.id, NOW) == "sent"
        assert await ann.deliver_announcement(again, row.id, NOW) == "skipped"
    assert group_posts(api) == ["<b>Friday</b> meet-up"]
    assert (await get(app, row.id)).status == ann.SENT


async def test_posted_just_before_the_role_is_lost_is_not_posted_again(
    app: AnyApp, api: FakeBotAPI, settings: Settings
) -> None:
    # Telegram takes the post, then this process loses its role before recording it sent.
    row = await add_at(app, NOW - timedelta(minutes=1))
    role = app_deps(app).role

    def lose_role_once_posted(call: ApiCall) -> None:
        if call.method == "sendMessage" and int(call.params["chat_id"]) == GROUP_ID:
            role.set_active(False)

    api.on_call = lose_role_once_posted
    assert await ann.deliver_announcement(app, row.id, NOW) == "sent"
    role.set_active(True)
    assert (await get(app, row.id)).status == ann.SENT, "recorded though the role was lost"
    async with restarted(settings, api, NOW) as again:  # the standby takes over
        assert await ann.deliver_announcement(again, row.id, NOW) == "skipped"
    assert group_posts(api) == ["<b>Friday</b> meet-up"]
