"""The delivery job: exactly one tip per member per local day, through errors and restarts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.config import Settings
from bot.deps import app_deps
from bot.features import subscriptions as subs
from bot.features.delivery import Policy, claim_due, deliver_due, recover_interrupted
from bot.features.tips import tip_of_day
from bot.runtime.fakeapi import FakeBotAPI
from bot.storage import db
from bot.storage.models import Subscription, SubscriptionEvent, TipDelivery
from handlers.subscribe import delivery_job
from tests.tg import pin_clock

T0 = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)  # 10:00 in Madrid
MEMBERS = (2001, 2002, 2003)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def tick(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
async def clock(app: AnyApp) -> Clock:
    """The application's clock, moved by the test; the real minute job is paused."""
    return pin_clock(app, Clock(T0 - timedelta(hours=1)))


async def add_subscribers(
    app: AnyApp, clock: Clock, *ids: int, zone: str = "Europe/Madrid", at: time = time(10)
) -> None:
    async with app_deps(app).transaction() as session:
        for member_id in ids:
            await subs.subscribe(session, member_id, at, zone, now=clock(), source="test")


class FakeContext:
    """What the job callback reads from its context."""

    def __init__(self, app: AnyApp) -> None:
        self.application = app
        self.bot = app.bot
        self.bot_data = app.bot_data


async def run_job(app: AnyApp) -> None:
    await delivery_job(FakeContext(app))  # type: ignore[arg-type]


async def deliveries(app: AnyApp) -> list[TipDelivery]:
    async with app_deps(app).transaction() as session:
        return list(await session.scalars(select(TipDelivery).order_by(TipDelivery.id)))


async def subscription(app: AnyApp, member_id: int) -> Subscription:
    async with app_deps(app).transaction() as session:
        found = await subs.get_subscription(session, member_id)
    assert found is not None
    return found


def tips_sent(api: FakeBotAPI) -> list[int]:
    return [int(c.params["chat_id"]) for c in api.sent() if "Today's tip" in c.text]


async def test_tip_arrives_at_the_chosen_minute_once(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, *MEMBERS)
    clock.now = T0 - timedelta(minutes=1)
    await run_job(app)
    assert tips_sent(api) == [], "not a minute early"
    clock.now = T0
    await run_job(app)
    await run_job(app)
    assert sorted(tips_sent(api)) == list(MEMBERS)
    expected = tip_of_day(app_deps(app).content.tips, T0.date())
    assert all(expected.text[:30] in c.text for c in api.sent())
    rows = await deliveries(app)
    assert [(r.status, r.attempts, r.tip_id) for r in rows] == [("sent", 1, expected.id)] * 3
    sub = await subscription(app, MEMBERS[0])
    assert sub.next_due_utc == T0 + timedelta(days=1)


async def test_a_tip_links_its_faq_answer_in_a_new_message(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    content = app_deps(app).content
    day = next(T0.date() + timedelta(days=n) for n in range(200)
               if tip_of_day(content.tips, T0.date() + timedelta(days=n)).faq)  # fmt: skip
    clock.now = datetime.combine(day, time(7), tzinfo=UTC)
    await add_subscribers(app, clock, MEMBERS[0])
    clock.tick(hours=1)
    await run_job(app)
    [call] = api.sent()
    [button] = call.buttons
    assert button["url"].endswith(f"?start=faq-{tip_of_day(content.tips, day).faq}")


async def test_blocked_member_ends_the_subscription(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, MEMBERS[0])
    api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    clock.now = T0
    await run_job(app)
    [row] = await deliveries(app)
    assert row.status == "blocked"
    sub = await subscription(app, MEMBERS[0])
    assert (sub.status, sub.next_due_utc) == ("ended", None)
    async with app_deps(app).transaction() as session:
        event = await session.scalar(
            select(SubscriptionEvent).order_by(SubscriptionEvent.id.desc())
        )
    assert event is not None
    assert (event.kind, event.source) == ("blocked", "system")
    clock.tick(days=1)
    await run_job(app)
    assert len(api.sent()) == 1, "nothing more is sent to a member who blocked the bot"


async def test_an_account_that_is_gone_ends_the_subscription(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, MEMBERS[0])
    api.fail("sendMessage", 400, "Bad Request: chat not found")
    clock.now = T0
    await run_job(app)
    [row] = await deliveries(app)
    assert row.status == "blocked"
    assert (await subscription(app, MEMBERS[0])).status == "ended"


async def test_a_migrated_chat_is_recorded_as_failed_not_retried(
    app: AnyApp, api: FakeBotAPI, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    await add_subscribers(app, clock, MEMBERS[0])
    api.fail(
        "sendMessage", 400, "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=-1009876543210,
    )  # fmt: skip
    clock.now = T0
    await run_job(app)
    [row] = await deliveries(app)
    assert (row.status, row.retry_at) == ("failed", None)
    assert (await subscription(app, MEMBERS[0])).status == "active", "tomorrow's tip still comes"
    assert "ChatMigrated" in caplog.text
    clock.tick(minutes=5)
    await run_job(app)
    assert len(api.sent()) == 1


async def test_flood_limit_is_retried_by_the_rate_limiter(
    settings: Settings, api: FakeBotAPI
) -> None:
    application = build_application(settings, api)  # the production limiter
    await start_offline(application)
    try:
        clock = pin_clock(application, Clock(T0 - timedelta(hours=1)))
        await add_subscribers(application, clock, MEMBERS[0])
        api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        clock.now = T0
        await run_job(application)
        [row] = await deliveries(application)
        assert (row.status, row.attempts) == ("sent", 1)
        assert tips_sent(api) == [MEMBERS[0]] * 2, "refused once, then sent by the limiter"
    finally:
        await stop_offline(application)


async def test_flood_limit_beyond_the_limiter_is_retried_later(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, MEMBERS[0])
    api.fail("sendMessage", 429, "Too Many Requests: retry after 300", retry_after=300)
    clock.now = T0
    await run_job(app)  # this test's limiter does not retry
    [row] = await deliveries(app)
    assert (row.status, row.retry_at) == ("retry", T0 + timedelta(seconds=300))
    clock.tick(seconds=300)
    await run_job(app)
    [row] = await deliveries(app)
    assert (row.status, row.attempts) == ("sent", 2)


async def test_server_errors_are_retried_with_backoff(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, MEMBERS[0])
    api.fail("sendMessage", 502, "Bad Gateway", times=2)
    clock.now = T0
    await run_job(app)
    [row] = await deliveries(app)
    assert (row.status, row.retry_at) == ("retry", T0 + timedelta(minutes=1))
    await run_job(app)
    assert len(api.sent()) == 1, "not retried before its time"
    clock.tick(minutes=1)
    await run_job(app)
    [row] = await deliveries(app)
    assert (row.status, row.retry_at) == ("retry", clock.now + timedelta(minutes=2))
    clock.tick(minutes=2)
    await run_job(app)
    [row] = await deliveries(app)
    assert (row.status, row.attempts) == ("sent", 3)
    assert tips_sent(api) == [MEMBERS[0]] * 3  # two refused, one delivered


async def test_retries_give_up_loudly_rather_than_at_night(
    app: AnyApp, api: FakeBotAPI, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    await add_subscribers(app, clock, MEMBERS[0])
    api.fail("sendMessage", 500, "Internal Server Error", times=100)
    clock.now = T0
    for _ in range(12):
        await run_job(app)
        clock.tick(minutes=30)
    [row] = await deliveries(app)
    assert row.status == "failed"
    assert "failed after" in caplog.text or "given up" in caplog.text
    assert len(api.sent()) <= 6


async def test_missed_by_less_than_grace_still_goes_out(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, MEMBERS[0])
    clock.now = T0 + timedelta(hours=2, minutes=59)  # the bot was down
    await run_job(app)
    [row] = await deliveries(app)
    assert row.status == "sent"


async def test_missed_by_more_than_grace_is_recorded_and_skipped(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, MEMBERS[0])
    clock.now = T0 + timedelta(hours=3, minutes=1)
    await run_job(app)
    [row] = await deliveries(app)
    assert row.status == "missed"
    assert api.sent() == []
    sub = await subscription(app, MEMBERS[0])
    assert sub.next_due_utc == T0 + timedelta(days=1)


async def test_a_long_backlog_of_missed_tips_does_not_stop_the_run(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    clock.now = T0 - timedelta(hours=6)
    await add_subscribers(app, clock, *range(3000, 3007), at=time(6))  # due 04:00 UTC
    await add_subscribers(app, clock, MEMBERS[0])  # due 08:00 UTC
    clock.now = T0 + timedelta(minutes=1)
    deps = app_deps(app)
    report = await deliver_due(
        transaction=deps.transaction, clock=clock, bot=app.bot, tips=deps.content.tips,
        compose=lambda tip, _language: (tip.text, None), policy=Policy(batch=2),
    )  # fmt: skip
    assert report.counts == {"missed": 7, "claimed": 1, "sent": 1}
    assert [int(c.params["chat_id"]) for c in api.sent()] == [MEMBERS[0]]


async def test_a_shutdown_stops_the_run_between_batches(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, *MEMBERS)
    clock.now = T0
    deps = app_deps(app)
    asked: list[int] = []

    def keep_going() -> bool:
        asked.append(len(api.sent()))
        return len(asked) < 2  # the application stops during the first batch

    await deliver_due(
        transaction=deps.transaction, clock=clock, bot=app.bot, tips=deps.content.tips,
        compose=lambda tip, _language: (tip.text, None), policy=Policy(batch=2),
        keep_going=keep_going,
    )  # fmt: skip
    assert len(api.sent()) == 2, "the batch in flight finishes, the next one waits"
    still_due = [m for m in MEMBERS if (await subscription(app, m)).next_due_utc == T0]
    assert len(still_due) == 1, "the rest stays due for the next start"


async def test_paused_member_is_skipped_then_resumes_by_itself(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, MEMBERS[0])
    async with app_deps(app).transaction() as session:
        sub = await subs.get_subscription(session, MEMBERS[0])
        assert sub is not None
        await subs.pause(session, sub, 3, clock(), "/settings")
    for day in range(4):
        clock.now = T0 + timedelta(days=day)
        await run_job(app)
    assert [r.local_date.day for r in await deliveries(app)] == [5]  # 2, 3, 4 June paused
    sub = await subscription(app, MEMBERS[0])
    assert (sub.status, sub.paused_until) == ("active", None)
    async with app_deps(app).transaction() as session:
        kinds = [(e.kind, e.source) for e in await session.scalars(select(SubscriptionEvent))]
    assert kinds[-1] == ("resumed", "system")


async def test_changing_the_time_after_todays_tip_does_not_send_twice(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, MEMBERS[0])
    clock.now = T0
    await run_job(app)
    async with app_deps(app).transaction() as session:
        sub = await subs.get_subscription(session, MEMBERS[0])
        assert sub is not None
        await subs.change_time(session, sub, time(18), clock(), "/settings")
    assert sub.next_due_utc == datetime(2025, 6, 3, 16, 0, tzinfo=UTC), "tomorrow, not today"
    clock.now = datetime(2025, 6, 2, 16, 0, tzinfo=UTC)
    await run_job(app)
    assert len(api.sent()) == 1


async def test_restart_resends_only_what_was_in_flight(
    app: AnyApp, api: FakeBotAPI, clock: Clock
) -> None:
    await add_subscribers(app, clock, *MEMBERS)
    clock.now = T0
    deps = app_deps(app)
    # A crash after the claim committed and before any outcome was recorded.
    async with deps.transaction() as session:
        claims = await claim_due(session, deps.content.tips, clock(), Policy(batch=2), _report())
    assert len(claims) == 2
    async with deps.transaction() as session:
        assert await recover_interrupted(session, clock()) == 2
    await run_job(app)
    assert sorted(tips_sent(api)) == list(MEMBERS)
    assert [r.status for r in await deliveries(app)] == ["sent"] * 3
    await run_job(app)
    assert len(api.sent()) == 3


async def test_start_up_schedules_the_minute_job_on_the_minute(app: AnyApp) -> None:
    [job] = app.job_queue.get_jobs_by_name("tips-delivery")
    assert job.next_t is not None
    assert job.next_t.second == 0
    assert job.next_t - datetime.now(UTC) <= timedelta(seconds=60)


def _report():  # type: ignore[no-untyped-def]
    from bot.features.delivery import Report

    return Report()


DST_NIGHTS = {
    "Europe/Madrid": (datetime(2025, 3, 30), datetime(2025, 10, 26)),
    "America/New_York": (datetime(2025, 3, 9), datetime(2025, 11, 2)),
    "Australia/Sydney": (datetime(2025, 4, 6), datetime(2025, 10, 5)),
}


@pytest.mark.parametrize("zone", sorted(DST_NIGHTS))
async def test_one_tip_a_day_across_dst_changes(
    app: AnyApp, api: FakeBotAPI, clock: Clock, zone: str
) -> None:
    """Every half hour through both DST nights, with the tip at 02:30 (skipped, then doubled)."""
    deps = app_deps(app)
    clock.now = datetime(2025, 1, 1, tzinfo=UTC)
    await add_subscribers(app, clock, MEMBERS[0], zone=zone, at=time(2, 30))
    for night in DST_NIGHTS[zone]:
        clock.now = night.replace(tzinfo=UTC) - timedelta(days=2)
        for _ in range(4 * 48):  # four days, every half hour
            await deliver_due(
                transaction=deps.transaction, clock=clock, bot=app.bot, tips=deps.content.tips,
                compose=lambda tip, _language: (tip.text, None), policy=Policy(),
            )  # fmt: skip
            clock.tick(minutes=30)
    rows = [r for r in await deliveries(app) if r.status == "sent"]
    assert len(rows) == len(api.sent()) == 8, "four local days in each window"
    assert len({r.local_date for r in rows}) == 8, "never twice on a local date"
    for row in rows:
        local = row.due_at.astimezone(subs.zone_info(zone))
        assert local.date() == row.local_date
        assert local.time() in (time(2, 30), time(3, 30)), "02:30, or 03:30 when 02:30 is skipped"
    assert any(r.due_at.astimezone(subs.zone_info(zone)).time() == time(3, 30) for r in rows)


@pytest.mark.postgres
async def test_claim_on_postgres_never_claims_a_day_twice(postgres_url: str) -> None:
    db.upgrade(postgres_url)
    engine = db.create_engine(postgres_url)
    sessions = db.create_sessionmaker(engine)
    from bot.features.content import load_content
    from tests.conftest import CONTENT_DIR

    tips = load_content(CONTENT_DIR).tips
    try:
        async with db.transaction(sessions) as session:
            for member_id in range(5000, 5010):
                await subs.subscribe(session, member_id, time(10), "Europe/Madrid",
                                     now=T0 - timedelta(hours=1), source="t")  # fmt: skip
        async with db.transaction(sessions) as session:
            first = await claim_due(session, tips, T0, Policy(batch=6), _report())
        async with db.transaction(sessions) as session:
            # Move one back as if due again the same day: the unique key refuses the claim.
            sub = await session.scalar(select(Subscription).where(Subscription.member_id == 5000))
            assert sub is not None
            sub.next_due_utc = T0
        async with db.transaction(sessions) as session:
            second = await claim_due(session, tips, T0, Policy(batch=100), _report())
        claimed = [c.member_id for c in first + second]
        assert sorted(claimed) == list(range(5000, 5010))
    finally:
        async with db.transaction(sessions) as session:
            await session.execute(TipDelivery.__table__.delete())
            await session.execute(Subscription.__table__.delete())
            await session.execute(SubscriptionEvent.__table__.delete())
        await engine.dispose()
        db.downgrade(postgres_url, "base")
