"""What the coordinator's matching pages share: the words for a score, a proposal and a mentor
as lists show them, a person's requests from the directory, and reading the chosen mentor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.access import STAFF_ROLES, membership_with_role
from accounts.models import Organisation
from matching.forms import MentorChoiceForm
from matching.models import MatchProposal
from matching.selectors import places_left
from matching.services.proposals import MentorFit, mentor_fit, one_mentee_problem
from mentors.models import MentorProfile, MentorRequest
from mentors.models import MentorRequestStatus as RequestStatus
from referrals.models import Referral

LIST_LIMIT = 100
TOP_REASONS = 3


# Words for numbers ----------------------------------------------------------------------------


def score_percent(score: float) -> int:
    return round(score * 100)


def score_word(score: float) -> str:
    """A short word for a score, so a list can be scanned without reading numbers."""
    if score >= 0.75:
        return "strong"
    if score >= 0.55:
        return "good"
    if score >= 0.35:
        return "fair"
    return "weak"


def short_name(referral: Referral) -> str:
    """What to call the person in a sentence: "Alex asked for Priya"."""
    return referral.preferred_name or referral.full_name.split(" ")[0] or referral.full_name


# Rows -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A proposal as a list shows it."""

    proposal: MatchProposal
    percent: int
    word: str
    top_reasons: list[str]
    more_reasons: int
    asked_for: bool = False


def proposal_row(proposal: MatchProposal, *, asked_for: bool = False) -> Row:
    reasons = list(proposal.reasons or [])
    return Row(
        proposal=proposal,
        percent=score_percent(proposal.score),
        word=score_word(proposal.score),
        top_reasons=reasons[:TOP_REASONS],
        more_reasons=max(len(reasons) - TOP_REASONS, 0),
        asked_for=asked_for,
    )


@dataclass(frozen=True)
class Choice:
    """A mentor the coordinator could pick for one person."""

    fit: MentorFit
    percent: int
    word: str
    asked_for: bool
    places: int


def mentor_choice(fit: MentorFit, asked_for: set[int]) -> Choice:
    score = fit.score or 0.0
    return Choice(
        fit=fit,
        percent=score_percent(score),
        word=score_word(score),
        asked_for=fit.profile.pk in asked_for,
        places=places_left(fit.profile),
    )


# Requests from the directory ------------------------------------------------------------------


@dataclass(frozen=True)
class RequestNote:
    """A mentee's request from the directory, and whether the mentor they asked for fits."""

    request: MentorRequest
    is_current: bool = False
    fit: MentorFit | None = None
    percent: int = 0


def request_notes(referral: Referral, *, current: MentorProfile | None) -> list[RequestNote]:
    if referral.mentee_id is None:
        return []
    open_requests = MentorRequest.objects.filter(
        organisation=referral.organisation_id, mentee=referral.mentee_id, status=RequestStatus.OPEN
    ).select_related("profile", "mentee")
    notes = []
    built = None
    for item in open_requests:
        if current is not None and item.profile_id == current.pk:
            notes.append(RequestNote(item, is_current=True))
            continue
        built = built or one_mentee_problem(referral)
        fit = mentor_fit(referral, item.profile, built=built)
        notes.append(RequestNote(item, fit=fit, percent=score_percent(fit.score or 0)))
    return notes


def asked_for(referral: Referral) -> set[int]:
    """The mentors this person asked for through the directory (open requests)."""
    if referral.mentee_id is None:
        return set()
    return set(
        MentorRequest.objects.filter(
            organisation=referral.organisation_id,
            mentee=referral.mentee_id,
            status=RequestStatus.OPEN,
        ).values_list("profile_id", flat=True)
    )


# Requests to the pages ------------------------------------------------------------------------


def staff_organisation(request: HttpRequest) -> Organisation:
    return membership_with_role(request, STAFF_ROLES).organisation


def chosen_mentor(request: HttpRequest, organisation: Organisation) -> MentorProfile | None:
    form = MentorChoiceForm(request.POST)
    mentor = None
    if form.is_valid():
        mentor = MentorProfile.objects.filter(
            organisation=organisation, pk=form.cleaned_data["mentor"]
        ).first()
    if mentor is None:
        messages.error(request, "Choose one of the mentors listed.")
    return mentor


def back_with_error(
    request: HttpRequest, proposal: MatchProposal, error: ValidationError
) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(reverse("matching:proposal_detail", args=[proposal.pk]))


def day(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "j F") if moment else ""
