"""One referral's triage page: everything the person sent (safe contact first), contact attempts
newest first, pinned queries, and what the page offers at each status (intake, closed with its
outcome, merged into another)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Language
from referrals.models import ContactAttempt, Importance, SafeNow, Source, Status, Urgency
from referrals.selectors import referral_settings
from referrals.services.triage import contact_attempt_record
from tests.referrals.factories import ReferralFactory
from tests.referrals.fixtures_triage import page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_referral(organisation, areas, referrer):
    welsh, _ = Language.objects.get_or_create(code="cy", defaults={"name": "Welsh"})
    referral = ReferralFactory(
        organisation=organisation,
        full_name="Morgan Full",
        preferred_name="Mo",
        email="morgan@example.net",
        phone="07700 900555",
        voicemail_ok=False,
        email_ok=True,
        text_ok=True,
        best_time_to_contact="Weekday mornings before ten",
        year_of_birth=1988,
        gender="Non-binary",
        area="Eastside",
        hopes="Someone to walk with who gets it.",
        formats=["video", "in_person"],
        availability_slots=["mon_evening", "sat_morning"],
        availability="Not school holidays",
        mentor_gender="Woman",
        mentor_gender_importance=Importance.MUST,
        mentor_age_min=30,
        mentor_age_max=50,
        mentor_age_importance=Importance.NICE,
        shared_experience_importance=Importance.NICE,
        source=Source.GP,
        referrer=referrer,
        consent_confirmed_by=referrer,
        referrer_organisation_name="Northgate Surgery",
        urgency=Urgency.URGENT,
        urgency_reasons="not safe right now",
        safe_now=SafeNow.NO,
    )
    referral.support_areas.set(areas[:2])
    referral.languages.set([welsh])
    return referral


def test_detail_shows_everything_the_person_sent_with_safe_contact_up_front(
    full_referral, staff_client
):
    page = page_of(staff_client.get(reverse("referrals:detail", args=[full_referral.pk])))
    for text in [
        "Morgan Full",
        "morgan@example.net",
        "07700 900555",
        "Do not leave a voicemail",
        "Email is fine",
        "Texts are fine",
        "Weekday mornings before ten",
        "Mo",
        "1988",
        "Non-binary",
        "Eastside",
        "Anxiety, Depression",
        "Someone to walk with who gets it.",
        "Welsh",
        "Video call, In person",
        "Monday evening, Saturday morning",
        "Not school holidays",
        "Woman (must)",
        "30 to 50 (nice to have)",
        "Shared lived experience",
        "Northgate Surgery",
        "GP practice",
        f"statement version {full_referral.consent_version}",
        "Urgent: please contact them today",
        "not safe right now",
        "No, I do not feel safe right now",
    ]:
        assert text in page, text
    contact_section = page.index("How to contact them safely")
    assert (
        contact_section < page.index("Do not leave a voicemail") < page.index("What they told us")
    )


def test_detail_lists_contact_attempts_newest_first(coordinator, new_referral, staff_client):
    first = contact_attempt_record(
        actor=coordinator, referral=new_referral, method="phone", outcome="no_answer"
    )
    ContactAttempt.objects.filter(pk=first.pk).update(
        attempted_at=timezone.now() - timedelta(days=1)
    )
    contact_attempt_record(
        actor=coordinator,
        referral=new_referral,
        method="text",
        outcome="spoke",
        note="Happy to talk Thursday",
    )
    page = page_of(staff_client.get(reverse("referrals:detail", args=[new_referral.pk])))
    assert page.index("Spoke with them") < page.index("No answer")
    assert "Happy to talk Thursday" in page


def test_detail_queries_are_pinned(
    full_referral, coordinator, duplicate, staff_client, django_assert_max_num_queries
):
    referral_settings(full_referral.organisation)
    for _ in range(3):
        ContactAttempt.objects.create(
            referral=full_referral, method="phone", outcome="no_answer", by=coordinator
        )
    # session, person, membership, two-factor, referral, areas, languages, attempts, settings,
    # later duplicates, the audit row for reading it (referrals.intake_viewed)
    with django_assert_max_num_queries(12):  # 11, and the urgent safeguarding banner
        assert (
            staff_client.get(reverse("referrals:detail", args=[full_referral.pk])).status_code
            == 200
        )


def test_intake_referral_links_to_intake_and_offers_no_accept(organisation, staff_client):
    referral = ReferralFactory(organisation=organisation, status=Status.INTAKE)
    page = page_of(staff_client.get(reverse("referrals:detail", args=[referral.pk])))
    assert reverse("referrals:intake", args=[referral.pk]) in page
    assert reverse("referrals:accept", args=[referral.pk]) not in page
    assert "Log a contact attempt" in page


@pytest.mark.parametrize(
    ("status", "fields", "outcome"),
    [
        (Status.SIGNPOSTED, {"signposted_to": "Carers Hub"}, "Signposted to Carers Hub"),
        (Status.DECLINED, {"closed_reason": "Outside our area"}, "Outside our area"),
        (Status.UNABLE_TO_CONTACT, {}, "Outcome: unable to contact"),
        (Status.WITHDRAWN, {}, "Withdrawn on"),
    ],
)
def test_closed_referral_shows_its_outcome_and_no_actions(
    organisation, staff_client, status, fields, outcome
):
    referral = ReferralFactory(organisation=organisation, status=status, **fields)
    page = page_of(staff_client.get(reverse("referrals:detail", args=[referral.pk])))
    assert outcome in page
    for name in ["contact_attempt", "accept", "signpost", "decline", "unable_to_contact"]:
        assert reverse(f"referrals:{name}", args=[referral.pk]) not in page


def test_merged_referral_links_to_the_one_kept(organisation, new_referral, staff_client):
    merged = ReferralFactory(
        organisation=organisation, status=Status.MERGED, merged_into=new_referral
    )
    page = page_of(staff_client.get(reverse("referrals:detail", args=[merged.pk])))
    assert reverse("referrals:detail", args=[new_referral.pk]) in page
    assert "the referral we kept for Casey Waiting" in page
