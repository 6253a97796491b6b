"""The engine's answer is optimal: as many mentees matched as any assignment could, and the
largest total score among those, compared with every possible assignment on small problems.

Scores are rounded to whole units of 1/SCALE before the solve, so the total can fall short of
the true best by at most half a unit per pair on each side: 1/SCALE per matched pair.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import SCALE, Problem, solve
from matching.engine import solver as solver_module
from matching.engine.encoding import MenteeTable
from matching.engine.solving import available_mentors, scored_pairs
from tests.matching import reference
from tests.matching.strategies import problems


def check_against_brute_force(problem: Problem) -> None:
    best_count, best_total = 0, 0.0
    for matching in reference.all_matchings(problem):
        total = reference.total_score(problem, matching)
        if (len(matching), total) > (best_count, best_total):
            best_count, best_total = len(matching), total

    result = solve(problem)
    found = {assignment.mentee: assignment.mentor for assignment in result.assignments}
    assert len(found) == best_count
    bound = best_count / SCALE + 1e-9
    assert reference.total_score(problem, found) >= best_total - bound


@settings(max_examples=200, deadline=None)
@given(problems(max_mentees=5, max_mentors=3, max_capacity=2))
def test_solve_matches_as_many_and_scores_as_high_as_brute_force(problem: Problem) -> None:
    check_against_brute_force(problem)


@settings(max_examples=100, deadline=None)
@given(problems(max_mentees=5, max_mentors=3, max_capacity=2))
def test_the_subset_rounds_reach_the_same_optimum(problem: Problem) -> None:
    """The large-problem path (solve a subset, prove it by duality, add arcs), forced on."""
    with (
        mock.patch.object(solver_module, "DIRECT_ARCS", 0),
        mock.patch.object(solver_module, "FIRST_PER_MENTEE", 1),
        mock.patch.object(solver_module, "FIRST_PER_PLACE", 0),
    ):
        check_against_brute_force(problem)


@settings(max_examples=40, deadline=None)
@given(problems(max_mentees=30, max_mentors=8, max_capacity=3), st.integers(0, 2))
def test_subset_rounds_equal_the_whole_network_on_larger_problems(
    problem: Problem, first_per_mentee: int
) -> None:
    mentors = available_mentors(problem)
    mentees = MenteeTable.encode(problem.mentees, mentors)
    rows, columns, units = scored_pairs(mentees, mentors)
    whole = solver_module.solve_flow(len(mentees), mentors.capacity, rows, columns, units)
    with (
        mock.patch.object(solver_module, "FIRST_PER_MENTEE", first_per_mentee),
        mock.patch.object(solver_module, "FIRST_PER_PLACE", 0),
    ):
        rounds = solver_module.solve_flow(
            len(mentees), mentors.capacity, rows, columns, units, direct_arcs=0
        )
    assert rounds.sum() == whole.sum()
    assert units[rounds].sum() == units[whole].sum()
    for chosen in (whole, rounds):
        load = np.bincount(columns[chosen], minlength=len(mentors))
        assert (load <= mentors.capacity).all()
        assert np.bincount(rows[chosen], minlength=len(mentees)).max(initial=0) <= 1
