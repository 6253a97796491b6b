"""The organisation's people list, a person's page, and removing a role or switching an account
off, and undoing either (accounts/views_people.py). Coordinators and administrators only; the
other organisation's coordinator sees their own organisation's list but gets 404 for a member of
ours."""

from __future__ import annotations

from typing import Any

from accounts.models import Membership, Role
from accounts.services import membership_revoke, user_deactivate
from tests.factories import MembershipFactory
from tests.security.matrix import ALL_COORDINATORS, STAFF, Fixture, Route


def _mentors_membership(f: Fixture) -> dict[str, Any]:
    return {"pk": Membership.objects.get(user=f("mentor"), organisation=f("organisation")).pk}


def _removed_mentors_membership(f: Fixture) -> dict[str, Any]:
    """A former mentor of the organisation (not one of the people asked, who must stay as they
    are), whose role was removed."""
    membership: Membership = MembershipFactory(organisation=f("organisation"), role=Role.MENTOR)
    membership_revoke(actor=None, membership=membership)
    return {"pk": membership.pk}


def _switched_off_mentors_membership(f: Fixture) -> dict[str, Any]:
    """A mentor of the organisation whose account was switched off."""
    membership: Membership = MembershipFactory(organisation=f("organisation"), role=Role.MENTOR)
    user_deactivate(actor=None, user=membership.user)
    return {"pk": membership.pk}


ROUTES: dict[str, Route] = {
    "people": Route(get=ALL_COORDINATORS, write=None),
    "person": Route(kwargs=_mentors_membership, get=STAFF, write=None),
    "person_remove_role": Route(
        kwargs=_mentors_membership,
        get=None,
        write=STAFF,
        data=lambda f: {"remove-confirm": "on"},
        note="Confirmed, so each allowed person really removes the role (rolled back after).",
    ),
    "person_switch_off": Route(
        kwargs=_mentors_membership,
        get=None,
        write=STAFF,
        data=lambda f: {"switch_off-confirm": "on"},
        note="Confirmed, so each allowed person really switches the mentor off (rolled back).",
    ),
    "person_restore_role": Route(
        kwargs=_removed_mentors_membership,
        get=None,
        write=STAFF,
        data=lambda f: {"restore-confirm": "on"},
        note="A role removed beforehand, so each allowed person really gives it back.",
    ),
    "person_switch_on": Route(
        kwargs=_switched_off_mentors_membership,
        get=None,
        write=STAFF,
        data=lambda f: {"switch_on-confirm": "on"},
        note=(
            "A mentor switched off beforehand. The admin really switches them back on; the "
            "coordinator may open the person and gets the refusal as a message (302), the "
            "business rule being tested in tests/accounts/test_people_pages.py."
        ),
    ),
}
