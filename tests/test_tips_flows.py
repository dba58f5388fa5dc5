"""Daily tips through the real application: subscribe, settings, pause, unsubscribe, /tip."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import func, select

from bot.app import AnyApp
from bot.deps import app_deps
from bot.features.tips import tip_of_day
from bot.runtime.fakeapi import FakeBotAPI
from bot.storage.models import Subscription, SubscriptionEvent
from tests.conftest import TIPS_NOW
from tests.tg import Driver, only, texts

NOW = TIPS_NOW


async def rows(app: AnyApp, model: type) -> list:
    async with app_deps(app).transaction() as session:
        return list(await session.scalars(select(model)))


async def subscribe(member: Driver, at: str = "10:00", zone: str = "Europe/Madrid") -> str:
    first = only(await member.send("/subscribe"))
    second = only(await member.press(first, at))
    return only(await member.press(second, zone.replace("_", " "))).text


async def test_subscribe_with_buttons_confirms_next_tip_in_local_time(
    clocked: AnyApp, member: Driver
) -> None:
    first = only(await member.send("/subscribe"))
    assert "At what time" in first.text
    second = only(await member.press(first, "10:00"))
    assert "<b>10:00</b>" in second.text
    done = only(await member.press(second, "Europe/Madrid"))
    assert "today at 10:00" in done.text
    [sub] = await rows(clocked, Subscription)
    assert (sub.status, sub.local_time, sub.time_zone) == ("active", time(10), "Europe/Madrid")
    assert sub.next_due_utc == datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
    [event] = await rows(clocked, SubscriptionEvent)
    assert (event.member_id, event.kind, event.source) == (
        member.user_id,
        "subscribed",
        "/subscribe",
    )


async def test_one_tap_for_the_default_time_in_the_community_zone(
    clocked: AnyApp, member: Driver
) -> None:
    first = only(await member.send("/subscribe"))
    done = only(await member.press(first, "10:00, community time (UTC)"))
    assert "today at 10:00" in done.text
    [sub] = await rows(clocked, Subscription)
    assert (sub.local_time, sub.time_zone) == (time(10), "UTC")
    assert sub.next_due_utc == datetime(2025, 6, 2, 10, 0, tzinfo=UTC)


async def test_typed_time_and_city_subscribe(clocked: AnyApp, member: Driver) -> None:
    await member.send("/subscribe")
    asked = only(await member.send("18:30"))
    assert "<b>18:30</b>" in asked.text
    done = only(await member.send("New York"))
    assert "today at 18:30" in done.text
    [sub] = await rows(clocked, Subscription)
    assert (sub.local_time, sub.time_zone) == (time(18, 30), "America/New_York")
    assert sub.next_due_utc == datetime(2025, 6, 2, 22, 30, tzinfo=UTC)


async def test_utc_offset_is_understood(clocked: AnyApp, member: Driver) -> None:
    await member.send("/subscribe")
    await member.send("9")
    done = only(await member.send("UTC+2"))
    assert "tomorrow at 09:00" in done.text  # 07:00 UTC is 09:00 there: just past
    [sub] = await rows(clocked, Subscription)
    assert sub.time_zone == "UTC+02:00"
    assert sub.next_due_utc == datetime(2025, 6, 3, 7, 0, tzinfo=UTC)


async def test_bad_time_gets_a_hint_and_the_choices_again(clocked: AnyApp, member: Driver) -> None:
    await member.send("/subscribe")
    hint = only(await member.send("25:99"))
    assert "couldn't read “25:99” as a time" in hint.text
    assert any(b["text"] == "10:00" for b in hint.buttons)
    assert await rows(clocked, Subscription) == []


async def test_unknown_zone_gets_a_hint_and_the_choices_again(
    clocked: AnyApp, member: Driver
) -> None:
    await member.send("/subscribe")
    await member.send("10:00")
    hint = only(await member.send("Atlantis"))
    assert "don't know the time zone “Atlantis”" in hint.text
    assert hint.buttons, "the zone buttons come back"
    done = only(await member.press(hint, "Europe/London"))
    assert "You're subscribed" in done.text


async def test_a_country_with_several_zones_offers_them(clocked: AnyApp, member: Driver) -> None:
    await member.send("/subscribe")
    await member.send("10:00")
    choice = only(await member.send("Spain"))
    assert "more than one time zone" in choice.text
    assert {b["text"] for b in choice.buttons} >= {"Europe/Madrid", "Atlantic/Canary"}
    await member.press(choice, "Atlantic/Canary")
    [sub] = await rows(clocked, Subscription)
    assert sub.time_zone == "Atlantic/Canary"


async def test_text_where_a_button_was_expected(clocked: AnyApp, member: Driver) -> None:
    await subscribe(member)
    await member.send("/unsubscribe")
    hint = only(await member.send("hmm, not sure"))
    assert hint.text == "Please tap one of the buttons below."
    assert [b["text"] for b in hint.buttons] == ["Yes, stop my tips", "No, keep them"]
    [sub] = await rows(clocked, Subscription)
    assert sub.status == "active"


async def test_text_with_no_open_question_is_left_alone(clocked: AnyApp, member: Driver) -> None:
    # Not taken as a time or a zone: only the general pointer of the private chat answers.
    [reply] = texts(await member.send("hello"))
    assert "ask me in your own words" in reply


async def test_subscribe_in_the_group_opens_the_private_chat(
    clocked: AnyApp, member: Driver
) -> None:
    answer = only(await member.in_group().send("/subscribe"))
    [button] = answer.buttons
    assert button["url"].endswith("?start=subscribe")
    assert await rows(clocked, Subscription) == []


async def test_deep_link_starts_subscribing(clocked: AnyApp, member: Driver) -> None:
    asked = only(await member.send("/start subscribe"))
    assert "At what time" in asked.text


async def test_subscribing_twice_shows_the_settings(clocked: AnyApp, member: Driver) -> None:
    await subscribe(member)
    again = only(await member.send("/subscribe"))
    assert "You already get a daily tip at 10:00 (Europe/Madrid)" in again.text
    assert any("Flare-up pause" in b["text"] for b in again.buttons)
    assert len(await rows(clocked, Subscription)) == 1


async def test_change_time_and_zone(clocked: AnyApp, member: Driver) -> None:
    await subscribe(member)
    menu = only(await member.send("/settings"))
    asked = only(await member.press(menu, "Change time"))
    done = only(await member.press(asked, "20:00"))
    assert "today at 20:00" in done.text
    menu = only(await member.send("/settings"))
    asked = only(await member.press(menu, "Change time zone"))
    done = only(await member.send("Tokyo"))
    assert "today at 20:00" in done.text  # it is 16:00 in Tokyo
    [sub] = await rows(clocked, Subscription)
    assert (sub.local_time, sub.time_zone) == (time(20), "Asia/Tokyo")
    kinds = [e.kind for e in await rows(clocked, SubscriptionEvent)]
    assert kinds == ["subscribed", "time_changed", "zone_changed"]


async def test_flare_up_pause_and_resume(clocked: AnyApp, member: Driver) -> None:
    await subscribe(member)
    menu = only(await member.send("/settings"))
    asked = only(await member.press(menu, "Flare-up pause"))
    assert [b["text"] for b in asked.buttons] == ["3 days", "7 days", "14 days"]
    done = only(await member.press(asked, "7 days"))
    assert "paused until Monday, June 9" in done.text
    [sub] = await rows(clocked, Subscription)
    assert sub.status == "paused"
    assert sub.next_due_utc == datetime(2025, 6, 9, 8, 0, tzinfo=UTC)  # seven tips skipped
    menu = only(await member.send("/settings"))
    assert "Paused until Monday, June 9" in menu.text
    done = only(await member.press(menu, "Resume"))
    assert "today at 10:00" in done.text
    [sub] = await rows(clocked, Subscription)
    assert (sub.status, sub.paused_until) == ("active", None)
    kinds = [(e.kind, e.source) for e in await rows(clocked, SubscriptionEvent)]
    assert kinds[1:] == [("paused", "/settings"), ("resumed", "/settings")]


async def test_unsubscribe_is_one_tap_and_a_goodbye(clocked: AnyApp, member: Driver) -> None:
    await subscribe(member)
    asked = only(await member.send("/unsubscribe"))
    done = only(await member.press(asked, "Yes, stop my tips"))
    assert "Your daily tips have stopped" in done.text
    assert done.buttons == []
    [sub] = await rows(clocked, Subscription)
    assert (sub.status, sub.next_due_utc) == ("ended", None)
    events = await rows(clocked, SubscriptionEvent)
    assert (events[-1].kind, events[-1].source) == ("unsubscribed", "/unsubscribe")


async def test_keep_the_tips(clocked: AnyApp, member: Driver) -> None:
    await subscribe(member)
    asked = only(await member.send("/unsubscribe"))
    kept = only(await member.press(asked, "No, keep them"))
    assert "your tips continue" in kept.text
    [sub] = await rows(clocked, Subscription)
    assert sub.status == "active"


async def test_settings_without_a_subscription(clocked: AnyApp, member: Driver) -> None:
    assert "Send /subscribe to start" in only(await member.send("/settings")).text
    assert "Send /subscribe to start" in only(await member.send("/unsubscribe")).text


async def test_resubscribe_after_unsubscribing(clocked: AnyApp, member: Driver) -> None:
    await subscribe(member)
    asked = only(await member.send("/unsubscribe"))
    await member.press(asked, "Yes")
    assert "You're subscribed" in await subscribe(member, "08:00")
    [sub] = await rows(clocked, Subscription)
    assert (sub.status, sub.local_time) == ("active", time(8))


async def test_tip_is_todays_tip_for_everyone(
    clocked: AnyApp, member: Driver, api: FakeBotAPI
) -> None:
    content = app_deps(clocked).content
    expected = tip_of_day(content.tips, NOW.date())
    private = only(await member.send("/tip"))
    group = only(await member.in_group().send("/tip"))
    assert private.text == group.text
    assert "Today's tip" in private.text
    assert expected.text.split(".")[0] in private.text
    assert any("tip every day" in b["text"] for b in private.buttons)


async def test_old_or_forged_buttons_do_not_break(clocked: AnyApp, member: Driver) -> None:
    await subscribe(member)
    menu = only(await member.send("/settings"))
    answer = only(await member.press_data(menu, "tips:z:Mars/Olympus"))
    assert "Your daily tip" in answer.text
    answer = only(await member.press_data(menu, "tips:gone"))
    assert "Your daily tip" in answer.text
    async with app_deps(clocked).transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Subscription)) == 1
