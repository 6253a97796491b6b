"""The best mentors for one person waiting, and proposing one of them by hand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.access import STAFF_ROLES, role_required, signed_in_user
from accounts.models import Organisation
from matching.comparison import preferences
from matching.models import MatchProposal, ProposalStatus
from matching.services.proposals import (
    one_mentee_problem,
    open_request_for,
    proposal_create,
    suggestions_for,
    why_nobody_fits,
)
from matching.views.staff import (
    asked_for,
    chosen_mentor,
    mentor_choice,
    request_notes,
    short_name,
    staff_organisation,
)
from mentors.models import Format
from referrals.availability import SLOT_LABELS
from referrals.models import Referral, Status


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest, referral_pk: int) -> HttpResponse:
    organisation = staff_organisation(request)
    referral = get_object_or_404(
        Referral.objects.filter(organisation=organisation).prefetch_related(
            "support_areas", "languages"
        ),
        pk=referral_pk,
    )
    if request.method == "POST":
        return _propose(request, organisation, referral)
    live = (
        MatchProposal.objects.filter(referral=referral, status__in=ProposalStatus.live())
        .select_related("mentor")
        .first()
    )
    built = one_mentee_problem(referral)
    fits = suggestions_for(referral, built=built)
    asked = asked_for(referral)
    context = {
        "referral": referral,
        "mentee_name": short_name(referral),
        "live": live,
        "can_propose": referral.status == Status.WAITING and live is None,
        "choices": [mentor_choice(fit, asked) for fit in fits],
        "nobody_reason": "" if fits else why_nobody_fits(referral, built=built),
        "requests": request_notes(referral, current=None),
        "shown": {fit.profile.pk for fit in fits},
        "slots": [SLOT_LABELS.get(code, code) for code in referral.availability_slots],
        "formats": [dict(Format.choices).get(f, f) for f in referral.formats],
        "preferences": preferences(referral),
    }
    return render(request, "matching/coordinator/suggestions.html", context)


def _propose(request: HttpRequest, organisation: Organisation, referral: Referral) -> HttpResponse:
    mentor = chosen_mentor(request, organisation)
    if mentor is not None:
        try:
            proposal = proposal_create(
                actor=signed_in_user(request),
                referral=referral,
                mentor=mentor,
                mentor_request=open_request_for(referral, mentor),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{mentor.display_name} is proposed for {short_name(referral)}. Check the "
                "details and approve it to offer the match to the mentor.",
            )
            return redirect("matching:proposal_detail", pk=proposal.pk)
    return redirect("matching:suggestions", referral_pk=referral.pk)
