"""Members joining and leaving the group: the log row, the welcome, its deletion, privacy."""

from __future__ import annotations

import itertools
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import inspect, select

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.config import Settings
from bot.deps import app_deps
from bot.runtime.fakeapi import BOT_USERNAME, GROUP_ID, FakeBotAPI
from bot.storage.models import MemberEvent, WelcomeMessage, utcnow
from bot.storage.privacy import describe_all, erase_all
from handlers.members import DELETE_JOB
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


async def events(app: AnyApp) -> list[tuple[int, str]]:
    async with app_deps(app).transaction() as session:
        rows = await session.scalars(select(MemberEvent).order_by(MemberEvent.id))
        return [(row.user_id, row.kind) for row in rows]


async def test_a_newcomer_is_logged_and_welcomed_with_rules_and_buttons(
    app: AnyApp, member: Driver
) -> None:
    before = utcnow()
    welcome = only(await member.process(membership(app, "left", "member")))
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
    assert [c for c in member.api.calls if c.method == "sendMessage"] == []
    assert await events(app) == []


async def test_the_welcome_escapes_the_newcomers_name(app: AnyApp, member: Driver) -> None:
    update = membership(app, "left", "member", first_name="<b>Eve</b> & co")
    welcome = only(await member.process(update))
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in welcome.text


async def test_only_the_id_and_the_time_are_stored() -> None:
    columns = {c.key for c in inspect(MemberEvent).columns}
    assert columns == {"id", "user_id", "kind", "at"}


async def test_a_welcome_telegram_refuses_does_not_lose_the_join(
    app: AnyApp, member: Driver
) -> None:
    member.api.fail("sendMessage", 400, "Bad Request: not enough rights to send text messages")
    await member.process(membership(app, "left", "member"))
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
    return settings.model_copy(update={"welcome_delete_minutes": 10})


def delete_jobs(app: AnyApp) -> list[Any]:
    assert app.job_queue is not None
    return [job for job in app.job_queue.jobs() if job.name.startswith(DELETE_JOB)]


async def test_the_welcome_is_deleted_after_the_configured_minutes(
    app: AnyApp, member: Driver
) -> None:
    welcome = only(await member.process(membership(app, "left", "member")))
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
    await member.process(membership(app, "left", "member"))
    [job] = delete_jobs(app)
    member.api.fail("deleteMessage", 400, "Bad Request: message to delete not found")
    await job.run(app)
    async with app_deps(app).transaction() as session:
        assert await session.scalar(select(WelcomeMessage)) is None


async def test_a_restart_still_deletes_pending_welcomes(
    app: AnyApp, api: FakeBotAPI, settings: Settings, member: Driver
) -> None:
    await member.process(membership(app, "left", "member"))
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
