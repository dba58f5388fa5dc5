"""/setup chooses the community group; a group upgraded to a supergroup takes its schedules."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram.ext import AIORateLimiter

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.config import Settings
from bot.deps import app_deps
from bot.features import announcements as ann
from bot.features.community import community_chat_id
from bot.runtime.fakeapi import ADMIN_ID, GROUP_ID, FakeBotAPI
from tests.announce_util import GROUP_ADMIN_ID, add, changes, get, message_update
from tests.tg import MEMBER_ID, Driver, only, user

NEW_GROUP = -100555
SUPERGROUP = -100999


@asynccontextmanager
async def running(settings: Settings, api: FakeBotAPI) -> AsyncIterator[AnyApp]:
    """The application started on other settings than the fixture's."""
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    application = build_application(settings, api, rate_limiter=limiter)
    await start_offline(application)
    api.clear()
    try:
        yield application
    finally:
        await stop_offline(application)


async def community(app: AnyApp) -> int | None:
    async with app_deps(app).transaction() as session:
        return await community_chat_id(session, app_deps(app).settings)


@pytest.fixture
async def fresh(settings: Settings, api: FakeBotAPI) -> AsyncIterator[AnyApp]:
    """A bot that does not know its community group yet."""
    async with running(settings.model_copy(update={"community_chat_id": None}), api) as app:
        yield app


async def test_a_group_admin_sets_up_a_fresh_bot(fresh: AnyApp, api: FakeBotAPI) -> None:
    api.admins.add(GROUP_ADMIN_ID)
    driver = Driver(fresh, api, user_id=GROUP_ADMIN_ID).in_group(NEW_GROUP)
    assert "now the community group" in only(await driver.send("/setup")).text
    assert await community(fresh) == NEW_GROUP
    assert "already the community group" in only(await driver.send("/setup")).text
    assert await changes(fresh, "community") == [("setup", GROUP_ADMIN_ID)]


async def test_announce_before_setup_says_how(fresh: AnyApp, api: FakeBotAPI) -> None:
    reply = only(await Driver(fresh, api, user_id=ADMIN_ID).send("/announce"))
    assert "send /setup there" in reply.text


async def test_a_member_cannot_set_up(fresh: AnyApp, api: FakeBotAPI) -> None:
    reply = only(await Driver(fresh, api, user_id=MEMBER_ID).in_group(NEW_GROUP).send("/setup"))
    assert "only the community's admins" in reply.text
    assert await community(fresh) is None


async def test_setup_in_private_points_to_the_group(app: AnyApp, api: FakeBotAPI) -> None:
    assert (
        "in the community group itself"
        in only(await Driver(app, api, ADMIN_ID).send("/setup")).text
    )


async def test_moving_the_community_moves_its_schedules(app: AnyApp, api: FakeBotAPI) -> None:
    row = await add(app, "tomorrow 9:00")
    reply = only(await Driver(app, api, user_id=ADMIN_ID).in_group(NEW_GROUP).send("/setup"))
    assert "Scheduled posts moved here: 1" in reply.text
    assert await community(app) == NEW_GROUP
    assert (await get(app, row.id)).chat_id == NEW_GROUP


async def test_an_admin_of_another_group_cannot_take_the_community(
    app: AnyApp, api: FakeBotAPI
) -> None:
    # The fake lists the same admins for every chat, so make them admins "here" only by
    # answering getChatAdministrators for the new group with them.
    stranger = 3000

    def admins_of(params: dict[str, object]) -> tuple[int, dict[str, object]] | None:
        if int(str(params["chat_id"])) != NEW_GROUP:
            return None
        creator = {"status": "creator", "user": user(stranger), "is_anonymous": False}
        return 200, {"ok": True, "result": [creator]}

    api.respond("getChatAdministrators", admins_of)
    reply = only(await Driver(app, api, user_id=stranger).in_group(NEW_GROUP).send("/setup"))
    assert "only the community's admins" in reply.text
    assert await community(app) == GROUP_ID


async def test_the_migration_service_message_moves_community_and_schedules(
    app: AnyApp, api: FakeBotAPI
) -> None:
    first = await add(app, "tomorrow 9:00")
    second = await add(app, "every monday 18:00", status=ann.PAUSED)
    elsewhere = await add(app, "every day 9:00", chat_id=-100123)
    driver = Driver(app, api)
    await driver.process(
        message_update(app, GROUP_ID, migrate_to_chat_id=SUPERGROUP, **{"from": user(ADMIN_ID)})
    )
    assert await community(app) == SUPERGROUP
    assert (await get(app, first.id)).chat_id == SUPERGROUP
    assert (await get(app, second.id)).chat_id == SUPERGROUP
    assert (await get(app, elsewhere.id)).chat_id == -100123
    # The twin message in the new supergroup changes nothing more.
    await driver.process(
        message_update(app, SUPERGROUP, migrate_from_chat_id=GROUP_ID, **{"from": user(ADMIN_ID)})
    )
    assert await community(app) == SUPERGROUP
    assert [a for a, _ in await changes(app, "community")] == ["moved", "moved"]
    # Posts now go to the supergroup.
    assert await ann.deliver_announcement(app, first.id, first.run_at) == "sent"  # type: ignore[arg-type]
    assert int(api.sent()[-1].params["chat_id"]) == SUPERGROUP


async def test_setup_shows_the_admin_menu_to_the_new_groups_admins(
    fresh: AnyApp, api: FakeBotAPI
) -> None:
    api.admins.add(GROUP_ADMIN_ID)
    calls = await Driver(fresh, api, user_id=GROUP_ADMIN_ID).in_group(NEW_GROUP).send("/setup")
    scopes = [c.params.get("scope") for c in calls if c.method == "setMyCommands"]
    assert {"type": "chat_administrators", "chat_id": NEW_GROUP} in scopes
