"""The coordinator's matching pages: the overview (runs, proposals to review, who could not be
matched, offers out, requests from the directory), one proposal with why it was proposed and
what to do with it, the top suggestions for one person, and the places used for distances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import STAFF_ROLES, membership_with_role, role_required, signed_in_user
from accounts.models import Organisation
from alongside.forms import add_service_errors
from matching.comparison import compare, preferences
from matching.forms import MentorChoiceForm, RejectForm
from matching.models import MatchProposal, MatchRun, ProposalStatus, RunStatus
from matching.selectors import (
    get_proposal_for_staff,
    get_run_for_staff,
    latest_run,
    matching_settings,
    mentors_with_places_count,
    places_left,
    profiles_with_room,
    proposals_for_staff,
    referrals_to_match,
)
from matching.services.proposals import (
    MentorFit,
    can_undo,
    mentor_fit,
    one_mentee_problem,
    open_request_for,
    proposal_approve,
    proposal_create,
    proposal_reject,
    proposal_swap,
    proposal_undo,
    suggestions_for,
    why_nobody_fits,
)
from matching.services.runs import UNDER_WAY, match_run_start
from mentors.models import AvailabilitySlot, Format, MentorProfile, MentorRequest
from mentors.models import MentorRequestStatus as RequestStatus
from referrals.availability import SLOT_LABELS
from referrals.models import Referral, Status

LIST_LIMIT = 100
TOP_REASONS = 3
RECENT_DAYS = 30
# How the engine starts a reason that counts against a pair.
PREFERENCE_NOT_MET = "Preference not met"


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


@dataclass(frozen=True)
class Row:
    """A proposal as a list shows it."""

    proposal: MatchProposal
    percent: int
    word: str
    top_reasons: list[str]
    more_reasons: int
    asked_for: bool = False


def _row(proposal: MatchProposal, *, asked_for: bool = False) -> Row:
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


def _choice(fit: MentorFit, asked_for: set[int]) -> Choice:
    score = fit.score or 0.0
    return Choice(
        fit=fit,
        percent=score_percent(score),
        word=score_word(score),
        asked_for=fit.profile.pk in asked_for,
        places=places_left(fit.profile),
    )


# The overview ---------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The summary first: a list it counts as empty is not asked for."""
    organisation = _organisation(request)
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
    return [_row(proposal, asked_for=proposal.asked_for) for proposal in proposals]


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
            url=reverse("matching:suggestions", args=[referral.pk]),
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


# Runs -----------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    try:
        run = match_run_start(actor=signed_in_user(request), organisation=_organisation(request))
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("matching:overview")
    run.refresh_from_db()
    if run.status == RunStatus.DONE:
        messages.success(request, _finished_message(run))
    elif run.status == RunStatus.FAILED:
        messages.error(request, "Matching could not finish. The details are below.")
    else:
        messages.success(
            request, "Matching has started. This page shows its progress; you can leave it."
        )
    return redirect("matching:overview")


def _finished_message(run: MatchRun) -> str:
    proposed = run.proposed_count
    unmatched = len(run.unmatched)
    found = f"{proposed} match{'es' if proposed != 1 else ''} to review"
    if unmatched:
        found += f"; {unmatched} {'person' if unmatched == 1 else 'people'} could not be matched"
    return f"Matching finished: {found}."


@role_required(*STAFF_ROLES)
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress: the whole page, or (polled by htmx while it runs) just the status."""
    organisation = _organisation(request)
    run = get_run_for_staff(organisation, pk)
    context: dict[str, Any] = {"run": run, "run_under_way": run.status in UNDER_WAY}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        context["refresh_url"] = urlsplit(htmx.current_url or "").path or request.path
        response = render(request, "matching/coordinator/_run_status.html", context)
        if not context["run_under_way"]:
            response["HX-Refresh"] = "true"  # show the proposals it made
        return response
    if run.status == RunStatus.DONE and run.unmatched:
        names = dict(
            Referral.objects.filter(
                organisation=organisation, pk__in=[item["referral"] for item in run.unmatched]
            ).values_list("pk", "full_name")
        )
        context["unmatched"] = [
            (item["referral"], names.get(item["referral"], "Someone no longer listed"), item)
            for item in run.unmatched
        ]
    return render(request, "matching/coordinator/run_detail.html", context)


# One proposal ---------------------------------------------------------------------------------


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
    proposal = _proposal_for_page(_organisation(request), pk)
    return _render_proposal(request, proposal)


def _render_proposal(
    request: HttpRequest, proposal: MatchProposal, *, reject_form: RejectForm | None = None
) -> HttpResponse:
    organisation = proposal.organisation
    with_room = profiles_with_room(organisation).filter(pk=proposal.mentor_id).first()
    context = {
        "proposal": proposal,
        "row": _row(proposal),
        "reasons": [
            (reason, not reason.startswith(PREFERENCE_NOT_MET)) for reason in proposal.reasons or []
        ],
        "referral": proposal.referral,
        "mentor": proposal.mentor,
        "mentee_name": short_name(proposal.referral),
        "places_left": places_left(with_room) if with_room is not None else None,
        "comparison": compare(proposal.referral, proposal.mentor),
        "preferences": preferences(proposal.referral),
        "requests": _request_notes(proposal.referral, current=proposal.mentor),
        "response_days": matching_settings(organisation).response_days,
        "can_decide": proposal.status == ProposalStatus.PROPOSED,
        "can_undo": can_undo(proposal),
        "reject_form": reject_form or RejectForm(auto_id="reject_%s"),
    }
    return render(request, "matching/coordinator/proposal_detail.html", context)


@dataclass(frozen=True)
class RequestNote:
    """A mentee's request from the directory, and whether the mentor they asked for fits."""

    request: MentorRequest
    is_current: bool = False
    fit: MentorFit | None = None
    percent: int = 0


def _request_notes(referral: Referral, *, current: MentorProfile | None) -> list[RequestNote]:
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


@role_required(*STAFF_ROLES)
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_staff(_organisation(request), pk)
    try:
        proposal = proposal_approve(actor=signed_in_user(request), proposal=proposal)
    except ValidationError as error:
        return _back_with_error(request, proposal, error)
    messages.success(
        request,
        f"Approved. We have emailed {proposal.mentor.display_name} to look at the match; they "
        f"have until {_day(proposal.respond_by)} to answer.",
    )
    return redirect("matching:overview")


@role_required(*STAFF_ROLES)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
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
                return _back_with_error(request, proposal, error)
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
    proposal = get_proposal_for_staff(_organisation(request), pk)
    try:
        proposal_undo(actor=signed_in_user(request), proposal=proposal)
    except ValidationError as error:
        return _back_with_error(request, proposal, error)
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
    organisation = _organisation(request)
    proposal = get_proposal_for_staff(organisation, pk)
    if proposal.status != ProposalStatus.PROPOSED:
        messages.info(request, "This match has already been decided, so it cannot be swapped.")
        return redirect("matching:proposal_detail", pk=proposal.pk)
    if request.method == "POST":
        mentor = _chosen_mentor(request, organisation)
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
    asked = _asked_for(referral)
    fits = [
        fit
        for fit in suggestions_for(referral, k=6, built=built)
        if fit.profile.pk != proposal.mentor_id
    ][:5]
    context = {
        "proposal": proposal,
        "referral": referral,
        "mentee_name": short_name(referral),
        "choices": [_choice(fit, asked) for fit in fits],
    }
    return render(request, "matching/coordinator/swap.html", context)


# Suggestions for one person -------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest, referral_pk: int) -> HttpResponse:
    organisation = _organisation(request)
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
    asked = _asked_for(referral)
    context = {
        "referral": referral,
        "mentee_name": short_name(referral),
        "live": live,
        "can_propose": referral.status == Status.WAITING and live is None,
        "choices": [_choice(fit, asked) for fit in fits],
        "nobody_reason": "" if fits else why_nobody_fits(referral, built=built),
        "requests": _request_notes(referral, current=None),
        "shown": {fit.profile.pk for fit in fits},
        "slots": [SLOT_LABELS.get(code, code) for code in referral.availability_slots],
        "formats": [dict(Format.choices).get(f, f) for f in referral.formats],
        "preferences": preferences(referral),
    }
    return render(request, "matching/coordinator/suggestions.html", context)


def _propose(request: HttpRequest, organisation: Organisation, referral: Referral) -> HttpResponse:
    mentor = _chosen_mentor(request, organisation)
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


def _chosen_mentor(request: HttpRequest, organisation: Organisation) -> MentorProfile | None:
    form = MentorChoiceForm(request.POST)
    mentor = None
    if form.is_valid():
        mentor = MentorProfile.objects.filter(
            organisation=organisation, pk=form.cleaned_data["mentor"]
        ).first()
    if mentor is None:
        messages.error(request, "Choose one of the mentors listed.")
    return mentor


def _asked_for(referral: Referral) -> set[int]:
    if referral.mentee_id is None:
        return set()
    return set(
        MentorRequest.objects.filter(
            organisation=referral.organisation_id,
            mentee=referral.mentee_id,
            status=RequestStatus.OPEN,
        ).values_list("profile_id", flat=True)
    )


# Helpers --------------------------------------------------------------------------------------


def _day(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "j F") if moment else ""


def _organisation(request: HttpRequest) -> Organisation:
    return membership_with_role(request, STAFF_ROLES).organisation


def _back_with_error(
    request: HttpRequest, proposal: MatchProposal, error: ValidationError
) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect(reverse("matching:proposal_detail", args=[proposal.pk]))
