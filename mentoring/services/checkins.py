"""The coordinator's check-ins with the mentor and the mentee: twice in the first month, then
monthly, and a follow-up with the mentee after the ending. A coordinator records each one (how
it is going, any concerns, actions), can record an extra one when they talk to someone off the
schedule, and gets one content-free daily email saying how many are due.

Recording a regular check-in schedules the next one (``lifecycle.schedule_next_check_in``); a
daily safety net (``check_ins_top_up``) schedules one wherever that step was missed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Organisation, User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from mentoring.concurrency import already_made, check_and_bump, locked
from mentoring.models import (
    CheckIn,
    CheckInKind,
    CheckInPerson,
    CheckInStatus,
    Relationship,
    RelationshipStatus,
)
from mentoring.services.lifecycle import locked_relationship, schedule_next_check_in

TEXT_MAX = 4000
# Check-ins due within this many days are listed as "due soon" on the coordinator's pages.
DUE_SOON_DAYS = 7


class CheckInMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"
    MESSAGE = "message", "Message"


def is_staff_of(user: User, organisation: Organisation | int) -> bool:
    """Whether ``user`` is an active coordinator or admin of ``organisation``."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role__in=STAFF_ROLES, is_active=True
    ).exists()


def _require_staff(actor: User, relationship: Relationship) -> None:
    if not is_staff_of(actor, relationship.organisation_id):
        raise ValidationError("Only a coordinator can record check-ins.")


def _clean_notes(method: str, how_it_is_going: str, concerns: str, actions: str) -> dict[str, str]:
    """The check-in's answers, trimmed; raises with a message beside each field that is wrong."""
    notes = {
        "how_it_is_going": how_it_is_going.strip(),
        "concerns": concerns.strip(),
        "actions": actions.strip(),
    }
    errors: dict[str, str] = {}
    if method not in CheckInMethod.values:
        errors["method"] = "Choose how you spoke with them."
    if not notes["how_it_is_going"]:
        errors["how_it_is_going"] = "Write a few words about how it is going."
    for field, text in notes.items():
        if len(text) > TEXT_MAX:
            errors[field] = f"Keep this to {TEXT_MAX} characters or fewer."
    if errors:
        raise ValidationError(errors)
    return notes


def _fill(check_in: CheckIn, method: str, notes: dict[str, str]) -> None:
    check_in.method = method
    check_in.how_it_is_going = notes["how_it_is_going"]
    check_in.concerns = notes["concerns"]
    check_in.actions = notes["actions"]


def _unchanged(check_in: CheckIn, method: str, notes: dict[str, str]) -> bool:
    return check_in.method == method and all(
        getattr(check_in, field) == text for field, text in notes.items()
    )


NOTE_FIELDS = ["method", "how_it_is_going", "concerns", "actions"]


@transaction.atomic
def check_in_record(
    *,
    actor: User,
    check_in: CheckIn,
    method: str,
    how_it_is_going: str,
    concerns: str = "",
    actions: str = "",
    version: int | None = None,
) -> CheckIn:
    """Record a scheduled check-in, or correct one recorded before. ``version`` is the version
    the form showed: a save made against an older one is refused, so two coordinators never
    overwrite each other. Recording a regular check-in schedules the next one; the follow-up
    after the ending is the last."""
    relationship = locked_relationship(check_in.relationship_id)
    check_in = locked(check_in)
    _require_staff(actor, relationship)
    if check_in.status == CheckInStatus.NOT_NEEDED:
        raise ValidationError("This check-in is no longer needed, so it cannot be recorded.")
    notes = _clean_notes(method, how_it_is_going, concerns, actions)
    if check_in.status == CheckInStatus.DONE and _unchanged(check_in, method, notes):
        return check_in  # the same save sent twice (a double-click): nothing to refuse
    check_and_bump(check_in, version)
    first_time = check_in.status == CheckInStatus.DUE
    _fill(check_in, method, notes)
    fields = [*NOTE_FIELDS, "version"]
    if first_time:
        check_in.status = CheckInStatus.DONE
        check_in.done_at = timezone.now()
        check_in.done_by = actor
        fields += ["status", "done_at", "done_by"]
    check_in.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="check_in.recorded" if first_time else "check_in.updated",
        organisation=relationship.organisation,
        target=check_in,
        metadata={
            "relationship": relationship.pk,
            "person": check_in.person,
            "kind": check_in.kind,
            "method": method,
        },
    )
    if first_time and check_in.kind == CheckInKind.REGULAR:
        schedule_next_check_in(relationship, check_in.person)
    check_in.relationship = relationship
    return check_in


@transaction.atomic
def check_in_add(
    *,
    actor: User,
    relationship: Relationship,
    person: str,
    client_key: str = "",
    method: str,
    how_it_is_going: str,
    concerns: str = "",
    actions: str = "",
) -> CheckIn:
    """Record an extra check-in, for when a coordinator talks with the mentor or the mentee off
    the schedule. It counts as a regular check-in: if none is due for that person, the next
    is scheduled a month on. Sending the same form twice records it once."""
    relationship = locked_relationship(relationship)
    _require_staff(actor, relationship)
    earlier = already_made(CheckIn, relationship, client_key)
    if earlier is not None:
        return earlier
    if person not in CheckInPerson.values:
        raise ValidationError({"person": "Choose who you spoke with."})
    notes = _clean_notes(method, how_it_is_going, concerns, actions)
    now = timezone.now()
    check_in = CheckIn(
        relationship=relationship,
        person=person,
        kind=CheckInKind.REGULAR,
        due_on=timezone.localdate(now),
        status=CheckInStatus.DONE,
        done_at=now,
        done_by=actor,
        client_key=client_key,
    )
    _fill(check_in, method, notes)
    check_in.save()
    audit_record(
        actor=actor,
        action="check_in.added",
        organisation=relationship.organisation,
        target=check_in,
        metadata={"relationship": relationship.pk, "person": person, "method": method},
    )
    schedule_next_check_in(relationship, person)
    return check_in


# Background work ---------------------------------------------------------------------------------


def _start_of_day(now: datetime) -> datetime:
    today = timezone.localdate(now)
    return timezone.make_aware(datetime.combine(today, time.min))


def check_in_reminders_send(now: datetime | None = None) -> int:
    """Once a day: email each organisation's coordinators how many check-ins are due today or
    overdue (a count and a link, nothing else). Each check-in is counted at most once a day
    (``reminded_at``), so running this twice the same day sends nothing new. Returns how many
    emails were sent (one per organisation at most)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start_of_day = _start_of_day(now)
    pending = (
        CheckIn.objects.filter(
            status=CheckInStatus.DUE,
            due_on__lte=today,
            relationship__organisation__is_active=True,
        )
        .filter(models.Q(reminded_at__isnull=True) | models.Q(reminded_at__lt=start_of_day))
        .values_list("pk", "relationship__organisation_id")
    )
    by_organisation: dict[int, list[int]] = defaultdict(list)
    for pk, organisation_id in pending:
        by_organisation[organisation_id].append(pk)
    sent = 0
    for organisation_id, check_in_ids in sorted(by_organisation.items()):
        if _remind_organisation(organisation_id, check_in_ids, now):
            sent += 1
    return sent


@transaction.atomic
def _remind_organisation(organisation_id: int, check_in_ids: list[int], now: datetime) -> bool:
    organisation = Organisation.objects.get(pk=organisation_id)
    recipients = coordinator_emails(organisation)
    if not recipients:
        return False
    start_of_day = _start_of_day(now)
    # Locked and filtered again, so two runs at once cannot both count the same check-ins.
    claimed = list(
        CheckIn.objects.select_for_update()
        .filter(pk__in=check_in_ids, status=CheckInStatus.DUE)
        .filter(models.Q(reminded_at__isnull=True) | models.Q(reminded_at__lt=start_of_day))
        .values_list("pk", flat=True)
    )
    if not claimed:
        return False
    CheckIn.objects.filter(pk__in=claimed).update(reminded_at=now)
    count = len(claimed)
    send_templated_email(
        "mentoring/email/staff_check_ins_due",
        to=recipients,
        context={"count": count, "path": reverse("mentoring:check_ins")},
    )
    audit_record(
        actor=None,
        action="check_in.reminder_sent",
        organisation=organisation,
        metadata={"count": count, "recipients": len(recipients)},
    )
    return True


def check_ins_top_up(now: datetime | None = None) -> int:
    """Daily safety net: for active relationships (and those in their planned ending) where the
    mentor or the mentee has no regular check-in due and the last one was done, schedule the
    next. Returns how many check-ins were scheduled."""

    def due_for(person: str) -> Exists:
        return Exists(
            CheckIn.objects.filter(
                relationship=OuterRef("pk"),
                person=person,
                kind=CheckInKind.REGULAR,
                status=CheckInStatus.DUE,
            )
        )

    made = 0
    candidates = (
        Relationship.objects.filter(
            status__in=[RelationshipStatus.ACTIVE, RelationshipStatus.CLOSING],
            activated_at__lte=now or timezone.now(),
        )
        .filter(~due_for(CheckInPerson.MENTOR) | ~due_for(CheckInPerson.MENTEE))
        .values_list("pk", flat=True)
    )
    for relationship_id in candidates:
        made += _top_up_relationship(relationship_id)
    return made


@transaction.atomic
def _top_up_relationship(relationship_id: int) -> int:
    relationship = locked_relationship(relationship_id)
    if relationship.status not in (RelationshipStatus.ACTIVE, RelationshipStatus.CLOSING):
        return 0
    made = 0
    for person in CheckInPerson:
        regular = relationship.check_ins.filter(person=person, kind=CheckInKind.REGULAR)
        if regular.filter(status=CheckInStatus.DUE).exists():
            continue
        latest = regular.order_by("-due_on", "-pk").first()
        if latest is None or latest.status != CheckInStatus.DONE:
            continue
        scheduled = schedule_next_check_in(relationship, person)
        if scheduled is not None:
            made += 1
            audit_record(
                actor=None,
                action="check_in.scheduled",
                organisation=relationship.organisation,
                target=scheduled,
                metadata={"relationship": relationship.pk, "person": person, "by": "top_up"},
            )
    return made
