"""The ending: what is left to do before a planned ending, starting it, closing the relationship
(planned or not), and the record the mentee takes away with them.

Starting and closing go through ``relationship_begin_ending`` and ``relationship_end`` in
``lifecycle``; these wrappers add who may do it and a clear "already ended" refusal, so the
pages and the API refuse the same things in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format

from accounts.access import STAFF_ROLES
from accounts.models import Membership, User
from audit.services import audit_record
from mentoring.models import (
    CheckIn,
    CheckInKind,
    CheckInStatus,
    EndReason,
    Goal,
    MentoringSession,
    Relationship,
    RelationshipStatus,
    SessionStatus,
    Step,
    WellbeingPlan,
)
from mentoring.selectors import current_agreement
from mentoring.services.lifecycle import (
    locked_relationship,
    relationship_begin_ending,
    relationship_end,
)

ALREADY_ENDED = "This relationship has already ended, so nothing was changed."
NOTE_MAX = 2000

# Shown beside each reason on the closing form: what the reason means, so it is chosen the same
# way by every coordinator.
REASON_HELP: dict[str, str] = {
    EndReason.END_DATE_REACHED: "The agreed number of sessions or the planned end date came.",
    EndReason.GOALS_MET: "The mentee reached what they set out to do and is ready to go on alone.",
    EndReason.MOVED_AWAY: "The mentee moved and cannot carry on here.",
    EndReason.STOPPED_ENGAGING: "Sessions stopped happening and the mentee did not reply to us.",
    EndReason.MENTEE_CHOSE: "The mentee decided to stop. They do not have to give a reason.",
    EndReason.MENTOR_LEFT: "The mentor stepped down or can no longer mentor.",
    EndReason.REMATCH: "The mentee goes back to the top of the waiting list for a new mentor.",
    EndReason.SAFEGUARDING: "The mentee needs more support than peer mentoring can give.",
    EndReason.OTHER: "Add a short note to say what happened.",
}


def is_staff_of(user: User, relationship: Relationship) -> bool:
    return Membership.objects.filter(
        user=user,
        organisation_id=relationship.organisation_id,
        role__in=STAFF_ROLES,
        is_active=True,
    ).exists()


# The checklist -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    detail: str
    # False for things Alongside cannot see yet (the final questionnaires).
    trackable: bool = True


@dataclass(frozen=True)
class EndingChecklist:
    """Where a relationship is on its way to a good ending."""

    status: str
    planned_end_on: date | None
    planned_sessions: int | None
    sessions_held: int
    final_session: MentoringSession | None
    plan: WellbeingPlan | None
    exit_conversation_held: bool
    follow_up_on: date | None
    items: tuple[ChecklistItem, ...] = field(default=())

    @property
    def final_session_scheduled(self) -> bool:
        return self.final_session is not None

    @property
    def final_session_held(self) -> bool:
        return self.final_session is not None and self.final_session.status == SessionStatus.HELD

    @property
    def plan_started(self) -> bool:
        return self.plan is not None and self.plan.pk is not None

    @property
    def plan_ready(self) -> bool:
        return self.plan is not None and self.plan.ready_at is not None

    @property
    def outstanding(self) -> list[ChecklistItem]:
        """What the pair can still do before the coordinator closes the relationship."""
        return [
            item
            for item in self.items
            if item.trackable and not item.done and item.key != "exit_conversation"
        ]

    @property
    def complete(self) -> bool:
        return not self.outstanding


# Lines other parts of the programme add to the checklist, after the final session (the outcomes
# app adds the final questionnaires). Each is called with the relationship and returns a line, or
# None when it has nothing to add; each should cost a fixed number of queries.
CHECKLIST_CONTRIBUTORS: list[Callable[[Relationship], ChecklistItem | None]] = []


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def _final_session_item(final: MentoringSession | None) -> ChecklistItem:
    if final is None:
        detail = "Not planned yet. When you plan your last session, mark it as the final one."
    elif final.status == SessionStatus.HELD:
        detail = f"Held on {_day(final.scheduled_for)}."
    else:
        detail = f"Planned for {_day(final.scheduled_for)}."
    return ChecklistItem(
        "final_session",
        "A final session together",
        final is not None and final.status == SessionStatus.HELD,
        detail,
    )


def _plan_item(plan: WellbeingPlan | None) -> ChecklistItem:
    if plan is not None and plan.ready_at is not None:
        detail = f"Marked ready on {_day(plan.ready_at)}."
    elif plan is not None:
        detail = "Started. The mentee marks it ready when it feels right."
    else:
        detail = "Not started yet."
    return ChecklistItem(
        "plan",
        "The wellbeing and independence plan",
        plan is not None and plan.ready_at is not None,
        detail,
    )


def ending_checklist(relationship: Relationship) -> EndingChecklist:
    """What is done and what is left for a good ending. A fixed number of queries."""
    agreement = current_agreement(relationship)
    counts = relationship.sessions.aggregate(
        held=Count("pk", filter=Q(status=SessionStatus.HELD)),
    )
    final = (
        relationship.sessions.filter(
            is_final=True, status__in=[SessionStatus.PLANNED, SessionStatus.HELD]
        )
        .order_by("-scheduled_for", "-pk")
        .first()
    )
    plan = WellbeingPlan.objects.filter(relationship=relationship).first()
    follow_up = (
        CheckIn.objects.filter(relationship=relationship, kind=CheckInKind.FOLLOW_UP)
        .exclude(status=CheckInStatus.NOT_NEEDED)
        .order_by("due_on")
        .first()
    )
    contributed = [contribute(relationship) for contribute in CHECKLIST_CONTRIBUTORS]
    items = (
        _final_session_item(final),
        *(item for item in contributed if item is not None),
        _plan_item(plan),
        ChecklistItem(
            "exit_conversation",
            "A closing conversation with the coordinator",
            relationship.exit_conversation_held,
            "Held." if relationship.exit_conversation_held else "The coordinator arranges this.",
        ),
    )
    return EndingChecklist(
        status=relationship.status,
        planned_end_on=agreement.planned_end_on if agreement else relationship.planned_end_on,
        planned_sessions=(
            agreement.planned_sessions if agreement else relationship.planned_sessions
        ),
        sessions_held=counts["held"],
        final_session=final,
        plan=plan,
        exit_conversation_held=relationship.exit_conversation_held,
        follow_up_on=follow_up.due_on if follow_up is not None else None,
        items=items,
    )


# Starting the planned ending and closing ---------------------------------------------------------


def ending_begin(*, actor: User, relationship: Relationship) -> Relationship:
    """The mentor or a coordinator starts the planned ending (the mentee asks for it through
    their coordinator). Starting it twice changes nothing."""
    if actor.pk != relationship.mentor.user_id and not is_staff_of(actor, relationship):
        raise ValidationError("Only the mentor or a coordinator can start the planned ending.")
    if relationship.status == RelationshipStatus.ENDED:
        raise ValidationError(ALREADY_ENDED, code="already_ended")
    return relationship_begin_ending(actor=actor, relationship=relationship)


@transaction.atomic
def relationship_close(
    *,
    actor: User,
    relationship: Relationship,
    reason: str,
    note: str = "",
    exit_conversation_held: bool = False,
    now: datetime | None = None,
) -> Relationship:
    """A coordinator closes the relationship, planned or not. Closing it a second time (a
    double-click, or two coordinators at once) is refused with ``code="already_ended"``."""
    if not is_staff_of(actor, relationship):
        raise ValidationError("Only a coordinator can close a relationship.")
    relationship = locked_relationship(relationship)
    if relationship.status == RelationshipStatus.ENDED:
        raise ValidationError(ALREADY_ENDED, code="already_ended")
    if len(note.strip()) > NOTE_MAX:
        raise ValidationError({"note": f"Keep this to {NOTE_MAX} characters or fewer."})
    return relationship_end(
        actor=actor,
        relationship=relationship,
        reason=reason,
        note=note,
        exit_conversation_held=exit_conversation_held,
        now=now,
    )


def is_already_ended(error: ValidationError) -> bool:
    return not hasattr(error, "error_dict") and any(
        getattr(item, "code", None) == "already_ended" for item in error.error_list
    )


# The mentee's record -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MenteeRecord:
    """Everything the mentee keeps: their goals in their words, their goals and steps, the
    sessions with the summaries they were shown and their own reflections, and the strengths
    their mentor saw. Never private notes, concerns or anything else the mentor kept."""

    relationship: Relationship
    mentor_name: str
    goals_in_own_words: str
    goals: list[Goal]
    sessions: list[MentoringSession]
    strengths: list[Any]
    made_on: date


def mentee_record(relationship: Relationship) -> MenteeRecord:
    """The record, in a fixed number of queries."""
    agreement = current_agreement(relationship)
    goals = list(
        relationship.goals.order_by("created_at", "pk").prefetch_related(
            Prefetch("steps", queryset=Step.objects.order_by("position", "created_at", "pk"))
        )
    )
    sessions = list(
        relationship.sessions.filter(status=SessionStatus.HELD)
        .only(
            "pk",
            "relationship_id",
            "scheduled_for",
            "status",
            "is_final",
            "summary",
            "mentee_reflection",
            "mentee_rating",
        )
        .order_by("scheduled_for", "pk")
    )
    return MenteeRecord(
        relationship=relationship,
        mentor_name=relationship.mentor.display_name,
        goals_in_own_words=agreement.goals_in_own_words if agreement else "",
        goals=goals,
        sessions=sessions,
        strengths=list(relationship.strengths.order_by("written_at", "pk")),
        made_on=timezone.localdate(),
    )


def _when(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def mentee_record_data(record: MenteeRecord) -> dict[str, Any]:
    """The record as plain data, for the JSON download and the API."""
    relationship = record.relationship
    return {
        "made_on": record.made_on.isoformat(),
        "mentor": record.mentor_name,
        "status": relationship.status,
        "started_at": _when(relationship.activated_at or relationship.started_at),
        "ended_at": _when(relationship.ended_at),
        "goals_in_own_words": record.goals_in_own_words,
        "goals": [
            {
                "title": goal.title,
                "why_it_matters": goal.why_it_matters,
                "status": goal.status,
                "status_label": goal.get_status_display(),
                "reached_at": _when(goal.reached_at),
                "how_it_went": goal.how_it_went,
                "steps": [
                    {
                        "text": step.text,
                        "done_at": _when(step.done_at),
                        "how_it_went": step.how_it_went,
                    }
                    for step in goal.steps.all()
                ],
            }
            for goal in record.goals
        ],
        "sessions": [
            {
                "date": _when(session.scheduled_for),
                "final": session.is_final,
                "summary": session.summary,
                "my_reflection": session.mentee_reflection,
                "my_rating": session.mentee_rating,
            }
            for session in record.sessions
        ],
        "strengths": [
            {"text": note.text, "written_at": _when(note.written_at)} for note in record.strengths
        ],
    }


def record_downloaded(*, actor: User, relationship: Relationship, format: str) -> None:
    """Note that the mentee took a copy of their record (``format``: page, json or api)."""
    audit_record(
        actor=actor,
        action="relationship.record_downloaded",
        organisation=relationship.organisation,
        target=relationship,
        metadata={"format": format},
    )
