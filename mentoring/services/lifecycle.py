"""The relationship's life: it becomes active when both people acknowledge their first
agreement, may move into a planned ending, and ends (planned or not) with a recorded reason.

Ending stops the mentor's access at once, sends both people an exit survey, schedules the
follow-up check-in with the mentee, and for a rematch puts the mentee back at the top of the
waiting list.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from alongside.email import send_templated_email
from audit.services import audit_record
from mentoring import signals
from mentoring.milestones import milestone_reach
from mentoring.models import (
    Agreement,
    CheckIn,
    CheckInKind,
    CheckInPerson,
    CheckInStatus,
    EndKind,
    EndReason,
    ExitSurvey,
    MentoringSession,
    MilestoneKind,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)
from mentoring.selectors import mentoring_settings
from privacy.consent import processing_allowed
from privacy.models import Purpose
from referrals.models import Status
from referrals.selectors import mentee_email
from referrals.services.creating import locked_referral, set_status

# Coordinator check-ins: twice in the first month, then monthly.
FIRST_MONTH_CHECK_INS = (14, 28)
MONTHLY = 30


def locked_relationship(relationship: Relationship | int) -> Relationship:
    """The relationship re-read and locked until the transaction ends."""
    pk = relationship.pk if isinstance(relationship, Relationship) else relationship
    return (
        Relationship.objects.select_for_update(of=("self",))
        .select_related("mentor__user", "mentor__supervisor", "mentee", "referral", "organisation")
        .get(pk=pk)
    )


def _pair_emails(relationship: Relationship) -> list[str]:
    return [relationship.mentor.user.email, mentee_email(relationship.referral)]


# Check-in scheduling -----------------------------------------------------------------------------


def schedule_first_check_ins(relationship: Relationship, start: date) -> list[CheckIn]:
    made = []
    for person in CheckInPerson:
        for days in FIRST_MONTH_CHECK_INS:
            made.append(
                CheckIn.objects.create(
                    relationship=relationship, person=person, due_on=start + timedelta(days=days)
                )
            )
    return made


def schedule_next_check_in(relationship: Relationship, person: str) -> CheckIn | None:
    """After a regular check-in is recorded: the next one a month after the latest scheduled,
    unless one is still due or the relationship is no longer current."""
    if relationship.status not in (RelationshipStatus.ACTIVE, RelationshipStatus.CLOSING):
        return None
    regular = relationship.check_ins.filter(person=person, kind=CheckInKind.REGULAR)
    if regular.filter(status=CheckInStatus.DUE).exists():
        return None
    latest = regular.order_by("-due_on").first()
    base = latest.due_on if latest is not None else timezone.localdate()
    due_on = max(base + timedelta(days=MONTHLY), timezone.localdate() + timedelta(days=7))
    if relationship.planned_end_on is not None and due_on > relationship.planned_end_on:
        return None
    return CheckIn.objects.create(relationship=relationship, person=person, due_on=due_on)


# Becoming active ---------------------------------------------------------------------------------


def relationship_activate(relationship: Relationship, agreement: Agreement, *, actor: User) -> None:
    """Both people acknowledged their first agreement: mentoring has started. Call inside the
    transaction that recorded the acknowledgement, with ``relationship`` locked."""
    if relationship.status != RelationshipStatus.INTRODUCTION:
        return
    now = timezone.now()
    relationship.status = RelationshipStatus.ACTIVE
    relationship.activated_at = now
    relationship.planned_sessions = agreement.planned_sessions
    relationship.planned_end_on = agreement.planned_end_on
    relationship.save(
        update_fields=["status", "activated_at", "planned_sessions", "planned_end_on"]
    )
    schedule_first_check_ins(relationship, timezone.localdate(now))
    milestone_reach(relationship, MilestoneKind.AGREEMENT)
    audit_record(
        actor=actor,
        action="relationship.activated",
        organisation=relationship.organisation,
        target=relationship,
        metadata={"agreement_version": agreement.version},
    )


# Ending ------------------------------------------------------------------------------------------


@transaction.atomic
def relationship_begin_ending(*, actor: User, relationship: Relationship) -> Relationship:
    """Start the planned ending: the pair are guided through a final session, final measures and
    the wellbeing plan. Starting it twice changes nothing."""
    relationship = locked_relationship(relationship)
    if relationship.status == RelationshipStatus.CLOSING:
        return relationship
    if relationship.status != RelationshipStatus.ACTIVE:
        raise ValidationError("Only an active relationship can start its planned ending.")
    relationship.status = RelationshipStatus.CLOSING
    relationship.closing_started_at = timezone.now()
    relationship.save(update_fields=["status", "closing_started_at"])
    audit_record(
        actor=actor,
        action="relationship.ending_started",
        organisation=relationship.organisation,
        target=relationship,
    )
    signals.ending_started.send(sender=Relationship, relationship=relationship, actor=actor)
    for address in _pair_emails(relationship):
        send_templated_email(
            "mentoring/email/ending_started",
            to=[address],
            context={"path": reverse("mentoring:overview", args=[relationship.pk])},
        )
    return relationship


@transaction.atomic
def relationship_end(
    *,
    actor: User,
    relationship: Relationship,
    reason: str,
    note: str = "",
    exit_conversation_held: bool = False,
    now: datetime | None = None,
) -> Relationship:
    """End the relationship with ``reason`` (an ``EndReason``). The mentor's access stops at
    once; the mentee keeps their goals, summaries, strengths and plan."""
    relationship = locked_relationship(relationship)
    if relationship.status == RelationshipStatus.ENDED:
        raise ValidationError("This relationship has already ended.")
    if reason not in EndReason.values:
        raise ValidationError({"reason": "Choose why the relationship is ending."})
    note = note.strip()
    if reason == EndReason.OTHER and not note:
        raise ValidationError({"note": "Say briefly why the relationship is ending."})
    now = now or timezone.now()
    previous = relationship.status
    relationship.status = RelationshipStatus.ENDED
    relationship.ended_at = now
    relationship.end_reason = reason
    relationship.end_kind = EndKind.PLANNED if reason in EndReason.planned() else EndKind.UNPLANNED
    relationship.end_note = note
    relationship.ended_by = actor
    relationship.exit_conversation_held = exit_conversation_held
    relationship.save(
        update_fields=[
            "status",
            "ended_at",
            "end_reason",
            "end_kind",
            "end_note",
            "ended_by",
            "exit_conversation_held",
        ]
    )
    # Sessions that were planned but will not now happen are removed from both calendars.
    dropped, _ = MentoringSession.objects.filter(
        relationship=relationship, status=SessionStatus.PLANNED, scheduled_for__gt=now
    ).delete()
    relationship.check_ins.filter(status=CheckInStatus.DUE, kind=CheckInKind.REGULAR).update(
        status=CheckInStatus.NOT_NEEDED
    )
    settings = mentoring_settings(relationship.organisation)
    # No follow-up for a mentee who said no to being contacted after mentoring ends.
    if relationship.activated_at is not None and processing_allowed(
        relationship.mentee, Purpose.FOLLOW_UP
    ):
        CheckIn.objects.create(
            relationship=relationship,
            person=CheckInPerson.MENTEE,
            kind=CheckInKind.FOLLOW_UP,
            due_on=timezone.localdate(now) + timedelta(weeks=settings.follow_up_weeks),
        )
    if reason == EndReason.REMATCH:
        _back_to_the_top(relationship, now)
    audit_record(
        actor=actor,
        action="relationship.ended",
        organisation=relationship.organisation,
        target=relationship,
        metadata={
            "from_status": previous,
            "reason": reason,
            "kind": relationship.end_kind,
            "planned_sessions_dropped": dropped,
        },
    )
    signals.relationship_ended.send(sender=Relationship, relationship=relationship, actor=actor)
    if relationship.activated_at is not None:
        _send_exit_surveys(relationship)
    return relationship


def _back_to_the_top(relationship: Relationship, now: datetime) -> None:
    referral = locked_referral(relationship.referral)
    referral.rematch_requested_at = now
    referral.save(update_fields=["rematch_requested_at"])
    if referral.waiting_since is None:
        referral.waiting_since = now
        referral.save(update_fields=["waiting_since"])
    set_status(referral, Status.WAITING)


def _send_exit_surveys(relationship: Relationship) -> None:
    people = [
        (relationship.mentor.user, CheckInPerson.MENTOR, relationship.mentor.user.email),
        (relationship.mentee, CheckInPerson.MENTEE, mentee_email(relationship.referral)),
    ]
    for user, role, address in people:
        survey, made = ExitSurvey.objects.get_or_create(
            relationship=relationship, respondent=user, defaults={"role": role}
        )
        if made:
            send_templated_email(
                "mentoring/email/ended",
                to=[address],
                context={"path": reverse("mentoring:exit_survey", args=[survey.pk])},
            )
