"""Downloading the data of someone referred who never had an account, on their behalf."""

from __future__ import annotations

from typing import Any

from tests.security.matrix import STAFF, Fixture, Route


def _referral(fixture: Fixture) -> dict[str, Any]:
    # new_referral has no account: it is someone referred who never signed in.
    return {"referral_pk": fixture("new_referral").pk}


def _on_behalf(fixture: Fixture) -> dict[str, Any]:
    return {"reason": "access_request", "format": "json", "identity_checked": "on"}


ROUTES: dict[str, Route] = {
    "privacy:referral_data": Route(
        kwargs=_referral,
        get=STAFF,
        data=_on_behalf,
        note="A referral of ours: the other organisation's coordinator gets 404, like everyone "
        "who is not this organisation's coordinator or admin.",
    ),
}
