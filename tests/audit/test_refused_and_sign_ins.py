"""Refused accesses, sign-ins, sign-outs and failed sign-ins are on the audit trail."""

from __future__ import annotations

import pytest
from django.http import HttpResponseForbidden
from django.test import Client
from django.urls import resolve

from audit.middleware import RefusedAccessAuditMiddleware
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def refused() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access.refused"))


def test_another_mentee_opening_a_relationship_is_recorded_as_refused(
    client_for, other_mentee, active_relationship
):
    response = client_for(other_mentee).get(
        f"/mentoring/{active_relationship.pk}/?from=email", HTTP_X_REQUEST_ID="req-refused-001"
    )
    assert response.status_code == 404
    (event,) = refused()
    assert event.actor == other_mentee
    assert event.role == "mentee"
    assert event.metadata == {"route": "mentoring:overview", "status": 404, "method": "GET"}
    assert event.request_id == "req-refused-001"
    # Target-free and label-only: nothing says which record was asked for.
    assert (event.object_type, event.object_id, event.person_id) == ("", "", None)
    assert "from=email" not in str(event.metadata)


def test_a_refused_api_call_is_recorded_with_its_route(
    client_for, other_mentee, active_relationship
):
    response = client_for(other_mentee).get(
        f"/api/v1/relationships/{active_relationship.pk}/messages/"
    )
    assert response.status_code == 404
    (event,) = refused()
    assert event.metadata["route"] == "api:mentoring-messages"
    assert event.metadata["status"] == 404


def test_a_staff_only_page_refused_to_a_mentor_is_recorded(client_for, mentor):
    assert client_for(mentor).get("/audit/").status_code == 404
    (event,) = refused()
    assert (event.actor, event.role, event.metadata["route"]) == (mentor, "mentor", "audit:search")


def test_a_forbidden_answer_is_recorded_too(rf, mentee):
    request = rf.post("/anything/")
    request.user = mentee
    request.resolver_match = resolve("/audit/")
    RefusedAccessAuditMiddleware(lambda request: HttpResponseForbidden())(request)
    (event,) = refused()
    assert event.metadata == {"route": "audit:search", "status": 403, "method": "POST"}


def test_an_address_that_matches_no_page_is_not_recorded(client_for, mentee):
    assert client_for(mentee).get("/no-such-page/at/all/").status_code == 404
    assert client_for(mentee).get("/mentoring/not-a-number/").status_code == 404
    assert refused() == []


def test_people_who_are_not_signed_in_are_not_recorded(active_relationship):
    Client().get(f"/api/v1/relationships/{active_relationship.pk}/messages/")
    Client().get("/audit/")
    assert refused() == []


def test_pages_people_may_open_are_not_recorded_as_refused(client_for, mentee, active_relationship):
    assert client_for(mentee).get(f"/mentoring/{active_relationship.pk}/").status_code == 200
    assert refused() == []


# Signing in and out ----------------------------------------------------------------------------


def test_signing_in_and_out_are_recorded_with_the_request_id(mentee):
    client = Client()
    client.post(
        "/accounts/login/",
        {"login": mentee.email, "password": "correct-horse-battery"},
        HTTP_X_REQUEST_ID="req-sign-in-0001",
    )
    client.post("/accounts/logout/", HTTP_X_REQUEST_ID="req-sign-out-001")
    signed_in = AuditEvent.objects.get(action="account.signed_in")
    signed_out = AuditEvent.objects.get(action="account.signed_out")
    assert (signed_in.actor, signed_in.request_id) == (mentee, "req-sign-in-0001")
    assert (signed_out.actor, signed_out.request_id) == (mentee, "req-sign-out-001")
    assert signed_out.role == "mentee"  # signed in when the request began
    assert signed_in.person_id == signed_out.person_id == mentee.pk


def test_a_failed_sign_in_is_recorded_with_the_request_id_and_no_actor(mentee):
    Client().post(
        "/accounts/login/",
        {"login": mentee.email, "password": "not-the-password"},
        HTTP_X_REQUEST_ID="req-failed-00001",
    )
    event = AuditEvent.objects.get(action="account.sign_in_failed")
    assert event.actor is None and event.role == ""
    assert event.request_id == "req-failed-00001"
    assert event.person_id == mentee.pk  # whose account someone tried
