"""/faq updates per second through the webhook: the full bot beside a bare PTB webhook bot.

Both are real processes on 127.0.0.1 sending their replies to the same fake HTTP Bot API
(``fake_http_api``, its own process): our ``fibrobot run`` in webhook mode (every handler,
SQLite, the rate limiter set out of the way at 10,000/s), and ``bare_webhook_bot`` (PTB's
custom-webhook example with one ``/faq`` handler). This process posts the same ``/faq``
updates to each, ``CONCURRENCY`` at a time, with the secret token; the rate is measured on the
fake API's clock, from the first reply to the last. Interleaved rounds; median ratio.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bot.config import PROJECT_DIR
from tests.bench.bench_tips import TOKEN, arrivals, fake_server
from tests.bench.common import Row

UPDATES = 2000
CONCURRENCY = 20
ROUNDS = 3
SECRET = "bench-secret"
USERS = 200  # distinct members asking, as in a real community


def free_port() -> int:
    """A free port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def process(args: list[str], env: dict[str, str], health: str, log: Path) -> Iterator[None]:
    """Start a bot process; wait until ``health`` answers 200; SIGTERM it on exit."""
    with log.open("wb") as out:
        proc = subprocess.Popen(args, env=env, cwd=PROJECT_DIR, stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{args[0]} did not start:\n{log.read_text()[-2000:]}")
                try:
                    if httpx.get(health, timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            yield
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def bot_env(folder: Path, api_url: str, port: int) -> dict[str, str]:
    """The full bot's settings: webhook mode against the fake API."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api_url,
        DATABASE_URL=f"sqlite:///{folder}/webhook-bench.db",
        CONTENT_DIR=str(PROJECT_DIR / "content"),
        WEBHOOK_URL="https://bench.example.org/hook",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
        TIPS_RATE_LIMIT="10000",
        LOG_LEVEL="WARNING",
    )
    return env


_ids = itertools.count(1)


def faq_update(user_id: int) -> dict[str, Any]:
    """A member's ``/faq`` in their private chat."""
    return {
        "update_id": next(_ids),
        "message": {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Member"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Member"},
            "text": "/faq",
            "entities": [{"type": "bot_command", "offset": 0, "length": 4}],
        },
    }


async def post_all(url: str, count: int) -> None:
    """Post ``count`` updates, ``CONCURRENCY`` in flight; every answer must be 200."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        queue = iter(range(count))

        async def worker() -> None:
            for n in queue:
                answer = await client.post(url, json=faq_update(1 + n % USERS), headers=headers)
                answer.raise_for_status()

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


def measure(api_url: str, hook: str, count: int) -> float:
    """Updates per second: ``count`` /faq posted, replies timed on the fake API's clock."""
    arrivals(api_url, reset=True)
    asyncio.run(post_all(hook, count))
    deadline = time.monotonic() + 120
    while len(times := arrivals(api_url)) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {len(times)} of {count} replies arrived")
        time.sleep(0.05)
    arrivals(api_url, reset=True)
    return (count - 1) / (times[-1] - times[0])


def run_round(folder: Path, api_url: str, rates: dict[str, list[float]]) -> None:
    """One round: the full bot, then the bare bot, each warmed up first."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    exe = str(Path(sys.executable).parent / "fibrobot")
    with process(
        [exe, "run"], bot_env(folder, api_url, port), f"{base}/readyz", folder / "bot.log"
    ):
        measure(api_url, f"{base}/hook", 200)  # warm-up: members and caches
        rates["ours"].append(measure(api_url, f"{base}/hook", UPDATES))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [sys.executable, "-m", "tests.bench.bare_webhook_bot", str(port), api_url, SECRET]
    with process(args, dict(os.environ), f"{base}/healthz", folder / "bare.log"):
        measure(api_url, f"{base}/hook", 200)
        rates["bare"].append(measure(api_url, f"{base}/hook", UPDATES))


def run() -> list[Row]:
    """The /faq webhook rate, ours beside the bare PTB webhook bot."""
    rates: dict[str, list[float]] = {"ours": [], "bare": []}
    with tempfile.TemporaryDirectory(prefix="fibrobot-bench-") as name:
        folder = Path(name)
        with fake_server(folder) as api_url:
            for _ in range(ROUNDS):
                run_round(folder, api_url, rates)
    ratio = statistics.median(o / b for o, b in zip(rates["ours"], rates["bare"], strict=True))
    ours, bare = statistics.median(rates["ours"]), statistics.median(rates["bare"])
    return [
        Row(
            f"webhook: /faq updates per second, full bot ({UPDATES} updates, {CONCURRENCY} in"
            f" flight; median of {ROUNDS} rounds)",
            f"{ours:.0f}/s ({ratio:.2f} of bare)",
            f"bare PTB webhook bot, same rounds: {bare:.0f}/s; ratio >= 0.8",
            ratio >= 0.8,
        )
    ]
