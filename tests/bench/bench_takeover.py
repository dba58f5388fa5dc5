"""Takeover after ``kill -9``: an active `fibrobot run` dies, a standby takes its place.

Each run: process A starts on a fresh SQLite database and polls a local Bot API; process B
starts and stands by; A is killed with SIGKILL; the figure is the time from the kill to
B's first getUpdates. Default settings (FAILOVER_SECONDS=15). Beside it, measured in the
same runs: the time a fresh `fibrobot run` takes from its start to its first getUpdates.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.config import PROJECT_DIR, Settings
from tests.bench.common import Row
from tests.http_api import LocalBotAPI

TOKEN = "123456789:bench-token"
RUNS = 5
FAILOVER = Settings.model_fields["failover_seconds"].default


def start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    fibrobot = str(Path(sys.executable).with_name("fibrobot"))
    with log.open("ab") as out:
        return subprocess.Popen([fibrobot, "run"], env=env, stdout=out, stderr=out)


def wait_for_text(path: Path, words: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while words not in path.read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{words!r} never appeared in {path}")
        time.sleep(0.05)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def one_takeover(server: LocalBotAPI, folder: Path) -> tuple[float, float]:
    """(seconds from kill -9 to the standby's first getUpdates, seconds A took to start)."""
    env = os.environ | {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": server.url,
        "DATABASE_URL": f"sqlite:///{folder}/bench.db",
        "CONTENT_DIR": str(PROJECT_DIR / "content"),
        "LOG_LEVEL": "INFO",
    }
    env.pop("FAILOVER_SECONDS", None)  # the default setting
    server.first_call.clear()
    started = time.monotonic()
    active = start(env, folder / "a.log")
    standby = None
    try:
        polled = server.wait_for("getUpdates", timeout=30)
        if polled is None:
            raise RuntimeError("the first process never polled")
        standby = start(env, folder / "b.log")
        wait_for_text(folder / "b.log", "Standing by", 30)
        os.kill(active.pid, signal.SIGKILL)
        killed = time.monotonic()
        active.wait()
        server.first_call.clear()  # only the standby's calls from here on
        took_over = server.wait_for("getUpdates", timeout=FAILOVER + 30)
        if took_over is None:
            raise RuntimeError("the standby never took over")
        return took_over - killed, polled - started
    finally:
        stop(active)
        if standby is not None:
            stop(standby)


def run() -> list[Row]:
    """Median of five takeovers, beside the median fresh start of the same runs."""
    takeovers, starts = [], []
    with LocalBotAPI(poll_wait=0.05) as server:
        for _ in range(RUNS):
            with tempfile.TemporaryDirectory() as folder:
                takeover, fresh = one_takeover(server, Path(folder))
            takeovers.append(takeover)
            starts.append(fresh)
    median = statistics.median(takeovers)
    return [
        Row(
            "takeover after kill -9 of the active `fibrobot run` (median of 5, SQLite)",
            f"{median:.2f} s (max {max(takeovers):.2f} s)",
            f"<= {FAILOVER:.0f} s = FAILOVER_SECONDS (a fresh start to first getUpdates:"
            f" {statistics.median(starts):.2f} s)",
            median <= FAILOVER,
        )
    ]
