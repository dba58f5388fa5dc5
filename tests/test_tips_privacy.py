"""/mydata and /forget with daily tips, and `fibrobot subscribers` for admins."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import AnyApp
from bot.cli import main
from bot.config import Settings
from bot.deps import app_deps
from bot.features import subscriptions as subs
from bot.storage.models import Member, Subscription, SubscriptionEvent, TipDelivery
from handlers.subscribe import delivery_job
from tests.conftest import TIPS_NOW
from tests.test_tips_delivery import FakeContext
from tests.tg import OTHER_MEMBER_ID, Driver, only

NOW = TIPS_NOW


async def subscribed_with_a_tip(app: AnyApp, member_id: int) -> None:
    deps = app_deps(app)
    async with deps.transaction() as session:
        await subs.subscribe(session, member_id, time(9), "UTC", now=NOW, source="/subscribe")
    deps.clock = lambda: datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    await delivery_job(FakeContext(app))  # type: ignore[arg-type]
    deps.clock = lambda: NOW


async def all_rows(app: AnyApp, model: type) -> list:
    async with app_deps(app).transaction() as session:
        return list(await session.scalars(select(model)))


async def test_mydata_shows_the_subscription(clocked: AnyApp, member: Driver) -> None:
    await subscribed_with_a_tip(clocked, member.user_id)
    shown = only(await member.send("/mydata"))
    assert f"Telegram id {member.user_id}" in shown.text
    assert "status active, at 09:00 in UTC" in shown.text
    assert "1 daily tip record: date, tip id, status" in shown.text
    assert "1 change in the subscription log" in shown.text
    assert "/forget" in shown.text


async def test_forget_erases_everything_and_blanks_the_log(
    clocked: AnyApp, member: Driver
) -> None:
    await subscribed_with_a_tip(clocked, member.user_id)
    await subscribed_with_a_tip(clocked, OTHER_MEMBER_ID)
    asked = only(await member.send("/forget"))
    assert "Daily tips" in asked.text
    done = only(await member.press(asked, "Yes, erase everything"))
    assert "everything I stored about you is erased" in done.text
    subscriptions = await all_rows(clocked, Subscription)
    assert [s.member_id for s in subscriptions] == [OTHER_MEMBER_ID]
    deliveries = await all_rows(clocked, TipDelivery)
    assert [d.subscription_id for d in deliveries] == [subscriptions[0].id]
    events = await all_rows(clocked, SubscriptionEvent)
    assert member.user_id not in {e.member_id for e in events}
    assert [(e.member_id, e.kind) for e in events] == [
        (None, "subscribed"),
        (OTHER_MEMBER_ID, "subscribed"),
        (None, "forgotten"),
    ]
    assert member.user_id not in {m.id for m in await all_rows(clocked, Member)}


async def test_forget_can_be_cancelled(clocked: AnyApp, member: Driver) -> None:
    await subscribed_with_a_tip(clocked, member.user_id)
    asked = only(await member.send("/forget"))
    hint = only(await member.send("wait what"))
    assert hint.text == "Please tap one of the buttons below."
    kept = only(await member.press(hint, "No, keep it"))
    assert kept.text == "Nothing was erased."
    assert len(await all_rows(clocked, Subscription)) == 1
    assert asked.buttons


async def test_mydata_in_the_group_points_to_private(clocked: AnyApp, member: Driver) -> None:
    answer = only(await member.in_group().send("/mydata"))
    assert "private chat" in answer.text
    assert answer.buttons[0]["url"].endswith("?start=mydata")


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line on the test database, with today fixed."""
    import bot.features.tips_report

    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("TIMEZONE", "UTC")
    monkeypatch.setattr(bot.features.tips_report, "utcnow", lambda: NOW)


@pytest.mark.usefixtures("cli_env")
async def test_subscribers_command_counts_and_exports(
    clocked: AnyApp, member: Driver, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await subscribed_with_a_tip(clocked, member.user_id)
    await subscribed_with_a_tip(clocked, OTHER_MEMBER_ID)
    asked = only(await member.send("/unsubscribe"))
    await member.press(asked, "Yes")
    assert main(["subscribers"]) == 0
    out = capsys.readouterr().out
    assert "active         1" in out
    assert "ended          1" in out
    assert "sent           2" in out
    target = tmp_path / "log.csv"
    assert main(["subscribers", "--csv", str(target)]) == 0
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["event_id", "at_utc", "member_id", "event", "source"]
    assert [r[2:] for r in rows[1:]] == [
        [str(member.user_id), "subscribed", "/subscribe"],
        [str(OTHER_MEMBER_ID), "subscribed", "/subscribe"],
        [str(member.user_id), "unsubscribed", "/unsubscribe"],
    ]
