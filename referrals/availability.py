"""When someone can meet, as parts of the week a person would tick and the matching engine can
compare: a weekday and a part of the day (``mon_evening``)."""

from __future__ import annotations

from datetime import time

WEEKDAYS = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
]
DAY_PARTS = [
    ("morning", "Morning", 9, 12),
    ("afternoon", "Afternoon", 12, 17),
    ("evening", "Evening", 17, 21),
]

SLOT_CHOICES = [
    (f"{day}_{part}", f"{day_label} {part_label.lower()}")
    for day, day_label in WEEKDAYS
    for part, part_label, _, _ in DAY_PARTS
]
SLOT_LABELS = dict(SLOT_CHOICES)


def slots_overlapping(weekday: int, starts_hour: float, ends_hour: float) -> list[str]:
    """The parts of the day a mentor's time slot touches (weekday 0 is Monday)."""
    day = WEEKDAYS[weekday][0]
    return [
        f"{day}_{part}"
        for part, _, part_start, part_end in DAY_PARTS
        if starts_hour < part_end and ends_hour > part_start
    ]


def slots_for_times(weekday: int, starts_at: time, ends_at: time) -> list[str]:
    """``slots_overlapping`` for a mentor's slot given as clock times."""
    return slots_overlapping(
        weekday,
        starts_at.hour + starts_at.minute / 60,
        ends_at.hour + ends_at.minute / 60,
    )


def slot_labels(slots: list[str]) -> list[str]:
    return [SLOT_LABELS[slot] for slot in slots if slot in SLOT_LABELS]
