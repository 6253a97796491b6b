"""The ending API: the checklist, beginning the planned ending, closing, the wellbeing plan,
the mentee's record and the exit survey. The same people may use each endpoint as the pages
allow; everyone else gets a 404 (anonymous callers 401)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.services import api_token_create
from audit.models import AuditEvent
from mentoring.concurrency import STALE
from mentoring.models import (
    EndReason,
    ExitSurvey,
    RelationshipStatus,
    SessionStatus,
    WellbeingPlan,
)
from mentoring.services.ending import ALREADY_ENDED, relationship_close
from mentoring.services.plans import ENDED, plan_save
from mentoring.services.surveys import ALREADY_ANSWERED
from safeguarding.models import CrisisResource
from tests.mentoring.access import PEOPLE, STAFF, check_api, client_as
from tests.mentoring.factories import SessionFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/relationships/{pk}/"
ENDING = BASE + "ending/"
BEGIN = BASE + "ending/begin/"
CLOSE = BASE + "close/"
PLAN = BASE + "plan/"
READY = BASE + "plan/ready/"
RECORD = BASE + "record/"
SURVEY = "/api/v1/exit-surveys/{pk}/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


@pytest.fixture
def closed_relationship(active_relationship, coordinator):
    relationship_close(
        actor=coordinator, relationship=active_relationship, reason=EndReason.GOALS_MET
    )
    active_relationship.refresh_from_db()
    return active_relationship


@pytest.fixture
def written_plan(active_relationship, mentee):
    return plan_save(
        actor=mentee, relationship=active_relationship, version=1, what_helps="Walking"
    ).plan


def status_of(relationship):
    relationship.refresh_from_db()
    return relationship.status


# Who may use what --------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_ending_read_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).get(ENDING.format(pk=active_relationship.pk))
    check_api(response, person, ["mentor", "mentee", *STAFF])


@pytest.mark.parametrize("person", PEOPLE)
def test_ending_read_access_after_the_ending(person, request, client_for, closed_relationship):
    response = client_as(person, request, client_for).get(ENDING.format(pk=closed_relationship.pk))
    check_api(response, person, ["mentee", *STAFF])


@pytest.mark.parametrize("person", PEOPLE)
def test_begin_access(person, request, client_for, active_relationship):
    response = post(client_as(person, request, client_for), BEGIN.format(pk=active_relationship.pk))
    check_api(response, person, ["mentor", *STAFF])
    expected = (
        RelationshipStatus.CLOSING if person in ("mentor", *STAFF) else RelationshipStatus.ACTIVE
    )
    assert status_of(active_relationship) == expected


@pytest.mark.parametrize("person", PEOPLE)
def test_close_access(person, request, client_for, active_relationship):
    response = post(
        client_as(person, request, client_for),
        CLOSE.format(pk=active_relationship.pk),
        {"reason": "goals_met", "exit_conversation_held": True},
    )
    check_api(response, person, STAFF)
    assert (status_of(active_relationship) == RelationshipStatus.ENDED) == (person in STAFF)


@pytest.mark.parametrize("person", PEOPLE)
def test_plan_read_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).get(PLAN.format(pk=active_relationship.pk))
    check_api(response, person, ["mentor", "mentee", *STAFF])


@pytest.mark.parametrize("person", PEOPLE)
def test_plan_write_access(person, request, client_for, active_relationship):
    response = put(
        client_as(person, request, client_for),
        PLAN.format(pk=active_relationship.pk),
        {"version": 1, "what_helps": "Tea"},
    )
    check_api(response, person, ["mentor", "mentee"])
    assert WellbeingPlan.objects.exists() == (person in ("mentor", "mentee"))


@pytest.mark.parametrize("person", PEOPLE)
def test_plan_ready_access(person, request, client_for, active_relationship, written_plan):
    response = post(client_as(person, request, client_for), READY.format(pk=active_relationship.pk))
    check_api(response, person, ["mentee"])
    written_plan.refresh_from_db()
    assert (written_plan.ready_at is not None) == (person == "mentee")


@pytest.mark.parametrize("person", PEOPLE)
def test_record_access(person, request, client_for, active_relationship):
    response = client_as(person, request, client_for).get(RECORD.format(pk=active_relationship.pk))
    check_api(response, person, ["mentee"])


@pytest.mark.parametrize("person", PEOPLE)
def test_record_access_after_the_ending(person, request, client_for, closed_relationship):
    response = client_as(person, request, client_for).get(RECORD.format(pk=closed_relationship.pk))
    check_api(response, person, ["mentee"])


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("respondent", ["mentee", "mentor"])
def test_exit_survey_access(person, respondent, request, client_for, closed_relationship):
    survey = ExitSurvey.objects.get(
        relationship=closed_relationship, respondent=request.getfixturevalue(respondent)
    )
    client = client_as(person, request, client_for)
    check_api(client.get(SURVEY.format(pk=survey.pk)), person, [respondent])
    check_api(post(client, SURVEY.format(pk=survey.pk), {"overall": 4}), person, [respondent])
    survey.refresh_from_db()
    assert (survey.answered_at is not None) == (person == respondent)


@pytest.mark.parametrize("person", PEOPLE)
def test_after_the_ending_the_mentor_gets_404_and_the_mentee_cannot_change(
    person, request, client_for, closed_relationship
):
    WellbeingPlan.objects.create(relationship=closed_relationship, what_helps="Tea")
    client = client_as(person, request, client_for)
    pk = closed_relationship.pk
    check_api(client.get(PLAN.format(pk=pk)), person, ["mentee", *STAFF])
    response = put(client, PLAN.format(pk=pk), {"version": 2, "what_helps": "Changed"})
    if person == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 404, person
    response = post(client, READY.format(pk=pk))
    if person != "anonymous":
        assert response.status_code == 404, person
    assert WellbeingPlan.objects.get().what_helps == "Tea"


def test_a_token_works_like_a_session(organisation, mentee, active_relationship):
    from django.test import Client

    _, key = api_token_create(actor=None, user=mentee, organisation=organisation, name="App")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(ENDING.format(pk=active_relationship.pk)).status_code == 200
    assert client.get(RECORD.format(pk=active_relationship.pk)).status_code == 200


# What the endpoints do ---------------------------------------------------------------------------


def test_the_checklist_for_the_pair_and_for_staff(
    client_for, mentee, coordinator, closed_relationship
):
    data = client_for(mentee).get(ENDING.format(pk=closed_relationship.pk)).json()
    assert data["status"] == "ended"
    assert [item["key"] for item in data["items"]] == [
        "final_session",
        "final_measures",
        "plan",
        "exit_conversation",
    ]
    assert data["follow_up_on"] is not None
    assert "end_reason" not in data
    staff = client_for(coordinator).get(ENDING.format(pk=closed_relationship.pk)).json()
    assert staff["end_reason"] == "goals_met"
    assert staff["end_kind"] == "planned"


def test_the_mentor_does_not_see_the_follow_up(client_for, mentor, active_relationship):
    data = client_for(mentor).get(ENDING.format(pk=active_relationship.pk)).json()
    assert data["follow_up_on"] is None
    assert data["final_session"] is None


def test_beginning_twice_is_harmless(client_for, mentor, active_relationship):
    client = client_for(mentor)
    assert post(client, BEGIN.format(pk=active_relationship.pk)).status_code == 200
    response = post(client, BEGIN.format(pk=active_relationship.pk))
    assert response.status_code == 200
    assert response.json()["status"] == "closing"


def test_beginning_an_introduction_is_refused(client_for, coordinator, relationship):
    response = post(client_for(coordinator), BEGIN.format(pk=relationship.pk))
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_beginning_an_ended_relationship_is_a_conflict(
    client_for, coordinator, closed_relationship
):
    response = post(client_for(coordinator), BEGIN.format(pk=closed_relationship.pk))
    assert response.status_code == 409


def test_closing_twice_is_a_conflict(client_for, coordinator, active_relationship):
    client = client_for(coordinator)
    url = CLOSE.format(pk=active_relationship.pk)
    first = post(client, url, {"reason": "moved_away"})
    assert first.status_code == 200
    assert first.json()["end_kind"] == "unplanned"
    again = post(client, url, {"reason": "goals_met"})
    assert again.status_code == 409
    assert again.json() == {"non_field_errors": [ALREADY_ENDED]}


def test_closing_needs_a_note_for_another_reason(client_for, coordinator, active_relationship):
    response = post(
        client_for(coordinator), CLOSE.format(pk=active_relationship.pk), {"reason": "other"}
    )
    assert response.status_code == 400
    assert "note" in response.json()


def test_closing_needs_a_known_reason(client_for, coordinator, active_relationship):
    response = post(
        client_for(coordinator), CLOSE.format(pk=active_relationship.pk), {"reason": "bored"}
    )
    assert response.status_code == 400
    assert "reason" in response.json()


def test_the_plan_is_read_and_changed_with_its_version(
    client_for, mentee, organisation, active_relationship
):
    CrisisResource.objects.create(organisation=organisation, name="Crisis Line", phone="111")
    SessionFactory(
        relationship=active_relationship,
        status=SessionStatus.HELD,
        scheduled_for=timezone.now(),
        skills_shared="Box breathing",
    )
    client = client_for(mentee)
    url = PLAN.format(pk=active_relationship.pk)
    blank = client.get(url).json()
    assert (blank["version"], blank["saved"], blank["can_edit"]) == (1, False, True)
    assert blank["skills_shared"] == ["Box breathing"]
    assert blank["crisis_resources"][0]["name"] == "Crisis Line"
    saved = put(client, url, {"version": 1, "what_helps": "Walking"}).json()
    assert (saved["version"], saved["what_helps"], saved["show_help"]) == (2, "Walking", False)
    kept = put(client, url, {"version": 2, "warning_signs": "Not sleeping"}).json()
    assert (kept["what_helps"], kept["warning_signs"]) == ("Walking", "Not sleeping")


def test_a_stale_plan_save_is_a_conflict_with_the_latest(
    client_for, mentee, mentor, active_relationship, written_plan
):
    url = PLAN.format(pk=active_relationship.pk)
    response = put(client_for(mentor), url, {"version": 1, "what_helps": "Mine"})
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == [STALE]
    assert body["latest"]["what_helps"] == "Walking"
    assert body["latest"]["version"] == 2
    written_plan.refresh_from_db()
    assert written_plan.what_helps == "Walking"


def test_a_plan_save_needs_a_version(client_for, mentee, active_relationship):
    response = put(client_for(mentee), PLAN.format(pk=active_relationship.pk), {"what_helps": "x"})
    assert response.status_code == 400
    assert "version" in response.json()


def test_staff_read_the_plan_but_cannot_edit(client_for, coordinator, active_relationship):
    data = client_for(coordinator).get(PLAN.format(pk=active_relationship.pk)).json()
    assert data["can_edit"] is False
    assert data["skills_shared"] == []


def test_marking_an_empty_plan_ready_is_refused(client_for, mentee, active_relationship):
    response = post(client_for(mentee), READY.format(pk=active_relationship.pk))
    assert response.status_code == 400


def test_marking_ready_returns_the_plan(client_for, mentee, active_relationship, written_plan):
    response = post(client_for(mentee), READY.format(pk=active_relationship.pk))
    assert response.status_code == 200
    assert response.json()["ready_at"] is not None


def test_the_plan_cannot_change_after_the_ending(client_for, mentee, closed_relationship):
    response = put(
        client_for(mentee),
        PLAN.format(pk=closed_relationship.pk),
        {"version": 1, "what_helps": "x"},
    )
    assert response.status_code == 404
    assert response.json() == {"non_field_errors": [ENDED]}


def test_the_record_is_the_mentees_and_audited(client_for, mentee, active_relationship):
    SessionFactory(
        relationship=active_relationship,
        status=SessionStatus.HELD,
        scheduled_for=timezone.now(),
        summary="Shared summary",
        private_notes="PRIVATE-NOTE",
    )
    response = client_for(mentee).get(RECORD.format(pk=active_relationship.pk))
    data = response.json()
    assert data["sessions"][0]["summary"] == "Shared summary"
    assert "PRIVATE-NOTE" not in response.content.decode()
    assert AuditEvent.objects.get(action="relationship.record_downloaded").metadata == {
        "format": "api"
    }


def test_the_survey_is_answered_once(client_for, mentee, closed_relationship):
    survey = ExitSurvey.objects.get(relationship=closed_relationship, respondent=mentee)
    client = client_for(mentee)
    url = SURVEY.format(pk=survey.pk)
    assert client.get(url).json()["answered_at"] is None
    answered = post(
        client,
        url,
        {"overall": 5, "what_helped": "Listening", "would_recommend": None},
    )
    assert answered.status_code == 200
    assert answered.json()["overall"] == 5
    again = post(client, url, {"overall": 1})
    assert again.status_code == 409
    assert again.json() == {"non_field_errors": [ALREADY_ANSWERED]}


def test_a_survey_answer_out_of_range_is_refused(client_for, mentee, closed_relationship):
    survey = ExitSurvey.objects.get(relationship=closed_relationship, respondent=mentee)
    response = post(client_for(mentee), SURVEY.format(pk=survey.pk), {"overall": 7})
    assert response.status_code == 400
    assert "overall" in response.json()


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_other_methods_are_not_allowed(method, client_for, mentee, active_relationship):
    response = getattr(client_for(mentee), method)(
        PLAN.format(pk=active_relationship.pk), {}, content_type="application/json"
    )
    assert response.status_code == 405
