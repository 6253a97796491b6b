"""How long between two moments, in words, as Django's ``timesince(..., depth=1)`` says it
("5 minutes", "1 hour", "3 weeks"), without its translation lookups.

The alert queue says how long ago each alert was raised and how long until (or since) its
deadline: some 125 phrases a page, and ``timesince`` spends about 40 µs on each looking up
plural forms in the active translation. The site speaks British English only, so under a
calendar month the words are worked out here; a month or more (where ``timesince`` counts
calendar months and years) is still left to ``timesince``. tests/project/test_durations.py
holds the two to the same words.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.timesince import timesince

HOUR = 60 * 60
UNDER_A_MONTH = ((7 * 24 * HOUR, "week"), (24 * HOUR, "day"), (HOUR, "hour"), (60, "minute"))
NO_TIME = "0\xa0minutes"  # timesince keeps a number and its unit together on one line


def time_between(earlier: datetime, later: datetime) -> str:
    """``timesince(earlier, later, depth=1)`` for time-zone-aware moments."""
    later = later.astimezone(earlier.tzinfo)
    delta = later - earlier
    if delta.days * 24 * 60 * 60 + delta.seconds <= 0:
        return NO_TIME
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    if earlier.day > later.day or (earlier.day == later.day and earlier.time() > later.time()):
        months -= 1
    if months:
        return timesince(earlier, later, depth=1)
    remaining = delta.total_seconds()
    for seconds, unit in UNDER_A_MONTH:
        count = int(remaining // seconds)
        if count:
            return f"{count}\xa0{unit}" if count == 1 else f"{count}\xa0{unit}s"
    return NO_TIME
