"""The relationship, ending, session and mentor figures, checked against small programmes
worked out by hand, and the queries every section takes.

"Now" is frozen at 20 January 2026, 12:00; the period is January 2026 (see
fixtures_programme). Each scenario puts something just outside the period, in another
organisation, or merged, so that counting it by mistake changes the figure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from mentoring.models import EndKind, EndReason, RelationshipStatus, SessionStatus
from referrals.models import Status
from reports import figures_programme
from reports.tables import withheld_keys
from tests.reports.fixtures_programme import (
    NOW,
    SINCE,
    UNTIL,
    jan,
    mentor,
    number,
    place,
    programme_filter,
    referral,
    relationship,
    session,
    table_rows,
    withheld,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


# Relationships, endings and the rematch rate -----------------------------------------------------

# Twelve relationships ended in January: (weeks from agreement to ending, reason).
ENDED = (
    (1, EndReason.END_DATE_REACHED),
    (2, EndReason.END_DATE_REACHED),
    (3, EndReason.END_DATE_REACHED),
    (4, EndReason.GOALS_MET),
    (5, EndReason.GOALS_MET),
    (6, EndReason.GOALS_MET),
    (7, EndReason.REMATCH),
    (8, EndReason.REMATCH),
    (9, EndReason.REMATCH),
    (10, EndReason.REMATCH),
    (11, EndReason.REMATCH),
    (20, EndReason.STOPPED_ENGAGING),
)


@pytest.fixture
def ended_programme(organisation, other_organisation, supervisor):
    """The twelve endings in ENDED, on 2 to 13 January, and twelve relationships going on.

    The first five ended relationships are in Northtown; the five rematches are with a mentor
    in the supervisor's team. The first six held 5 sessions each (30 in all); the last has no
    agreement, so its length runs from its start. Going on: five introductions started 14 to
    18 January, six active since November (one with 3 sessions held), one closing.
    Not counted: an ending a second before the period, one in another organisation.
    """
    mentor_profile = mentor(organisation)
    team_mentor = mentor(organisation, supervisor=supervisor)
    for index, (weeks, reason) in enumerate(ENDED):
        ended_at = jan(2 + index)
        agreed_at = ended_at - timedelta(weeks=weeks)
        ended = relationship(
            team_mentor if reason == EndReason.REMATCH else mentor_profile,
            started_at=agreed_at - timedelta(days=7) if index < 11 else agreed_at,
            activated_at=agreed_at if index < 11 else None,
            ended_at=ended_at,
            end_kind=EndKind.PLANNED if reason in EndReason.planned() else EndKind.UNPLANNED,
            end_reason=reason,
            area="Northtown" if index < 5 else "Southby",
        )
        for held in range(5 if index < 6 else 0):
            session(ended, at=agreed_at + timedelta(days=held))
        if reason == EndReason.REMATCH:
            session(ended, at=agreed_at, status=SessionStatus.CANCELLED_BY_MENTEE)
    for day in range(14, 19):
        relationship(mentor_profile, started_at=jan(day), status=RelationshipStatus.INTRODUCTION)
    november = datetime(2025, 11, 1, tzinfo=UTC)
    for index in range(6):
        active = relationship(mentor_profile, started_at=november, activated_at=november)
        for held in range(3 if index == 0 else 0):
            session(active, at=november + timedelta(weeks=held + 1))
    relationship(
        mentor_profile,
        started_at=datetime(2025, 10, 1, tzinfo=UTC),
        status=RelationshipStatus.CLOSING,
    )
    relationship(
        team_mentor,
        started_at=datetime(2025, 12, 1, tzinfo=UTC),
        activated_at=datetime(2025, 12, 1, tzinfo=UTC),
        ended_at=SINCE - timedelta(seconds=1),
        end_kind=EndKind.UNPLANNED,
        end_reason=EndReason.REMATCH,
    )
    relationship(
        mentor(other_organisation),
        started_at=datetime(2025, 12, 1, tzinfo=UTC),
        ended_at=jan(10),
        end_kind=EndKind.UNPLANNED,
        end_reason=EndReason.REMATCH,
    )
    return organisation


def test_relationships_now_and_in_the_period(ended_programme):
    section = figures_programme.relationships_section(programme_filter(ended_programme))

    assert number(section, "active_relationships") == 12  # 5 introductions + 6 active + 1
    # Under way at some time in January: the 12 going on and the 12 that ended in it.
    assert number(section, "relationships_in_period") == 24
    assert number(section, "relationships_started") == 5  # the introductions
    assert number(section, "relationships_ended") == 12
    # Of 12 now: introductions 5 (42%), active 6 (50%), closing 1 (withheld) — and with it the
    # introductions, the smallest of the rest, or 12 - 6 - 5 would give the 1 away.
    assert table_rows(section, "relationships_by_status") == {
        "Introduction planned": (None, None),
        "Active": (6, 50),
        "Planned ending under way": (None, None),
    }


def test_length_and_sessions_of_relationships_that_ended(ended_programme):
    section = figures_programme.relationships_section(programme_filter(ended_programme))

    # Weeks 1 to 11 and 20: the median is (6 + 7) / 2 = 6.5; the 90th percentile is at
    # position 11 * 0.9 = 9.9, between 10 and 11: 10 + 0.9 * 1 = 10.9.
    assert number(section, "median_length_weeks") == 6.5
    assert number(section, "p90_length_weeks") == 10.9
    # 6 relationships with 5 sessions held each = 30, over 12 that ended: 2.5. The 3 held by
    # an active relationship and the cancelled ones are not counted.
    assert number(section, "mean_sessions_held") == 2.5


def test_relationships_of_one_team(ended_programme, supervisor):
    section = figures_programme.relationships_section(
        programme_filter(ended_programme, team=supervisor)
    )

    # The five rematches: 7, 8, 9, 10, 11 weeks. Median 9; 90th at 3.6: 10 + 0.6 * 1 = 10.6.
    assert number(section, "relationships_ended") == 5
    assert number(section, "median_length_weeks") == 9
    assert number(section, "p90_length_weeks") == 10.6
    assert number(section, "mean_sessions_held") == 0
    assert number(section, "active_relationships") == 0


def test_endings_planned_or_not_and_why(ended_programme):
    section = figures_programme.endings_section(programme_filter(ended_programme))

    assert number(section, "endings") == 12
    assert number(section, "planned_ending_share") == 50  # 6 of 12
    assert section.headline("planned_ending_share").value.text == "50% (6 of 12)"
    assert number(section, "unplanned_endings") == 6
    assert table_rows(section, "endings_by_kind") == {
        "Planned ending": (6, 50),
        "Unplanned ending": (6, 50),
    }
    # Three of a reason is withheld; five rematches of 12 is 42%.
    assert table_rows(section, "endings_by_reason") == {
        "The planned length was reached": (None, None),
        "The mentee's goals were met": (None, None),
        "The mentee moved away": (0, 0),
        "The mentee stopped taking part": (None, None),
        "The mentee chose to stop": (0, 0),
        "The mentor left the programme": (0, 0),
        "Rematched with another mentor": (5, 42),
        "Referred on for more support": (0, 0),
        "Another reason": (0, 0),
    }


def test_endings_in_an_area(ended_programme):
    northtown = place(ended_programme, "Northtown")
    section = figures_programme.endings_section(programme_filter(ended_programme, area=northtown))

    # The first five: three end dates reached and two goals met, all planned.
    assert number(section, "endings") == 5
    assert section.headline("planned_ending_share").value.text == "100% (5 of 5)"
    assert number(section, "unplanned_endings") == 0


def test_rematch_rate_of_relationships_that_ended(ended_programme, supervisor):
    everyone = figures_programme.matching_section(programme_filter(ended_programme))
    team = figures_programme.matching_section(programme_filter(ended_programme, team=supervisor))

    # 5 rematches of the 12 that ended in January: 42%. The team's 5 endings were all
    # rematches: 100% (the rest, 0, is no small group).
    assert everyone.headline("rematch_rate").value.text == "42% (5 of 12)"
    assert team.headline("rematch_rate").value.text == "100% (5 of 5)"


# Sessions ----------------------------------------------------------------------------------------


@pytest.fixture
def session_programme(organisation, other_organisation, supervisor):
    """Sessions planned for January: held 6, cancelled by the mentor 5 (the team's), by the
    mentee 2, one planned for 19 January not recorded, five still to come (21 to 25 January).
    Not counted: held sessions a minute before and at the end of the period, and one in
    another organisation."""
    ours = relationship(mentor(organisation), started_at=datetime(2025, 12, 1, tzinfo=UTC))
    teams = relationship(
        mentor(organisation, supervisor=supervisor),
        started_at=datetime(2025, 12, 1, tzinfo=UTC),
    )
    for day in range(2, 8):
        session(ours, at=jan(day))
    for day in range(8, 13):
        session(teams, at=jan(day), status=SessionStatus.CANCELLED_BY_MENTOR)
    for day in (13, 14):
        session(ours, at=jan(day), status=SessionStatus.CANCELLED_BY_MENTEE)
    session(ours, at=jan(19), status=SessionStatus.PLANNED)
    for day in range(21, 26):
        session(ours, at=jan(day), status=SessionStatus.PLANNED)
    session(ours, at=SINCE - timedelta(minutes=1))
    session(ours, at=UNTIL)
    other = relationship(mentor(other_organisation), started_at=datetime(2025, 12, 1, tzinfo=UTC))
    session(other, at=jan(5))
    return organisation


def test_sessions_by_what_happened(session_programme):
    section = figures_programme.sessions_section(programme_filter(session_programme))

    # Due (time has come): 6 held + 5 + 2 cancelled + 1 not recorded = 14.
    assert number(section, "sessions_held") == 6
    assert section.headline("held_share").value.text == "43% (6 of 14)"  # 42.9%
    assert number(section, "sessions_missed") == 7  # 5 + 2 + 0 no-shows
    assert number(section, "sessions_to_come") == 5
    assert table_rows(section, "sessions_by_status") == {
        "Happened": (6, 43),
        "Cancelled by the mentor": (5, 36),  # 35.7%
        "Cancelled by the mentee": (None, None),
        "Did not happen (no-show)": (0, 0),
        "Not recorded yet": (None, None),
    }


def test_sessions_of_one_team(session_programme, supervisor):
    section = figures_programme.sessions_section(
        programme_filter(session_programme, team=supervisor)
    )

    assert number(section, "sessions_held") == 0
    assert section.headline("held_share").value.text == "0% (0 of 5)"
    assert number(section, "sessions_missed") == 5
    assert number(section, "sessions_to_come") == 0


# Mentors -----------------------------------------------------------------------------------------


@pytest.fixture
def mentor_programme(organisation, other_organisation, supervisor):
    """Mentors A to E (A and B in the supervisor's team) held sessions in January:
    A 90 minutes logged + 60 planned, B 45, C 30 planned, D 60, E 75 → 360 minutes, 6 hours.
    Not counted: A's 600 minutes in December, E's cancelled and planned sessions, another
    organisation's mentor.

    Active when January began (certified before it, not run out): A to E, L (runs out 25
    January), F, F2, F3 (ran out 10, 15 and 19 January), G (membership switched off),
    H (account closed), all in Northtown but A to E and L: 11. Still active now: A to E and L, 6.
    Also active now: I, certified on 5 January. Never counted: J (ran out in December),
    K (never certified).
    """
    held = {"A": [(90, 60)], "B": [(45, 60)], "C": [(None, 30)], "D": [(60, 60)], "E": [(75, 60)]}
    held["A"].append((None, 60))
    for name, sessions in held.items():
        profile = mentor(organisation, supervisor=supervisor if name in "AB" else None)
        ongoing = relationship(profile, started_at=datetime(2025, 12, 1, tzinfo=UTC))
        for day, (logged, planned) in enumerate(sessions, start=2):
            session(ongoing, at=jan(day), length_minutes=logged, planned_minutes=planned)
        if name == "A":
            session(ongoing, at=datetime(2025, 12, 20, tzinfo=UTC), length_minutes=600)
        if name == "E":
            session(ongoing, at=jan(6), status=SessionStatus.CANCELLED_BY_MENTOR)
            session(ongoing, at=jan(22), status=SessionStatus.PLANNED)
    mentor(organisation, expires_at=jan(25))  # L
    for runs_out in (jan(10), jan(15), jan(19)):  # F, F2, F3
        mentor(organisation, expires_at=runs_out, area="Northtown")
    mentor(organisation, member=False, area="Northtown")  # G
    mentor(organisation, account_open=False, area="Northtown")  # H
    mentor(organisation, certified_at=jan(5), expires_at=datetime(2027, 1, 5, tzinfo=UTC))  # I
    mentor(  # J
        organisation,
        certified_at=datetime(2024, 12, 1, tzinfo=UTC),
        expires_at=datetime(2025, 12, 1, tzinfo=UTC),
    )
    mentor(organisation, certified_at=None, expires_at=None)  # K
    other = relationship(mentor(other_organisation), started_at=datetime(2025, 12, 1, tzinfo=UTC))
    session(other, at=jan(3), length_minutes=120)
    return organisation


def test_mentor_hours_active_mentors_and_retention(mentor_programme):
    section = figures_programme.mentors_section(programme_filter(mentor_programme))

    assert number(section, "mentor_hours") == 6  # 150 + 45 + 30 + 60 + 75 = 360 minutes
    assert number(section, "mentors_with_sessions") == 5
    assert number(section, "active_mentors") == 7  # A to E, I and L
    assert withheld(section, "mentors_certified")  # I alone
    # 6 of 11 stayed: 54.5%, shown as 55%.
    assert section.headline("mentor_retention").value.text == "55% (6 of 11)"


def test_mentors_of_a_small_team_are_withheld(mentor_programme, supervisor):
    section = figures_programme.mentors_section(programme_filter(mentor_programme, team=supervisor))

    # A and B: 150 + 45 = 195 minutes, but from two mentors.
    assert withheld(section, "mentor_hours")
    assert withheld(section, "mentors_with_sessions")
    assert withheld(section, "active_mentors")


def test_retention_in_an_area(mentor_programme):
    northtown = place(mentor_programme, "Northtown")
    section = figures_programme.mentors_section(programme_filter(mentor_programme, area=northtown))

    # F, F2, F3, G and H were active when January began; none is now.
    assert section.headline("mentor_retention").value.text == "0% (0 of 5)"
    assert number(section, "active_mentors") == 0


# Queries -----------------------------------------------------------------------------------------


def _programme_of(organisation, supervisor, size: int) -> None:
    """``size`` relationships in Northtown, every other one in the supervisor's team and ended
    in January, each with two sessions and a waiting referral alongside: enough that every
    figure has rows to work on, whole or sliced (percentiles of no rows take fewer queries)."""
    mentors = (mentor(organisation, supervisor=supervisor), mentor(organisation))
    for index in range(size):
        ended = index % 2 == 0
        made = relationship(
            mentors[index % 2],
            started_at=jan(2 + index % 10),
            ended_at=jan(20) if ended else None,
            end_kind=EndKind.PLANNED if ended else "",
            end_reason=EndReason.GOALS_MET if ended else "",
            area="Northtown",
        )
        session(made, at=jan(3 + index % 10))
        session(made, at=jan(25), status=SessionStatus.PLANNED)
        referral(
            organisation,
            created_at=jan(1 + index % 10),
            status=Status.WAITING,
            waiting_since=jan(1 + index % 10),
            area="Northtown",
        )


SECTION_QUERIES = [
    # One aggregate; the median wait: one query for the rows around it.
    (figures_programme.referrals_section, 2),
    # Time to match: one query for the rows around both percentiles; one aggregate of endings.
    (figures_programme.matching_section, 2),
    # One aggregate; length: one query for the percentiles; one count of sessions held.
    (figures_programme.relationships_section, 3),
    (figures_programme.sessions_section, 1),
    (figures_programme.endings_section, 1),
    # Hours; then mentors.
    (figures_programme.mentors_section, 2),
]


@pytest.mark.parametrize("size", [5, 15])
@pytest.mark.parametrize(("section", "queries"), SECTION_QUERIES)
def test_queries_do_not_grow_with_the_programme(
    organisation, supervisor, django_assert_num_queries, section, queries, size
):
    _programme_of(organisation, supervisor, size)
    northtown = place(organisation, "Northtown")
    for report_filter in (
        programme_filter(organisation),
        programme_filter(organisation, team=supervisor, area=northtown),
    ):
        with django_assert_num_queries(queries):
            section(report_filter)


@pytest.mark.parametrize(("section", "queries"), SECTION_QUERIES)
def test_every_section_says_which_period_it_counts(organisation, section, queries):
    made = section(programme_filter(organisation))

    assert "1 January 2026 to 31 January 2026" in made.note
    assert "1 to 4" in made.note


def test_one_small_count_takes_the_smallest_of_the_rest_with_it():
    # 1 alone would be found by subtraction from the whole, so the 5 goes too; with two small
    # counts neither can be worked out, and zeros are never withheld.
    assert withheld_keys({"a": 1, "b": 5, "c": 9, "d": 0}) == {"a", "b"}
    assert withheld_keys({"a": 1, "b": 2, "c": 9}) == {"a", "b"}
    assert withheld_keys({"a": 6, "b": 9, "c": 0}) == set()
    assert withheld_keys({"a": 3, "b": 0}) == {"a"}
