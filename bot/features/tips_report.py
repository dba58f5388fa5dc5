"""``fibrobot subscribers``: counts for admins, and the subscription log as CSV (ids only)."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import create_engine

from bot.config import Settings
from bot.features import subscriptions as subs
from bot.storage import db
from bot.storage.models import utcnow


def today_bounds(settings: Settings, now: datetime) -> tuple[datetime, datetime]:
    """Today in the community time zone, as a UTC range."""
    today = now.astimezone(settings.zone).date()
    start = datetime.combine(today, time(0), tzinfo=settings.zone)
    return start, datetime.combine(today + timedelta(days=1), time(0), tzinfo=settings.zone)


def print_counts(settings: Settings) -> None:
    """Print subscriptions by status and today's deliveries by status."""
    engine = create_engine(db.sync_url(settings.database_url))
    start, end = today_bounds(settings, utcnow())
    with engine.connect() as connection:
        statuses: dict[str, int] = dict(connection.execute(subs.status_counts()).all())
        deliveries: dict[str, int] = dict(
            connection.execute(subs.delivery_counts(start, end)).all()
        )
    engine.dispose()
    print("Subscriptions")
    for status in (subs.ACTIVE, subs.PAUSED, subs.ENDED):
        print(f"  {status:<8} {statuses.get(status, 0):>7}")
    print(f"Deliveries due today ({start:%Y-%m-%d}, {settings.timezone})")
    for status, count in sorted(deliveries.items()):
        print(f"  {status:<8} {count:>7}")
    if not deliveries:
        print("  none yet")


def export_log(settings: Settings, path: str) -> int:
    """Write the subscription log to a CSV file; the number of events written."""
    engine = create_engine(db.sync_url(settings.database_url))
    rows = 0
    with engine.connect() as connection, Path(path).open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(subs.EVENT_COLUMNS)
        for event_id, at, member_id, kind, source in connection.execute(subs.event_log()):
            writer.writerow([event_id, at.isoformat(), member_id or "", kind, source])
            rows += 1
    engine.dispose()
    return rows
