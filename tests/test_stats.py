"""/stats for admins, `fibrobot stats`, the admins' /help and their command menu."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.cli import main
from bot.config import Settings
from bot.deps import app_deps
from bot.features.stats import daily_counts
from bot.runtime.fakeapi import ADMIN_ID, GROUP_ID, FakeBotAPI
from bot.storage.models import (
    FaqUsage,
    MemberEvent,
    ScheduleChange,
    Subscription,
    SubscriptionEvent,
    TipDelivery,
    utcnow,
)
from tests.tg import Driver, only, texts

PNG = b"\x89PNG\r\n\x1a\n"
NOW = utcnow()


async def seed(app: AnyApp) -> None:
    """Three joins (two this week), one leave this week, one join too old to count; FAQ use."""
    rows: list[Any] = [
        MemberEvent(user_id=1, kind="join", at=NOW - timedelta(days=1)),
        MemberEvent(user_id=2, kind="join", at=NOW - timedelta(days=3)),
        MemberEvent(user_id=3, kind="join", at=NOW - timedelta(days=20)),
        MemberEvent(user_id=4, kind="join", at=NOW - timedelta(days=45)),
        MemberEvent(user_id=1, kind="leave", at=NOW - timedelta(days=2)),
    ]
    rows += [FaqUsage(topic_id="cost", chat_type="private") for _ in range(3)]
    rows += [FaqUsage(topic_id="safety", chat_type="supergroup")]
    # Announcements: #1 sent this week, #2 sent 10 days ago, #3 sent then refused by
    # Telegram, #4 too old; a posts.yaml post and a pause are not posts.
    rows += [
        ScheduleChange(target="#1", action="sent", at=NOW - timedelta(days=2)),
        ScheduleChange(target="#2", action="sent", at=NOW - timedelta(days=10)),
        ScheduleChange(target="#3", action="sent", at=NOW - timedelta(days=1)),
        ScheduleChange(target="#3", action="failed", at=NOW - timedelta(days=1)),
        ScheduleChange(target="#4", action="sent", at=NOW - timedelta(days=40)),
        ScheduleChange(target="#5", action="paused", at=NOW - timedelta(days=1)),
        ScheduleChange(target="post:weekly", action="sent", at=NOW - timedelta(days=1)),
    ]
    async with app_deps(app).transaction() as session:
        session.add_all(rows)
        await seed_tips(session)


async def seed_tips(session: Any) -> None:
    """Subscribers: 10 and 11 active, 12 paused, 13 ended this month; 3 tips sent (one old)."""
    subscriptions = [
        Subscription(member_id=member, status=status, local_time=time(10), time_zone="UTC")
        for member, status in ((10, "active"), (11, "active"), (12, "paused"), (13, "ended"))
    ]
    session.add_all(subscriptions)
    await session.flush()
    # Four subscribed this month, one of whom left, and one subscription from long ago.
    session.add_all(
        [
            SubscriptionEvent(
                member_id=m, kind="subscribed", source="/subscribe", at=NOW - timedelta(days=5)
            )
            for m in (10, 11, 12, 13)
        ]
        + [
            SubscriptionEvent(
                member_id=13,
                kind="unsubscribed",
                source="/unsubscribe",
                at=NOW - timedelta(days=2),
            ),
            SubscriptionEvent(
                member_id=9, kind="subscribed", source="/subscribe", at=NOW - timedelta(days=60)
            ),
        ]
    )
    first = subscriptions[0].id
    session.add_all(
        [
            TipDelivery(
                subscription_id=first,
                local_date=(NOW - timedelta(days=d)).date(),
                tip_id="t",
                status=status,
                attempts=1,
                due_at=NOW - timedelta(days=d),
                sent_at=NOW - timedelta(days=d) if status == "sent" else None,
            )
            for d, status in ((1, "sent"), (10, "sent"), (40, "sent"), (2, "missed"))
        ]
    )


def admin(member: Driver) -> Driver:
    return member.as_user(ADMIN_ID, "Ana")


async def test_an_admin_gets_the_figures_and_a_png_chart(app: AnyApp, member: Driver) -> None:
    await seed(app)
    calls = await admin(member).send("/stats")
    report = only(calls)
    assert "Joined: 2 in 7 days, 3 in 30 days" in report.text
    assert "Left: 1 in 7 days, 1 in 30 days" in report.text
    assert "Tip subscribers: 3 (+3 in 30 days)" in report.text
    assert "Tips delivered: 1 in 7 days, 2 in 30 days" in report.text
    assert "Announcements posted: 1 in 7 days, 2 in 30 days" in report.text
    assert report.text.index("How much does it cost?: 3") < report.text.index("Is it safe?: 1")
    photo = only(calls, "sendPhoto")
    assert int(photo.params["chat_id"]) == ADMIN_ID
    [png] = photo.files.values()
    assert png.startswith(PNG)
    assert "30 days" in photo.text


async def test_stats_in_the_group_answer_a_group_admin(app: AnyApp, member: Driver) -> None:
    calls = await admin(member).in_group().send("/stats")
    assert "Community statistics" in only(calls).text
    assert int(only(calls, "sendPhoto").params["chat_id"]) == GROUP_ID


async def test_a_member_is_kindly_refused(member: Driver) -> None:
    calls = await member.send("/stats")
    assert texts(calls) == ["Sorry, only the community's admins can do that."]
    assert [c for c in calls if c.method == "sendPhoto"] == []


async def test_days_are_counted_in_the_community_time_zone(app: AnyApp) -> None:
    zone = ZoneInfo("America/New_York")
    now = datetime(2026, 11, 20, 12, 0, tzinfo=zone)
    late_evening = datetime(2026, 11, 19, 23, 30, tzinfo=zone)  # already the 20th in UTC
    async with app_deps(app).transaction() as session:
        session.add(MemberEvent(user_id=1, kind="join", at=late_evening))
        session.add(MemberEvent(user_id=2, kind="leave", at=now - timedelta(days=40)))
        days = await daily_counts(session, now, zone)
    assert len(days) == 30
    assert days[-1].day.isoformat() == "2026-11-20"
    assert [(d.day.isoformat(), d.joined) for d in days if d.joined] == [("2026-11-19", 1)]
    assert sum(d.left for d in days) == 0


def test_fibrobot_stats_prints_the_same_report(
    app: AnyApp, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Any
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    chart = tmp_path / "chart.png"
    assert main(["stats", "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "Community statistics" in out
    assert "Joined: 0 in 7 days, 0 in 30 days" in out
    assert "Tip subscribers: 0 (+0 in 30 days)" in out
    assert "<b>" not in out
    assert chart.read_bytes().startswith(PNG)


async def test_fibrobot_stats_counts_what_the_bot_logged(
    app: AnyApp, settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    await seed(app)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert await asyncio.to_thread(main, ["stats"]) == 0
    out = capsys.readouterr().out
    assert "Joined: 2 in 7 days, 3 in 30 days" in out
    assert "How much does it cost?: 3" in out


# --- Admin help and menu -------------------------------------------------------------------


async def test_help_shows_admins_their_commands(member: Driver) -> None:
    text = only(await admin(member).send("/help")).text
    assert "For admins" in text
    for command in ("/setup", "/announce", "/scheduled", "/cancel", "/pause", "/resume", "/stats"):
        assert command in text
    assert "/cancel &lt;id&gt;" in text


async def test_help_shows_members_only_theirs(member: Driver) -> None:
    text = only(await member.send("/help")).text
    assert "/faq" in text
    assert "For admins" not in text
    assert "/stats" not in text


def scope_of(params: dict[str, Any]) -> dict[str, Any]:
    scope = params.get("scope") or {"type": "default"}
    return json.loads(scope) if isinstance(scope, str) else scope


def commands_of(call: Any) -> list[str]:
    commands = call.params["commands"]
    commands = json.loads(commands) if isinstance(commands, str) else commands
    return [c["command"] for c in commands]


async def started(settings: Settings, api: FakeBotAPI) -> AnyApp:
    application = build_application(settings, api)
    await start_offline(application)
    return application


async def test_admin_commands_are_registered_for_administrators_at_start_up(
    settings: Settings,
) -> None:
    api = FakeBotAPI()
    application = await started(settings, api)
    await stop_offline(application)
    by_scope = {
        json.dumps(scope_of(c.params), sort_keys=True): c for c in api.sent("setMyCommands")
    }
    default = by_scope[json.dumps({"type": "default"})]
    assert "stats" not in commands_of(default)
    admins = by_scope[json.dumps({"chat_id": GROUP_ID, "type": "chat_administrators"})]
    assert {"faq", "stats", "setup", "announce", "cancel"} <= set(commands_of(admins))
    private = by_scope[json.dumps({"chat_id": ADMIN_ID, "type": "chat"})]
    assert "stats" in commands_of(private)


async def test_an_admin_chat_telegram_does_not_know_does_not_stop_the_bot(
    settings: Settings,
) -> None:
    api = FakeBotAPI()

    def unknown_chat(params: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        if scope_of(params)["type"] == "chat":
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: chat not found",
            }
        return None

    api.respond("setMyCommands", unknown_chat)
    application = await started(settings, api)
    try:
        reply = only(await Driver(application, api).send("/help"))
        assert "/faq" in reply.text
    finally:
        await stop_offline(application)
