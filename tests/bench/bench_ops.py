"""Operations: what the metrics cost per Bot API call, and how long a verified backup takes."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram.ext import AIORateLimiter, BaseRateLimiter, ExtBot

from bot.runtime.fakeapi import FakeBotAPI
from bot.runtime.metrics import MeteredLimiter, Metrics
from bot.storage import db
from bot.storage.backup import backup
from tests.bench.common import Row, median_seconds

CALLS = 2000
SUBSCRIBERS = 20_000
DAYS = 5  # deliveries: SUBSCRIBERS x DAYS rows


async def seconds_per_call(limiter: BaseRateLimiter[object]) -> float:
    """Mean time of one sendMessage through the limiter, on the in-process fake API."""
    api = FakeBotAPI()
    bot = ExtBot("123456789:bench-token", request=api, rate_limiter=limiter)
    await bot.initialize()
    try:
        started = time.perf_counter()
        for _ in range(CALLS):
            await bot.send_message(1001, "A calm tip.")
        return (time.perf_counter() - started) / CALLS
    finally:
        await bot.shutdown()


def unlimited() -> AIORateLimiter:
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0)


def metrics_rows() -> list[Row]:
    """Best of three runs each, interleaved, so the machine's load affects both alike."""
    bare, metered = [], []
    for _ in range(3):
        bare.append(asyncio.run(seconds_per_call(unlimited())))
        metered.append(asyncio.run(seconds_per_call(MeteredLimiter(unlimited(), Metrics()))))
    ours, reference = min(metered), min(bare)
    overhead = ours / reference - 1
    return [
        Row(
            f"sendMessage with metrics (best of 3 x {CALLS})",
            f"{ours * 1e6:.0f} µs/call ({overhead:+.0%})",
            f"<= +10% (without metrics: {reference * 1e6:.0f} µs/call)",
            overhead <= 0.10,
        )
    ]


def fill(path: Path) -> None:
    """A database the size of a large community after a few days of tips."""
    url = f"sqlite:///{path}"
    db.upgrade(url)
    now = datetime(2025, 6, 2, 8, tzinfo=UTC)
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO subscriptions (member_id, status, local_time, time_zone, next_due_utc,"
            " created_at, updated_at) VALUES (?, 'active', '10:00:00', 'UTC', ?, ?, ?)",
            ((10_000 + i, now, now, now) for i in range(SUBSCRIBERS)),
        )
        conn.executemany(
            "INSERT INTO tip_deliveries (subscription_id, local_date, tip_id, status, attempts,"
            " due_at, sent_at) VALUES (?, ?, 'pacing', 'sent', 1, ?, ?)",
            (
                (sub, (now - timedelta(days=day)).date(), now, now)
                for day in range(DAYS)
                for sub in range(1, SUBSCRIBERS + 1)
            ),
        )


def backup_rows() -> list[Row]:
    """A verified online backup, beside a plain file copy of the same database."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "fibrobot.db"
        fill(source)
        size = source.stat().st_size / 1e6
        counter = iter(range(100))

        def ours() -> None:
            backup(f"sqlite:///{source}", Path(folder) / f"copy-{next(counter)}.db")

        def plain() -> None:
            shutil.copyfile(source, Path(folder) / f"plain-{next(counter)}.db")

        ours_s, plain_s = median_seconds(ours, 3), median_seconds(plain, 3)
    return [
        Row(
            f"db backup, verified ({SUBSCRIBERS * DAYS} deliveries, {size:.0f} MB, median of 3)",
            f"{ours_s:.2f} s",
            f"<= 10 s (plain file copy: {plain_s:.2f} s)",
            ours_s <= 10.0,
        )
    ]


def run() -> list[Row]:
    """Both figures."""
    return metrics_rows() + backup_rows()
