"""The doctor: each check with a passing and a failing set-up, on the recording fake Bot API."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot

from bot.app import OFFLINE_TOKEN
from bot.config import Settings, load_settings
from bot.runtime import doctor
from bot.runtime.doctor import FAIL, OK, WARN, Check, Doctor
from bot.runtime.fakeapi import ADMIN_ID, BOT_ID, GROUP_ID, FakeBotAPI
from bot.runtime.metrics import AlwaysActive
from bot.storage import db
from tests.conftest import CONTENT_DIR
from tests.feedserver import feed_server, items, rss
from tests.tg import Driver, only


class Standby:
    def is_active(self) -> bool:
        return False


def bot_on(api: FakeBotAPI) -> Bot:
    return Bot(OFFLINE_TOKEN, request=api, get_updates_request=api)


def with_(settings: Settings, **changes: Any) -> Settings:
    return load_settings(**{**settings.model_dump(exclude_unset=True), **changes})


async def run(settings: Settings, api: FakeBotAPI | None, role: Any = None) -> dict[str, Check]:
    bot = bot_on(api) if api is not None else None
    checks = await Doctor(settings, bot, role or AlwaysActive()).run()
    return {check.name: check for check in checks}


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """The shipped content with its placeholder links replaced, as a real deployment has."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    links = folder / "en" / "links.yaml"
    links.write_text(links.read_text().replace("example.org/replace-me", "fibro.community"))
    return folder


@pytest.fixture
def good(settings: Settings, content_dir: Path) -> Settings:
    """A well set-up bot: migrated database, strict content, a community zone."""
    db.upgrade(settings.database_url)
    return with_(settings, content_dir=content_dir, timezone="Europe/Madrid")


async def test_a_well_set_up_bot_passes_every_required_check(
    good: Settings, api: FakeBotAPI
) -> None:
    checks = await run(good, api)
    assert {name: check.status for name, check in checks.items()} == {
        "token": OK,
        "privacy mode": OK,  # BotFather's default, harmless: an admin sees every message
        "webhook": OK,
        "database": OK,
        "community group": OK,
        "bot is admin": OK,
        "can pin": OK,
        "can delete": OK,
        "content": OK,
        "blog feed": OK,
        "time zone": OK,
        "role": OK,
    }
    assert not doctor.failed(list(checks.values()))
    assert checks["token"].line == f"✓ token: the bot is @FibroHelperBot (id {BOT_ID})."


async def test_no_token_fails_and_skips_the_telegram_checks(good: Settings) -> None:
    checks = await run(good, None)
    assert checks["token"].status == FAIL
    assert "BotFather" in checks["token"].fix
    assert "community group" not in checks


async def test_a_refused_token_fails_with_the_fix(good: Settings, api: FakeBotAPI) -> None:
    api.fail("getMe", 401, "Unauthorized")
    checks = await run(good, api)
    assert checks["token"].line.startswith("✗ token: Telegram refused TELEGRAM_BOT_TOKEN. Fix:")
    assert "webhook" not in checks


async def test_an_unreachable_bot_api_fails(good: Settings, api: FakeBotAPI) -> None:
    api.fail("getMe", 502, "Bad Gateway")
    checks = await run(good, api)
    assert checks["token"].status == FAIL
    assert "cannot reach the Bot API" in checks["token"].found


async def test_privacy_mode_off_passes(good: Settings, api: FakeBotAPI) -> None:
    me = {**api._api_getMe({}), "can_read_all_group_messages": True}
    api.respond("getMe", lambda _p: (200, {"ok": True, "result": me}))
    api.bot_member = {"status": "member"}
    check = (await run(good, api))["privacy mode"]
    assert (check.status, check.found) == (OK, "off: the bot can read the group's plain messages")


async def test_privacy_mode_on_is_a_warning_unless_the_bot_is_admin(
    good: Settings, api: FakeBotAPI
) -> None:
    assert (await run(good, api))["privacy mode"].found.startswith("on, but the bot is an admin")
    api.bot_member = {"status": "member"}
    check = (await run(good, api))["privacy mode"]
    assert (check.status, "not plain questions" in check.found) == (WARN, True)


def webhook_info(**fields: Any) -> Any:
    info = {"url": "", "has_custom_certificate": False, "pending_update_count": 0, **fields}
    return lambda _params: (200, {"ok": True, "result": info})


async def test_a_leftover_webhook_fails_without_showing_its_path(
    good: Settings, api: FakeBotAPI
) -> None:
    api.respond("getWebhookInfo", webhook_info(url="https://old.example.net/hook/s3cret"))
    check = (await run(good, api))["webhook"]
    assert check.status == FAIL
    assert "old.example.net" in check.found
    assert "s3cret" not in check.line
    assert "deleteWebhook" in check.fix


async def test_a_webhook_error_and_a_backlog_are_warnings(good: Settings, api: FakeBotAPI) -> None:
    api.respond("getWebhookInfo", webhook_info(last_error_message="Connection timed out"))
    check = (await run(good, api))["webhook"]
    assert (check.status, "Connection timed out" in check.found) == (WARN, True)
    api.respond("getWebhookInfo", webhook_info(pending_update_count=500))
    api._responders["getWebhookInfo"].pop(0)
    check = (await run(good, api))["webhook"]
    assert (check.status, check.found) == (WARN, "500 updates are waiting for the bot")


async def test_a_wrong_group_id_fails(good: Settings, api: FakeBotAPI) -> None:
    api.fail("getChat", 400, "Bad Request: chat not found")
    checks = await run(good, api)
    assert checks["community group"].status == FAIL
    assert "Chat not found" in checks["community group"].found
    assert "COMMUNITY_CHAT_ID" in checks["community group"].fix
    assert "bot is admin" not in checks


async def test_a_migrated_group_names_the_new_id(good: Settings, api: FakeBotAPI) -> None:
    api.fail("getChat", 400, "Bad Request: group chat was upgraded", migrate_to_chat_id=-1009)
    check = (await run(good, api))["community group"]
    assert (check.status, check.fix) == (FAIL, "set COMMUNITY_CHAT_ID=-1009.")


async def test_no_group_at_all_fails(good: Settings, api: FakeBotAPI) -> None:
    checks = await run(with_(good, community_chat_id=None), api)
    assert checks["community group"].status == FAIL
    assert "/setup" in checks["community group"].fix


async def test_the_group_set_with_setup_is_the_one_checked(
    good: Settings, api: FakeBotAPI
) -> None:
    with sqlite3.connect(good.database_url.removeprefix("sqlite:///")) as conn:
        conn.execute(
            "INSERT INTO community (id, chat_id, set_by, set_at) VALUES (1, -100777, 1, ?)",
            (datetime.now(UTC).isoformat(),),
        )
    await run(good, api)
    assert [int(c.params["chat_id"]) for c in api.sent("getChat")] == [-100777]


async def test_a_bot_that_is_not_admin_fails_with_the_fix(good: Settings, api: FakeBotAPI) -> None:
    api.bot_member = {"status": "member"}
    checks = await run(good, api)
    assert checks["bot is admin"].status == FAIL
    assert "never sees members join" in checks["bot is admin"].found
    assert checks["can pin"].status == FAIL
    assert checks["can delete"].status == FAIL
    assert doctor.failed(list(checks.values()))


async def test_missing_rights_fail_one_by_one(good: Settings, api: FakeBotAPI) -> None:
    api.bot_member = {**api.bot_member, "can_pin_messages": False}
    checks = await run(good, api)
    assert (checks["bot is admin"].status, checks["can delete"].status) == (OK, OK)
    assert checks["can pin"].line == (
        "✗ can pin: no: the bot cannot pin announcements. "
        "Fix: give the bot the 'Pin messages' right."
    )


def forum(_params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    chat = {
        "id": GROUP_ID,
        "type": "supergroup",
        "title": "Fibro community",
        "is_forum": True,
        "accent_color_id": 0,
        "max_reaction_count": 11,
    }
    return 200, {"ok": True, "result": chat}


async def test_a_forum_needs_the_topics_right(good: Settings, api: FakeBotAPI) -> None:
    api.respond("getChat", forum)
    assert (await run(good, api))["can manage topics"].status == OK
    api.bot_member = {**api.bot_member, "can_manage_topics": False}
    assert (await run(good, api))["can manage topics"].status == FAIL


async def test_a_missing_database_file_is_a_warning(good: Settings, tmp_path: Path) -> None:
    settings = with_(good, database_url=f"sqlite:///{tmp_path}/none.db")
    check = (await run(settings, None))["database"]
    assert (check.status, "fibrobot db upgrade" in check.fix) == (WARN, True)
    assert not (tmp_path / "none.db").exists(), "the doctor must not create the database"


async def test_an_older_migration_is_a_warning(settings: Settings, content_dir: Path) -> None:
    db.upgrade(settings.database_url, "0004")
    check = (await run(with_(settings, content_dir=content_dir), None))["database"]
    assert (check.status, check.found.startswith("at migration 0004, older than")) == (WARN, True)


async def test_an_unknown_migration_fails(good: Settings) -> None:
    with sqlite3.connect(good.database_url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    check = (await run(good, None))["database"]
    assert check.status == FAIL
    assert "does not know" in check.found


async def test_an_unreachable_database_fails(good: Settings) -> None:
    settings = with_(good, database_url="postgresql://fibro:pw@127.0.0.1:1/fibro")
    check = (await run(settings, None))["database"]
    assert check.status == FAIL
    assert "DATABASE_URL" in check.fix
    assert "pw" not in check.line


async def test_placeholder_links_fail_the_content_check(settings: Settings) -> None:
    check = (await run(settings, None))["content"]
    assert check.status == FAIL
    assert "placeholder" in check.found
    assert "fibrobot content check --strict" in check.fix


async def test_a_working_feed_passes_and_a_typo_fails(good: Settings) -> None:
    with feed_server() as server:
        server.serve("/feed.xml", rss(items(1, 2)))
        server.serve("/blog", "<html><body>Our blog</body></html>", content_type="text/html")
        working = (await run(with_(good, feed_url=server.url("/feed.xml")), None))["blog feed"]
        typo = (await run(with_(good, feed_url=server.url("/fede.xml")), None))["blog feed"]
        page = (await run(with_(good, feed_url=server.url("/blog")), None))["blog feed"]
    assert (working.status, working.found.endswith("has 2 article(s)")) == (OK, True)
    assert (typo.status, "HTTP 404" in typo.found) == (FAIL, True)
    assert (page.status, "not an RSS or Atom feed" in page.found) == (FAIL, True)


def test_the_time_zone_shows_the_local_time(good: Settings) -> None:
    summer = datetime(2025, 7, 1, 10, 0, tzinfo=UTC)
    check = doctor.time_zone(good, summer)
    assert check.line == "✓ time zone: Europe/Madrid, local time now 2025-07-01 12:00 (UTC+0200)."


def test_the_default_time_zone_is_a_warning(settings: Settings) -> None:
    check = doctor.time_zone(settings, datetime(2025, 1, 1, tzinfo=UTC))
    assert check.status == WARN
    assert "TIMEZONE" in check.fix


async def test_the_role_says_active_or_standby(good: Settings) -> None:
    assert (await run(good, None))["role"].status == OK
    standby = (await run(good, None, Standby()))["role"]
    assert (standby.status, standby.found.startswith("standby")) == (WARN, True)


async def test_doctor_in_private_for_an_admin(member: Driver, api: FakeBotAPI) -> None:
    admin = member.as_user(ADMIN_ID, "Ada")
    reply = only(await admin.send("/doctor"))
    assert reply.text.startswith("🩺 <b>Set-up check</b>")
    assert f"✓ token: the bot is @FibroHelperBot (id {BOT_ID})." in reply.text
    assert "✓ bot is admin: administrator" in reply.text
    assert "✗ content: " in reply.text  # the shipped content has placeholder links


async def test_doctor_in_the_group_points_to_private(member: Driver) -> None:
    admin = member.as_user(ADMIN_ID, "Ada").in_group()
    reply = only(await admin.send("/doctor"))
    assert "private chat" in reply.text
    assert "token" not in reply.text


async def test_doctor_is_for_admins_only(member: Driver, api: FakeBotAPI) -> None:
    reply = only(await member.send("/doctor"))
    assert "token" not in reply.text
    assert not api.sent("getWebhookInfo")


@pytest.mark.postgres
async def test_a_migrated_postgresql_database_passes(postgres_url: str, good: Settings) -> None:
    settings = with_(good, database_url=postgres_url)
    db.upgrade(postgres_url)
    try:
        migrated = (await run(settings, None))["database"]
        db.downgrade(postgres_url, "0004")
        older = (await run(settings, None))["database"]
    finally:
        db.downgrade(postgres_url, "base")
    assert (migrated.status, migrated.found.startswith("reachable, migrated to")) == (OK, True)
    assert older.status == WARN


async def test_a_database_folder_that_cannot_be_made_fails(good: Settings) -> None:
    settings = with_(good, database_url="sqlite:////proc/nope/x.db")
    check = (await run(settings, None))["database"]
    assert check.status == FAIL
    assert check.found.startswith("no database file at /proc/nope/x.db, and the folder /proc")
    assert "db upgrade" not in check.fix


async def test_a_database_folder_that_is_a_file_fails(good: Settings, tmp_path: Path) -> None:
    (tmp_path / "backups").write_text("not a folder")
    settings = with_(good, database_url=f"sqlite:///{tmp_path}/backups/x.db")
    check = (await run(settings, None))["database"]
    assert check.status == FAIL
    assert "cannot take one (Not a directory)" in check.found


async def test_a_missing_folder_that_can_be_made_is_a_warning(
    good: Settings, tmp_path: Path
) -> None:
    settings = with_(good, database_url=f"sqlite:///{tmp_path}/data/x.db")
    check = (await run(settings, None))["database"]
    assert (check.status, check.fix) == (
        WARN,
        f"`fibrobot db upgrade` creates it (and its folder {tmp_path}/data) "
        "(the bot also does at start).",
    )
    assert not (tmp_path / "data").exists(), "the doctor must not create the folder"
