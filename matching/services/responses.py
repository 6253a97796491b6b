"""The mentor, then the mentee, answer a match the coordinator sent them.

A mentor's yes passes the offer to the mentee; the mentee's yes makes the relationship. Either
may say no: the person stays on the waiting list, and a declined pair is never proposed again.
Emails say only that there is something to look at, never who or why.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import STAFF_ROLES
from accounts.models import Membership, User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from matching.models import MatchProposal, ProposalStatus
from matching.selectors import matching_settings
from mentoring.models import Relationship, RelationshipStatus
from mentors.models import MentorRequest, MentorRequestStatus
from referrals.models import Status
from referrals.selectors import mentee_email
from referrals.services.creating import locked_referral, set_status

REASON_MAX = 2000
EXPIRED = "This offer has expired."
ALREADY_ANSWERED = "This match has already been answered."
NO_ACCOUNT = "This person has no account yet; a coordinator needs to add an email address first."
# What stops an offer that is no longer waiting for an answer, in words for the person.
_CLOSED = {
    ProposalStatus.EXPIRED: EXPIRED,
    ProposalStatus.UNDONE: "Your coordinator has withdrawn this match.",
    ProposalStatus.REJECTED: "Your coordinator has withdrawn this match.",
    ProposalStatus.SUPERSEDED: "Your coordinator has withdrawn this match.",
}
_AFTER_MENTOR_YES = (
    ProposalStatus.WITH_MENTEE,
    ProposalStatus.ACCEPTED,
    ProposalStatus.MENTEE_DECLINED,
)


def _locked(proposal: MatchProposal) -> MatchProposal:
    return (
        MatchProposal.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentor__user", "referral", "referral__mentee", "organisation")
        .get(pk=proposal.pk)
    )


def _check_still_open(proposal: MatchProposal, expected: ProposalStatus) -> None:
    if proposal.status != expected:
        raise ValidationError(_CLOSED.get(ProposalStatus(proposal.status), ALREADY_ANSWERED))
    if proposal.respond_by is not None and timezone.now() >= proposal.respond_by:
        raise ValidationError(EXPIRED)
    if proposal.referral.status != Status.WAITING:
        raise ValidationError("This person is no longer waiting for a mentor.")


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if required and not reason:
        raise ValidationError(
            {
                "reason": "Please say a few words about why, so your coordinator can find a "
                "better match."
            }
        )
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep this to {REASON_MAX} characters or fewer."})
    return reason


def _tell_coordinators(proposal: MatchProposal, outcome: str, *, path: str = "") -> None:
    send_templated_email(
        "matching/email/people_answered_staff",
        to=coordinator_emails(proposal.organisation),
        context={
            "organisation": proposal.organisation,
            "outcome": outcome,
            "path": path or reverse("matching:proposal_detail", args=[proposal.pk]),
        },
    )


# The mentor -----------------------------------------------------------------------------------


@transaction.atomic
def proposal_mentor_respond(
    *, actor: User, proposal: MatchProposal, accept: bool, reason: str = ""
) -> MatchProposal:
    """The mentor says yes (the offer moves on to the mentee) or not this time (with a reason
    for the coordinator; the pair is not proposed again). Clicking twice changes nothing."""
    proposal = _locked(proposal)
    if proposal.mentor.user_id != actor.pk:
        raise ValidationError("Only the mentor this match was offered to can answer it.")
    if proposal.mentor_responded_at is not None and (
        (accept and proposal.status in _AFTER_MENTOR_YES)
        or (not accept and proposal.status == ProposalStatus.MENTOR_DECLINED)
    ):
        return proposal  # the same answer again
    _check_still_open(proposal, ProposalStatus.WITH_MENTOR)
    reason = _clean_reason(reason, required=not accept)
    now = timezone.now()
    proposal.mentor_responded_at = now
    proposal.status_changed_at = now
    if accept:
        settings = matching_settings(proposal.organisation)
        proposal.status = ProposalStatus.WITH_MENTEE
        proposal.respond_by = now + timedelta(days=settings.response_days)
        proposal.reminded_at = None  # the mentee gets their own reminder
    else:
        proposal.status = ProposalStatus.MENTOR_DECLINED
        proposal.decline_reason = reason
    proposal.save(
        update_fields=[
            "status",
            "status_changed_at",
            "mentor_responded_at",
            "respond_by",
            "reminded_at",
            "decline_reason",
        ]
    )
    audit_record(
        actor=actor,
        action="match.mentor_accepted" if accept else "match.mentor_declined",
        organisation=proposal.organisation,
        target=proposal,
    )
    if accept:
        _offer_to_mentee(proposal)
    else:
        _tell_coordinators(proposal, "The mentor said not this time.")
    return proposal


def _offer_to_mentee(proposal: MatchProposal) -> None:
    address = mentee_email(proposal.referral)
    if address:
        send_templated_email(
            "matching/email/people_mentee_offer",
            to=[address],
            context={
                "organisation": proposal.organisation,
                "path": reverse("matching:mentee_offer"),
                "respond_by": timezone.localtime(proposal.respond_by),
            },
        )
        _tell_coordinators(proposal, "The mentor said yes. It is now with the mentee to answer.")
    else:
        _tell_coordinators(
            proposal,
            "The mentor said yes. We cannot email the mentee about it, so please ask them by "
            "phone and record their answer.",
            path=reverse("matching:respond_for_mentee", args=[proposal.pk]),
        )


# The mentee -----------------------------------------------------------------------------------


def _may_answer_for(actor: User, proposal: MatchProposal, *, on_behalf: bool) -> bool:
    if not on_behalf:
        return proposal.referral.mentee_id is not None and proposal.referral.mentee_id == actor.pk
    return Membership.objects.filter(
        user=actor,
        organisation=proposal.organisation,
        role__in=STAFF_ROLES,
        is_active=True,
    ).exists()


@transaction.atomic
def proposal_mentee_respond(
    *,
    actor: User,
    proposal: MatchProposal,
    accept: bool,
    reason: str = "",
    on_behalf: bool = False,
) -> MatchProposal:
    """The mentee (or a coordinator recording what they said by phone) says yes, which makes the
    relationship and takes them off the waiting list, or no, which keeps their place on it.
    A reason is never required of the mentee."""
    proposal = _locked(proposal)
    if not _may_answer_for(actor, proposal, on_behalf=on_behalf):
        raise ValidationError("Only the person this match was offered to can answer it.")
    if proposal.mentee_responded_at is not None and (
        (accept and proposal.status == ProposalStatus.ACCEPTED)
        or (not accept and proposal.status == ProposalStatus.MENTEE_DECLINED)
    ):
        return proposal  # the same answer again
    _check_still_open(proposal, ProposalStatus.WITH_MENTEE)
    reason = _clean_reason(reason, required=False)
    if accept:
        _accept_for_mentee(actor, proposal)
    else:
        proposal.status = ProposalStatus.MENTEE_DECLINED
        proposal.decline_reason = reason
    now = timezone.now()
    proposal.mentee_responded_at = now
    proposal.status_changed_at = now
    proposal.save(
        update_fields=[
            "status",
            "status_changed_at",
            "mentee_responded_at",
            "relationship",
            "decline_reason",
        ]
    )
    audit_record(
        actor=actor,
        action="match.mentee_accepted" if accept else "match.mentee_declined",
        organisation=proposal.organisation,
        target=proposal,
        metadata={"on_behalf": on_behalf, "with_reason": bool(reason)},
    )
    mentor_email = proposal.mentor.user.email
    if accept:
        assert proposal.relationship is not None
        send_templated_email(
            "matching/email/people_match_confirmed",
            to=[mentor_email],
            context={
                "organisation": proposal.organisation,
                "path": reverse("matching:mentor_offer", args=[proposal.pk]),
            },
        )
        _tell_coordinators(
            proposal,
            "Both said yes: the match is confirmed. Please arrange their introduction.",
            path=reverse("matching:introduction", args=[proposal.relationship.pk]),
        )
    else:
        send_templated_email(
            "matching/email/people_mentee_declined_mentor",
            to=[mentor_email],
            context={
                "organisation": proposal.organisation,
                "path": reverse("matching:mentor_offers"),
            },
        )
        _tell_coordinators(proposal, "The mentee decided not to go ahead with this match.")
    return proposal


def _accept_for_mentee(actor: User, proposal: MatchProposal) -> None:
    referral = locked_referral(proposal.referral)
    mentee = referral.mentee
    if mentee is None:
        raise ValidationError(NO_ACCOUNT)
    if Relationship.objects.filter(
        referral=referral, status__in=RelationshipStatus.current()
    ).exists():
        raise ValidationError("This person already has a mentor.")
    proposal.relationship = Relationship.objects.create(
        organisation=proposal.organisation,
        mentor=proposal.mentor,
        mentee=mentee,
        referral=referral,
        status=RelationshipStatus.INTRODUCTION,
    )
    proposal.status = ProposalStatus.ACCEPTED
    set_status(referral, Status.MATCHED)
    _note_mentor_requests(actor, proposal, mentee)


def _note_mentor_requests(actor: User, proposal: MatchProposal, mentee: User) -> None:
    """Requests for a mentor from someone now matched have been answered by the match."""
    open_requests = MentorRequest.objects.select_for_update().filter(
        organisation=proposal.organisation, mentee=mentee, status=MentorRequestStatus.OPEN
    )
    now = timezone.now()
    for mentor_request in open_requests:
        mentor_request.status = MentorRequestStatus.NOTED
        mentor_request.handled_at = now
        mentor_request.save(update_fields=["status", "handled_at"])
        audit_record(
            actor=actor,
            action="mentor_request.noted",
            organisation=proposal.organisation,
            target=mentor_request,
            metadata={"matched": True},
        )
