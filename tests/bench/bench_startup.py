"""Time from `fibrobot run` to its first getUpdates, beside a bare PTB bot in the same run."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.config import PROJECT_DIR
from tests.bench.common import Row
from tests.http_api import LocalBotAPI

TOKEN = "123456789:bench-token"
RUNS = 5
BARE_BOT = """
import sys
from telegram.ext import ApplicationBuilder, CommandHandler
async def start(update, context): pass
app = ApplicationBuilder().token(sys.argv[2]).base_url(sys.argv[1] + "/bot").build()
app.add_handler(CommandHandler("start", start))
app.run_polling()
"""


def seconds_to_first_poll(command: list[str], env: dict[str, str], server: LocalBotAPI) -> float:
    """Start a process, time until the server sees getUpdates, stop the process."""
    server.first_call.clear()
    started = time.monotonic()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        polled = server.wait_for("getUpdates", timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    if polled is None:
        raise RuntimeError(f"{command[0]} never polled")
    return polled - started


def run() -> list[Row]:
    """Median over a few cold starts each."""
    fibrobot = str(Path(sys.executable).with_name("fibrobot"))
    with LocalBotAPI(poll_wait=0.05) as server, tempfile.TemporaryDirectory() as folder:
        env = os.environ | {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": server.url,
            "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "CONTENT_DIR": str(PROJECT_DIR / "content"),
            "LOG_LEVEL": "WARNING",
        }
        ours = [seconds_to_first_poll([fibrobot, "run"], env, server) for _ in range(RUNS)]
        bare_cmd = [sys.executable, "-c", BARE_BOT, server.url, TOKEN]
        bare = [seconds_to_first_poll(bare_cmd, env, server) for _ in range(RUNS)]
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    return [
        Row(
            "`fibrobot run` to first getUpdates, every language loaded (median of 5)",
            f"{ours_s:.2f} s",
            f"<= 2 s (bare PTB bot: {bare_s:.2f} s)",
            ours_s <= 2.0,
        )
    ]
