"""Acting on one referral through its triage page: logging contact attempts (each sent once,
errors keeping what was typed), accepting, signposting, declining, closing as unable to contact,
and deciding on a possible duplicate (not the same person, or merging into the earlier one)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from referrals.models import (
    ContactAttempt,
    ContactOutcome,
    Referral,
    ReferralProgrammeSettings,
    Status,
    Urgency,
)
from referrals.services.triage import contact_attempt_record
from tests.referrals.factories import ReferralFactory
from tests.referrals.fixtures_triage import fresh, page_of

pytestmark = pytest.mark.django_db


# Contact attempts through the page ------------------------------------------------------------


def test_logging_a_contact_attempt(new_referral, staff_client):
    response = staff_client.post(
        reverse("referrals:contact_attempt", args=[new_referral.pk]),
        {"method": "phone", "outcome": "left_message", "note": "Left a short message"},
    )
    assert response.url == reverse("referrals:detail", args=[new_referral.pk])
    (attempt,) = ContactAttempt.objects.all()
    assert (attempt.method, attempt.outcome, attempt.note) == (
        "phone",
        "left_message",
        "Left a short message",
    )
    assert fresh(new_referral).status == Status.CONTACTING
    page = page_of(staff_client.get(response.url))
    assert "The contact attempt is logged." in page
    assert "Left a short message" in page


def test_the_contact_form_carries_a_one_time_key(new_referral, staff_client):
    page = page_of(staff_client.get(reverse("referrals:detail", args=[new_referral.pk])))
    assert re.search(r'name="client_key" value="[0-9a-f]{32}"', page)


def test_a_contact_attempt_resent_with_the_same_key_is_logged_once_even_later(
    new_referral, staff_client
):
    url = reverse("referrals:contact_attempt", args=[new_referral.pk])
    data = {"method": "phone", "outcome": "no_answer", "client_key": "k" * 32}
    assert staff_client.post(url, data).status_code == 302
    ContactAttempt.objects.update(attempted_at=timezone.now() - timedelta(hours=1))
    assert staff_client.post(url, data).status_code == 302
    assert ContactAttempt.objects.count() == 1
    assert AuditEvent.objects.filter(action="referral.contact_attempted").count() == 1


def test_two_calls_a_moment_apart_with_their_own_keys_are_two_attempts(new_referral, staff_client):
    url = reverse("referrals:contact_attempt", args=[new_referral.pk])
    for key in ("k" * 32, "j" * 32):
        data = {"method": "phone", "outcome": "no_answer", "client_key": key}
        assert staff_client.post(url, data).status_code == 302
    assert ContactAttempt.objects.count() == 2


def test_contact_attempt_errors_keep_what_was_typed(new_referral, staff_client):
    response = staff_client.post(
        reverse("referrals:contact_attempt", args=[new_referral.pk]),
        {"method": "phone", "note": "Typed this note"},
    )
    page = page_of(response)
    assert response.status_code == 200
    assert "This field is required." in page
    assert 'href="#contact_outcome"' in page
    assert "Typed this note" in page
    assert 'value="phone" required id="contact_method_0" checked' in page
    assert not ContactAttempt.objects.exists()


def test_contact_attempt_on_a_closed_referral_is_refused_with_a_message(organisation, staff_client):
    referral = ReferralFactory(organisation=organisation, status=Status.DECLINED)
    response = staff_client.post(
        reverse("referrals:contact_attempt", args=[referral.pk]),
        {"method": "phone", "outcome": "no_answer"},
        follow=True,
    )
    assert "This referral is already closed." in page_of(response)
    assert not ContactAttempt.objects.exists()


# Accepting ------------------------------------------------------------------------------------


def test_accepting_through_the_page_emails_the_link(
    new_referral, staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("referrals:accept", args=[new_referral.pk]), follow=True
        )
    assert fresh(new_referral).status == Status.INTAKE
    assert "We have emailed them a private link" in page_of(response)
    assert mail.outbox[0].to == [new_referral.email]


def test_accepting_without_email_permission_tells_staff_to_do_intake_with_them(
    organisation, staff_client, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(organisation=organisation, email_ok=False)
    detail = page_of(staff_client.get(reverse("referrals:detail", args=[referral.pk])))
    assert "we will not email them" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("referrals:accept", args=[referral.pk]), follow=True)
    assert "They do not want email" in page_of(response)
    assert mail.outbox == []


def test_accepting_a_possible_duplicate_explains_what_to_decide(duplicate, staff_client):
    detail = page_of(staff_client.get(reverse("referrals:detail", args=[duplicate.pk])))
    assert reverse("referrals:accept", args=[duplicate.pk]) not in detail
    assert "First decide whether this is the same person" in detail
    response = staff_client.post(reverse("referrals:accept", args=[duplicate.pk]), follow=True)
    assert "Decide whether this is the same person" in page_of(response)
    assert fresh(duplicate).status == Status.NEW


# Signposting and declining --------------------------------------------------------------------


def test_signposting_through_the_page(new_referral, staff_client):
    response = staff_client.post(
        reverse("referrals:signpost", args=[new_referral.pk]),
        {"service_name": "Riverside Talking Therapies", "note": "Asked for therapy"},
        follow=True,
    )
    page = page_of(response)
    assert "closed as signposted to Riverside Talking Therapies" in page
    assert "Signposted to Riverside Talking Therapies on" in page
    assert fresh(new_referral).status == Status.SIGNPOSTED


def test_signpost_errors_keep_what_was_typed_next_to_the_field(new_referral, staff_client):
    response = staff_client.post(
        reverse("referrals:signpost", args=[new_referral.pk]),
        {"service_name": "", "note": "My note about why"},
    )
    page = page_of(response)
    assert response.status_code == 200
    assert 'href="#signpost_service_name"' in page
    assert 'id="signpost_service_name_error"' in page
    assert "My note about why" in page
    assert '<details class="mb-3" open>' in page
    assert fresh(new_referral).status == Status.NEW


def test_declining_through_the_page(new_referral, staff_client):
    response = staff_client.post(
        reverse("referrals:decline", args=[new_referral.pk]),
        {"reason": "Needs specialist support we cannot give"},
        follow=True,
    )
    page = page_of(response)
    assert "The referral is declined and closed." in page
    assert "Needs specialist support we cannot give" in page
    assert fresh(new_referral).status == Status.DECLINED


def test_decline_without_a_reason_shows_the_error(new_referral, staff_client):
    response = staff_client.post(reverse("referrals:decline", args=[new_referral.pk]), {})
    page = page_of(response)
    assert 'id="decline_reason_error"' in page
    assert fresh(new_referral).status == Status.NEW


# Unable to contact ----------------------------------------------------------------------------


def test_unable_to_contact_is_explained_until_enough_attempts(
    organisation, coordinator, new_referral, staff_client
):
    ReferralProgrammeSettings.objects.create(
        organisation=organisation, contact_attempts_before_unable=2
    )
    path = reverse("referrals:detail", args=[new_referral.pk])
    contact_attempt_record(
        actor=coordinator, referral=new_referral, method="phone", outcome=ContactOutcome.NO_ANSWER
    )
    page = page_of(staff_client.get(path))
    assert "2 attempts are needed first; 1 so far." in page
    assert "disabled" in page
    response = staff_client.post(
        reverse("referrals:unable_to_contact", args=[new_referral.pk]), follow=True
    )
    assert "2 attempts are needed first; 1 so far." in page_of(response)
    assert fresh(new_referral).status == Status.CONTACTING

    contact_attempt_record(
        actor=coordinator, referral=new_referral, method="text", outcome=ContactOutcome.NO_ANSWER
    )
    assert "We have tried enough times without reaching them." in page_of(staff_client.get(path))
    response = staff_client.post(
        reverse("referrals:unable_to_contact", args=[new_referral.pk]), follow=True
    )
    assert "closed as unable to contact" in page_of(response)
    assert fresh(new_referral).status == Status.UNABLE_TO_CONTACT


# Duplicates -----------------------------------------------------------------------------------


def test_duplicate_panel_compares_the_two_side_by_side(new_referral, duplicate, staff_client):
    page = page_of(staff_client.get(reverse("referrals:detail", args=[duplicate.pk])))
    assert "Is this the same person as an earlier referral?" in page
    assert "Casey Waiting" in page and "Casey Again" in page
    assert reverse("referrals:merge", args=[duplicate.pk]) in page
    assert reverse("referrals:dismiss_duplicate", args=[duplicate.pk]) in page
    earlier_page = page_of(staff_client.get(reverse("referrals:detail", args=[new_referral.pk])))
    assert "A later referral may be the same person" in earlier_page


def test_not_the_same_person_clears_the_flag(duplicate, staff_client):
    response = staff_client.post(
        reverse("referrals:dismiss_duplicate", args=[duplicate.pk]), follow=True
    )
    assert "these are different people" in page_of(response)
    assert "Is this the same person" not in page_of(response)
    assert fresh(duplicate).possible_duplicate_of is None


def test_merge_page_shows_both_and_what_will_happen(
    coordinator, new_referral, duplicate, areas, staff_client
):
    Referral.objects.filter(pk=duplicate.pk).update(
        urgency=Urgency.URGENT, urgency_reasons="unsure if safe", year_of_birth=1999
    )
    duplicate.support_areas.set(areas[1:2])
    contact_attempt_record(actor=coordinator, referral=duplicate, method="phone", outcome="spoke")
    page = page_of(staff_client.get(reverse("referrals:merge", args=[duplicate.pk])))
    assert fresh(duplicate).status == Status.CONTACTING
    assert "Casey Waiting" in page and "Casey Again" in page
    assert "1 contact attempt moves" in page
    assert "year of birth" in page
    assert "Support areas added: Depression." in page
    assert "becomes <strong>urgent</strong>: unsure if safe" in page
    assert fresh(duplicate).status == Status.CONTACTING  # looking changes nothing


def test_merging_through_the_page_keeps_the_earlier_referral(new_referral, duplicate, staff_client):
    path = reverse("referrals:merge", args=[duplicate.pk])
    response = staff_client.post(path, {"into": new_referral.pk})
    assert response.url == reverse("referrals:detail", args=[new_referral.pk])
    assert "The referrals are merged" in page_of(staff_client.get(response.url))
    assert fresh(duplicate).status == Status.MERGED
    assert fresh(duplicate).merged_into == new_referral
    again = staff_client.post(path, {"into": new_referral.pk})
    assert again.url == reverse("referrals:detail", args=[new_referral.pk])
    assert AuditEvent.objects.filter(action="referral.merged").count() == 2


def test_merge_refuses_when_the_flag_changed_since_the_page_was_shown(
    organisation, new_referral, duplicate, staff_client
):
    other = ReferralFactory(organisation=organisation)
    response = staff_client.post(
        reverse("referrals:merge", args=[duplicate.pk]), {"into": other.pk}, follow=True
    )
    assert "The referrals changed while you were looking" in page_of(response)
    assert fresh(duplicate).status == Status.NEW


def test_merge_page_for_a_referral_without_a_duplicate_goes_back(new_referral, staff_client):
    response = staff_client.get(reverse("referrals:merge", args=[new_referral.pk]), follow=True)
    assert "not marked as a possible duplicate" in page_of(response)
