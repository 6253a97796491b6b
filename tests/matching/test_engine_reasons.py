"""Reasons a coordinator reads: why a pair was proposed, and why someone was not matched."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from matching.engine import (
    AgeRangePreference,
    GenderPreference,
    Mentee,
    Mentor,
    Preferences,
    Problem,
    SharedExperiencePreference,
    solve,
)
from matching.engine.explain import (
    AT_CAPACITY,
    AT_CAPACITY_REQUIRED,
    NO_MENTORS,
    UNMATCHED_REASONS,
)
from tests.matching import reference
from tests.matching.builders import FAR, mentee, mentor
from tests.matching.strategies import problems


def only_reason(*mentees: Mentee, mentors: tuple[Mentor, ...] | None = None) -> str:
    result = solve(Problem(mentors=(mentor(),) if mentors is None else mentors, mentees=mentees))
    assert not result.assignments
    return result.unmatched[0].reason


def test_a_proposed_pair_says_what_they_share_and_how_long_the_mentee_waited() -> None:
    result = solve(Problem(mentors=(mentor(),), mentees=(mentee(),)))
    (assignment,) = result.assignments
    assert assignment.reasons == (
        "Shares lived experience of anxiety",
        "Both free on Monday evenings",
        "Speaks Polish",
        "Can meet by video",
        "Waiting 35 days — prioritised",
    )


def test_a_short_wait_is_not_given_as_a_reason() -> None:
    (assignment,) = solve(
        Problem(mentors=(mentor(),), mentees=(mentee(waiting_days=3),))
    ).assignments
    assert not any(reason.startswith("Waiting") for reason in assignment.reasons)


def test_an_in_person_only_pair_gives_the_distance() -> None:
    (assignment,) = solve(
        Problem(mentors=(mentor(),), mentees=(mentee(formats=("in_person",)),))
    ).assignments
    assert "Can meet in person (2.6 km apart)" in assignment.reasons


def test_preferences_met_and_not_met_are_both_explained() -> None:
    preferences = Preferences(
        mentor_gender=GenderPreference(values=("woman",), required=True),
        age_range=AgeRangePreference(min_age=20, max_age=30),
        shared_experience=SharedExperiencePreference(),
    )
    (assignment,) = solve(
        Problem(mentors=(mentor(),), mentees=(mentee(preferences=preferences),))
    ).assignments
    assert "Mentor's gender (woman) is as preferred" in assignment.reasons
    assert "Preference not met: mentor aged 20–30 (mentor: 41)" in assignment.reasons


def test_many_shared_times_are_summarised() -> None:
    slots = ("mon_morning", "mon_evening", "tue_evening", "wed_evening", "sat_afternoon")
    (assignment,) = solve(
        Problem(mentors=(mentor(availability=slots),), mentees=(mentee(availability=slots),))
    ).assignments
    assert "Both free on Monday mornings, Monday evenings, Tuesday evenings and 2 more" in (
        assignment.reasons
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"languages": ("fr",)}, "no available mentor shares a language"),
        ({"formats": ("text",)}, "no mentor who shares a language can meet by text message"),
        ({"availability": ("sun_morning",)}, "no mentor is free at the same times"),
        (
            {"formats": ("in_person",), "location": FAR},
            "the mentors who could meet can only meet in person and are too far away",
        ),
        (
            {"formats": ("in_person",), "location": None},
            "the mentors who could meet can only meet in person, and there is no location to "
            "check the distance",
        ),
        (
            {
                "preferences": Preferences(
                    mentor_gender=GenderPreference(values=("man",), required=True)
                )
            },
            UNMATCHED_REASONS["mentor_gender"],
        ),
        (
            {"preferences": Preferences(age_range=AgeRangePreference(max_age=30, required=True))},
            UNMATCHED_REASONS["age_range"],
        ),
        (
            {
                "needs": ("psychosis",),
                "preferences": Preferences(
                    shared_experience=SharedExperiencePreference(required=True)
                ),
            },
            UNMATCHED_REASONS["shared_experience"],
        ),
        ({"exclude": ("M1",)}, UNMATCHED_REASONS["exclusions"]),
    ],
)
def test_an_unmatched_mentee_is_told_which_constraint_ruled_out_every_mentor(
    changes: dict[str, object], expected: str
) -> None:
    assert only_reason(mentee(**changes)) == expected


def test_a_mentor_who_excludes_the_mentee_rules_the_pair_out() -> None:
    assert (
        only_reason(mentee(), mentors=(mentor(exclude=("P1",)),))
        == (UNMATCHED_REASONS["exclusions"])
    )


def test_the_first_constraint_in_order_is_reported() -> None:
    # No shared language and no shared time: the language is named.
    assert only_reason(mentee(languages=("fr",), availability=("sun_morning",))) == (
        "no available mentor shares a language"
    )


def test_a_mentor_without_a_travel_limit_cannot_be_matched_in_person_only() -> None:
    reason = only_reason(mentee(formats=("in_person",)), mentors=(mentor(max_travel_km=None),))
    assert reason == "the mentors who could meet can only meet in person and are too far away"


def test_mentors_with_no_room_leave_the_mentee_at_capacity() -> None:
    assert only_reason(mentee(), mentors=(mentor(capacity=0),)) == AT_CAPACITY


def test_at_capacity_mentions_required_preferences_when_there_are_some() -> None:
    required = Preferences(mentor_gender=GenderPreference(values=("woman",), required=True))
    assert only_reason(mentee(preferences=required), mentors=(mentor(capacity=0),)) == (
        AT_CAPACITY_REQUIRED
    )


def test_the_longest_waiting_mentee_gets_the_last_place() -> None:
    waited_long = mentee(id="P1", waiting_days=80)
    waited_short = mentee(id="P2", waiting_days=5)
    result = solve(Problem(mentors=(mentor(),), mentees=(waited_short, waited_long)))
    assert [assignment.mentee for assignment in result.assignments] == ["P1"]
    assert [(entry.mentee, entry.reason) for entry in result.unmatched] == [("P2", AT_CAPACITY)]


def test_with_no_mentors_everyone_is_told_so() -> None:
    assert only_reason(mentee(), mentors=()) == NO_MENTORS


def test_a_declined_pair_is_not_proposed_again() -> None:
    problem = Problem(mentors=(mentor(), mentor(id="M2")), mentees=(mentee(),))
    (first,) = solve(problem).assignments
    (second,) = solve(problem.excluding([("P1", first.mentor)])).assignments
    assert second.mentor != first.mentor


@settings(max_examples=100, deadline=None)
@given(problems(max_mentees=6, max_mentors=3))
def test_a_constraint_reason_means_no_mentor_at_all_was_allowed(problem: Problem) -> None:
    result = solve(problem)
    mentees = {mentee.id: mentee for mentee in problem.mentees}
    for entry in result.unmatched:
        allowed = [m for m in problem.mentors if reference.allowed(mentees[entry.mentee], m)]
        if entry.reason in (AT_CAPACITY, AT_CAPACITY_REQUIRED):
            assert allowed
        else:
            assert not allowed


def test_a_nice_to_have_preference_never_lowers_someones_place():
    """Stating a preference that cannot be met leaves the score as if none had been stated."""
    from matching.engine import GenderPreference, Mentee, Mentor, Preferences, Problem, solve

    mentor = Mentor(
        id="M1",
        capacity=1,
        languages=("en",),
        formats=("video",),
        availability=("mon_evening",),
        gender="man",
    )

    def mentee(mentee_id: str, days: int, preferences: Preferences) -> Mentee:
        return Mentee(
            id=mentee_id,
            languages=("en",),
            formats=("video",),
            availability=("mon_evening",),
            waiting_days=days,
            preferences=preferences,
        )

    hoping = mentee("P1", 60, Preferences(mentor_gender=GenderPreference(values=("woman",))))
    plain = mentee("P2", 3, Preferences())
    (assignment,) = solve(Problem(mentors=(mentor,), mentees=(hoping, plain))).assignments
    assert assignment.mentee == "P1"
