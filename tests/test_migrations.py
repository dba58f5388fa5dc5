"""Every migration goes up, down and up again, on SQLite and on PostgreSQL (the stairway)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from bot.storage import db
from bot.storage.models import Base


def revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(db.alembic_config(url))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def stairway(url: str) -> None:
    """Each revision: up, down one step, up again; the schema must survive every step."""
    previous = "base"
    for revision in revisions(url):
        db.upgrade(url, revision)
        db.downgrade(url, previous)
        db.upgrade(url, revision)
        previous = revision


def schema_diff(url: str) -> list[object]:
    engine = create_engine(db.sync_url(url))
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    return list(diff)


def reset(url: str) -> None:
    db.downgrade(url, "base")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/stairway.db"


def test_stairway_sqlite(sqlite_url: str) -> None:
    stairway(sqlite_url)
    assert schema_diff(sqlite_url) == [], "models and migrations disagree"
    reset(sqlite_url)
    engine = create_engine(db.sync_url(sqlite_url))
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str) -> None:
    db.upgrade(sqlite_url)
    engine = create_engine(db.sync_url(sqlite_url))
    db.install_sqlite_pragmas(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


@pytest.mark.postgres
def test_stairway_postgres(postgres_url: str) -> None:
    try:
        stairway(postgres_url)
        assert schema_diff(postgres_url) == [], "models and migrations disagree"
    finally:
        reset(postgres_url)


def test_upgrade_command_creates_the_sqlite_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/new/folder/bot.storage.db"
    db.upgrade(url)
    assert (tmp_path / "new" / "folder" / "bot.storage.db").exists()
