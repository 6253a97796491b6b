"""Who responds to an organisation's alerts, and how fast: the safeguarding leads, the duty rota,
and the response deadline for each level."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from accounts.models import Organisation, User
from safeguarding.models import AlertLevel, DutyShift, SafeguardingLead, SafeguardingSettings

WEEKEND = (5, 6)  # Saturday, Sunday


def settings_for(organisation: Organisation) -> SafeguardingSettings:
    """The organisation's response times (the defaults until an admin changes them; unsaved)."""
    try:
        return organisation.safeguarding_settings
    except SafeguardingSettings.DoesNotExist:
        return SafeguardingSettings(organisation=organisation)


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` moved on by ``days`` working days (Monday to Friday), keeping the time of day.
    Public holidays are not known and count as working days."""
    moved = start
    remaining = days
    while remaining > 0:
        moved += timedelta(days=1)
        if moved.weekday() not in WEEKEND:
            remaining -= 1
    return moved


def deadline_for(organisation: Organisation, level: str, start: datetime) -> datetime:
    """When someone must have said they are responding to an alert of ``level`` raised at
    ``start``: urgent and high in minutes, a concern in working days."""
    chosen = settings_for(organisation)
    if level == AlertLevel.URGENT:
        return start + timedelta(minutes=chosen.urgent_minutes)
    if level == AlertLevel.HIGH:
        return start + timedelta(minutes=chosen.high_minutes)
    return add_working_days(start, chosen.concern_working_days)


def active_leads(organisation: Organisation) -> QuerySet[SafeguardingLead]:
    return SafeguardingLead.objects.filter(
        organisation=organisation, is_active=True, user__is_active=True
    ).select_related("user")


def duty_shift_at(organisation: Organisation, at: datetime) -> DutyShift | None:
    """The shift covering ``at`` (the one that started first, if two overlap), with an active
    lead; ``None`` when nobody is on the rota then."""
    return (
        DutyShift.objects.filter(
            organisation=organisation,
            starts_at__lte=at,
            ends_at__gt=at,
            lead__is_active=True,
            lead__user__is_active=True,
        )
        .select_related("lead__user")
        .order_by("starts_at", "pk")
        .first()
    )


def duty_lead_at(organisation: Organisation, at: datetime) -> User | None:
    shift = duty_shift_at(organisation, at)
    return shift.lead.user if shift is not None else None
