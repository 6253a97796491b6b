"""A mentor's profile: what they change themselves, what waits for a coordinator's approval, and
mentees asking for a particular mentor.

Fields mentees see in the directory change only when a coordinator approves them, so nothing
unreviewed is ever shown; practical details (languages, capacity, availability) apply at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Language, Membership, Role, SupportArea, User
from accounts.selectors import coordinator_emails
from alongside.concurrency import check_version
from alongside.email import send_templated_email
from audit.services import audit_record
from mentors.models import (
    AvailabilitySlot,
    Format,
    MentorProfile,
    MentorRequest,
    MentorRequestStatus,
)
from mentors.selectors import certified_available_profiles, programme_settings

# Shown in the directory, so they wait for approval. Areas are stored as a sorted list of ids.
PUBLIC_FIELDS: tuple[str, ...] = (*MentorProfile.PUBLIC_FIELDS, "lived_experience_areas")
AREAS = "lived_experience_areas"
_PRIVATE_SIMPLE_FIELDS = ("area", "travel_km", "capacity", "year_of_birth")


@dataclass(frozen=True)
class Slot:
    """One weekly time a mentor is usually free."""

    weekday: int
    starts_at: time
    ends_at: time


def current_public_values(profile: MentorProfile) -> dict[str, Any]:
    """The public fields as the directory shows them now, in the shape ``pending_changes`` uses."""
    values: dict[str, Any] = {name: getattr(profile, name) for name in MentorProfile.PUBLIC_FIELDS}
    values[AREAS] = sorted(area.pk for area in profile.lived_experience_areas.all())
    return values


def proposed_public_values(profile: MentorProfile) -> dict[str, Any]:
    """What the mentor has asked to show: today's values with their pending changes on top."""
    return {**current_public_values(profile), **profile.pending_changes}


def _public_value(name: str, value: Any) -> Any:
    if name == AREAS:
        areas: Iterable[SupportArea | int] = value
        return sorted(area if isinstance(area, int) else area.pk for area in areas)
    if name == "show_gender":
        return bool(value)
    return (value or "").strip()


def _check_capacity(profile: MentorProfile, capacity: int) -> None:
    most = programme_settings(profile.organisation).max_capacity
    if not 1 <= capacity <= most:
        raise ValidationError(
            {"capacity": f"Choose a number from 1 to {most}, the most your programme allows."}
        )


@transaction.atomic
def profile_update(
    *, actor: User, profile: MentorProfile, data: dict[str, Any], version: int | None = None
) -> MentorProfile:
    """Apply practical details at once; hold changes to public fields until approved.

    Asking again for what is already shown withdraws that pending change, so a mentor can undo.
    A save made against an older ``version`` is refused with ``STALE``.
    """
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    check_version(profile, version)
    if "display_name" in data and not (data["display_name"] or "").strip():
        raise ValidationError({"display_name": "Enter the name mentees will see."})
    if "capacity" in data:
        _check_capacity(profile, int(data["capacity"]))

    current = current_public_values(profile)
    pending = dict(profile.pending_changes)
    for name in PUBLIC_FIELDS:
        if name not in data:
            continue
        value = _public_value(name, data[name])
        if name == AREAS:
            allowed = set(
                SupportArea.objects.filter(
                    organisation=profile.organisation, pk__in=value
                ).values_list("pk", flat=True)
            )
            value = [pk for pk in value if pk in allowed]
        if value == current[name]:
            pending.pop(name, None)
        else:
            pending[name] = value
    pending_changed = pending != profile.pending_changes

    changed_now = []
    for name in _PRIVATE_SIMPLE_FIELDS:
        if name in data and getattr(profile, name) != data[name]:
            setattr(profile, name, data[name])
            changed_now.append(name)
    if "formats" in data:
        formats = [Format(value).value for value in data["formats"]]
        if formats != profile.formats:
            profile.formats = formats
            changed_now.append("formats")
    if "languages" in data:
        languages: Iterable[Language] = data["languages"]
        wanted = {language.pk for language in languages}
        if wanted != set(profile.languages.values_list("pk", flat=True)):
            profile.languages.set(wanted)
            changed_now.append("languages")

    if not pending_changed and not changed_now:
        return profile  # nothing new: a repeated submission changes nothing
    if pending_changed:
        profile.pending_changes = pending
        if not pending:
            profile.pending_since = None
        elif profile.pending_since is None:
            profile.pending_since = timezone.now()
    profile.version += 1
    profile.save()
    audit_record(
        actor=actor,
        action="mentor_profile.updated",
        organisation=profile.organisation,
        target=profile,
        metadata={"pending": bool(pending), "changed_now": len(changed_now)},
    )
    return profile


def slot_problems(slots: Sequence[Slot]) -> dict[int, str]:
    """Slots that end before they start, or overlap an earlier slot on the same day, by index."""
    problems: dict[int, str] = {}
    for index, slot in enumerate(slots):
        if slot.ends_at <= slot.starts_at:
            problems[index] = "The end time must be after the start time."
            continue
        for earlier in slots[:index]:
            if (
                earlier.weekday == slot.weekday
                and earlier.ends_at > earlier.starts_at
                and slot.starts_at < earlier.ends_at
                and earlier.starts_at < slot.ends_at
            ):
                day = AvailabilitySlot.Weekday(slot.weekday).label
                problems[index] = (
                    f"This overlaps with {day} {earlier.starts_at:%H:%M}–{earlier.ends_at:%H:%M}."
                )
                break
    return problems


@transaction.atomic
def profile_set_availability(
    *, actor: User, profile: MentorProfile, slots: Sequence[Slot]
) -> MentorProfile:
    """Replace the mentor's weekly slots with ``slots`` (all of them, in one go)."""
    problems = slot_problems(slots)
    if problems:
        raise ValidationError(list(problems.values()))
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    wanted = sorted((slot.weekday, slot.starts_at, slot.ends_at) for slot in slots)
    existing = sorted(profile.availability_slots.values_list("weekday", "starts_at", "ends_at"))
    if wanted == existing:
        return profile
    profile.availability_slots.all().delete()
    AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot(profile=profile, weekday=day, starts_at=start, ends_at=end)
        for day, start, end in wanted
    )
    audit_record(
        actor=actor,
        action="mentor_profile.availability_set",
        organisation=profile.organisation,
        target=profile,
        metadata={"slots": len(wanted)},
    )
    return profile


@transaction.atomic
def profile_set_available(*, actor: User, profile: MentorProfile, available: bool) -> MentorProfile:
    """Pause, or start again, taking new mentees. Current mentees are not affected."""
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.is_available == available:
        return profile
    profile.is_available = available
    profile.save(update_fields=["is_available"])
    audit_record(
        actor=actor,
        action="mentor_profile.availability_switched",
        organisation=profile.organisation,
        target=profile,
        metadata={"available": available},
    )
    return profile


@transaction.atomic
def profile_changes_approve(*, actor: User, profile: MentorProfile) -> bool:
    """Show the mentor's proposed public fields. Returns False if there was nothing waiting."""
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    pending = dict(profile.pending_changes)
    if not pending:
        return False
    for name in MentorProfile.PUBLIC_FIELDS:
        if name in pending:
            setattr(profile, name, pending[name])
    if AREAS in pending:
        profile.lived_experience_areas.set(
            SupportArea.objects.filter(organisation=profile.organisation, pk__in=pending[AREAS])
        )
    profile.pending_changes = {}
    profile.pending_since = None
    profile.version += 1
    profile.save()
    audit_record(
        actor=actor,
        action="mentor_profile.changes_approved",
        organisation=profile.organisation,
        target=profile,
        metadata={"fields": len(pending)},
    )
    send_templated_email(
        "mentors/profiles/email/changes_approved",
        to=[profile.user.email],
        context={"profile": profile, "path": reverse("mentors:my_profile")},
    )
    return True


@transaction.atomic
def profile_changes_reject(*, actor: User, profile: MentorProfile, note: str = "") -> bool:
    """Keep the profile as it is. The optional note goes to the mentor by email only."""
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    pending = dict(profile.pending_changes)
    if not pending:
        return False
    profile.pending_changes = {}
    profile.pending_since = None
    profile.version += 1
    profile.save(update_fields=["pending_changes", "pending_since", "version"])
    audit_record(
        actor=actor,
        action="mentor_profile.changes_rejected",
        organisation=profile.organisation,
        target=profile,
        metadata={"fields": len(pending), "with_note": bool(note.strip())},
    )
    send_templated_email(
        "mentors/profiles/email/changes_rejected",
        to=[profile.user.email],
        context={
            "profile": profile,
            "note": note.strip(),
            "path": reverse("mentors:my_profile"),
        },
    )
    return True


@transaction.atomic
def mentor_request_create(
    *, actor: User, profile: MentorProfile, note: str = ""
) -> tuple[MentorRequest, bool]:
    """A mentee asks for a listed mentor; the coordinators are told, the mentor is not.

    Returns the request and whether it is new: asking twice keeps the first open request.
    """
    is_mentee = Membership.objects.filter(
        user=actor, organisation=profile.organisation, role=Role.MENTEE, is_active=True
    ).exists()
    if not is_mentee:
        raise ValidationError("Only mentees can ask for a mentor.")
    locked = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    if not certified_available_profiles(locked.organisation).filter(pk=locked.pk).exists():
        raise ValidationError("This mentor is not taking new mentees at the moment.")
    existing = MentorRequest.objects.filter(
        mentee=actor, profile=locked, status=MentorRequestStatus.OPEN
    ).first()
    if existing is not None:
        return existing, False
    mentor_request = MentorRequest.objects.create(
        organisation=locked.organisation, mentee=actor, profile=locked, note=note.strip()
    )
    audit_record(
        actor=actor,
        action="mentor_request.created",
        organisation=locked.organisation,
        target=mentor_request,
        metadata={"with_note": bool(note.strip())},
    )
    send_templated_email(
        "mentors/email/mentor_request_new",
        to=coordinator_emails(locked.organisation),
        context={"path": reverse("mentors:requests")},
    )
    return mentor_request, True


@transaction.atomic
def mentor_request_mark_noted(*, actor: User, mentor_request: MentorRequest) -> MentorRequest:
    """The coordinator has taken the request into account; marking it twice changes nothing."""
    mentor_request = MentorRequest.objects.select_for_update().get(pk=mentor_request.pk)
    if mentor_request.status != MentorRequestStatus.OPEN:
        return mentor_request
    mentor_request.status = MentorRequestStatus.NOTED
    mentor_request.handled_by = actor
    mentor_request.handled_at = timezone.now()
    mentor_request.save(update_fields=["status", "handled_by", "handled_at"])
    audit_record(
        actor=actor,
        action="mentor_request.noted",
        organisation=mentor_request.organisation,
        target=mentor_request,
    )
    return mentor_request
