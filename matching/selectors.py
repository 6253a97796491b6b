"""Reads for matching, scoped to one organisation; 404 for anything outside it."""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import Organisation, User
from matching.models import MatchingSettings, MatchProposal, MatchRun, Place, ProposalStatus
from mentoring.models import Relationship, RelationshipStatus
from mentors.models import MentorProfile
from mentors.selectors import certified_available_profiles
from referrals.models import Referral, Status


def matching_settings(organisation: Organisation) -> MatchingSettings:
    """The organisation's settings, or the defaults (unsaved): reading them never writes."""
    found = MatchingSettings.objects.filter(organisation=organisation).first()
    return found or MatchingSettings(organisation=organisation)


def _count(model: type[Relationship] | type[MatchProposal], condition: Q) -> Coalesce:
    counted = (
        model.objects.filter(condition, mentor=OuterRef("pk"))
        .order_by()
        .values("mentor")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def profiles_with_room(organisation: Organisation) -> QuerySet[MentorProfile]:
    """Certified, available mentors, each annotated with ``places_left``: capacity minus current
    relationships minus proposals still on their way (which keep a place until answered)."""
    return (
        certified_available_profiles(organisation)
        .annotate(
            current_relationships=_count(Relationship, Q(status__in=RelationshipStatus.current())),
            live_proposals=_count(MatchProposal, Q(status__in=ProposalStatus.live())),
        )
        .select_related("user")
    )


def mentors_with_places_count(organisation: Organisation) -> int:
    """How many of ``profiles_with_room`` have a place left, in one query.

    Current relationships and proposals on their way are each counted per mentor once, straight
    from their partial indexes, and joined to the mentors by id: grouping the mentors joined to
    their relationships (or asking per mentor) sorted or looked up thousands of rows more."""
    listed = certified_available_profiles(organisation).values(
        profile_id=F("pk"), places=F("capacity")
    )
    held = [
        taken.values("mentor_id").annotate(held=Count("*")).order_by()
        for taken in (
            Relationship.objects.filter(status__in=RelationshipStatus.current()),
            MatchProposal.objects.filter(status__in=ProposalStatus.live()),
        )
    ]
    compiled = [queryset.query.sql_with_params() for queryset in (listed.order_by(), *held)]
    listed_sql, relationships_sql, proposals_sql = (sql for sql, _ in compiled)
    sql = (
        f"SELECT COUNT(*) FROM ({listed_sql}) listed"  # noqa: S608 - SQL the ORM wrote
        f" LEFT JOIN ({relationships_sql}) relationships"
        " ON relationships.mentor_id = listed.profile_id"
        f" LEFT JOIN ({proposals_sql}) proposals ON proposals.mentor_id = listed.profile_id"
        " WHERE listed.places > COALESCE(relationships.held, 0) + COALESCE(proposals.held, 0)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for _, params in compiled for value in params])
        (count,) = cursor.fetchone()
    return int(count)


def places_left(profile: MentorProfile) -> int:
    used = getattr(profile, "current_relationships", 0) + getattr(profile, "live_proposals", 0)
    return max(profile.capacity - used, 0)


def referrals_to_match(organisation: Organisation) -> QuerySet[Referral]:
    """Everyone waiting who has no proposal on its way."""
    return (
        Referral.objects.filter(organisation=organisation, status=Status.WAITING)
        .exclude(
            pk__in=MatchProposal.objects.filter(status__in=ProposalStatus.live()).values("referral")
        )
        .prefetch_related("support_areas", "languages")
        .order_by("waiting_since", "pk")
    )


def declined_pairs(organisation: Organisation) -> list[tuple[int, int]]:
    """(referral id, mentor profile id) pairs that were rejected or declined: never again."""
    return list(
        MatchProposal.objects.filter(
            organisation=organisation, status__in=ProposalStatus.declined()
        ).values_list("referral_id", "mentor_id")
    )


def place_coordinates(organisation: Organisation) -> dict[str, tuple[float, float]]:
    """Lower-cased place name -> (latitude, longitude)."""
    return {
        name.lower(): (latitude, longitude)
        for name, latitude, longitude in Place.objects.filter(
            organisation=organisation
        ).values_list("name", "latitude", "longitude")
    }


def proposals_for_staff(organisation: Organisation) -> QuerySet[MatchProposal]:
    return MatchProposal.objects.filter(organisation=organisation).select_related(
        "referral", "mentor", "run"
    )


def get_proposal_for_staff(organisation: Organisation, pk: int) -> MatchProposal:
    try:
        return proposals_for_staff(organisation).get(pk=pk)
    except MatchProposal.DoesNotExist:
        raise Http404 from None


def get_run_for_staff(organisation: Organisation, pk: int) -> MatchRun:
    try:
        return MatchRun.objects.get(organisation=organisation, pk=pk)
    except MatchRun.DoesNotExist:
        raise Http404 from None


def latest_run(organisation: Organisation) -> MatchRun | None:
    return (
        MatchRun.objects.filter(organisation=organisation)
        .select_related("started_by")
        .order_by("-created_at")
        .first()
    )


def proposals_for_mentor(
    profile_user_id: int, organisation: Organisation
) -> QuerySet[MatchProposal]:
    """Proposals offered to this mentor (not those still with the coordinator)."""
    return (
        MatchProposal.objects.filter(
            organisation=organisation,
            mentor__user_id=profile_user_id,
        )
        .exclude(status__in=[ProposalStatus.PROPOSED, ProposalStatus.SUPERSEDED])
        .select_related("referral", "mentor")
    )


def proposals_for_mentee(mentee_id: int, organisation: Organisation) -> QuerySet[MatchProposal]:
    """Proposals that have reached this mentee (the mentor said yes first)."""
    return MatchProposal.objects.filter(
        organisation=organisation,
        referral__mentee_id=mentee_id,
        mentor_responded_at__isnull=False,
        status__in=[
            ProposalStatus.WITH_MENTEE,
            ProposalStatus.ACCEPTED,
            ProposalStatus.MENTEE_DECLINED,
            ProposalStatus.EXPIRED,
            ProposalStatus.UNDONE,
        ],
    ).select_related("referral", "mentor")


# The people side: offers as the mentor and the mentee see them (helper H2) ---------------------


def offers_sent_to_mentor(user: User, organisation: Organisation) -> QuerySet[MatchProposal]:
    """Proposals a coordinator approved and sent to this mentor, in no particular order."""
    return proposals_for_mentor(user.pk, organisation).filter(approved_at__isnull=False)


def offers_for_mentor(user: User, organisation: Organisation) -> QuerySet[MatchProposal]:
    """Offers a coordinator sent to this mentor: open ones first, then the rest, newest first.
    Pairs the coordinator rejected before sending never reached the mentor, so they are left out.
    """
    return (
        offers_sent_to_mentor(user, organisation)
        .annotate(
            open_first=Case(
                When(status=ProposalStatus.WITH_MENTOR, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-status_changed_at", "-pk")
    )


def get_offer_for_mentor(user: User, organisation: Organisation, pk: int) -> MatchProposal:
    try:
        return offers_for_mentor(user, organisation).get(pk=pk)
    except MatchProposal.DoesNotExist:
        raise Http404 from None


def offers_for_mentee(user: User, organisation: Organisation) -> QuerySet[MatchProposal]:
    """Offers that reached this mentee: the one waiting for them first, then newest first."""
    return (
        proposals_for_mentee(user.pk, organisation)
        .annotate(
            open_first=Case(
                When(status=ProposalStatus.WITH_MENTEE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-status_changed_at", "-pk")
    )


def get_offer_for_mentee(user: User, organisation: Organisation, pk: int) -> MatchProposal:
    try:
        return offers_for_mentee(user, organisation).get(pk=pk)
    except MatchProposal.DoesNotExist:
        raise Http404 from None


def get_relationship_for_staff(organisation: Organisation, pk: int) -> Relationship:
    try:
        return Relationship.objects.select_related("mentor", "mentee", "referral").get(
            organisation=organisation, pk=pk
        )
    except Relationship.DoesNotExist:
        raise Http404 from None
