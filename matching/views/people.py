"""The people side of a match: the mentor looks at an offer and answers, then the mentee; a
coordinator can record a mentee's answer given by phone, and arranges the introduction."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Organisation, Role, User
from alongside.forms import add_service_errors
from matching.dashboard import (
    current_mentee_count,
    first_name,
    mentee_current_offer,
    mentor_offer_list,
    offer_for_mentee,
    offer_for_mentor,
)
from matching.forms_people import (
    ACCEPT,
    DECLINE,
    IntroductionForm,
    MenteeDeclineForm,
    MentorDeclineForm,
    OnBehalfForm,
)
from matching.models import MatchProposal, ProposalStatus
from matching.selectors import (
    get_offer_for_mentee,
    get_offer_for_mentor,
    get_proposal_for_staff,
    get_relationship_for_staff,
)
from matching.services.introductions import introduction_schedule
from matching.services.responses import proposal_mentee_respond, proposal_mentor_respond
from mentoring.models import Relationship, RelationshipStatus
from mentors.models import Format
from mentors.selectors import profile_for
from referrals.models import Status

# The mentor -----------------------------------------------------------------------------------


@role_required(Role.MENTOR)
@require_GET
def mentor_offers(request: HttpRequest) -> HttpResponse:
    user, organisation = _person(request, Role.MENTOR)
    offers = mentor_offer_list(user, organisation)
    return render(
        request,
        "matching/people/mentor_offers.html",
        {
            "open_offers": [offer for offer in offers if offer.can_answer],
            "past_offers": [offer for offer in offers if not offer.can_answer],
        },
    )


@role_required(Role.MENTOR)
@require_http_methods(["GET", "POST"])
def mentor_offer(request: HttpRequest, pk: int) -> HttpResponse:
    user, organisation = _person(request, Role.MENTOR)
    proposal = get_offer_for_mentor(user, organisation, pk)
    decline_form = MentorDeclineForm()
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer == DECLINE:
            decline_form = MentorDeclineForm(request.POST)
        if answer in (ACCEPT, DECLINE) and (answer == ACCEPT or decline_form.is_valid()):
            try:
                proposal_mentor_respond(
                    actor=user,
                    proposal=proposal,
                    accept=answer == ACCEPT,
                    reason=decline_form.cleaned_data["reason"] if answer == DECLINE else "",
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    messages.error(request, " ".join(error.messages))
                    return redirect("matching:mentor_offer", pk=proposal.pk)
                add_service_errors(decline_form, error)
            else:
                messages.success(request, _mentor_thanks(answer))
                return redirect("matching:mentor_offer", pk=proposal.pk)
    return _render_mentor_offer(request, user, organisation, proposal, decline_form)


def _mentor_thanks(answer: str) -> str:
    """Short: the page below the message says what happens next."""
    return "Thank you for saying yes." if answer == ACCEPT else "Thank you for letting us know."


def _render_mentor_offer(
    request: HttpRequest,
    user: User,
    organisation: Organisation,
    proposal: MatchProposal,
    decline_form: MentorDeclineForm,
) -> HttpResponse:
    profile = profile_for(user, organisation)
    offer = offer_for_mentor(
        proposal, current_mentees=current_mentee_count(profile) if profile is not None else 0
    )
    return render(
        request,
        "matching/people/mentor_offer.html",
        {
            "offer": offer,
            "mentee": offer.mentee,
            "load_if_yes": offer.current_mentees + 1,
            "decline_form": decline_form,
        },
    )


# The mentee -----------------------------------------------------------------------------------


@role_required(Role.MENTEE)
@require_http_methods(["GET", "POST"])
def mentee_offer(request: HttpRequest) -> HttpResponse:
    user, organisation = _person(request, Role.MENTEE)
    decline_form = MenteeDeclineForm()
    if request.method == "POST":
        proposal = get_offer_for_mentee(user, organisation, _posted_pk(request))
        answer = request.POST.get("answer")
        if answer == DECLINE:
            decline_form = MenteeDeclineForm(request.POST)
        if answer in (ACCEPT, DECLINE) and (answer == ACCEPT or decline_form.is_valid()):
            try:
                proposal_mentee_respond(
                    actor=user,
                    proposal=proposal,
                    accept=answer == ACCEPT,
                    reason=decline_form.cleaned_data["reason"] if answer == DECLINE else "",
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    messages.error(request, " ".join(error.messages))
                    return redirect("matching:mentee_offer")
                add_service_errors(decline_form, error)
            else:
                messages.success(request, _mentee_thanks(answer))
                return redirect("matching:mentee_offer")
    # After a form problem, show the offer that was answered, whatever else has arrived since.
    shown = (
        get_offer_for_mentee(user, organisation, _posted_pk(request))
        if request.method == "POST"
        else mentee_current_offer(user, organisation)
    )
    if shown is None:
        return render(request, "matching/people/mentee_nothing.html")
    return render(
        request,
        "matching/people/mentee_offer.html",
        {"offer": offer_for_mentee(shown), "decline_form": decline_form},
    )


def _mentee_thanks(answer: str) -> str:
    """Short: the page below the message says what happens next."""
    return (
        "Thank you. Your match is confirmed." if answer == ACCEPT else "Thank you for telling us."
    )


def _posted_pk(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("offer", ""))
    except ValueError:
        return 0


# Coordinators ---------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def respond_for_mentee(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the answer a mentee gave by phone or in person (for people who are not online)."""
    organisation = membership_with_role(request, STAFF_ROLES).organisation
    proposal = get_proposal_for_staff(organisation, pk)
    form = OnBehalfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_mentee_respond(
                actor=signed_in_user(request),
                proposal=proposal,
                accept=form.cleaned_data["answer"] == ACCEPT,
                reason=form.cleaned_data["reason"],
                on_behalf=True,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if proposal.status == ProposalStatus.ACCEPTED:
                messages.success(request, "Their yes is recorded: the match is confirmed.")
                assert proposal.relationship_id is not None
                return redirect("matching:introduction", pk=proposal.relationship_id)
            messages.success(request, "Their answer is recorded. They stay on the waiting list.")
            return redirect("matching:respond_for_mentee", pk=proposal.pk)
    return render(
        request,
        "matching/people/respond_for_mentee.html",
        {
            "proposal": proposal,
            "referral": proposal.referral,
            "form": form,
            "can_record": proposal.status == ProposalStatus.WITH_MENTEE
            and proposal.referral.status == Status.WAITING,
        },
    )


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def introduction(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = membership_with_role(request, STAFF_ROLES).organisation
    relationship = get_relationship_for_staff(organisation, pk)
    if request.method == "POST":
        form = IntroductionForm(request.POST)
        if form.is_valid():
            rescheduling = relationship.introduction_at is not None
            try:
                introduction_schedule(
                    actor=signed_in_user(request),
                    relationship=relationship,
                    **form.service_arguments(),
                )
            except ValidationError as error:
                add_service_errors(form, _date_errors(error))
            else:
                messages.success(request, _introduction_done(relationship, rescheduling))
                return redirect("matching:introduction", pk=relationship.pk)
    else:
        form = IntroductionForm(initial=_introduction_initial(relationship))
    return render(
        request,
        "matching/people/introduction.html",
        {
            "relationship": relationship,
            "mentee_name": first_name(relationship.referral),
            "referral": relationship.referral,
            "form": form,
            "can_arrange": relationship.status == RelationshipStatus.INTRODUCTION,
            "format_label": dict(Format.choices).get(relationship.introduction_format, ""),
        },
    )


def _introduction_done(relationship: Relationship, rescheduling: bool) -> str:
    done = "The introduction is changed." if rescheduling else "The introduction is arranged."
    if relationship.referral.email_ok:
        return f"{done} We have emailed both of them the date, time and place."
    return (
        f"{done} We have emailed the mentor. {first_name(relationship.referral)} does not want "
        "email, so please tell them the date, time and place yourself."
    )


def _introduction_initial(relationship: Relationship) -> dict[str, Any]:
    if relationship.introduction_at is None:
        return {"format": Format.VIDEO}
    local = timezone.localtime(relationship.introduction_at)
    return {
        "date": local.date(),
        "time": local.time(),
        "format": relationship.introduction_format,
        "place": relationship.introduction_place,
        "coordinator_present": relationship.coordinator_present,
    }


def _date_errors(error: ValidationError) -> ValidationError:
    """The service speaks of ``when``; the form asks for a date and a time."""
    if hasattr(error, "error_dict") and "when" in error.error_dict:
        errors = dict(error.message_dict)
        errors["date"] = errors.pop("when")
        return ValidationError(errors)
    return error


# Helpers --------------------------------------------------------------------------------------


def _person(request: HttpRequest, role: Role) -> tuple[User, Organisation]:
    return signed_in_user(request), membership_with_role(request, (role,)).organisation
