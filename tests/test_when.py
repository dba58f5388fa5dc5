"""Reading "when": a table of phrasings admins type, good and bad, in the community zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.features.content import load_content
from bot.features.when import WhenError, fire_times, parse_when
from tests.conftest import CONTENT_DIR

ZONE = ZoneInfo("Europe/Madrid")
# Monday 23 November 2026, 21:00 in Madrid (20:00 UTC).
NOW = datetime(2026, 11, 23, 21, 0, tzinfo=ZONE)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZONE)  # type: ignore[misc]


ONE_OFFS = [
    ("2026-12-01 18:00", local(2026, 12, 1, 18, 0)),
    ("2026-12-01T18:00", local(2026, 12, 1, 18, 0)),
    ("2026-12-01 at 18:00", local(2026, 12, 1, 18, 0)),
    ("tomorrow 9:00", local(2026, 11, 24, 9, 0)),
    ("Tomorrow at 9am", local(2026, 11, 24, 9, 0)),
    ("in 2 hours", local(2026, 11, 23, 23, 0)),
    ("in 30 minutes", local(2026, 11, 23, 21, 30)),
    ("in 3 days at 10:00", local(2026, 11, 26, 10, 0)),
    ("friday 18:00", local(2026, 11, 27, 18, 0)),
    ("next friday 18:30", local(2026, 11, 27, 18, 30)),
    ("1 December 18:00", local(2026, 12, 1, 18, 0)),
    ("dec 1 6pm", local(2026, 12, 1, 18, 0)),
    ("today 23:00", local(2026, 11, 23, 23, 0)),
    ("25/12/2026 10:00", local(2026, 12, 25, 10, 0)),
]

REPEATS = [
    ("every day 9:00", "0 9 * * *"),
    ("daily at 9:00", "0 9 * * *"),
    ("every day at 6pm", "0 18 * * *"),
    ("every monday 18:00", "0 18 * * mon"),
    ("Every Monday at 18:00", "0 18 * * mon"),
    ("every mondays 18:00", "0 18 * * mon"),
    ("every monday and thursday 18:30", "30 18 * * mon,thu"),
    ("every weekday 8:30", "30 8 * * mon-fri"),
    ("every weekend 10:00", "0 10 * * sat,sun"),
    ("first day of the month 10:00", "0 10 1 * *"),
    ("every first day of the month at 10:00", "0 10 1 * *"),
    ("last day of the month 19:00", "0 19 last * *"),
    ("the 15th of every month 12:00", "0 12 15 * *"),
    ("every month on the 15th at noon", "0 12 15 * *"),
    ("0 9 * * 1", "0 9 * * mon"),  # crontab's 1 is Monday; 0 and 7 are Sunday
    ("cron 0 9 * * 0", "0 9 * * sun"),
    ("30 18 * * mon-fri", "30 18 * * mon-fri"),
    ("0 10 1 * *", "0 10 1 * *"),
]

BAD = [
    ("", "when_unknown"),
    ("blah blah", "when_no_time"),
    ("soon-ish at 99:99", "when_unknown"),
    ("tomorrow", "when_no_time"),
    ("2026-12-01", "when_no_time"),
    ("every monday", "when_no_time"),
    ("yesterday 9:00", "when_past"),
    ("2020-01-01 10:00", "when_past"),
    ("today 8:00", "when_past"),
    ("2026-13-01 10:00", "when_unknown"),
    ("2026-02-30 10:00", "when_unknown"),
    ("01/12/2026 18:00", "when_ambiguous"),
    ("every funday 9:00", "when_unknown"),
    ("61 9 * * *", "when_bad_cron"),
    ("0 9 31 2 *", "when_bad_cron"),
    ("* * * * *", "when_too_often"),
    ("*/5 9 * * *", "when_too_often"),
    ("x" * 200, "when_unknown"),
    # An impossible clock time must not be dropped silently (dateparser keeps the current
    # time of day, so "tomorrow at 25:00" used to mean tomorrow at this minute).
    ("tomorrow at 25:00", "when_unknown"),
    ("tomorrow 9:75", "when_unknown"),
    ("friday 24:30", "when_unknown"),
]


@pytest.mark.parametrize(("phrase", "expected"), ONE_OFFS)
def test_one_offs(phrase: str, expected: datetime) -> None:
    when = parse_when(phrase, NOW, ZONE)
    assert when.kind == "once"
    assert when.at == expected
    assert when.at is not None
    assert when.at.tzinfo is not None


@pytest.mark.parametrize(("phrase", "cron"), REPEATS)
def test_repeats(phrase: str, cron: str) -> None:
    when = parse_when(phrase, NOW, ZONE)
    assert (when.kind, when.cron) == ("repeat", cron)


@pytest.mark.parametrize("phrase", ["now", "Now", " right now ", "immediately"])
def test_now(phrase: str) -> None:
    assert parse_when(phrase, NOW, ZONE).kind == "now"


@pytest.mark.parametrize(("phrase", "reason"), BAD)
def test_bad_phrasings_get_a_clear_reason(phrase: str, reason: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(phrase, NOW, ZONE)
    assert caught.value.reason == reason
    # Every reason is a text admins read, and the forms hint goes with it.
    content = load_content(CONTENT_DIR)
    assert content.text(reason, zone="Europe/Madrid")
    assert "tomorrow 9:00" in content.text("when_forms")


def test_the_table_is_large_enough() -> None:
    assert len(ONE_OFFS) + len(REPEATS) + len(BAD) >= 30
    assert len(BAD) >= 10


def test_a_repeat_fires_at_local_time_across_daylight_saving() -> None:
    # Madrid leaves summer time on 25 October 2026: 9:00 local stays 9:00 local.
    autumn = datetime(2026, 10, 23, 12, 0, tzinfo=ZONE)
    times = fire_times(parse_when("every day 9:00", autumn, ZONE).cron or "", ZONE, autumn, 4)
    assert [t.astimezone(ZONE).hour for t in times] == [9, 9, 9, 9]
    assert times[0].utcoffset() != times[-1].utcoffset()


def test_crontab_weekday_numbers_mean_what_crontab_means() -> None:
    # APScheduler 3 would read 0 as Monday; crontab means Sunday.
    cron = parse_when("0 9 * * 0", NOW, ZONE).cron or ""
    first = fire_times(cron, ZONE, NOW, 1)[0]
    assert first.astimezone(ZONE).strftime("%A") == "Sunday"
