"""Who responds to an organisation's alerts, and how fast: the safeguarding leads, the duty rota,
and the response deadline for each level.

A safeguarding lead is a supervisor, coordinator or admin the organisation names; leads take
turns as the duty lead (``DutyShift``), who is told first about every new alert. Only one lead
is on duty at a time, so shifts may not overlap. Coordinators and admins keep the leads, the rota
and the response times; every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import dateformat, timezone

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Organisation, Role, User
from audit.services import audit_record
from safeguarding.models import AlertLevel, DutyShift, SafeguardingLead, SafeguardingSettings

WEEKEND = (5, 6)  # Saturday, Sunday

# The roles a safeguarding lead may hold (the people who respond to alerts).
LEAD_ROLES = (Role.SUPERVISOR, Role.COORDINATOR, Role.ADMIN)
SHIFT_MAX_DAYS = 14
GAP_DAYS = 7
UPCOMING_DAYS = 14
# Response-time bounds: long enough to be kept, short enough to matter.
URGENT_MINUTES = (5, 120)
HIGH_MINUTES = (15, 1440)
CONCERN_WORKING_DAYS = (1, 5)

NOT_STAFF = "Only coordinators and admins of the organisation can change who responds to alerts."


def settings_for(organisation: Organisation) -> SafeguardingSettings:
    """The organisation's response times (the defaults until an admin changes them; unsaved)."""
    try:
        return organisation.safeguarding_settings
    except SafeguardingSettings.DoesNotExist:
        return SafeguardingSettings(organisation=organisation)


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` moved on by ``days`` working days (Monday to Friday), keeping the time of day.
    Days are counted on the local calendar, so late on a Friday evening is still a Friday and a
    change of the clocks keeps the time on the clock. Public holidays are not known and count as
    working days."""
    moved = timezone.localtime(start) if timezone.is_aware(start) else start
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


def _effective_shifts(organisation: Organisation) -> QuerySet[DutyShift]:
    """Shifts that put someone on duty: their lead is still a lead and can still sign in."""
    return DutyShift.objects.filter(
        organisation=organisation, lead__is_active=True, lead__user__is_active=True
    )


def duty_shift_at(organisation: Organisation, at: datetime) -> DutyShift | None:
    """The shift covering ``at`` (the one that started first, if two overlap), with an active
    lead; ``None`` when nobody is on the rota then."""
    return (
        _effective_shifts(organisation)
        .filter(starts_at__lte=at, ends_at__gt=at)
        .select_related("lead__user")
        .order_by("starts_at", "pk")
        .first()
    )


def duty_lead_at(organisation: Organisation, at: datetime) -> User | None:
    shift = duty_shift_at(organisation, at)
    return shift.lead.user if shift is not None else None


# Reads for the rota page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A stretch when nobody is on duty."""

    starts_at: datetime
    ends_at: datetime

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at


def upcoming_shifts(
    organisation: Organisation, now: datetime, until: datetime | None = None
) -> QuerySet[DutyShift]:
    """Shifts in progress at ``now`` or starting before ``until`` (14 days on by default), in
    order, with their lead."""
    until = until or now + timedelta(days=UPCOMING_DAYS)
    return (
        _effective_shifts(organisation)
        .filter(ends_at__gt=now, starts_at__lt=until)
        .select_related("lead__user")
        .order_by("starts_at", "pk")
    )


def rota_gaps(organisation: Organisation, start: datetime, end: datetime) -> list[Gap]:
    """The stretches between ``start`` and ``end`` when nobody is on duty, in order."""
    gaps: list[Gap] = []
    covered_until = start
    for shift in upcoming_shifts(organisation, start, end):
        if shift.starts_at > covered_until:
            gaps.append(Gap(covered_until, min(shift.starts_at, end)))
        covered_until = max(covered_until, shift.ends_at)
        if covered_until >= end:
            return gaps
    if covered_until < end:
        gaps.append(Gap(covered_until, end))
    return gaps


def lead_candidates(organisation: Organisation) -> list[Membership]:
    """The organisation's supervisors, coordinators and admins who are not leads yet, by name."""
    leads = SafeguardingLead.objects.filter(organisation=organisation, is_active=True)
    return list(
        Membership.objects.filter(
            organisation=organisation, role__in=LEAD_ROLES, is_active=True, user__is_active=True
        )
        .exclude(user__in=leads.values("user"))
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def leads_with_roles(organisation: Organisation) -> list[tuple[SafeguardingLead, str]]:
    """The active leads, by name, each with their role in the organisation in words."""
    leads = active_leads(organisation).order_by("user__name", "user__email")
    roles = dict(
        Membership.objects.filter(
            organisation=organisation, is_active=True, user__in=leads.values("user")
        )
        .order_by()
        .values_list("user_id", "role")
    )
    return [
        (lead, Role(roles[lead.user_id]).label if lead.user_id in roles else "") for lead in leads
    ]


# Changes ----------------------------------------------------------------------------------------


def _check_staff(actor: User | None, organisation: Organisation) -> None:
    is_staff = (
        actor is not None
        and actor.is_active
        and Membership.objects.filter(
            user=actor, organisation=organisation, is_active=True, role__in=STAFF_ROLES
        ).exists()
    )
    if not is_staff:
        raise ValidationError(NOT_STAFF, code="not_staff")


def _name(user: User) -> str:
    return user.name or user.email


def when_label(moment: datetime) -> str:
    """A time as the rota shows it: "Tue 4 Mar, 20:00"."""
    return dateformat.format(timezone.localtime(moment), "D j M, H:i")


def _locked_organisation(organisation: Organisation) -> Organisation:
    """Lock the organisation's row: rota changes queue behind each other, so two people adding
    shifts at once cannot both pass the overlap check."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


@transaction.atomic
def lead_add(*, actor: User, organisation: Organisation, user: User) -> SafeguardingLead:
    """Name ``user`` a safeguarding lead (or make a removed lead one again). Adding someone who
    is already a lead changes nothing."""
    _check_staff(actor, organisation)
    role = (
        Membership.objects.filter(user=user, organisation=organisation, is_active=True)
        .values_list("role", flat=True)
        .first()
    )
    if role is None or not user.is_active:
        raise ValidationError(
            {"user": "Choose someone who belongs to the organisation and can sign in."}
        )
    if role not in LEAD_ROLES:
        raise ValidationError(
            {
                "user": f"{_name(user)} is a {Role(role).label.lower()}. Safeguarding leads must "
                "be supervisors, coordinators or admins: change their role first."
            }
        )
    _locked_organisation(organisation)
    lead, created = SafeguardingLead.objects.get_or_create(organisation=organisation, user=user)
    if not created and lead.is_active:
        return lead
    if not created:
        lead.is_active = True
        lead.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="safeguarding.lead_added",
        organisation=organisation,
        target=lead,
        metadata={"role": role, "reactivated": not created},
    )
    return lead


@dataclass(frozen=True)
class LeadRemoved:
    lead: SafeguardingLead
    shifts_removed: int
    shift_ended: bool


@transaction.atomic
def lead_remove(*, actor: User, lead: SafeguardingLead, now: datetime | None = None) -> LeadRemoved:
    """Stop ``lead`` being a safeguarding lead: their future shifts are removed and a shift in
    progress ends now. Their past shifts stay on the record."""
    _check_staff(actor, lead.organisation)
    _locked_organisation(lead.organisation)
    now = now or timezone.now()
    locked = SafeguardingLead.objects.select_for_update().get(pk=lead.pk)
    if not locked.is_active:
        return LeadRemoved(locked, 0, False)
    removed, _ = DutyShift.objects.filter(lead=locked, starts_at__gte=now).delete()
    ended = DutyShift.objects.filter(lead=locked, starts_at__lt=now, ends_at__gt=now).update(
        ends_at=now
    )
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="safeguarding.lead_removed",
        organisation=locked.organisation,
        target=locked,
        metadata={"shifts_removed": removed, "shift_ended": bool(ended)},
    )
    return LeadRemoved(locked, removed, bool(ended))


def _overlap_message(other: DutyShift) -> str:
    return (
        f"{_name(other.lead.user)} is on duty from {when_label(other.starts_at)} to "
        f"{when_label(other.ends_at)}. Only one lead is on duty at a time: change the times, or "
        "remove that shift first."
    )


def _check_shift(
    organisation: Organisation,
    lead: SafeguardingLead,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> None:
    errors: dict[str, str] = {}
    if not active_leads(organisation).filter(pk=lead.pk).exists():
        errors["lead"] = "Choose one of the organisation's safeguarding leads."
    if ends_at <= starts_at:
        errors["ends_at"] = "The end must be after the start."
    elif ends_at - starts_at > timedelta(days=SHIFT_MAX_DAYS):
        errors["ends_at"] = (
            f"A shift can be at most {SHIFT_MAX_DAYS} days long. Add several shifts for a "
            "longer stretch."
        )
    elif ends_at <= now:
        errors["ends_at"] = "This shift would be over already. Choose a time in the future."
    if errors:
        raise ValidationError(errors)
    clash = (
        _effective_shifts(organisation)
        .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        .select_related("lead__user")
        .order_by("starts_at", "pk")
        .first()
    )
    if clash is not None:
        field = "starts_at" if clash.starts_at <= starts_at else "ends_at"
        raise ValidationError({field: _overlap_message(clash)})


@transaction.atomic
def shift_add(
    *,
    actor: User,
    organisation: Organisation,
    lead: SafeguardingLead,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime | None = None,
) -> DutyShift:
    """Put ``lead`` on duty from ``starts_at`` to ``ends_at``. Refused when it overlaps another
    shift (the message says who is on then), is over already, or is longer than 14 days."""
    _check_staff(actor, organisation)
    _locked_organisation(organisation)
    _check_shift(organisation, lead, starts_at, ends_at, now or timezone.now())
    shift = DutyShift.objects.create(
        organisation=organisation,
        lead=lead,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="safeguarding.shift_added",
        organisation=organisation,
        target=shift,
        metadata={"lead": lead.pk, "hours": round((ends_at - starts_at).total_seconds() / 3600, 2)},
    )
    return shift


@transaction.atomic
def shift_remove(*, actor: User, shift: DutyShift, now: datetime | None = None) -> bool:
    """Take a shift off the rota. A shift in progress ends now (it stays on the record: alerts
    raised during it name its lead); a past shift cannot be removed. Returns whether it was
    ended early rather than removed."""
    _check_staff(actor, shift.organisation)
    _locked_organisation(shift.organisation)
    now = now or timezone.now()
    current = DutyShift.objects.filter(pk=shift.pk).first()
    if current is None:
        return False
    if current.ends_at <= now:
        raise ValidationError("This shift is over, so it stays on the record.", code="shift_over")
    in_progress = current.starts_at < now
    audit_record(
        actor=actor,
        action="safeguarding.shift_removed",
        organisation=shift.organisation,
        target=current,
        metadata={"lead": current.lead_id, "ended_early": in_progress},
    )
    if in_progress:
        current.ends_at = now
        current.save(update_fields=["ends_at"])
    else:
        current.delete()
    return in_progress


def _whole_number(
    value: object, bounds: tuple[int, int], field: str, unit: str, errors: dict[str, str]
) -> int:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int):
        errors[field] = f"Enter a whole number of {unit}."
        return 0
    if not low <= value <= high:
        errors[field] = f"Enter a number from {low} to {high} {unit}."
    return value


@transaction.atomic
def response_times_update(
    *,
    actor: User,
    organisation: Organisation,
    urgent_minutes: int,
    high_minutes: int,
    concern_working_days: int,
) -> SafeguardingSettings:
    """Set how soon someone must respond to an alert of each level before it escalates. Alerts
    already raised keep their deadline; new deadlines (and escalations) use the new times."""
    _check_staff(actor, organisation)
    errors: dict[str, str] = {}
    urgent = _whole_number(urgent_minutes, URGENT_MINUTES, "urgent_minutes", "minutes", errors)
    high = _whole_number(high_minutes, HIGH_MINUTES, "high_minutes", "minutes", errors)
    days = _whole_number(
        concern_working_days, CONCERN_WORKING_DAYS, "concern_working_days", "working days", errors
    )
    if not errors and high < urgent:
        errors["high_minutes"] = (
            f"Give high alerts at least as long as urgent ones ({urgent} minutes or more)."
        )
    if errors:
        raise ValidationError(errors)
    chosen, _ = SafeguardingSettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    changed = (chosen.urgent_minutes, chosen.high_minutes, chosen.concern_working_days) != (
        urgent,
        high,
        days,
    )
    chosen.urgent_minutes, chosen.high_minutes, chosen.concern_working_days = urgent, high, days
    chosen.save()
    organisation.safeguarding_settings = chosen
    if changed:
        audit_record(
            actor=actor,
            action="safeguarding.response_times_changed",
            organisation=organisation,
            target=chosen,
            metadata={
                "urgent_minutes": urgent,
                "high_minutes": high,
                "concern_working_days": days,
            },
        )
    return chosen


def gaps_ahead(organisation: Organisation, now: datetime) -> list[Gap]:
    """The gaps in the rota over the next seven days."""
    return rota_gaps(organisation, now, now + timedelta(days=GAP_DAYS))
