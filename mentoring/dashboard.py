"""What each person's home page shows about mentoring: the next thing to do, and counts.
Each summary is a fixed number of queries however many relationships there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Organisation, User
from mentoring.access import mentee_name
from mentoring.models import (
    Agreement,
    CheckIn,
    CheckInStatus,
    Concern,
    ExitSurvey,
    MentoringSession,
    Message,
    Milestone,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """Count rows of ``queryset`` (filtered on ``OuterRef("pk")``) as a subquery."""
    counted = queryset.order_by().values("relationship").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class PairSummary:
    """One relationship as the mentor or the mentee sees it on their home page."""

    relationship: Relationship
    name: str
    next_session_at: datetime | None
    unread: int
    needs_acknowledgement: bool
    sessions_to_log: int
    new_milestones: int


def pair_summaries(user: User, organisation: Organisation, *, as_mentor: bool) -> list[PairSummary]:
    """The person's relationships that have not ended, oldest first."""
    now = timezone.now()
    mine = Q(mentor__user=user) if as_mentor else Q(mentee=user)
    newest = Agreement.objects.filter(relationship=OuterRef("pk")).order_by("-version")
    my_ack = "mentor_acknowledged_at" if as_mentor else "mentee_acknowledged_at"
    rows = (
        Relationship.objects.filter(mine, organisation=organisation)
        .exclude(status=RelationshipStatus.ENDED)
        .select_related("mentor", "referral")
        .annotate(
            next_session_at=Min(
                "sessions__scheduled_for",
                filter=Q(sessions__status=SessionStatus.PLANNED, sessions__scheduled_for__gte=now),
            ),
            has_agreement=Exists(newest),
            my_acknowledgement=Subquery(newest.values(my_ack)[:1]),
            unread=_count(
                Message.objects.filter(relationship=OuterRef("pk"), read_at__isnull=True).exclude(
                    sender=user
                )
            ),
            to_log=_count(
                MentoringSession.objects.filter(
                    relationship=OuterRef("pk"),
                    status=SessionStatus.PLANNED,
                    scheduled_for__lt=now,
                )
            ),
            new_milestones=_count(
                Milestone.objects.filter(relationship=OuterRef("pk"), seen_at__isnull=True)
            ),
        )
        .order_by("started_at", "pk")
    )
    return [
        PairSummary(
            relationship=row,
            name=row.mentor.display_name if not as_mentor else mentee_name(row),
            next_session_at=row.next_session_at,
            unread=row.unread,
            needs_acknowledgement=row.has_agreement and row.my_acknowledgement is None,
            sessions_to_log=row.to_log if as_mentor else 0,
            new_milestones=row.new_milestones if not as_mentor else 0,
        )
        for row in rows
    ]


def latest_ended_for_mentee(user: User, organisation: Organisation) -> Relationship | None:
    return (
        Relationship.objects.filter(
            mentee=user, organisation=organisation, status=RelationshipStatus.ENDED
        )
        .order_by("-ended_at")
        .first()
    )


def open_exit_surveys_for(user: User) -> list[ExitSurvey]:
    return list(ExitSurvey.objects.filter(respondent=user, answered_at__isnull=True))


@dataclass(frozen=True)
class StaffSummary:
    introductions: int
    active: int
    closing: int
    check_ins_overdue: int
    check_ins_this_week: int
    open_concerns: int
    missed_alerts: int


def staff_summary(organisation: Organisation) -> StaffSummary:
    """Three queries: current relationships (read through the index of current ones, not every
    relationship ever), check-ins due up to a week ahead, and open concerns."""
    today = timezone.localdate()
    week_ahead = today + timedelta(days=7)
    relationships = Relationship.objects.filter(
        organisation=organisation, status__in=RelationshipStatus.current()
    ).aggregate(
        introductions=Count("pk", filter=Q(status=RelationshipStatus.INTRODUCTION)),
        active=Count("pk", filter=Q(status=RelationshipStatus.ACTIVE)),
        closing=Count("pk", filter=Q(status=RelationshipStatus.CLOSING)),
        missed_alerts=Count("pk", filter=Q(missed_alert_at__isnull=False)),
    )
    due = CheckIn.objects.filter(
        relationship__organisation=organisation, status=CheckInStatus.DUE, due_on__lte=week_ahead
    ).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        this_week=Count("pk", filter=Q(due_on__gte=today)),
    )
    return StaffSummary(
        introductions=relationships["introductions"],
        active=relationships["active"],
        closing=relationships["closing"],
        check_ins_overdue=due["overdue"],
        check_ins_this_week=due["this_week"],
        open_concerns=Concern.objects.filter(
            relationship__organisation=organisation, resolved_at__isnull=True
        ).count(),
        missed_alerts=relationships["missed_alerts"],
    )


def supervisor_flagged_count(user: User, organisation: Organisation) -> int:
    """Sessions flagged with a concern by mentors ``user`` supervises, not yet seen."""
    return MentoringSession.objects.filter(
        relationship__organisation=organisation,
        relationship__mentor__supervisor=user,
        concern=True,
        concern_seen_at__isnull=True,
    ).count()
