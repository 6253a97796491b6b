"""Fixtures shared by the triage page tests (test_triage_*.py).

``staff_client`` is a client signed in as the organisation's coordinator; ``duplicate`` is a
later referral from the same email address as ``new_referral``, flagged as a possible duplicate.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.referrals.factories import ReferralFactory


@pytest.fixture
def staff_client(client_for, coordinator) -> Client:
    return client_for(coordinator)


@pytest.fixture
def duplicate(organisation, new_referral):
    """A later referral from the same email address as ``new_referral``."""
    return ReferralFactory(
        organisation=organisation,
        full_name="Casey Again",
        email=new_referral.email,
        possible_duplicate_of=new_referral,
    )
