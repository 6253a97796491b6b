"""The coordinator's decisions on proposed matches: propose a mentor by hand, approve (the offer
goes to the mentor), reject, swap for another mentor, or undo before the mentoring starts.

Also the engine's view of one mentee, which those decisions rest on: the best mentors for them
now, and whether (and why not) a particular mentor could be matched with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from alongside.email import send_templated_email
from audit.services import audit_record
from matching.engine import Mentee, Problem, solve, suggest
from matching.engine.explain import UNMATCHED_REASONS
from matching.models import MatchProposal, Origin, ProposalStatus
from matching.problem import OrganisationProblem, mentee_key, mentor_key, organisation_problem
from matching.selectors import matching_settings
from mentoring.models import RelationshipStatus
from mentors.models import MentorProfile, MentorRequest, MentorRequestStatus
from mentors.selectors import certified_available_profiles
from mentors.services.profiles import mentor_request_mark_noted
from referrals.models import Referral, Status
from referrals.selectors import mentee_email
from referrals.services.creating import locked_referral, set_status

ALREADY_DECIDED = "This match has already been decided."
NOT_WAITING = "This person is no longer on the waiting list."
ALREADY_HAS_MATCH = "This person already has a match on its way. Undo or reject it first."
SWAPPED = "Swapped by the coordinator"

# How the engine's reasons for "nobody fits" read when the question is about one mentor.
_ONE_MENTOR_REASONS = {
    UNMATCHED_REASONS["languages"]: "they do not share a language",
    UNMATCHED_REASONS["availability"]: "they are not free at the same times",
    UNMATCHED_REASONS["mentor_gender"]: "the mentor's gender is not one this person requires",
    UNMATCHED_REASONS["age_range"]: "the mentor is outside the age range this person requires",
    UNMATCHED_REASONS["shared_experience"]: (
        "the mentor does not have the lived experience this person requires"
    ),
    UNMATCHED_REASONS["exclusions"]: "this pair was turned down before",
}


# The engine's view of one mentee ----------------------------------------------------------------


@dataclass(frozen=True)
class MentorFit:
    """How one mentor fits one mentee: a score and reasons, or why they cannot be matched."""

    profile: MentorProfile
    score: float | None = None
    reasons: tuple[str, ...] = ()
    why_not: str = ""

    @property
    def possible(self) -> bool:
        return not self.why_not


def one_mentee_problem(referral: Referral) -> OrganisationProblem:
    """Every mentor with a place left, and only this person on the mentee side."""
    return organisation_problem(referral.organisation, referrals=[referral])


def suggestions_for(
    referral: Referral, *, k: int = 5, built: OrganisationProblem | None = None
) -> list[MentorFit]:
    """The ``k`` best mentors for this person now, best first; ``k=0`` means every one that fits."""
    built = built or one_mentee_problem(referral)
    found = suggest(built.problem, mentee_key(referral.pk), k=k or len(built.problem.mentors))
    return [
        MentorFit(
            profile=built.profiles[suggestion.mentor],
            score=suggestion.score,
            reasons=suggestion.reasons,
        )
        for suggestion in found
    ]


def why_nobody_fits(referral: Referral, *, built: OrganisationProblem | None = None) -> str:
    """The engine's reason this person cannot be matched with anyone now, or "" if they can."""
    built = built or one_mentee_problem(referral)
    result = solve(built.problem)
    return result.unmatched[0].reason if result.unmatched else ""


def mentor_fit(
    referral: Referral, profile: MentorProfile, *, built: OrganisationProblem | None = None
) -> MentorFit:
    """Whether this mentor could be matched with this person now, with the engine's score and
    reasons if so, and the first obstacle in plain words if not."""
    if (
        profile.organisation_id != referral.organisation_id
        or not certified_available_profiles(referral.organisation).filter(pk=profile.pk).exists()
    ):
        return MentorFit(profile, why_not="they are not taking new mentees at the moment")
    built = built or one_mentee_problem(referral)
    key = mentor_key(profile.pk)
    if key not in built.profiles:
        return MentorFit(profile, why_not="they have no places left")
    for suggestion in suggestions_for(referral, k=0, built=built):
        if suggestion.profile.pk == profile.pk:
            return suggestion
    return MentorFit(profile, why_not=_why_not_this_mentor(built, referral, key))


def _why_not_this_mentor(built: OrganisationProblem, referral: Referral, key: str) -> str:
    mentee: Mentee = next(m for m in built.problem.mentees if m.id == mentee_key(referral.pk))
    mentor = next(m for m in built.problem.mentors if m.id == key)
    result = solve(Problem(mentors=(mentor,), mentees=(mentee,)))
    if not result.unmatched:  # should not happen: the engine found no fit above
        return "the matching engine does not consider them a fit"
    reason = result.unmatched[0].reason
    if reason in _ONE_MENTOR_REASONS:
        return _ONE_MENTOR_REASONS[reason]
    if reason.startswith("no mentor who shares a language can meet "):
        return "the mentor cannot meet " + reason.removeprefix(
            "no mentor who shares a language can meet "
        )
    if "too far away" in reason:
        return "they could only meet in person, and the mentor is too far away"
    if "no location" in reason:
        return (
            "they could only meet in person, and a place for their areas is missing to check "
            "the distance"
        )
    return reason


def open_request_for(referral: Referral, profile: MentorProfile) -> MentorRequest | None:
    """The person's open request, from the directory, for this mentor."""
    if referral.mentee_id is None:
        return None
    return MentorRequest.objects.filter(
        organisation=referral.organisation_id,
        mentee=referral.mentee_id,
        profile=profile,
        status=MentorRequestStatus.OPEN,
    ).first()


# Proposing by hand ----------------------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *,
    actor: User,
    referral: Referral,
    mentor: MentorProfile,
    origin: Origin | str = Origin.SUGGESTION,
    mentor_request: MentorRequest | None = None,
) -> MatchProposal:
    """Propose this mentor for this person, scored and explained by the engine. Only a mentor
    the engine would allow (and with a place left) can be proposed."""
    referral = locked_referral(referral)
    if referral.status != Status.WAITING:
        raise ValidationError(NOT_WAITING)
    live = MatchProposal.objects.filter(referral=referral, status__in=ProposalStatus.live()).first()
    if live is not None:
        if live.mentor_id == mentor.pk:
            return live  # a repeated click
        raise ValidationError(ALREADY_HAS_MATCH)
    profile = MentorProfile.objects.select_for_update(of=("self",)).get(pk=mentor.pk)
    fit = mentor_fit(referral, profile)
    if not fit.possible:
        raise ValidationError(f"This mentor cannot be matched with this person: {fit.why_not}.")
    if mentor_request is not None:
        if (
            mentor_request.profile_id != profile.pk
            or mentor_request.mentee_id != referral.mentee_id
            or mentor_request.organisation_id != referral.organisation_id
        ):
            raise ValidationError("That request is for a different person or mentor.")
        origin = Origin.REQUEST
    assert fit.score is not None
    proposal = MatchProposal.objects.create(
        organisation=referral.organisation,
        origin=origin,
        referral=referral,
        mentor=profile,
        mentor_request=mentor_request,
        score=min(max(round(fit.score, 4), 0.0), 1.0),
        reasons=list(fit.reasons),
        status=ProposalStatus.PROPOSED,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="match.proposed",
        organisation=referral.organisation,
        target=proposal,
        metadata={"origin": str(origin)},
    )
    return proposal


# Decisions on a proposal ----------------------------------------------------------------------


def _locked(proposal: MatchProposal) -> MatchProposal:
    return (
        MatchProposal.objects.select_for_update(of=("self",))
        .select_related("organisation", "referral", "mentor__user", "relationship")
        .get(pk=proposal.pk)
    )


def _set_status(proposal: MatchProposal, status: ProposalStatus, *fields: str) -> None:
    proposal.status = status
    proposal.status_changed_at = timezone.now()
    proposal.save(update_fields=["status", "status_changed_at", *fields])


@transaction.atomic
def proposal_approve(*, actor: User, proposal: MatchProposal) -> MatchProposal:
    """Offer the match to the mentor, who has the programme's set number of days to answer.
    The email says only that there is a match to look at, with a link."""
    proposal = _locked(proposal)
    if proposal.status == ProposalStatus.WITH_MENTOR:
        return proposal  # a repeated click
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(ALREADY_DECIDED)
    if locked_referral(proposal.referral).status != Status.WAITING:
        raise ValidationError(f"{NOT_WAITING} Reject this match instead.")
    available = certified_available_profiles(proposal.organisation)
    if not available.filter(pk=proposal.mentor_id).exists():
        raise ValidationError(
            "This mentor is not taking new mentees at the moment. Choose another mentor or "
            "reject this match."
        )
    now = timezone.now()
    days = matching_settings(proposal.organisation).response_days
    proposal.approved_by = actor
    proposal.approved_at = now
    proposal.respond_by = now + timedelta(days=days)
    _set_status(proposal, ProposalStatus.WITH_MENTOR, "approved_by", "approved_at", "respond_by")
    if proposal.mentor_request_id is not None:
        mentor_request = MentorRequest.objects.get(pk=proposal.mentor_request_id)
        mentor_request_mark_noted(actor=actor, mentor_request=mentor_request)
    audit_record(
        actor=actor,
        action="match.approved",
        organisation=proposal.organisation,
        target=proposal,
        metadata={"origin": proposal.origin, "respond_days": days},
    )
    send_templated_email(
        "matching/email/mentor_offer_new",
        to=[proposal.mentor.user.email],
        context={
            "path": reverse("matching:mentor_offer", args=[proposal.pk]),
            "days": days,
        },
    )
    return proposal


@transaction.atomic
def proposal_reject(*, actor: User, proposal: MatchProposal, reason: str) -> MatchProposal:
    """Turn the pair down, with a reason for the record; the engine will not propose it again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this match is rejected, for the record."})
    proposal = _locked(proposal)
    if proposal.status == ProposalStatus.REJECTED:
        return proposal
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(
            f"{ALREADY_DECIDED} To stop a match that has been offered, undo it instead."
        )
    proposal.decline_reason = reason
    _set_status(proposal, ProposalStatus.REJECTED, "decline_reason")
    audit_record(
        actor=actor,
        action="match.rejected",
        organisation=proposal.organisation,
        target=proposal,
        metadata={"origin": proposal.origin},
    )
    return proposal


@transaction.atomic
def proposal_swap(*, actor: User, proposal: MatchProposal, mentor: MentorProfile) -> MatchProposal:
    """Reject this pair and propose the person with another mentor instead; returns the new
    proposal."""
    proposal = _locked(proposal)
    if proposal.status == ProposalStatus.REJECTED:
        newer = (
            MatchProposal.objects.filter(
                referral=proposal.referral_id,
                mentor=mentor,
                status__in=ProposalStatus.live(),
                created_at__gte=proposal.status_changed_at,
            )
            .order_by("-created_at")
            .first()
        )
        if newer is not None:
            return newer  # a repeated click
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(ALREADY_DECIDED)
    if mentor.pk == proposal.mentor_id:
        raise ValidationError("Choose a different mentor from the one already proposed.")
    proposal_reject(actor=actor, proposal=proposal, reason=SWAPPED)
    return proposal_create(
        actor=actor,
        referral=proposal.referral,
        mentor=mentor,
        origin=Origin.SUGGESTION,
        mentor_request=open_request_for(proposal.referral, mentor),
    )


def can_undo(proposal: MatchProposal) -> bool:
    if proposal.status in ProposalStatus.live():
        return True
    relationship = proposal.relationship
    return (
        proposal.status == ProposalStatus.ACCEPTED
        and relationship is not None
        and relationship.status == RelationshipStatus.INTRODUCTION
    )


@transaction.atomic
def proposal_undo(*, actor: User, proposal: MatchProposal) -> MatchProposal:
    """Call the match off before the mentoring starts. The person goes back on the waiting list
    (keeping their place in it); whoever was told about the match is told it will not go ahead."""
    proposal = _locked(proposal)
    if proposal.status == ProposalStatus.UNDONE:
        return proposal
    if not can_undo(proposal):
        if proposal.status == ProposalStatus.ACCEPTED:
            raise ValidationError(
                "The mentoring has started, so this match can no longer be undone."
            )
        raise ValidationError(
            f"This match is already closed ({proposal.get_status_display().lower()})."
        )
    previous = proposal.status
    mentor_told = proposal.approved_at is not None and previous != ProposalStatus.PROPOSED
    mentee_told = previous in (ProposalStatus.WITH_MENTEE, ProposalStatus.ACCEPTED)
    if previous == ProposalStatus.ACCEPTED:
        _end_introduction(proposal)
    _set_status(proposal, ProposalStatus.UNDONE)
    audit_record(
        actor=actor,
        action="match.undone",
        organisation=proposal.organisation,
        target=proposal,
        metadata={"from_status": previous},
    )
    recipients = []
    if mentor_told:
        recipients.append(proposal.mentor.user.email)
    if mentee_told:
        recipients.append(mentee_email(proposal.referral))
    for address in recipients:
        send_templated_email(
            "matching/email/staff_match_undone",
            to=[address],
            context={"path": reverse("dashboard")},
        )
    return proposal


def _end_introduction(proposal: MatchProposal) -> None:
    relationship = proposal.relationship
    assert relationship is not None
    relationship.status = RelationshipStatus.ENDED
    relationship.ended_at = timezone.now()
    relationship.save(update_fields=["status", "ended_at"])
    referral = locked_referral(proposal.referral)
    if referral.status == Status.MATCHED:
        set_status(referral, Status.WAITING)  # waiting_since is kept: their place in the list
