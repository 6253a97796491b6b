"""The ending services: the checklist, starting the planned ending, closing (planned or not),
the mentee's record, and the exit survey."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.models import (
    CheckInKind,
    EndKind,
    EndReason,
    ExitSurvey,
    RelationshipStatus,
    SessionStatus,
    StrengthNote,
    WellbeingPlan,
)
from mentoring.services.ending import (
    ALREADY_ENDED,
    ending_begin,
    ending_checklist,
    is_already_ended,
    mentee_record,
    mentee_record_data,
    record_downloaded,
    relationship_close,
)
from mentoring.services.surveys import (
    ALREADY_ANSWERED,
    exit_survey_answer,
    is_already_answered,
    open_exit_surveys,
)
from tests.mentoring.factories import GoalFactory, SessionFactory, StepFactory

pytestmark = pytest.mark.django_db


def held_final_session(relationship, days_ago=1, **fields):
    return SessionFactory(
        relationship=relationship,
        scheduled_for=timezone.now() - timedelta(days=days_ago),
        status=SessionStatus.HELD,
        is_final=True,
        **fields,
    )


def ready_plan(relationship):
    return WellbeingPlan.objects.create(
        relationship=relationship, what_helps="Walking by the river", ready_at=timezone.now()
    )


def close(relationship, coordinator, reason=EndReason.GOALS_MET, **kwargs):
    return relationship_close(actor=coordinator, relationship=relationship, reason=reason, **kwargs)


# The checklist -----------------------------------------------------------------------------------


def test_a_new_ending_has_everything_still_to_do(active_relationship):
    checklist = ending_checklist(active_relationship)
    assert [item.key for item in checklist.items] == [
        "final_session",
        "final_measures",
        "plan",
        "exit_conversation",
    ]
    assert not checklist.complete
    assert [item.key for item in checklist.outstanding] == ["final_session", "plan"]
    assert checklist.planned_sessions == 12
    assert checklist.sessions_held == 0
    assert checklist.final_session is None
    assert checklist.plan is None


def test_the_final_questionnaires_are_not_something_to_do_before_the_ending_starts(
    active_relationship,
):
    measures = ending_checklist(active_relationship).items[1]
    assert measures.trackable is False
    assert measures.done is False
    assert "When the planned ending starts" in measures.detail


def test_a_planned_final_session_is_scheduled_but_not_held(active_relationship):
    SessionFactory(relationship=active_relationship, is_final=True)
    checklist = ending_checklist(active_relationship)
    assert checklist.final_session_scheduled
    assert not checklist.final_session_held
    assert checklist.items[0].detail.startswith("Planned for")


def test_a_cancelled_final_session_does_not_count(active_relationship):
    SessionFactory(
        relationship=active_relationship,
        is_final=True,
        status=SessionStatus.CANCELLED_BY_MENTEE,
    )
    assert ending_checklist(active_relationship).final_session is None


def test_held_final_session_and_ready_plan_complete_the_checklist(active_relationship):
    held_final_session(active_relationship)
    ready_plan(active_relationship)
    checklist = ending_checklist(active_relationship)
    assert checklist.final_session_held
    assert checklist.plan_ready
    assert checklist.sessions_held == 1
    assert checklist.complete


def test_a_plan_not_yet_ready_is_still_to_do(active_relationship):
    WellbeingPlan.objects.create(relationship=active_relationship, what_helps="Music")
    checklist = ending_checklist(active_relationship)
    assert checklist.plan_started and not checklist.plan_ready
    assert "Started" in checklist.items[2].detail


def test_the_checklist_takes_the_same_queries_however_many_sessions(active_relationship):
    held_final_session(active_relationship)
    with CaptureQueriesContext(connection) as one:
        ending_checklist(active_relationship)
    for days in range(2, 9):
        SessionFactory(
            relationship=active_relationship,
            scheduled_for=timezone.now() - timedelta(days=days * 7),
            status=SessionStatus.HELD,
        )
    with CaptureQueriesContext(connection) as several:
        checklist = ending_checklist(active_relationship)
    assert checklist.sessions_held == 8
    # 5 for the checklist, 2 for the final questionnaires line (outcomes)
    assert len(one) == len(several) == 7


# Beginning the planned ending -------------------------------------------------------------------


def test_the_mentor_begins_the_planned_ending(
    active_relationship, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ending_begin(actor=mentor, relationship=active_relationship)
    active_relationship.refresh_from_db()
    assert active_relationship.status == RelationshipStatus.CLOSING
    assert active_relationship.closing_started_at is not None
    assert AuditEvent.objects.filter(action="relationship.ending_started").count() == 1
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "Samira" not in message.body and "Quinlan" not in message.body


def test_a_coordinator_can_begin_it_too(active_relationship, coordinator):
    ending_begin(actor=coordinator, relationship=active_relationship)
    active_relationship.refresh_from_db()
    assert active_relationship.status == RelationshipStatus.CLOSING


@pytest.mark.parametrize("person", ["mentee", "other_mentor", "supervisor"])
def test_others_cannot_begin_it(person, request, active_relationship):
    with pytest.raises(ValidationError):
        ending_begin(actor=request.getfixturevalue(person), relationship=active_relationship)
    active_relationship.refresh_from_db()
    assert active_relationship.status == RelationshipStatus.ACTIVE


def test_beginning_twice_changes_nothing(active_relationship, mentor):
    ending_begin(actor=mentor, relationship=active_relationship)
    first = type(active_relationship).objects.get(pk=active_relationship.pk).closing_started_at
    ending_begin(actor=mentor, relationship=active_relationship)
    active_relationship.refresh_from_db()
    assert active_relationship.closing_started_at == first
    assert AuditEvent.objects.filter(action="relationship.ending_started").count() == 1


def test_an_ended_relationship_cannot_begin_its_ending(ended_relationship, coordinator):
    with pytest.raises(ValidationError) as caught:
        ending_begin(actor=coordinator, relationship=ended_relationship)
    assert is_already_ended(caught.value)


def test_an_introduction_cannot_begin_its_ending(relationship, coordinator):
    with pytest.raises(ValidationError):
        ending_begin(actor=coordinator, relationship=relationship)


# Closing -----------------------------------------------------------------------------------------


def test_closing_ends_sends_surveys_and_schedules_the_follow_up(
    active_relationship, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        close(active_relationship, coordinator, exit_conversation_held=True)
    active_relationship.refresh_from_db()
    assert active_relationship.status == RelationshipStatus.ENDED
    assert active_relationship.end_kind == EndKind.PLANNED
    assert active_relationship.exit_conversation_held
    assert ExitSurvey.objects.filter(relationship=active_relationship).count() == 2
    follow_up = active_relationship.check_ins.get(kind=CheckInKind.FOLLOW_UP)
    assert follow_up.due_on > timezone.localdate()
    assert ending_checklist(active_relationship).follow_up_on == follow_up.due_on
    assert len(mail.outbox) == 2


def test_an_unplanned_reason_is_an_unplanned_ending(active_relationship, coordinator):
    close(active_relationship, coordinator, reason=EndReason.MOVED_AWAY)
    active_relationship.refresh_from_db()
    assert active_relationship.end_kind == EndKind.UNPLANNED


def test_closing_twice_says_it_has_already_ended(active_relationship, coordinator):
    close(active_relationship, coordinator)
    with pytest.raises(ValidationError) as caught:
        close(active_relationship, coordinator, reason=EndReason.OTHER, note="Again")
    assert is_already_ended(caught.value)
    assert caught.value.messages == [ALREADY_ENDED]
    assert ExitSurvey.objects.count() == 2


@pytest.mark.parametrize("person", ["mentor", "mentee", "supervisor", "other_org_coordinator"])
def test_only_the_organisations_staff_can_close(person, request, active_relationship):
    with pytest.raises(ValidationError):
        close(active_relationship, request.getfixturevalue(person))
    active_relationship.refresh_from_db()
    assert active_relationship.status == RelationshipStatus.ACTIVE


def test_another_reason_needs_a_note(active_relationship, coordinator):
    with pytest.raises(ValidationError) as caught:
        close(active_relationship, coordinator, reason=EndReason.OTHER, note="  ")
    assert "note" in caught.value.message_dict


def test_an_unknown_reason_is_refused(active_relationship, coordinator):
    with pytest.raises(ValidationError) as caught:
        close(active_relationship, coordinator, reason="bored")
    assert "reason" in caught.value.message_dict


def test_a_very_long_note_is_refused(active_relationship, coordinator):
    with pytest.raises(ValidationError) as caught:
        close(active_relationship, coordinator, note="x" * 2001)
    assert "note" in caught.value.message_dict


# The mentee's record -----------------------------------------------------------------------------


def test_the_record_keeps_what_is_the_mentees_and_never_private_notes(active_relationship):
    goal = GoalFactory(relationship=active_relationship, how_it_went="Went twice!")
    StepFactory(goal=goal, text="Look up the bus times", done_at=timezone.now())
    held_final_session(
        active_relationship,
        summary="We planned the route together.",
        private_notes="PRIVATE: seemed tired",
        topics="TOPIC-SECRET",
        mentee_reflection="I felt ready.",
    )
    SessionFactory(relationship=active_relationship, summary="Not happened yet")
    StrengthNote.objects.create(relationship=active_relationship, text="You keep going.")
    data = mentee_record_data(mentee_record(active_relationship))
    assert data["goals_in_own_words"].startswith("Feel able to go")
    assert data["goals"][0]["how_it_went"] == "Went twice!"
    assert data["goals"][0]["steps"][0]["text"] == "Look up the bus times"
    assert len(data["sessions"]) == 1
    assert data["sessions"][0]["summary"] == "We planned the route together."
    assert data["sessions"][0]["my_reflection"] == "I felt ready."
    assert data["strengths"][0]["text"] == "You keep going."
    flat = str(data)
    assert "PRIVATE" not in flat
    assert "TOPIC-SECRET" not in flat
    assert "Not happened yet" not in flat


def test_the_record_takes_the_same_queries_however_much_is_in_it(active_relationship):
    goal = GoalFactory(relationship=active_relationship)
    StepFactory(goal=goal)
    held_final_session(active_relationship)
    with CaptureQueriesContext(connection) as one:
        mentee_record_data(mentee_record(active_relationship))
    for number in range(4):
        more = GoalFactory(relationship=active_relationship, title=f"Goal {number}")
        StepFactory(goal=more)
        StepFactory(goal=more)
        SessionFactory(
            relationship=active_relationship,
            status=SessionStatus.HELD,
            scheduled_for=timezone.now() - timedelta(days=10 + number),
        )
        StrengthNote.objects.create(relationship=active_relationship, text=f"Strength {number}")
    with CaptureQueriesContext(connection) as several:
        data = mentee_record_data(mentee_record(active_relationship))
    assert len(data["goals"]) == 5
    assert len(one) == len(several)


def test_a_download_is_audited_without_content(active_relationship, mentee):
    record_downloaded(actor=mentee, relationship=active_relationship, format="json")
    event = AuditEvent.objects.get(action="relationship.record_downloaded")
    assert event.metadata == {"format": "json"}
    assert event.actor == mentee


# The exit survey ---------------------------------------------------------------------------------


@pytest.fixture
def closed(active_relationship, coordinator):
    close(active_relationship, coordinator)
    return active_relationship


def survey_of(relationship, user):
    return ExitSurvey.objects.get(relationship=relationship, respondent=user)


def test_a_survey_is_answered_once(closed, mentee):
    survey = survey_of(closed, mentee)
    exit_survey_answer(
        actor=mentee,
        survey=survey,
        overall=5,
        what_helped="Having someone who understood",
        could_be_better="",
        would_recommend=True,
    )
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert (survey.overall, survey.would_recommend) == (5, True)
    with pytest.raises(ValidationError) as caught:
        exit_survey_answer(
            actor=mentee,
            survey=survey,
            overall=1,
            what_helped="",
            could_be_better="",
            would_recommend=False,
        )
    assert is_already_answered(caught.value)
    assert caught.value.messages == [ALREADY_ANSWERED]
    survey.refresh_from_db()
    assert survey.overall == 5
    event = AuditEvent.objects.get(action="exit_survey.answered")
    assert "understood" not in str(event.metadata)


def test_every_question_is_optional(closed, mentor):
    survey, risk = exit_survey_answer(actor=mentor, survey=survey_of(closed, mentor))
    assert survey.answered_at is not None
    assert survey.overall is None and survey.would_recommend is None
    assert risk is None


def test_only_the_respondent_can_answer(closed, mentee, mentor):
    with pytest.raises(ValidationError):
        exit_survey_answer(actor=mentor, survey=survey_of(closed, mentee), overall=3)


def test_an_overall_answer_out_of_range_is_refused(closed, mentee):
    with pytest.raises(ValidationError) as caught:
        exit_survey_answer(actor=mentee, survey=survey_of(closed, mentee), overall=9)
    assert "overall" in caught.value.message_dict


def test_words_that_suggest_risk_tell_staff_without_content(
    closed, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, risk = exit_survey_answer(
            actor=mentee,
            survey=survey_of(closed, mentee),
            could_be_better="Some days I want to die",
        )
    assert risk is not None and risk.is_risk
    assert mail.outbox
    assert all("die" not in message.body for message in mail.outbox)


def test_open_surveys_lists_only_unanswered_ones_for_that_person(closed, mentee, mentor):
    assert list(open_exit_surveys(mentee)) == [survey_of(closed, mentee)]
    exit_survey_answer(actor=mentee, survey=survey_of(closed, mentee))
    assert list(open_exit_surveys(mentee)) == []
    assert list(open_exit_surveys(mentor)) == [survey_of(closed, mentor)]
