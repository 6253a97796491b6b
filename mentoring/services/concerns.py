"""Challenges in a relationship: the mentor or the mentee raises a concern privately with the
coordinator (the other person never sees it) and says what they would like: to talk it
through, a meeting with both of them, or a rematch. The coordinator records the outcome; a
rematch ends the relationship and puts the mentee back at the top of the waiting list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from mentoring.concurrency import already_made
from mentoring.models import (
    CheckInPerson,
    Concern,
    ConcernOutcome,
    ConcernRequest,
    ConcernTopic,
    EndReason,
    Relationship,
    RelationshipStatus,
)
from mentoring.safety import check_text, reassess
from mentoring.services.checkins import is_staff_of
from mentoring.services.lifecycle import locked_relationship, relationship_end

DETAILS_MAX = 4000
NOTE_MAX = 2000


@dataclass(frozen=True)
class RaisedConcern:
    concern: Concern
    created: bool
    # The safeguarding detector thought the words suggest risk: show the writer where to get
    # help now (the coordinators and the supervisor have been told, without the words).
    possible_risk: bool
    # Flagged high or urgent: a mentee is told someone from the team will be in touch.
    serious: bool = False


def _role_in(actor: User, relationship: Relationship) -> str:
    if relationship.mentor.user_id == actor.pk:
        return CheckInPerson.MENTOR
    if relationship.mentee_id == actor.pk:
        return CheckInPerson.MENTEE
    raise ValidationError("Only the mentor or the mentee can raise a concern here.")


@transaction.atomic
def concern_raise(
    *,
    actor: User,
    relationship: Relationship,
    topic: str,
    request: str,
    details: str,
    client_key: str = "",
) -> RaisedConcern:
    """The mentor or the mentee raises a concern with the coordinator. The coordinators get an
    email that says only that something was raised, with a link. Sending the same form twice
    raises it once."""
    relationship = locked_relationship(relationship)
    role = _role_in(actor, relationship)
    earlier = already_made(Concern, relationship, client_key)
    if earlier is not None:
        if earlier.raised_by_id != actor.pk:
            raise ValidationError("This form was already used. Please reload the page.")
        again = reassess(earlier.details)
        return RaisedConcern(
            earlier, created=False, possible_risk=again.is_risk, serious=again.is_serious
        )
    if relationship.status == RelationshipStatus.ENDED:
        raise ValidationError(
            "This mentoring has ended, so there is nothing to raise here now. If something is "
            "worrying you, please contact the coordinator."
        )
    details = details.strip()
    errors: dict[str, str] = {}
    if topic not in ConcernTopic.values:
        errors["topic"] = "Choose what it is about."
    if request not in ConcernRequest.values:
        errors["request"] = "Choose what you would like to happen."
    if not details:
        errors["details"] = "Tell the coordinator a little about what is happening."
    elif len(details) > DETAILS_MAX:
        errors["details"] = f"Keep this to {DETAILS_MAX} characters or fewer."
    if errors:
        raise ValidationError(errors)
    concern = Concern.objects.create(
        relationship=relationship,
        raised_by=actor,
        raised_by_role=role,
        topic=topic,
        request=request,
        details=details,
        client_key=client_key,
    )
    risk = check_text(relationship, details, source="concern", actor=actor, target=concern)
    audit_record(
        actor=actor,
        action="concern.raised",
        organisation=relationship.organisation,
        target=concern,
        metadata={
            "relationship": relationship.pk,
            "role": role,
            "topic": topic,
            "request": request,
        },
    )
    send_templated_email(
        "mentoring/email/staff_concern_raised",
        to=coordinator_emails(relationship.organisation),
        context={"path": reverse("mentoring:concern", args=[relationship.pk, concern.pk])},
    )
    return RaisedConcern(concern, created=True, possible_risk=risk.is_risk, serious=risk.is_serious)


def _require_staff(actor: User, relationship: Relationship) -> None:
    if not is_staff_of(actor, relationship.organisation_id):
        raise ValidationError("Only a coordinator can do this.")


def _resolve(concern: Concern, *, actor: User, outcome: str, note: str) -> None:
    concern.outcome = outcome
    concern.outcome_note = note
    concern.resolved_by = actor
    concern.resolved_at = timezone.now()
    concern.save(update_fields=["outcome", "outcome_note", "resolved_by", "resolved_at"])
    audit_record(
        actor=actor,
        action="concern.resolved",
        organisation=concern.relationship.organisation,
        target=concern,
        metadata={"relationship": concern.relationship_id, "outcome": outcome},
    )


@transaction.atomic
def concern_resolve(*, actor: User, concern: Concern, outcome: str, note: str = "") -> Concern:
    """The coordinator records what came of a concern, which closes it. A rematch is recorded by
    rematching (``relationship_rematch``), which resolves the concern itself."""
    relationship = locked_relationship(concern.relationship_id)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    concern.relationship = relationship
    _require_staff(actor, relationship)
    note = note.strip()
    if not concern.is_open:
        if concern.outcome == outcome and concern.outcome_note == note:
            return concern  # the same answer sent twice
        raise ValidationError("This concern has already been resolved by someone else.")
    errors: dict[str, str] = {}
    if outcome not in ConcernOutcome.values:
        errors["outcome"] = "Choose what came of it."
    elif outcome == ConcernOutcome.REMATCHED and not (
        relationship.is_ended and relationship.end_reason == EndReason.REMATCH
    ):
        errors["outcome"] = (
            "To rematch, use “Rematch” on the relationship: it ends this relationship, puts the "
            "mentee at the top of the waiting list and resolves this concern for you."
        )
    if len(note) > NOTE_MAX:
        errors["note"] = f"Keep this to {NOTE_MAX} characters or fewer."
    if errors:
        raise ValidationError(errors)
    _resolve(concern, actor=actor, outcome=outcome, note=note)
    return concern


@transaction.atomic
def relationship_rematch(
    *, actor: User, relationship: Relationship, note: str = ""
) -> Relationship:
    """End the relationship because the pair should not carry on together: the mentee goes back
    to the top of the waiting list for a new mentor, and any open request for a rematch is
    resolved as rematched."""
    relationship = locked_relationship(relationship)
    _require_staff(actor, relationship)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep this to {NOTE_MAX} characters or fewer."})
    relationship = relationship_end(
        actor=actor, relationship=relationship, reason=EndReason.REMATCH, note=note
    )
    open_requests = Concern.objects.select_for_update().filter(
        relationship=relationship, request=ConcernRequest.REMATCH, resolved_at__isnull=True
    )
    for concern in open_requests:
        concern.relationship = relationship
        _resolve(concern, actor=actor, outcome=ConcernOutcome.REMATCHED, note="")
    return relationship
