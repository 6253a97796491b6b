"""Reads shared by the mentoring pages, API and services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Organisation, User
from mentoring.models import (
    Agreement,
    MentoringSession,
    MentoringSettings,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)


def mentoring_settings(organisation: Organisation) -> MentoringSettings:
    """The organisation's settings, or the defaults (unsaved) if it never changed them."""
    found = MentoringSettings.objects.filter(organisation=organisation).first()
    return found if found is not None else MentoringSettings(organisation=organisation)


def current_relationship_of(
    mentee: User, organisation_id: int | None = None
) -> Relationship | None:
    """The mentee's current relationship (the latest, if somehow more than one), optionally
    only in one organisation; with its mentor, supervisor and referral."""
    relationships = Relationship.objects.filter(
        mentee=mentee, status__in=RelationshipStatus.current()
    )
    if organisation_id is not None:
        relationships = relationships.filter(organisation_id=organisation_id)
    return (
        relationships.select_related(
            "mentor__user", "mentor__supervisor", "referral", "organisation"
        )
        .order_by("-started_at", "-pk")
        .first()
    )


def current_agreement(relationship: Relationship) -> Agreement | None:
    """The newest version of the pair's agreement, if they have made one."""
    return relationship.agreements.order_by("-version").first()


def default_end_on(organisation: Organisation, start: date | None = None) -> date:
    weeks = mentoring_settings(organisation).planned_weeks
    return (start or timezone.localdate()) + timedelta(weeks=weeks)


def held_sessions(relationship: Relationship) -> int:
    return relationship.sessions.filter(status=SessionStatus.HELD).count()


def next_session(relationship: Relationship) -> MentoringSession | None:
    return (
        relationship.sessions.filter(
            status=SessionStatus.PLANNED, scheduled_for__gte=timezone.now()
        )
        .order_by("scheduled_for")
        .first()
    )


def unread_messages(relationship: Relationship, user_id: int) -> int:
    """Messages to ``user_id`` in this relationship they have not opened yet."""
    return relationship.messages.filter(read_at__isnull=True).exclude(sender_id=user_id).count()


@dataclass(frozen=True)
class GoalProgress:
    goals: int
    reached: int
    steps: int
    steps_done: int


def goal_progress(relationship: Relationship) -> GoalProgress:
    from mentoring.models import GoalStatus

    goals = relationship.goals.exclude(status=GoalStatus.SET_ASIDE).aggregate(
        total=Count("pk"), reached=Count("pk", filter=Q(status=GoalStatus.REACHED))
    )
    steps = relationship.steps.exclude(goal__status=GoalStatus.SET_ASIDE).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False))
    )
    return GoalProgress(
        goals=goals["total"],
        reached=goals["reached"],
        steps=steps["total"],
        steps_done=steps["done"],
    )
