"""Reads of sensitive records are audited once per view, and only for people shown the content:
session private notes, messages, intake details, measure answers and safeguarding alerts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.audit.conftest import NOTES
from tests.mentoring.access import client_as
from tests.mentoring.factories import MessageFactory, SessionFactory
from tests.outcomes.fixtures import make_response
from tests.safeguarding.fixtures import raise_for

pytestmark = pytest.mark.django_db


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def session_url(session) -> str:
    return f"/mentoring/{session.relationship_id}/sessions/{session.pk}/"


def session_api_url(session) -> str:
    return f"/api/v1/relationships/{session.relationship_id}/sessions/{session.pk}/"


# Session private notes -------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["mentor", "supervisor"])
def test_opening_a_session_with_private_notes_is_audited_once(
    person, request, client_for, held, mentee
):
    page = client_as(person, request, client_for).get(session_url(held))
    assert NOTES in page.content.decode()
    (event,) = events("mentoring.session_notes_viewed")
    assert event.actor == request.getfixturevalue(person)
    assert event.role == person
    assert (event.object_type, event.object_id) == ("mentoring.mentoringsession", str(held.pk))
    assert event.person_id == mentee.pk
    assert NOTES not in str(event.metadata)


@pytest.mark.parametrize("person", ["mentee", "coordinator", "admin"])
def test_people_not_shown_the_private_notes_leave_no_notes_read(person, request, client_for, held):
    page = client_as(person, request, client_for).get(session_url(held))
    assert page.status_code == 200
    assert NOTES not in page.content.decode()
    assert events("mentoring.session_notes_viewed") == []


@pytest.mark.parametrize("person", ["other_mentee", "other_mentor", "other_org_coordinator"])
def test_people_refused_the_session_leave_no_notes_read(person, request, client_for, held):
    assert client_as(person, request, client_for).get(session_url(held)).status_code == 404
    assert events("mentoring.session_notes_viewed") == []


def test_a_session_not_logged_yet_has_no_notes_to_audit(client_for, mentor, active_relationship):
    planned = SessionFactory(relationship=active_relationship)
    assert client_for(mentor).get(session_url(planned)).status_code == 200
    assert events("mentoring.session_notes_viewed") == []


def test_the_session_api_audits_the_notes_for_the_supervisor_not_the_mentee(
    client_for, supervisor, mentee, held
):
    body = client_for(supervisor).get(session_api_url(held)).json()
    assert body["private_notes"] == NOTES
    (event,) = events("mentoring.session_notes_viewed")
    assert (event.actor, event.role, event.person_id) == (supervisor, "supervisor", mentee.pk)
    body = client_for(mentee).get(session_api_url(held)).json()
    assert "private_notes" not in body or not body["private_notes"]
    assert len(events("mentoring.session_notes_viewed")) == 1


def test_the_session_list_api_audits_one_read_for_all_logged_sessions(
    client_for, mentor, mentee, held, active_relationship
):
    SessionFactory(relationship=active_relationship)  # planned: nothing private yet
    url = f"/api/v1/relationships/{active_relationship.pk}/sessions/"
    assert client_for(mentor).get(url).status_code == 200
    (event,) = events("mentoring.session_notes_viewed")
    assert event.object_type == "mentoring.relationship"
    assert event.metadata == {"sessions": 1}
    assert event.person_id == mentee.pk
    assert client_for(mentee).get(url).status_code == 200
    assert len(events("mentoring.session_notes_viewed")) == 1


# Messages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["mentee", "mentor"])
def test_reading_the_message_thread_is_audited_once_with_a_count(
    person, request, client_for, active_relationship, mentee, mentor
):
    MessageFactory(relationship=active_relationship, sender=mentee, body="I had a rough night.")
    MessageFactory(relationship=active_relationship, sender=mentor)
    page = client_as(person, request, client_for).get(
        f"/mentoring/{active_relationship.pk}/messages/"
    )
    assert page.status_code == 200
    (event,) = events("mentoring.messages_viewed")
    assert (event.role, event.person_id) == (person, mentee.pk)
    assert event.object_type == "mentoring.relationship"
    assert event.metadata == {"messages": 2}
    assert "rough" not in str(event.metadata)


@pytest.mark.parametrize("person", ["supervisor", "coordinator", "admin", "other_mentee"])
def test_people_who_may_not_read_messages_leave_no_messages_read(
    person, request, client_for, active_relationship, mentee
):
    MessageFactory(relationship=active_relationship, sender=mentee)
    client = client_as(person, request, client_for)
    assert client.get(f"/mentoring/{active_relationship.pk}/messages/").status_code == 404
    api = f"/api/v1/relationships/{active_relationship.pk}/messages/"
    assert client.get(api).status_code == 404
    assert events("mentoring.messages_viewed") == []
    assert len(events("access.refused")) == 2


def test_the_messages_api_audits_the_read(client_for, mentor, mentee, active_relationship):
    MessageFactory(relationship=active_relationship, sender=mentee)
    response = client_for(mentor).get(f"/api/v1/relationships/{active_relationship.pk}/messages/")
    assert len(response.json()["results"]) == 1
    (event,) = events("mentoring.messages_viewed")
    assert (event.actor, event.role, event.metadata) == (mentor, "mentor", {"messages": 1})


# Intake details ---------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["coordinator", "admin"])
def test_staff_opening_a_referral_is_audited(person, request, client_for, new_referral):
    client = client_as(person, request, client_for)
    assert client.get(reverse("referrals:detail", args=[new_referral.pk])).status_code == 200
    assert client.get(f"/api/v1/referrals/{new_referral.pk}/").status_code == 200
    page_read, api_read = events("referrals.intake_viewed")[::-1]
    for event in (page_read, api_read):
        assert (event.role, event.object_id) == (person, str(new_referral.pk))
        assert event.organisation == new_referral.organisation


def test_a_referral_of_someone_with_an_account_is_about_them(
    client_for, coordinator, active_relationship, mentee
):
    referral = active_relationship.referral
    client_for(coordinator).get(reverse("referrals:detail", args=[referral.pk]))
    (event,) = events("referrals.intake_viewed")
    assert event.person_id == mentee.pk


def test_the_referrer_reading_the_status_and_refused_staff_leave_no_intake_read(
    client_for, referrer, partner_referral, other_org_coordinator
):
    assert client_for(referrer).get(f"/api/v1/referrals/{partner_referral.pk}/").status_code == 200
    other = client_for(other_org_coordinator)
    assert other.get(reverse("referrals:detail", args=[partner_referral.pk])).status_code == 404
    assert other.get(f"/api/v1/referrals/{partner_referral.pk}/").status_code == 404
    assert events("referrals.intake_viewed") == []


# Measure answers and alerts (audited by their own apps; checked here with role and person) -------


def test_reading_measure_answers_is_audited_with_role_and_person(
    client_for, mentor, mentee, active_relationship
):
    response = make_response(mentee, "phq9", [1] * 9, relationship=active_relationship)
    client_for(mentor).get(reverse("outcomes:response", args=[response.pk]))
    (event,) = events("measure.answers_viewed")
    assert (event.actor, event.role, event.person_id) == (mentor, "mentor", mentee.pk)


def test_the_mentee_opening_measure_answers_of_someone_else_is_refused_and_not_a_read(
    client_for, other_mentee, mentee, active_relationship
):
    response = make_response(mentee, "phq9", [1] * 9, relationship=active_relationship)
    assert (
        client_for(other_mentee).get(reverse("outcomes:response", args=[response.pk])).status_code
        == 404
    )
    assert events("measure.answers_viewed") == []


def test_reading_an_alert_is_audited_with_role_and_person(
    client_for, coordinator, mentee, active_relationship
):
    alert = raise_for(active_relationship)
    assert client_for(coordinator).get(f"/safeguarding/alerts/{alert.pk}/").status_code == 200
    (event,) = events("safeguarding.alert_viewed")
    assert (event.actor, event.role, event.person_id) == (coordinator, "coordinator", mentee.pk)


def test_a_mentor_cannot_read_an_alert_and_leaves_no_read(client_for, mentor, active_relationship):
    alert = raise_for(active_relationship)
    assert client_for(mentor).get(f"/safeguarding/alerts/{alert.pk}/").status_code == 404
    assert events("safeguarding.alert_viewed") == []


def test_staff_opening_the_intake_form_is_audited_as_an_intake_read(client_for, coordinator):
    from referrals.models import Status
    from tests.referrals.factories import ReferralFactory

    referral = ReferralFactory(organisation=coordinator.memberships.get().organisation)
    referral.status = Status.INTAKE
    referral.save(update_fields=["status"])
    page = client_for(coordinator).get(reverse("referrals:intake", args=[referral.pk]))
    assert page.status_code == 200
    (read,) = events("referrals.intake_viewed")
    assert (read.role, read.object_id) == ("coordinator", str(referral.pk))
