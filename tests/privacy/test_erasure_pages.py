"""The erasure and retention pages: record a request, see what suggests a hold, decide."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from privacy.models import ErasureRequest, ErasureStatus, RetentionPolicy, RetentionRun

pytestmark = pytest.mark.django_db


def test_coordinator_records_a_request_then_erases_after_confirming(
    ended_relationship, coordinator, client_for
):
    client = client_for(coordinator)
    mentee = ended_relationship.mentee
    page = client.get(reverse("privacy:erasure_new"))
    assert mentee.email in page.content.decode()
    response = client.post(reverse("privacy:erasure_new"), {"person": mentee.pk})
    request = ErasureRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:erasure_detail", args=[request.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "no legal or safeguarding reason" in detail

    decide = reverse("privacy:erasure_decide", args=[request.pk])
    refused = client.post(decide, {"outcome": "erase"})
    assert refused.status_code == 400
    assert "Confirm there is no legal or safeguarding hold first." in refused.content.decode()
    request.refresh_from_db()
    assert request.status == ErasureStatus.REQUESTED

    done = client.post(decide, {"outcome": "erase", "confirm_no_hold": "on"})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == ErasureStatus.ERASED
    after = client.get(reverse("privacy:erasure_detail", args=[request.pk])).content.decode()
    assert "mentee@example.org" not in after
    assert "What was erased" in after


def test_open_alert_is_shown_before_deciding(flagged_alert, active_relationship, admin, client_for):
    client = client_for(admin)
    client.post(reverse("privacy:erasure_new"), {"person": active_relationship.mentee.pk})
    request = ErasureRequest.objects.get()
    page = client.get(reverse("privacy:erasure_detail", args=[request.pk])).content.decode()
    assert "1 safeguarding alert is open." in page
    assert "still running" in page
    blocked = client.post(
        reverse("privacy:erasure_decide", args=[request.pk]),
        {"outcome": "erase", "confirm_no_hold": "on"},
    )
    assert blocked.status_code == 400
    assert "still running" in blocked.content.decode()


def test_hold_keeps_the_reason_typed(ended_relationship, coordinator, client_for):
    client = client_for(coordinator)
    client.post(reverse("privacy:erasure_new"), {"person": ended_relationship.mentee.pk})
    request = ErasureRequest.objects.get()
    decide = reverse("privacy:erasure_decide", args=[request.pk])
    missing = client.post(decide, {"outcome": "hold"})
    assert missing.status_code == 400
    assert "Say why" in missing.content.decode()
    assert client.post(decide, {"outcome": "hold", "reason": "Court order"}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.hold_reason) == (ErasureStatus.ON_HOLD, "Court order")


def test_request_needs_a_person_or_referral(coordinator, client_for):
    response = client_for(coordinator).post(reverse("privacy:erasure_new"), {})
    assert response.status_code == 400
    assert "Choose the person with an account, or their referral." in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_other_organisations_people_are_not_offered(other_org_coordinator, mentee, client_for):
    client = client_for(other_org_coordinator)
    assert mentee.email not in client.get(reverse("privacy:erasure_new")).content.decode()
    response = client.post(reverse("privacy:erasure_new"), {"person": mentee.pk})
    assert response.status_code == 400


def test_other_organisations_request_is_a_404(
    ended_relationship, coordinator, other_org_coordinator, client_for
):
    client_for(coordinator).post(
        reverse("privacy:erasure_new"), {"person": ended_relationship.mentee.pk}
    )
    request = ErasureRequest.objects.get()
    client = client_for(other_org_coordinator)
    assert client.get(reverse("privacy:erasure_detail", args=[request.pk])).status_code == 404
    decide = reverse("privacy:erasure_decide", args=[request.pk])
    assert client.post(decide, {"outcome": "erase", "confirm_no_hold": "on"}).status_code == 404
    request.refresh_from_db()
    assert request.status == ErasureStatus.REQUESTED


def test_admin_changes_the_retention_policy_and_it_is_audited(admin, organisation, client_for):
    client = client_for(admin)
    page = client.get(reverse("privacy:retention"))
    assert page.status_code == 200
    assert not RetentionPolicy.objects.exists()
    values = {
        "closed_relationship_months": 60,
        "declined_applicant_months": 3,
        "closed_referral_months": 12,
        "audit_months": 96,
    }
    assert client.post(reverse("privacy:retention"), values).status_code == 302
    policy = RetentionPolicy.objects.get(organisation=organisation)
    assert (policy.closed_relationship_months, policy.declined_applicant_months) == (60, 3)
    event = AuditEvent.objects.get(action="privacy.retention_policy_changed")
    assert event.metadata == {"closed_relationship_months": 60, "declined_applicant_months": 3}


def test_retention_policy_refuses_zero_months_and_keeps_what_was_typed(admin, client_for):
    values = {
        "closed_relationship_months": 0,
        "declined_applicant_months": 7,
        "closed_referral_months": 12,
        "audit_months": 96,
    }
    response = client_for(admin).post(reverse("privacy:retention"), values)
    assert response.status_code == 400
    assert 'value="7"' in response.content.decode()
    assert not RetentionPolicy.objects.exists()


def test_retention_page_lists_recent_runs(admin, organisation, client_for):
    RetentionRun.objects.create(
        organisation=organisation, removed_counts={"mentor_applications": 2}
    )
    page = client_for(admin).get(reverse("privacy:retention")).content.decode()
    assert "mentor applications 2" in page


def test_coordinator_cannot_open_the_retention_policy(coordinator, client_for):
    assert client_for(coordinator).get(reverse("privacy:retention")).status_code == 404
