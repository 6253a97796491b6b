"""Top suggestions for one mentee, for a coordinator who picks a mentor by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from matching.engine import Problem, ProblemError, solve, suggest
from tests.matching import reference
from tests.matching.builders import mentee, mentor
from tests.matching.strategies import problems


def test_suggestions_come_best_first_with_reasons() -> None:
    problem = Problem(
        mentors=(
            mentor(id="M1", lived_experience=("grief",)),
            mentor(id="M2"),
            mentor(id="M3", availability=("mon_evening",), lived_experience=()),
        ),
        mentees=(mentee(),),
    )
    suggestions = suggest(problem, "P1")
    assert [suggestion.mentor for suggestion in suggestions] == ["M2", "M1", "M3"]
    assert suggestions[0].score > suggestions[1].score
    assert "Shares lived experience of anxiety" in suggestions[0].reasons


def test_k_limits_the_number_of_suggestions_and_ties_keep_the_mentors_order() -> None:
    mentors = tuple(mentor(id=f"M{n}") for n in range(8))
    suggestions = suggest(Problem(mentors=mentors, mentees=(mentee(),)), "P1", k=3)
    assert [suggestion.mentor for suggestion in suggestions] == ["M0", "M1", "M2"]
    assert suggest(Problem(mentors=mentors, mentees=(mentee(),)), "P1", k=0) == ()


def test_mentors_without_room_or_excluded_or_not_allowed_are_not_suggested() -> None:
    problem = Problem(
        mentors=(
            mentor(id="M1", capacity=0),
            mentor(id="M2", exclude=("P1",)),
            mentor(id="M3", languages=("fr",)),
            mentor(id="M4"),
        ),
        mentees=(mentee(exclude=()),),
    )
    assert [suggestion.mentor for suggestion in suggest(problem, "P1")] == ["M4"]


def test_an_unknown_mentee_is_refused() -> None:
    with pytest.raises(ProblemError, match="no mentee with id 'P9'"):
        suggest(Problem(mentors=(mentor(),), mentees=(mentee(),)), "P9")


@settings(max_examples=80, deadline=None)
@given(problems(max_mentees=3, max_mentors=6))
def test_suggestions_are_the_allowed_mentors_with_room_by_score(problem: Problem) -> None:
    for one in problem.mentees:
        suggestions = suggest(problem, one.id, k=10)
        expected = {m.id for m in problem.mentors if m.capacity > 0 and reference.allowed(one, m)}
        assert {suggestion.mentor for suggestion in suggestions} == expected
        scores = [suggestion.score for suggestion in suggestions]
        assert scores == sorted(scores, reverse=True)


def test_the_solver_and_suggestions_agree_on_a_pair_score() -> None:
    problem = Problem(mentors=(mentor(),), mentees=(mentee(),))
    (assignment,) = solve(problem).assignments
    (suggestion,) = suggest(problem, "P1")
    assert (suggestion.score, suggestion.reasons) == (assignment.score, assignment.reasons)
