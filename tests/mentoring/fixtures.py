"""Mentoring relationships (loaded for every test by tests/conftest.py).

``relationship`` pairs the shared ``mentor`` (profile supervised by ``supervisor``) with the
shared ``mentee`` ("Sam"), at the introduction stage with no agreement yet.
``active_relationship`` is the same pair after both acknowledged agreement version 1 (first
check-ins scheduled). ``ended_relationship`` has ended (a planned ending).
``other_relationship`` pairs ``other_mentor`` with ``other_mentee`` in the same organisation;
``other_org_relationship`` belongs to another organisation.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.models import EndKind, EndReason, Relationship, RelationshipStatus
from mentoring.services.lifecycle import schedule_first_check_ins
from referrals.models import Status
from tests.matching.factories import RelationshipFactory
from tests.mentoring.factories import AgreementFactory
from tests.mentors.factories import MentorProfileFactory
from tests.referrals.factories import ReferralFactory


def _pair(organisation, profile, mentee_user, name: str) -> Relationship:
    referral = ReferralFactory(
        organisation=organisation,
        full_name=name,
        email=mentee_user.email,
        status=Status.MATCHED,
        mentee=mentee_user,
        waiting_since=timezone.now() - timedelta(days=40),
    )
    return RelationshipFactory(referral=referral, mentor=profile, mentee=mentee_user)


def activate(relationship: Relationship, **agreement) -> Relationship:
    """Give ``relationship`` an acknowledged agreement and make it active, as the agreement
    service does when both people have acknowledged."""
    now = timezone.now()
    made = AgreementFactory(
        relationship=relationship,
        created_by=relationship.mentor.user,
        mentor_acknowledged_at=now,
        mentee_acknowledged_at=now,
        **agreement,
    )
    relationship.status = RelationshipStatus.ACTIVE
    relationship.activated_at = now
    relationship.planned_sessions = made.planned_sessions
    relationship.planned_end_on = made.planned_end_on
    relationship.save()
    schedule_first_check_ins(relationship, timezone.localdate(now))
    return relationship


@pytest.fixture
def supervised_profile(mentor_profile, supervisor):
    mentor_profile.supervisor = supervisor
    mentor_profile.save(update_fields=["supervisor"])
    return mentor_profile


@pytest.fixture
def relationship(organisation, supervised_profile, mentee):
    return _pair(organisation, supervised_profile, mentee, "Samira Quinlan")


@pytest.fixture
def active_relationship(relationship):
    return activate(relationship)


@pytest.fixture
def ended_relationship(active_relationship, coordinator):
    active_relationship.status = RelationshipStatus.ENDED
    active_relationship.ended_at = timezone.now()
    active_relationship.end_kind = EndKind.PLANNED
    active_relationship.end_reason = EndReason.GOALS_MET
    active_relationship.ended_by = coordinator
    active_relationship.save()
    return active_relationship


@pytest.fixture
def other_relationship(organisation, other_mentor_profile, other_mentee):
    return activate(_pair(organisation, other_mentor_profile, other_mentee, "Olu Other"))


@pytest.fixture
def other_org_relationship(other_organisation):
    from accounts.models import Role
    from tests.conftest import make_member

    profile = MentorProfileFactory(
        organisation=other_organisation,
        user=make_member(other_organisation, Role.MENTOR, "mentor@elsewhere.example"),
    )
    mentee_user = make_member(other_organisation, Role.MENTEE, "mentee@elsewhere.example")
    return activate(_pair(other_organisation, profile, mentee_user, "Elsie Where"))
