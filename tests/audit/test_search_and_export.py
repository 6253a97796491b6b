"""Administrators and data protection leads search and export their organisation's audit trail;
administrators choose the data protection leads. Everyone else gets a 404."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from accounts.models import Membership
from accounts.services import membership_set_data_protection_lead
from audit.models import AuditEvent
from audit.services import audit_record
from tests.security.matrix import PEOPLE

pytestmark = pytest.mark.django_db

PAGES = ("/audit/", "/audit/export.csv", "/audit/data-protection-leads/")
WHO_GETS = {
    "/audit/": {"admin"},
    "/audit/export.csv": {"admin"},
    "/audit/data-protection-leads/": {"admin"},
}


def as_person(person: str, request) -> Client:
    client = Client()
    if person != "anonymous":
        client.force_login(request.getfixturevalue(person))
    return client


def make_lead(user) -> Membership:
    membership = Membership.objects.get(user=user)
    membership.is_data_protection_lead = True
    membership.save(update_fields=["is_data_protection_lead"])
    return membership


def csv_rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def shown_actions(response) -> list[str]:
    rows = response.context["rows"]
    return [row["event"].action for row in rows]


# Who may open the pages --------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("url", PAGES)
def test_the_audit_pages_are_for_administrators_only_in_the_cast(url, person, request):
    response = as_person(person, request).get(url)
    if person in WHO_GETS[url]:
        assert response.status_code == 200
    elif person == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404


def test_a_data_protection_lead_may_search_and_export_but_not_choose_leads(client_for, coordinator):
    make_lead(coordinator)
    client = client_for(coordinator)
    assert client.get("/audit/").status_code == 200
    assert client.get("/audit/export.csv").status_code == 200
    assert client.get("/audit/data-protection-leads/").status_code == 404


def test_a_lead_in_another_organisation_sees_only_that_organisations_events(
    client_for, other_org_coordinator, coordinator, organisation, other_organisation
):
    make_lead(other_org_coordinator)
    audit_record(actor=coordinator, action="test.ours", organisation=organisation)
    audit_record(actor=other_org_coordinator, action="test.theirs", organisation=other_organisation)
    response = client_for(other_org_coordinator).get("/audit/?action=test.")
    assert shown_actions(response) == ["test.theirs"]


# Searching ---------------------------------------------------------------------------------------


@pytest.fixture
def trail(organisation, other_organisation, coordinator, mentor, mentee, other_mentee, held):
    """A small trail: the mentor and coordinator read the mentee's records at different times."""
    audit_record(
        actor=mentor,
        action="mentoring.session_notes_viewed",
        organisation=organisation,
        target=held,
    )
    audit_record(
        actor=coordinator,
        action="referrals.intake_viewed",
        organisation=organisation,
        target=held.relationship.referral,
    )
    audit_record(
        actor=coordinator, action="account.other", organisation=organisation, target=other_mentee
    )
    audit_record(
        actor=None, action="test.elsewhere", organisation=other_organisation, target=mentee
    )
    audit_record(actor=mentee, action="account.signed_in", target=mentee)  # no organisation
    return held


def test_searching_by_person_email_finds_what_was_done_to_and_by_them(
    client_for, admin, mentee, trail
):
    response = client_for(admin).get("/audit/", {"person": "MENTEE@example.org"})
    assert sorted(shown_actions(response)) == [
        "account.signed_in",
        "mentoring.session_notes_viewed",
        "referrals.intake_viewed",
    ]


def test_searching_by_part_of_a_name(client_for, admin, mentee, trail):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    response = client_for(admin).get("/audit/", {"person": "quinl"})
    assert "mentoring.session_notes_viewed" in shown_actions(response)
    assert "account.other" not in shown_actions(response)


def test_a_person_from_no_organisation_of_ours_matches_nothing(client_for, admin, trail):
    response = client_for(admin).get("/audit/", {"person": "coordinator@elsewhere.example"})
    assert shown_actions(response) == []


def test_filtering_by_actor_action_and_kind_of_record(client_for, admin, trail):
    client = client_for(admin)
    by_actor = shown_actions(client.get("/audit/", {"actor": "coordinator@example.org"}))
    assert sorted(by_actor) == ["account.other", "referrals.intake_viewed"]
    by_action = shown_actions(client.get("/audit/", {"action": "account."}))
    assert set(by_action) == {"account.other", "account.signed_in"}  # the admin signed in too
    kind = client.get("/audit/", {"object_type": "mentoring.mentoringsession"})
    assert shown_actions(kind) == ["mentoring.session_notes_viewed"]


def test_filtering_by_dates(client_for, admin, organisation, coordinator):
    old = AuditEvent.objects.create(
        actor=coordinator,
        organisation=organisation,
        action="test.old",
        occurred_at=timezone.now() - timedelta(days=10),
    )
    audit_record(actor=coordinator, action="test.new", organisation=organisation)
    client = client_for(admin)
    day = timezone.localdate(old.occurred_at)
    only_old = client.get("/audit/", {"action": "test.", "date_to": day.isoformat()})
    assert shown_actions(only_old) == ["test.old"]
    after = (day + timedelta(days=1)).isoformat()
    only_new = client.get("/audit/", {"action": "test.", "date_from": after})
    assert shown_actions(only_new) == ["test.new"]
    same_day = client.get(
        "/audit/", {"action": "test.", "date_from": day.isoformat(), "date_to": day.isoformat()}
    )
    assert shown_actions(same_day) == ["test.old"]


def test_an_end_date_before_the_start_is_shown_next_to_the_field(client_for, admin):
    response = client_for(admin).get(
        "/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01", "person": "kept"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    page = response.content.decode()
    assert "The end date must be on or after the start date." in page
    assert 'value="kept"' in page


def test_results_are_newest_first_fifty_to_a_page(client_for, admin, organisation, coordinator):
    now = timezone.now()
    for minutes in range(55):
        AuditEvent.objects.create(
            actor=coordinator,
            organisation=organisation,
            action=f"test.n{minutes:02d}",
            occurred_at=now - timedelta(minutes=minutes),
        )
    client = client_for(admin)
    first = client.get("/audit/", {"action": "test."})
    assert shown_actions(first)[:3] == ["test.n00", "test.n01", "test.n02"]
    assert len(shown_actions(first)) == 50
    second = client.get("/audit/", {"action": "test.", "page": 2})
    assert shown_actions(second) == [f"test.n{m}" for m in range(50, 55)]


def test_the_page_shows_time_actor_role_action_object_and_request_id_never_content(
    client_for, admin, supervisor, trail
):
    reader = client_for(supervisor)
    reader.get(
        f"/mentoring/{trail.relationship_id}/sessions/{trail.pk}/",
        HTTP_X_REQUEST_ID="req-shown-12345",
    )
    page = client_for(admin).get("/audit/", {"actor": "supervisor@example.org"}).content.decode()
    assert "supervisor@example.org" in page
    assert "mentoring.session_notes_viewed" in page
    assert "mentoring.mentoringsession</code> #" + str(trail.pk) in page
    assert "req-shown-12345" in page
    assert "mentee@example.org" in page  # whom the record is about
    assert "hard week" not in page


def test_searching_is_itself_audited_without_the_search_terms(client_for, admin, trail):
    client_for(admin).get("/audit/", {"person": "mentee@example.org"})
    event = AuditEvent.objects.get(action="audit.searched")
    assert event.actor == admin and event.role == "admin"
    assert event.metadata["by_person"] is True
    assert "mentee" not in str(event.metadata)


# Exporting ---------------------------------------------------------------------------------------


def test_the_export_holds_the_filtered_events_and_is_audited_with_the_count(
    client_for, admin, mentee, mentor, trail
):
    response = client_for(admin).get("/audit/export.csv", {"person": "mentee@example.org"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [row["action"] for row in rows] == [
        "account.signed_in",
        "referrals.intake_viewed",
        "mentoring.session_notes_viewed",
    ]
    notes = rows[2]
    assert notes["actor_email"] == "mentor@example.org"
    assert notes["person_email"] == "mentee@example.org"
    assert notes["person_id"] == str(mentee.pk)
    assert notes["object_type"] == "mentoring.mentoringsession"
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.metadata["rows"] == 3
    assert exported.metadata["by_person"] is True
    assert exported.actor == admin


def test_the_export_neutralises_cells_a_spreadsheet_would_run(
    client_for, admin, organisation, coordinator
):
    audit_record(
        actor=coordinator,
        action="test.formula",
        organisation=organisation,
        metadata={"label": "=HYPERLINK(1)"},
    )
    AuditEvent.objects.create(
        organisation=organisation, action="=cmd|' /C calc'!A0", request_id="@SUM(1)"
    )
    rows = csv_rows(client_for(admin).get("/audit/export.csv"))
    by_action = {row["action"]: row for row in rows}
    assert "'=cmd|' /C calc'!A0" in by_action
    assert by_action["'=cmd|' /C calc'!A0"]["request_id"] == "'@SUM(1)"
    assert by_action["test.formula"]["details"] == '{"label": "=HYPERLINK(1)"}'


def test_an_invalid_export_sends_the_person_back_to_the_search(client_for, admin):
    response = client_for(admin).get(
        "/audit/export.csv", {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/audit/?")
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


# Choosing data protection leads ------------------------------------------------------------------


def test_an_administrator_makes_and_removes_a_data_protection_lead(client_for, admin, supervisor):
    membership = Membership.objects.get(user=supervisor)
    client = client_for(admin)
    page = client.get("/audit/data-protection-leads/").content.decode()
    assert "supervisor@example.org" in page and "mentee@example.org" not in page
    response = client.post(
        "/audit/data-protection-leads/", {"membership": membership.pk, "value": "1"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_data_protection_lead
    assert client_for(supervisor).get("/audit/").status_code == 200
    client.post("/audit/data-protection-leads/", {"membership": membership.pk, "value": "0"})
    membership.refresh_from_db()
    assert not membership.is_data_protection_lead
    assert client_for(supervisor).get("/audit/").status_code == 404
    values = [
        event.metadata["value"]
        for event in AuditEvent.objects.filter(
            action="membership.data_protection_lead_set"
        ).order_by("id")
    ]
    assert values == [True, False]


def test_a_mentee_cannot_be_made_a_data_protection_lead(client_for, admin, mentee):
    membership = Membership.objects.get(user=mentee)
    response = client_for(admin).post(
        "/audit/data-protection-leads/", {"membership": membership.pk, "value": "1"}, follow=True
    )
    assert "Only active staff" in response.content.decode()
    membership.refresh_from_db()
    assert not membership.is_data_protection_lead


def test_another_organisations_member_is_not_found(client_for, admin, other_org_coordinator):
    membership = Membership.objects.get(user=other_org_coordinator)
    response = client_for(admin).post(
        "/audit/data-protection-leads/", {"membership": membership.pk, "value": "1"}
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert not membership.is_data_protection_lead


def test_only_an_administrator_of_the_organisation_may_use_the_service(
    admin, coordinator, supervisor, mentee
):
    with pytest.raises(PermissionDenied):
        membership_set_data_protection_lead(
            actor=coordinator, membership=Membership.objects.get(user=supervisor), value=True
        )
    with pytest.raises(ValidationError):
        membership_set_data_protection_lead(
            actor=admin, membership=Membership.objects.get(user=mentee), value=True
        )
    assert not Membership.objects.filter(is_data_protection_lead=True).exists()
    assert not AuditEvent.objects.filter(action="membership.data_protection_lead_set").exists()
