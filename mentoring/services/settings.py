"""What an organisation's mentoring relationships start from: the planned length, contact hours,
reminders and alerts. Changes apply to new agreements; agreements already made keep theirs."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organisation, User
from audit.services import audit_record
from mentoring.models import MentoringSettings

# field: (lowest, highest, message)
LIMITS: dict[str, tuple[int, int, str]] = {
    "planned_sessions": (1, 52, "Choose a number of sessions between 1 and 52."),
    "planned_weeks": (1, 104, "Choose a number of weeks between 1 and 104 (two years)."),
    "reply_within_hours": (1, 168, "Choose a number of hours between 1 and 168 (a week)."),
    "session_reminder_hours": (1, 168, "Choose a number of hours between 1 and 168 (a week)."),
    "missed_sessions_alert": (1, 10, "Choose a number between 1 and 10."),
    "follow_up_weeks": (1, 52, "Choose a number of weeks between 1 and 52."),
}
TIMES = ("contact_from", "contact_until")
SETTING_FIELDS = (*LIMITS, *TIMES)


def _validate(settings: MentoringSettings) -> None:
    errors: dict[str, str] = {}
    for name, (lowest, highest, message) in LIMITS.items():
        value = getattr(settings, name)
        if not isinstance(value, int) or not lowest <= value <= highest:
            errors[name] = message
    for name in TIMES:
        if not isinstance(getattr(settings, name), time):
            errors[name] = "Enter a time, for example 09:00."
    times_given = not any(name in errors for name in TIMES)
    if times_given and settings.contact_from >= settings.contact_until:
        errors["contact_until"] = "The latest time must be after the earliest time."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mentoring_settings_update(
    *, actor: User, organisation: Organisation, **fields: Any
) -> MentoringSettings:
    """Change some of the organisation's mentoring settings (unknown names are refused)."""
    unknown = set(fields) - set(SETTING_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    MentoringSettings.objects.get_or_create(organisation=organisation)
    settings = MentoringSettings.objects.select_for_update().get(organisation=organisation)
    changed = [name for name, value in fields.items() if getattr(settings, name) != value]
    for name in changed:
        setattr(settings, name, fields[name])
    _validate(settings)
    if changed:
        settings.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="mentoring_settings.updated",
            organisation=organisation,
            target=settings,
            metadata={"fields": ",".join(sorted(changed))[:80]},
        )
    return settings
