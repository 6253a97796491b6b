"""Every audit event says in which role the actor acted and which person the record is about."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership
from accounts.services import api_token_create
from audit.context import reset_acting_as, set_acting_as
from audit.models import AuditEvent, AuditEventIsAppendOnly
from audit.services import audit_record
from audit.subjects import SUBJECT_LOOKUPS, subject_person_id
from mentoring.models import MentoringSession, Message
from tests.mentoring.factories import GoalFactory, MessageFactory, SessionFactory
from tests.outcomes.fixtures import make_response
from tests.safeguarding.fixtures import raise_for

pytestmark = pytest.mark.django_db


def test_a_page_records_the_role_the_actor_used_the_person_and_the_request_id(
    client_for, supervisor, mentee, held
):
    response = client_for(supervisor).get(
        f"/mentoring/{held.relationship_id}/sessions/{held.pk}/",
        HTTP_X_REQUEST_ID="req-audit-role-1",
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="mentoring.session_notes_viewed")
    assert event.actor == supervisor
    assert event.role == "supervisor"
    assert event.person_id == mentee.pk
    assert event.organisation == held.relationship.organisation
    assert event.request_id == "req-audit-role-1"


def test_a_change_made_through_a_page_records_the_actors_role(client_for, admin, coordinator):
    membership = Membership.objects.get(user=coordinator)
    client_for(admin).post(
        "/audit/data-protection-leads/", {"membership": membership.pk, "value": "1"}
    )
    event = AuditEvent.objects.get(action="membership.data_protection_lead_set")
    assert (event.actor, event.role, event.person_id) == (admin, "admin", coordinator.pk)


def test_an_api_token_call_records_the_tokens_role(organisation, coordinator, new_referral):
    _, key = api_token_create(
        actor=None, user=coordinator, organisation=organisation, name="Case system"
    )
    response = Client().get(
        f"/api/v1/referrals/{new_referral.pk}/", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="referrals.intake_viewed")
    assert (event.actor, event.role) == (coordinator, "coordinator")
    assert event.organisation == organisation


def test_events_without_a_request_or_by_the_system_have_no_role(coordinator, organisation):
    assert audit_record(actor=coordinator, action="test.happened").role == ""
    assert audit_record(actor=None, action="test.happened", organisation=organisation).role == ""


def test_the_role_is_only_given_to_the_person_making_the_request(coordinator, admin):
    token = set_acting_as(Membership.objects.get(user=coordinator))
    try:
        assert audit_record(actor=coordinator, action="test.happened").role == "coordinator"
        assert audit_record(actor=admin, action="test.happened").role == ""
        assert audit_record(actor=None, action="test.happened").role == ""
    finally:
        reset_acting_as(token)


def test_records_of_a_relationship_are_about_its_mentee(active_relationship, mentee, mentor):
    session = SessionFactory(relationship=active_relationship)
    message = MessageFactory(relationship=active_relationship, sender=mentor)
    goal = GoalFactory(relationship=active_relationship)
    for target in (active_relationship, session, message, goal):
        assert audit_record(actor=mentor, action="test.happened", target=target).person_id == (
            mentee.pk
        )


def test_records_of_referrals_responses_alerts_and_applications_are_about_their_person(
    active_relationship, mentee, new_referral, mentor_profile, mentor
):
    response = make_response(mentee, "phq9", [0] * 9, relationship=active_relationship)
    alert = raise_for(active_relationship)
    assert subject_person_id(response) == mentee.pk
    assert subject_person_id(response.answers.first()) == mentee.pk
    assert subject_person_id(alert) == mentee.pk
    assert subject_person_id(active_relationship.referral) == mentee.pk
    assert subject_person_id(new_referral) is None  # no account yet
    assert subject_person_id(mentor_profile) == mentor.pk
    assert subject_person_id(mentee) == mentee.pk


def test_a_record_of_no_particular_person_is_about_nobody(organisation, coordinator):
    event = audit_record(actor=coordinator, action="test.happened", target=organisation)
    assert event.person_id is None
    assert event.object_type == "accounts.organisation"


def test_the_person_is_found_in_memory_when_loaded_and_with_one_query_otherwise(
    active_relationship, mentee, mentor
):
    message = MessageFactory(relationship=active_relationship, sender=mentor)
    with CaptureQueriesContext(connection) as loaded:
        assert subject_person_id(message) == mentee.pk
    assert len(loaded) == 0
    fresh = Message.objects.get(pk=message.pk)
    with CaptureQueriesContext(connection) as fetched:
        assert subject_person_id(fresh) == mentee.pk
    assert len(fetched) == 1


def test_every_subject_lookup_names_real_fields():
    """A renamed field would silently leave events about nobody: every lookup must resolve."""
    for label, lookups in SUBJECT_LOOKUPS.items():
        model = apps.get_model(label)
        # Building the query checks each lookup without touching any row.
        str(model._base_manager.values_list(*lookups).query)


def test_the_new_columns_are_append_only_too(coordinator, held):
    event = audit_record(
        actor=coordinator, action="test.happened", target=MentoringSession.objects.get(pk=held.pk)
    )
    with pytest.raises(AuditEventIsAppendOnly), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(role="admin", person_id=None)
    event.person_id = None
    with pytest.raises(AuditEventIsAppendOnly):
        event.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET role = 'admin' WHERE id = %s",
        "UPDATE audit_auditevent SET person_id = NULL WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_postgresql_rejects_rewriting_who_acted_and_about_whom(statement, coordinator, held):
    event = audit_record(actor=coordinator, action="test.happened", target=held)
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():  # noqa: SIM117
        with connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.person_id == held.relationship.mentee_id
