"""alongside/durations.py says the time between two moments in the same words as Django's
``timesince(depth=1)``, under a month and beyond it, across month ends and clock changes."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils.timesince import timesince, timeuntil

from alongside.durations import time_between

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (-90, "0\xa0minutes"),
        (0, "0\xa0minutes"),
        (59.9, "0\xa0minutes"),
        (60, "1\xa0minute"),
        (119, "1\xa0minute"),
        (120, "2\xa0minutes"),
        (3600, "1\xa0hour"),
        (86399, "23\xa0hours"),
        (86400, "1\xa0day"),
        (7 * 86400, "1\xa0week"),
        (27 * 86400, "3\xa0weeks"),
    ],
)
def test_the_words_for_a_few_spans(seconds, words):
    later = START + timedelta(seconds=seconds)
    assert time_between(START, later) == words == timesince(START, later, depth=1)


def test_the_same_words_as_django_for_thousands_of_spans():
    chooser = random.Random(11)  # the same spans every run
    for _ in range(5000):
        earlier = START + timedelta(seconds=chooser.uniform(0, 400 * 86400))
        span = chooser.choice([60, 3600, 86400, 40 * 86400, 800 * 86400])
        later = earlier + timedelta(seconds=chooser.uniform(-60, span))
        if chooser.random() < 0.5:
            later = later.astimezone(LONDON)
        assert time_between(earlier, later) == timesince(earlier, later, depth=1)
        assert time_between(later, earlier) == timeuntil(earlier, later, depth=1)


def test_month_ends_and_the_clock_change():
    for earlier, later in [
        (datetime(2026, 1, 31, 9, tzinfo=UTC), datetime(2026, 2, 28, 9, tzinfo=UTC)),
        (datetime(2026, 1, 31, 9, tzinfo=UTC), datetime(2026, 3, 1, 9, tzinfo=UTC)),
        (datetime(2026, 2, 1, 9, tzinfo=UTC), datetime(2026, 3, 1, 8, 59, tzinfo=UTC)),
        (datetime(2026, 3, 28, 12, tzinfo=LONDON), datetime(2026, 3, 29, 12, tzinfo=LONDON)),
        (datetime(2025, 11, 21, 10, tzinfo=UTC), datetime(2026, 11, 22, 10, tzinfo=UTC)),
    ]:
        assert time_between(earlier, later) == timesince(earlier, later, depth=1)
