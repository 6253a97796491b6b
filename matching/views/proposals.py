"""One proposal, as the coordinator sees it: why it was proposed, and approving, rejecting,
undoing or swapping it for another mentor."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES, role_required, signed_in_user
from accounts.models import Organisation
from alongside.forms import add_service_errors
from matching.comparison import compare, preferences
from matching.forms import RejectForm
from matching.models import MatchProposal, ProposalStatus
from matching.selectors import (
    get_proposal_for_staff,
    matching_settings,
    places_left,
    profiles_with_room,
    proposals_for_staff,
)
from matching.services.proposals import (
    can_undo,
    one_mentee_problem,
    proposal_approve,
    proposal_reject,
    proposal_swap,
    proposal_undo,
    suggestions_for,
)
from matching.views.staff import (
    asked_for,
    back_with_error,
    chosen_mentor,
    day,
    mentor_choice,
    proposal_row,
    request_notes,
    short_name,
    staff_organisation,
)
from mentors.models import AvailabilitySlot

# How the engine starts a reason that counts against a pair.
PREFERENCE_NOT_MET = "Preference not met"


def _proposal_for_page(organisation: Organisation, pk: int) -> MatchProposal:
    queryset = proposals_for_staff(organisation).select_related(
        "mentor__user", "approved_by", "created_by", "relationship", "mentor_request"
    )
    queryset = queryset.prefetch_related(
        "referral__support_areas",
        "referral__languages",
        "mentor__lived_experience_areas",
        "mentor__languages",
        Prefetch("mentor__availability_slots", queryset=AvailabilitySlot.objects.all()),
    )
    return get_object_or_404(queryset, pk=pk)


@role_required(*STAFF_ROLES)
@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_for_page(staff_organisation(request), pk)
    return _render_proposal(request, proposal)


def _render_proposal(
    request: HttpRequest, proposal: MatchProposal, *, reject_form: RejectForm | None = None
) -> HttpResponse:
    organisation = proposal.organisation
    with_room = profiles_with_room(organisation).filter(pk=proposal.mentor_id).first()
    context = {
        "proposal": proposal,
        "row": proposal_row(proposal),
        "reasons": [
            (reason, not reason.startswith(PREFERENCE_NOT_MET)) for reason in proposal.reasons or []
        ],
        "referral": proposal.referral,
        "mentor": proposal.mentor,
        "mentee_name": short_name(proposal.referral),
        "places_left": places_left(with_room) if with_room is not None else None,
        "comparison": compare(proposal.referral, proposal.mentor),
        "preferences": preferences(proposal.referral),
        "requests": request_notes(proposal.referral, current=proposal.mentor),
        "response_days": matching_settings(organisation).response_days,
        "can_decide": proposal.status == ProposalStatus.PROPOSED,
        "can_undo": can_undo(proposal),
        "reject_form": reject_form or RejectForm(auto_id="reject_%s"),
    }
    return render(request, "matching/coordinator/proposal_detail.html", context)


@role_required(*STAFF_ROLES)
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_staff(staff_organisation(request), pk)
    try:
        proposal = proposal_approve(actor=signed_in_user(request), proposal=proposal)
    except ValidationError as error:
        return back_with_error(request, proposal, error)
    messages.success(
        request,
        f"Approved. We have emailed {proposal.mentor.display_name} to look at the match; they "
        f"have until {day(proposal.respond_by)} to answer.",
    )
    return redirect("matching:overview")


@role_required(*STAFF_ROLES)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = staff_organisation(request)
    proposal = get_proposal_for_staff(organisation, pk)
    form = RejectForm(request.POST, auto_id="reject_%s")
    if form.is_valid():
        try:
            proposal_reject(
                actor=signed_in_user(request),
                proposal=proposal,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return back_with_error(request, proposal, error)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Rejected. {proposal.mentor.display_name} will not be proposed for "
                f"{short_name(proposal.referral)} again.",
            )
            return redirect("matching:overview")
    return _render_proposal(request, _proposal_for_page(organisation, pk), reject_form=form)


@role_required(*STAFF_ROLES)
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_staff(staff_organisation(request), pk)
    try:
        proposal_undo(actor=signed_in_user(request), proposal=proposal)
    except ValidationError as error:
        return back_with_error(request, proposal, error)
    messages.success(
        request,
        f"Undone. {short_name(proposal.referral)} is back on the waiting list, in the same "
        "place; anyone we had told about the match has been emailed that it will not go ahead.",
    )
    return redirect("matching:proposal_detail", pk=proposal.pk)


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def swap(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose another mentor for the person in this proposal, from the engine's suggestions."""
    organisation = staff_organisation(request)
    proposal = get_proposal_for_staff(organisation, pk)
    if proposal.status != ProposalStatus.PROPOSED:
        messages.info(request, "This match has already been decided, so it cannot be swapped.")
        return redirect("matching:proposal_detail", pk=proposal.pk)
    if request.method == "POST":
        mentor = chosen_mentor(request, organisation)
        if mentor is not None:
            try:
                new = proposal_swap(actor=signed_in_user(request), proposal=proposal, mentor=mentor)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    f"Swapped: {mentor.display_name} is now proposed for "
                    f"{short_name(proposal.referral)}. Approve it to offer it to them.",
                )
                return redirect("matching:proposal_detail", pk=new.pk)
        return redirect("matching:proposal_swap", pk=proposal.pk)
    referral = proposal.referral
    built = one_mentee_problem(referral)
    asked = asked_for(referral)
    fits = [
        fit
        for fit in suggestions_for(referral, k=6, built=built)
        if fit.profile.pk != proposal.mentor_id
    ][:5]
    context = {
        "proposal": proposal,
        "referral": referral,
        "mentee_name": short_name(referral),
        "choices": [mentor_choice(fit, asked) for fit in fits],
    }
    return render(request, "matching/coordinator/swap.html", context)
