"""Before erasing, the coordinator sees what suggests a hold, and can hold or refuse instead."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from privacy.erasure_requests import (
    erasure_hold,
    erasure_refuse,
    erasure_request_create,
    hold_facts,
)
from privacy.models import ErasureStatus
from tests.mentoring.factories import ConcernFactory

pytestmark = pytest.mark.django_db


def _request(relationship, actor):
    return erasure_request_create(
        actor=actor, organisation=relationship.organisation, person=relationship.mentee
    )


def test_open_alert_and_running_relationship_are_shown(
    flagged_alert, active_relationship, coordinator
):
    facts = hold_facts(_request(active_relationship, coordinator))
    texts = [fact.text for fact in facts]
    assert "1 safeguarding alert is open." in texts
    assert any("still running" in fact.text and fact.blocks for fact in facts)


def test_open_concern_is_shown(ended_relationship, coordinator):
    ConcernFactory(relationship=ended_relationship, raised_by=ended_relationship.mentee)
    texts = [fact.text for fact in hold_facts(_request(ended_relationship, coordinator))]
    assert texts == ["1 concern is not resolved."]


def test_nothing_to_show_for_a_finished_relationship(ended_relationship, coordinator):
    assert hold_facts(_request(ended_relationship, coordinator)) == []


def test_hold_needs_a_reason_and_is_audited(ended_relationship, coordinator):
    request = _request(ended_relationship, coordinator)
    with pytest.raises(ValidationError):
        erasure_hold(actor=coordinator, request=request, reason="  ")
    erasure_hold(actor=coordinator, request=request, reason="Police enquiry")
    request.refresh_from_db()
    assert request.status == ErasureStatus.ON_HOLD
    assert AuditEvent.objects.filter(action="privacy.erasure_held").exists()


def test_refused_request_cannot_be_decided_again(ended_relationship, coordinator):
    request = _request(ended_relationship, coordinator)
    erasure_refuse(actor=coordinator, request=request, reason="Legal claim")
    with pytest.raises(ValidationError):
        erasure_hold(actor=coordinator, request=request, reason="Later")
    assert AuditEvent.objects.filter(action="privacy.erasure_refused").count() == 1


def test_staff_cannot_record_their_own_erasure(coordinator, organisation):
    with pytest.raises(ValidationError):
        erasure_request_create(actor=coordinator, organisation=organisation, person=coordinator)
