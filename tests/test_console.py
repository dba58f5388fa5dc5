"""The offline console as a new user meets it: every admin feature works out of the box, and
console play never lands in the real bot's database."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.config import Settings, load_settings
from bot.runtime.console import Console
from bot.runtime.fakeapi import GROUP_ID
from bot.storage import db
from bot.storage.models import Announcement
from tests.conftest import CONTENT_DIR
from tests.test_process import FIBROBOT

REFUSAL = "only the community's admins can do that"


def clean_env(**extra: str) -> dict[str, str]:
    """A new user's shell: no token, no database, no community, no admins."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    return {k: v for k, v in os.environ.items() if k in keep} | {
        "CONTENT_DIR": str(CONTENT_DIR),
        **extra,
    }


def fingerprint(path: Path) -> tuple[str, float]:
    """The file's bytes and modification time, to show nothing wrote to it."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime


def real_database(path: Path) -> tuple[str, float]:
    """The real bot's SQLite database, migrated, as a deployment would have it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db.upgrade(f"sqlite:///{path}")
    return fingerprint(path)


def announcements(path: Path) -> list[str]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            return list(session.scalars(select(Announcement.text_html)))
    finally:
        engine.dispose()


def console_process(
    cwd: Path, lines: str, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FIBROBOT, "console", *args],
        input=lines,
        capture_output=True,
        text=True,
        env=clean_env(**env),
        cwd=cwd,
        timeout=60,
        check=False,
    )


# --- In process: the Console class -------------------------------------------------------


@pytest.fixture
def fresh_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A fresh clone's settings: nothing configured but the real bot's database."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "DATABASE_", "COMMUNITY_", "ADMIN_", "CONTENT_")):
            monkeypatch.delenv(name)
    return load_settings(database_url=f"sqlite:///{tmp_path}/real.db", content_dir=CONTENT_DIR)


@pytest.fixture
async def console(fresh_settings: Settings) -> AsyncIterator[Console]:
    shell = Console(fresh_settings, io.StringIO())
    await shell.start()
    try:
        yield shell
    finally:
        await shell.stop()


async def say(console: Console, *lines: str) -> str:
    """Type lines into the console; what it printed meanwhile."""
    out = console.out
    assert isinstance(out, io.StringIO)
    start = len(out.getvalue())
    for line in lines:
        await console.handle_line(line)
    return out.getvalue()[start:]


async def press(console: Console, label: str) -> str:
    """Press the newest button whose text holds ``label``, by typing its number."""
    numbers = [n for n, b in console.state.buttons.items() if label in b.text]
    assert numbers, f"no button {label!r} on screen"
    return await say(console, str(max(numbers)))


async def test_an_admin_announces_out_of_the_box(console: Console) -> None:
    shown = await say(console, ":admin", "/announce")
    assert REFUSAL not in shown
    assert "New announcement" in shown
    await say(console, "Meeting on Friday")
    await press(console, "Now")
    await press(console, "Don't pin")
    shown = await press(console, "Confirm")
    assert "Posted in the group" in shown
    in_group = [c.text for c in console.api.sent() if int(c.params["chat_id"]) == GROUP_ID]
    assert in_group == ["Meeting on Friday"], "posted once, in the console's own group"


async def test_every_admin_command_answers_an_admin(console: Console) -> None:
    shown = await say(console, ":admin", "/scheduled", "/stats", "/doctor")
    assert REFUSAL not in shown
    assert "Scheduled posts" in shown
    assert "Community statistics" in shown
    assert "community group: Fibro community" in shown, "/doctor sees the console's group"
    shown = await say(console, ":group", "/setup")
    assert "already the community group" in shown


async def test_members_are_still_refused(console: Console) -> None:
    assert REFUSAL in await say(console, "/stats")


async def test_console_play_stays_out_of_the_real_database(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    real = tmp_path / "real.db"
    before = real_database(real)
    shell = Console(fresh_settings, io.StringIO())
    await shell.start()
    scratch = Path(db.sync_url(shell.settings.database_url).removeprefix("sqlite:///"))
    try:
        await say(shell, ":admin", "/announce", "Into the void", "2")
        assert await asyncio.to_thread(scratch.exists)
    finally:
        await shell.stop()
    assert fingerprint(real) == before
    assert announcements(real) == []
    gone = not await asyncio.to_thread(scratch.parent.exists)
    assert gone, "the throwaway database is deleted at the end"


# --- The real process, as a new user runs it -------------------------------------------


ADMIN_TOUR = ":admin\n/announce\n/scheduled\n/stats\n:group\n/setup\n"


def test_a_fresh_clone_tries_the_admin_side_without_touching_the_bots_database(
    tmp_path: Path,
) -> None:
    # No settings at all: DATABASE_URL is its default, data/fibrobot.db in this folder.
    real = tmp_path / "data" / "fibrobot.db"
    before = real_database(real)
    result = console_process(tmp_path, ADMIN_TOUR + ":private\n/announce\nHello all\n2\n3\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert REFUSAL not in result.stdout
    for reply in ("New announcement", "Scheduled posts", "Community statistics", "already"):
        assert reply in result.stdout
    assert "throwaway database" in result.stderr, "the banner says where the data goes"
    assert fingerprint(real) == before
    assert announcements(real) == []


def test_database_url_keeps_console_play_where_the_user_asked(tmp_path: Path) -> None:
    real, chosen = tmp_path / "real.db", tmp_path / "chosen.db"
    before = real_database(real)
    lines = ":admin\n/announce\nKept for later\n2\n5\n7\n"  # Now, Don't pin, Confirm
    result = console_process(
        tmp_path,
        lines,
        "--database-url",
        f"sqlite:///{chosen}",
        DATABASE_URL=f"sqlite:///{real}",
    )
    assert result.returncode == 0, result.stderr
    assert "Posted in the group" in result.stdout
    assert f"the database you chose: sqlite:///{chosen}" in result.stderr
    assert announcements(chosen) == ["Kept for later"]
    assert fingerprint(real) == before


def test_a_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    result = console_process(tmp_path, "", "--database-url", "mysql://nope")
    assert result.returncode == 2
    assert "--database-url" in result.stderr
    assert "sqlite:///" in result.stderr, "it says what a good one looks like"
    assert "Traceback" not in result.stderr


async def test_joins_try_the_welcome_and_its_switch(fresh_settings: Settings) -> None:
    out = io.StringIO()
    lines = ":join Ana Ben\n:admin\n/welcome\n"
    await Console(fresh_settings, out).run(io.StringIO(lines))
    shown = out.getvalue()
    assert "Welcomes are on" in shown
    assert "Welcome, Ana and Ben 💜" in shown, "piped input ends the gathering window"
    out = io.StringIO()
    lines = ":admin\n/welcome off\n:join Cy\n"
    await Console(fresh_settings, out).run(io.StringIO(lines))
    assert "Welcomes are off" in out.getvalue()
    assert "Welcome, Cy" not in out.getvalue()
