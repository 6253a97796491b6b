"""Referrals at each step (loaded for every test by tests/conftest.py).

``new_referral`` is a routine self-referral; ``urgent_referral`` said they were not safe;
``partner_referral`` was made by the ``referrer`` fixture; ``other_org_referral`` belongs to
another organisation; ``waiting_referral`` has finished intake and waits for a mentor, and its
``mentee`` is the shared ``mentee`` fixture.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.models import SafeNow, Source, Status, Urgency
from tests.referrals.factories import IntakeFactory, ReferralFactory


@pytest.fixture
def new_referral(organisation, areas):
    referral = ReferralFactory(organisation=organisation, full_name="Casey Waiting")
    referral.support_areas.set(areas[:1])
    return referral


@pytest.fixture
def urgent_referral(organisation):
    return ReferralFactory(
        organisation=organisation,
        full_name="Drew Urgent",
        urgency=Urgency.URGENT,
        urgency_reasons="not safe right now",
        safe_now=SafeNow.NO,
    )


@pytest.fixture
def partner_referral(organisation, referrer):
    return ReferralFactory(
        organisation=organisation,
        full_name="Pat Partner",
        source=Source.GP,
        referrer=referrer,
        consent_confirmed_by=referrer,
        referrer_organisation_name="Northgate Surgery",
    )


@pytest.fixture
def other_org_referral(other_organisation):
    return ReferralFactory(organisation=other_organisation, full_name="Elsewhere Person")


@pytest.fixture
def waiting_referral(organisation, mentee):
    referral = ReferralFactory(
        organisation=organisation,
        full_name=mentee.name,
        email=mentee.email,
        status=Status.WAITING,
        mentee=mentee,
        waiting_since=timezone.now() - timedelta(days=20),
    )
    IntakeFactory(referral=referral, completed_at=timezone.now() - timedelta(days=20))
    return referral
