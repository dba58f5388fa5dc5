"""Members joining and leaving the group: the log row, the welcome, its deletion, privacy."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import inspect, select

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.config import Settings
from bot.deps import app_deps
from bot.runtime.fakeapi import ADMIN_ID, BOT_USERNAME, GROUP_ID, FakeBotAPI
from bot.storage.models import MemberEvent, ScheduleChange, WelcomeMessage, utcnow
from bot.storage.privacy import describe_all, erase_all
from handlers.members import DELETE_JOB, GATHER_JOB
from tests.tg import ADMIN_RIGHTS, MEMBER_ID, OTHER_MEMBER_ID, Driver, chat, only, user

_ids = itertools.count(500)

RESTRICTIONS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
    "can_edit_tag",
    "can_react_to_messages",
)


def status_fields(status: str) -> dict[str, Any]:
    """The fields Telegram sends with each status (``restricted-in``: restricted, in the group)."""
    if status == "kicked":
        return {"status": status, "until_date": 0}
    if status == "administrator":
        return {"status": status} | dict.fromkeys(ADMIN_RIGHTS, False)
    if status.startswith("restricted"):
        rights = dict.fromkeys(RESTRICTIONS, False)
        return {
            "status": "restricted",
            "until_date": 0,
            "is_member": status.endswith("-in"),
        } | rights
    return {"status": status}


def membership(
    app: AnyApp,
    old: str,
    new: str,
    user_id: int = MEMBER_ID,
    *,
    first_name: str = "Sam",
    chat_id: int = GROUP_ID,
    is_bot: bool = False,
) -> Any:
    """A real chat_member update: ``user_id`` went from status ``old`` to ``new``."""
    from telegram import Update

    person = user(user_id, first_name) | {"is_bot": is_bot}
    change = {
        "chat": chat(chat_id),
        "from": person,
        "date": int(time.time()),
        "old_chat_member": {"user": person} | status_fields(old),
        "new_chat_member": {"user": person} | status_fields(new),
    }
    return Update.de_json({"update_id": next(_ids), "chat_member": change}, app.bot)


async def welcome_now(app: AnyApp) -> None:
    """End every gathering window at once (the tests' window is a minute of real time)."""
    assert app.job_queue is not None
    for job in app.job_queue.jobs():
        if job.name.startswith(GATHER_JOB):
            job.schedule_removal()
            await job.run(app)


async def join(app: AnyApp, member: Driver, *newcomers: tuple[int, str]) -> list[Any]:
    """People join one after the other, then their window ends: the calls it all caused."""
    before = len(member.api.calls)
    for user_id, first_name in newcomers:
        await member.process(membership(app, "left", "member", user_id, first_name=first_name))
    await welcome_now(app)
    return member.api.calls[before:]


async def events(app: AnyApp) -> list[tuple[int, str]]:
    async with app_deps(app).transaction() as session:
        rows = await session.scalars(select(MemberEvent).order_by(MemberEvent.id))
        return [(row.user_id, row.kind) for row in rows]


async def test_a_newcomer_is_logged_and_welcomed_with_rules_and_buttons(
    app: AnyApp, member: Driver
) -> None:
    before = utcnow()
    welcome = only(await join(app, member, (MEMBER_ID, "Sam")))
    assert int(welcome.params["chat_id"]) == GROUP_ID
    assert "Welcome, Sam" in welcome.text
    assert "Our group rules" in welcome.text
    urls = [b["url"] for b in welcome.buttons]
    assert urls == [
        f"https://t.me/{BOT_USERNAME}?start=faq",
        f"https://t.me/{BOT_USERNAME}?start=subscribe",
    ]
    assert await events(app) == [(MEMBER_ID, "join")]
    async with app_deps(app).transaction() as session:
        row = await session.scalar(select(MemberEvent))
        assert row is not None
        assert before <= row.at <= utcnow()


async def test_a_member_leaving_is_logged_without_a_message(app: AnyApp, member: Driver) -> None:
    assert await member.process(membership(app, "member", "left")) == []
    assert await member.process(membership(app, "member", "kicked", OTHER_MEMBER_ID)) == []
    assert await member.process(membership(app, "restricted-in", "restricted-out", 1003)) == []
    assert await events(app) == [(MEMBER_ID, "leave"), (OTHER_MEMBER_ID, "leave"), (1003, "leave")]


async def test_rights_changes_bots_and_other_groups_are_ignored(
    app: AnyApp, member: Driver
) -> None:
    await member.process(membership(app, "member", "administrator"))
    await member.process(membership(app, "member", "restricted-in"))
    await member.process(membership(app, "left", "member", is_bot=True))
    await member.process(membership(app, "left", "member", chat_id=-100999))
    await welcome_now(app)
    assert [c for c in member.api.calls if c.method == "sendMessage"] == []
    assert await events(app) == []


async def test_the_welcome_escapes_the_newcomers_name(app: AnyApp, member: Driver) -> None:
    welcome = only(await join(app, member, (MEMBER_ID, "<b>Eve</b> & co")))
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in welcome.text


async def test_only_the_id_and_the_time_are_stored() -> None:
    columns = {c.key for c in inspect(MemberEvent).columns}
    assert columns == {"id", "user_id", "kind", "at"}


async def test_a_welcome_telegram_refuses_does_not_lose_the_join(
    app: AnyApp, member: Driver
) -> None:
    member.api.fail("sendMessage", 400, "Bad Request: not enough rights to send text messages")
    await join(app, member, (MEMBER_ID, "Sam"))
    assert await events(app) == [(MEMBER_ID, "join")]


async def test_mydata_and_forget_cover_joins_and_leaves(app: AnyApp, member: Driver) -> None:
    await member.process(membership(app, "left", "member"))
    await member.process(membership(app, "left", "member", OTHER_MEMBER_ID))
    deps = app_deps(app)
    async with deps.transaction() as session:
        shown = await describe_all(session, deps.personal_data, MEMBER_ID)
        [(key, fields)] = shown["data_kind_events"]
        assert (key, fields["kind"], fields["count"]) == ("data_events", "join", 1)
        await erase_all(session, deps.personal_data, MEMBER_ID)
    assert await events(app) == [(OTHER_MEMBER_ID, "join")], "only that member's rows go"


# --- Auto-delete ---------------------------------------------------------------------------


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # A minute-long gathering window: the tests end it themselves (welcome_now), never the timer.
    return settings.model_copy(update={"welcome_delete_minutes": 10, "welcome_gather_seconds": 60})


def delete_jobs(app: AnyApp) -> list[Any]:
    assert app.job_queue is not None
    return [job for job in app.job_queue.jobs() if job.name.startswith(DELETE_JOB)]


async def test_the_welcome_is_deleted_after_the_configured_minutes(
    app: AnyApp, member: Driver
) -> None:
    welcome = only(await join(app, member, (MEMBER_ID, "Sam")))
    message_id = welcome.result["message_id"]
    [job] = delete_jobs(app)
    assert job.next_t - utcnow() == pytest.approx(timedelta(minutes=10), abs=timedelta(seconds=30))
    member.api.clear()
    await job.run(app)
    deleted = only(member.api.calls, "deleteMessage")
    assert (int(deleted.params["chat_id"]), int(deleted.params["message_id"])) == (
        GROUP_ID,
        message_id,
    )
    async with app_deps(app).transaction() as session:
        assert await session.scalar(select(WelcomeMessage)) is None


async def test_a_welcome_already_deleted_by_an_admin_is_fine(app: AnyApp, member: Driver) -> None:
    await join(app, member, (MEMBER_ID, "Sam"))
    [job] = delete_jobs(app)
    member.api.fail("deleteMessage", 400, "Bad Request: message to delete not found")
    await job.run(app)
    async with app_deps(app).transaction() as session:
        assert await session.scalar(select(WelcomeMessage)) is None


async def test_a_restart_still_deletes_pending_welcomes(
    app: AnyApp, api: FakeBotAPI, settings: Settings, member: Driver
) -> None:
    await join(app, member, (MEMBER_ID, "Sam"))
    restarted = build_application(settings, api)
    await start_offline(restarted)
    try:
        [job] = delete_jobs(restarted)
        api.clear()
        await job.run(restarted)
        assert only(api.calls, "deleteMessage")
    finally:
        await stop_offline(restarted)


# --- Private chat ----------------------------------------------------------------------------


async def test_start_in_private_shows_the_rules(member: Driver) -> None:
    reply = only(await member.send("/start"))
    assert "Hello Sam" in reply.text
    assert "Our group rules" in reply.text


async def test_start_in_the_group_does_not_repeat_the_rules(member: Driver) -> None:
    reply = only(await member.in_group().send("/start"))
    assert "Our group rules" not in reply.text


async def test_the_welcomes_faq_button_opens_the_topic_menu(member: Driver) -> None:
    menu = only(await member.send("/start faq"))
    assert "Questions members often ask" in menu.text
    answer = only(await member.send("/start faq-cost"))
    assert "Questions members often ask" not in answer.text, "topic links still open answers"


# --- Many joins at once: one welcome, replacing the previous one ----------------------------


def gather_jobs(app: AnyApp) -> list[Any]:
    assert app.job_queue is not None
    return [job for job in app.job_queue.jobs() if job.name.startswith(GATHER_JOB)]


def welcomes(calls: list[Any]) -> list[Any]:
    return [c for c in calls if c.method == "sendMessage" and "Our group rules" in c.text]


async def test_one_join_is_welcomed_when_its_window_ends(app: AnyApp, member: Driver) -> None:
    calls = await member.process(membership(app, "left", "member", 2001, first_name="Ana"))
    assert calls == [], "nothing is sent while the window is open"
    [job] = gather_jobs(app)
    assert job.name == f"{GATHER_JOB}:{GROUP_ID}"
    assert job.next_t - utcnow() == pytest.approx(timedelta(seconds=60), abs=timedelta(seconds=30))
    welcome = only(await join(app, member))
    assert welcome.text.startswith("Welcome, Ana 💜")


async def test_two_joins_share_one_welcome(app: AnyApp, member: Driver) -> None:
    calls = await join(app, member, (2001, "Ana"), (2002, "Ben"))
    welcome = only(calls, "sendMessage")
    assert welcome.text.startswith("Welcome, Ana and Ben 💜")


async def test_three_joins_are_all_named(app: AnyApp, member: Driver) -> None:
    welcome = only(await join(app, member, (2001, "Ana"), (2002, "Ben"), (2003, "Cy")))
    assert welcome.text.startswith("Welcome, Ana, Ben and Cy 💜")


async def test_a_burst_of_thirty_joins_gets_one_short_welcome(app: AnyApp, member: Driver) -> None:
    names = ["Ana", "Ben", *(f"Raid{i}" for i in range(28))]
    calls = await join(app, member, *((3000 + i, name) for i, name in enumerate(names)))
    welcome = only(calls, "sendMessage")
    assert welcome.text.startswith("Welcome, Ana, Ben and 28 others 💜")
    assert "Raid" not in welcome.text
    assert len(welcome.text) < 1000
    assert len(await events(app)) == 30, "every join is still logged"
    assert gather_jobs(app) == []


async def test_names_in_a_gathered_welcome_are_escaped_and_cut(
    app: AnyApp, member: Driver
) -> None:
    welcome = only(await join(app, member, (2001, "<i>Zoe</i>"), (2002, "X" * 64)))
    assert "&lt;i&gt;Zoe&lt;/i&gt; and " + "X" * 31 + "…" in welcome.text
    assert "X" * 32 not in welcome.text


async def test_the_same_person_joining_twice_in_a_window_is_greeted_once(
    app: AnyApp, member: Driver
) -> None:
    welcome = only(await join(app, member, (2001, "Ana"), (2001, "Ana")))
    assert welcome.text.startswith("Welcome, Ana 💜")


async def test_someone_gone_before_the_welcome_is_not_greeted(app: AnyApp, member: Driver) -> None:
    await member.process(membership(app, "left", "member", 2001, first_name="Ana"))
    await member.process(membership(app, "left", "member", 2002, first_name="Spam"))
    await member.process(membership(app, "member", "kicked", 2002, first_name="Spam"))
    welcome = only(await join(app, member))
    assert welcome.text.startswith("Welcome, Ana 💜")


async def test_a_new_welcome_deletes_the_previous_one(app: AnyApp, member: Driver) -> None:
    first = only(await join(app, member, (2001, "Ana")))
    calls = await join(app, member, (2002, "Ben"))
    assert [c.method for c in calls if c.method in ("sendMessage", "deleteMessage")] == [
        "sendMessage",
        "deleteMessage",
    ], "the new one goes out first, so the group is never left without one"
    deleted = only(calls, "deleteMessage")
    assert int(deleted.params["message_id"]) == first.result["message_id"]
    second = only(calls, "sendMessage")
    assert [job.data for job in delete_jobs(app)] == [(GROUP_ID, second.result["message_id"])]
    async with app_deps(app).transaction() as session:
        rows = list(await session.scalars(select(WelcomeMessage)))
    assert [r.message_id for r in rows] == [second.result["message_id"]]


async def test_a_welcome_kept_for_good_is_still_replaced_after_a_restart(
    app: AnyApp, api: FakeBotAPI, settings: Settings, member: Driver
) -> None:
    keep = settings.model_copy(update={"welcome_delete_minutes": 0})
    app_deps(app).settings = keep
    first = only(await join(app, member, (2001, "Ana")))
    assert delete_jobs(app) == [], "kept until the next welcome"
    restarted = build_application(keep, api)
    await start_offline(restarted)
    try:
        again = Driver(restarted, api)
        calls = await join(restarted, again, (2002, "Ben"))
        assert (
            int(only(calls, "deleteMessage").params["message_id"]) == (first.result["message_id"])
        )
    finally:
        await stop_offline(restarted)


async def test_a_previous_welcome_telegram_cannot_delete_yet_is_retried(
    app: AnyApp, member: Driver
) -> None:
    first = only(await join(app, member, (2001, "Ana")))
    member.api.fail("deleteMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    await join(app, member, (2002, "Ben"))
    retry = [j for j in delete_jobs(app) if j.data == (GROUP_ID, first.result["message_id"])]
    assert len(retry) == 1
    assert retry[0].next_t - utcnow() < timedelta(minutes=6)


async def test_the_window_ends_by_itself_on_the_job_queue(
    api: FakeBotAPI, settings: Settings
) -> None:
    quick = settings.model_copy(update={"welcome_gather_seconds": 0.2})
    application = build_application(quick, api)
    await start_offline(application)
    welcomed = asyncio.Event()
    api.on_call = lambda call: welcomed.set() if welcomes([call]) else None
    try:
        member = Driver(application, api)
        await member.process(membership(application, "left", "member", 2001, first_name="Ana"))
        # The job runs on the real clock: wait for the welcome itself, not a guessed delay.
        await asyncio.wait_for(welcomed.wait(), timeout=10)
        assert [c.text.split(" 💜")[0] for c in welcomes(api.calls)] == ["Welcome, Ana"]
    finally:
        await stop_offline(application)


# --- /welcome off | on ---------------------------------------------------------------------


def group_admin(member: Driver) -> Driver:
    return member.in_group().as_user(ADMIN_ID, "Alex")


async def test_admins_turn_welcomes_off_and_on(app: AnyApp, member: Driver) -> None:
    admin = group_admin(member)
    assert "Welcomes are off" in only(await admin.send("/welcome off")).text
    assert welcomes(await join(app, member, (2001, "Ana"))) == []
    assert await events(app) == [(2001, "join")], "joins are still logged"
    assert "Welcomes are on" in only(await admin.send("/welcome on")).text
    assert len(welcomes(await join(app, member, (2002, "Ben")))) == 1
    async with app_deps(app).transaction() as session:
        log = await session.scalars(
            select(ScheduleChange).where(ScheduleChange.target == "welcome")
        )
        assert [(c.action, c.user_id) for c in log] == [("off", ADMIN_ID), ("on", ADMIN_ID)]


async def test_turning_welcomes_off_holds_back_a_gathering_welcome(
    app: AnyApp, member: Driver
) -> None:
    await member.process(membership(app, "left", "member", 2001, first_name="Ana"))
    await group_admin(member).send("/welcome off")
    assert welcomes(await join(app, member)) == []


async def test_who_joined_while_welcomes_were_off_is_not_greeted_when_they_come_back(
    app: AnyApp, member: Driver
) -> None:
    admin = group_admin(member)
    await admin.send("/welcome off")
    await member.process(membership(app, "left", "member", 2001, first_name="Ana"))
    await admin.send("/welcome on")  # within the same gathering window
    calls = await join(app, member, (2002, "Cy"))
    assert [c.text.split(" 💜")[0] for c in welcomes(calls)] == ["Welcome, Cy"]


async def test_welcome_alone_tells_the_state_and_nonsense_gets_the_usage(
    member: Driver,
) -> None:
    admin = group_admin(member)
    assert "Welcomes are on" in only(await admin.send("/welcome")).text
    assert "/welcome on" in only(await admin.send("/welcome maybe")).text
    assert "Welcomes are on" in only(await admin.send("/welcome")).text


async def test_members_cannot_switch_welcomes_off(app: AnyApp, member: Driver) -> None:
    refusal = only(await member.in_group().send("/welcome off"))
    assert "only the community's admins" in refusal.text
    assert len(welcomes(await join(app, member, (2001, "Ana")))) == 1
