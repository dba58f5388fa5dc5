"""Reading "when" an announcement goes out: now, a date and time, or a repeat.

Dates and relative times are read by ``dateparser``; repeats are mapped onto APScheduler's
``CronTrigger`` fields, and a raw crontab line goes through ``CronTrigger.from_crontab``.
Every time is read in the community's time zone and stored aware.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import dateparser
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

# Shortest gap allowed between two posts of one repeat: the group is not a ticker.
MIN_REPEAT_GAP = timedelta(hours=1)
MAX_LENGTH = 100
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}
# Crontab counts Sunday as 0 (and 7); APScheduler 3 counts Monday as 0. Names avoid the trap.
CRONTAB_DAYS = {"0": "sun", "1": "mon", "2": "tue", "3": "wed", "4": "thu", "5": "fri"}
CRONTAB_DAYS |= {"6": "sat", "7": "sun"}

CRON_LINE = re.compile(r"^(cron\s+)?[0-9*/,\-]+\s+[0-9*/,\-]+(\s+\S+){3}$")
CRON_FIELD = re.compile(r"^[0-9a-z*/,\-]+$")
TIME_OF_DAY = re.compile(r"\b\d{1,2}(:\d{2})?\s*(am|pm)\b|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidnight\b")
ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b")
SLASH_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}\b")
CLOCK_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
RELATIVE = re.compile(r"^in\s+\d+\s+(minute|min|hour|day|week)s?\b")
DAY_WORD = r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*"


class WhenError(ValueError):
    """A "when" the bot cannot use; ``reason`` names the text that explains why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class When:
    """When to post: ``now``, ``once`` at ``at``, or ``repeat`` by the crontab line ``cron``."""

    kind: Literal["now", "once", "repeat"]
    at: datetime | None = None
    cron: str | None = None


def parse_when(phrase: str, now: datetime, zone: ZoneInfo) -> When:
    """Read an admin's "when"; raise WhenError with a reason the admin can act on."""
    text = " ".join(phrase.lower().split())
    text = re.sub(r"^daily\b", "every day", text)
    text = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", text)
    if not text or len(text) > MAX_LENGTH:
        raise WhenError("when_unknown")
    if text in ("now", "right now", "immediately"):
        return When("now")
    repeat = repeat_cron(text)
    if repeat is not None:
        check_repeat(repeat, now, zone)
        return When("repeat", cron=repeat)
    return When("once", at=parse_date(text, now, zone))


def parse_date(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """A single date and time, in the future, in ``zone``."""
    if not RELATIVE.match(text) and not TIME_OF_DAY.search(text):
        raise WhenError("when_no_time")
    if not valid_clock_times(text):
        # dateparser drops a time it cannot read and keeps the current one instead.
        raise WhenError("when_unknown")
    slash = SLASH_DATE.search(text)
    if slash and slash.group(1) != slash.group(2) and max(map(int, slash.groups())) <= 12:
        raise WhenError("when_ambiguous")
    local_now = now.astimezone(zone).replace(tzinfo=None)
    if ISO_DATE.match(text):
        parsed = _iso(text)
    else:
        settings = {"RELATIVE_BASE": local_now, "PREFER_DATES_FROM": "future"}
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        raise WhenError("when_unknown")
    at = parsed.replace(tzinfo=zone, second=0, microsecond=0)
    if at <= now:
        raise WhenError("when_past")
    return at


def valid_clock_times(text: str) -> bool:
    """False when a ``HH:MM`` in the text is not a time of day (``25:00``, ``9:75``)."""
    return all(int(h) < 24 and int(m) < 60 for h, m in CLOCK_TIME.findall(text))


def _iso(text: str) -> datetime | None:
    """A strict year-month-day date with a time (dateparser would swap a bad month)."""
    try:
        return datetime.fromisoformat(text.replace(" at ", " ").upper().replace("T", " "))
    except ValueError:
        return None


def repeat_cron(text: str) -> str | None:
    """The crontab line of a repeat (``every monday 18:00``), or None when it is not one."""
    if CRON_LINE.match(text) and all(CRON_FIELD.match(f) for f in text.split()[-5:]):
        return crontab(" ".join(text.split()[-5:]))
    match = re.match(
        r"^(every|each)?\s*(?P<what>.+?)\s+(at\s+)?(?P<time>[\d:]+\s*(am|pm)?|noon|midnight)$",
        text,
    )
    if match is None or not (match.group(1) or _monthly(match.group("what"))):
        return None
    days = repeat_days(match.group("what"))
    if days is None:
        if match.group(1) in ("every", "each"):
            raise WhenError("when_unknown")
        return None
    hour, minute = time_of_day(match.group("time"))
    day_of_month, day_of_week = days
    return f"{minute} {hour} {day_of_month} * {day_of_week}"


def _monthly(what: str) -> bool:
    return "month" in what


# Day parts of a repeat, read as (day of month, day of week) crontab fields.
REPEAT_DAYS: tuple[tuple[str, tuple[str, str]], ...] = (
    (r"days?|daily", ("*", "*")),
    (r"(week|working) ?days?", ("*", "mon-fri")),
    (r"weekends?( days?)?", ("*", "sat,sun")),
    (r"(first|1st) day of (the|every|each) month", ("1", "*")),
    (r"last day of (the|every|each) month", ("last", "*")),
)
MONTH_DAY = re.compile(
    r"(month on (the|day) )?(?P<day>\d{1,2})(st|nd|rd|th)?( of (the|every|each) month)?"
)


def repeat_days(what: str) -> tuple[str, str] | None:
    """(day of month, day of week) fields for the day part of a repeat, or None."""
    what = what.removeprefix("the ").strip()
    for pattern, fields in REPEAT_DAYS:
        if re.fullmatch(pattern, what):
            return fields
    monthly = MONTH_DAY.fullmatch(what)
    if monthly and "month" in what and 1 <= int(monthly.group("day")) <= 28:
        return monthly.group("day"), "*"
    names = re.split(r"\s*(?:and|&|\s)\s*", what)
    if names and all(re.fullmatch(DAY_WORD, n) for n in names):
        return "*", ",".join(_day(n) for n in names)
    return None


def _day(word: str) -> str:
    short = DAY_NAMES.get(word.removesuffix("s"), word[:3])
    if short not in DAYS:
        raise WhenError("when_unknown")
    return short


def time_of_day(text: str) -> tuple[int, int]:
    """Hour and minute of ``9:00``, ``18:30``, ``6pm``, ``noon``."""
    parsed = dateparser.parse(text, languages=["en"])
    if parsed is None or not TIME_OF_DAY.search(text):
        raise WhenError("when_unknown")
    return parsed.hour, parsed.minute


def crontab(line: str) -> str:
    """A crontab line with crontab's weekday numbers turned into names; checked."""
    fields = line.split()
    fields[4] = re.sub(r"\d", lambda m: CRONTAB_DAYS.get(m.group(), m.group()), fields[4])
    normal = " ".join(fields)
    try:
        CronTrigger.from_crontab(normal)
    except ValueError:
        raise WhenError("when_bad_cron") from None
    return normal


def check_repeat(cron: str, now: datetime, zone: ZoneInfo) -> None:
    """Refuse a repeat that never fires or fires more often than once an hour."""
    times = fire_times(cron, zone, now, count=12)
    if not times:
        raise WhenError("when_bad_cron")
    if any(b - a < MIN_REPEAT_GAP for a, b in itertools.pairwise(times)):
        raise WhenError("when_too_often")


def cron_trigger(cron: str, zone: ZoneInfo) -> CronTrigger:
    """The APScheduler trigger of a stored repeat."""
    return CronTrigger.from_crontab(cron, timezone=zone)


def trigger_for(when: When, zone: ZoneInfo) -> BaseTrigger:
    """The APScheduler trigger of a one-off or a repeat."""
    if when.kind == "repeat" and when.cron:
        return cron_trigger(when.cron, zone)
    if when.at is None:
        raise ValueError("a one-off needs a time")
    return DateTrigger(run_date=when.at, timezone=zone)


def fire_times(cron: str, zone: ZoneInfo, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` times a repeat fires after ``after``."""
    trigger = cron_trigger(cron, zone)
    times: list[datetime] = []
    previous: datetime | None = None
    current = after
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, current)
        if fire is None:
            break
        times.append(fire)
        previous, current = fire, fire + timedelta(seconds=1)
    return times


def next_run(cron: str, zone: ZoneInfo, after: datetime) -> datetime | None:
    """The next time a repeat fires after ``after``."""
    times = fire_times(cron, zone, after, count=1)
    return times[0] if times else None
