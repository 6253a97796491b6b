"""The standards an organisation sets for its mentors, and its list of support areas."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.models import Organisation, SupportArea, User
from audit.services import audit_record
from mentors.models import MentorProgrammeSettings
from mentors.selectors import programme_settings

SETTING_FIELDS = (
    "min_training_minutes",
    "max_capacity",
    "certification_months",
    "cpd_hours_per_year",
    "expiry_warning_days",
    "supervision_interval_days",
    "wellbeing_interval_days",
    "reference_link_days",
)


@transaction.atomic
def programme_settings_update(
    *, actor: User, organisation: Organisation, data: dict[str, Any]
) -> MentorProgrammeSettings:
    settings = MentorProgrammeSettings.objects.select_for_update().get(
        pk=programme_settings(organisation).pk
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
            action="mentor_settings.updated",
            organisation=organisation,
            target=settings,
            metadata={"fields": ",".join(changed)[:80]},
        )
    return settings


def _clean_name(organisation: Organisation, name: str, *, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter the name of the area."})
    clash = SupportArea.objects.filter(organisation=organisation, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"name": f"“{name}” is already on the list."})
    return name


@transaction.atomic
def support_area_create(*, actor: User, organisation: Organisation, name: str) -> SupportArea:
    name = _clean_name(organisation, name)
    last = SupportArea.objects.filter(organisation=organisation).aggregate(last=Max("position"))
    area = SupportArea.objects.create(
        organisation=organisation, name=name, position=(last["last"] or 0) + 1
    )
    audit_record(actor=actor, action="support_area.created", organisation=organisation, target=area)
    return area


@transaction.atomic
def support_area_rename(*, actor: User, area: SupportArea, name: str) -> SupportArea:
    area = SupportArea.objects.select_for_update().get(pk=area.pk)
    area.name = _clean_name(area.organisation, name, exclude=area.pk)
    area.save(update_fields=["name"])
    audit_record(
        actor=actor, action="support_area.renamed", organisation=area.organisation, target=area
    )
    return area


@transaction.atomic
def support_area_set_active(*, actor: User, area: SupportArea, active: bool) -> SupportArea:
    """Retire an area from new forms (or bring it back); people who chose it keep it."""
    area = SupportArea.objects.select_for_update().get(pk=area.pk)
    if area.is_active != active:
        area.is_active = active
        area.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="support_area.reactivated" if active else "support_area.retired",
            organisation=area.organisation,
            target=area,
        )
    return area
