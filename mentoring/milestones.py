"""Moments worth celebrating, each recorded once. Services call these after the change that
earns them; the mentee sees new ones on their pages until they have seen them."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from mentoring.models import (
    Goal,
    Milestone,
    MilestoneKind,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)


def milestone_reach(
    relationship: Relationship, kind: MilestoneKind, *, goal: Goal | None = None
) -> Milestone | None:
    """Record ``kind`` (for ``goal`` where it is about one) unless it was reached before.
    Returns the new milestone, or ``None`` if it already existed."""
    key = f"{kind}:{goal.pk}" if goal is not None else str(kind)
    if Milestone.objects.filter(relationship=relationship, key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Milestone.objects.create(
                relationship=relationship, kind=kind, key=key, goal=goal
            )
    except IntegrityError:  # reached at the same moment by another request
        return None


def halfway_reached(relationship: Relationship, now: datetime | None = None) -> bool:
    """Halfway through the programme: half the planned sessions held, or half the planned time
    passed since the relationship became active."""
    if relationship.status != RelationshipStatus.ACTIVE or relationship.activated_at is None:
        return False
    planned = relationship.planned_sessions or 0
    if planned:
        held = relationship.sessions.filter(status=SessionStatus.HELD).count()
        if held * 2 >= planned:
            return True
    if relationship.planned_end_on is not None:
        now = now or timezone.now()
        start = timezone.localtime(relationship.activated_at).date()
        middle = start + (relationship.planned_end_on - start) / 2
        return timezone.localtime(now).date() >= middle
    return False


def check_halfway(relationship: Relationship, now: datetime | None = None) -> Milestone | None:
    if halfway_reached(relationship, now):
        return milestone_reach(relationship, MilestoneKind.HALFWAY)
    return None


def unseen_milestones(relationship: Relationship) -> list[Milestone]:
    return list(relationship.milestones.filter(seen_at__isnull=True))


def milestones_mark_seen(relationship: Relationship) -> int:
    return relationship.milestones.filter(seen_at__isnull=True).update(seen_at=timezone.now())


def halfway_check_all(now: datetime | None = None) -> int:
    """Daily: celebrate "halfway" for active relationships that passed the middle of their
    planned time since yesterday (sessions held are checked when a session is logged)."""
    reached = 0
    relationships = Relationship.objects.filter(status=RelationshipStatus.ACTIVE).exclude(
        milestones__kind=MilestoneKind.HALFWAY
    )
    for relationship in relationships.iterator():
        if check_halfway(relationship, now) is not None:
            reached += 1
    return reached
