"""Engine, sessions and migrations. One session per update or job, opened by the caller."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _normalise(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    return url


ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def _with_driver(url: str, drivers: dict[str, str]) -> str:
    parsed = make_url(_normalise(url))
    driver = drivers.get(parsed.get_backend_name(), parsed.drivername)
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def async_url(url: str) -> str:
    """The URL with an asyncio driver: aiosqlite for SQLite, psycopg 3 for PostgreSQL."""
    return _with_driver(url, ASYNC_DRIVERS)


def sync_url(url: str) -> str:
    """The URL with a blocking driver, for Alembic and command-line tools."""
    return _with_driver(url, SYNC_DRIVERS)


def ensure_sqlite_dir(url: str) -> None:
    """Create the folder of an SQLite file (``data/`` by default) when it is missing."""
    parsed = make_url(_normalise(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def install_sqlite_pragmas(sync_engine: Any) -> None:
    """WAL mode, foreign keys and a busy timeout on every SQLite connection."""
    if sync_engine.dialect.name == "sqlite":
        event.listen(sync_engine, "connect", _sqlite_pragmas)


def application_name() -> str:
    """How this process names its PostgreSQL sessions (``pg_stat_activity``): one per pid."""
    return f"fibrobot:{os.getpid()}"


def create_engine(url: str) -> AsyncEngine:
    """An asyncio engine for the bot."""
    ensure_sqlite_dir(url)
    postgres = make_url(async_url(url)).get_backend_name() == "postgresql"
    connect_args = {"application_name": application_name()} if postgres else {}
    engine = create_async_engine(async_url(url), pool_pre_ping=True, connect_args=connect_args)
    install_sqlite_pragmas(engine.sync_engine)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit when the block ends, roll back when it raises."""
    async with sessions() as session, session.begin():
        yield session


def alembic_config(url: str) -> Config:
    """An Alembic configuration for our migrations and this database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = sync_url(url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision``."""
    ensure_sqlite_dir(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Undo migrations down to ``revision`` (``base`` for all)."""
    command.downgrade(alembic_config(url), revision)
