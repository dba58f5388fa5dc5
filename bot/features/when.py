"""Reading "when" an announcement goes out: now, a date and time, a span, or a repeat.

Dates are read by ``dateparser``; spans ("in 1h30m", "in 1.5 hours") by our own small reader,
since dateparser refuses most of them; repeats are mapped onto APScheduler's ``CronTrigger``
fields, and a raw crontab line goes through ``CronTrigger.from_crontab``. A repeat every N
weeks or days ("every other friday 19:00") is a CronTrigger that fires only on every N-th
week or day counted from a start date, which is stored with it (see ``StepTrigger``).
Every time is read in the community's time zone and stored aware.

A refused phrase raises ``WhenError`` whose ``reason`` names the text admins read and whose
``fields`` fill it with what they typed ("in 90" gets "in 90 minutes" as the example).
"""

from __future__ import annotations

import calendar
import difflib
import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import dateparser
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

# Shortest gap allowed between two posts of one repeat: the group is not a ticker.
MIN_REPEAT_GAP = timedelta(hours=1)
MAX_LENGTH = 100
MAX_STEP = 52  # "every 52 weeks" is a yearly post; more is surely a typo
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
DAY_LIKENESS = 0.8  # difflib ratio from which a word is a misspelt day: "fridy", "wendsday"
DAY_SHORT_FORMS = {"tues": "tue", "weds": "wed", "thur": "thu", "thurs": "thu"}
# Crontab counts Sunday as 0 (and 7); APScheduler 3 counts Monday as 0. Names avoid the trap.
CRONTAB_DAYS = {"0": "sun", "1": "mon", "2": "tue", "3": "wed", "4": "thu", "5": "fri"}
CRONTAB_DAYS |= {"6": "sat", "7": "sun"}

CRON_LINE = re.compile(r"^(cron\s+)?[0-9*/,\-]+\s+[0-9*/,\-]+(\s+\S+){3}$")
CRON_FIELD = re.compile(r"^[0-9a-z*/,\-]+$")
TIME_OF_DAY = re.compile(r"\b\d{1,2}(:\d{2})?\s*(am|pm)\b|\b\d{1,2}:\d{2}\b|\bnoon\b|\bmidnight\b")
ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b")
SLASH_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}\b")
# "tomorrow at 9": 9:00 or 21:00? An hour alone is asked again, never guessed.
BARE_HOUR = re.compile(r"(?:^|\s)(?:at\s+)?(?P<hour>\d{1,2})$")
CLOCK_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
DAY_WORD = r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*"
# Example time of day put into hints ("every monday" -> "every monday 9:00").
EXAMPLE_TIME = "9:00"

# --- Spans: "in 2h", "in 1h30m", "in 1.5 hours", "in an hour and a half" ----------------------
SPAN_UNITS = {
    "minutes": ("m", "min", "mins", "minute", "minutes"),
    "hours": ("h", "hr", "hrs", "hour", "hours"),
    "days": ("d", "day", "days"),
    "weeks": ("w", "wk", "wks", "week", "weeks"),
    "months": ("month", "months"),
}
UNIT_OF = {word: unit for unit, words in SPAN_UNITS.items() for word in words}
MAX_SPAN_DAYS = 2 * 366  # a one-off further ahead is a date, and surely not a span
SPAN_NUMBERS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "twelve": "12",
    "fifteen": "15",
    "twenty": "20",
    "thirty": "30",
    "forty-five": "45",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "ninety": "90",
}
SPAN_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
SPAN_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(SPAN_NUMBERS) + r")\b")
SPAN_WORDS = (
    (re.compile(r"\bhalf an? hour\b"), "30 minutes"),
    (re.compile(r"\b(?:an?|1) (\w+) and a half\b"), r"1.5 \1"),
    (re.compile(r"\b(\d+) and a half (\w+)"), r"\1.5 \2"),
    (re.compile(r"\ban? (?=[a-z])"), "1 "),
    (re.compile(r"(?<=\d),(?=\d)"), "."),  # "1,5 hours" as written in much of Europe
    (re.compile(r"\s*(?:\band\b|,)\s*"), " "),
)
SPAN_AT = re.compile(r"^(?P<span>.+?)\s+at\s+(?P<time>.+)$")

# --- Repeats every N weeks or days: "every other friday 19:00", "every 2 weeks on monday" ---
STEP_WORDS = {"other": 2, "second": 2, "two": 2, "three": 3, "four": 4}
FORTNIGHTLY = re.compile(r"^(?:fortnightly|(?:every|each) fortnight)\b")
STEP = re.compile(
    r"^(?:every|each) (?P<n>\d+|other|second|two|three|four)(?: (?P<unit>week|day)s?\b)?"
    r"(?: on)?(?: the)?\s*"
)
OTHER_UNITS = re.compile(r"^(?:minute|min|hour|hr|month|year)s?\b")
START = re.compile(r"\s+(?:from|starting(?: on| from)?|beginning(?: on)?)\s+(?P<date>.+)$")
STEP_SPEC = re.compile(
    r"^(?P<cron>.+?) every (?P<n>\d+) (?P<unit>weeks|days) from (?P<start>\d{4}-\d{2}-\d{2})$"
)


class WhenError(ValueError):
    """A "when" the bot cannot use.

    Attributes:
        reason: The key of the text that explains why (``when_no_time``...).
        fields: What fills that text, taken from what was typed (already plain text; the
            caller escapes it for HTML).
    """

    def __init__(self, reason: str, **fields: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fields = fields


@dataclass(frozen=True)
class When:
    """When to post: ``now``, ``once`` at ``at``, or ``repeat`` by the repeat line ``cron``.

    ``cron`` is a crontab line, optionally followed by ``every N weeks|days from YYYY-MM-DD``
    (the start date counts the steps: see ``StepTrigger``). ``floating`` is True when that
    start was taken from ``now`` because none was typed, so it must be stored, not re-read.
    """

    kind: Literal["now", "once", "repeat"]
    at: datetime | None = None
    cron: str | None = None
    floating: bool = field(default=False, compare=False)


def parse_when(phrase: str, now: datetime, zone: ZoneInfo) -> When:
    """Read an admin's "when"; raise WhenError with a reason the admin can act on."""
    text = " ".join(phrase.lower().split())
    text = re.sub(r"^daily\b", "every day", text)
    text = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", text)
    if not text or len(text) > MAX_LENGTH:
        raise WhenError("when_unknown")
    if text in ("now", "right now", "immediately"):
        return When("now")
    if text.startswith("in "):
        return When("once", at=parse_span(text, now, zone))
    repeat = repeat_line(text, now, zone)
    if repeat is not None:
        check_repeat(repeat.cron or "", now, zone)
        return repeat
    return When("once", at=parse_date(text, now, zone))


# --- One-offs --------------------------------------------------------------------------------


def parse_date(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """A single date and time, in the future, in ``zone``."""
    if not valid_clock_times(text):
        # dateparser drops a time it cannot read and keeps the current one instead.
        raise WhenError("when_unknown")
    clock = TIME_OF_DAY.search(text)
    if clock is None:
        _refuse_a_bare_hour(text)
        raise _no_time_or_unknown(text, now, zone)
    if text.removeprefix("at ") == clock.group(0):
        raise WhenError("when_no_day", time=clock.group(0))
    slash = SLASH_DATE.search(text)
    if slash and slash.group(1) != slash.group(2) and max(map(int, slash.groups())) <= 12:
        raise WhenError("when_ambiguous")
    parsed = _iso(text) if ISO_DATE.match(text) else _dateparser(text, now, zone)
    if parsed is None:
        raise _unknown_word(text)
    at = parsed.replace(tzinfo=zone, second=0, microsecond=0)
    if at <= now:
        raise WhenError("when_past", when=show(at, zone))
    return at


def _dateparser(text: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The date dateparser reads, relative to ``now`` in ``zone`` (naive, local)."""
    local_now = now.astimezone(zone).replace(tzinfo=None)
    settings = {"RELATIVE_BASE": local_now, "PREFER_DATES_FROM": "future"}
    return dateparser.parse(text, languages=["en"], settings=settings)


def _refuse_a_bare_hour(text: str) -> None:
    """Raise ``when_bare_hour`` for "tomorrow at 9", naming the hour typed."""
    bare = BARE_HOUR.search(text)
    if bare is not None and int(bare.group("hour")) < 24 and not ISO_DATE.fullmatch(text):
        raise WhenError("when_bare_hour", hour=bare.group("hour"))


def _no_time_or_unknown(text: str, now: datetime, zone: ZoneInfo) -> WhenError:
    """A day with no time gets an example with one; anything else is not a time at all."""
    if ISO_DATE.fullmatch(text) or _dateparser(text, now, zone) is not None:
        return WhenError("when_no_time", example=f"{text} {EXAMPLE_TIME}")
    return _unknown_word(text)


def _unknown_word(text: str) -> WhenError:
    """Name a word that looks like a misspelt weekday ("fridy"), else say it is unreadable."""
    for word in re.findall(r"[a-z]+", text):
        known = word.removesuffix("s") in (*DAY_NAMES, "day", "today") or word in DAYS
        if not known and (word.endswith("day") or _close_to_a_day(word)):
            return WhenError("when_day_unknown", word=word)
    return WhenError("when_unknown")


def _close_to_a_day(word: str) -> bool:
    return bool(difflib.get_close_matches(word, DAY_NAMES, n=1, cutoff=DAY_LIKENESS))


def show(moment: datetime, zone: ZoneInfo) -> str:
    """A time as admins read it, in the community zone: ``Tue 1 Dec 2026, 18:00``."""
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def valid_clock_times(text: str) -> bool:
    """False when a ``HH:MM`` in the text is not a time of day (``25:00``, ``9:75``)."""
    return all(int(h) < 24 and int(m) < 60 for h, m in CLOCK_TIME.findall(text))


def _iso(text: str) -> datetime | None:
    """A strict year-month-day date with a time (dateparser would swap a bad month)."""
    try:
        return datetime.fromisoformat(text.replace(" at ", " ").upper().replace("T", " "))
    except ValueError:
        return None


# --- Spans -----------------------------------------------------------------------------------


def parse_span(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """``in 2h``, ``in 1h30m``, ``in 1.5 hours``, ``in 3 days at 10:00``: a future moment.

    Minutes and hours are real elapsed time; days, weeks and months move the calendar and
    keep the local time of day (or take the one given after "at"), across daylight saving.

    Raises:
        WhenError: ``when_span_unit`` for a number without a unit ("in 90"),
            ``when_span_and_time`` for "in 2 hours at 10:00", ``when_unknown`` otherwise.
    """
    body = text.removeprefix("in ").strip()
    at_time: tuple[int, int] | None = None
    if (split := SPAN_AT.match(body)) is not None:
        body, at_time = split.group("span"), time_of_day(split.group("time"))
    amounts = read_span(body)
    if at_time is not None and (amounts["minutes"] or amounts["hours"]):
        raise WhenError("when_span_and_time", span=body)
    local = now.astimezone(zone)
    day = _add_months(local.date(), int(amounts["months"])) + timedelta(
        days=amounts["days"] + 7 * amounts["weeks"]
    )
    hour, minute = at_time or (local.hour, local.minute)
    moved = datetime.combine(day, time(hour, minute, 0 if at_time else local.second), zone)
    # Added in UTC: "in 2 hours" is two real hours, even across a daylight-saving change.
    elapsed = timedelta(hours=amounts["hours"], minutes=amounts["minutes"])
    at = (moved.astimezone(UTC) + elapsed).astimezone(zone).replace(second=0, microsecond=0)
    if at <= now:
        raise WhenError("when_past", when=show(at, zone))
    return at


def read_span(body: str) -> dict[str, float]:
    """The amount of each unit in a span such as ``1h30m`` or ``1.5 hours``."""
    body = SPAN_NUMBER_WORD.sub(lambda word: SPAN_NUMBERS[word.group()], body)
    for pattern, replacement in SPAN_WORDS:
        body = pattern.sub(replacement, body)
    body = body.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", body):
        raise WhenError("when_span_unit", number=body)
    amounts = dict.fromkeys(SPAN_UNITS, 0.0)
    parts = SPAN_PART.findall(body)
    if not parts or SPAN_PART.sub("", body).strip():
        raise WhenError("when_unknown")
    for number, word in parts:
        if word not in UNIT_OF:
            raise WhenError("when_span_unit", number=number)
        amounts[UNIT_OF[word]] += float(number)
    if amounts["months"] != int(amounts["months"]):
        raise WhenError("when_unknown")  # "in 1.5 months" has no single meaning
    days = amounts["days"] + 7 * amounts["weeks"] + 31 * amounts["months"]
    if days + (amounts["hours"] / 24) + amounts["minutes"] / 1440 > MAX_SPAN_DAYS:
        raise WhenError("when_span_long")
    return amounts


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _month_days(year, month)))


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


# --- Repeats ---------------------------------------------------------------------------------


def repeat_line(text: str, now: datetime, zone: ZoneInfo) -> When | None:
    """A repeat (``every monday 18:00``, ``every other friday 19:00``), or None if not one."""
    if re.match(r"^bi-?weekly\b", text):
        raise WhenError("when_biweekly")
    try:
        return _repeat(text, now, zone)
    except WhenError as error:
        if error.reason == "when_no_time":  # the example keeps what was typed
            raise WhenError("when_no_time", example=f"{text} {EXAMPLE_TIME}") from None
        raise


def _repeat(text: str, now: datetime, zone: ZoneInfo) -> When | None:
    start_text = None
    if (start := START.search(text)) is not None and _is_repeat(text):
        start_text, text = start.group("date"), text[: start.start()]
    step, unit, text = _step(FORTNIGHTLY.sub("every 2 weeks", text))
    cron = repeat_cron(text)
    if cron is None:
        return None
    if unit == "days" and cron.split()[2:] != ["*", "*", "*"]:
        raise WhenError("when_step_unit")  # "every 2 days" cannot also pick weekdays
    if start_text is None and step == 1:
        return When("repeat", cron=cron)
    first = _start_date(start_text, zone, now) if start_text else None
    if first is None:
        upcoming = next_run(cron, zone, now)
        if upcoming is None:
            raise WhenError("when_bad_cron")
        first = upcoming.astimezone(zone).date()
    line = f"{cron} every {step} {unit} from {first.isoformat()}"
    return When("repeat", cron=line, floating=start_text is None)


def _is_repeat(text: str) -> bool:
    return bool(re.match(r"^(?:every|each|fortnightly)\b", text))


def _step(text: str) -> tuple[int, str, str]:
    """The step of "every 2 weeks on monday 18:00": (2, "weeks", "every monday 18:00")."""
    match = STEP.match(text)
    if match is None:
        return 1, "weeks", text
    number = match.group("n")
    step = STEP_WORDS.get(number) or int(number)
    rest = text[match.end() :]
    if OTHER_UNITS.match(rest):
        raise WhenError("when_step_unit")
    unit = match.group("unit") or ("day" if re.match(r"^days?\b", rest) else "week")
    if not 1 <= step <= MAX_STEP:
        raise WhenError("when_step_range")
    if unit == "day":
        rest = re.sub(r"^days?\b\s*", "", rest)
        if rest and not TIME_OF_DAY.fullmatch(rest.removeprefix("at ")):
            raise WhenError("when_step_unit")  # "every 2 days on monday" picks no one day
        return step, "days", f"every day {rest}".strip()
    if not rest or TIME_OF_DAY.fullmatch(rest.removeprefix("at ")):
        raise WhenError("when_step_no_day", step=str(step))
    return step, "weeks", f"every {rest}"


def _start_date(text: str, zone: ZoneInfo, now: datetime) -> date:
    """The typed start of a repeat: ``2026-12-04``, ``4 december``, ``friday``."""
    parsed = _iso(f"{text} 00:00") if ISO_DATE.fullmatch(text) else _dateparser(text, now, zone)
    if parsed is None:
        raise WhenError("when_start_unknown", start=text)
    return parsed.date()


def repeat_cron(text: str) -> str | None:
    """The crontab line of a repeat (``every monday 18:00``), or None when it is not one."""
    if CRON_LINE.match(text) and all(CRON_FIELD.match(f) for f in text.split()[-5:]):
        return crontab(" ".join(text.split()[-5:]))
    match = re.match(
        r"^(every|each)?\s*(?P<what>.+?)\s+(at\s+)?(?P<time>[\d:]+\s*(am|pm)?|noon|midnight)$",
        text,
    )
    if match is None:
        if _is_repeat(text) or _monthly(text):
            raise _repeat_without_time(re.sub(r"^(every|each)\s+", "", text))
        return None
    if not (match.group(1) or _monthly(match.group("what"))):
        return None
    days = repeat_days(match.group("what"))
    if days is None:
        if match.group(1) in ("every", "each"):
            raise WhenError("when_unknown")
        return None
    hour, minute = time_of_day(match.group("time"))
    day_of_month, day_of_week = days
    return f"{minute} {hour} {day_of_month} * {day_of_week}"


def _repeat_without_time(what: str) -> WhenError:
    """Why ``every <what>`` with no time is refused: an odd unit, an unknown day, or no time."""
    if OTHER_UNITS.match(what):
        return WhenError("when_step_unit")  # "every hour", "every month"
    if repeat_days(what) is None and not _monthly(what):  # raises on an unknown day
        return WhenError("when_unknown")
    return WhenError("when_no_time", example="")


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
    what = what.removeprefix("the ").removeprefix("on ").strip()
    for pattern, fields in REPEAT_DAYS:
        if re.fullmatch(pattern, what):
            return fields
    monthly = MONTH_DAY.fullmatch(what)
    if monthly and "month" in what and 1 <= int(monthly.group("day")) <= 28:
        return monthly.group("day"), "*"
    names = [n for n in re.split(r"\s*(?:and|&|,|\s)\s*", what) if n]
    if names and all(re.fullmatch(DAY_WORD, n) for n in names):
        return "*", ",".join(_day(n) for n in names)
    if names and all(n.endswith(("day", "days")) for n in names):
        raise _unknown_word(what)
    return None


def _day(word: str) -> str:
    """``mon`` for monday, mondays, mon; WhenError naming any other word ("fridy")."""
    if word in DAYS:
        return word
    if (short := DAY_NAMES.get(word.removesuffix("s"))) is None:
        short = DAY_SHORT_FORMS.get(word)
    if short is None:
        raise WhenError("when_day_unknown", word=word)
    return short


def time_of_day(text: str) -> tuple[int, int]:
    """Hour and minute of ``9:00``, ``18:30``, ``6pm``, ``noon``."""
    _refuse_a_bare_hour(text.strip())
    if not TIME_OF_DAY.fullmatch(text.strip()) or not valid_clock_times(text):
        raise WhenError("when_unknown")
    parsed = dateparser.parse(text, languages=["en"])
    if parsed is None:
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


# --- Triggers --------------------------------------------------------------------------------


class StepTrigger(BaseTrigger):
    """A CronTrigger's times on every ``step``-th week (or day) from ``start``, not before it.

    The CronTrigger computes each time in the community's zone, so a fortnightly 18:00 post
    stays at 18:00 local across daylight-saving changes. APScheduler 3's
    ``IntervalTrigger(weeks=2)`` would not: it adds 14 x 24 hours, an hour off after a change,
    and an ``AndTrigger`` of the two would then never fire.
    """

    MAX_SKIPS = 1000  # candidates tried per call: far more than any step needs

    def __init__(
        self, cron: CronTrigger, step: int, unit: str, start: date, zone: ZoneInfo
    ) -> None:
        """Wrap ``cron``; weeks are counted Monday to Sunday, from the week of ``start``."""
        self.cron, self.step, self.unit, self.start, self.zone = cron, step, unit, start, zone
        self._origin = start - timedelta(days=start.weekday()) if unit == "weeks" else start

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The next time the cron fires on a step day, at or after ``now``."""
        now = max(now, datetime.combine(self.start, time(0), tzinfo=self.zone))
        for _ in range(self.MAX_SKIPS):
            fire = self.cron.get_next_fire_time(previous_fire_time, now)
            if fire is None or self.on_step(fire):
                return fire
            previous_fire_time, now = fire, fire + timedelta(seconds=1)
        return None

    def on_step(self, moment: datetime) -> bool:
        """True when ``moment`` falls on a day or week the repeat posts in."""
        days = (moment.astimezone(self.zone).date() - self._origin).days
        count = days // 7 if self.unit == "weeks" else days
        return count % self.step == 0

    def __str__(self) -> str:
        return f"{self.cron} every {self.step} {self.unit} from {self.start}"


def cron_trigger(cron: str, zone: ZoneInfo) -> BaseTrigger:
    """The APScheduler trigger of a stored repeat line (see ``When``)."""
    stepped = STEP_SPEC.match(cron)
    if stepped is None:
        return CronTrigger.from_crontab(cron, timezone=zone)
    base = CronTrigger.from_crontab(stepped.group("cron"), timezone=zone)
    start = date.fromisoformat(stepped.group("start"))
    return StepTrigger(base, int(stepped.group("n")), stepped.group("unit"), start, zone)


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
