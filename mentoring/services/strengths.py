""" "Strengths I see in you": short notes the mentor writes for the mentee, who keeps them for
good, also after the mentoring has ended."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from mentoring.concurrency import already_made
from mentoring.models import Relationship, RelationshipStatus, StrengthNote
from mentoring.safety import check_text
from mentoring.services.lifecycle import locked_relationship
from safeguarding.services.alerts import Screened

STRENGTH_MAX = 1000


@dataclass(frozen=True)
class StrengthAdded:
    note: StrengthNote
    created: bool
    risk: Screened | None = None

    @property
    def is_risk(self) -> bool:
        return self.risk is not None and self.risk.is_risk

    @property
    def is_serious(self) -> bool:
        return self.risk is not None and self.risk.is_serious


@transaction.atomic
def strength_add(
    *, actor: User, relationship: Relationship, text: str, client_key: str = ""
) -> StrengthAdded:
    """The mentor leaves a strength note. The same ``client_key`` sent twice makes one note."""
    relationship = locked_relationship(relationship)
    if relationship.mentor.user_id != actor.pk:
        raise ValidationError("Only the mentor can write a strength note.")
    if relationship.status == RelationshipStatus.ENDED:
        raise ValidationError("This mentoring has ended, so no new notes can be added.")
    earlier = already_made(StrengthNote, relationship, client_key)
    if earlier is not None:
        return StrengthAdded(note=earlier, created=False)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the strength you see."})
    if len(text) > STRENGTH_MAX:
        raise ValidationError({"text": f"Keep this to {STRENGTH_MAX} characters or fewer."})
    note = StrengthNote.objects.create(
        relationship=relationship, text=text, written_by=actor, client_key=client_key or ""
    )
    risk = check_text(relationship, text, source="strength", actor=actor, target=note)
    audit_record(
        actor=actor,
        action="strength.added",
        organisation=relationship.organisation,
        target=note,
        metadata={"relationship": relationship.pk},
    )
    return StrengthAdded(note=note, created=True, risk=risk)
