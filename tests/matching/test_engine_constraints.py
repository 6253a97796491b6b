"""Every assignment the engine makes satisfies all five hard constraints, on generated problems.

The checks use tests/matching/reference.py, a plain one-pair-at-a-time reading of the issue.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings

from matching.engine import SCALE, Problem, solve
from matching.engine.constraints import allowed_pairs
from matching.engine.encoding import MenteeTable
from tests.matching import reference
from tests.matching.strategies import problems


def by_id(problem: Problem) -> tuple[dict, dict]:
    return (
        {mentee.id: mentee for mentee in problem.mentees},
        {mentor.id: mentor for mentor in problem.mentors},
    )


@settings(max_examples=200, deadline=None)
@given(problems(max_mentees=8, max_mentors=4, max_capacity=3))
def test_every_solution_respects_the_hard_constraints(problem: Problem) -> None:
    result = solve(problem)
    mentees, mentors = by_id(problem)

    # Constraints 2-5 (languages, slots, formats; distance; exclusions; required preferences).
    for assignment in result.assignments:
        mentee, mentor = mentees[assignment.mentee], mentors[assignment.mentor]
        assert reference.violated_constraint(mentee, mentor) is None, assignment

    # Constraint 1: capacity; and each mentee is matched or reported unmatched, once.
    load = Counter(assignment.mentor for assignment in result.assignments)
    assert all(count <= mentors[mentor_id].capacity for mentor_id, count in load.items())
    matched = [assignment.mentee for assignment in result.assignments]
    unmatched = [entry.mentee for entry in result.unmatched]
    assert sorted(matched + unmatched) == sorted(mentees)
    assert (result.stats.matched, result.stats.unmatched) == (len(matched), len(unmatched))

    # Nobody left out has an allowed mentor with room (the matching is maximal).
    for entry in result.unmatched:
        for mentor in problem.mentors:
            if reference.allowed(mentees[entry.mentee], mentor):
                assert load[mentor.id] == mentor.capacity

    # Scores: in [0, 1] and the documented formula, rounded to whole units of 1/SCALE.
    for assignment in result.assignments:
        assert 0.0 <= assignment.score <= 1.0
        expected = reference.score(mentees[assignment.mentee], mentors[assignment.mentor])
        assert abs(assignment.score - expected) <= 0.5 / SCALE + 1e-9


@settings(max_examples=150, deadline=None)
@given(problems(max_mentees=6, max_mentors=5))
def test_vectorised_constraints_agree_with_the_reference_on_every_pair(problem: Problem) -> None:
    mentors = problem.mentor_table
    mentees = MenteeTable.encode(problem.mentees, mentors)
    expected = np.array(
        [[reference.allowed(a, b) for b in problem.mentors] for a in problem.mentees],
        dtype=bool,
    ).reshape(len(problem.mentees), len(problem.mentors))
    assert (allowed_pairs(mentees, mentors) == expected).all()
