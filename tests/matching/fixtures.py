"""Matching records (loaded for every test by tests/conftest.py).

``matchable_profile`` makes the shared ``mentor`` a certified mentor who speaks English, meets by
video or in person and is free on Monday evenings; ``matchable_referral`` is the shared
``mentee``'s waiting referral with the same language, format and time, so the two can be matched.
``proposal`` pairs them (waiting for the coordinator); ``offered_proposal`` is with the mentor;
``mentee_offer`` is with the mentee (the mentor said yes); ``other_org_proposal`` belongs to
another organisation.
"""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from accounts.models import Language
from matching.models import ProposalStatus
from mentors.models import AvailabilitySlot
from tests.matching.factories import MatchProposalFactory
from tests.referrals.factories import ReferralFactory


@pytest.fixture
def english(db):
    return Language.objects.get(code="en")


@pytest.fixture
def matchable_profile(mentor_profile, english):
    mentor_profile.languages.set([english])
    AvailabilitySlot.objects.create(
        profile=mentor_profile,
        weekday=AvailabilitySlot.Weekday.MONDAY,
        starts_at=time(18),
        ends_at=time(20),
    )
    return mentor_profile


@pytest.fixture
def matchable_referral(waiting_referral, english, areas):
    waiting_referral.languages.set([english])
    waiting_referral.support_areas.set(areas[:1])
    waiting_referral.availability_slots = ["mon_evening"]
    waiting_referral.formats = ["video"]
    waiting_referral.save(update_fields=["availability_slots", "formats"])
    return waiting_referral


@pytest.fixture
def proposal(matchable_referral, matchable_profile):
    return MatchProposalFactory(referral=matchable_referral, mentor=matchable_profile)


@pytest.fixture
def offered_proposal(proposal, coordinator):
    now = timezone.now()
    proposal.status = ProposalStatus.WITH_MENTOR
    proposal.approved_by = coordinator
    proposal.approved_at = now
    proposal.respond_by = now + timedelta(days=7)
    proposal.save()
    return proposal


@pytest.fixture
def mentee_offer(offered_proposal):
    now = timezone.now()
    offered_proposal.status = ProposalStatus.WITH_MENTEE
    offered_proposal.mentor_responded_at = now
    offered_proposal.respond_by = now + timedelta(days=7)
    offered_proposal.save()
    return offered_proposal


@pytest.fixture
def other_org_proposal(other_organisation):
    return MatchProposalFactory(referral=ReferralFactory(organisation=other_organisation))
