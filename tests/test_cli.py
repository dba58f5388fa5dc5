"""The command line on bad set-ups: one clear line and an exit code, never a traceback.

Each test runs ``bot.cli.main`` as the ``fibrobot`` command would, with its settings from
the environment, in a fresh folder (like a fresh clone).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import db
from bot.storage.backup import InUse
from tests.conftest import CONTENT_DIR


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder as the working directory, no .env, the shipped content."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "DATABASE_", "COMMUNITY_", "ADMIN_", "CONTENT_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CONTENT_DIR", str(CONTENT_DIR))
    return tmp_path


def use(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)


# --- 5. Read-only commands never create a database ----------------------------------------------


@pytest.mark.parametrize("argv", [["stats"], ["subscribers"], ["db", "backup", "copy.db"]])
def test_read_only_commands_in_a_fresh_clone_create_no_database(
    clone: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "no database at data/fibrobot.db" in err
    assert "fibrobot db upgrade" in err
    assert not (clone / "data").exists()


def test_stats_on_a_missing_folder_creates_nothing(
    clone: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use(monkeypatch, f"sqlite:///{clone}/nonexistent/dir/x.db")
    assert main(["stats"]) == 1
    assert f"no database at {clone}/nonexistent/dir/x.db" in capsys.readouterr().err
    assert not (clone / "nonexistent").exists()


def test_doctor_creates_no_database(clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["doctor"])
    assert "database" in capsys.readouterr().out
    assert not (clone / "data").exists()


def test_db_upgrade_still_creates_the_database(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (clone / "data" / "fibrobot.db").is_file()
    assert main(["stats"]) == 0
    assert "database upgraded to head" in capsys.readouterr().out


def test_stats_on_an_existing_database_works(
    clone: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{clone}/bot.db"
    db.upgrade(url)
    use(monkeypatch, url)
    assert main(["stats"]) == 0
    assert capsys.readouterr().err == ""


# --- 6. The console refuses a live bot's database ------------------------------------------------


def test_the_console_refuses_a_running_bots_database(
    clone: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{clone}/data/fibrobot.db"
    db.upgrade(url)
    running = InUse(url)  # what `fibrobot run` holds from its start
    try:
        assert main(["console", "--database-url", url]) == 2
    finally:
        running.release()
    err = capsys.readouterr().err
    assert "a running bot uses this database" in err
    assert "FibroBot offline console" not in err
