"""How good an allowed pair is: a weighted sum of four parts, each in [0, 1], so the score is too.

The weights and what each part measures are explained in docs/matching.md. The solver works in
whole "score units" (``SCALE`` per 1.0) so that the min-cost flow stays exact in integers; the
score reported for a pair is its units divided by ``SCALE``.
"""

from __future__ import annotations

import numpy as np

from matching.engine.constraints import intersects, shared_count_matrix
from matching.engine.encoding import Flags, Floats, Ints, MenteeTable, MentorTable

WEIGHT_EXPERIENCE = 0.35
WEIGHT_AVAILABILITY = 0.20
WEIGHT_PREFERENCES = 0.20
WEIGHT_WAITING = 0.25
WAITING_FULL_PRIORITY_DAYS = 90

SCALE = 10_000


def score_allowed(
    mentees: MenteeTable, mentors: MentorTable, allowed: Flags
) -> tuple[Ints, Ints, Floats]:
    """Every allowed pair of a block as (mentee rows, mentor columns, score), row by row.

    Shared counts are worked out for the whole block in narrow integer types (cheap), then read
    at the allowed cells only; the floating-point sum runs over allowed pairs alone. Required
    preferences count as met, which for an allowed pair they are.
    """
    flat = np.flatnonzero(allowed)
    rows, columns = np.divmod(flat, allowed.shape[1])

    shared_experience = shared_count_matrix(mentees.needs, mentors.lived)
    met = np.zeros(allowed.shape, dtype=np.uint8)
    stated = np.flatnonzero(mentees.gender_stated)
    if stated.size:
        met[stated] += intersects(mentees.gender_wanted[stated], mentors.gender)
    stated = np.flatnonzero(mentees.age_stated)
    if stated.size:
        met[stated] += (mentors.age[None, :] >= mentees.age_min[stated, None]) & (
            mentors.age[None, :] <= mentees.age_max[stated, None]
        )
    stated = np.flatnonzero(mentees.shared_stated)
    if stated.size:
        met[stated] += shared_experience[stated] > 0
    shared_slots = shared_count_matrix(mentees.slots, mentors.slots)

    base, per_experience, per_slot, per_preference = _row_weights(mentees)
    scores = base[rows]
    scores += per_experience[rows] * shared_experience.ravel()[flat]
    scores += per_slot[rows] * shared_slots.ravel()[flat]
    scores += per_preference[rows] * met.ravel()[flat]
    return rows, columns, scores


def _row_weights(mentees: MenteeTable) -> tuple[Floats, Floats, Floats, Floats]:
    """Per mentee: the score's constant part, and what one shared need, one shared slot and one
    preference met add. Folding the divisions into these keeps the per-pair work to three
    multiply-adds."""

    def share(weight: float, counts: Floats) -> Floats:
        return np.divide(weight, counts, out=np.zeros(len(counts)), where=counts > 0)

    stated = mentees.stated_count
    waiting = np.minimum(mentees.waiting_days / WAITING_FULL_PRIORITY_DAYS, 1.0)
    # A preference met adds to the score; one not met, or none stated, adds nothing, so stating
    # a "nice to have" can never leave someone worse placed than not stating it.
    base = WEIGHT_WAITING * waiting
    return (
        base,
        share(WEIGHT_EXPERIENCE, mentees.needs_count),
        share(WEIGHT_AVAILABILITY, mentees.slot_count),
        share(WEIGHT_PREFERENCES, stated),
    )


def to_units(scores: Floats) -> Ints:
    """Scores as whole units of ``1 / SCALE``, the solver's integer costs (rounded to nearest)."""
    return np.rint(scores * SCALE).astype(np.int64)
