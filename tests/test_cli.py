"""The command line on bad set-ups: one clear line and an exit code, never a traceback.

Each test runs ``bot.cli.main`` as the ``fibrobot`` command would, with its settings from
the environment, in a fresh folder (like a fresh clone).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bot.cli import main
from bot.config import load_settings
from bot.runtime import doctor
from bot.runtime.lease import PG_LOCK_KEY
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


# --- 7. One clear line, never a traceback, never the password ------------------------------------

CLOSED_PG = "postgresql://u:s3cretpw@127.0.0.1:9/db"  # port 9 (discard): nothing listens


@pytest.mark.parametrize("argv", [["stats"], ["subscribers"], ["db", "upgrade"]])
def test_an_unreachable_postgresql_is_one_line_without_the_password(
    clone: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    use(monkeypatch, CLOSED_PG)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("fibrobot: cannot use the database postgresql://u:***@127.0.0.1:9/db: ")
    assert "s3cretpw" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "argv",
    [["db", "upgrade"], ["console", "--database-url", "sqlite:////proc/x/y.db"]],
)
def test_a_folder_that_cannot_be_made_is_one_line(
    clone: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    use(monkeypatch, "sqlite:////proc/nope/x.db")
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("fibrobot: cannot use /proc/")
    assert err.endswith("No such file or directory")


def test_stats_on_an_impossible_folder_says_there_is_no_database(
    clone: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use(monkeypatch, "sqlite:////proc/nope/x.db")
    assert main(["stats"]) == 1
    assert "no database at /proc/nope/x.db" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "path"),
    [
        (["stats", "--chart", "/nonexistent3/s.png"], "/nonexistent3/s.png"),
        (["subscribers", "--csv", "/nonexistent3/s.csv"], "/nonexistent3/s.csv"),
    ],
)
def test_an_output_file_in_a_missing_folder_is_one_line(
    clone: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    path: str,
) -> None:
    url = f"sqlite:///{clone}/bot.db"
    db.upgrade(url)
    use(monkeypatch, url)
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"fibrobot: cannot use {path}: No such file or directory"


@pytest.mark.parametrize("command", ["upgrade", "downgrade"])
def test_an_unknown_revision_is_a_usage_error(
    clone: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    url = f"sqlite:///{clone}/bot.db"
    db.upgrade(url)
    use(monkeypatch, url)
    assert main(["db", command, "nonsense"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"fibrobot: db {command} nonsense: ")
    assert "nonsense" in err.split(": ", 2)[2]
    assert len(err.splitlines()) == 1


# --- 8. The doctor probes the role's lease -------------------------------------------------------


def role_line(out: str) -> str:
    return next(line for line in out.splitlines() if " role" in line)


def test_the_doctor_sees_another_process_holding_the_role(
    clone: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{clone}/bot.db"
    db.upgrade(url)
    use(monkeypatch, url)
    with (clone / "bot.db.lock").open("ab") as held:  # as the active `fibrobot run` holds it
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        main(["doctor"])
        line = role_line(capsys.readouterr().out)
        # The probe left the holder's lock alone.
        with pytest.raises(BlockingIOError), (clone / "bot.db.lock").open("ab") as other:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert line.startswith(
        "✗ role (warning): standby: another fibrobot process is active (this one would stand by)."
    )


def test_the_doctor_finds_the_role_free_and_leaves_it_free(
    clone: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{clone}/bot.db"
    db.upgrade(url)
    use(monkeypatch, url)
    (clone / "bot.db.lock").touch()  # left by a bot that stopped
    main(["doctor"])
    assert role_line(capsys.readouterr().out) == "✓ role: active: no other process holds the role."
    with (clone / "bot.db.lock").open("ab") as after:  # released at once
        fcntl.flock(after, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_the_doctor_creates_no_lock_file(
    clone: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{clone}/bot.db"
    db.upgrade(url)
    use(monkeypatch, url)
    main(["doctor"])
    assert role_line(capsys.readouterr().out) == "✓ role: active: no other process holds the role."
    assert not (clone / "bot.db.lock").exists()


async def test_the_doctor_probes_the_postgresql_lease(postgres_url: str, clone: Path) -> None:
    settings = load_settings(database_url=postgres_url)
    conninfo = make_url(postgres_url).set(drivername="postgresql").render_as_string(False)
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as holder:
        await holder.execute("SELECT pg_advisory_lock(%s)", [PG_LOCK_KEY])
        held = await doctor.probe_role(settings)
        still = await holder.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        )
        assert await still.fetchone() == (1,)  # the holder's lock, untouched
        await holder.execute("SELECT pg_advisory_unlock(%s)", [PG_LOCK_KEY])
    free = await doctor.probe_role(settings)
    assert held.found.startswith("standby: another fibrobot process is active")
    assert (free.status, free.found) == (doctor.OK, "active: no other process holds the role")


def test_the_role_is_unknown_when_the_database_does_not_answer(
    clone: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use(monkeypatch, CLOSED_PG)
    assert main(["doctor"]) == 1
    assert role_line(capsys.readouterr().out).startswith("✗ role (warning): unknown")
