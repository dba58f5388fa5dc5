"""An announcement draft survives `kill -9`: the restarted bot resumes it at the same step.

Real processes: the emulator, the compat proxy and `fibrobot run` (polling), killed with
SIGKILL halfway through /announce and started again on the same database.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from compat import CompatProxy
from conftest import ADMIN, BOT_START_TIMEOUT, BOT_STOP_TIMEOUT, GROUP, MEMBER
from e2e_harness import (
    ADMIN_USER_ID,
    E2E,
    REPO_ROOT,
    BotProcess,
    Emulator,
    bot_env,
    error_lines,
    require_emulator,
    wait_until,
)

TEXT = "Friday meet-up at 18:00 in the park"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[E2E, dict[str, str]]]:
    """Emulator and proxy; the bot is started (and restarted) by the test."""
    require_emulator()
    emulator = Emulator(tmp_path / "emulator.log")
    proxy = CompatProxy(emulator.url).start()
    proxy.register_chat(GROUP)
    for user in (MEMBER, ADMIN):
        proxy.register_user(user, admin=user["id"] == ADMIN_USER_ID)
    env = bot_env(
        api_url=proxy.url,
        db_path=tmp_path / "e2e.db",
        content_dir=REPO_ROOT / "content",
        admin_ids=[ADMIN_USER_ID],
    )
    env["TMP_PATH"] = str(tmp_path)
    running = E2E(emulator=emulator, proxy=proxy, bot=None)  # type: ignore[arg-type]
    try:
        yield running, env
    finally:
        if running.bot is not None:
            running.bot.stop(timeout=5)
        proxy.stop()
        emulator.stop()


def start_bot(world: E2E, env: dict[str, str], name: str) -> BotProcess:
    """Start `fibrobot run`; return once it polls."""
    tmp = Path(env["TMP_PATH"])
    since = len(world.proxy.calls)
    bot = BotProcess(env, tmp / f"{name}.log", cwd=tmp)
    world.bot = bot

    def polling() -> bool:
        assert bot.proc.poll() is None, f"the bot exited:\n{bot.log_tail()}"
        return bool(world.proxy.find_calls("getUpdates", since))

    wait_until(polling, BOT_START_TIMEOUT, f"{name} polling")
    return bot


def flow_rows(env: dict[str, str]) -> list[tuple[str, int | None]]:
    path = Path(env["TMP_PATH"]) / "e2e.db"
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT kind, user_id FROM flow_states").fetchall()


def announcement_texts(env: dict[str, str]) -> list[tuple[str, str]]:
    path = Path(env["TMP_PATH"]) / "e2e.db"
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT text_html, status FROM announcements").fetchall()


def test_kill_9_then_restart_resumes_the_announcement_at_the_when_step(
    world: tuple[E2E, dict[str, str]],
) -> None:
    env_, env = world
    first = start_bot(env_, env, "first")
    admin = env_.client(ADMIN)
    assert "Send me its text" in admin.ask("/announce").text
    admin.send(TEXT)
    admin.wait_for_reply(lambda m: "When should I post it" in m.text)
    # The step is written as the update is handled; wait for it (and for the bot to confirm
    # the update to Telegram with its next getUpdates), then kill without any chance to save.
    wait_until(lambda: len(flow_rows(env)) == 2, 5.0, "the flow written to the database")
    since = len(env_.proxy.calls)
    wait_until(lambda: env_.proxy.find_calls("getUpdates", since), 5.0, "the next getUpdates")
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(5)
    first.stop()
    assert first.proc.returncode == -signal.SIGKILL

    second = start_bot(env_, env, "second")
    pin_question = admin.ask("in 2 hours")
    assert "Should I pin it" in pin_question.text, pin_question.text
    admin.press("Don't pin", pin_question)
    summary = admin.wait_for_reply(lambda m: "Confirm" in " ".join(m.button_texts))
    admin.press("Confirm", summary)
    done = admin.wait_for_reply(lambda m: "Scheduled as #1" in m.text)
    assert "Scheduled as #1" in done.text
    assert announcement_texts(env) == [(TEXT, "scheduled")]
    # Written just after the reply: an ended flow keeps nothing.
    wait_until(lambda: flow_rows(env) == [], 5.0, "the ended flow erased")

    time.sleep(0.2)
    assert error_lines(second.log_text()) == []
    assert second.stop(timeout=BOT_STOP_TIMEOUT) == 0
    assert error_lines(first.log_text()) == []
