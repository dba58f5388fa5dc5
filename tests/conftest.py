"""Shared fixtures: settings on a temporary database, the real application on a fake Bot API."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram.ext import AIORateLimiter

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.config import PROJECT_DIR, Settings, load_settings
from bot.runtime.fakeapi import ADMIN_ID, GROUP_ID, FakeBotAPI
from tests.pg import PostgresUnavailableError, postgres_server
from tests.tg import Driver, pin_clock

CONTENT_DIR = PROJECT_DIR / "content"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings on a fresh SQLite file, ignoring any .env of the developer."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "DATABASE_", "COMMUNITY_", "ADMIN_", "CONTENT_")):
            monkeypatch.delenv(name)
    return load_settings(
        database_url=f"sqlite:///{tmp_path}/test.db",
        content_dir=CONTENT_DIR,
        community_chat_id=GROUP_ID,
        admin_user_ids=str(ADMIN_ID),
    )


@pytest.fixture
def api() -> FakeBotAPI:
    """The recording fake Bot API."""
    return FakeBotAPI()


@pytest.fixture
async def app(settings: Settings, api: FakeBotAPI) -> AsyncIterator[AnyApp]:
    """The real application, started (database migrated, jobs running), on the fake API."""
    # Flood limits would only slow the tests down; the limiter tests build their own.
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    application = build_application(settings, api, rate_limiter=limiter)
    await start_offline(application)
    api.clear()
    yield application
    await stop_offline(application)


# A Monday morning in Madrid (UTC+2 in summer), where the tips tests stop the clock.
TIPS_NOW = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)


@pytest.fixture
def clocked(app: AnyApp) -> AnyApp:
    """The application with its clock stopped at TIPS_NOW and the real minute job paused."""
    pin_clock(app, lambda: TIPS_NOW)
    return app


@pytest.fixture
def member(app: AnyApp, api: FakeBotAPI) -> Driver:
    """A member in their private chat with the bot."""
    return Driver(app, api)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server; `make test` requires it, a bare pytest run may skip it."""
    try:
        with postgres_server() as url:
            yield url
    except PostgresUnavailableError as exc:
        if os.environ.get("FIBROBOT_REQUIRE_PG"):
            pytest.fail(f"PostgreSQL is required by make test but unavailable: {exc}")
        pytest.skip(f"!!! PostgreSQL tests NOT RUN: {exc}")
