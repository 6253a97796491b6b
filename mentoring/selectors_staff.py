"""Reads for the coordinator's side of mentoring: every relationship of the organisation with
what needs attention, the check-ins that are due, and the concerns a viewer may see. Lists
annotate their counts in one query, so the number of queries does not grow with the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Subquery
from django.db.models.expressions import OuterRef
from django.utils import timezone

from accounts.models import Organisation
from mentoring.access import RelationshipAccess
from mentoring.models import (
    CheckIn,
    CheckInStatus,
    Concern,
    MentoringSession,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)
from mentoring.selectors import count_of
from mentoring.services.checkins import DUE_SOON_DAYS

ENDING_SOON_DAYS = 14

STATUS_FILTER = {
    "current": Q(status__in=RelationshipStatus.current()),
    "introduction": Q(status=RelationshipStatus.INTRODUCTION),
    "active": Q(status=RelationshipStatus.ACTIVE),
    "ending": Q(status=RelationshipStatus.CLOSING),
    "ended": Q(status=RelationshipStatus.ENDED),
    "all": Q(),
}


def _attention_filters(today: date) -> dict[str, Q]:
    current = Q(status__in=RelationshipStatus.current())
    filters = {
        "overdue": Q(next_check_in_on__lt=today),
        "concerns": Q(open_concerns__gt=0),
        "missed": current & Q(missed_alert_at__isnull=False),
        "ending_soon": current & Q(planned_end_on__lte=today + timedelta(days=ENDING_SOON_DAYS)),
    }
    any_of = Q()
    for condition in filters.values():
        any_of |= condition
    return {**filters, "any": any_of}


def relationships_for_staff(
    relationships: QuerySet[Relationship], *, status: str = "current", attention: str = ""
) -> QuerySet[Relationship]:
    """``relationships`` (from ``access.relationships_for``) with sessions held, the next
    check-in due and open concerns counted alongside, narrowed to ``status`` and ``attention``
    (see the filters on the relationships page)."""
    today = timezone.localdate()
    due = CheckIn.objects.filter(relationship=OuterRef("pk"), status=CheckInStatus.DUE)
    queryset = relationships.annotate(
        held_count=count_of(
            MentoringSession.objects.filter(relationship=OuterRef("pk"), status=SessionStatus.HELD)
        ),
        open_concerns=count_of(
            Concern.objects.filter(relationship=OuterRef("pk"), resolved_at__isnull=True)
        ),
        next_check_in_on=Subquery(due.order_by("due_on").values("due_on")[:1]),
    ).filter(STATUS_FILTER.get(status, STATUS_FILTER["current"]))
    condition = _attention_filters(today).get(attention)
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset.order_by("-started_at", "-pk")


@dataclass(frozen=True)
class Timing:
    """When a check-in is due, said in words (never by colour alone)."""

    group: str  # "overdue", "soon" or "later"
    text: str

    @property
    def is_overdue(self) -> bool:
        return self.group == "overdue"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _day(on: date) -> str:
    return f"{on.day} {on:%B}"


def timing(due_on: date, today: date | None = None) -> Timing:
    today = today or timezone.localdate()
    days = (due_on - today).days
    if days < 0:
        return Timing("overdue", f"Overdue by {_days(-days)} (due {_day(due_on)})")
    if days == 0:
        return Timing("soon", "Due today")
    if days <= DUE_SOON_DAYS:
        return Timing("soon", f"Due in {_days(days)} ({_day(due_on)})")
    return Timing("later", f"Due on {_day(due_on)} {due_on.year}")


def due_check_ins(organisation: Organisation) -> QuerySet[CheckIn]:
    """Every check-in still to do in the organisation, soonest (so overdue) first: a page of
    them is read from the organisation's index of due check-ins."""
    return (
        CheckIn.objects.filter(organisation=organisation, status=CheckInStatus.DUE)
        .select_related("relationship__mentor", "relationship__referral")
        .order_by("due_on", "pk")
    )


def due_check_ins_count(organisation: Organisation) -> int:
    """How many check-ins are still to do in the organisation, counted from its index alone."""
    return CheckIn.objects.filter(organisation=organisation, status=CheckInStatus.DUE).count()


def concerns_visible_to(access: RelationshipAccess) -> QuerySet[Concern]:
    """Staff see every concern of the relationship; each of the pair sees only the ones they
    raised themselves; nobody else sees any."""
    concerns = access.relationship.concerns.select_related("resolved_by")
    if access.is_staff:
        return concerns
    if access.is_mentor or access.is_mentee:
        return concerns.filter(raised_by=access.user)
    return concerns.none()
