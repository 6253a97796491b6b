"""The coordinator's matching overview: the latest run, proposals to review, who is waiting
with nothing on its way, offers out and requests from the directory, under a summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import STAFF_ROLES, role_required
from accounts.models import Organisation
from alongside.links import url_for_each
from matching.models import MatchProposal, MatchRun, ProposalStatus, RunStatus
from matching.selectors import latest_run, mentors_with_places_count, referrals_to_match
from matching.services.runs import UNDER_WAY
from matching.views.staff import LIST_LIMIT, Row, proposal_row, staff_organisation
from mentors.models import MentorRequest
from mentors.models import MentorRequestStatus as RequestStatus
from referrals.models import Referral, Status

RECENT_DAYS = 30


@role_required(*STAFF_ROLES)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The summary first: a list it counts as empty is not asked for."""
    organisation = staff_organisation(request)
    counts = _counts(organisation)
    run = latest_run(organisation)
    requests, counts["requests"] = _requests_with_referrals(organisation)
    offered = counts["with_mentors"] + counts["with_mentees"]
    context: dict[str, Any] = {
        "counts": counts,
        "run": run,
        "run_under_way": run is not None and run.status in UNDER_WAY,
        "to_review": _to_review(organisation) if counts["to_review"] else [],
        "list_limit": LIST_LIMIT,
        "waiting": _waiting_without_match(organisation, run) if counts["waiting"] else [],
        "offers": _offers(organisation) if offered else [],
        "requests": requests,
    }
    return render(request, "matching/coordinator/overview.html", context)


# What a list of proposals shows of each: who with whom, and a link to it.
LISTED_FIELDS = ("pk", "referral__full_name", "mentor__display_name")


def _listed(organisation: Organisation) -> QuerySet[MatchProposal]:
    return MatchProposal.objects.filter(organisation=organisation).select_related(
        "referral", "mentor"
    )


def _to_review(organisation: Organisation) -> list[Row]:
    """The strongest proposals waiting for the coordinator, each marked if the person asked for
    that mentor through the directory."""
    asked_for = MentorRequest.objects.filter(
        organisation=organisation,
        status=RequestStatus.OPEN,
        mentee_id=OuterRef("referral__mentee_id"),
        profile_id=OuterRef("mentor_id"),
    )
    proposals = (
        _listed(organisation)
        .filter(status=ProposalStatus.PROPOSED)
        .only(*LISTED_FIELDS, "score", "reasons", "origin", "referral__mentee_id")
        .annotate(asked_for=Exists(asked_for))
        .order_by("-score", "pk")[:LIST_LIMIT]
    )
    return [proposal_row(proposal, asked_for=proposal.asked_for) for proposal in proposals]


def _offers(organisation: Organisation) -> list[MatchProposal]:
    """Offers waiting for the mentor's or the mentee's answer, the nearest deadline first."""
    return list(
        _listed(organisation)
        .filter(status__in=ProposalStatus.holding_capacity())
        .only(*LISTED_FIELDS, "status", "respond_by")
        .order_by("respond_by", "pk")[:LIST_LIMIT]
    )


def _counts(organisation: Organisation) -> dict[str, int]:
    """The summary, each figure read through an index: proposals on their way (few), those
    accepted lately, everyone waiting, and mentors with a place."""
    live = MatchProposal.objects.filter(
        organisation=organisation, status__in=ProposalStatus.live()
    ).aggregate(
        to_review=Count("pk", filter=Q(status=ProposalStatus.PROPOSED)),
        with_mentors=Count("pk", filter=Q(status=ProposalStatus.WITH_MENTOR)),
        with_mentees=Count("pk", filter=Q(status=ProposalStatus.WITH_MENTEE)),
        # A referral has at most one proposal on its way, in its own organisation.
        for_waiting=Count("pk", filter=Q(referral__status=Status.WAITING)),
    )
    waiting = Referral.objects.filter(organisation=organisation, status=Status.WAITING).count()
    return {
        "to_review": live["to_review"],
        "with_mentors": live["with_mentors"],
        "with_mentees": live["with_mentees"],
        "accepted": MatchProposal.objects.filter(
            organisation=organisation,
            status=ProposalStatus.ACCEPTED,
            status_changed_at__gte=timezone.now() - timedelta(days=RECENT_DAYS),
        ).count(),
        "waiting": waiting - live["for_waiting"],
        "mentors_with_places": mentors_with_places_count(organisation),
    }


@dataclass(frozen=True)
class Waiting:
    """Someone waiting, as the list shows them: worked out here, so a hundred rows render as
    plain text."""

    name: str
    waited: str
    reason: str
    url: str


def _waiting_without_match(organisation: Organisation, latest: MatchRun | None) -> list[Waiting]:
    """Everyone waiting with nothing on its way, longest first, with the reason the last
    finished run gave if it could not match them."""
    run = latest
    if latest is not None and latest.status != RunStatus.DONE:
        run = (
            MatchRun.objects.filter(organisation=organisation, status=RunStatus.DONE)
            .order_by("-created_at")
            .only("unmatched")
            .first()
        )
    reasons = {item["referral"]: item["reason"] for item in (run.unmatched if run else [])}
    now = timezone.now()
    suggestions_url = url_for_each("matching:suggestions")
    waiting = (
        referrals_to_match(organisation)
        .prefetch_related(None)
        .only("pk", "full_name", "waiting_since")[:LIST_LIMIT]
    )
    return [
        Waiting(
            name=referral.full_name,
            waited=_days((now - referral.waiting_since).days if referral.waiting_since else 0),
            reason=reasons.get(referral.pk, ""),
            url=suggestions_url(referral.pk),
        )
        for referral in waiting
    ]


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _requests_with_referrals(
    organisation: Organisation,
) -> tuple[list[tuple[MentorRequest, Referral | None]], int]:
    """The oldest open requests, each with the asker's waiting referral (to open their
    suggestions), and how many are open in all."""
    open_requests = MentorRequest.objects.filter(
        organisation=organisation, status=RequestStatus.OPEN
    )
    requests = list(
        open_requests.select_related("mentee", "profile")
        .only("pk", "created_at", "mentee__name", "mentee__email", "profile__display_name")
        .order_by("created_at", "pk")[:LIST_LIMIT]
    )
    total = len(requests) if len(requests) < LIST_LIMIT else open_requests.count()
    referrals = {
        referral.mentee_id: referral
        for referral in Referral.objects.filter(
            organisation=organisation,
            status=Status.WAITING,
            mentee_id__in={item.mentee_id for item in requests},
        ).only("pk", "mentee_id", "full_name", "preferred_name")
    }
    return [(item, referrals.get(item.mentee_id)) for item in requests], total
