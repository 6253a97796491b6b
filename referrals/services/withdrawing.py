"""The person stepping back: from their private link, from their mentee page, or through the
coordinator on their behalf."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from referrals.models import Referral, Status
from referrals.services.creating import locked_referral, set_status


@transaction.atomic
def referral_withdraw(*, actor: User | None, referral: Referral, reason: str = "") -> Referral:
    """Close an open referral at the person's wish; a second request changes nothing."""
    referral = locked_referral(referral)
    if referral.status == Status.WITHDRAWN:
        return referral
    if not referral.is_open:
        raise ValidationError("This referral is already closed.")
    referral.closed_reason = reason.strip()
    referral.save(update_fields=["closed_reason"])
    set_status(referral, Status.WITHDRAWN)
    audit_record(
        actor=actor,
        action="referral.withdrawn",
        organisation=referral.organisation,
        target=referral,
        metadata={"by_person": actor is None or actor.pk == referral.mentee_id},
    )
    return referral
