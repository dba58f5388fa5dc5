"""Exactly one active process: the role, held through the database the bot already uses.

Any number of ``fibrobot run`` processes may share one database; the one holding the lease
is active (takes updates, runs jobs), the others stand by and ask again every
``Timing.beat`` seconds.

- **PostgreSQL**: a session advisory lock (``pg_try_advisory_lock``) on a connection of its
  own. The server releases it when that session ends: at once when the process dies (even
  by ``kill -9``) or its connection is terminated, and after ``idle_session_timeout`` (set
  to ``Timing.fence``) when the process can no longer reach the server, since its
  heartbeats stop.
- **SQLite**: an OS lock (``flock``) on ``<database>.lock`` next to the database. The kernel
  releases it when the process dies. The lock is lost when the file is removed or replaced
  (a cleanup, a restore of the data folder): a newcomer would then lock a new file, so the
  active process checks at every heartbeat that the file at that path is still the one it
  locked.

Fencing: the active process gives up (stops taking updates and running jobs) when it has
had no confirmation for ``Timing.fence`` seconds; a process that gets the lease waits
``Timing.fence`` seconds before it starts. So the old active has stopped before the new one
begins, without comparing clocks between machines.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import sqlite3
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import psycopg
import psycopg.errors
from sqlalchemy.engine import make_url
from telegram.ext import AIORateLimiter

from bot.storage.db import application_name

log = logging.getLogger(__name__)

# What a Bot API call answers (PTB's private telegram._utils.types).
Answer = bool | dict[str, Any] | list[dict[str, Any]]

# The advisory lock's key: "fibrob" in ASCII, one bot per database.
PG_LOCK_KEY = 0x666962726F62


class Role:
    """Whether this process is the active one; read by jobs, /readyz and the lifecycle.

    Without a lease (the console, handler tests) a process is active from the start.
    """

    def __init__(self, *, active: bool = True) -> None:
        self._active = active

    def is_active(self) -> bool:
        """True while this process may take updates and run jobs."""
        return self._active

    def set_active(self, active: bool) -> None:
        """Called by the lifecycle only (bot.runtime.lifecycle)."""
        self._active = active


class RoleLost(Exception):  # noqa: N818 (an event, like telegram.error.Forbidden)
    """A Bot API call refused because this process is not (or no longer) the active one."""


# What a standby may still ask Telegram: who the bot is (at start-up).
STANDBY_METHODS = frozenset({"getMe"})


class FencedRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter that refuses every call of a process that lost its role.

    Checked right before each call goes out (after the rate limit's wait), so from the
    moment the role is lost no message leaves: a job in the middle of a broadcast stops at
    once, and what it claimed but did not send is sent by the next active process.
    """

    def __init__(self, role: Role, **limits: Any) -> None:
        super().__init__(**limits)
        self.role = role

    async def process_request(  # noqa: PLR0917 (PTB's signature)
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Answer:
        """Refuse with RoleLost when the role is gone; otherwise as AIORateLimiter does."""

        async def fenced(*call_args: Any, **call_kwargs: Any) -> Answer:
            if endpoint not in STANDBY_METHODS and not self.role.is_active():
                raise RoleLost(endpoint)
            return await callback(*call_args, **call_kwargs)

        return await super().process_request(fenced, args, kwargs, endpoint, data, rate_limit_args)


@dataclass(frozen=True)
class Timing:
    """The lease's periods in seconds, all derived from ``FAILOVER_SECONDS``.

    With the default 15 s: heartbeat 1.5 s, fence 5 s. Takeover after a ``kill -9`` takes
    at most a beat, the fence and the start-up (restoring jobs); after a lost connection on
    PostgreSQL, the server's idle timeout (one fence) comes first.
    """

    failover: float

    @property
    def fence(self) -> float:
        """Longest the active process runs unconfirmed; also a new holder's wait to start."""
        return self.failover / 3

    @property
    def beat(self) -> float:
        """Between two heartbeats of the active process, and two tries of a standby."""
        return self.failover / 10


class Lease(Protocol):
    """The role's lock, and the heartbeat of its holder in the ``role_lease`` row.

    Methods never raise for an unreachable database: they say False (or None).
    """

    def describe(self) -> str:
        """Where the lock lives, for the log (never a password)."""
        ...

    async def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this process holds it now."""
        ...

    async def previous_holder(self) -> str | None:
        """Who held the role before without giving it back cleanly (it may be stopping).

        None when the role was released cleanly, or never held.
        """
        ...

    async def mark(self) -> None:
        """Record this process as the holder (cleared again by a clean release)."""
        ...

    async def confirm(self) -> bool:
        """True when this process still holds the lock."""
        ...

    async def release(self, *, clean: bool = False) -> None:
        """Let the lock go (also after it was lost); safe to call twice.

        ``clean``, after a full stop, clears the mark: the next holder starts at once.
        """
        ...


# The holder's mark in the role_lease row (SQLite stores naive UTC text, as SQLAlchemy does).
HOLDER = "SELECT holder FROM role_lease"
SQLITE_MARK = (
    "UPDATE role_lease SET holder = ?, heartbeat_at = strftime('%Y-%m-%d %H:%M:%f', 'now')"
)
PG_MARK = "UPDATE role_lease SET holder = %s, heartbeat_at = clock_timestamp()"
CLEAR = "UPDATE role_lease SET holder = NULL, heartbeat_at = NULL"


class FileLease:
    """SQLite: ``flock`` on a file next to the database, released by the kernel at exit."""

    def __init__(self, path: Path, database: Path, timing: Timing) -> None:
        self.path = path
        self.database = database
        self._timing = timing
        self._fd: int | None = None
        self._identity: tuple[int, int] | None = None

    def describe(self) -> str:
        """The lock file."""
        return f"lock file {self.path}"

    async def try_acquire(self) -> bool:
        """Lock the file without waiting (a local, non-blocking system call)."""
        if self._fd is not None:
            return await self.confirm()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        stat = os.fstat(fd)
        self._fd, self._identity = fd, (stat.st_dev, stat.st_ino)
        if not self._same_file():  # removed between open and flock: not the lock any more
            await self.release()
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # for a person wondering who holds it
        return True

    def _same_file(self) -> bool:
        try:
            stat = os.stat(self.path)
        except OSError:
            return False
        return self._identity == (stat.st_dev, stat.st_ino)

    def _sql(self, sql: str, *args: object) -> str | None:
        """One statement on the database, if it exists (never created here)."""
        if not self.database.exists():  # before the first start: nothing recorded yet
            return None
        uri = f"file:{self.database}?mode=rw"
        connection = sqlite3.connect(uri, uri=True, timeout=self._timing.beat)
        try:
            with connection:
                row = connection.execute(sql, args).fetchone()
        finally:
            connection.close()
        return str(row[0]) if row and row[0] is not None else None

    async def previous_holder(self) -> str | None:
        """From the database's ``role_lease`` row (None before its first migration)."""
        try:
            return await asyncio.to_thread(self._sql, HOLDER)
        except sqlite3.Error:
            return None

    async def mark(self) -> None:
        """Write this process into the ``role_lease`` row (skipped before the migration)."""
        with contextlib.suppress(sqlite3.Error):
            await asyncio.to_thread(self._sql, SQLITE_MARK, application_name())

    async def confirm(self) -> bool:
        """The file at the path is still the one this process locked (a local check)."""
        return self._fd is not None and self._same_file()

    async def release(self, *, clean: bool = False) -> None:
        """Close the file, which drops the lock."""
        if clean and self._fd is not None:
            with contextlib.suppress(sqlite3.Error):
                await asyncio.to_thread(self._sql, CLEAR)
        if self._fd is not None:
            os.close(self._fd)
        self._fd, self._identity = None, None


class PgLease:
    """PostgreSQL: a session advisory lock on a connection kept for it alone."""

    def __init__(self, database_url: str, timing: Timing, name: str) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._where = url.render_as_string(hide_password=True)
        self._timing = timing
        self._name = name
        self._conn: psycopg.AsyncConnection[tuple[object, ...]] | None = None
        self._held = False

    def describe(self) -> str:
        """The database, password hidden."""
        return f"advisory lock {PG_LOCK_KEY} in {self._where}"

    async def _connect(self) -> psycopg.AsyncConnection[tuple[object, ...]]:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(
                self._conninfo,
                autocommit=True,
                application_name=self._name,
                connect_timeout=max(2, round(self._timing.fence)),
            )
            # A session that stops sending heartbeats (a cut network) ends on the server
            # after this long, which releases the lock for a standby.
            millis = str(round(self._timing.fence * 1000))
            await self._conn.execute(
                "SELECT set_config('idle_session_timeout', %s, false)", [millis]
            )
        return self._conn

    async def try_acquire(self) -> bool:
        """``pg_try_advisory_lock``: never waits for the holder."""
        if self._held:
            return await self.confirm()
        try:
            conn = await self._connect()
            cursor = await conn.execute("SELECT pg_try_advisory_lock(%s)", [PG_LOCK_KEY])
            row = await cursor.fetchone()
        except (psycopg.Error, OSError) as exc:
            log.warning("Cannot reach the database for the role: %s", type(exc).__name__)
            await self.release()
            return False
        self._held = bool(row and row[0])
        return self._held

    async def _row(self, sql: str, *args: object) -> str | None:
        """One statement on the role_lease row; None before the first migration."""
        assert self._conn is not None
        try:
            cursor = await self._conn.execute(sql, list(args))
        except psycopg.errors.UndefinedTable:
            return None
        row = await cursor.fetchone() if cursor.description else None
        return str(row[0]) if row and row[0] is not None else None

    async def previous_holder(self) -> str | None:
        """From the ``role_lease`` row."""
        if not self._held:
            return None
        try:
            return await self._row(HOLDER)
        except (psycopg.Error, OSError):
            return "unknown (the database did not say)"

    async def mark(self) -> None:
        """Write this process into the ``role_lease`` row."""
        if self._held:
            with contextlib.suppress(psycopg.Error, OSError):
                await self._row(PG_MARK, self._name)

    async def confirm(self) -> bool:
        """One round trip on the lock's session: alive means the lock is still ours."""
        if not self._held or self._conn is None:
            return False
        try:
            await self._conn.execute("SELECT 1")
        except (psycopg.Error, OSError) as exc:
            log.warning("The role's database session failed: %s", type(exc).__name__)
            return False
        return True

    async def release(self, *, clean: bool = False) -> None:
        """Unlock and close the session (closing alone frees the lock a moment later)."""
        held, self._held = self._held, False
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error, OSError, TimeoutError):
                if held:  # bounded: the server may be out of reach
                    async with asyncio.timeout(self._timing.beat):
                        if clean:
                            await self._row(CLEAR)
                        await self._conn.execute("SELECT pg_advisory_unlock(%s)", [PG_LOCK_KEY])
            with contextlib.suppress(psycopg.Error, OSError):
                await self._conn.close()
        self._conn = None


def lease_for(database_url: str, timing: Timing) -> Lease | None:
    """The lease for this database; None for an in-memory SQLite database (one process)."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql" or database_url.startswith("postgres://"):
        return PgLease(database_url, timing, application_name())
    if url.database in (None, "", ":memory:"):
        return None
    return FileLease(Path(f"{url.database}.lock"), Path(url.database), timing)
