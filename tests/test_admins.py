"""Who is an admin: ADMIN_USER_IDS, the group's creator and admins (cached), anonymous admins."""

from __future__ import annotations

import time
from typing import Any

import pytest
from telegram import Update

from bot.app import AnyApp
from bot.config import Settings
from bot.features.admins import CACHE_SECONDS, AdminCache
from bot.runtime.fakeapi import ADMIN_ID, GROUP_ID, FakeBotAPI
from tests.announce_util import GROUP_ADMIN_ID, message_update
from tests.tg import ADMIN_RIGHTS, MEMBER_ID, Driver, only, user

REFUSAL = "only the community's admins"
LISTING = "Scheduled posts"


def admin_lists(api: FakeBotAPI) -> int:
    return len(api.sent("getChatAdministrators"))


def cache(app: AnyApp) -> AdminCache:
    return app.bot_data.setdefault("admin_cache", AdminCache())


async def scheduled_as(app: AnyApp, api: FakeBotAPI, user_id: int, *, group: bool = False) -> str:
    driver = Driver(app, api, user_id=user_id)
    return only(await (driver.in_group() if group else driver).send("/scheduled")).text


async def test_admin_user_ids_need_no_group_lookup(app: AnyApp, api: FakeBotAPI) -> None:
    api.admins.clear()
    assert LISTING in await scheduled_as(app, api, ADMIN_ID)
    assert admin_lists(api) == 0


async def test_a_group_admin_is_an_admin_in_private_and_in_the_group(
    app: AnyApp, api: FakeBotAPI
) -> None:
    api.admins.add(GROUP_ADMIN_ID)
    assert LISTING in await scheduled_as(app, api, GROUP_ADMIN_ID)
    assert LISTING in await scheduled_as(app, api, GROUP_ADMIN_ID, group=True)
    assert int(api.sent("getChatAdministrators")[0].params["chat_id"]) == GROUP_ID
    assert admin_lists(api) == 1, "the second check is answered from the cache"


async def test_a_member_is_refused_in_private_and_in_the_group(
    app: AnyApp, api: FakeBotAPI
) -> None:
    assert REFUSAL in await scheduled_as(app, api, MEMBER_ID)
    assert REFUSAL in await scheduled_as(app, api, MEMBER_ID, group=True)


async def test_a_refused_button_press_gets_an_alert(app: AnyApp, api: FakeBotAPI) -> None:
    admin = Driver(app, api, user_id=ADMIN_ID).in_group()
    ask = only(await admin.send("/announce"))
    # Another member presses the admin's Cancel button: their press is not the admin's draft.
    calls = await admin.as_user(MEMBER_ID).press(ask, "Cancel")
    answer = only(calls, "answerCallbackQuery")
    assert answer.params["show_alert"] is True


def anonymous(app: AnyApp, sender_chat_id: int, text: str) -> Update:
    """A message an anonymous admin sends "as the group" (Telegram's GroupAnonymousBot)."""
    sender = {"id": sender_chat_id, "type": "supergroup", "title": "Fibro community"}
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split(maxsplit=1)[0])}]
    bot_user = user(1087968824, "Group") | {"is_bot": True, "username": "GroupAnonymousBot"}
    return message_update(
        app, GROUP_ID, text=text, entities=entities, sender_chat=sender, **{"from": bot_user}
    )


async def test_an_anonymous_admin_posting_as_the_group_counts(
    app: AnyApp, api: FakeBotAPI
) -> None:
    driver = Driver(app, api)
    reply = only(await driver.process(anonymous(app, GROUP_ID, "/scheduled")))
    assert LISTING in reply.text
    assert admin_lists(api) == 0


async def test_a_channel_posting_in_the_group_is_not_an_admin(
    app: AnyApp, api: FakeBotAPI
) -> None:
    reply = only(await Driver(app, api).process(anonymous(app, -100777, "/scheduled")))
    assert REFUSAL in reply.text


async def test_the_cache_expires_after_five_minutes(app: AnyApp, api: FakeBotAPI) -> None:
    api.admins.add(GROUP_ADMIN_ID)
    assert LISTING in await scheduled_as(app, api, GROUP_ADMIN_ID)
    api.admins.discard(GROUP_ADMIN_ID)
    # Within five minutes the cached list still answers.
    assert LISTING in await scheduled_as(app, api, GROUP_ADMIN_ID)
    fetched, admins = cache(app).entries[GROUP_ID]
    cache(app).entries[GROUP_ID] = (fetched - CACHE_SECONDS - 1, admins)
    assert REFUSAL in await scheduled_as(app, api, GROUP_ADMIN_ID)
    assert admin_lists(api) == 2


def chat_member_update(app: AnyApp, user_id: int, old: str, new: str) -> Update:
    member = user(user_id, "Alex")
    data: dict[str, Any] = {
        "update_id": int(time.time() * 1000) % 10**9,
        "chat_member": {
            "chat": {"id": GROUP_ID, "type": "supergroup", "title": "Fibro community"},
            "from": user(ADMIN_ID, "Ada"),
            "date": int(time.time()),
            "old_chat_member": {"user": member, "status": old},
            "new_chat_member": {"user": member, "status": new, **_rights(new)},
        },
    }
    return Update.de_json(data, app.bot)


def _rights(status: str) -> dict[str, Any]:
    return dict.fromkeys(ADMIN_RIGHTS, False) if status == "administrator" else {}


async def test_a_chat_member_update_drops_the_cache(app: AnyApp, api: FakeBotAPI) -> None:
    assert REFUSAL in await scheduled_as(app, api, GROUP_ADMIN_ID)
    api.admins.add(GROUP_ADMIN_ID)
    # Promoted in the group: Telegram sends a chat_member update and the cache is dropped.
    await app.process_update(chat_member_update(app, GROUP_ADMIN_ID, "member", "administrator"))
    assert LISTING in await scheduled_as(app, api, GROUP_ADMIN_ID)
    assert admin_lists(api) == 2


async def test_when_telegram_cannot_list_admins_nobody_extra_is_admin(
    app: AnyApp, api: FakeBotAPI
) -> None:
    api.admins.add(GROUP_ADMIN_ID)
    api.fail("getChatAdministrators", 400, "Bad Request: chat not found")
    assert REFUSAL in await scheduled_as(app, api, GROUP_ADMIN_ID)
    assert LISTING in await scheduled_as(app, api, ADMIN_ID)


@pytest.fixture
def no_community(settings: Settings) -> Settings:
    return settings.model_copy(update={"community_chat_id": None})


async def test_without_a_community_only_admin_user_ids_count(
    no_community: Settings, api: FakeBotAPI
) -> None:
    from tests.test_setup_migration import running

    async with running(no_community, api) as app:
        api.admins.add(GROUP_ADMIN_ID)
        assert REFUSAL in await scheduled_as(app, api, GROUP_ADMIN_ID)
        assert LISTING in await scheduled_as(app, api, ADMIN_ID)
        assert admin_lists(api) == 0
