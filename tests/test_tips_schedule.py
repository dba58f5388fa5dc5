"""Due times across zones and DST, reading times and zones, and the tip of the day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.features import subscriptions as subs
from bot.features.content import load_content
from bot.features.tips import check_tips, rotation, tip_of_day
from tests.conftest import CONTENT_DIR

ZONES = ["Europe/Madrid", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
         "America/Santiago", "Pacific/Chatham", "Europe/London", "UTC", "UTC+05:30",
         "UTC-03:00"]  # fmt: skip
TIPS = load_content(CONTENT_DIR).tips

moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@settings(max_examples=300, deadline=None)
@given(at=times, zone=st.sampled_from(ZONES), after=moments)
def test_next_due_is_the_first_matching_moment_after_now(
    at: time, zone: str, after: datetime
) -> None:
    due, day = subs.next_due(at, zone, after)
    assert after < due <= after + timedelta(days=2)
    local = due.astimezone(subs.zone_info(zone))
    assert local.date() == day
    if local.time() != at:  # only when the clocks skip ``at`` that day
        gap = local.utcoffset() - (local - timedelta(hours=3)).utcoffset()  # type: ignore[operator]
        assert gap > timedelta(0)
        assert local.time() == (datetime.combine(day, at) + gap).time()
    # No earlier moment on a later date, and the next one is the next local date.
    following, next_day = subs.next_due(at, zone, due)
    assert next_day == day + timedelta(days=1)
    assert timedelta(hours=21) <= following - due <= timedelta(hours=27)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected_utc"),
    [
        # Spring forward: 02:30 does not exist in Madrid on 30 March 2025, it becomes 03:30.
        ("Europe/Madrid", date(2025, 3, 30), time(2, 30), datetime(2025, 3, 30, 1, 30)),
        # Fall back: 02:30 happens twice on 26 October 2025; the first one (CEST) is used.
        ("Europe/Madrid", date(2025, 10, 26), time(2, 30), datetime(2025, 10, 26, 0, 30)),
        ("America/New_York", date(2025, 3, 9), time(2, 15), datetime(2025, 3, 9, 7, 15)),
        ("America/New_York", date(2025, 11, 2), time(1, 30), datetime(2025, 11, 2, 5, 30)),
        ("Europe/Madrid", date(2025, 6, 2), time(10), datetime(2025, 6, 2, 8, 0)),
        ("Europe/Madrid", date(2025, 12, 2), time(10), datetime(2025, 12, 2, 9, 0)),
        ("UTC+05:30", date(2025, 6, 2), time(10), datetime(2025, 6, 2, 4, 30)),
    ],
)
def test_skipped_and_repeated_local_times(
    zone: str, day: date, at: time, expected_utc: datetime
) -> None:
    local_midnight = datetime.combine(day, time(0), tzinfo=subs.zone_info(zone))
    due, due_day = subs.next_due(at, zone, local_midnight.astimezone(UTC))
    assert (due, due_day) == (expected_utc.replace(tzinfo=UTC), day)


def test_a_repeated_time_is_not_due_again_the_same_night() -> None:
    first, day = subs.next_due(
        time(2, 30), "Europe/Madrid", datetime(2025, 10, 25, 12, tzinfo=UTC)
    )
    again, next_day = subs.next_due(time(2, 30), "Europe/Madrid", first)
    assert next_day == day + timedelta(days=1)
    assert again - first == timedelta(hours=25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("9", time(9)), ("9:30", time(9, 30)), ("09.30", time(9, 30)), ("18h00", time(18)),
     ("7 pm", time(19)), ("12am", time(0)), ("23:59", time(23, 59)), ("25:99", None),
     ("24:00", None), ("9:60", None), ("13pm", None), ("soon", None), ("", None)],
)  # fmt: skip
def test_parse_time(text: str, expected: time | None) -> None:
    assert subs.parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Madrid", "Europe/Madrid"), ("madrid", "Europe/Madrid"), ("New York", "America/New_York"),
     ("america/new_york", "America/New_York"), ("Buenos Aires", "America/Argentina/Buenos_Aires"),
     ("UTC", "UTC"), ("UTC+2", "UTC+02:00"), ("utc -3:30", "UTC-03:30"), ("GMT+0", "UTC"),
     ("+5:30", "UTC+05:30"), ("Colombia", "America/Bogota"), ("UTC+15", None),
     ("UTC+2:10", None), ("Atlantis", None), ("São Paulo", "America/Sao_Paulo"),
     ("Bogotá", "America/Bogota")],
)  # fmt: skip
def test_parse_zone(text: str, expected: str | None) -> None:
    assert subs.parse_zone(text).zone == expected
    if expected is not None:
        assert subs.is_valid_zone(expected)
        subs.zone_info(expected)


def test_a_country_typed_with_its_accents_offers_the_same_zones() -> None:
    assert subs.parse_zone("México").choices == subs.parse_zone("Mexico").choices != ()


def test_a_country_with_several_zones_gives_choices() -> None:
    answer = subs.parse_zone("United States")
    assert answer.zone is None
    assert answer.choices[0] == "America/New_York"
    assert "America/Los_Angeles" in answer.choices


def test_fixed_offsets_are_real_offsets() -> None:
    moment = datetime(2025, 6, 2, 12, tzinfo=UTC)
    assert moment.astimezone(subs.zone_info("UTC-03:30")).hour == 8
    assert moment.astimezone(subs.zone_info("Europe/Madrid")).utcoffset() == timedelta(hours=2)
    assert isinstance(subs.zone_info("Europe/Madrid"), ZoneInfo)


# --- Tip of the day --------------------------------------------------------------------------


def test_every_tip_before_any_repeat() -> None:
    start = date(2025, 1, 1)
    for offset in range(0, 4 * len(TIPS), 37):
        window = [
            tip_of_day(TIPS, start + timedelta(days=offset + n)).id for n in range(len(TIPS))
        ]
        assert len(set(window)) == len(TIPS), "any run of len(tips) days shows every tip"
        assert window[0] == tip_of_day(TIPS, start + timedelta(days=offset + len(TIPS))).id


def test_no_tip_two_days_in_a_row_across_cycles() -> None:
    days = [
        tip_of_day(TIPS, date(2024, 1, 1) + timedelta(days=n)).id for n in range(20 * len(TIPS))
    ]
    assert all(a != b for a, b in pairwise(days))


def test_tip_of_day_is_deterministic_and_mixes_topics() -> None:
    day = date(2025, 6, 2)
    assert tip_of_day(TIPS, day) == tip_of_day(tuple(reversed(TIPS)), day)
    week = [tip_of_day(TIPS, day + timedelta(days=n)).topic for n in range(7)]
    assert len(set(week)) >= 3
    ids = tuple(sorted(t.id for t in TIPS))
    assert sorted(rotation(ids)) == list(ids)


def test_shipped_tips_pass_the_checks() -> None:
    assert len(TIPS) >= 90
    assert all(len(t.text) <= 400 for t in TIPS)
    assert check_tips(TIPS, None, "tips.yaml") == []


def test_tip_checks_name_the_problem() -> None:
    tip = TIPS[0]
    broken = (
        tip,
        tip.model_copy(update={"faq": "nope"}),
        tip.model_copy(update={"id": "b", "text": "a < b & c"}),
    )
    problems = check_tips(broken, ["cost"], "tips.yaml")
    assert f"tips.yaml: tip {tip.id!r}: duplicate id" in problems
    assert f"tips.yaml: tip {tip.id!r}: faq id 'nope' does not exist" in problems
    assert "tips.yaml: tip 'b': text is plain, write no < or &" in problems
