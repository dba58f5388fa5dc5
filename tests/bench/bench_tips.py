"""Daily tips: selecting the due batch among 100,000 subscriptions, and sending rates.

1. 100,000 subscriptions in SQLite; a bot process (the real application on the in-process fake
   API, in a subprocess so its peak RSS is its own) runs the delivery job minute after minute
   and times the job's due-batch query each time.
2. Tips through PTB's full stack (Application, ExtBot, AIORateLimiter, HTTPXRequest, and our
   job with its database) to a fake HTTP Bot API on 127.0.0.1 (its own process):
   the limiter at 30/s over a 60-second window; then at 1,000/s, 10,000 tips, beside a bare
   PTB ``Bot`` sending the same messages to the same server with the same concurrency.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, insert, select
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Defaults, ExtBot
from telegram.request import HTTPXRequest

from bot.app import AnyApp, build_application, start_offline, stop_offline
from bot.config import PROJECT_DIR, load_settings
from bot.deps import app_deps
from bot.features import subscriptions as subs
from bot.features.content import load_content
from bot.runtime.fakeapi import FakeBotAPI
from bot.storage import db
from bot.storage.models import Subscription, TipDelivery
from handlers.subscribe import delivery_job, policy_of, tip_message
from tests.bench.common import Row

CONTENT_DIR = PROJECT_DIR / "content"
T0 = datetime(2025, 6, 2, 0, 0, tzinfo=UTC)
SUBSCRIPTIONS = 100_000
SELECT_MINUTES = 40
ROUNDS = 3  # interleaved rounds of the 1000/s comparison
BARE_BATCH = 100
NO_PREVIEW = LinkPreviewOptions(
    is_disabled=True
)  # the bare loop's concurrency: the job's batch at 1000/s
ZONES = (
    "Europe/Madrid", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Lisbon",
    "Europe/Rome", "Europe/Athens", "America/New_York", "America/Chicago", "America/Denver",
    "America/Los_Angeles", "America/Mexico_City", "America/Bogota", "America/Lima",
    "America/Argentina/Buenos_Aires", "America/Santiago", "America/Sao_Paulo", "Asia/Kolkata",
    "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "Africa/Johannesburg", "UTC",
    "UTC+02:00",
)  # fmt: skip
COMMON = tuple(clock_time(h) for h in (7, 8, 9, 10, 12, 15, 18, 20))
TOKEN = "123456:bench-token"


# --- Seeding ----------------------------------------------------------------------------------


def seed(url: str, count: int, due: datetime | None = None) -> None:
    """Insert ``count`` active subscriptions: at common times mostly, over many zones.

    With ``due`` every subscription is due at that moment (the sending benchmarks).
    """
    db.upgrade(url)
    rng = random.Random(3)
    rows = []
    for member_id in range(1, count + 1):
        zone = rng.choice(ZONES)
        at = rng.choice(COMMON)
        if rng.random() < 0.4:  # the rest type their own time, on the quarter hour
            at = clock_time(rng.randrange(6, 22), rng.choice((0, 15, 30, 45)))
        next_due = due or subs.next_due(at, zone, T0 + timedelta(hours=8))[0]
        rows.append(
            {"member_id": member_id, "status": "active", "local_time": at, "time_zone": zone,
             "next_due_utc": next_due, "created_at": T0, "updated_at": T0}
        )  # fmt: skip
    engine = create_engine(db.sync_url(url))
    with engine.begin() as connection:
        for start in range(0, len(rows), 5000):
            connection.execute(insert(Subscription), rows[start : start + 5000])
    engine.dispose()


def settings_for(url: str, api_url: str | None = None, rate: float = 30.0) -> Any:
    """Settings for a benchmark bot."""
    extra: dict[str, Any] = {}
    if api_url:
        extra = {"telegram_api_url": api_url, "telegram_bot_token": TOKEN}
    return load_settings(
        database_url=url, content_dir=CONTENT_DIR, tips_rate_limit=rate, log_level="WARNING",
        **extra,
    )  # fmt: skip


async def started(settings: Any, request: Any = None, limiter: Any = None) -> AnyApp:
    """The real application, started, with its minute job paused (the benchmark drives it)."""
    application = build_application(settings, request, rate_limiter=limiter)
    await start_offline(application)
    for job in application.job_queue.jobs():
        job.pause()
    return application


class JobContext:
    """What the minute job reads from its context."""

    def __init__(self, application: AnyApp) -> None:
        self.application = application
        self.bot = application.bot
        self.bot_data = application.bot_data


async def deliver(application: AnyApp, now: datetime) -> dict[str, int]:
    """One run of the real minute job at ``now``; deliveries by status afterwards."""
    deps = app_deps(application)
    deps.clock = lambda: now
    await delivery_job(JobContext(application))  # type: ignore[arg-type]
    async with deps.transaction() as session:
        counted = await session.execute(
            select(TipDelivery.status, func.count()).group_by(TipDelivery.status)
        )
        return dict(counted.all())


class LeanFakeAPI(FakeBotAPI):
    """The in-process fake Bot API, keeping nothing: its memory is not the bot's."""

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Answer like the fake API, then forget the call and the message."""
        answer = await super().do_request(url, method, *args, **kwargs)
        self.calls.clear()
        self.messages.clear()
        return answer


# --- 1. The due batch among 100,000 subscriptions (in a subprocess) ---------------------------


async def select_worker(url: str) -> dict[str, Any]:
    """In the bot process: each due minute, time the job's query, then run the job."""
    application = await started(
        settings_for(url), LeanFakeAPI(), AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    )
    deps = app_deps(application)
    batch = policy_of(deps).batch
    async with deps.transaction() as session:
        minutes = list(
            await session.scalars(
                select(Subscription.next_due_utc).distinct().order_by(Subscription.next_due_utc)
                .where(Subscription.next_due_utc >= T0 + timedelta(hours=8)).limit(SELECT_MINUTES)
            )
        )  # fmt: skip
    batch_times, minute_times, sizes = [], [], []
    for minute in minutes:
        assert minute is not None
        due = select(Subscription).where(Subscription.next_due_utc <= minute)
        async with deps.transaction() as session:
            started_at = time.perf_counter()
            list(await session.scalars(due.order_by(Subscription.next_due_utc).limit(batch)))
            batch_times.append(time.perf_counter() - started_at)
            started_at = time.perf_counter()
            sizes.append(len(list(await session.scalars(due))))
            minute_times.append(time.perf_counter() - started_at)
        await deliver(application, minute)
    async with deps.transaction() as session:
        sent = await session.scalar(select(func.count()).select_from(TipDelivery))
    await stop_offline(application)
    return {
        "batch_ms": statistics.median(batch_times) * 1000,
        "minute_ms": statistics.median(minute_times) * 1000,
        "minute_rows": statistics.median(sizes),
        "max_rows": max(sizes),
        "minutes": len(minutes),
        "sent": sent,
        "batch": batch,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def bench_select(folder: Path) -> list[Row]:
    """Seed 100,000 subscriptions, then run the select worker in its own process."""
    url = f"sqlite:///{folder}/select.db"
    seed(url, SUBSCRIPTIONS)
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_tips", "select-worker", url],
        capture_output=True, text=True, check=True, timeout=900, cwd=PROJECT_DIR,
    )  # fmt: skip
    got = json.loads(result.stdout.strip().splitlines()[-1])
    where = f"{SUBSCRIPTIONS:,} subscriptions, SQLite, median of {got['minutes']} due minutes"
    return [
        Row(
            f"tips: select the job's due batch ({got['batch']} rows; {where})",
            f"{got['batch_ms']:.2f} ms", "<= 20 ms", got["batch_ms"] <= 20,
        ),
        Row(
            f"tips: select all rows due in a minute (median {got['minute_rows']:.0f},"
            f" max {got['max_rows']}; {where})",
            f"{got['minute_ms']:.2f} ms", "<= 20 ms", got["minute_ms"] <= 20,
        ),
        Row(
            f"tips: bot process peak RSS (job over those minutes, {got['sent']:,} tips sent)",
            f"{got['rss_mb']:.0f} MB", "<= 200 MB", got["rss_mb"] <= 200,
        ),
    ]  # fmt: skip


# --- 2. Sending through PTB to a local fake HTTP Bot API --------------------------------------


@contextmanager
def fake_server(folder: Path) -> Iterator[str]:
    """The fake HTTP Bot API in its own process, on 127.0.0.1; stopped on exit."""
    port_file = folder / "port"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.fake_http_api", str(port_file)], cwd=PROJECT_DIR
    )
    try:
        deadline = time.monotonic() + 20
        while not (port_file.exists() and port_file.read_text()):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the fake Bot API did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port_file.read_text()}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def arrivals(api_url: str, reset: bool = False) -> list[float]:
    """Arrival times of the messages the fake server received (and forget them)."""
    stats = httpx.get(f"{api_url}/stats", timeout=30).json()["arrivals"]
    if reset:
        httpx.get(f"{api_url}/reset", timeout=30)
    return [float(t) for t in stats]


async def send_through_bot(
    folder: Path, api_url: str, rate: float, count: int, name: str = "send"
) -> float:
    """Our job sends ``count`` due tips through the full stack; seconds it took."""
    url = f"sqlite:///{folder}/{name}-{int(rate)}.db"
    seed(url, count, due=T0)
    application = await started(settings_for(url, api_url, rate))
    try:
        began = time.perf_counter()
        counts = await deliver(application, T0)
        elapsed = time.perf_counter() - began
    finally:
        await stop_offline(application)
    if counts.get("sent") != count:
        raise RuntimeError(f"expected {count} sent, got {counts}")
    return elapsed


async def send_bare(api_url: str, count: int, batch: int) -> float:
    """A bare PTB ``Bot`` sends the same messages, same concurrency, no limiter, no database.

    Same messages: the tip's text and button, with the parse mode and link-preview option
    the application's Defaults add to every message.
    """
    content = load_content(CONTENT_DIR)
    tip = content.tips[0]
    text, markup = tip_message(content, tip, "FibroBenchBot")
    request = HTTPXRequest(connection_pool_size=256)
    async with Bot(TOKEN, base_url=f"{api_url}/bot", request=request) as bot:

        async def send(chat_id: int) -> None:
            await bot.send_message(
                chat_id, text, reply_markup=markup, parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
            )  # fmt: skip

        began = time.perf_counter()
        for start in range(0, count, batch):
            size = min(batch, count - start)
            await asyncio.gather(*(send(start + n + 1) for n in range(size)))
        return time.perf_counter() - began


async def send_stack(api_url: str, count: int, batch: int) -> float:
    """PTB's stack alone: ExtBot with the app's Defaults and AIORateLimiter at 1000/s."""
    content = load_content(CONTENT_DIR)
    text, markup = tip_message(content, content.tips[0], "FibroBenchBot")
    bot = ExtBot(
        TOKEN, base_url=f"{api_url}/bot", request=HTTPXRequest(connection_pool_size=256),
        defaults=Defaults(parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW),
        rate_limiter=AIORateLimiter(overall_max_rate=1000, max_retries=3),
    )  # fmt: skip
    async with bot:
        began = time.perf_counter()
        for start in range(0, count, batch):
            size = min(batch, count - start)
            await asyncio.gather(
                *(bot.send_message(start + n + 1, text, reply_markup=markup) for n in range(size))
            )
        return time.perf_counter() - began


def compare_at_1000(folder: Path, api_url: str) -> dict[str, list[float]]:
    """Interleaved rounds of the bare loop, PTB's stack alone, and our job: rates."""
    rates: dict[str, list[float]] = {"bare": [], "stack": [], "ours": []}
    for round_number in range(ROUNDS):
        rates["bare"].append(10_000 / asyncio.run(send_bare(api_url, 10_000, BARE_BATCH)))
        rates["stack"].append(10_000 / asyncio.run(send_stack(api_url, 10_000, BARE_BATCH)))
        seconds = asyncio.run(
            send_through_bot(folder, api_url, 1000, 10_000, f"round{round_number}")
        )
        rates["ours"].append(10_000 / seconds)
        arrivals(api_url, reset=True)
    return rates


def median_ratio(rates: dict[str, list[float]], name: str) -> float:
    """The median over rounds of ``name``'s rate over the bare loop's in the same round."""
    return statistics.median(r / b for r, b in zip(rates[name], rates["bare"], strict=True))


def bench_rates(folder: Path) -> list[Row]:
    """The 30/s window, then 10,000 tips at 1,000/s beside the bare PTB loop."""
    with fake_server(folder) as api_url:
        arrivals(api_url, reset=True)
        asyncio.run(send_through_bot(folder, api_url, 30, 30 * 70))
        times = arrivals(api_url, reset=True)
        first = times[0] + 1.0  # after the limiter's first burst
        window = sum(1 for t in times if first <= t < first + 60) / 60
        # Interleaved rounds, medians: the machine's other load moves all alike.
        rates = compare_at_1000(folder, api_url)
    ours, stack = median_ratio(rates, "ours"), median_ratio(rates, "stack")
    bare = statistics.median(rates["bare"])
    # Issue 8: the job's database work stays off the sending path, so the job keeps up with
    # PTB's stack alone (same limiter, same batches, no database) in the same rounds.
    of_stack = statistics.median(o / s for o, s in zip(rates["ours"], rates["stack"], strict=True))
    return [
        Row(
            "tips: limiter at 30/s, rate over a 60 s window (full stack, fake HTTP API)",
            f"{window:.2f}/s ({window / 30:.3f} of limit)", ">= 0.95 of 30/s", window >= 28.5,
        ),
        Row(
            f"tips: limiter at 1000/s, 10,000 tips (job + SQLite + PTB full stack;"
            f" median of {ROUNDS} rounds)",
            f"{statistics.median(rates['ours']):.0f}/s ({ours:.2f} of bare)",
            f"bare PTB Bot, same rounds: {bare:.0f}/s; ratio >= 0.8", ours >= 0.8,
        ),
        Row(
            "tips: for reference, PTB's stack alone at 1000/s (ExtBot, Defaults, limiter)",
            f"{statistics.median(rates['stack']):.0f}/s ({stack:.2f} of bare)",
            "same rounds; no target", True,
        ),
        Row(
            f"tips: our job beside PTB's stack alone at 1000/s (median of {ROUNDS} rounds)",
            f"{of_stack:.2f} of the stack",
            ">= 0.95 (same rounds, same fake API)", of_stack >= 0.95,
        ),
    ]  # fmt: skip


def run() -> list[Row]:
    """Every daily-tips benchmark."""
    with tempfile.TemporaryDirectory(prefix="fibrobot-bench-") as name:
        folder = Path(name)
        return bench_select(folder) + bench_rates(folder)


if __name__ == "__main__":
    if sys.argv[1:2] == ["select-worker"]:
        os.environ.setdefault("PYTHONHASHSEED", "0")
        print(json.dumps(asyncio.run(select_worker(sys.argv[2]))))
