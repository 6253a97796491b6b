"""Who may see a mentoring relationship, as ``rules`` predicates over the membership a person
acts through and the relationship. ``mentoring.access.viewer_for`` asks them in order; the
permission ``mentoring.view_relationship`` combines them for anything that only needs yes or no.
"""

from __future__ import annotations

import rules

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Role
from mentoring.models import Relationship, RelationshipStatus


@rules.predicate
def acts_in_its_organisation(membership: Membership, relationship: Relationship) -> bool:
    return membership.is_active and membership.organisation_id == relationship.organisation_id


@rules.predicate
def is_staff(membership: Membership, relationship: Relationship) -> bool:
    return membership.role in STAFF_ROLES


@rules.predicate
def is_its_mentor_until_it_ends(membership: Membership, relationship: Relationship) -> bool:
    """A mentor's access stops the moment the relationship ends."""
    return (
        membership.role == Role.MENTOR
        and relationship.mentor.user_id == membership.user_id
        and relationship.status != RelationshipStatus.ENDED
    )


@rules.predicate
def is_its_mentee(membership: Membership, relationship: Relationship) -> bool:
    """The mentee keeps read access to their own record after the ending."""
    return membership.role == Role.MENTEE and relationship.mentee_id == membership.user_id


@rules.predicate
def supervises_its_mentor(membership: Membership, relationship: Relationship) -> bool:
    return (
        membership.role == Role.SUPERVISOR
        and relationship.mentor.supervisor_id == membership.user_id
    )


may_see_as_staff = acts_in_its_organisation & is_staff
may_see_as_mentor = acts_in_its_organisation & is_its_mentor_until_it_ends
may_see_as_mentee = acts_in_its_organisation & is_its_mentee
may_see_as_supervisor = acts_in_its_organisation & supervises_its_mentor
may_see_relationship = (
    may_see_as_staff | may_see_as_mentor | may_see_as_mentee | may_see_as_supervisor
)

rules.add_rule("mentoring.view_relationship", may_see_relationship)
