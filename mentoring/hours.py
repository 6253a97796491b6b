"""The pair's agreed contact hours, as plain functions (no database, no Django), so the rules can
be tested on their own.

Hours are given as the weekdays the pair are in touch (0 = Monday), and a daily window from
``start`` to ``end``. A window whose end is not after its start runs past midnight (20:00 to 01:00
is open on the evening of each listed day and into the early hours of the next). No days at all
means nothing was agreed, so any time is fine.

When can a reply be expected? Simply: from the next moment the hours are open (now, if they are
open), add the agreed reply time. If that lands at a time the pair agreed not to be in touch (a
Sunday, 3 am), it moves on to the next moment the hours open, so nobody is told to expect a reply
when none is expected. Then round up to the hour.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FULL_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _clean_days(days: Sequence[int]) -> list[int]:
    return sorted({int(day) for day in days if 0 <= int(day) <= 6})


def _overnight(start: time, end: time) -> bool:
    return end <= start


def within_hours(moment: datetime, days: Sequence[int], start: time, end: time) -> bool:
    """Is ``moment`` (local time) inside the agreed hours?"""
    open_days = _clean_days(days)
    if not open_days:
        return True
    clock = moment.time().replace(tzinfo=None)
    weekday = moment.weekday()
    if not _overnight(start, end):
        return weekday in open_days and start <= clock < end
    yesterday = (weekday - 1) % 7
    return (weekday in open_days and clock >= start) or (yesterday in open_days and clock < end)


def next_open(moment: datetime, days: Sequence[int], start: time, end: time) -> datetime:
    """``moment`` if the hours are open then, else the next time they open."""
    if within_hours(moment, days, start, end):
        return moment
    day = moment.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    open_days = _clean_days(days)
    for ahead in range(8):
        candidate = day + timedelta(days=ahead)
        if candidate > moment and candidate.weekday() in open_days:
            return candidate
    raise AssertionError("some day in the next week is always open")  # pragma: no cover


def _round_up_to_hour(moment: datetime) -> datetime:
    whole = moment.replace(minute=0, second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(hours=1)


def reply_expected_by(
    sent: datetime, days: Sequence[int], start: time, end: time, reply_within_hours: int
) -> datetime:
    """When the sender of a message sent at ``sent`` (local time) can expect a reply."""
    deadline = next_open(sent, days, start, end) + timedelta(hours=reply_within_hours)
    return _round_up_to_hour(next_open(deadline, days, start, end))


def clock(value: time) -> str:
    """9:00, 20:30: how people write times in a sentence."""
    return f"{value.hour}:{value.minute:02d}"


def describe_days(days: Sequence[int]) -> str:
    """Weekdays as people write them: a run of three or more days joined by an en dash
    ("Mon" to "Fri"), other days listed ("Mon, Wed, Fri"), or "Every day"."""
    open_days = _clean_days(days)
    if not open_days or len(open_days) == 7:
        return "Every day"
    runs: list[list[int]] = []
    for day in open_days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_NAMES[run[0]]}–{DAY_NAMES[run[-1]]}")
        else:
            parts.extend(DAY_NAMES[day] for day in run)
    return ", ".join(parts)


def describe_hours(days: Sequence[int], start: time, end: time) -> str:
    """The days, then the times, such as Mon to Fri 9:00 to 20:00 (with en dashes)."""
    if not _clean_days(days):
        return "any time"
    return f"{describe_days(days)} {clock(start)}–{clock(end)}"


def describe_moment(moment: datetime, now: datetime) -> str:
    """ "11:00 today", "11:00 tomorrow", "Tuesday 11:00" within the coming week, and
    "Tuesday 10 March, 11:00" further ahead."""
    at = clock(moment.time())
    ahead = (moment.date() - now.date()).days
    if ahead == 0:
        return f"{at} today"
    if ahead == 1:
        return f"{at} tomorrow"
    day_name = FULL_DAY_NAMES[moment.weekday()]
    if 0 < ahead < 7:
        return f"{day_name} {at}"
    return f"{day_name} {moment.day} {MONTH_NAMES[moment.month - 1]}, {at}"
