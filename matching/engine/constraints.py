"""The five hard constraints, evaluated for a block of mentees against every mentor at once.

Each stage narrows a boolean matrix ``allowed[mentee, mentor]`` in place. Solving runs all stages;
explaining an unmatched mentee runs the same stages in the same order and reports the first one
that leaves that mentee with no mentor at all, so the reason always agrees with the solver.
Capacity (constraint 1) belongs to the solver, not to these stages.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from matching.engine.encoding import (
    IN_PERSON_BIT,
    Bits,
    Flags,
    Floats,
    Ints,
    MenteeTable,
    MentorTable,
)

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def haversine_km(lat1: Floats, lon1: Floats, lat2: Floats, lon2: Floats) -> Floats:
    """Great-circle distance between points given in radians; NaN where a location is missing."""
    half_dlat = np.sin((lat2 - lat1) / 2)
    half_dlon = np.sin((lon2 - lon1) / 2)
    a = half_dlat * half_dlat + np.cos(lat1) * np.cos(lat2) * half_dlon * half_dlon
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def intersects(rows: Bits, columns: Bits) -> Flags:
    """``out[i, j]``: bitmask row ``i`` shares at least one bit with bitmask column ``j``."""
    out = (rows[:, 0, None] & columns[None, :, 0]) != 0
    for word in range(1, rows.shape[1]):
        out |= (rows[:, word, None] & columns[None, :, word]) != 0
    return out


def shared_count_matrix(rows: Bits, columns: Bits) -> npt.NDArray[np.uint8]:
    """``out[i, j]``: how many bits bitmask row ``i`` shares with bitmask column ``j``."""
    out = np.bitwise_count(rows[:, 0, None] & columns[None, :, 0])
    for word in range(1, rows.shape[1]):
        out += np.bitwise_count(rows[:, word, None] & columns[None, :, word])
    return out


def nonzero_pairs(matrix: Flags) -> tuple[Ints, Ints]:
    """Row and column of every true cell, row by row (several times faster than np.nonzero)."""
    flat = np.flatnonzero(matrix)
    rows, columns = np.divmod(flat, matrix.shape[1])
    return rows, columns


def _languages(mentees: MenteeTable, mentors: MentorTable, allowed: Flags) -> None:
    allowed &= intersects(mentees.languages, mentors.languages)


def _formats(mentees: MenteeTable, mentors: MentorTable, allowed: Flags) -> None:
    allowed &= (mentees.formats[:, None] & mentors.formats[None, :]) != 0


def _availability(mentees: MenteeTable, mentors: MentorTable, allowed: Flags) -> None:
    allowed &= intersects(mentees.slots, mentors.slots)


def _distance(mentees: MenteeTable, mentors: MentorTable, allowed: Flags) -> None:
    """Constraint 3: when in person is the only shared format, both must be close enough.

    Distances are computed only for the pairs that need one, which is a small share of all pairs.
    """
    only_in_person = (mentees.formats[:, None] & mentors.formats[None, :]) == IN_PERSON_BIT
    only_in_person &= allowed
    rows, columns = nonzero_pairs(only_in_person)
    if rows.size == 0:
        return
    distance = haversine_km(
        mentees.lat[rows], mentees.lon[rows], mentors.lat[columns], mentors.lon[columns]
    )
    # A missing location or travel limit gives NaN, and NaN <= x is false: too far.
    too_far = ~(distance <= mentors.max_travel_km[columns])
    allowed[rows[too_far], columns[too_far]] = False


def _mentor_gender(mentees: MenteeTable, mentors: MentorTable, allowed: Flags) -> None:
    rows = np.flatnonzero(mentees.gender_required)
    if rows.size:
        allowed[rows] &= intersects(mentees.gender_wanted[rows], mentors.gender)


def _age_range(mentees: MenteeTable, mentors: MentorTable, allowed: Flags) -> None:
    rows = np.flatnonzero(mentees.age_required)
    if rows.size:
        # A mentor without an age (NaN) is never shown to be within a required range.
        allowed[rows] &= (mentors.age[None, :] >= mentees.age_min[rows, None]) & (
            mentors.age[None, :] <= mentees.age_max[rows, None]
        )


def _shared_experience(mentees: MenteeTable, mentors: MentorTable, allowed: Flags) -> None:
    rows = np.flatnonzero(mentees.shared_required)
    if rows.size:
        allowed[rows] &= intersects(mentees.needs[rows], mentors.lived)


def _exclusions(mentees: MenteeTable, mentors: MentorTable, allowed: Flags) -> None:
    allowed[mentees.excluded_rows, mentees.excluded_columns] = False


Stage = Callable[[MenteeTable, MentorTable, Flags], None]

# In the order an unmatched mentee's reason is looked for: the first that empties the row.
STAGES: tuple[tuple[str, Stage], ...] = (
    ("languages", _languages),
    ("formats", _formats),
    ("availability", _availability),
    ("distance", _distance),
    ("mentor_gender", _mentor_gender),
    ("age_range", _age_range),
    ("shared_experience", _shared_experience),
    ("exclusions", _exclusions),
)


def allowed_pairs(
    mentees: MenteeTable,
    mentors: MentorTable,
    after_stage: Callable[[str, Flags], None] | None = None,
) -> Flags:
    """``allowed[i, j]``: mentee ``i`` and mentor ``j`` meet every hard constraint but capacity.

    ``mentees`` must have been encoded against ``mentors`` (the exclusions name its columns).
    """
    allowed = np.ones((len(mentees), len(mentors)), dtype=np.bool_)
    for name, stage in STAGES:
        stage(mentees, mentors, allowed)
        if after_stage is not None:
            after_stage(name, allowed)
    return allowed
