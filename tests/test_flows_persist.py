"""Flows in progress survive a restart: kept in the database through PTB's persistence.

A second application on the same database plays the restarted bot (the first is never stopped,
so nothing is written at shut-down: what the second reads was written as the flow went).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from telegram.ext import AIORateLimiter

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.config import Settings
from bot.deps import app_deps
from bot.features import announcements as ann
from bot.runtime.fakeapi import ADMIN_ID, FakeBotAPI
from bot.runtime.persistence import FLOW_KEYS
from bot.storage.models import Announcement, FlowState
from handlers.announce import WHEN
from tests.announce_util import formatted_message, get, use_clock
from tests.tg import MEMBER_ID, Driver, only, texts

BOLD = [{"type": "bold", "offset": 0, "length": 6}]
TEXT_HTML = "<b>Friday</b> meet-up at 18:00"


@pytest.fixture
async def restarted(settings: Settings) -> AsyncIterator[tuple[AnyApp, FakeBotAPI]]:
    """Start a second application on the same database: the bot after a restart."""
    api = FakeBotAPI()
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    apps: list[AnyApp] = []

    async def start() -> AnyApp:
        application = build_application(settings, api, rate_limiter=limiter)
        await start_offline(application)
        use_clock(application, datetime.now(UTC))
        apps.append(application)
        return application

    yield start, api  # type: ignore[misc]
    for application in apps:
        await stop_offline(application)


async def flow_rows(app: AnyApp) -> list[FlowState]:
    async with app_deps(app).transaction() as session:
        return list(await session.scalars(select(FlowState).order_by(FlowState.kind)))


async def draft_sent(app: AnyApp, api: FakeBotAPI) -> Driver:
    """An admin starts /announce and sends the text: the bot asks when."""
    use_clock(app, datetime.now(UTC))
    admin = Driver(app, api, user_id=ADMIN_ID, first_name="Ada")
    assert "Send me its text" in only(await admin.send("/announce")).text
    calls = await admin.process(formatted_message(app, "Friday meet-up at 18:00", BOLD))
    assert "When should I post it" in calls[-1].text
    return admin


async def test_the_step_and_draft_are_written_as_soon_as_the_text_is_sent(
    app: AnyApp, api: FakeBotAPI
) -> None:
    await draft_sent(app, api)
    conversation, user = await flow_rows(app)
    assert conversation.kind == "conversation:announce"
    assert json.loads(conversation.key) == [ADMIN_ID, ADMIN_ID]
    assert json.loads(conversation.data) == WHEN
    assert user.kind == "user"
    assert user.user_id == ADMIN_ID
    stored = json.loads(user.data)
    assert list(stored) == [f"announce:{ADMIN_ID}"]
    assert stored[f"announce:{ADMIN_ID}"]["text_html"] == TEXT_HTML


async def test_an_announcement_draft_resumes_after_a_restart(
    app: AnyApp, api: FakeBotAPI, restarted: tuple
) -> None:
    await draft_sent(app, api)
    start, new_api = restarted
    second = await start()
    admin = Driver(second, new_api, user_id=ADMIN_ID, first_name="Ada")
    pin_question = only(await admin.send("in 2 hours"))
    assert "Should I pin it" in pin_question.text
    summary = only(await admin.press(pin_question, "Don't pin"))
    calls = await admin.press(summary, "Confirm")
    assert "Scheduled as #1" in texts(calls)[-1]
    row = await get(second, 1)
    assert row.text_html == TEXT_HTML
    assert row.status == ann.SCHEDULED
    assert ann.has_job(second, ann.job_name(1))
    assert await flow_rows(second) == []  # the flow ended: nothing kept


async def test_a_typed_tip_time_is_still_read_after_a_restart(
    app: AnyApp, api: FakeBotAPI, restarted: tuple
) -> None:
    member = Driver(app, api)
    assert "At what time" in only(await member.send("/subscribe")).text
    start, new_api = restarted
    second = await start()
    zone_question = only(await Driver(second, new_api).send("9:30"))
    assert "Your tip will come at <b>09:30</b>" in zone_question.text


async def test_mydata_shows_a_flow_and_forget_erases_it(
    app: AnyApp, api: FakeBotAPI, restarted: tuple
) -> None:
    admin = await draft_sent(app, api)
    shown = only(await admin.send("/mydata"))
    assert "an announcement draft you have not confirmed yet" in shown.text
    assert "the step you are at in /announce" in shown.text
    asked = only(await admin.send("/forget"))
    only(await admin.press(asked, "Yes, erase everything"))
    assert [row for row in await flow_rows(app) if row.user_id == ADMIN_ID] == []
    start, new_api = restarted
    second = await start()
    calls = await Driver(second, new_api, user_id=ADMIN_ID, first_name="Ada").send("in 2 hours")
    assert not [text for text in texts(calls) if "Should I pin it" in text]


async def test_only_flow_keys_are_kept(app: AnyApp, api: FakeBotAPI) -> None:
    member = Driver(app, api)
    app.user_data[MEMBER_ID]["favourite_colour"] = "green"  # not a flow: stays in memory
    await member.send("/subscribe")
    (row,) = await flow_rows(app)
    assert list(json.loads(row.data)) == ["tips:question"]
    assert all(key.startswith(FLOW_KEYS) for key in json.loads(row.data))


async def test_a_draft_erased_by_forget_is_never_posted(app: AnyApp, api: FakeBotAPI) -> None:
    admin = await draft_sent(app, api)
    asked = only(await admin.send("/forget"))
    only(await admin.press(asked, "Yes, erase everything"))
    pin_question = only(await admin.send("in 2 hours"))  # this process is still at that step
    summary = only(await admin.press(pin_question, "Don't pin"))
    done = only(await admin.press(summary, "Confirm"))
    assert "Nothing was scheduled" in done.text
    async with app_deps(app).transaction() as session:
        assert list(await session.scalars(select(Announcement))) == []
