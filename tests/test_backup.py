"""Backups: a consistent copy in the middle of a broadcast, and a careful restore."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import AnyApp
from bot.cli import main
from bot.config import Settings
from bot.storage import db
from bot.storage.backup import BackupError, backup, in_use, inspect, restore

MEMBERS = 200
PACE = 0.01  # seconds between two tips of the broadcast


def path_of(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def open_deliveries(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT subscription_id, status FROM tip_deliveries "
            "WHERE status IN ('sending', 'retry') ORDER BY id"
        )
        return [(int(a), str(b)) for a, b in rows]


@pytest.fixture
def database(settings: Settings) -> Path:
    """A migrated database with tip subscribers."""
    db.upgrade(settings.database_url)
    path = path_of(settings.database_url)
    now = datetime(2025, 6, 2, 8, tzinfo=UTC)
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO subscriptions (member_id, status, local_time, time_zone, next_due_utc,"
            " created_at, updated_at) VALUES (?, 'active', '10:00:00', 'Europe/Madrid', ?, ?, ?)",
            [(5000 + i, now, now, now) for i in range(MEMBERS)],
        )
    return path


class Broadcast(threading.Thread):
    """Sends tips to every subscriber like the tips job: claim (sending), then mark sent.

    Each transaction marks the previous delivery sent and claims the next, so any consistent
    snapshot shows exactly one delivery in ``sending``; a torn copy would not.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.committed = 0
        self.halfway = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("PRAGMA busy_timeout=5000")
        due = datetime(2025, 6, 2, 8, tzinfo=UTC)
        for sub_id in range(1, MEMBERS + 1):
            if self.stop.is_set():
                break
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE tip_deliveries SET status='sent' WHERE status='sending'")
            conn.execute(
                "INSERT INTO tip_deliveries (subscription_id, local_date, tip_id, status,"
                " attempts, due_at) VALUES (?, '2025-06-02', 'pacing', 'sending', 1, ?)",
                (sub_id, due + timedelta(seconds=sub_id)),
            )
            conn.execute("COMMIT")
            self.committed += 1
            time.sleep(PACE)  # the rate limit: the broadcast lasts about two seconds
            if self.committed == MEMBERS // 4:
                self.halfway.set()
        conn.close()


@pytest.fixture
def broadcast(database: Path) -> Iterator[Broadcast]:
    writer = Broadcast(database)
    writer.start()
    assert writer.halfway.wait(30), "the broadcast did not start"
    yield writer
    writer.stop.set()
    writer.join(30)


def test_backup_in_the_middle_of_a_broadcast_restores_the_same_rows(
    settings: Settings, broadcast: Broadcast, tmp_path: Path
) -> None:
    copy = tmp_path / "backup.db"
    snap = backup(settings.database_url, copy)
    # The copy is one consistent moment: exactly one tip being sent, and the counts match.
    assert len(open_deliveries(copy)) == 1
    assert snap.open_deliveries == 1
    assert counts(copy) == snap.counts
    assert snap.counts["subscriptions"] == MEMBERS
    # Taken in the middle of the broadcast: some tips recorded, not all.
    assert MEMBERS // 4 <= snap.counts["tip_deliveries"] < MEMBERS
    broadcast.join(30)
    assert counts(path_of(settings.database_url))["tip_deliveries"] == MEMBERS

    new_url = f"sqlite:///{tmp_path}/restored/fibrobot.db"
    done = restore(new_url, copy)
    restored = path_of(new_url)
    assert done.kept is None
    assert counts(restored) == snap.counts
    assert open_deliveries(restored) == open_deliveries(copy)
    assert inspect(restored) == snap


def test_restore_keeps_the_old_database_aside(
    settings: Settings, database: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "backup.db"
    backup(settings.database_url, copy)
    with sqlite3.connect(database) as conn:
        conn.execute("DELETE FROM subscriptions WHERE member_id >= 5100")
    now = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
    done = restore(settings.database_url, copy, now=now)
    assert counts(database)["subscriptions"] == MEMBERS
    assert done.kept == database.with_name("test.db.before-restore-20250602-093000")
    assert counts(done.kept)["subscriptions"] == MEMBERS - 100


async def test_restore_refuses_while_the_bot_runs(
    settings: Settings, app: AnyApp, tmp_path: Path
) -> None:
    database = path_of(settings.database_url)
    copy = tmp_path / "backup.db"
    backup(settings.database_url, copy)
    assert in_use(database)
    before = database.read_bytes()
    with pytest.raises(BackupError, match="the bot is running"):
        restore(settings.database_url, copy)
    assert database.read_bytes() == before


def test_a_finished_bot_no_longer_blocks_a_restore(settings: Settings, database: Path) -> None:
    assert not in_use(database)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_text("not a database"), "is not an SQLite database"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").close(), "not a FibroBot"),
        (lambda p: None, "does not exist"),
    ],
)
def test_restore_checks_the_file_before_touching_anything(
    settings: Settings, database: Path, tmp_path: Path, make: object, reason: str
) -> None:
    bad = tmp_path / "bad.db"
    make(bad)  # type: ignore[operator]
    before = database.read_bytes()
    with pytest.raises(BackupError, match=reason):
        restore(settings.database_url, bad)
    assert database.read_bytes() == before
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_restore_refuses_a_backup_from_a_newer_version(
    settings: Settings, database: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "backup.db"
    backup(settings.database_url, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(BackupError, match="migration 9999"):
        restore(settings.database_url, copy)


def test_backup_never_overwrites(settings: Settings, database: Path, tmp_path: Path) -> None:
    copy = tmp_path / "backup.db"
    copy.write_text("precious")
    with pytest.raises(BackupError, match="already exists"):
        backup(settings.database_url, copy)
    assert copy.read_text() == "precious"


def test_cli_backup_and_restore(
    settings: Settings,
    database: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    copy = tmp_path / "cli.db"
    assert main(["db", "backup", str(copy)]) == 0
    out = capsys.readouterr().out
    assert f"backed up to {copy}: migration " in out
    assert f"subscriptions {MEMBERS}" in out
    assert main(["db", "restore", str(copy)]) == 0
    assert "the previous database is kept as" in capsys.readouterr().out
    assert main(["db", "restore", str(tmp_path / "missing.db")]) == 1
    assert "restore refused:" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_cli_on_postgresql_points_to_pg_dump(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://fibro@127.0.0.1:1/fibro")
    assert main(["db", command, str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert "pg_dump" in err
    assert "pg_restore" in err
