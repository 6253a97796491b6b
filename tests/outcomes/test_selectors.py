"""Reads behind the progress pages: a person's series per instrument, change judged end to end,
what is due now, and programme figures with small groups withheld."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from outcomes import instruments as engine
from outcomes.models import MeasureSchedule, RequestStatus
from outcomes.selectors import (
    WITHHELD,
    Share,
    open_requests_for,
    person_progress,
    programme_change,
    scored_series,
)
from tests.conftest import make_member
from tests.outcomes.fixtures import make_request, make_response

pytestmark = pytest.mark.django_db


def phq(total: int) -> list[int | None]:
    """PHQ-9 answers adding up to ``total`` (question 9 always 0, so no flag)."""
    answers: list[int | None] = []
    for _ in range(8):
        answers.append(min(3, total))
        total -= answers[-1]
    assert total == 0, "at most 24 without question 9"
    return [*answers, 0]


def who(total: int) -> list[int | None]:
    answers: list[int | None] = []
    for _ in range(5):
        answers.append(min(5, total))
        total -= answers[-1]
    return answers


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def mentees(organisation, how_many: int, start: int = 0):
    return [
        make_member(organisation, Role.MENTEE, f"person{n}@example.org")
        for n in range(start, start + how_many)
    ]


# One person --------------------------------------------------------------------------------------


def test_series_is_oldest_first_whatever_order_they_were_saved_in(mentee, phq9):
    make_response(mentee, "phq9", phq(9), completed_at=days_ago(10))
    make_response(mentee, "phq9", phq(18), completed_at=days_ago(60))
    make_response(mentee, "phq9", phq(12), completed_at=days_ago(30))
    series = scored_series(mentee, phq9)
    assert [point.total for point in series] == [18, 12, 9]
    assert [point.value for point in series] == [18, 12, 9]
    assert series[0].band == "moderately_severe" and series[-1].band == "mild"


def test_series_leaves_out_unscored_and_unfinished_responses_and_other_instruments(mentee, phq9):
    make_response(mentee, "phq9", phq(6), completed_at=days_ago(20))
    unscored = make_response(mentee, "phq9", [1, None, None, None, 1, 1, 1, 1, 0])
    assert unscored.total is None
    unfinished = make_response(mentee, "phq9", phq(3))
    unfinished.completed_at = None
    unfinished.save()
    make_response(mentee, "gad7", [1] * 7)
    assert [point.total for point in scored_series(mentee, phq9)] == [6]


def test_who5_series_is_on_its_percentage_basis(mentee, who5):
    make_response(mentee, "who5", who(10), completed_at=days_ago(5))
    (point,) = scored_series(mentee, who5)
    assert (point.total, point.percentage, point.value) == (10, 40, 40)


@pytest.mark.parametrize(
    ("first", "latest", "kind", "recovery"),
    [
        (18, 9, engine.ChangeKind.IMPROVED, True),
        (18, 11, engine.ChangeKind.IMPROVED, False),
        (18, 14, engine.ChangeKind.NO_RELIABLE_CHANGE, False),
        (5, 12, engine.ChangeKind.DETERIORATED, False),
    ],
)
def test_change_from_first_to_latest_is_judged_with_the_reliable_change_index(
    mentee, organisation, phq9, first, latest, kind, recovery
):
    make_response(mentee, "phq9", phq(first), completed_at=days_ago(90))
    make_response(mentee, "phq9", phq(20), completed_at=days_ago(40))
    make_response(mentee, "phq9", phq(latest), completed_at=days_ago(1))
    (item,) = person_progress(mentee, organisation).instruments
    assert item.first.total == first and item.latest.total == latest
    assert item.change.kind == kind
    assert item.change.reliable_recovery is recovery
    assert item.change.difference == latest - first


def test_who5_improvement_is_judged_upwards_on_percentage_points(mentee, organisation, who5):
    make_response(mentee, "who5", who(8), completed_at=days_ago(30))  # 32%
    make_response(mentee, "who5", who(14), completed_at=days_ago(2))  # 56%
    (item,) = person_progress(mentee, organisation).instruments
    assert (item.first.value, item.latest.value) == (32, 56)
    assert item.change.kind == engine.ChangeKind.IMPROVED
    assert item.change.reliable_recovery  # 50 or less is the clinical range
    assert item.scale_max == 100 and item.scale_min == 0


def test_one_score_has_no_change_yet(mentee, organisation, phq9):
    make_response(mentee, "phq9", phq(7))
    (item,) = person_progress(mentee, organisation).instruments
    assert item.change is None and item.first == item.latest


def test_person_progress_groups_per_instrument_in_a_fixed_number_of_queries(
    mentee, organisation, phq9, gad7, django_assert_num_queries
):
    for days in range(10, 0, -1):
        make_response(mentee, "phq9", phq(days), completed_at=days_ago(days))
        make_response(mentee, "gad7", [1] * 7, completed_at=days_ago(days))
    make_request(mentee, "who5", occasion="extra")
    with django_assert_num_queries(2):
        progress = person_progress(mentee, organisation)
        assert [item.instrument.key for item in progress.instruments] == ["gad7", "phq9"]
        assert [point.total for point in progress.instruments[1].points] == list(range(10, 0, -1))
        # the table lists responses newest first
        assert progress.instruments[1].responses[0].total == 1
        assert [r.instrument.key for r in progress.open_requests] == ["who5"]


def test_person_progress_keeps_to_the_organisation(mentee, organisation, other_organisation, phq9):
    make_response(mentee, "phq9", phq(7))
    assert person_progress(mentee, other_organisation).instruments == []
    assert len(person_progress(mentee, organisation).instruments) == 1


def test_open_requests_are_those_due_now_oldest_first(mentee, phq9):
    today = timezone.localdate()
    later = make_request(mentee, "phq9", occasion="extra", due_on=today)
    earlier = make_request(
        mentee, "gad7", occasion="extra", due_on=today - timedelta(days=3), status="started"
    )
    make_request(mentee, "who5", occasion="extra", due_on=today + timedelta(days=2))
    make_request(mentee, "phq9", occasion="baseline", status=RequestStatus.COMPLETED)
    make_request(mentee, "gad7", occasion="baseline", status=RequestStatus.EXPIRED)
    make_request(mentee, "who5", occasion="baseline", status=RequestStatus.CANCELLED)
    assert open_requests_for(mentee) == [earlier, later]


# The programme -----------------------------------------------------------------------------------


def improve(people, *, first=18, latest=9):
    for person in people:
        make_response(person, "phq9", phq(first), completed_at=days_ago(60))
        make_response(person, "phq9", phq(latest), completed_at=days_ago(5))


def phq9_change(organisation):
    return next(c for c in programme_change(organisation) if c.instrument.key == "phq9")


def test_fewer_than_five_people_are_withheld(organisation, phq9):
    improve(mentees(organisation, 4))
    change = phq9_change(organisation)
    assert change.people == 4 and change.withheld
    assert change.mean_first is None and change.mean_latest is None
    assert str(change.improved) == WITHHELD


def test_five_people_are_shown(organisation, phq9):
    improve(mentees(organisation, 5))
    change = phq9_change(organisation)
    assert change.people == 5 and not change.withheld
    assert (change.mean_first, change.mean_latest, change.mean_change) == (18, 9, -9)
    assert str(change.improved) == "5 (100%)"
    assert str(change.no_reliable_change) == "0 (0%)"
    assert str(change.started_in_clinical_range) == "5 (100%)"
    assert str(change.reliable_recovery) == "5 (100%)"


def test_people_with_one_score_do_not_count_towards_change(organisation, phq9):
    improve(mentees(organisation, 5))
    for person in mentees(organisation, 3, start=10):
        make_response(person, "phq9", phq(20))
    assert phq9_change(organisation).people == 5


def test_a_count_from_one_to_four_is_withheld_and_so_is_what_would_give_it_away(organisation, phq9):
    people = mentees(organisation, 10)
    improve(people[:7])  # 18 -> 9
    improve(people[7:9], first=10, latest=10)  # no reliable change: 2
    improve(people[9:], first=4, latest=12)  # deteriorated: 1
    change = phq9_change(organisation)
    assert change.people == 10
    assert str(change.improved) == "7 (70%)"
    assert str(change.no_reliable_change) == WITHHELD
    assert str(change.deteriorated) == WITHHELD
    assert change.mean_change is not None


def test_a_single_small_count_takes_the_next_smallest_with_it(organisation, phq9):
    people = mentees(organisation, 10)
    improve(people[:7])
    improve(people[7:], first=10, latest=10)  # 3 no reliable change, 0 deteriorated
    change = phq9_change(organisation)
    assert str(change.improved) == "7 (70%)"
    # 3 alone would be worked out as 10 - 7 - 0: the 0 is withheld too
    assert str(change.no_reliable_change) == WITHHELD
    assert str(change.deteriorated) == WITHHELD


def test_recovery_is_among_those_who_started_in_the_clinical_range(organisation, phq9):
    people = mentees(organisation, 12)
    improve(people[:6])  # 18 -> 9: recovery
    improve(people[6:], first=4, latest=3)  # not in the clinical range at the start
    change = phq9_change(organisation)
    assert str(change.started_in_clinical_range) == "6 (50%)"
    assert str(change.reliable_recovery) == "6 (100%)"


def test_completion_is_completed_out_of_completed_and_closed_in_the_last_year(organisation, phq9):
    people = mentees(organisation, 10)
    today = timezone.localdate()
    for person in people[:6]:
        make_request(person, "phq9", status=RequestStatus.COMPLETED)
    for person in people[6:8]:
        make_request(person, "phq9", status=RequestStatus.EXPIRED)
    # Still open, cancelled, or from more than a year ago: not counted
    make_request(people[8], "phq9")
    make_request(people[8], "phq9", occasion="baseline", status=RequestStatus.CANCELLED)
    make_request(
        people[9], "phq9", status=RequestStatus.EXPIRED, due_on=today - timedelta(days=400)
    )
    completion = phq9_change(organisation).completion
    assert (completion.count, completion.of, completion.percent) == (6, 8, 75)
    assert not completion.withheld


def test_completion_from_fewer_than_five_requests_is_withheld(organisation, phq9):
    for person in mentees(organisation, 3):
        make_request(person, "phq9", status=RequestStatus.COMPLETED)
    assert phq9_change(organisation).completion.withheld


def test_instruments_in_use_are_the_scheduled_and_the_answered_ones(
    organisation, other_organisation, phq9, gad7, who5
):
    MeasureSchedule.objects.create(organisation=organisation, instrument=gad7)
    make_response(mentees(organisation, 1)[0], "phq9", phq(5))
    make_response(make_member(other_organisation, Role.MENTEE, "x@example.org"), "who5", who(9))
    assert [c.instrument.key for c in programme_change(organisation)] == ["gad7", "phq9"]


def test_programme_change_takes_a_fixed_number_of_queries(
    organisation, phq9, gad7, django_assert_num_queries
):
    improve(mentees(organisation, 8))
    with django_assert_num_queries(3):
        programme_change(organisation)
    improve(mentees(organisation, 8, start=20), first=12, latest=11)
    for person in mentees(organisation, 3, start=40):
        make_response(person, "gad7", [2] * 7)
        make_request(person, "gad7", status=RequestStatus.COMPLETED)
    with django_assert_num_queries(3):
        assert len(programme_change(organisation)) == 2


def test_share_wording():
    assert str(Share.of_group(0, 0)) == "none"
    assert str(Share.of_group(3, 10)) == WITHHELD
    assert str(Share.of_group(5, 10)) == "5 (50%)"
    assert Share.of_split(7, 10).withheld  # the other 3 are implied
    assert Share.of_group(0, 4).withheld
