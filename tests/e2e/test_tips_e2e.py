"""Daily tips end to end: the real `fibrobot run` against the emulator, with a test clock.

The bot's clock is set by TEST_CLOCK_START / TEST_CLOCK_SPEED and its minute job runs every
TIPS_JOB_INTERVAL seconds, so a tip "at 10:00" arrives in seconds, not at real 10:00.
These tests start their own bots (they need those settings, and a kill -9), on the shared
harness pieces: emulator, compat proxy, BotProcess, ChatClient.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import (
    ADMIN_USER_ID,
    E2E,
    REPO_ROOT,
    BotProcess,
    ChatClient,
    Stack,
    bot_env,
    emulator_stack,
    error_lines,
    wait_until,
)

from bot.features.content import load_content
from bot.features.tips import tip_of_day
from bot.storage import db

pytestmark = pytest.mark.e2e

CONTENT_DIR = REPO_ROOT / "content"
DAY = date(2025, 6, 2)
TEN = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
MEMBER = {"id": 2000101, "is_bot": False, "first_name": "Tess", "username": "tess_e2e"}
CRASH_MEMBERS = 150
CRASH_IDS = range(3_000_000, 3_000_000 + CRASH_MEMBERS)
CRASH_RATE = 10  # messages per second, so the broadcast lasts long enough to be killed


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with emulator_stack(tmp_path_factory.mktemp("tips-e2e")) as running:
        yield running


def start_bot(stack: Stack, name: str, db_path: Path, **settings: str) -> BotProcess:
    """`fibrobot run` with the test clock; returns once it polls."""
    env = bot_env(
        api_url=stack.proxy.url, db_path=db_path, content_dir=CONTENT_DIR,
        admin_ids=[ADMIN_USER_ID],
    )  # fmt: skip
    env.update(settings)
    mark = len(stack.proxy.calls)
    bot = BotProcess(env, stack.folder / f"{name}.log", cwd=stack.folder)

    def polling() -> bool:
        if bot.proc.poll() is not None:
            raise AssertionError(f"the bot exited early:\n{bot.log_tail()}")
        return bool(stack.proxy.find_calls("getUpdates", mark))

    wait_until(polling, 30, "the bot's first getUpdates")
    return bot


def rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Read the bot's database (SQLite, WAL: safe beside the running bot)."""
    with sqlite3.connect(db_path, timeout=10) as connection:
        return connection.execute(sql).fetchall()


def tip_messages(env: E2E, text: str, chats: range) -> Counter[int]:
    """How many messages containing ``text`` the emulator received, per chat among ``chats``."""
    counts: Counter[int] = Counter()
    for item in env.history():
        message = item.get("message") or {}
        chat = int(message.get("chat_id", 0))
        if chat in chats and text in str(message.get("text", "")):
            counts[chat] += 1
    return counts


def stop_cleanly(bot: BotProcess) -> None:
    code = bot.stop(timeout=10)
    errors = error_lines(bot.log_text())
    assert code == 0, f"the bot did not exit 0 on SIGTERM:\n{bot.log_tail()}"
    assert not errors, "the bot logged errors:\n" + "\n".join(errors)


def test_subscribe_then_the_tip_arrives_at_the_chosen_minute(stack: Stack) -> None:
    db_path = stack.folder / "subscribe.db"
    bot = start_bot(
        stack, "subscribe", db_path,
        TEST_CLOCK_START=(TEN - timedelta(minutes=10)).isoformat(), TEST_CLOCK_SPEED="30",
        TIPS_JOB_INTERVAL="1",
    )  # fmt: skip
    try:
        env = E2E(emulator=stack.emulator, proxy=stack.proxy, bot=bot)
        member: ChatClient = env.client(MEMBER)
        asked = member.ask("/subscribe")
        assert "At what time" in asked.text
        member.press("10:00", asked)
        zones = member.wait_for_edit(asked.message_id)
        member.press("UTC", zones)
        done = member.wait_for_edit(asked.message_id)
        assert "You're subscribed. Your first tip comes today at 10:00." in done.text
        expected = tip_of_day(load_content(CONTENT_DIR).tips, DAY)
        opening = expected.text[:40]
        # 10:00 on the bot's clock comes 20 s after the bot started.
        tip = member.wait_for_reply(lambda m: opening in m.text, timeout=40)
        assert "Today's tip" in tip.text
        # The message reaches the emulator just before the bot records it as sent.
        query = "SELECT due_at, sent_at, status FROM tip_deliveries"
        wait_until(lambda: rows(db_path, query)[0][2] == "sent", 10.0, "the delivery recorded")
        [(due, sent, status)] = rows(db_path, query)
        assert status == "sent"
        assert due.startswith("2025-06-02 10:00:00")
        sent_at = datetime.fromisoformat(sent).replace(tzinfo=UTC)
        assert timedelta(0) <= sent_at - TEN < timedelta(minutes=1), "at the chosen minute"
        time.sleep(4)  # two more minutes on the bot's clock: no second tip
        member_chat = range(MEMBER["id"], MEMBER["id"] + 1)
        assert tip_messages(env, opening, member_chat) == {MEMBER["id"]: 1}
    finally:
        stop_cleanly(bot)


def seed_due_subscriptions(db_path: Path, count: int) -> None:
    """Members subscribed to 10:00 UTC, all due at TEN."""
    url = f"sqlite:///{db_path}"
    db.upgrade(url)
    with sqlite3.connect(db_path) as connection:
        connection.executemany(
            "INSERT INTO subscriptions (member_id, status, local_time, time_zone, next_due_utc,"
            " created_at, updated_at) VALUES (?, 'active', '10:00:00.000000', 'UTC', ?, ?, ?)",
            [(member_id, "2025-06-02 10:00:00.000000", "2025-06-01 00:00:00.000000",
              "2025-06-01 00:00:00.000000") for member_id in CRASH_IDS[:count]],
        )  # fmt: skip


def test_kill_9_mid_broadcast_then_restart(stack: Stack) -> None:
    db_path = stack.folder / "crash.db"
    seed_due_subscriptions(db_path, CRASH_MEMBERS)
    opening = tip_of_day(load_content(CONTENT_DIR).tips, DAY).text[:40]
    clock = {"TEST_CLOCK_SPEED": "1", "TIPS_JOB_INTERVAL": "1", "TIPS_RATE_LIMIT": str(CRASH_RATE)}
    bot = start_bot(stack, "crash-1", db_path, TEST_CLOCK_START=TEN.isoformat(), **clock)
    env = E2E(emulator=stack.emulator, proxy=stack.proxy, bot=bot)
    try:
        wait_until(
            lambda: sum(tip_messages(env, opening, CRASH_IDS).values()) >= 40, 30, "40 tips sent"
        )
    finally:
        os.kill(bot.proc.pid, signal.SIGKILL)
        bot.proc.wait(10)
        bot.stop(timeout=1)
    in_flight = rows(db_path, "SELECT count(*) FROM tip_deliveries WHERE status = 'sending'")[0][0]
    received_before = sum(tip_messages(env, opening, CRASH_IDS).values())
    assert received_before < CRASH_MEMBERS, "killed mid-broadcast"
    # One batch on the wire and the next one claimed; a batch is one second of messages.
    assert in_flight <= 2 * CRASH_RATE

    restart = (TEN + timedelta(minutes=1)).isoformat()
    bot = start_bot(stack, "crash-2", db_path, TEST_CLOCK_START=restart, **clock)
    env.bot = bot
    try:
        query = "SELECT count(*) FROM tip_deliveries WHERE status = 'sent'"
        wait_until(lambda: rows(db_path, query)[0][0] == CRASH_MEMBERS, 60, "every tip sent")
        time.sleep(2)  # a few more job runs: nothing more goes out
    finally:
        stop_cleanly(bot)
    received = tip_messages(env, opening, CRASH_IDS)
    recorded = rows(db_path, "SELECT status, count(*) FROM tip_deliveries GROUP BY status")
    assert recorded == [("sent", CRASH_MEMBERS)]
    assert set(received) == set(CRASH_IDS), "none missing"
    duplicates = sum(received.values()) - CRASH_MEMBERS
    print(
        f"\ne2e crash: {received_before} tips received before kill -9, {in_flight} in flight,"
        f" {duplicates} duplicate(s) after restart"
    )
    assert duplicates <= in_flight, f"{duplicates} duplicates, {in_flight} were in flight"
    assert duplicates <= CRASH_RATE, "only the batch on the wire can be sent twice"
    assert "were being sent when the bot stopped" in bot.log_text() or in_flight == 0
