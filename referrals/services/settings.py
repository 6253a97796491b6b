"""Administrators set how long is too long to wait, and when to check in."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import Organisation, User
from audit.services import audit_record
from referrals.models import ReferralProgrammeSettings

SETTING_FIELDS = (
    "waiting_alert_days",
    "check_in_interval_days",
    "contact_attempts_before_unable",
)


@transaction.atomic
def referral_settings_update(
    *, actor: User, organisation: Organisation, data: dict[str, Any]
) -> ReferralProgrammeSettings:
    settings, _ = ReferralProgrammeSettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    changed = [
        name for name in SETTING_FIELDS if name in data and getattr(settings, name) != data[name]
    ]
    for name in changed:
        setattr(settings, name, data[name])
    settings.full_clean()
    if changed:
        settings.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="referral_settings.updated",
            organisation=organisation,
            target=settings,
            metadata={"fields": ",".join(changed)[:80]},
        )
    return settings
