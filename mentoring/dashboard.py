"""What each person's home page shows about mentoring: the next thing to do, and counts.
Each summary is a fixed number of queries however many relationships there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)
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
from mentoring.selectors import count_of


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
    """The person's relationships that have not ended, oldest first. One query of a few
    columns, and only the figures this side of the pair is shown (a mentor's sessions to log,
    a mentee's milestones): compiling the query was most of the cost."""
    now = timezone.now()
    planned = MentoringSession.objects.filter(
        relationship=OuterRef("pk"), status=SessionStatus.PLANNED
    ).order_by()
    my_acknowledgement = "mentor_acknowledged_at" if as_mentor else "mentee_acknowledged_at"
    waiting_for_me = ExpressionWrapper(
        Q(**{f"{my_acknowledgement}__isnull": True}), output_field=BooleanField()
    )
    side_count = (
        {"to_log": count_of(planned.filter(scheduled_for__lt=now))}
        if as_mentor
        else {
            "new_milestones": count_of(
                Milestone.objects.filter(relationship=OuterRef("pk"), seen_at__isnull=True)
            )
        }
    )
    rows = (
        Relationship.objects.filter(
            Q(mentor__user=user) if as_mentor else Q(mentee=user), organisation=organisation
        )
        .exclude(status=RelationshipStatus.ENDED)
        .select_related("referral" if as_mentor else "mentor")
        .only(
            *(
                ("status", "referral__full_name", "referral__preferred_name")
                if as_mentor
                else ("status", "mentor__display_name")
            )
        )
        .annotate(
            next_session_at=Subquery(
                planned.filter(scheduled_for__gte=now)
                .order_by("scheduled_for")
                .values("scheduled_for")[:1]
            ),
            # The newest agreement waits for me; none when there is no agreement yet.
            needs_acknowledgement=Subquery(
                Agreement.objects.filter(relationship=OuterRef("pk"))
                .order_by("-version")
                .values(waiting=waiting_for_me)[:1]
            ),
            unread=count_of(
                Message.objects.filter(relationship=OuterRef("pk"), read_at__isnull=True).exclude(
                    sender=user
                )
            ),
        )
        .annotate(**side_count)
        .order_by("started_at", "pk")
    )
    return [
        PairSummary(
            relationship=row,
            name=mentee_name(row) if as_mentor else row.mentor.display_name,
            next_session_at=row.next_session_at,
            unread=row.unread,
            needs_acknowledgement=bool(row.needs_acknowledgement),
            # Only this side's figure was counted (``side_count``).
            sessions_to_log=getattr(row, "to_log", 0),
            new_milestones=getattr(row, "new_milestones", 0),
        )
        for row in rows
    ]


def latest_ended_for_mentee(user: User, organisation: Organisation) -> Relationship | None:
    """The home page links to it; nothing else of it is read."""
    return (
        Relationship.objects.filter(
            mentee=user, organisation=organisation, status=RelationshipStatus.ENDED
        )
        .only("pk")
        .order_by("-ended_at")
        .first()
    )


def open_exit_surveys_for(user: User) -> list[ExitSurvey]:
    """The home page links to each; their answers (encrypted) are not read."""
    return list(
        ExitSurvey.objects.filter(respondent=user, answered_at__isnull=True).only("pk", "sent_at")
    )


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
        organisation=organisation, status=CheckInStatus.DUE, due_on__lte=week_ahead
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
