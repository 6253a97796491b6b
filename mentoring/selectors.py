"""Reads shared by the mentoring pages, API and services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Organisation, User
from mentoring.models import (
    Agreement,
    Goal,
    GoalStatus,
    MentoringSession,
    MentoringSettings,
    Message,
    Relationship,
    RelationshipStatus,
    SessionStatus,
    Step,
    StrengthNote,
)
from mentoring.safety import recently_serious


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


@dataclass(frozen=True)
class OverviewFigures:
    """The counts on a relationship's overview; the pair's own ones are None for others."""

    progress: GoalProgress
    unread: int | None  # messages to the viewer not opened yet
    strength_count: int | None
    mentee_wrote_something_serious: bool  # asked only for the mentor


def count_of(queryset: QuerySet[Any]) -> Subquery:
    """How many rows of ``queryset`` (filtered on ``OuterRef("pk")``), as a subquery: a plain
    ``COUNT``, 0 when there are none, with no grouping to compile."""
    return Subquery(
        queryset.order_by().values(n=Func("pk", function="COUNT", output_field=IntegerField()))
    )


def overview_figures(
    relationship: Relationship, viewer_id: int, *, in_pair: bool, is_mentor: bool
) -> OverviewFigures:
    """Goals reached and steps done (goals set aside left out), and for the pair unread
    messages and strengths notes, and for the mentor whether their mentee wrote something
    serious lately: one query, not five."""
    this = OuterRef("pk")
    goals = Goal.objects.filter(relationship=this).exclude(status=GoalStatus.SET_ASIDE)
    steps = Step.objects.filter(relationship=this).exclude(goal__status=GoalStatus.SET_ASIDE)
    figures: dict[str, Any] = {
        "goal_total": count_of(goals),
        "goals_reached": count_of(goals.filter(status=GoalStatus.REACHED)),
        "step_total": count_of(steps),
        "steps_done": count_of(steps.filter(done_at__isnull=False)),
    }
    if in_pair:
        unread = Message.objects.filter(relationship=this, read_at__isnull=True)
        figures["unread"] = count_of(unread.exclude(sender_id=viewer_id))
        figures["strength_count"] = count_of(StrengthNote.objects.filter(relationship=this))
    if is_mentor:
        figures["serious"] = Exists(
            Message.objects.filter(
                recently_serious(), relationship=this, sender_id=OuterRef("mentee_id")
            )
        )
    found = (
        Relationship.objects.filter(pk=relationship.pk).annotate(**figures).values(*figures).get()
    )
    return OverviewFigures(
        progress=GoalProgress(
            goals=found["goal_total"],
            reached=found["goals_reached"],
            steps=found["step_total"],
            steps_done=found["steps_done"],
        ),
        unread=found.get("unread"),
        strength_count=found.get("strength_count"),
        mentee_wrote_something_serious=bool(found.get("serious")),
    )
