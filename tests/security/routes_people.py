"""The organisation's people list, a person's page, and removing a role or switching an account
off (accounts/views_people.py). Coordinators and administrators only; the other organisation's
coordinator sees their own organisation's list but gets 404 for a member of ours."""

from __future__ import annotations

from typing import Any

from accounts.models import Membership
from tests.security.matrix import ALL_COORDINATORS, STAFF, Fixture, Route


def _mentors_membership(f: Fixture) -> dict[str, Any]:
    return {"pk": Membership.objects.get(user=f("mentor"), organisation=f("organisation")).pk}


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
}
