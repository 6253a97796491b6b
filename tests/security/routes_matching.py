"""Matching: the coordinator's runs and proposals, and the mentor's and mentee's answers."""

from __future__ import annotations

from typing import Any

from matching.models import MatchRun, RunStatus
from tests.matching.factories import PlaceFactory
from tests.security.matrix import ALL_COORDINATORS, OK, PAIR, STAFF, Fixture, Route

# The offer under test is with the mentee (``mentee_offer``): its mentor and mentee may open it.
MENTORS = frozenset({"mentor", "other_mentor"})
MENTEES = frozenset({"mentee", "other_mentee"})


def _run(f: Fixture) -> dict[str, Any]:
    run = MatchRun.objects.create(organisation=f("organisation"), status=RunStatus.DONE)
    return {"pk": run.pk}


def _proposal(f: Fixture) -> dict[str, Any]:
    return {"pk": f("proposal").pk}


def _offer(f: Fixture) -> dict[str, Any]:
    return {"pk": f("mentee_offer").pk}


def _referral(f: Fixture) -> dict[str, Any]:
    return {"referral_pk": f("matchable_referral").pk}


def _with(fixture_name: str) -> Any:
    """No URL arguments, but the record must exist so the page has something to show."""

    def kwargs(f: Fixture) -> dict[str, Any]:
        f(fixture_name)
        return {}

    return kwargs


def _place(f: Fixture) -> dict[str, Any]:
    return {"pk": PlaceFactory.create(organisation=f("organisation")).pk}


ROUTES: dict[str, Route] = {
    # The coordinator's pages.
    "matching:overview": Route(get=ALL_COORDINATORS, write=None),
    "matching:run_start": Route(get=None, write=ALL_COORDINATORS),
    "matching:run_detail": Route(kwargs=_run, get=STAFF, write=None),
    "matching:proposal_detail": Route(kwargs=_proposal, get=STAFF, write=None),
    "matching:proposal_approve": Route(kwargs=_proposal, get=None, write=STAFF),
    "matching:proposal_reject": Route(kwargs=_proposal, get=None, write=STAFF),
    "matching:proposal_undo": Route(kwargs=_proposal, get=None, write=STAFF),
    "matching:proposal_swap": Route(kwargs=_proposal, get=STAFF),
    "matching:suggestions": Route(kwargs=_referral, get=STAFF),
    "matching:places": Route(get=ALL_COORDINATORS),
    "matching:place_delete": Route(kwargs=_place, get=STAFF),
    "matching:respond_for_mentee": Route(kwargs=_offer, get=STAFF),
    "matching:introduction": Route(kwargs=lambda f: {"pk": f("relationship").pk}, get=STAFF),
    # The mentor's and mentee's answers: each sees only offers made to them.
    "matching:mentor_offers": Route(kwargs=_with("mentee_offer"), get=MENTORS, write=None),
    "matching:mentor_offer": Route(
        kwargs=lambda f: {"pk": f("offered_proposal").pk}, get={"mentor"}
    ),
    "matching:mentee_offer": Route(
        kwargs=_with("mentee_offer"),
        get=MENTEES,
        write={"mentee"},
        data=lambda f: {"offer": f("mentee_offer").pk},
        note="Each mentee sees their own offer or none; answering another's offer is a 404.",
    ),
    # API for staff.
    "api:match-run-list": Route(
        get=ALL_COORDINATORS, ok=OK | {202}, note="POST starts a run: 202 Accepted."
    ),
    "api:match-run-detail": Route(kwargs=_run, get=STAFF, write=None),
    "api:match-proposal-list": Route(kwargs=_with("proposal"), get=ALL_COORDINATORS, write=None),
    "api:match-proposal-detail": Route(kwargs=_proposal, get=STAFF, write=None),
    "api:match-proposal-approve": Route(kwargs=_proposal, get=None, write=STAFF),
    "api:match-proposal-reject": Route(kwargs=_proposal, get=None, write=STAFF),
    "api:match-proposal-undo": Route(kwargs=_proposal, get=None, write=STAFF),
    "api:mentee-suggestions": Route(
        kwargs=lambda f: {"referral_id": f("matchable_referral").pk}, get=STAFF, write=None
    ),
    # API for mentors and mentees.
    "api:match-offer-list": Route(kwargs=_with("mentee_offer"), get=MENTORS | MENTEES, write=None),
    "api:match-offer-detail": Route(kwargs=_offer, get=PAIR, write=None),
    "api:match-offer-accept": Route(kwargs=_offer, get=None, write=PAIR),
    "api:match-offer-decline": Route(kwargs=_offer, get=None, write=PAIR),
}
