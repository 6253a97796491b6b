"""Referrals: the public form and private link, partners' referrals, triage, intake, waiting."""

from __future__ import annotations

from typing import Any

from referrals.models import Status
from referrals.services.creating import hash_token
from tests.referrals.factories import ReferralFactory
from tests.security.matrix import ALL_COORDINATORS, EVERYONE, STAFF, Fixture, Route

REFERRER = frozenset({"referrer"})
ADMIN = frozenset({"admin"})
# Each mentee sees their own referral, or a page saying there is none.
MENTEES = frozenset({"mentee", "other_mentee"})

PRIVATE_LINK = "private-referral-link-for-the-access-matrix"


def _private_link(status: Status) -> Any:
    def kwargs(f: Fixture) -> dict[str, Any]:
        ReferralFactory.create(
            organisation=f("organisation"),
            status=status,
            access_token_hash=hash_token(PRIVATE_LINK),
        )
        return {"token": PRIVATE_LINK}

    return kwargs


def _with_waiting_referral(f: Fixture) -> dict[str, Any]:
    """No URL arguments: the shared ``mentee`` has a referral on the waiting list."""
    f("waiting_referral")
    return {}


def _new(f: Fixture) -> dict[str, Any]:
    return {"pk": f("new_referral").pk}


def _in_intake(f: Fixture) -> dict[str, Any]:
    referral = ReferralFactory.create(organisation=f("organisation"), status=Status.INTAKE)
    return {"pk": referral.pk}


def _duplicate(f: Fixture) -> dict[str, Any]:
    earlier = f("new_referral")
    later = ReferralFactory.create(
        organisation=f("organisation"), full_name=earlier.full_name, possible_duplicate_of=earlier
    )
    return {"pk": later.pk}


ROUTES: dict[str, Route] = {
    # Public: anyone may refer themselves, and follow their referral through its private link.
    "referrals:refer": Route(
        kwargs=lambda f: {"organisation_slug": f("organisation").slug}, get=EVERYONE
    ),
    "referrals:status": Route(kwargs=_private_link(Status.NEW), get=EVERYONE, write=None),
    "referrals:status_withdraw": Route(kwargs=_private_link(Status.NEW), get=EVERYONE),
    "referrals:intake_online": Route(kwargs=_private_link(Status.INTAKE), get=EVERYONE),
    # Partners (referrers): only their own referrals.
    "referrals:partner_list": Route(get=REFERRER, write=None),
    "referrals:partner_new": Route(get=REFERRER),
    "referrals:partner_detail": Route(
        kwargs=lambda f: {"pk": f("partner_referral").pk}, get=REFERRER, write=None
    ),
    # Triage: this organisation's coordinators and administrators.
    "referrals:queue": Route(get=ALL_COORDINATORS, write=None),
    "referrals:detail": Route(kwargs=_new, get=STAFF, write=None),
    "referrals:contact_attempt": Route(kwargs=_new, get=None, write=STAFF),
    "referrals:accept": Route(kwargs=_new, get=None, write=STAFF),
    "referrals:signpost": Route(kwargs=_new, get=None, write=STAFF),
    "referrals:decline": Route(kwargs=_new, get=None, write=STAFF),
    "referrals:unable_to_contact": Route(kwargs=_new, get=None, write=STAFF),
    "referrals:merge": Route(kwargs=_duplicate, get=STAFF),
    "referrals:dismiss_duplicate": Route(kwargs=_duplicate, get=None, write=STAFF),
    # Intake and the waiting list.
    "referrals:intake": Route(kwargs=_in_intake, get=STAFF),
    "referrals:waiting_list": Route(get=ALL_COORDINATORS, write=None),
    "referrals:check_in": Route(
        kwargs=lambda f: {"pk": f("waiting_referral").pk}, get=None, write=STAFF
    ),
    "referrals:my_referral": Route(kwargs=_with_waiting_referral, get=MENTEES),
    "referrals:my_referral_withdraw": Route(
        kwargs=_with_waiting_referral,
        get=None,
        write={"mentee"},
        note="Only a mentee with a referral can withdraw it; the other mentee has none: 404.",
    ),
    "referrals:settings": Route(get=ADMIN),
    # API: referrers create and read their own; staff read their organisation's.
    "api:referral-list": Route(get=REFERRER | ALL_COORDINATORS, write=REFERRER),
    "api:referral-detail": Route(
        kwargs=lambda f: {"pk": f("partner_referral").pk}, get=REFERRER | STAFF, write=None
    ),
}
