"""Administrators set the referral thresholds; everyone else gets 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from referrals.models import ReferralProgrammeSettings
from referrals.selectors import referral_settings

pytestmark = pytest.mark.django_db

PEOPLE = [
    "mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]
URL = "/referrals/settings/"


def test_anonymous_is_sent_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_administrator_opens_the_settings(person, method, request, client_for):
    client = client_for(request.getfixturevalue(person))
    response = getattr(client, method)(URL, {"waiting_alert_days": 7})
    expected = {"get": 200, "post": 200}[method] if person == "admin" else 404
    assert response.status_code == expected, person
    if person != "admin":
        assert not ReferralProgrammeSettings.objects.exists()


def test_reading_the_defaults_saves_nothing(organisation):
    assert referral_settings(organisation).waiting_alert_days == 42
    assert not ReferralProgrammeSettings.objects.exists()


def test_administrator_changes_the_thresholds_and_it_is_audited(admin, client_for, organisation):
    response = client_for(admin).post(
        URL,
        {
            "waiting_alert_days": 28,
            "check_in_interval_days": 10,
            "contact_attempts_before_unable": 4,
        },
    )
    assert response.status_code == 302
    saved = referral_settings(organisation)
    assert (saved.waiting_alert_days, saved.check_in_interval_days) == (28, 10)
    assert saved.contact_attempts_before_unable == 4
    event = AuditEvent.objects.get(action="referral_settings.updated")
    assert event.metadata["fields"] == (
        "waiting_alert_days,check_in_interval_days,contact_attempts_before_unable"
    )


def test_bad_numbers_are_explained_next_to_the_field_and_kept(admin, client_for, organisation):
    response = client_for(admin).post(
        URL,
        {
            "waiting_alert_days": 0,
            "check_in_interval_days": 10,
            "contact_attempts_before_unable": 40,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give a number of days of 1 or more." in page
    assert "Give a number from 1 to 10." in page
    assert 'value="40"' in page
    assert not ReferralProgrammeSettings.objects.exists()
