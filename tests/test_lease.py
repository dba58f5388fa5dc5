"""The role's lease on SQLite (a file lock) and PostgreSQL (an advisory lock), and the fence.

The processes around them (stand by, take over, give up) are tested end to end in
tests/e2e/test_standby_e2e.py.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url
from telegram.ext import AIORateLimiter

from bot.app import build_application, start_offline, stop_offline
from bot.config import Settings
from bot.deps import app_deps
from bot.runtime.fakeapi import FakeBotAPI
from bot.runtime.lease import FencedRateLimiter, FileLease, PgLease, RoleLost, Timing, lease_for
from bot.runtime.metrics import MeteredLimiter
from bot.storage import db
from bot.storage.db import application_name

TIMING = Timing(failover=6)


def file_lease(tmp_path: Path) -> FileLease:
    return FileLease(tmp_path / "bot.db.lock", tmp_path / "bot.db", TIMING)


async def test_one_file_lock_holder_at_a_time(tmp_path: Path) -> None:
    first, second = file_lease(tmp_path), file_lease(tmp_path)
    assert await first.try_acquire()
    assert not await second.try_acquire(), "the second process stands by"
    assert await first.confirm()
    await first.release()
    assert await second.try_acquire(), "released: the standby takes it"
    assert not await first.try_acquire()
    await second.release()


async def test_a_removed_lock_file_is_a_lost_role(tmp_path: Path) -> None:
    active, standby = file_lease(tmp_path), file_lease(tmp_path)
    assert await active.try_acquire()
    active.path.unlink()  # a cleanup of the data folder
    assert not await active.confirm(), "the active process must notice and give up"
    assert await standby.try_acquire()
    assert not await active.confirm(), "a new file at the path is not its lock"
    await active.release()
    await standby.release()


async def test_the_next_holder_waits_only_after_an_unclean_end(tmp_path: Path) -> None:
    db.upgrade(f"sqlite:///{tmp_path}/bot.db")
    first, second = file_lease(tmp_path), file_lease(tmp_path)
    assert await first.try_acquire()
    assert await first.previous_holder() is None, "a fresh database: nobody ran before"
    await first.mark()
    await first.release()  # as kill -9 would: the mark stays
    assert await second.try_acquire()
    assert await second.previous_holder() == application_name()
    await second.mark()
    await second.release(clean=True)  # stopped cleanly: the next one need not wait
    assert await first.try_acquire()
    assert await first.previous_holder() is None
    await first.release()


def test_the_lease_follows_the_database(tmp_path: Path) -> None:
    lease = lease_for(f"sqlite:///{tmp_path}/fibrobot.db", TIMING)
    assert isinstance(lease, FileLease)
    assert lease.path == tmp_path / "fibrobot.db.lock"
    assert lease.database == tmp_path / "fibrobot.db"
    assert lease_for("sqlite:///:memory:", TIMING) is None
    pg = lease_for("postgresql://bot:secret@db.example/fibro", TIMING)
    assert isinstance(pg, PgLease)
    assert "secret" not in pg.describe()


def test_timing_from_failover_seconds() -> None:
    timing = Timing(failover=15)
    assert timing.fence == 5
    assert timing.beat == 1.5


@pytest.mark.postgres
async def test_one_advisory_lock_holder_at_a_time(postgres_url: str) -> None:
    first = PgLease(postgres_url, TIMING, "fibrobot:test-a")
    second = PgLease(postgres_url, TIMING, "fibrobot:test-b")
    try:
        assert await first.try_acquire()
        assert not await second.try_acquire()
        assert await first.confirm()
        await first.release()
        assert await second.try_acquire()
    finally:
        await first.release()
        await second.release()


@pytest.mark.postgres
async def test_a_terminated_session_is_a_lost_role(postgres_url: str) -> None:
    active = PgLease(postgres_url, TIMING, "fibrobot:test-active")
    standby = PgLease(postgres_url, TIMING, "fibrobot:test-standby")
    conninfo = make_url(postgres_url).set(drivername="postgresql").render_as_string(False)
    try:
        assert await active.try_acquire()
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'fibrobot:test-active'"
            )
        assert not await active.confirm()
        assert await standby.try_acquire(), "the server released the lock with the session"
    finally:
        await active.release()
        await standby.release()


@pytest.mark.postgres
@pytest.mark.postgres
async def test_the_holder_mark_on_postgres(postgres_url: str) -> None:
    db.upgrade(postgres_url)
    first = PgLease(postgres_url, TIMING, "fibrobot:test-mark-a")
    second = PgLease(postgres_url, TIMING, "fibrobot:test-mark-b")
    try:
        assert await first.try_acquire()
        assert await first.previous_holder() is None
        await first.mark()
        await first.release()  # lost, not stopped: the mark stays
        assert await second.try_acquire()
        assert await second.previous_holder() == "fibrobot:test-mark-a"
        await second.release(clean=True)
        assert await first.try_acquire()
        assert await first.previous_holder() is None
    finally:
        await first.release()
        await second.release()
        db.downgrade(postgres_url, "base")


@pytest.mark.postgres
async def test_a_silent_session_ends_after_the_fence(postgres_url: str) -> None:
    lease = PgLease(postgres_url, TIMING, "fibrobot:test-idle")
    try:
        assert await lease.try_acquire()
        conn = lease._conn
        assert conn is not None
        cursor = await conn.execute("SHOW idle_session_timeout")
        assert await cursor.fetchone() == ("2s",), "a cut network frees the lock after a fence"
    finally:
        await lease.release()


def test_processes_name_their_sessions() -> None:
    assert application_name().startswith("fibrobot:")


async def test_a_process_without_the_role_sends_and_writes_nothing(
    settings: Settings, api: FakeBotAPI
) -> None:
    application = build_application(settings, api)  # the default, fenced, rate limiter
    assert isinstance(application.bot.rate_limiter, MeteredLimiter)
    assert isinstance(application.bot.rate_limiter.inner, FencedRateLimiter)
    await start_offline(application)
    deps = app_deps(application)
    try:
        api.clear()
        deps.role.set_active(False)
        with pytest.raises(RoleLost):
            await application.bot.send_message(1000, "a tip")
        with pytest.raises(RoleLost):
            async with deps.transaction():
                pass
        assert not api.sent(), "nothing reached Telegram"
        await application.bot.get_me()  # a standby may still ask who it is
        deps.role.set_active(True)
        await application.bot.send_message(1000, "a tip")
        assert len(api.sent()) == 1
    finally:
        deps.role.set_active(True)
        await stop_offline(application)


def test_tests_use_an_unfenced_limiter_by_choice(settings: Settings, api: FakeBotAPI) -> None:
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    metered = build_application(settings, api, rate_limiter=limiter).bot.rate_limiter
    assert isinstance(metered, MeteredLimiter)
    assert metered.inner is limiter
