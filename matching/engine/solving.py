"""The engine's two questions: the best matching for everyone waiting, and the best mentors for one
mentee."""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np

from matching.engine.constraints import allowed_pairs
from matching.engine.encoding import Flags, Ints, MenteeTable, MentorTable
from matching.engine.explain import at_capacity_reason, pair_reasons, unmatched_reasons
from matching.engine.model import (
    Assignment,
    Problem,
    ProblemError,
    Result,
    Stats,
    Suggestion,
    Unmatched,
)
from matching.engine.scoring import SCALE, score_allowed, to_units
from matching.engine.solver import solve_flow

# Pairs evaluated at once: bounds the memory of the temporary arrays (about 8 bytes a pair).
BLOCK_PAIRS = 1 << 21


def _blocks(rows: int, columns: int) -> Iterator[slice]:
    step = max(1, BLOCK_PAIRS // max(columns, 1))
    for start in range(0, rows, step):
        yield slice(start, min(start + step, rows))


def available_mentors(problem: Problem) -> MentorTable:
    """The mentors with room for at least one more mentee."""
    table = problem.mentor_table
    return table.take(np.flatnonzero(table.capacity > 0))


def scored_pairs(mentees: MenteeTable, mentors: MentorTable) -> tuple[Ints, Ints, Ints]:
    """Every allowed pair as (mentee rows, mentor columns, score units), block by block."""
    found_rows, found_columns, found_units = [], [], []
    for block in _blocks(len(mentees), len(mentors)):
        part = mentees.take(block)
        rows, columns, scores = score_allowed(part, mentors, allowed_pairs(part, mentors))
        found_units.append(to_units(scores))
        found_rows.append(rows + block.start)
        found_columns.append(columns)
    if not found_rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(found_rows), np.concatenate(found_columns), np.concatenate(found_units)


def solve(problem: Problem) -> Result:
    """Match as many mentees as possible and, among those matchings, the best total score."""
    started = time.perf_counter()
    mentors = available_mentors(problem)
    mentees = MenteeTable.encode(problem.mentees, mentors)
    rows, columns, units = scored_pairs(mentees, mentors)
    feasible_pairs = rows.size
    has_pairs = np.zeros(len(mentees), dtype=np.bool_)
    has_pairs[rows] = True
    chosen = solve_flow(len(mentees), mentors.capacity, rows, columns, units)
    # Still in mentee order, as the pairs were found.
    rows, columns, units = rows[chosen], columns[chosen], units[chosen]

    reasons = pair_reasons(mentees, mentors, rows, columns)
    assignments = tuple(
        Assignment(
            mentee=mentees.mentees[row].id,
            mentor=mentors.mentors[column].id,
            score=score / SCALE,
            reasons=pair_reason,
        )
        for row, column, score, pair_reason in zip(
            rows.tolist(), columns.tolist(), units.tolist(), reasons, strict=True
        )
    )

    unmatched = _unmatched(problem, mentees, rows, has_pairs)

    return Result(
        assignments=assignments,
        unmatched=unmatched,
        stats=Stats(
            matched=len(assignments),
            unmatched=len(unmatched),
            total_score=int(units.sum()) / SCALE,
            seconds=round(time.perf_counter() - started, 3),
            feasible_pairs=feasible_pairs,
        ),
    )


def _unmatched(
    problem: Problem, mentees: MenteeTable, matched_rows: Ints, has_pairs: Flags
) -> tuple[Unmatched, ...]:
    """Why each mentee left out was left out.

    Someone with an allowed mentor who has room was left out only because every such mentor
    was filled (the matching is maximum). Only people with no such mentor need the hard
    constraints replayed, against every mentor, to find the one that ruled everybody out.
    """
    matched = np.zeros(len(mentees), dtype=np.bool_)
    matched[matched_rows] = True
    replay = np.flatnonzero(~matched & ~has_pairs)
    everyone = problem.mentor_table
    waiting = MenteeTable.encode([mentees.mentees[row] for row in replay.tolist()], everyone)
    replayed: dict[int, str] = {}
    for block in _blocks(len(waiting), len(everyone)):
        reasons = unmatched_reasons(waiting.take(block), everyone)
        for row, reason in zip(replay[block].tolist(), reasons, strict=True):
            replayed[row] = reason
    return tuple(
        Unmatched(
            mentee=mentees.mentees[row].id,
            reason=replayed.get(row) or at_capacity_reason(mentees.mentees[row]),
        )
        for row in np.flatnonzero(~matched).tolist()
    )


def suggest(problem: Problem, mentee_id: str, k: int = 5) -> tuple[Suggestion, ...]:
    """The ``k`` best mentors with room for one mentee, best first (ties: the mentors' order).

    For a coordinator picking a mentor by hand; the same hard constraints and score as ``solve``.
    """
    mentee = next((mentee for mentee in problem.mentees if mentee.id == mentee_id), None)
    if mentee is None:
        raise ProblemError(f"no mentee with id {mentee_id!r}")
    mentors = available_mentors(problem)
    one = MenteeTable.encode([mentee], mentors)
    rows, columns, scores = score_allowed(one, mentors, allowed_pairs(one, mentors))
    units = to_units(scores)
    best = np.lexsort((columns, -units))[: max(k, 0)]
    reasons = pair_reasons(one, mentors, rows[best], columns[best])
    return tuple(
        Suggestion(mentor=mentors.mentors[column].id, score=score / SCALE, reasons=pair_reason)
        for column, score, pair_reason in zip(
            columns[best].tolist(), units[best].tolist(), reasons, strict=True
        )
    )
