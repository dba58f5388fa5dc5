"""One active process and standbys, end to end: real `fibrobot run` processes, one database.

One scenario per database (SQLite, PostgreSQL), during one 2,000-tip broadcast:

1. Processes A and B start together: one becomes active, the other stands by.
2. The active one loses its database (PostgreSQL: its sessions terminated; SQLite: its
   lock file removed) just before announcement 1 falls due. The standby takes over within
   FAILOVER_SECONDS; the old active gives up its role and stands by again.
3. A third process, started later, stands by.
4. The new active one is killed (``kill -9``) just before announcement 2 falls due. A
   standby takes over within FAILOVER_SECONDS.
5. Every member got the tip, the only duplicates are the tips the new active processes
   found in flight, each announcement went out once, a member's question is answered
   once, and no process logged an error or a 409 Conflict.

The bots run on the real clock here (the JobQueue does too): every moment is relative to
the time the scenario starts.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from e2e_harness import (
    ADMIN_USER_ID,
    E2E,
    GROUP_CHAT_ID,
    REPO_ROOT,
    BotProcess,
    Stack,
    bot_env,
    emulator_stack,
    error_lines,
    wait_until,
)
from sqlalchemy.engine import make_url

from bot.storage import db
from bot.storage.models import Announcement, Subscription

pytestmark = pytest.mark.e2e

MEMBERS = 2_000
IDS = range(5_000_000, 5_000_000 + MEMBERS)
RATE = 150  # tips per second: the broadcast lasts long enough to be cut in the middle
BATCH = 100  # the delivery job's batch at this rate (bot.features.delivery)
FAILOVER = 12.0  # FAILOVER_SECONDS: fence 4 s, heartbeat 1.2 s
FIRST_DUE = 15.0  # seconds from the scenario's start to announcement 1's due moment
SECOND_DUE = 27.0  # ... and to announcement 2's, once the first takeover is done
TIPS_BEFORE = 3.0  # the tips fall due this long before announcement 1
ANNOUNCEMENTS = (
    "Standby e2e: the Friday coffee meet-up moves to 18:30",
    "Standby e2e: the gentle yoga session starts at 10:15",
)
ACTIVE = "Active: taking updates"
MEMBER = {"id": 2000301, "is_bot": False, "first_name": "Ines", "username": "ines_e2e"}
LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ", re.MULTILINE)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with emulator_stack(tmp_path_factory.mktemp("standby-e2e")) as running:
        running.proxy.register_chat(
            {"id": GROUP_CHAT_ID, "type": "supergroup", "title": "Standby group"}
        )
        yield running


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database for one scenario: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'standby.db'}"
    server: str = request.getfixturevalue("postgres_url")
    name = f"standby_{os.getpid()}_{int(time.monotonic() * 1000)}"
    with psycopg.connect(pg_conninfo(server), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')  # a name made above, never input
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def pg_conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass
class Scene:
    """The processes of one scenario and what they share."""

    stack: Stack
    url: str
    name: str
    bots: list[BotProcess] = field(default_factory=list)
    mark: int = 0  # the proxy's journal before this scenario

    def __post_init__(self) -> None:
        self.mark = len(self.stack.proxy.calls)

    def start(self, label: str) -> BotProcess:
        env = bot_env(
            api_url=self.stack.proxy.url,
            db_path=self.stack.folder / "unused.db",
            content_dir=REPO_ROOT / "content",
            admin_ids=[ADMIN_USER_ID],
        )
        env.update(
            DATABASE_URL=self.url,
            FAILOVER_SECONDS=str(FAILOVER),
            TIPS_JOB_INTERVAL="1",
            TIPS_RATE_LIMIT=str(RATE),
        )
        bot = BotProcess(env, self.stack.folder / f"{self.name}-{label}.log", self.stack.folder)
        self.bots.append(bot)
        return bot

    def rows(self, sql: str) -> list[sa.Row[tuple[object, ...]]]:
        engine = sa.create_engine(db.sync_url(self.url))
        try:
            with engine.connect() as connection:
                return list(connection.execute(sa.text(sql)).all())
        finally:
            engine.dispose()

    def tips(self) -> Counter[int]:
        """Tips the emulator accepted in this scenario, per member (the proxy's journal)."""
        counts: Counter[int] = Counter()
        for call in self.stack.proxy.calls[self.mark :]:
            if call.method == "sendMessage" and call.ok:
                chat = int(call.params.get("chat_id", 0))
                if chat in IDS:
                    counts[chat] += 1
        return counts

    def announcements(self) -> Counter[str]:
        """How many times each announcement reached the group."""
        counts: Counter[str] = Counter()
        for call in self.stack.proxy.calls[self.mark :]:
            if call.method == "sendMessage" and call.ok:
                text = str(call.params.get("text", ""))
                counts.update(a for a in ANNOUNCEMENTS if a in text)
        return counts

    def takeover(self, failed_at: float, before: dict[BotProcess, int]) -> BotProcess:
        """Wait for a process to become active after a failure; check how soon it did."""

        def new_active() -> BotProcess | None:
            return next((b for b in self.bots if actives(b) > before.get(b, 0)), None)

        bot: BotProcess = wait_until(new_active, FAILOVER + 10, "a takeover")
        took = logged_at(bot, ACTIVE, nth=before.get(bot, 0)) - failed_at
        print(f"{self.name}: {bot.log_path.name} took over after {took:.1f}s")
        assert took <= FAILOVER, f"took over after {took:.1f}s"
        return bot


def seed(url: str, now: datetime) -> None:
    """2,000 members due for their tip soon, and two one-off announcements due after."""
    db.upgrade(url)
    due = now + timedelta(seconds=FIRST_DUE - TIPS_BEFORE)
    engine = sa.create_engine(db.sync_url(url))
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.insert(Subscription),
                [
                    {
                        "member_id": member, "status": "active", "local_time": due.time(),
                        "time_zone": "UTC", "next_due_utc": due, "created_at": now,
                        "updated_at": now,
                    }
                    for member in IDS
                ],
            )  # fmt: skip
            connection.execute(
                sa.insert(Announcement),
                [
                    {
                        "chat_id": GROUP_CHAT_ID, "text_html": text, "pin": False,
                        "kind": "once", "run_at": now + timedelta(seconds=after),
                        "when_text": "standby e2e", "status": "scheduled",
                        "created_by": ADMIN_USER_ID, "created_at": now,
                    }
                    for text, after in zip(ANNOUNCEMENTS, (FIRST_DUE, SECOND_DUE), strict=True)
                ],
            )  # fmt: skip
    finally:
        engine.dispose()


def actives(bot: BotProcess) -> int:
    """How many times the process became active."""
    return bot.log_text().count(ACTIVE)


def logged(bot: BotProcess, words: str, timeout: float) -> None:
    wait_until(lambda: words in bot.log_text(), timeout, f"{words!r} in {bot.log_path.name}")


def logged_at(bot: BotProcess, words: str, nth: int = 0) -> float:
    """The wall-clock time of the ``nth`` (from 0) log line containing ``words``."""
    lines = [line for line in bot.log_text().splitlines() if words in line]
    for line in lines[nth:]:
        match = LOG_TIME.match(line)
        if match:
            local = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f")
            return local.timestamp()
    raise AssertionError(f"{words!r} not in {bot.log_path.name}")


def cut_database(scene: Scene, active: BotProcess) -> None:
    """Take the database away from the active process, and only from it."""
    if scene.url.startswith("sqlite"):
        # SQLite's "connection" to the role is the lock file: removed, the lock is lost.
        Path(f"{make_url(scene.url).database}.lock").unlink()
        return
    with psycopg.connect(pg_conninfo(scene.url), autocommit=True) as connection:
        ended = connection.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = %s",
            [f"fibrobot:{active.proc.pid}"],
        ).fetchone()
    assert ended is not None
    assert ended[0] >= 1, "the active process had database sessions"


def wait_until_time(moment: float) -> None:
    """Sleep until ``moment``; a machine too busy to be there in time goes on at once (the
    announcement then goes out before the failure, and must still go out once)."""
    late = time.time() - moment
    if late > 0:
        print(f"\nlate by {late:.1f}s: the announcement is due before the failure")
    time.sleep(max(0.0, -late))


def check_everything_went_out_once(scene: Scene) -> None:
    """Every tip recorded sent and received, duplicates only from batches found in flight,
    each announcement once."""
    sent = "SELECT count(*) FROM tip_deliveries WHERE status = 'sent'"
    wait_until(lambda: scene.rows(sent)[0][0] == MEMBERS, 90, "every tip recorded", step=0.5)
    wait_until(lambda: len(scene.announcements()) == 2, 10, "both announcements")
    time.sleep(1.5)  # a few more job runs: nothing more goes out
    received = scene.tips()
    in_flight = sum(
        int(n)
        for bot in scene.bots
        for n in re.findall(r"(\d+) tip\(s\) were being sent", bot.log_text())
    )
    duplicates = sum(received.values()) - MEMBERS
    print(f"\n{scene.name}: {in_flight} tips found in flight, {duplicates} duplicate(s)")
    assert set(received) == set(IDS), "no tip lost"
    # Each takeover finds at most two batches claimed: one on the wire, the next one.
    assert duplicates <= in_flight <= 2 * 2 * BATCH, "only tips in flight are sent twice"
    statuses = scene.rows("SELECT status, count(*) FROM tip_deliveries GROUP BY status")
    assert [tuple(row) for row in statuses] == [("sent", MEMBERS)]
    assert scene.announcements() == dict.fromkeys(ANNOUNCEMENTS, 1), "each one once"
    rows = scene.rows("SELECT status FROM announcements")
    assert [tuple(r) for r in rows] == [("sent",), ("sent",)]


def test_standbys_take_over_and_finish_the_broadcast(stack: Stack, database: str) -> None:
    scene = Scene(stack, database, database.split(":", maxsplit=1)[0])
    started = datetime.now(UTC)
    seed(database, started)
    start = started.timestamp()
    try:
        # 1. Two processes started together: one becomes active, the other stands by.
        one, two = scene.start("a"), scene.start("b")
        first = wait_until(lambda: next((b for b in (one, two) if actives(b)), None), 30, "A")
        second = two if first is one else one
        logged(second, "Standing by", 30)
        assert not actives(second), "two active processes"

        # 2. The active one loses its database just before announcement 1 falls due.
        wait_until_time(start + FIRST_DUE - 0.3)
        before = sum(scene.tips().values())
        assert 0 < before < MEMBERS, f"the broadcast is under way ({before} sent)"
        counts, failed_at = {bot: actives(bot) for bot in scene.bots}, time.time()
        cut_database(scene, first)
        third = scene.start("c")  # for step 3, meanwhile
        assert scene.takeover(failed_at, counts) is second
        logged(first, "Stepped down", FAILOVER)

        # 3. A third process started later stands by.
        logged(third, "Standing by", 30)
        assert not actives(third)

        # 4. kill -9 of the new active one, just before announcement 2 falls due.
        wait_until_time(start + SECOND_DUE - 0.3)
        middle = sum(scene.tips().values())
        assert middle < MEMBERS, f"the broadcast is still under way ({middle} sent)"
        counts, failed_at = {bot: actives(bot) for bot in scene.bots}, time.time()
        os.kill(second.proc.pid, signal.SIGKILL)
        second.proc.wait(10)
        last = scene.takeover(failed_at, counts)

        # 5. Everything went out; only tips in flight twice; each announcement once.
        check_everything_went_out_once(scene)
        print(f"{scene.name}: {before} tips sent before the cut, {middle} before kill -9")

        member = E2E(emulator=stack.emulator, proxy=stack.proxy, bot=last).client(MEMBER)
        assert member.ask("/links", timeout=10).text
        time.sleep(1.0)
        assert len(member.changes()) == 1, "one process answers a member, once"
        for bot in scene.bots:
            if bot is not second:
                assert bot.stop(timeout=10) == 0, f"no clean exit:\n{bot.log_tail()}"
    finally:
        for bot in scene.bots:
            bot.stop(timeout=5)
    for bot in scene.bots:
        text = bot.log_text()
        assert not error_lines(text), f"{bot.log_path.name} logged errors:\n{bot.log_tail()}"
        assert "Conflict" not in text, f"{bot.log_path.name}: 409 Conflict"
