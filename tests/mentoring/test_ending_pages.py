"""The ending pages: the checklist and beginning the planned ending, closing, the mentee's
record (page and download) and the exit survey. Who may open each, and what they see."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.models import (
    CheckInKind,
    EndReason,
    ExitSurvey,
    RelationshipStatus,
    SessionStatus,
    StrengthNote,
    WellbeingPlan,
)
from mentoring.services.ending import ALREADY_ENDED, relationship_close
from mentoring.services.surveys import ALREADY_ANSWERED
from tests.mentoring.access import PAIR_AND_STAFF, PEOPLE, STAFF, check_page, client_as
from tests.mentoring.factories import GoalFactory, SessionFactory, StepFactory

pytestmark = pytest.mark.django_db

ENDING = "/mentoring/{pk}/ending/"
CLOSE = "/mentoring/{pk}/close/"
RECORD = "/mentoring/{pk}/record/"
RECORD_JSON = "/mentoring/{pk}/record.json"
SURVEY = "/mentoring/exit-survey/{pk}/"


def status_of(relationship):
    relationship.refresh_from_db()
    return relationship.status


@pytest.fixture
def closing_relationship(active_relationship):
    active_relationship.status = RelationshipStatus.CLOSING
    active_relationship.closing_started_at = timezone.now()
    active_relationship.save(update_fields=["status", "closing_started_at"])
    return active_relationship


@pytest.fixture
def closed_relationship(active_relationship, coordinator):
    """Ended through the real service: exit surveys sent and the follow-up scheduled."""
    relationship_close(
        actor=coordinator,
        relationship=active_relationship,
        reason=EndReason.GOALS_MET,
        exit_conversation_held=True,
    )
    active_relationship.refresh_from_db()
    return active_relationship


def survey_for(relationship, user):
    return ExitSurvey.objects.get(relationship=relationship, respondent=user)


# Who may open what -------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("state", ["active_relationship", "closing_relationship"])
def test_ending_page_access(person, state, request, client_for):
    relationship = request.getfixturevalue(state)
    response = client_as(person, request, client_for).get(ENDING.format(pk=relationship.pk))
    check_page(response, person, PAIR_AND_STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_ended_ending_page_access(person, request, client_for, closed_relationship):
    response = client_as(person, request, client_for).get(ENDING.format(pk=closed_relationship.pk))
    check_page(response, person, ["mentee", *STAFF])


@pytest.mark.parametrize("person", PEOPLE)
def test_beginning_the_ending_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).post(ENDING.format(pk=active_relationship.pk))
    check_page(response, person, ["mentor", *STAFF], ok=302)
    expected = (
        RelationshipStatus.CLOSING if person in ("mentor", *STAFF) else RelationshipStatus.ACTIVE
    )
    assert status_of(active_relationship) == expected


@pytest.mark.parametrize("person", PEOPLE)
def test_close_page_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).get(CLOSE.format(pk=active_relationship.pk))
    check_page(response, person, STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_closing_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).post(
        CLOSE.format(pk=active_relationship.pk), {"reason": EndReason.GOALS_MET}
    )
    check_page(response, person, STAFF, ok=302)
    ended = status_of(active_relationship) == RelationshipStatus.ENDED
    assert ended == (person in STAFF)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", [RECORD, RECORD_JSON])
def test_record_access(person, path, request, client_for, active_relationship):
    response = client_as(person, request, client_for).get(path.format(pk=active_relationship.pk))
    check_page(response, person, ["mentee"])


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", [RECORD, RECORD_JSON])
def test_record_access_after_the_ending(person, path, request, client_for, closed_relationship):
    response = client_as(person, request, client_for).get(path.format(pk=closed_relationship.pk))
    check_page(response, person, ["mentee"])


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("respondent", ["mentee", "mentor"])
def test_exit_survey_access(person, respondent, request, client_for, closed_relationship):
    survey = survey_for(closed_relationship, request.getfixturevalue(respondent))
    client = client_as(person, request, client_for)
    check_page(client.get(SURVEY.format(pk=survey.pk)), person, [respondent])
    response = client.post(SURVEY.format(pk=survey.pk), {"overall": "4"})
    check_page(response, person, [respondent], ok=302)
    survey.refresh_from_db()
    assert (survey.answered_at is not None) == (person == respondent)


def test_an_unknown_survey_is_not_found(client_for, mentee):
    assert client_for(mentee).get(SURVEY.format(pk=999)).status_code == 404


def test_the_mentor_of_an_ended_relationship_gets_404_everywhere(
    client_for, mentor, closed_relationship
):
    client = client_for(mentor)
    for path in (ENDING, CLOSE, RECORD, RECORD_JSON, "/mentoring/{pk}/plan/"):
        assert client.get(path.format(pk=closed_relationship.pk)).status_code == 404
    assert client.post(ENDING.format(pk=closed_relationship.pk)).status_code == 404


# The ending page ---------------------------------------------------------------------------------


def test_an_active_relationship_explains_the_planned_ending(
    client_for, mentor, active_relationship
):
    page = client_for(mentor).get(ENDING.format(pk=active_relationship.pk)).content.decode()
    assert "Ending well" in page
    assert "Planned end date" in page
    assert active_relationship.planned_end_on.strftime("%B %Y") in page
    assert "12 (0 held so far)" in page
    assert "Begin the planned ending</button>" in page


def test_the_mentee_cannot_begin_it_but_can_raise_it(client_for, mentee, active_relationship):
    page = client_for(mentee).get(ENDING.format(pk=active_relationship.pk)).content.decode()
    assert "Begin the planned ending</button>" not in page
    assert f"/mentoring/{active_relationship.pk}/concerns/new/" in page
    assert "Raise it with your coordinator" in page


def test_the_mentor_begins_the_planned_ending(
    client_for, mentor, active_relationship, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(mentor).post(ENDING.format(pk=active_relationship.pk), follow=True)
    page = response.content.decode()
    assert "The planned ending has started" in page
    assert "Before the ending" in page
    assert status_of(active_relationship) == RelationshipStatus.CLOSING


def test_beginning_again_says_it_has_already_started(client_for, mentor, closing_relationship):
    response = client_for(mentor).post(ENDING.format(pk=closing_relationship.pk), follow=True)
    assert "already started" in response.content.decode()


def test_the_closing_checklist_shows_what_is_done_and_left(
    client_for, mentee, closing_relationship
):
    SessionFactory(
        relationship=closing_relationship,
        is_final=True,
        status=SessionStatus.HELD,
        scheduled_for=timezone.now() - timedelta(days=1),
    )
    WellbeingPlan.objects.create(relationship=closing_relationship, what_helps="Music")
    page = client_for(mentee).get(ENDING.format(pk=closing_relationship.pk)).content.decode()
    assert "The planned ending" in page
    assert "A final session together" in page
    assert "Held on" in page
    assert "Final questionnaires" in page
    assert "Started. The mentee marks it ready" in page
    assert "Work on your plan" in page
    assert "Done" in page and "Still to do" in page


def test_an_ended_relationship_shows_the_mentee_what_to_keep(
    client_for, mentee, closed_relationship
):
    page = client_for(mentee).get(ENDING.format(pk=closed_relationship.pk)).content.decode()
    follow_up = closed_relationship.check_ins.get(kind=CheckInKind.FOLLOW_UP).due_on
    assert "Your mentoring has ended" in page
    assert f"We will check in with you around {follow_up:%B %Y}" in page
    assert RECORD.format(pk=closed_relationship.pk) in page
    assert RECORD_JSON.format(pk=closed_relationship.pk) in page
    assert f"/mentoring/{closed_relationship.pk}/plan/print/" in page
    assert SURVEY.format(pk=survey_for(closed_relationship, mentee).pk) in page
    assert "goals were met" not in page  # the reason is for staff


def test_an_ended_relationship_shows_staff_what_happened(
    client_for, coordinator, closed_relationship
):
    page = client_for(coordinator).get(ENDING.format(pk=closed_relationship.pk)).content.decode()
    follow_up = closed_relationship.check_ins.get(kind=CheckInKind.FOLLOW_UP).due_on
    assert "The mentee&#x27;s goals were met" in page
    assert "Held" in page
    assert f"Due on {follow_up.day} {follow_up:%B %Y}" in page


# +1 on every staff page: the urgent safeguarding banner looks for a waiting urgent alert.
@pytest.mark.parametrize(("person", "queries"), [("mentee", 11), ("coordinator", 13)])
def test_the_ending_page_takes_the_same_queries_however_many_sessions(
    person, queries, request, client_for, closing_relationship, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(person))
    url = ENDING.format(pk=closing_relationship.pk)
    SessionFactory(relationship=closing_relationship, is_final=True)
    client.get(url)
    with django_assert_num_queries(queries):
        client.get(url)
    for days in range(1, 8):
        SessionFactory(
            relationship=closing_relationship,
            status=SessionStatus.HELD,
            scheduled_for=timezone.now() - timedelta(days=days),
        )
    with django_assert_num_queries(queries):
        client.get(url)


# Closing -----------------------------------------------------------------------------------------


def test_the_close_form_groups_reasons_and_warns_when_the_ending_is_unfinished(
    client_for, coordinator, closing_relationship
):
    page = client_for(coordinator).get(CLOSE.format(pk=closing_relationship.pk)).content.decode()
    assert "A planned ending" in page and "An unplanned ending" in page
    assert page.index("The mentee&#x27;s goals were met") < page.index("The mentee moved away")
    assert "The planned ending is not finished" in page
    assert "unplanned endings happen" in page
    assert 'aria-describedby="id_reason_goals_met_help"' in page


def test_no_warning_when_the_planned_ending_is_done(client_for, coordinator, closing_relationship):
    SessionFactory(
        relationship=closing_relationship,
        is_final=True,
        status=SessionStatus.HELD,
        scheduled_for=timezone.now() - timedelta(days=1),
    )
    WellbeingPlan.objects.create(
        relationship=closing_relationship, what_helps="Music", ready_at=timezone.now()
    )
    page = client_for(coordinator).get(CLOSE.format(pk=closing_relationship.pk)).content.decode()
    assert "The planned ending is not finished" not in page


def test_another_reason_without_a_note_is_shown_next_to_the_note(
    client_for, coordinator, active_relationship
):
    response = client_for(coordinator).post(
        CLOSE.format(pk=active_relationship.pk),
        {"reason": EndReason.OTHER, "note": "", "exit_conversation_held": "on"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some answers need another look" in page
    assert "Say briefly why the relationship is ending." in page
    assert 'value="other" id="id_reason_other" aria-describedby="id_reason_other_help" checked' in (
        page
    )
    assert status_of(active_relationship) == RelationshipStatus.ACTIVE


def test_no_reason_is_asked_for_again(client_for, coordinator, active_relationship):
    response = client_for(coordinator).post(
        CLOSE.format(pk=active_relationship.pk), {"note": "They moved to Leeds"}
    )
    page = response.content.decode()
    assert "Choose why the relationship is ending." in page
    assert "They moved to Leeds" in page


def test_closing_says_what_happens_next(
    client_for, coordinator, closing_relationship, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            CLOSE.format(pk=closing_relationship.pk),
            {"reason": EndReason.GOALS_MET, "exit_conversation_held": "on"},
            follow=True,
        )
    page = response.content.decode()
    follow_up = closing_relationship.check_ins.get(kind=CheckInKind.FOLLOW_UP).due_on
    assert "The relationship is closed." in page
    assert "What happens next" in page
    assert "can no longer open this relationship" in page
    assert "exit survey" in page
    assert f"due on {follow_up.day} {follow_up:%B %Y}" in page
    closing_relationship.refresh_from_db()
    assert closing_relationship.exit_conversation_held
    assert closing_relationship.end_reason == EndReason.GOALS_MET


def test_closing_twice_says_already_ended_not_an_error(
    client_for, coordinator, active_relationship
):
    client = client_for(coordinator)
    url = CLOSE.format(pk=active_relationship.pk)
    client.post(url, {"reason": EndReason.GOALS_MET})
    response = client.post(url, {"reason": EndReason.MOVED_AWAY}, follow=True)
    assert response.status_code == 200
    assert ALREADY_ENDED in response.content.decode().replace("&#x27;", "'")
    active_relationship.refresh_from_db()
    assert active_relationship.end_reason == EndReason.GOALS_MET


def test_a_rematch_points_to_the_referral(client_for, coordinator, active_relationship):
    response = client_for(coordinator).post(
        CLOSE.format(pk=active_relationship.pk), {"reason": EndReason.REMATCH}, follow=True
    )
    page = response.content.decode()
    assert "back at the top of the waiting list" in page
    assert f"/referrals/{active_relationship.referral_id}/" in page


# The mentee's record -----------------------------------------------------------------------------


@pytest.fixture
def full_record(active_relationship):
    goal = GoalFactory(relationship=active_relationship, how_it_went="I went twice")
    StepFactory(goal=goal, text="Look up the bus times", done_at=timezone.now())
    SessionFactory(
        relationship=active_relationship,
        status=SessionStatus.HELD,
        scheduled_for=timezone.now() - timedelta(days=2),
        summary="We planned the route.",
        private_notes="PRIVATE-NOTE",
        mentee_reflection="I felt ready.",
    )
    StrengthNote.objects.create(relationship=active_relationship, text="You keep going.")
    return active_relationship


def test_the_record_page_has_the_mentees_things_and_never_private_notes(
    client_for, mentee, full_record
):
    response = client_for(mentee).get(RECORD.format(pk=full_record.pk))
    page = response.content.decode()
    for text in (
        "My mentoring record",
        "Feel able to go to the Wednesday support group",
        "Go to the support group on Wednesday",
        "Look up the bus times",
        "I went twice",
        "We planned the route.",
        "I felt ready.",
        "You keep going.",
        "Print or save as PDF",
    ):
        assert text in page
    assert "PRIVATE-NOTE" not in page
    assert response["Cache-Control"] == "no-store, private"
    event = AuditEvent.objects.get(action="relationship.record_downloaded")
    assert event.metadata == {"format": "page"}


def test_the_record_downloads_as_a_json_file(client_for, mentee, full_record):
    response = client_for(mentee).get(RECORD_JSON.format(pk=full_record.pk))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="my-mentoring-record.json"'
    data = json.loads(response.content)
    assert data["goals"][0]["steps"][0]["text"] == "Look up the bus times"
    assert data["sessions"][0]["summary"] == "We planned the route."
    assert "PRIVATE-NOTE" not in response.content.decode()
    event = AuditEvent.objects.get(action="relationship.record_downloaded")
    assert event.metadata == {"format": "json"}


def test_the_record_page_takes_the_same_queries_however_much_is_in_it(
    client_for, mentee, full_record, django_assert_num_queries
):
    client = client_for(mentee)
    url = RECORD.format(pk=full_record.pk)
    client.get(url)
    with django_assert_num_queries(10):
        client.get(url)
    for number in range(4):
        goal = GoalFactory(relationship=full_record, title=f"Goal {number}")
        StepFactory(goal=goal)
        SessionFactory(
            relationship=full_record,
            status=SessionStatus.HELD,
            scheduled_for=timezone.now() - timedelta(days=5 + number),
        )
    with django_assert_num_queries(10):
        client.get(url)


# The exit survey ---------------------------------------------------------------------------------


def test_the_mentee_answers_and_sees_thanks(client_for, mentee, closed_relationship):
    survey = survey_for(closed_relationship, mentee)
    client = client_for(mentee)
    page = client.get(SURVEY.format(pk=survey.pk)).content.decode()
    assert "How was mentoring for you?" in page
    assert "Very good" in page and "Not sure" in page
    response = client.post(
        SURVEY.format(pk=survey.pk),
        {
            "overall": "5",
            "what_helped": "Someone who understood",
            "could_be_better": "",
            "would_recommend": "not_sure",
        },
        follow=True,
    )
    assert "Thank you" in response.content.decode()
    survey.refresh_from_db()
    assert survey.overall == 5
    assert survey.would_recommend is None
    assert survey.what_helped == "Someone who understood"


def test_answering_again_says_already_answered(client_for, mentee, closed_relationship):
    survey = survey_for(closed_relationship, mentee)
    client = client_for(mentee)
    client.post(SURVEY.format(pk=survey.pk), {"overall": "4"})
    response = client.post(SURVEY.format(pk=survey.pk), {"overall": "1"})
    assert response.status_code == 200
    assert ALREADY_ANSWERED in response.content.decode()
    survey.refresh_from_db()
    assert survey.overall == 4


def test_the_mentor_answers_after_losing_access_to_the_relationship(
    client_for, mentor, closed_relationship
):
    survey = survey_for(closed_relationship, mentor)
    client = client_for(mentor)
    assert client.get(ENDING.format(pk=closed_relationship.pk)).status_code == 404
    response = client.post(SURVEY.format(pk=survey.pk), {"would_recommend": "yes"}, follow=True)
    assert "Thank you" in response.content.decode()
    survey.refresh_from_db()
    assert survey.would_recommend is True


def test_a_bad_answer_is_shown_with_the_typed_words_kept(client_for, mentee, closed_relationship):
    survey = survey_for(closed_relationship, mentee)
    response = client_for(mentee).post(
        SURVEY.format(pk=survey.pk), {"overall": "9", "what_helped": "Our walks"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some answers need another look" in page
    assert "Our walks" in page
