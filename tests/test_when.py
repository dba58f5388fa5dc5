"""Reading "when": a table of phrasings admins type, good and bad, in the community zone."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import AnyApp
from bot.deps import app_deps
from bot.features import announcements as ann
from bot.features.content import Content, PostsFile, check_posts, load_content
from bot.features.i18n import variables_of
from bot.features.languages import load_catalog
from bot.features.when import WhenError, cron_trigger, fire_times, next_run, parse_when, show
from bot.runtime.fakeapi import ADMIN_ID, FakeBotAPI
from tests.announce_util import formatted_message, get, use_clock
from tests.conftest import CONTENT_DIR
from tests.tg import Driver, only

ZONE = ZoneInfo("Europe/Madrid")
# Monday 23 November 2026, 21:00 in Madrid (20:00 UTC).
NOW = datetime(2026, 11, 23, 21, 0, tzinfo=ZONE)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(CONTENT_DIR)


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
    # Spans are complete times: no day or time of day to add.
    ("in 1h30m", local(2026, 11, 23, 22, 30)),
    ("in 1.5 hours", local(2026, 11, 23, 22, 30)),
    ("in 1,5 hours", local(2026, 11, 23, 22, 30)),
    ("in 90 minutes", local(2026, 11, 23, 22, 30)),
    ("in 2h", local(2026, 11, 23, 23, 0)),
    ("in 2 hrs", local(2026, 11, 23, 23, 0)),
    ("in two hours", local(2026, 11, 23, 23, 0)),
    ("in 45 mins", local(2026, 11, 23, 21, 45)),
    ("in an hour", local(2026, 11, 23, 22, 0)),
    ("in half an hour", local(2026, 11, 23, 21, 30)),
    ("in an hour and a half", local(2026, 11, 23, 22, 30)),
    ("in 1 hour and 30 minutes", local(2026, 11, 23, 22, 30)),
    ("In 2H 15M", local(2026, 11, 23, 23, 15)),
    ("in 2 days", local(2026, 11, 25, 21, 0)),
    ("in 1 week", local(2026, 11, 30, 21, 0)),
    ("in 1 month", local(2026, 12, 23, 21, 0)),
    ("in 2 weeks at 18:00", local(2026, 12, 7, 18, 0)),
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
    ("every tues 9:00", "0 9 * * tue"),
    ("every thurs and sat 10:00", "0 10 * * thu,sat"),
    ("every monday, thursday 18:30", "30 18 * * mon,thu"),
]

# Repeats every N weeks or days, counted from the first time (or the start given), with the
# first three local times each must give. NOW is Monday 23 November 2026, 21:00.
STEPPED = [
    (
        "every 2 weeks on monday 18:00",
        "0 18 * * mon every 2 weeks from 2026-11-30",
        [local(2026, 11, 30, 18, 0), local(2026, 12, 14, 18, 0), local(2026, 12, 28, 18, 0)],
    ),
    (
        "every other friday 19:00",
        "0 19 * * fri every 2 weeks from 2026-11-27",
        [local(2026, 11, 27, 19, 0), local(2026, 12, 11, 19, 0), local(2026, 12, 25, 19, 0)],
    ),
    (
        "fortnightly on friday 19:00",
        "0 19 * * fri every 2 weeks from 2026-11-27",
        [local(2026, 11, 27, 19, 0), local(2026, 12, 11, 19, 0), local(2026, 12, 25, 19, 0)],
    ),
    (
        "every fortnight on tuesday at 6pm",
        "0 18 * * tue every 2 weeks from 2026-11-24",
        [local(2026, 11, 24, 18, 0), local(2026, 12, 8, 18, 0), local(2026, 12, 22, 18, 0)],
    ),
    (
        "every second wednesday 10:00",
        "0 10 * * wed every 2 weeks from 2026-11-25",
        [local(2026, 11, 25, 10, 0), local(2026, 12, 9, 10, 0), local(2026, 12, 23, 10, 0)],
    ),
    (
        "every 3 weeks on monday and thursday 18:30",
        "30 18 * * mon,thu every 3 weeks from 2026-11-26",
        [local(2026, 11, 26, 18, 30), local(2026, 12, 14, 18, 30), local(2026, 12, 17, 18, 30)],
    ),
    (
        "every other day 9:00",
        "0 9 * * * every 2 days from 2026-11-24",
        [local(2026, 11, 24, 9, 0), local(2026, 11, 26, 9, 0), local(2026, 11, 28, 9, 0)],
    ),
    (
        "every 2 days at 9:00",
        "0 9 * * * every 2 days from 2026-11-24",
        [local(2026, 11, 24, 9, 0), local(2026, 11, 26, 9, 0), local(2026, 11, 28, 9, 0)],
    ),
    (
        "every other friday 19:00 from 2026-12-04",
        "0 19 * * fri every 2 weeks from 2026-12-04",
        [local(2026, 12, 4, 19, 0), local(2026, 12, 18, 19, 0), local(2027, 1, 1, 19, 0)],
    ),
    (
        "every other friday 19:00 starting 4 december",
        "0 19 * * fri every 2 weeks from 2026-12-04",
        [local(2026, 12, 4, 19, 0), local(2026, 12, 18, 19, 0), local(2027, 1, 1, 19, 0)],
    ),
    (
        # A start in the past only sets which weeks: 6 Nov + 2 weeks... = 4 Dec, not 27 Nov.
        "every 2 weeks on friday 19:00 from 2026-11-06",
        "0 19 * * fri every 2 weeks from 2026-11-06",
        [local(2026, 12, 4, 19, 0), local(2026, 12, 18, 19, 0), local(2027, 1, 1, 19, 0)],
    ),
    (
        "every monday 18:00 from 2026-12-07",
        "0 18 * * mon every 1 weeks from 2026-12-07",
        [local(2026, 12, 7, 18, 0), local(2026, 12, 14, 18, 0), local(2026, 12, 21, 18, 0)],
    ),
]

BAD = [
    ("", "when_unknown"),
    ("blah blah", "when_unknown"),
    ("whenever", "when_unknown"),
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
    ("every funday 9:00", "when_day_unknown"),
    ("every fridy 18:00", "when_day_unknown"),
    ("fridy 18:00", "when_day_unknown"),
    ("every wendsday and friday 18:00", "when_day_unknown"),
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
    # A time with no day, a span with no unit or with a time too, odd repeat steps.
    ("18:00", "when_no_day"),
    ("at 6pm", "when_no_day"),
    ("tomorrow at 9", "when_bare_hour"),
    ("tomorrow 9", "when_bare_hour"),
    ("friday 6", "when_bare_hour"),
    ("every monday at 6", "when_bare_hour"),
    ("every other friday 7", "when_bare_hour"),
    ("in 90", "when_span_unit"),
    ("in 2", "when_span_unit"),
    ("in 2 fortnights", "when_span_unit"),
    ("in 2 hours at 10:00", "when_span_and_time"),
    ("in 99999 weeks", "when_span_long"),
    ("in -5 minutes", "when_unknown"),
    ("in 1.5 months", "when_unknown"),
    ("in 0 minutes", "when_past"),
    ("every 2 weeks 18:00", "when_step_no_day"),
    ("every other week", "when_step_no_day"),
    ("every 2 weeks on monday", "when_no_time"),
    ("every 2 hours", "when_step_unit"),
    ("every hour", "when_step_unit"),
    ("every other month 10:00", "when_step_unit"),
    ("every 2 days on monday 9:00", "when_step_unit"),
    ("every 0 weeks on monday 9:00", "when_step_range"),
    ("every 100 weeks on monday 9:00", "when_step_range"),
    ("biweekly monday 18:00", "when_biweekly"),
    ("bi-weekly on friday 19:00", "when_biweekly"),
    ("every other friday 19:00 from someday", "when_start_unknown"),
]

# The hint names what was typed, so it fits: (phrase, words the admin reads in the reply).
HINTS = [
    ("tomorrow", "<code>tomorrow 9:00</code>"),
    ("2026-12-01", "<code>2026-12-01 9:00</code>"),
    ("every monday", "<code>every monday 9:00</code>"),
    ("every 2 weeks on monday", "<code>every 2 weeks on monday 9:00</code>"),
    ("18:00", "<code>tomorrow 18:00</code>"),
    ("in 90", "<code>in 90 minutes</code>"),
    ("tomorrow at 9", "<code>9:00</code>"),
    ("in 2 hours at 10:00", "<code>in 2 hours</code>"),
    ("every 3 weeks 18:00", "<code>every 3 weeks on monday 18:00</code>"),
    ("every funday 9:00", "“funday”"),
    ("fridy 18:00", "“fridy”"),
    ("yesterday 9:00", "Sun 22 Nov 2026, 09:00"),
    ("2020-01-01 10:00", "Wed 1 Jan 2020, 10:00"),
    ("biweekly monday 18:00", "twice a week or every two weeks"),
    ("every other friday 19:00 from someday", "“someday”"),
    ("every 2 hours", "<code>every 2 days 9:00</code>"),
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


@pytest.mark.parametrize(("phrase", "line", "first_three"), STEPPED)
def test_repeats_every_n_weeks_or_days(
    phrase: str, line: str, first_three: list[datetime]
) -> None:
    when = parse_when(phrase, NOW, ZONE)
    assert (when.kind, when.cron) == ("repeat", line)
    assert fire_times(line, ZONE, NOW, 3) == first_three
    # Typed without a start, the start is today's reading: it must be stored, not re-read.
    assert when.floating == (" from " not in phrase and " starting " not in phrase)


@pytest.mark.parametrize("phrase", ["now", "Now", " right now ", "immediately"])
def test_now(phrase: str) -> None:
    assert parse_when(phrase, NOW, ZONE).kind == "now"


@pytest.mark.parametrize(("phrase", "reason"), BAD)
def test_bad_phrasings_get_a_clear_reason(content: Content, phrase: str, reason: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(phrase, NOW, ZONE)
    assert caught.value.reason == reason
    # Every reason is a text admins read, and the forms hint goes with it.
    assert content.text(reason, zone="Europe/Madrid", **caught.value.fields)
    assert "tomorrow 9:00" in content.text("when_forms")


@pytest.mark.parametrize(("phrase", "shown"), HINTS)
def test_the_hint_fits_what_was_typed(content: Content, phrase: str, shown: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(phrase, NOW, ZONE)
    hint = content.text(caught.value.reason, zone="Europe/Madrid", **caught.value.fields)
    assert shown in hint
    assert "Please add a time of day" not in hint or caught.value.reason == "when_no_time"


def test_every_reason_has_a_text_that_uses_all_its_fields() -> None:
    catalog = load_catalog(CONTENT_DIR)
    for phrase, reason in BAD:
        with pytest.raises(WhenError) as caught:
            parse_when(phrase, NOW, ZONE)
        for content in catalog.languages.values():  # every language says what went wrong
            for name, value in caught.value.fields.items():
                assert name in variables_of(content.messages.parsed[reason]), (phrase, name)
                assert value in content.text(reason, zone="UTC", **caught.value.fields)


def test_the_table_is_large_enough() -> None:
    assert len(ONE_OFFS) + len(REPEATS) + len(STEPPED) + len(BAD) >= 30
    assert len(BAD) >= 10


def test_a_repeat_fires_at_local_time_across_daylight_saving() -> None:
    # Madrid leaves summer time on 25 October 2026: 9:00 local stays 9:00 local.
    autumn = datetime(2026, 10, 23, 12, 0, tzinfo=ZONE)
    times = fire_times(parse_when("every day 9:00", autumn, ZONE).cron or "", ZONE, autumn, 4)
    assert [t.astimezone(ZONE).hour for t in times] == [9, 9, 9, 9]
    assert times[0].utcoffset() != times[-1].utcoffset()


def test_a_time_skipped_by_the_spring_change_is_shown_as_the_moment_it_will_be() -> None:
    # Madrid skips 02:00-03:00 on 28 March 2027: "02:30" can only mean 03:30 local.
    at = parse_when("2027-03-28 02:30", NOW, ZONE).at
    assert at is not None
    assert show(at, ZONE) == "Sun 28 Mar 2027, 03:30"
    assert (at.hour, at.minute) == (3, 30), "the stored moment and the shown one agree"


def test_crontab_weekday_numbers_mean_what_crontab_means() -> None:
    # APScheduler 3 would read 0 as Monday; crontab means Sunday.
    cron = parse_when("0 9 * * 0", NOW, ZONE).cron or ""
    first = fire_times(cron, ZONE, NOW, 1)[0]
    assert first.astimezone(ZONE).strftime("%A") == "Sunday"


# --- Fortnightly posts keep their local hour across daylight-saving changes ------------------

DST_ZONES = ["Europe/Madrid", "America/New_York", "Australia/Sydney", "America/Santiago"]


@settings(max_examples=60, deadline=None)
@given(
    zone_name=st.sampled_from(DST_ZONES),
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    day=st.sampled_from(["monday", "wednesday", "friday", "sunday"]),
    clock=st.tuples(st.integers(min_value=4, max_value=23), st.sampled_from([0, 15, 30, 45])),
    step=st.sampled_from(["other", "2", "3", "4"]),
)
def test_a_stepped_post_keeps_its_local_hour_and_weekday_across_dst(
    zone_name: str, start: date, day: str, clock: tuple[int, int], step: str
) -> None:
    # Hours from 4:00 stay clear of the small-hours jump itself.
    hour, minute = clock
    zone = ZoneInfo(zone_name)
    now = datetime(start.year, start.month, start.day, 12, 0, tzinfo=zone)
    weeks = 2 if step == "other" else int(step)
    phrase = f"every other {day}" if step == "other" else f"every {step} weeks on {day}"
    line = parse_when(f"{phrase} {hour}:{minute:02d}", now, zone).cron
    times = [t.astimezone(zone) for t in fire_times(line or "", zone, now, count=30)]
    assert len(times) == 30
    assert {(t.hour, t.minute) for t in times} == {(hour, minute)}
    assert {t.strftime("%A").lower() for t in times} == {day}
    assert {(b.date() - a.date()).days for a, b in itertools.pairwise(times)} == {7 * weeks}
    # 30 posts span more than a year, so each zone changed its clocks in between.
    assert len({t.utcoffset() for t in times}) == 2


@pytest.mark.parametrize(
    ("zone_name", "before", "after"),
    [
        # Madrid: summer time ends 25 Oct 2026 and starts 28 Mar 2027.
        ("Europe/Madrid", datetime(2026, 10, 16, 18, 0), datetime(2026, 10, 30, 18, 0)),
        ("Europe/Madrid", datetime(2027, 3, 19, 18, 0), datetime(2027, 4, 2, 18, 0)),
        # New York: 1 Nov 2026 and 14 Mar 2027.
        ("America/New_York", datetime(2026, 10, 30, 18, 0), datetime(2026, 11, 13, 18, 0)),
        ("America/New_York", datetime(2027, 3, 12, 18, 0), datetime(2027, 3, 26, 18, 0)),
    ],
)
def test_the_fortnightly_post_either_side_of_a_clock_change(
    zone_name: str, before: datetime, after: datetime
) -> None:
    zone = ZoneInfo(zone_name)
    start = before.replace(tzinfo=zone) - timedelta(days=1)
    line = parse_when("every other friday 18:00", start, zone).cron or ""
    first, second = fire_times(line, zone, start, 2)
    assert (first, second) == (before.replace(tzinfo=zone), after.replace(tzinfo=zone))
    real = second.astimezone(UTC) - first.astimezone(UTC)
    assert real != timedelta(weeks=2)  # an hour more or less of real time
    assert first.utcoffset() != second.utcoffset()


def test_a_restart_mid_cycle_keeps_the_fortnight() -> None:
    line = parse_when("every other friday 19:00", NOW, ZONE).cron or ""
    # Read back from the database after a restart on Saturday 28 November: the next post is
    # Friday 11 December, two weeks after the first, not Friday 4 December.
    restarted = NOW + timedelta(days=5)
    assert next_run(line, ZONE, restarted) == local(2026, 12, 11, 19, 0)
    fire = cron_trigger(line, ZONE).get_next_fire_time(None, restarted)
    assert fire == local(2026, 12, 11, 19, 0)


def test_a_fortnightly_content_post_needs_a_start_date() -> None:
    def problems(when: str) -> list[str]:
        posts = PostsFile.model_validate(
            {"posts": [{"id": "meet", "title": "Meet", "when": when, "text": "Our meeting"}]}
        )
        return check_posts(posts, "posts.yaml")

    floating = problems("every other friday 19:00")
    assert len(floating) == 1
    assert "needs a start date" in floating[0]
    assert problems("every other friday 19:00 from 2026-11-27") == []
    assert problems("every friday 19:00") == []


async def test_a_fortnightly_announcement_is_stored_listed_and_rebuilt(
    app: AnyApp, api: FakeBotAPI
) -> None:
    use_clock(app)  # Monday 23 November 2026, 20:00 UTC; the test settings use UTC
    driver = Driver(app, api, user_id=ADMIN_ID, first_name="Ada")
    await driver.send("/announce")
    await driver.process(formatted_message(app, "Support meeting", []))
    pin_question = only(await driver.send("every other friday 19:00"))
    assert "every other friday 19:00 (next: Fri 27 Nov 2026, 19:00)" in pin_question.text
    summary = only(await driver.press(pin_question, "Don't pin"))
    await driver.press(summary, "Confirm")
    row = await get(app, 1)
    assert (row.kind, row.cron) == ("repeat", "0 19 * * fri every 2 weeks from 2026-11-27")
    listing = only(await driver.send("/scheduled")).text
    assert "#1</b> · every other friday 19:00 · next Fri 27 Nov 2026, 19:00" in listing
    # After a restart the job is rebuilt from the row, on the same fortnight, at 19:00.
    ann.unschedule(app, ann.job_name(1))
    ann.schedule(app, row, app_deps(app).settings.zone)
    job = app.job_queue.get_jobs_by_name(ann.job_name(1))[0]  # type: ignore[union-attr]
    assert job.next_t is not None
    assert (job.next_t.hour, job.next_t.minute, job.next_t.weekday()) == (19, 0, 4)
    assert (job.next_t.date() - date(2026, 11, 27)).days % 14 == 0
