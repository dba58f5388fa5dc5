"""Daily-tip subscriptions: reading times and zones, computing when a tip is due, data functions.

Due times: a member chooses a wall-clock time in a zone; the next tip is due at the first
moment after now when the clock there shows that time. Daylight saving is zoneinfo's job:
a time the clocks skip (02:30 on a spring-forward night) moves forward by the gap (03:30),
and a time the clocks pass twice (autumn) is taken the first time only. One tip per local
date is enforced by the database (see ``bot.features.delivery``), never by arithmetic alone.

Data functions take the caller's session and never commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.text import without_accents
from bot.storage.models import Subscription, SubscriptionEvent, TipDelivery, utcnow
from bot.storage.privacy import Fact

ACTIVE, PAUSED, ENDED = "active", "paused", "ended"
DEFAULT_TIME = time(10, 0)
SYSTEM = "system"
PAUSE_DAYS = (3, 7, 14)

# The event log's kinds.
SUBSCRIBED, TIME_CHANGED, ZONE_CHANGED = "subscribed", "time_changed", "zone_changed"
PAUSED_EVENT, RESUMED, UNSUBSCRIBED = "paused", "resumed", "unsubscribed"
BLOCKED, FORGOTTEN = "blocked", "forgotten"

_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+\-−])\s*(\d{1,2})(?:\s*:?\s*(\d{2}))?$")
_AREAS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/",
          "Indian/", "Pacific/")  # fmt: skip


# --- Reading what members type ---------------------------------------------------------------


def parse_time(text: str) -> time | None:
    """A time of day from ``9``, ``9:30``, ``09.30``, ``18h00`` or ``7 pm``; None if invalid."""
    match = _TIME.match(text.strip().lower())
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[3].startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def format_offset(minutes: int) -> str:
    """The canonical name of a fixed offset: ``UTC``, ``UTC+02:00``, ``UTC-03:30``."""
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def _parse_offset(text: str) -> str | None:
    match = _OFFSET.match(text)
    if match is None:
        return None
    hours, minutes = int(match[2]), int(match[3] or 0)
    if hours > 14 or minutes not in (0, 15, 30, 45) or hours * 60 + minutes > 14 * 60:
        return None
    sign = -1 if match[1] in "-−" else 1
    return format_offset(sign * (hours * 60 + minutes))


def _key(text: str) -> str:
    """A typed place as looked up: "São  Paulo" and "sao_paulo" are both "sao paulo"."""
    return re.sub(r"[\s_]+", " ", without_accents(text.strip().lower()))


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Lower-case IANA names, and city names of the geographic zones, to the IANA name."""
    names: dict[str, str] = {}
    zones = sorted(available_timezones())
    for name in zones:
        names[_key(name)] = name
    for name in zones:
        if name.startswith(_AREAS):
            names.setdefault(_key(name.rsplit("/", 1)[-1]), name)
    return names


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, ...]]:
    """Country names (from tzdata's iso3166.tab) to their zones (zone.tab), main one first."""
    folder = resources.files("tzdata.zoneinfo")
    codes: dict[str, str] = {}
    for line in folder.joinpath("iso3166.tab").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t")[:2]
            codes[code] = name
    zones: dict[str, list[str]] = {}
    for line in folder.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, _, zone = line.split("\t")[:3]
            zones.setdefault(_key(codes.get(code, code)), []).append(zone)
    return {name: tuple(found) for name, found in zones.items()}


@dataclass(frozen=True)
class ZoneAnswer:
    """What a typed zone means: one zone, several to choose from (a country), or nothing."""

    zone: str | None = None
    choices: tuple[str, ...] = ()


def parse_zone(text: str) -> ZoneAnswer:
    """A zone from a city (``Madrid``), IANA name, offset (``UTC+2``) or country name."""
    key = _key(text)
    if key in ("utc", "gmt", "z"):
        return ZoneAnswer("UTC")
    offset = _parse_offset(key)
    if offset is not None:
        return ZoneAnswer(offset)
    if key in _zone_names():
        return ZoneAnswer(_zone_names()[key])
    choices = _countries().get(key, ())
    if len(choices) == 1:
        return ZoneAnswer(choices[0])
    return ZoneAnswer(None, choices)


@lru_cache(maxsize=1024)  # ZoneInfo's own cache keeps only a few zones
def zone_info(name: str) -> tzinfo:
    """The tzinfo of a stored zone name: an IANA zone, or a fixed ``UTC±hh:mm`` offset."""
    if name.startswith("UTC") and len(name) > 3:
        sign = -1 if name[3] == "-" else 1
        hours, minutes = int(name[4:6]), int(name[7:9])
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    return ZoneInfo(name)


def is_valid_zone(name: str) -> bool:
    """True for a zone name this module can store (what buttons carry is checked again)."""
    return parse_zone(name).zone == name


# --- When the next tip is due ---------------------------------------------------------------


def moment(day: date, at: time, zone: tzinfo) -> datetime:
    """The UTC instant when the clock in ``zone`` shows ``at`` on ``day`` (see module doc)."""
    # fold=0: a skipped time reads with the offset before the jump, i.e. later by the gap;
    # a repeated time is its first occurrence.
    return datetime.combine(day, at.replace(fold=0), tzinfo=zone).astimezone(UTC)


def next_due(
    at: time, zone_name: str, after: datetime, not_before: date | None = None
) -> tuple[datetime, date]:
    """The first due moment strictly after ``after`` (UTC), and its local date."""
    zone = zone_info(zone_name)
    day = after.astimezone(zone).date()
    if not_before is not None and day < not_before:
        day = not_before
    while (due := moment(day, at, zone)) <= after:
        day += timedelta(days=1)
    return due, day


def local_date(due: datetime, zone_name: str) -> date:
    """The local calendar date of a due moment."""
    return due.astimezone(zone_info(zone_name)).date()


# --- Data functions (the caller's session; they never commit) --------------------------------


async def get_subscription(session: AsyncSession, member_id: int) -> Subscription | None:
    """The member's subscription, whatever its status."""
    return await session.scalar(select(Subscription).where(Subscription.member_id == member_id))


def log_event(
    session: AsyncSession, member_id: int | None, kind: str, source: str, at: datetime
) -> None:
    """Append one event to the subscription log."""
    session.add(SubscriptionEvent(member_id=member_id, kind=kind, source=source, at=at))


async def last_tip_date(session: AsyncSession, subscription_id: int) -> date | None:
    """The latest local date with a tip recorded (sent, claimed or missed) for a subscription."""
    return await session.scalar(
        select(func.max(TipDelivery.local_date)).where(
            TipDelivery.subscription_id == subscription_id
        )
    )


async def reschedule(session: AsyncSession, sub: Subscription, now: datetime) -> None:
    """Set the next due moment: after now (after the pause), never a date already served."""
    if sub.status == ENDED:
        sub.next_due_utc = None
        return
    after = max(now, sub.paused_until) if sub.paused_until is not None else now
    last = await last_tip_date(session, sub.id) if sub.id is not None else None
    not_before = last + timedelta(days=1) if last is not None else None
    sub.next_due_utc, _ = next_due(sub.local_time, sub.time_zone, after, not_before)


async def subscribe(
    session: AsyncSession,
    member_id: int,
    at: time,
    zone: str,
    *,
    now: datetime,
    source: str,
    language: str | None = None,
) -> Subscription:
    """Start (or restart) a member's daily tips at ``at`` in ``zone``, in ``language``."""
    sub = await get_subscription(session, member_id)
    if sub is None:
        sub = Subscription(member_id=member_id, created_at=now)
        session.add(sub)
    sub.status, sub.local_time, sub.time_zone, sub.paused_until = ACTIVE, at, zone, None
    sub.language = language
    sub.updated_at = now
    await session.flush()
    await reschedule(session, sub, now)
    log_event(session, member_id, SUBSCRIBED, source, now)
    return sub


async def change_time(
    session: AsyncSession, sub: Subscription, at: time, now: datetime, source: str
) -> None:
    """Move the daily tip to another local time."""
    sub.local_time, sub.updated_at = at, now
    await reschedule(session, sub, now)
    log_event(session, sub.member_id, TIME_CHANGED, source, now)


async def change_zone(
    session: AsyncSession, sub: Subscription, zone: str, now: datetime, source: str
) -> None:
    """Move the daily tip to another time zone."""
    sub.time_zone, sub.updated_at = zone, now
    await reschedule(session, sub, now)
    log_event(session, sub.member_id, ZONE_CHANGED, source, now)


async def pause(
    session: AsyncSession, sub: Subscription, days: int, now: datetime, source: str
) -> None:
    """A flare-up pause: no tips for ``days`` days, then they resume by themselves."""
    sub.status, sub.paused_until, sub.updated_at = PAUSED, now + timedelta(days=days), now
    await reschedule(session, sub, now)
    log_event(session, sub.member_id, PAUSED_EVENT, source, now)


async def resume(session: AsyncSession, sub: Subscription, now: datetime, source: str) -> None:
    """End a pause (the member asked, or the pause ran out)."""
    sub.status, sub.paused_until, sub.updated_at = ACTIVE, None, now
    await reschedule(session, sub, now)
    log_event(session, sub.member_id, RESUMED, source, now)


async def end(
    session: AsyncSession, sub: Subscription, kind: str, now: datetime, source: str
) -> None:
    """Stop the tips: the member unsubscribed, or Telegram says they blocked the bot."""
    sub.status, sub.paused_until, sub.next_due_utc, sub.updated_at = ENDED, None, None, now
    log_event(session, sub.member_id, kind, source, now)


# --- Personal data (/mydata, /forget) --------------------------------------------------------


async def erase_subscription(session: AsyncSession, member_id: int) -> int:
    """Delete the subscription and its deliveries; blank the id in the log; log ``forgotten``."""
    sub_ids = select(Subscription.id).where(Subscription.member_id == member_id)
    erased = await session.execute(
        delete(TipDelivery).where(TipDelivery.subscription_id.in_(sub_ids))
    )
    subs = await session.execute(delete(Subscription).where(Subscription.member_id == member_id))
    events = await session.execute(
        update(SubscriptionEvent)
        .where(SubscriptionEvent.member_id == member_id)
        .values(member_id=None)
    )
    total = sum(int(getattr(r, "rowcount", 0) or 0) for r in (erased, subs, events))
    if total:
        log_event(session, None, FORGOTTEN, "/forget", utcnow())
    return total


async def subscription_facts(session: AsyncSession, member_id: int) -> list[Fact]:
    """What is stored about a member's tips (ids, times, zones, states, language), as lines."""
    sub = await get_subscription(session, member_id)
    lines: list[Fact] = []
    if sub is not None:
        at = f"{sub.local_time:%H:%M}"
        lines.append(
            ("data_tips_status", {"status": sub.status, "time": at, "zone": sub.time_zone})
        )
        if sub.paused_until is not None:
            lines.append(("data_tips_paused", {"until": f"{sub.paused_until:%Y-%m-%d %H:%M} UTC"}))
        if sub.next_due_utc is not None:
            lines.append(("data_tips_next", {"when": f"{sub.next_due_utc:%Y-%m-%d %H:%M} UTC"}))
        lines.append(("data_tips_since", {"date": f"{sub.created_at:%Y-%m-%d} (UTC)"}))
        if sub.language is not None:
            lines.append(("data_tips_language", {"language": sub.language}))
        count = await session.scalar(
            select(func.count()).where(TipDelivery.subscription_id == sub.id)
        )
        lines.append(("data_tips_records", {"count": count or 0}))
    events = await session.scalar(
        select(func.count()).where(SubscriptionEvent.member_id == member_id)
    )
    if events:
        lines.append(("data_tips_log", {"count": events}))
    return lines


# --- For admins (``fibrobot subscribers``) ---------------------------------------------------


def status_counts() -> Select:
    """Subscriptions by status."""
    return (
        select(Subscription.status, func.count())
        .group_by(Subscription.status)
        .order_by(Subscription.status)
    )


def delivery_counts(start: datetime, end: datetime) -> Select:
    """Deliveries due between ``start`` and ``end``, by status."""
    return (
        select(TipDelivery.status, func.count())
        .where(TipDelivery.due_at >= start, TipDelivery.due_at < end)
        .group_by(TipDelivery.status)
        .order_by(TipDelivery.status)
    )


EVENT_COLUMNS = ("event_id", "at_utc", "member_id", "event", "source")


def event_log() -> Select:
    """The subscription log, oldest first: ids, times, kinds and sources only."""
    return select(
        SubscriptionEvent.id,
        SubscriptionEvent.at,
        SubscriptionEvent.member_id,
        SubscriptionEvent.kind,
        SubscriptionEvent.source,
    ).order_by(SubscriptionEvent.id)
