"""Reading the audit trail: who may search it, and what a search finds in one organisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from audit.models import AuditEvent


def audit_reader_membership(request: HttpRequest) -> Membership:
    """The membership of an administrator or data protection lead; anyone else gets a 404."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not (
        membership.role == Role.ADMIN or membership.is_data_protection_lead
    ):
        raise Http404
    return membership


@dataclass(frozen=True)
class AuditFilters:
    person: str = ""
    actor: str = ""
    action: str = ""
    object_type: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def as_metadata(self) -> dict[str, bool]:
        """Which filters were used (never what was typed: a name is personal data)."""
        return {
            "by_person": bool(self.person),
            "by_actor": bool(self.actor),
            "by_action": bool(self.action),
            "by_object_type": bool(self.object_type),
            "by_date": bool(self.date_from or self.date_to),
        }


def organisation_member_ids(organisation: Organisation) -> QuerySet[Membership, int]:
    return Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)


def people_matching(organisation: Organisation, text: str) -> QuerySet[User, int]:
    """Ids of the organisation's people (past or present) whose email is ``text`` or whose name
    contains it."""
    return (
        User.objects.filter(memberships__organisation=organisation)
        .filter(Q(email__iexact=text) | Q(name__icontains=text))
        .values_list("id", flat=True)
        .distinct()
    )


def audit_events_for(organisation: Organisation, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The organisation's events matching ``filters``, newest first.

    Events recorded in the organisation, and events recorded outside any organisation (signing
    in, refused pages before choosing an organisation) by or about one of its people.
    """
    members = organisation_member_ids(organisation)
    events = AuditEvent.objects.filter(
        Q(organisation=organisation)
        | (Q(organisation__isnull=True) & (Q(actor_id__in=members) | Q(person_id__in=members)))
    )
    if filters.person:
        people = people_matching(organisation, filters.person)
        events = events.filter(Q(person_id__in=people) | Q(actor_id__in=people))
    if filters.actor:
        events = events.filter(actor_id__in=people_matching(organisation, filters.actor))
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_start_of(filters.date_to + datetime.timedelta(1)))
    return events.order_by("-occurred_at", "-id")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def object_types_for(organisation: Organisation) -> list[str]:
    """The kinds of record the organisation's trail mentions, for the search's choice list."""
    return sorted(
        AuditEvent.objects.filter(organisation=organisation)
        .exclude(object_type="")
        .order_by()
        .values_list("object_type", flat=True)
        .distinct()
    )


def user_labels(user_ids: set[int]) -> dict[int, str]:
    """How to show each person in the trail: their email address (names can repeat)."""
    if not user_ids:
        return {}
    return dict(User.objects.filter(pk__in=user_ids).values_list("id", "email"))


def data_protection_lead_candidates(organisation: Organisation) -> QuerySet[Membership]:
    """Active staff of the organisation: the people who may be made data protection leads."""
    return (
        Membership.objects.filter(
            organisation=organisation, is_active=True, role__in=Role.staff_roles()
        )
        .select_related("user")
        .order_by("-is_data_protection_lead", "user__name", "user__email")
    )
