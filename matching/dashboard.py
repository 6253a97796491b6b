"""What mentors and mentees see of a match: the offer pages, the API and their home pages use
these, so all show the same things. Pure reads.

A mentor sees what they need to decide (first name, what the person would like support with,
how and when they can meet, the general area), never contact details. A mentee sees the mentor's
public profile only. Both see the reasons in words that say nothing private about the other
person: the mentor's age or gender, or a preference that was not met, stay with the coordinator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import Organisation, SupportArea, User
from matching.models import MatchProposal, Origin, ProposalStatus
from matching.selectors import (
    offers_for_mentee,
    offers_for_mentor,
    offers_sent_to_mentor,
    proposals_for_mentee,
)
from mentoring.models import Relationship, RelationshipStatus
from mentors.models import Format, MentorProfile
from mentors.views.profiles import PublicProfile, public_profile
from referrals.availability import slot_labels
from referrals.models import Referral, Status

# Reasons the engine gives that are about what the two share, and so fine for either to read.
_SHAREABLE_REASONS = ("Shares lived experience of", "Both free on", "Speaks", "Can meet")
_FORMAT_LABELS = dict(Format.choices)

MENTOR_STATUS_TEXT = {
    ProposalStatus.WITH_MENTOR: "Waiting for your answer",
    ProposalStatus.WITH_MENTEE: "You said yes; waiting for them to answer",
    ProposalStatus.ACCEPTED: "Match confirmed",
    ProposalStatus.MENTOR_DECLINED: "You said not this time",
    ProposalStatus.MENTEE_DECLINED: "Did not go ahead",
    ProposalStatus.EXPIRED: "Closed: the time to answer passed",
    ProposalStatus.UNDONE: "Withdrawn by your coordinator",
    ProposalStatus.REJECTED: "Withdrawn by your coordinator",
}
MENTEE_STATUS_TEXT = {
    ProposalStatus.WITH_MENTEE: "Waiting for your answer",
    ProposalStatus.ACCEPTED: "You said yes",
    ProposalStatus.MENTEE_DECLINED: "You said you would rather not",
    ProposalStatus.EXPIRED: "Closed: the time to answer passed",
    ProposalStatus.UNDONE: "Withdrawn by your coordinator",
}


def shareable_reasons(reasons: Iterable[str]) -> list[str]:
    return [reason for reason in reasons if reason.startswith(_SHAREABLE_REASONS)]


def first_name(referral: Referral) -> str:
    """What to call the person: the name they asked to be called, or their first name."""
    if referral.preferred_name.strip():
        return referral.preferred_name.strip()
    parts = referral.full_name.split()
    return parts[0] if parts else "them"


def _is_open(proposal: MatchProposal, status: ProposalStatus, now: datetime) -> bool:
    return (
        proposal.status == status
        and (proposal.respond_by is None or proposal.respond_by > now)
        and proposal.referral.status == Status.WAITING
    )


def _status_text(
    proposal: MatchProposal, texts: dict[ProposalStatus, str], can_answer: bool
) -> str:
    status = ProposalStatus(proposal.status)
    if status in ProposalStatus.holding_capacity() and not can_answer:
        return "No longer open"  # past its date, before the daily upkeep closes it
    return texts.get(status, proposal.get_status_display())


# The mentor's side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenteeSummary:
    first_name: str
    support_areas: list[str]
    languages: list[str]
    formats: list[str]
    availability: list[str]
    area: str


@dataclass(frozen=True)
class OfferForMentor:
    proposal: MatchProposal
    mentee: MenteeSummary
    reasons: list[str]
    status_text: str
    can_answer: bool
    respond_by: datetime | None
    current_mentees: int
    capacity: int
    relationship: Relationship | None


def mentor_offers_queryset(user: User, organisation: Organisation) -> QuerySet[MatchProposal]:
    """The mentor's offers with everything the pages show, in a fixed number of queries."""
    return (
        offers_for_mentor(user, organisation)
        .select_related("relationship")
        .prefetch_related("referral__support_areas", "referral__languages")
    )


@dataclass(frozen=True)
class ListedOffer:
    """An offer as the mentor's list shows it: whom with, what they would like support with,
    and where it stands."""

    proposal: MatchProposal
    first_name: str
    support_areas: list[str]
    status_text: str
    can_answer: bool


def mentor_offer_list(
    user: User, organisation: Organisation, *, now: datetime | None = None
) -> list[ListedOffer]:
    """The mentor's offers for their list, reading only what the list shows (no contact
    details, nothing encrypted, not the mentor's own load)."""
    proposals = (
        offers_for_mentor(user, organisation)
        .select_related(None)
        .select_related("referral")
        .only(
            "status",
            "respond_by",
            "status_changed_at",
            "referral__status",
            "referral__full_name",
            "referral__preferred_name",
        )
        .prefetch_related(
            Prefetch("referral__support_areas", queryset=SupportArea.objects.only("name"))
        )
    )
    now = now or timezone.now()
    listed = []
    for proposal in proposals:
        can_answer = _is_open(proposal, ProposalStatus.WITH_MENTOR, now)
        listed.append(
            ListedOffer(
                proposal=proposal,
                first_name=first_name(proposal.referral),
                support_areas=[area.name for area in proposal.referral.support_areas.all()],
                status_text=_status_text(proposal, MENTOR_STATUS_TEXT, can_answer),
                can_answer=can_answer,
            )
        )
    return listed


def current_mentee_count(profile: MentorProfile) -> int:
    return Relationship.objects.filter(
        mentor=profile, status__in=RelationshipStatus.current()
    ).count()


def offer_for_mentor(
    proposal: MatchProposal, *, current_mentees: int, now: datetime | None = None
) -> OfferForMentor:
    referral = proposal.referral
    can_answer = _is_open(proposal, ProposalStatus.WITH_MENTOR, now or timezone.now())
    return OfferForMentor(
        proposal=proposal,
        mentee=MenteeSummary(
            first_name=first_name(referral),
            support_areas=[area.name for area in referral.support_areas.all()],
            languages=[language.name for language in referral.languages.all()],
            formats=[_FORMAT_LABELS.get(value, value) for value in referral.formats],
            availability=slot_labels(referral.availability_slots),
            area=referral.area,
        ),
        reasons=shareable_reasons(proposal.reasons),
        status_text=_status_text(proposal, MENTOR_STATUS_TEXT, can_answer),
        can_answer=can_answer,
        respond_by=proposal.respond_by,
        current_mentees=current_mentees,
        capacity=proposal.mentor.capacity,
        relationship=proposal.relationship,
    )


# The mentee's side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferForMentee:
    proposal: MatchProposal
    mentor: PublicProfile
    reasons: list[str]
    status_text: str
    can_answer: bool
    respond_by: datetime | None
    asked_for_this_mentor: bool
    relationship: Relationship | None


def mentee_offers_queryset(user: User, organisation: Organisation) -> QuerySet[MatchProposal]:
    return (
        offers_for_mentee(user, organisation)
        .select_related("relationship")
        .prefetch_related(
            "mentor__lived_experience_areas",
            "mentor__languages",
            "mentor__availability_slots",
        )
    )


def offer_for_mentee(proposal: MatchProposal, *, now: datetime | None = None) -> OfferForMentee:
    can_answer = _is_open(proposal, ProposalStatus.WITH_MENTEE, now or timezone.now())
    return OfferForMentee(
        proposal=proposal,
        mentor=public_profile(proposal.mentor),
        reasons=shareable_reasons(proposal.reasons),
        status_text=_status_text(proposal, MENTEE_STATUS_TEXT, can_answer),
        can_answer=can_answer,
        respond_by=proposal.respond_by,
        asked_for_this_mentor=proposal.origin == Origin.REQUEST,
        relationship=proposal.relationship,
    )


def mentee_current_offer(user: User, organisation: Organisation) -> MatchProposal | None:
    """The offer waiting for the mentee's answer, or else the latest one that reached them."""
    return mentee_offers_queryset(user, organisation).first()


# For the home pages -----------------------------------------------------------------------------


def mentor_offer_count(user: User, organisation: Organisation) -> int:
    """How many matches are waiting for this mentor's answer ("You have 1 match to look at")."""
    return (
        offers_sent_to_mentor(user, organisation)
        .filter(status=ProposalStatus.WITH_MENTOR, respond_by__gt=timezone.now())
        .count()
    )


def mentee_offer(user: User, organisation: Organisation) -> MatchProposal | None:
    """The match waiting for this mentee's answer, if any ("A mentor has been suggested for
    you"), with only its ``respond_by`` read: it says until when."""
    return (
        proposals_for_mentee(user.pk, organisation)
        .select_related(None)
        .filter(status=ProposalStatus.WITH_MENTEE, respond_by__gt=timezone.now())
        .order_by("-status_changed_at", "-pk")
        .only("respond_by")
        .first()
    )


# What the home pages show of an introduction meeting.
INTRODUCTION_FIELDS = (
    "introduction_at",
    "introduction_format",
    "introduction_place",
    "coordinator_present",
)


def upcoming_introductions(user: User, organisation: Organisation) -> list[Relationship]:
    """Introduction meetings arranged for this person, as mentor or mentee, soonest first (only
    what the home pages show of them is read)."""
    # Each side reads its own index; one OR across the join to the mentor's profile would read
    # every current relationship in the organisation.
    arranged = Relationship.objects.filter(
        organisation=organisation,
        status=RelationshipStatus.INTRODUCTION,
        introduction_at__gte=timezone.now(),
    ).only(*INTRODUCTION_FIELDS)
    as_mentor = arranged.filter(mentor__user=user).order_by()
    as_mentee = arranged.filter(mentee=user).order_by()
    return list(as_mentor.union(as_mentee).order_by("introduction_at"))
