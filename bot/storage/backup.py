"""``fibrobot db backup`` and ``restore`` for SQLite, and how to tell the bot is running.

A backup uses SQLite's online backup API (``sqlite3.Connection.backup``) on the live
database: the copy is one consistent snapshot even while the bot writes (WAL mode lets the
bot go on writing meanwhile). The rows of each table are counted in the same snapshot and
the copy is checked against them (``PRAGMA integrity_check`` and the counts).

A restore refuses while a bot uses the database. Each running bot holds a shared ``flock``
on ``<database>.in-use`` (``hold_in_use``, taken at start-up); ``in_use`` tries an exclusive
lock on it. The lock is released by the kernel when the process dies, even by ``kill -9``,
so a crash never leaves a stale "running" mark. The restore keeps that exclusive lock
while it works, so a bot starting meanwhile waits for it.

PostgreSQL has its own tools (pg_dump, pg_restore): these commands say so.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from bot.storage import db

SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite 3 file
OPEN_STATUSES = ("sending", "retry")  # tip deliveries whose fate is not settled yet
PG_HINT = (
    "DATABASE_URL is PostgreSQL: use its own tools instead, e.g.\n"
    '  pg_dump --format=custom --file=fibrobot.dump "$DATABASE_URL"\n'
    '  pg_restore --clean --if-exists --dbname="$DATABASE_URL" fibrobot.dump'
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for a person."""


class NotSqliteError(BackupError):
    """The database is not an SQLite file (PostgreSQL): use pg_dump and pg_restore."""


@dataclass(frozen=True)
class Snapshot:
    """What a copy holds: rows per table, the migration, and the open tip deliveries."""

    counts: dict[str, int]
    revision: str
    open_deliveries: int


def sqlite_file(url: str) -> Path:
    """The file of an SQLite DATABASE_URL; NotSqliteError for PostgreSQL or in-memory."""
    parsed = make_url(db.sync_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        raise NotSqliteError(PG_HINT)
    return Path(str(parsed.database))


# --- Is the bot running? ------------------------------------------------------------------------


def lock_file(database: Path) -> Path:
    """The file running bots lock, next to the database."""
    return database.with_name(database.name + ".in-use")


@contextlib.contextmanager
def _locked(database: Path, mode: int) -> Iterator[IO[bytes] | None]:
    """Hold ``flock(mode)`` on the lock file; yields None when another process holds it."""
    path = lock_file(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("ab")
    try:
        fcntl.flock(handle, mode)
    except BlockingIOError:
        handle.close()
        yield None
        return
    try:
        yield handle
    finally:
        handle.close()  # closing releases the lock


class InUse:
    """A running bot's shared lock on its SQLite database (no-op for PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self._lock: contextlib.ExitStack = contextlib.ExitStack()
        try:
            database = sqlite_file(url)
        except NotSqliteError:
            return
        # Blocking: a restore in progress holds the exclusive lock for a moment.
        self._lock.enter_context(_locked(database, fcntl.LOCK_SH))

    def release(self) -> None:
        """Release the lock (at shut-down)."""
        self._lock.close()


def in_use(database: Path) -> bool:
    """True while a bot process holds the database (its shared lock)."""
    with _locked(database, fcntl.LOCK_EX | fcntl.LOCK_NB) as handle:
        return handle is None


# --- Checking a copy ----------------------------------------------------------------------------


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [str(name) for (name,) in rows]


def snapshot(conn: sqlite3.Connection) -> Snapshot:
    """Rows per table, migration and open deliveries, as ``conn`` sees them now."""
    tables = _tables(conn)
    # Table names come from sqlite_master itself, quoted: nothing from outside is spliced in.
    counts = {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}  # noqa: S608
    if "alembic_version" not in counts:
        raise BackupError("it is not a FibroBot database (no migration recorded)")
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    placeholders = ", ".join("?" for _ in OPEN_STATUSES)
    open_rows = (
        conn.execute(
            f"SELECT count(*) FROM tip_deliveries WHERE status IN ({placeholders})",  # noqa: S608
            OPEN_STATUSES,
        ).fetchone()[0]
        if "tip_deliveries" in counts
        else 0
    )
    return Snapshot(counts, str(revision[0]) if revision else "", int(open_rows))


def check_integrity(conn: sqlite3.Connection) -> None:
    """``PRAGMA integrity_check``; BackupError with SQLite's first complaint."""
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"SQLite's integrity check failed: {result}")


def known_revisions() -> set[str]:
    """Every migration this version of FibroBot knows."""
    script = ScriptDirectory.from_config(db.alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def inspect(path: Path) -> Snapshot:
    """Check that ``path`` is a sound FibroBot database at a known migration."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_HEADER:
            raise BackupError(f"{path} is not an SQLite database")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check_integrity(conn)
        found = snapshot(conn)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read: {exc}") from None
    finally:
        conn.close()
    if found.revision not in known_revisions():
        raise BackupError(
            f"{path} is at migration {found.revision or 'none'}, which this FibroBot does not "
            "know (a newer version made it)"
        )
    return found


# --- Backup and restore -------------------------------------------------------------------------


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """The online backup API, all pages in one step: one consistent snapshot."""
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
    finally:
        copy.close()


def backup(url: str, destination: Path) -> Snapshot:
    """Copy the live SQLite database to ``destination`` and verify the copy."""
    source_path = sqlite_file(url)
    if not source_path.is_file():
        raise BackupError(f"there is no database at {source_path}")
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new name")
    partial = destination.with_name(destination.name + ".partial")
    source = sqlite3.connect(source_path, isolation_level=None)
    try:
        source.execute("PRAGMA busy_timeout=5000")
        # One read transaction: the counts and the copy see the same snapshot.
        source.execute("BEGIN")
        expected = snapshot(source)
        _copy(source, partial)
        source.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the backup failed: {exc}") from None
    finally:
        source.close()
    return _verified(partial, destination, expected)


def _verified(partial: Path, destination: Path, expected: Snapshot) -> Snapshot:
    try:
        copied = inspect(partial)
        if copied != expected:
            raise BackupError(f"the copy differs from the database: {copied} != {expected}")
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    _fsync(partial)
    os.replace(partial, destination)
    return copied


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


@dataclass(frozen=True)
class Restored:
    """A finished restore: what the database holds now, and where the old one was put."""

    snapshot: Snapshot
    kept: Path | None


def restore(url: str, source: Path, now: datetime | None = None) -> Restored:
    """Replace the SQLite database with the backup ``source``, after checking both."""
    target = sqlite_file(url)
    expected = inspect(source)
    with _locked(target, fcntl.LOCK_EX | fcntl.LOCK_NB) as lock:
        if lock is None:
            raise BackupError(
                "the bot is running on this database; stop it first "
                "(e.g. `systemctl stop fibrobot`), then restore"
            )
        partial = target.with_name(target.name + ".restoring")
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            _copy(conn, partial)
        finally:
            conn.close()
        copied = _verified(partial, partial.with_name(partial.name + ".ok"), expected)
        kept = _set_aside(target, now or datetime.now(UTC))
        os.replace(partial.with_name(partial.name + ".ok"), target)
    return Restored(copied, kept)


def _set_aside(target: Path, now: datetime) -> Path | None:
    """Move the current database (and its -wal, -shm) aside; its new name, or None."""
    if not target.exists():
        return None
    kept = target.with_name(f"{target.name}.before-restore-{now:%Y%m%d-%H%M%S}")
    for suffix in ("-wal", "-shm", ""):
        # A -wal left next to the new file would be replayed into it: move it with the file.
        part = target.with_name(target.name + suffix)
        if part.exists():
            os.replace(part, kept.with_name(kept.name + suffix))
    return kept
