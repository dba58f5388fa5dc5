"""The /announce flow, /scheduled, /cancel, /pause and /resume, driven through the real app."""

from __future__ import annotations

from typing import Any

from bot.app import AnyApp
from bot.deps import app_deps
from bot.features import announcements as ann
from bot.runtime.fakeapi import ADMIN_ID, GROUP_ID, ApiCall, FakeBotAPI
from bot.storage.models import PostState
from tests.announce_util import (
    GROUP_ADMIN_ID,
    NOW,
    add,
    changes,
    count,
    formatted_message,
    get,
    message_update,
    use_clock,
)
from tests.tg import MEMBER_ID, Driver, only, texts, user

BOLD = [{"type": "bold", "offset": 0, "length": 6}]


def admin(app: AnyApp, api: FakeBotAPI) -> Driver:
    return Driver(app, api, user_id=ADMIN_ID, first_name="Ada")


async def start_flow(app: AnyApp, api: FakeBotAPI, when: str | None) -> tuple[Driver, ApiCall]:
    """Run /announce up to the pin question; ``when`` None presses Now."""
    use_clock(app)
    driver = admin(app, api)
    ask = only(await driver.send("/announce"))
    assert "Send me its text" in ask.text
    calls = await driver.process(formatted_message(app, "Friday meet-up at 18:00", BOLD))
    prompt = calls[-1]
    if when is None:
        pin_question = only(await driver.press(prompt, "Now"))
    else:
        pin_question = only(await driver.send(when))
    assert "Should I pin it" in pin_question.text
    return driver, pin_question


async def test_admin_announces_now_with_formatting_kept(app: AnyApp, api: FakeBotAPI) -> None:
    use_clock(app)
    driver = admin(app, api)
    ask = only(await driver.send("/announce"))
    assert any("Cancel" in b["text"] for b in ask.buttons)
    calls = await driver.process(formatted_message(app, "Friday meet-up at 18:00", BOLD))
    preview, prompt = texts(calls)
    assert preview == "<b>Friday</b> meet-up at 18:00"
    assert "When should I post it" in prompt
    assert "tomorrow 9:00" in prompt
    pin_question = only(await driver.press(calls[-1], "Now"))
    summary = only(await driver.press(pin_question, "Don't pin"))
    assert "When: now" in summary.text
    assert "Pinned: no" in summary.text
    calls = await driver.press(summary, "Confirm")
    to_group = [
        c for c in calls if c.method == "sendMessage" and int(c.params["chat_id"]) == GROUP_ID
    ]
    assert [c.text for c in to_group] == ["<b>Friday</b> meet-up at 18:00"]
    assert to_group[0].params["parse_mode"] == "HTML"
    assert "Posted in the group (#1)" in texts(calls)[-1]
    assert not api.sent("pinChatMessage")
    assert (await get(app, 1)).status == ann.SENT
    assert await changes(app, "#1") == [("created", ADMIN_ID), ("sent", None)]


async def test_scheduled_later_then_posted_once_and_pinned(app: AnyApp, api: FakeBotAPI) -> None:
    driver, pin_question = await start_flow(app, api, "tomorrow 9:00")
    assert "Tue 24 Nov 2026, 09:00" in pin_question.text
    summary = only(await driver.press(pin_question, "Pin it"))
    assert "Pinned: yes" in summary.text
    calls = await driver.press(summary, "Confirm")
    assert "Scheduled as #1. Next: Tue 24 Nov 2026, 09:00" in texts(calls)[-1]
    assert not [c for c in calls if int(c.params.get("chat_id", 0)) == GROUP_ID]
    assert ann.has_job(app, ann.job_name(1))
    row = await get(app, 1)
    assert row.run_at is not None
    assert await ann.deliver_announcement(app, 1, row.run_at) == "sent"
    assert await ann.deliver_announcement(app, 1, row.run_at) == "skipped"
    posted = [c for c in api.sent() if int(c.params["chat_id"]) == GROUP_ID]
    assert len(posted) == 1
    pinned = only(api.calls, "pinChatMessage")
    assert pinned.params["message_id"] == posted[0].result["message_id"]
    assert pinned.params["disable_notification"] is True


async def test_a_repeat_is_scheduled_with_its_next_run(app: AnyApp, api: FakeBotAPI) -> None:
    driver, pin_question = await start_flow(app, api, "every monday 18:00")
    assert "every monday 18:00 (next: Mon 30 Nov 2026, 18:00)" in pin_question.text
    summary = only(await driver.press(pin_question, "Don't pin"))
    await driver.press(summary, "Confirm")
    row = await get(app, 1)
    assert (row.kind, row.cron, row.status) == ("repeat", "0 18 * * mon", ann.SCHEDULED)
    assert ann.has_job(app, ann.job_name(1))


async def test_bad_when_gets_a_hint_and_the_flow_waits(app: AnyApp, api: FakeBotAPI) -> None:
    use_clock(app)
    driver = admin(app, api)
    await driver.send("/announce")
    await driver.process(formatted_message(app, "Friday meet-up", BOLD))
    for phrase, reason in [
        ("whenever", "couldn't read that as a time"),
        ("tomorrow", "Please add a time of day, like <code>tomorrow 9:00</code>"),
        ("in 90", "<code>in 90 minutes</code>"),
        ("every funday 9:00", "I don't know the day “funday”"),
        ("every other friday 19:00 from <b>x", "I couldn't read “&lt;b&gt;x” as a start date"),
        ("yesterday 9:00", "already passed"),
        ("01/02/2027 10:00", "could be read two ways"),
        ("* * * * *", "more than once an hour"),
    ]:
        reply = only(await driver.send(phrase))
        assert reason in reply.text
        assert "every monday 18:00" in reply.text
    assert "Should I pin it" in only(await driver.send("in 2 hours")).text


async def test_cancel_at_each_step_stores_nothing(app: AnyApp, api: FakeBotAPI) -> None:
    use_clock(app)
    driver = admin(app, api)
    ask = only(await driver.send("/announce"))
    assert "Nothing was scheduled" in only(await driver.press(ask, "Cancel")).text
    _, pin_question = await start_flow(app, api, "tomorrow 9:00")
    assert "Nothing was scheduled" in only(await driver.press(pin_question, "Cancel")).text
    driver, pin_question = await start_flow(app, api, None)
    summary = only(await driver.press(pin_question, "Pin it"))
    assert "Nothing was scheduled" in only(await driver.press(summary, "Cancel")).text
    await driver.send("/announce")
    assert "Nothing was scheduled" in only(await driver.send("/cancel")).text
    # Buttons of a finished draft say so instead of doing anything.
    stale = await driver.press(summary, "Confirm")
    assert stale[-1].method == "answerCallbackQuery"
    assert "ended" in stale[-1].params["text"]
    assert await count(app) == 0


async def test_a_sticker_instead_of_text_is_asked_again(app: AnyApp, api: FakeBotAPI) -> None:
    driver = admin(app, api)
    await driver.send("/announce")
    sticker = {"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}
    sticker |= {"is_animated": False, "is_video": False, "type": "regular"}
    update = message_update(app, ADMIN_ID, sticker=sticker, **{"from": user(ADMIN_ID)})
    reply = only(await driver.process(update))
    assert "as a text message" in reply.text


async def test_forum_topic_step_when_the_group_has_topics(app: AnyApp, api: FakeBotAPI) -> None:
    def forum(params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat = {
            "id": int(params["chat_id"]),
            "type": "supergroup",
            "title": "Fibro",
            "is_forum": True,
        }
        return 200, {
            "ok": True,
            "result": {**chat, "accent_color_id": 0, "max_reaction_count": 11},
        }

    api.respond("getChat", forum)
    driver, pin_question = await start_flow(app, api, None)
    topic_question = only(await driver.press(pin_question, "Don't pin"))
    assert "Which one" in topic_question.text
    assert "topic number" in only(await driver.send("the second one")).text
    summary = only(await driver.send("https://t.me/c/1234567890/42"))
    assert "Topic: 42" in summary.text
    calls = await driver.press(summary, "Confirm")
    posted = [
        c for c in calls if c.method == "sendMessage" and int(c.params["chat_id"]) == GROUP_ID
    ]
    assert int(posted[0].params["message_thread_id"]) == 42


async def test_a_group_admin_can_announce_from_the_group(app: AnyApp, api: FakeBotAPI) -> None:
    api.admins.add(GROUP_ADMIN_ID)
    use_clock(app)
    driver = Driver(app, api, user_id=GROUP_ADMIN_ID).in_group()
    ask = only(await driver.send("/announce"))
    assert "reply to this message" in ask.text
    calls = await driver.process(
        formatted_message(app, "Friday meet-up", BOLD, chat_id=GROUP_ID, user_id=GROUP_ADMIN_ID)
    )
    assert "When should I post it" in texts(calls)[-1]


async def test_non_admins_are_refused_and_nothing_changes(app: AnyApp, api: FakeBotAPI) -> None:
    await add(app, "tomorrow 9:00")
    member = Driver(app, api, user_id=MEMBER_ID)
    for command in (
        "/announce",
        "/scheduled",
        "/cancel 1",
        "/pause 1",
        "/resume 1",
        "/pause resources",
    ):
        assert "only the community's admins" in only(await member.send(command)).text
    # The flow did not start: their next message is not taken as an announcement.
    replies = texts(
        await member.process(
            formatted_message(app, "Hi", [], user_id=MEMBER_ID, chat_id=MEMBER_ID)
        )
    )
    assert not [r for r in replies if "When should I post it" in r]
    assert (await get(app, 1)).status == ann.SCHEDULED
    assert await count(app) == 1
    async with app_deps(app).transaction() as session:
        state = await session.get(PostState, "resources")
        assert state is not None
        assert not state.paused


async def test_scheduled_lists_ids_and_next_runs(app: AnyApp, api: FakeBotAPI) -> None:
    use_clock(app)
    await add(app, "tomorrow 9:00", text="<b>Friday</b> &amp; more", pin=True)
    await add(app, "every day 9:00", status=ann.PAUSED)
    await add(app, "in 1 hour", status=ann.SENT)
    text = only(await admin(app, api).send("/scheduled")).text
    assert "times in UTC" in text
    assert "#1</b> · Tue 24 Nov 2026, 09:00 · next Tue 24 Nov 2026, 09:00 · 📌" in text
    assert "<i>Friday &amp; more</i>" in text
    assert "#2</b> · every day 9:00 · next Tue 24 Nov 2026, 09:00 · ⏸ paused" in text
    assert "#3" not in text
    assert (
        "resources</b> · Weekly resources · every monday 10:00 · next Mon 30 Nov 2026, 10:00"
        in text
    )


async def test_pause_resume_and_cancel(app: AnyApp, api: FakeBotAPI) -> None:
    use_clock(app)
    row = await add(app, "tomorrow 9:00")
    ann.schedule(app, row, app_deps(app).settings.zone)
    driver = admin(app, api)
    assert "Post 1 is paused" in only(await driver.send("/pause 1")).text
    assert not ann.has_job(app, ann.job_name(1))
    assert "already paused" in only(await driver.send("/pause #1")).text
    assert await ann.deliver_announcement(app, 1, NOW) == "skipped"
    assert "back on. Next: Tue 24 Nov 2026, 09:00" in only(await driver.send("/resume 1")).text
    assert ann.has_job(app, ann.job_name(1))
    assert "isn't paused" in only(await driver.send("/resume 1")).text
    assert "#1 is cancelled" in only(await driver.send("/cancel 1")).text
    assert not ann.has_job(app, ann.job_name(1))
    assert "nothing to change" in only(await driver.send("/cancel 1")).text
    assert "can't find 99" in only(await driver.send("/pause 99")).text
    assert "add the id" in only(await driver.send("/resume")).text
    for command in ("cancel", "pause", "resume"):  # each usage names its own command
        assert f"<code>/{command} 12</code>" in only(await driver.send(f"/{command}")).text
    assert (await get(app, 1)).status == ann.CANCELLED
    assert await changes(app, "#1") == [
        ("created", 1000),
        ("paused", ADMIN_ID),
        ("resumed", ADMIN_ID),
        ("cancelled", ADMIN_ID),
    ]


async def test_a_one_off_whose_time_passed_while_paused_cannot_resume(
    app: AnyApp, api: FakeBotAPI
) -> None:
    clock = use_clock(app)
    await add(app, "in 1 hour", status=ann.PAUSED)
    clock.advance(hours=2)
    assert "time passed while it was paused" in only(await admin(app, api).send("/resume 1")).text
    assert (await get(app, 1)).status == ann.PAUSED


async def test_the_resources_post_pauses_resumes_and_posts_the_links(
    app: AnyApp, api: FakeBotAPI
) -> None:
    clock = use_clock(app)
    driver = admin(app, api)
    assert ann.has_job(app, ann.post_job_name("resources"))
    assert "can't be cancelled" in only(await driver.send("/cancel resources")).text
    assert "Post resources is paused" in only(await driver.send("/pause resources")).text
    assert not ann.has_job(app, ann.post_job_name("resources"))
    assert "⏸ paused" in only(await driver.send("/scheduled")).text
    assert await ann.deliver_post(app, "resources", clock.now) == "skipped"
    assert "back on" in only(await driver.send("/resume resources")).text
    assert ann.has_job(app, ann.post_job_name("resources"))
    api.clear()
    assert await ann.deliver_post(app, "resources", clock.now) == "sent"
    assert await ann.deliver_post(app, "resources", clock.advance(seconds=30)) == "skipped"
    post = only(api.calls)
    assert int(post.params["chat_id"]) == GROUP_ID
    links = app_deps(app).content.links
    assert all(link.url in post.text for link in links)
    assert "This week's resources" in post.text
    assert await changes(app, "post:resources") == [("paused", ADMIN_ID), ("resumed", ADMIN_ID)]


async def test_a_draft_left_alone_times_out(app: AnyApp, api: FakeBotAPI) -> None:
    driver = admin(app, api)
    ask = only(await driver.send("/announce"))
    (timeout,) = [j for j in app.job_queue.jobs() if "timeout" in j.name]
    api.clear()
    await timeout.run(app)
    assert "15 quiet minutes" in only(api.calls).text
    # The flow is over: its buttons no longer do anything.
    assert "ended" in (await driver.press(ask, "Cancel"))[-1].params["text"]
    assert await count(app) == 0


def test_the_group_limit_of_20_messages_a_minute_is_configured(settings: Any) -> None:
    from bot.app import build_application
    from bot.runtime.metrics import MeteredLimiter

    metered = build_application(settings, FakeBotAPI()).bot.rate_limiter
    assert isinstance(metered, MeteredLimiter)  # counts for /metrics, around PTB's limiter
    limiter = metered.inner
    assert (limiter._group_max_rate, limiter._group_time_period) == (20, 60)  # type: ignore[attr-defined]


async def test_cancel_with_an_id_during_a_draft_cancels_that_post(
    app: AnyApp, api: FakeBotAPI
) -> None:
    await add(app, "tomorrow 9:00")
    driver = admin(app, api)
    await driver.send("/announce")
    assert "#1 is cancelled" in only(await driver.send("/cancel 1")).text
    assert (await get(app, 1)).status == ann.CANCELLED
    replies = texts(await driver.process(formatted_message(app, "Friday meet-up", BOLD)))
    assert not [r for r in replies if "When should I post it" in r], "the draft is gone"
