"""The relationship rules as ``rules`` predicates: the same answers the pages give."""

from __future__ import annotations

import pytest
import rules

from accounts.models import Membership
from mentoring.models import RelationshipStatus

pytestmark = pytest.mark.django_db

MAY_SEE = {"mentee", "mentor", "supervisor", "coordinator", "admin"}
MAY_NOT = {"other_mentee", "other_mentor", "referrer", "other_org_coordinator"}


@pytest.mark.parametrize("person", sorted(MAY_SEE | MAY_NOT))
def test_who_may_see_a_relationship(person, request, active_relationship):
    membership = Membership.objects.get(user=request.getfixturevalue(person))
    allowed = rules.test_rule("mentoring.view_relationship", membership, active_relationship)
    assert allowed == (person in MAY_SEE)


def test_the_mentor_loses_it_when_it_ends_and_the_mentee_keeps_it(
    active_relationship, mentor, mentee
):
    active_relationship.status = RelationshipStatus.ENDED
    active_relationship.save(update_fields=["status"])
    as_mentor = Membership.objects.get(user=mentor)
    as_mentee = Membership.objects.get(user=mentee)
    assert not rules.test_rule("mentoring.view_relationship", as_mentor, active_relationship)
    assert rules.test_rule("mentoring.view_relationship", as_mentee, active_relationship)


def test_a_role_that_was_removed_sees_nothing(active_relationship, coordinator):
    membership = Membership.objects.get(user=coordinator)
    membership.is_active = False
    assert not rules.test_rule("mentoring.view_relationship", membership, active_relationship)
