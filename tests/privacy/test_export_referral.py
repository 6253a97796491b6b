"""Subject access for someone referred who never had an account (referred by phone, no email):
staff download the referral's data on their behalf, with the same form, page and file shapes as
for a person with an account, audited, in their own organisation only."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent
from matching.models import ProposalStatus
from privacy.export import CONTACT_NOTES_WITHHELD, INTAKE_NOTES_WITHHELD, MATCH_NOTES_WITHHELD
from privacy.export_referral import REFERRAL_TOP_LEVEL_KEYS, referral_export
from referrals.models import ContactMethod, ContactOutcome, Status
from referrals.services.waiting import waiting_check_in_record
from tests.matching.factories import MatchProposalFactory
from tests.referrals.factories import IntakeFactory, ReferralFactory

pytestmark = pytest.mark.django_db

INTAKE_NOTE = "STAFF-INTAKE-NOTE-4410"
EMERGENCY_CONTACT = "Uncle Dev 07700 900777"
CHECK_IN_NOTE = "STAFF-CHECK-IN-NOTE-1193"
MENTOR_DECLINE_REASON = "MENTOR-DECLINE-REASON-5521"
MATCH_SCORE = 0.6137
ON_BEHALF = {"reason": "access_request", "format": "json", "identity_checked": "on"}


@pytest.fixture
def phone_referral(organisation, coordinator, mentor_profile, other_mentor_profile):
    """Pat, referred by phone without an email, waiting for a mentor: intake done, a waiting
    list check-in, a duplicate merged in, one match they turned down and one that never
    reached them (the mentor said no)."""
    now = timezone.now()
    referral = ReferralFactory(
        organisation=organisation,
        full_name="Pat Phoneonly",
        email="",
        phone="07700 900555",
        status=Status.WAITING,
        waiting_since=now - timedelta(days=30),
        availability_slots=["mon_evening"],
        hopes="To feel less alone <b>at night</b>",
    )
    IntakeFactory(
        referral=referral,
        goals="Go to the library",
        notes=INTAKE_NOTE,
        emergency_contact=EMERGENCY_CONTACT,
        completed_at=now - timedelta(days=30),
    )
    waiting_check_in_record(
        actor=coordinator,
        referral=referral,
        method=ContactMethod.PHONE,
        outcome=ContactOutcome.SPOKE,
        note=CHECK_IN_NOTE,
    )
    ReferralFactory(
        organisation=organisation,
        full_name="Pat Phoneonly",
        email="",
        phone="07700900555",
        status=Status.MERGED,
        merged_into=referral,
        hopes="From the duplicate",
    )
    MatchProposalFactory(
        referral=referral,
        mentor=mentor_profile,
        status=ProposalStatus.MENTEE_DECLINED,
        score=MATCH_SCORE,
        approved_at=now - timedelta(days=6),
        mentor_responded_at=now - timedelta(days=5),
        mentee_responded_at=now - timedelta(days=4),
        decline_reason="Too far to travel",
    )
    MatchProposalFactory(
        referral=referral,
        mentor=other_mentor_profile,
        status=ProposalStatus.MENTOR_DECLINED,
        approved_at=now - timedelta(days=3),
        mentor_responded_at=now - timedelta(days=2),
        decline_reason=MENTOR_DECLINE_REASON,
    )
    return referral


def _url(referral) -> str:
    return reverse("privacy:referral_data", args=[referral.pk])


# The data -----------------------------------------------------------------------------------------


def test_the_referral_export_has_the_referral_intake_check_ins_and_matches(phone_referral):
    data = referral_export(phone_referral, phone_referral.organisation)

    assert tuple(data) == REFERRAL_TOP_LEVEL_KEYS
    assert data["schema_version"] == 1
    kept, merged = data["referrals"]
    assert (kept["id"], kept["phone"], kept["email"]) == (phone_referral.pk, "07700 900555", "")
    assert kept["hopes"] == "To feel less alone <b>at night</b>"
    assert kept["times_that_suit"] == ["Monday evening"]
    assert kept["intake"]["goals"] == "Go to the library"
    assert [(a["method"], a["outcome"]) for a in kept["contact_attempts"]] == [
        ("Phone call", "Spoke with them")
    ]
    assert merged["hopes"] == "From the duplicate"
    [match] = data["matches"]
    assert match["your_role"] == "mentee"
    assert (match["your_answer"], match["your_reason"]) == ("no", "Too far to travel")
    assert {CONTACT_NOTES_WITHHELD, INTAKE_NOTES_WITHHELD, MATCH_NOTES_WITHHELD} <= set(
        data["withheld"]
    )


def test_staff_notes_scores_and_offers_that_never_reached_them_are_left_out(
    phone_referral, other_mentor_profile
):
    text = json.dumps(referral_export(phone_referral, phone_referral.organisation))

    for secret in (INTAKE_NOTE, EMERGENCY_CONTACT, CHECK_IN_NOTE, MENTOR_DECLINE_REASON):
        assert secret not in text
    assert str(MATCH_SCORE) not in text
    assert other_mentor_profile.display_name not in text


def test_another_referrals_data_is_not_included(phone_referral, organisation):
    ReferralFactory(organisation=organisation, full_name="Someone Else", hopes="NOT-PATS-HOPES")

    text = json.dumps(referral_export(phone_referral, organisation))

    assert "NOT-PATS-HOPES" not in text and "Someone Else" not in text


def test_the_referral_export_refuses_another_organisation(phone_referral, other_organisation):
    with pytest.raises(ValueError):
        referral_export(phone_referral, other_organisation)


def test_the_referral_export_takes_a_fixed_number_of_queries(
    phone_referral, coordinator, mentor_profile, django_assert_max_num_queries
):
    for days in range(4):
        ReferralFactory(
            organisation=phone_referral.organisation,
            status=Status.MERGED,
            merged_into=phone_referral,
        )
        MatchProposalFactory(
            referral=phone_referral,
            mentor=mentor_profile,
            status=ProposalStatus.EXPIRED,
            mentor_responded_at=timezone.now() - timedelta(days=days),
        )
    # Referrals, support areas, languages, contact attempts, matches.
    with django_assert_max_num_queries(5):
        referral_export(phone_referral, phone_referral.organisation)


# The pages ----------------------------------------------------------------------------------------


def test_a_coordinator_downloads_a_referrals_data_as_a_file_and_it_is_audited(
    phone_referral, coordinator, client_for
):
    client = client_for(coordinator)
    assert client.get(_url(phone_referral)).status_code == 200

    response = client.post(_url(phone_referral), ON_BEHALF)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith('attachment; filename="alongside-my-data-')
    assert json.loads(response.content)["referrals"][0]["full_name"] == "Pat Phoneonly"
    event = AuditEvent.objects.get(action="privacy.export_downloaded")
    assert event.actor == coordinator
    assert event.organisation == phone_referral.organisation
    assert (event.object_type, event.object_id) == ("referrals.referral", str(phone_referral.pk))
    assert event.metadata == {
        "format": "json",
        "on_behalf": True,
        "reason": "access_request",
        "subject": "referral",
    }


def test_the_readable_page_shows_the_referral_with_text_escaped(phone_referral, admin, client_for):
    response = client_for(admin).post(
        _url(phone_referral), {**ON_BEHALF, "format": "page", "reason": "portability"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "Data held about Pat Phoneonly" in page
    assert "To feel less alone &lt;b&gt;at night&lt;/b&gt;" in page
    assert "Matches offered to you" in page
    assert 'id="account-heading"' not in page  # no account to show
    assert escape(INTAKE_NOTES_WITHHELD) in page
    assert INTAKE_NOTE not in page
    assert _url(phone_referral) in page  # back to the form
    assert AuditEvent.objects.get(action="privacy.export_downloaded").metadata["format"] == "page"


def test_without_checking_identity_the_error_shows_and_the_answers_are_kept(
    phone_referral, coordinator, client_for
):
    response = client_for(coordinator).post(
        _url(phone_referral), {"reason": "portability", "format": "json"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Check who is asking before downloading their data." in page
    assert re.search(r'value="portability"[^>]*checked', page)
    assert not AuditEvent.objects.filter(action="privacy.export_downloaded").exists()


def test_another_organisations_coordinator_gets_404(
    phone_referral, other_org_coordinator, client_for
):
    client = client_for(other_org_coordinator)

    assert client.get(_url(phone_referral)).status_code == 404
    assert client.post(_url(phone_referral), ON_BEHALF).status_code == 404
    assert not AuditEvent.objects.filter(action="privacy.export_downloaded").exists()


@pytest.mark.parametrize("person", ["mentee", "mentor", "supervisor", "referrer", "outsider"])
def test_only_the_organisations_staff_may_download_a_referrals_data(
    phone_referral, client_for, request, person
):
    client = client_for(request.getfixturevalue(person))

    assert client.get(_url(phone_referral)).status_code == 404
    assert client.post(_url(phone_referral), ON_BEHALF).status_code == 404
    assert not AuditEvent.objects.filter(action="privacy.export_downloaded").exists()


def test_a_referral_with_an_account_is_downloaded_from_the_persons_page(
    waiting_referral, coordinator, client_for
):
    assert client_for(coordinator).get(_url(waiting_referral)).status_code == 404


def test_the_people_page_finds_referrals_without_an_account_by_name_email_or_phone(
    phone_referral, waiting_referral, other_organisation, coordinator, client_for
):
    ReferralFactory(organisation=other_organisation, full_name="Pat Elsewhere", phone="07700 900")
    client = client_for(coordinator)

    for query in ("phoneonly", "900555", "PAT"):
        page = client.get(reverse("privacy:people"), {"q": query}).content.decode()
        assert _url(phone_referral) in page
        assert page.count("/privacy/referrals/") == 1  # not the duplicate merged into it
        assert "Pat Elsewhere" not in page
    emailed = ReferralFactory(organisation=phone_referral.organisation, email="kim@example.net")
    page = client.get(reverse("privacy:people"), {"q": "kim@example"}).content.decode()
    assert _url(emailed) in page and _url(phone_referral) not in page
    page = client.get(reverse("privacy:people")).content.decode()
    assert _url(waiting_referral) not in page  # they have an account: found as a person


def test_the_referrals_staff_page_links_to_the_download_only_without_an_account(
    phone_referral, waiting_referral, coordinator, client_for
):
    client = client_for(coordinator)

    detail = client.get(reverse("referrals:detail", args=[phone_referral.pk])).content.decode()
    assert _url(phone_referral) in detail
    with_account = client.get(reverse("referrals:detail", args=[waiting_referral.pk]))
    assert _url(waiting_referral) not in with_account.content.decode()
