"""Erasure, proven at the database level: afterwards the person's name, email and words are in
no column of any table, raw or decrypted, while the programme's counts and figures stay."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError

from accounts.models import Membership, Role
from audit.models import AuditEvent
from mentoring.models import MentoringSession, Message, Relationship
from outcomes.models import Answer, MeasureResponse
from outcomes.selectors import programme_change
from privacy.erasure_requests import erasure_carry_out, erasure_request_create
from privacy.models import AnonymisedRecord, ErasureStatus
from referrals.models import Referral
from safeguarding.models import Alert
from tests.conftest import make_member
from tests.mentoring.factories import MessageFactory, SessionFactory
from tests.privacy.records import UNIQUE_EMAIL, decrypted_hits, populate_mentee, raw_hits

pytestmark = pytest.mark.django_db


def _erase(actor, *, organisation, person=None, referral=None):
    request = erasure_request_create(
        actor=actor, organisation=organisation, person=person, referral=referral
    )
    return erasure_carry_out(actor=actor, request=request, no_hold_confirmed=True)


def _figures(organisation):
    return [
        (row.instrument.key, row.people, row.mean_first, row.mean_latest)
        for row in programme_change(organisation)
    ]


def test_the_search_finds_the_person_before_erasure(ended_relationship):
    populate_mentee(ended_relationship)
    assert "accounts_user.email" in raw_hits()
    assert "referrals_referral.full_name" in raw_hits()
    assert "mentoring.message.body" in decrypted_hits()
    assert "safeguarding.alertsign.excerpt" in decrypted_hits()


def test_erasure_leaves_no_trace_of_the_name_email_or_words_in_any_table(
    ended_relationship, other_relationship, coordinator
):
    person = populate_mentee(ended_relationship)
    _erase(coordinator, organisation=ended_relationship.organisation, person=person.mentee)
    assert raw_hits() == []
    assert decrypted_hits() == []
    # Someone else's records are untouched.
    assert raw_hits(("olu other",)) == ["referrals_referral.full_name"]


def test_erasure_keeps_the_counts_and_programme_figures(ended_relationship, coordinator):
    organisation = ended_relationship.organisation
    populate_mentee(ended_relationship)
    models = (Relationship, MentoringSession, Message, Referral, Alert, MeasureResponse)
    before = {model: model.objects.count() for model in models}
    figures = _figures(organisation)
    assert figures and figures[0][1] == 1
    _erase(coordinator, organisation=organisation, person=ended_relationship.mentee)
    assert {model: model.objects.count() for model in models} == before
    assert _figures(organisation) == figures
    assert not Answer.objects.filter(response__person=ended_relationship.mentee).exists()
    assert set(MeasureResponse.objects.values_list("total", flat=True)) == {11, 3}


def test_erased_account_is_signed_out_and_cannot_sign_in_again(
    ended_relationship, coordinator, client_for
):
    mentee = ended_relationship.mentee
    client = client_for(mentee)
    assert client.get("/dashboard/").status_code == 200
    Authenticator.objects.create(user=mentee, type=Authenticator.Type.RECOVERY_CODES, data={})
    _erase(coordinator, organisation=ended_relationship.organisation, person=mentee)
    mentee.refresh_from_db()
    assert client.get("/dashboard/").status_code == 302
    assert not mentee.is_active
    assert not mentee.has_usable_password()
    assert mentee.name == ""
    assert mentee.email.endswith("@erased.invalid")
    assert not mentee.emailaddress_set.exists()
    assert not Authenticator.objects.filter(user=mentee).exists()
    assert not Membership.objects.filter(user=mentee, is_active=True).exists()


def test_audit_trail_is_kept_and_records_the_erasure_with_counts_only(
    ended_relationship, coordinator
):
    populate_mentee(ended_relationship)
    events_before = AuditEvent.objects.count()
    request = _erase(
        coordinator, organisation=ended_relationship.organisation, person=ended_relationship.mentee
    )
    assert AuditEvent.objects.count() > events_before
    event = AuditEvent.objects.get(action="privacy.erased")
    assert event.object_id == str(request.pk)
    assert event.metadata["mentoring.message"] == 2
    assert event.metadata["rows"] > 20
    assert "zephyrine" not in str(event.metadata).lower()
    assert request.status == ErasureStatus.ERASED
    assert request.erased_counts["referrals.referral"] == 1
    assert AnonymisedRecord.objects.filter(object_type="accounts.user").exists()


def test_referral_of_someone_without_an_account_is_erased(new_referral, coordinator):
    _erase(coordinator, organisation=new_referral.organisation, referral=new_referral)
    new_referral.refresh_from_db()
    assert new_referral.full_name == "Erased"
    assert (new_referral.email, new_referral.phone, new_referral.hopes) == ("", "", "")
    assert raw_hits(("casey waiting",)) == []


def test_mentor_erasure_removes_their_words_and_profile_but_keeps_the_mentees_record(
    ended_relationship, coordinator
):
    mentor = ended_relationship.mentor.user
    SessionFactory(
        relationship=ended_relationship,
        summary="Shared summary for the mentee",
        private_notes="Mentor's private thought",
    )
    MessageFactory(relationship=ended_relationship, sender=mentor, body="From the mentor")
    MessageFactory(
        relationship=ended_relationship, sender=ended_relationship.mentee, body="From the mentee"
    )
    _erase(coordinator, organisation=ended_relationship.organisation, person=mentor)
    profile = ended_relationship.mentor
    profile.refresh_from_db()
    assert profile.display_name == "Former mentor"
    assert not profile.is_available
    session = MentoringSession.objects.get(relationship=ended_relationship, summary__isnull=False)
    assert session.private_notes == ""
    assert session.summary == "Shared summary for the mentee"
    bodies = {message.sender_id: message.body for message in Message.objects.all()}
    assert bodies == {mentor.pk: "", ended_relationship.mentee.pk: "From the mentee"}
    assert profile.application.full_name == "Erased"


def test_account_in_another_organisation_is_kept(ended_relationship, other_organisation, admin):
    mentee = ended_relationship.mentee
    Membership.objects.create(user=mentee, organisation=other_organisation, role=Role.MENTEE)
    _erase(admin, organisation=ended_relationship.organisation, person=mentee)
    mentee.refresh_from_db()
    assert mentee.is_active and mentee.email == "mentee@example.org"
    assert Membership.objects.get(user=mentee, organisation=other_organisation).is_active
    assert not Membership.objects.get(
        user=mentee, organisation=ended_relationship.organisation
    ).is_active
    assert (
        ended_relationship.referral.__class__.objects.get(
            pk=ended_relationship.referral_id
        ).full_name
        == "Erased"
    )


def test_erasure_without_confirming_no_hold_is_refused(ended_relationship, coordinator):
    request = erasure_request_create(
        actor=coordinator,
        organisation=ended_relationship.organisation,
        person=ended_relationship.mentee,
    )
    with pytest.raises(ValidationError):
        erasure_carry_out(actor=coordinator, request=request, no_hold_confirmed=False)
    ended_relationship.mentee.refresh_from_db()
    assert ended_relationship.mentee.is_active
    request.refresh_from_db()
    assert request.status == ErasureStatus.REQUESTED


def test_running_relationship_blocks_erasure(active_relationship, coordinator):
    request = erasure_request_create(
        actor=coordinator,
        organisation=active_relationship.organisation,
        person=active_relationship.mentee,
    )
    with pytest.raises(ValidationError, match="still running"):
        erasure_carry_out(actor=coordinator, request=request, no_hold_confirmed=True)
    assert Referral.objects.get(pk=active_relationship.referral_id).full_name == "Samira Quinlan"


def test_person_of_another_organisation_cannot_be_requested(other_org_coordinator, mentee):
    organisation = other_org_coordinator.memberships.get().organisation
    with pytest.raises(ValidationError):
        erasure_request_create(
            actor=other_org_coordinator, organisation=organisation, person=mentee
        )


def test_erasure_is_not_carried_out_twice(ended_relationship, coordinator):
    request = _erase(
        coordinator, organisation=ended_relationship.organisation, person=ended_relationship.mentee
    )
    with pytest.raises(ValidationError, match="already been decided"):
        erasure_carry_out(actor=coordinator, request=request, no_hold_confirmed=True)


def test_other_mentee_keeps_their_email(ended_relationship, organisation, coordinator):
    other = make_member(organisation, Role.MENTEE, "zz.other@example.org")
    _erase(coordinator, organisation=organisation, person=ended_relationship.mentee)
    other.refresh_from_db()
    assert other.email == "zz.other@example.org" and other.is_active
    assert raw_hits((UNIQUE_EMAIL,)) == []
