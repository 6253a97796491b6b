"""The agreed contact hours, as plain functions: when a message is inside them, and when the
sender can expect a reply (week wrap, late at night, windows past midnight)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentoring.hours import (
    describe_days,
    describe_hours,
    describe_moment,
    next_open,
    reply_expected_by,
    within_hours,
)

WEEKDAYS = [0, 1, 2, 3, 4]
NINE, EIGHT_PM = time(9), time(20)
# Monday 2 March 2026 is a Monday.
MONDAY = datetime(2026, 3, 2)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """``day`` days after Monday 2 March 2026, at hour:minute."""
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (at(0, 9), True),  # opening minute
        (at(0, 8, 59), False),
        (at(0, 19, 59), True),
        (at(0, 20), False),  # closing time is closed
        (at(4, 12), True),  # Friday
        (at(5, 12), False),  # Saturday
        (at(6, 23, 30), False),  # Sunday late night
        (at(2, 2), False),  # Wednesday small hours
    ],
)
def test_within_weekday_hours(moment, inside):
    assert within_hours(moment, WEEKDAYS, NINE, EIGHT_PM) is inside


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        # Inside the hours: the clock starts now; rounded up to the hour.
        (at(0, 10, 15), at(2, 11)),  # Mon 10:15 + 48 h = Wed 10:15 -> Wed 11:00
        (at(0, 10), at(2, 10)),  # already on the hour
        # Late at night: the clock starts when the hours open next morning.
        (at(1, 23, 30), at(4, 9)),  # Tue 23:30 -> Wed 9:00 + 48 h = Fri 9:00
        (at(2, 3), at(4, 9)),  # Wed 3:00 -> Wed 9:00 + 48 h = Fri 9:00
        (at(3, 3), at(7, 9)),  # Thu 3:00 -> Thu 9:00 + 48 h = Sat 9:00 -> Mon 9:00
        # Week wrap: Friday evening waits for Monday.
        (at(4, 21), at(7 + 2, 9)),  # Fri 21:00 -> Mon 9:00 + 48 h = Wed 9:00
        (at(6, 12), at(7 + 2, 9)),  # Sunday noon, the same
        # A deadline landing after hours moves to the next opening.
        (at(3, 19, 30), at(7, 9)),  # Thu 19:30 + 48 h = Sat 19:30 -> Mon 9:00
    ],
)
def test_reply_expected_by(sent, expected):
    assert reply_expected_by(sent, WEEKDAYS, NINE, EIGHT_PM, 48) == expected


def test_short_reply_time_within_the_day():
    # Mon 18:40 + 1 h = 19:40, still open: rounded up to 20:00 (a reply by closing time).
    assert reply_expected_by(at(0, 18, 40), WEEKDAYS, NINE, EIGHT_PM, 1) == at(0, 20)


def test_window_past_midnight():
    evenings = ([4, 5], time(20), time(1))  # Friday and Saturday, 20:00 to 1:00
    assert within_hours(at(4, 22), *evenings)
    assert within_hours(at(5, 0, 30), *evenings)  # early Saturday: Friday's window
    assert within_hours(at(6, 0, 30), *evenings)  # early Sunday: Saturday's window
    assert not within_hours(at(6, 1), *evenings)
    assert not within_hours(at(6, 22), *evenings)  # Sunday evening is not agreed
    assert next_open(at(6, 22), *evenings) == at(7 + 4, 20)


def test_no_days_agreed_means_any_time():
    assert within_hours(at(6, 3), [], NINE, EIGHT_PM)
    assert reply_expected_by(at(6, 3, 10), [], NINE, EIGHT_PM, 24) == at(7, 4)


@pytest.mark.parametrize(
    ("days", "said"),
    [
        ([0, 1, 2, 3, 4], "Mon–Fri"),
        ([0, 2, 4], "Mon, Wed, Fri"),
        ([0, 1, 3, 4, 5], "Mon, Tue, Thu–Sat"),
        ([5, 6], "Sat, Sun"),
        (list(range(7)), "Every day"),
    ],
)
def test_describe_days(days, said):
    assert describe_days(days) == said


def test_describe_hours_and_moments():
    assert describe_hours(WEEKDAYS, NINE, EIGHT_PM) == "Mon–Fri 9:00–20:00"
    assert describe_hours(WEEKDAYS, time(9, 30), time(17, 45)) == "Mon–Fri 9:30–17:45"
    now = at(0, 21)  # Monday evening
    assert describe_moment(at(0, 22), now) == "22:00 today"
    assert describe_moment(at(1, 11), now) == "11:00 tomorrow"
    assert describe_moment(at(3, 9), now) == "Thursday 9:00"
    assert describe_moment(at(9, 9), now) == "Wednesday 11 March, 9:00"


# Properties ------------------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31))
day_sets = st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True)
hours_of_day = st.integers(0, 23)


@given(moment=moments, days=day_sets, start=hours_of_day, end=hours_of_day)
def test_next_open_is_open_and_never_earlier(moment, days, start, end):
    opens = next_open(moment, days, time(start), time(end))
    assert opens >= moment
    assert within_hours(opens, days, time(start), time(end))
    assert (opens == moment) == within_hours(moment, days, time(start), time(end))
    assert opens - moment <= timedelta(days=7)


@given(
    moment=moments,
    days=day_sets,
    start=hours_of_day,
    end=hours_of_day,
    reply_within=st.integers(0, 96),
)
def test_reply_is_never_sooner_than_agreed_and_falls_in_or_at_the_end_of_the_hours(
    moment, days, start, end, reply_within
):
    start_at, end_at = time(start), time(end)
    expected = reply_expected_by(moment, days, start_at, end_at, reply_within)
    assert expected >= moment + timedelta(hours=reply_within)
    assert expected.minute == expected.second == expected.microsecond == 0
    just_before = expected - timedelta(minutes=1)
    assert within_hours(expected, days, start_at, end_at) or within_hours(
        just_before, days, start_at, end_at
    )


@given(moment=moments)
def test_every_day_round_the_clock_is_always_open(moment):
    assert within_hours(moment, list(range(7)), time(0), time(0))
