"""When measures fall due: at intake, after every N sessions, every N weeks, at the planned
ending, at an unplanned ending and at follow-up; never twice for one occasion, never two of the
same questionnaire open at once, and nothing left behind when the triggering change fails."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Language
from audit.models import AuditEvent
from mentoring.models import (
    EndReason,
    MentoringSession,
    MentoringSettings,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)
from mentoring.services.ending import ending_begin, relationship_close
from mentoring.services.sessions import session_log
from outcomes.models import (
    Instrument,
    MeasureRequest,
    MeasureSchedule,
    MeasureSettings,
    Occasion,
    RequestStatus,
)
from outcomes.services.reminders import requests_close_overdue
from outcomes.services.scheduling import (
    measure_schedules,
    request_extra,
    requests_after_session,
    requests_at_intake,
    requests_by_weeks,
)
from referrals.models import Status
from referrals.services.intake import intake_complete
from tests.mentoring.factories import SessionFactory
from tests.mentoring.fixtures import _pair, activate
from tests.outcomes.fixtures import make_request, make_response
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

ALL_THREE = {"phq9", "gad7", "who5"}


def keys(requests) -> set[str]:
    return {request.instrument.key for request in requests}


def requests_of(person, **filters):
    return MeasureRequest.objects.filter(person=person, **filters).select_related("instrument")


def intake_answers(areas):
    return {
        "support_areas": areas[:1],
        "goals": "Feel steadier day to day.",
        "languages": list(Language.objects.filter(code="en")),
        "formats": ["video"],
        "availability_slots": ["tue_evening"],
        "area": "Leeds",
    }


@pytest.fixture
def at_intake(organisation, areas):
    referral = ReferralFactory(
        organisation=organisation,
        status=Status.INTAKE,
        full_name="Jo Intake",
        email="jo.intake@example.net",
    )
    referral.support_areas.set(areas[:1])
    return referral


def held(relationship, count):
    for number in range(count):
        SessionFactory(
            relationship=relationship,
            scheduled_for=timezone.now() - timedelta(days=7 * (count - number) + 1),
            status=SessionStatus.HELD,
            length_minutes=50,
        )


def log_one_held(relationship, mentor):
    session = SessionFactory(
        relationship=relationship, scheduled_for=timezone.now() - timedelta(hours=2)
    )
    return session_log(
        actor=mentor,
        session=session,
        outcome=SessionStatus.HELD,
        length_minutes=55,
        version=session.version,
    )


def use_weeks(organisation, key, every):
    measure_schedules(organisation)
    MeasureSchedule.objects.filter(organisation=organisation, instrument__key=key).update(
        every_weeks=every
    )


# Defaults ----------------------------------------------------------------------------------------


def test_an_organisation_starts_with_the_three_shipped_instruments(organisation):
    schedules = list(measure_schedules(organisation))
    assert keys(schedule for schedule in schedules) == ALL_THREE
    assert all(
        s.at_baseline and s.every_sessions == 6 and s.every_weeks is None and s.at_closure
        for s in schedules
    )
    measure_schedules(organisation)
    assert MeasureSchedule.objects.filter(organisation=organisation).count() == 3


def test_an_organisation_that_stopped_using_everything_gets_no_defaults_back(organisation):
    measure_schedules(organisation)
    MeasureSchedule.objects.filter(organisation=organisation).update(is_active=False)
    assert list(measure_schedules(organisation)) == []


# Intake ------------------------------------------------------------------------------------------


def test_completing_intake_makes_the_baseline_measures_due_now(
    at_intake, areas, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = intake_complete(
            actor=coordinator, referral=at_intake, data=intake_answers(areas)
        )
    made = requests_of(referral.mentee)
    assert keys(made) == ALL_THREE
    for request in made:
        assert request.occasion == Occasion.BASELINE
        assert request.referral_id == referral.pk and request.relationship_id is None
        assert request.due_on == timezone.localdate()
        assert request.closes_on == timezone.localdate() + timedelta(days=28)
        assert request.status == RequestStatus.DUE
    events = AuditEvent.objects.filter(action="measure.requested")
    assert events.count() == 3
    assert events.first().metadata["occasion"] == "baseline"


def test_someone_without_an_account_gets_no_baseline(organisation, areas, coordinator):
    referral = ReferralFactory(organisation=organisation, status=Status.INTAKE, email="")
    referral.support_areas.set(areas[:1])
    intake_complete(actor=coordinator, referral=referral, data=intake_answers(areas))
    assert not MeasureRequest.objects.exists()


def test_a_second_referral_does_not_ask_for_a_baseline_already_given(
    organisation, mentee, coordinator
):
    first = ReferralFactory(organisation=organisation, mentee=mentee, status=Status.WAITING)
    completed = make_request(mentee, "phq9", occasion=Occasion.BASELINE, number=0, referral=first)
    make_response(mentee, "phq9", [1] * 9, occasion=Occasion.BASELINE, request=completed)
    make_request(mentee, "gad7", occasion=Occasion.BASELINE, number=0, referral=first)
    second = ReferralFactory(organisation=organisation, mentee=mentee, status=Status.WAITING)

    made = requests_at_intake(referral=second, actor=coordinator)

    assert keys(made) == {"who5"}
    assert requests_of(mentee, occasion=Occasion.BASELINE).count() == 3


def test_a_second_referral_after_an_unanswered_baseline_asks_again(
    organisation, mentee, coordinator
):
    first = ReferralFactory(organisation=organisation, mentee=mentee, status=Status.WAITING)
    make_request(
        mentee,
        "phq9",
        occasion=Occasion.BASELINE,
        number=0,
        referral=first,
        status=RequestStatus.EXPIRED,
    )
    second = ReferralFactory(organisation=organisation, mentee=mentee, status=Status.WAITING)
    assert keys(requests_at_intake(referral=second, actor=coordinator)) == ALL_THREE
    assert keys(requests_at_intake(referral=second, actor=coordinator)) == set()


# Sessions ----------------------------------------------------------------------------------------


def test_the_sixth_session_held_makes_the_sessions_measures_due(active_relationship, mentor):
    held(active_relationship, 4)
    log_one_held(active_relationship, mentor)
    assert not MeasureRequest.objects.exists()

    log_one_held(active_relationship, mentor)

    made = requests_of(active_relationship.mentee)
    assert keys(made) == ALL_THREE
    assert {(r.occasion, r.occasion_number) for r in made} == {(Occasion.SESSIONS, 6)}
    assert all(r.relationship_id == active_relationship.pk for r in made)


def test_each_instrument_keeps_its_own_session_interval(active_relationship, mentor, organisation):
    measure_schedules(organisation)
    MeasureSchedule.objects.filter(organisation=organisation, instrument__key="who5").update(
        every_sessions=3
    )
    MeasureSchedule.objects.filter(organisation=organisation, instrument__key="gad7").update(
        every_sessions=None
    )
    held(active_relationship, 2)
    log_one_held(active_relationship, mentor)
    assert keys(requests_of(active_relationship.mentee)) == {"who5"}


def test_a_session_count_is_asked_about_once(active_relationship, mentor):
    held(active_relationship, 6)
    first = requests_after_session(relationship=active_relationship, actor=mentor)
    again = requests_after_session(relationship=active_relationship, actor=mentor)
    assert len(first) == 3 and again == []
    assert MeasureRequest.objects.count() == 3


def test_a_newer_request_supersedes_the_open_one_for_the_same_questionnaire(
    active_relationship, mentor, phq9_request
):
    held(active_relationship, 6)
    requests_after_session(relationship=active_relationship, actor=mentor)
    phq9_request.refresh_from_db()
    assert phq9_request.status == RequestStatus.CANCELLED
    open_phq9 = requests_of(
        active_relationship.mentee, instrument__key="phq9", status__in=RequestStatus.open()
    )
    assert [r.occasion_number for r in open_phq9] == [6]
    event = AuditEvent.objects.get(action="measure.requested", metadata__instrument="phq9")
    assert event.metadata["superseded"] == 1


def test_superseding_leaves_completed_requests_and_other_people_alone(
    active_relationship, mentor, other_phq9_request
):
    done = make_request(active_relationship.mentee, "phq9", relationship=active_relationship)
    make_response(active_relationship.mentee, "phq9", [0] * 9, request=done)
    held(active_relationship, 6)
    requests_after_session(relationship=active_relationship, actor=mentor)
    done.refresh_from_db()
    other_phq9_request.refresh_from_db()
    assert done.status == RequestStatus.COMPLETED
    assert other_phq9_request.status == RequestStatus.DUE


# Weeks -------------------------------------------------------------------------------------------


def activated_weeks_ago(relationship, weeks, days=0):
    """Activated at midday, local time, on the day ``weeks`` and ``days`` ago: counting in
    whole local days, so the test holds at any hour and across a clock change."""
    day = timezone.localdate() - timedelta(weeks=weeks, days=days)
    midday = timezone.make_aware(datetime.combine(day, time(12)))
    Relationship.objects.filter(pk=relationship.pk).update(activated_at=midday)


def test_every_n_weeks_asks_for_the_latest_point_only(active_relationship, organisation):
    use_weeks(organisation, "phq9", 4)
    activated_weeks_ago(active_relationship, 9)
    today = timezone.localdate()

    assert requests_by_weeks(today=today) == 1

    request = MeasureRequest.objects.select_related("instrument").get()
    assert (request.instrument.key, request.occasion, request.occasion_number) == (
        "phq9",
        Occasion.WEEKS,
        8,
    )
    assert request.due_on == today
    assert requests_by_weeks(today=today) == 0
    assert requests_by_weeks(today=today + timedelta(weeks=2)) == 0
    assert requests_by_weeks(today=today + timedelta(weeks=3)) == 1
    numbers = sorted(MeasureRequest.objects.values_list("occasion_number", flat=True))
    assert numbers == [8, 12]


def test_nothing_is_due_by_weeks_before_the_first_interval(active_relationship, organisation):
    use_weeks(organisation, "phq9", 4)
    activated_weeks_ago(active_relationship, 3, days=6)
    assert requests_by_weeks(today=timezone.localdate()) == 0


def test_weeks_count_for_closing_relationships_but_not_others(
    active_relationship, other_relationship, organisation
):
    use_weeks(organisation, "gad7", 2)
    activated_weeks_ago(active_relationship, 5)
    activated_weeks_ago(other_relationship, 5)
    Relationship.objects.filter(pk=active_relationship.pk).update(status=RelationshipStatus.CLOSING)
    Relationship.objects.filter(pk=other_relationship.pk).update(status=RelationshipStatus.ENDED)
    assert requests_by_weeks(today=timezone.localdate()) == 1
    assert MeasureRequest.objects.get().person == active_relationship.mentee


def test_weeks_upkeep_queries_do_not_grow_with_the_relationships(
    organisation, active_relationship, supervised_profile
):
    use_weeks(organisation, "phq9", 4)
    activated_weeks_ago(active_relationship, 1)
    requests_by_weeks(today=timezone.localdate())
    with CaptureQueriesContext(connection) as one:
        requests_by_weeks(today=timezone.localdate())
    for number in range(3):
        from tests.conftest import make_member

        person = make_member(organisation, "mentee", f"weekly{number}@example.org")
        activate(_pair(organisation, supervised_profile, person, f"Weekly {number}"))
    Relationship.objects.update(activated_at=timezone.now() - timedelta(weeks=1))
    with CaptureQueriesContext(connection) as four:
        requests_by_weeks(today=timezone.localdate())
    assert len(four) == len(one)


# The ending --------------------------------------------------------------------------------------


def test_starting_the_planned_ending_makes_the_closing_measures_due(active_relationship, mentor):
    ending_begin(actor=mentor, relationship=active_relationship)
    made = requests_of(active_relationship.mentee)
    assert keys(made) == ALL_THREE
    assert {r.occasion for r in made} == {Occasion.CLOSURE}
    ending_begin(actor=mentor, relationship=active_relationship)
    assert MeasureRequest.objects.count() == 3


def test_the_ending_asks_for_follow_up_after_the_follow_up_weeks(
    active_relationship, mentor, coordinator, organisation
):
    MentoringSettings.objects.create(organisation=organisation, follow_up_weeks=8)
    ending_begin(actor=mentor, relationship=active_relationship)
    ended_at = timezone.now() - timedelta(days=2)
    relationship_close(
        actor=coordinator,
        relationship=active_relationship,
        reason=EndReason.GOALS_MET,
        now=ended_at,
    )
    mentee = active_relationship.mentee
    assert requests_of(mentee, occasion=Occasion.CLOSURE).count() == 3
    follow_ups = requests_of(mentee, occasion=Occasion.FOLLOW_UP)
    assert keys(follow_ups) == ALL_THREE
    due = timezone.localdate(ended_at) + timedelta(weeks=8)
    assert {r.due_on for r in follow_ups} == {due}
    assert {r.closes_on for r in follow_ups} == {due + timedelta(days=28)}
    # The closing measures stay open: the follow-up is not due yet.
    assert set(requests_of(mentee, occasion=Occasion.CLOSURE).values_list("status", flat=True)) == {
        RequestStatus.DUE
    }


def test_a_closing_measure_still_open_at_follow_up_time_closes_the_day_before(
    active_relationship, mentor, coordinator, organisation
):
    MentoringSettings.objects.create(organisation=organisation, follow_up_weeks=2)
    ending_begin(actor=mentor, relationship=active_relationship)
    relationship_close(actor=coordinator, relationship=active_relationship, reason="goals_met")
    follow_up_on = timezone.localdate() + timedelta(weeks=2)
    closing = requests_of(active_relationship.mentee, occasion=Occasion.CLOSURE)
    assert {r.closes_on for r in closing} == {follow_up_on - timedelta(days=1)}
    assert {r.status for r in closing} == {RequestStatus.DUE}


def test_an_unplanned_ending_gets_closing_measures_and_stops_those_during_mentoring(
    active_relationship, coordinator
):
    during = make_request(active_relationship.mentee, "gad7", relationship=active_relationship)
    relationship_close(
        actor=coordinator, relationship=active_relationship, reason=EndReason.MENTEE_CHOSE
    )
    during.refresh_from_db()
    assert during.status == RequestStatus.CANCELLED
    mentee = active_relationship.mentee
    assert keys(requests_of(mentee, occasion=Occasion.CLOSURE)) == ALL_THREE
    assert keys(requests_of(mentee, occasion=Occasion.FOLLOW_UP)) == ALL_THREE


def test_a_relationship_that_never_started_asks_for_nothing_at_its_end(relationship, coordinator):
    relationship_close(actor=coordinator, relationship=relationship, reason=EndReason.MENTEE_CHOSE)
    assert not MeasureRequest.objects.exists()


def test_instruments_not_asked_at_the_ending_are_left_out(
    active_relationship, mentor, coordinator, organisation
):
    measure_schedules(organisation)
    MeasureSchedule.objects.filter(organisation=organisation, instrument__key="who5").update(
        at_closure=False, at_follow_up=False
    )
    MeasureSchedule.objects.filter(organisation=organisation, instrument__key="gad7").update(
        is_active=False
    )
    ending_begin(actor=mentor, relationship=active_relationship)
    relationship_close(actor=coordinator, relationship=active_relationship, reason="goals_met")
    assert keys(requests_of(active_relationship.mentee)) == {"phq9"}


# Rollback ----------------------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_no_request_survives_a_failed_ending(active_relationship, mentor):
    with pytest.raises(Boom), transaction.atomic():
        ending_begin(actor=mentor, relationship=active_relationship)
        assert MeasureRequest.objects.count() == 3
        raise Boom
    assert not MeasureRequest.objects.exists()
    assert Relationship.objects.get(pk=active_relationship.pk).status == RelationshipStatus.ACTIVE


def test_no_request_survives_a_failed_session_log(active_relationship, mentor):
    held(active_relationship, 5)
    with pytest.raises(Boom), transaction.atomic():
        log_one_held(active_relationship, mentor)
        assert MeasureRequest.objects.count() == 3
        raise Boom
    assert not MeasureRequest.objects.exists()
    assert MentoringSession.objects.filter(status=SessionStatus.HELD).count() == 5


def test_no_request_survives_a_failed_intake(at_intake, areas, coordinator):
    with pytest.raises(Boom), transaction.atomic():
        intake_complete(actor=coordinator, referral=at_intake, data=intake_answers(areas))
        assert MeasureRequest.objects.count() == 3
        raise Boom
    assert not MeasureRequest.objects.exists()


# Extra, and closing overdue ones -----------------------------------------------------------------


def test_staff_can_ask_for_an_extra_measure_now(
    mentee, coordinator, organisation, phq9, active_relationship
):
    request = request_extra(
        actor=coordinator, person=mentee, instrument=phq9, organisation=organisation
    )
    assert (request.occasion, request.status, request.due_on) == (
        Occasion.EXTRA,
        RequestStatus.DUE,
        timezone.localdate(),
    )
    assert request.relationship == active_relationship
    again = request_extra(
        actor=coordinator, person=mentee, instrument=phq9, organisation=organisation
    )
    assert again.pk == request.pk


def test_an_extra_measure_is_only_for_the_programmes_mentees_and_instruments(
    mentor, mentee, coordinator, organisation, other_organisation, phq9
):
    with pytest.raises(ValidationError):
        request_extra(actor=coordinator, person=mentor, instrument=phq9, organisation=organisation)
    theirs = Instrument.objects.create(
        organisation=other_organisation,
        key="their-own",
        name="Their own",
        short_name="Own",
        definition=phq9.definition,
    )
    with pytest.raises(ValidationError):
        request_extra(
            actor=coordinator, person=mentee, instrument=theirs, organisation=organisation
        )
    assert not MeasureRequest.objects.exists()


def test_requests_past_their_closing_day_are_closed(mentee, organisation):
    today = timezone.localdate()
    old = make_request(mentee, "phq9", due_on=today - timedelta(days=40))
    last_day = make_request(mentee, "gad7", due_on=today - timedelta(days=28))
    MeasureSettings.objects.create(organisation=organisation)
    assert requests_close_overdue(today=today) == 1
    old.refresh_from_db()
    last_day.refresh_from_db()
    assert old.status == RequestStatus.EXPIRED
    assert last_day.status == RequestStatus.DUE


# The daily command -------------------------------------------------------------------------------


def test_the_daily_command_runs_the_upkeep_and_says_what_it_did(
    active_relationship, organisation, django_capture_on_commit_callbacks
):
    use_weeks(organisation, "phq9", 4)
    activated_weeks_ago(active_relationship, 4)
    make_request(
        active_relationship.mentee, "gad7", due_on=timezone.localdate() - timedelta(days=60)
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("outcomes_daily", "--now", stdout=out)
    assert "weekly measures requested 1" in out.getvalue()
    assert "measures closed 1" in out.getvalue()
    assert "people reminded 1" in out.getvalue()


def test_without_now_the_upkeep_is_queued_for_the_worker(db):
    out = StringIO()
    call_command("outcomes_daily", stdout=out)
    assert out.getvalue().startswith("Queued: ")
