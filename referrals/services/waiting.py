"""Looking after people while they wait: check-ins by the coordinator, the person keeping their
availability up to date, and a daily nudge to coordinators when a check-in is due."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField, F, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from referrals.availability import SLOT_LABELS
from referrals.models import (
    ContactAttempt,
    ContactMethod,
    ContactOutcome,
    Referral,
    ReferralProgrammeSettings,
    Status,
)
from referrals.selectors import referral_settings
from referrals.services.creating import locked_referral

CHECK_IN_OUTCOMES = (ContactOutcome.SPOKE, ContactOutcome.LEFT_MESSAGE, ContactOutcome.NO_ANSWER)
AVAILABILITY_STATUSES = (Status.INTAKE, Status.WAITING)
# A second click on the same check-in within this time records nothing new.
REPEAT_WINDOW = timedelta(minutes=5)
AVAILABILITY_NOTES_MAX = 300


def last_contact_expression() -> Greatest:
    """When the programme was last in touch: the latest conversation, or joining the list if
    that came later (a conversation at triage does not make a new joiner overdue)."""
    return Greatest(
        Coalesce("last_contacted_at", "waiting_since"),
        F("waiting_since"),
        output_field=DateTimeField(),
    )


def last_contact_point(referral: Referral) -> datetime | None:
    """The same as ``last_contact_expression`` for a referral already in memory."""
    points = [p for p in (referral.last_contacted_at, referral.waiting_since) if p is not None]
    return max(points) if points else None


def check_in_due(referral: Referral, settings: ReferralProgrammeSettings, now: datetime) -> bool:
    point = last_contact_point(referral)
    return point is not None and now - point >= timedelta(days=settings.check_in_interval_days)


@transaction.atomic
def waiting_check_in_record(
    *,
    actor: User,
    referral: Referral,
    method: ContactMethod | str,
    outcome: ContactOutcome | str,
    note: str = "",
) -> ContactAttempt:
    """A coordinator checked in with someone waiting. Only a conversation resets the clock for
    the next check-in; a message or no answer is logged but the reminder still stands."""
    referral = locked_referral(referral)
    if referral.status != Status.WAITING:
        raise ValidationError(
            "Check-ins are for people on the waiting list. This referral is now: "
            f"{referral.get_status_display().lower()}."
        )
    method = ContactMethod(method)
    outcome = ContactOutcome(outcome)
    if outcome not in CHECK_IN_OUTCOMES:
        raise ValidationError({"outcome": "Choose what happened when you got in touch."})
    note = note.strip()
    now = timezone.now()
    recent = referral.contact_attempts.filter(
        by=actor, method=method, outcome=outcome, attempted_at__gte=now - REPEAT_WINDOW
    )
    for attempt in recent:
        if attempt.note == note:
            return attempt  # the same click twice
    attempt = ContactAttempt.objects.create(
        referral=referral, attempted_at=now, method=method, outcome=outcome, note=note, by=actor
    )
    if outcome == ContactOutcome.SPOKE:
        referral.last_contacted_at = now
        referral.save(update_fields=["last_contacted_at"])
    audit_record(
        actor=actor,
        action="referral.check_in_recorded",
        organisation=referral.organisation,
        target=referral,
        metadata={"method": method.value, "outcome": outcome.value},
    )
    return attempt


@transaction.atomic
def waiting_update_availability(
    *, actor: User | None, referral: Referral, slots: list[str], notes: str
) -> Referral:
    """The person changes when they can meet while they wait; matching uses it straight away."""
    referral = locked_referral(referral)
    if referral.status not in AVAILABILITY_STATUSES:
        raise ValidationError(
            "Availability can only be changed while waiting for a mentor. This referral is now: "
            f"{referral.get_status_display().lower()}."
        )
    chosen = [slot for slot, _label in SLOT_LABELS.items() if slot in set(slots)]
    if not chosen:
        raise ValidationError(
            {"availability_slots": "Choose at least one time of the week that suits you."}
        )
    notes = notes.strip()
    if len(notes) > AVAILABILITY_NOTES_MAX:
        raise ValidationError(
            {"availability": f"Keep this to {AVAILABILITY_NOTES_MAX} characters or fewer."}
        )
    if referral.availability_slots == chosen and referral.availability == notes:
        return referral  # nothing changed
    referral.availability_slots = chosen
    referral.availability = notes
    referral.save(update_fields=["availability_slots", "availability"])
    audit_record(
        actor=actor,
        action="referral.availability_updated",
        organisation=referral.organisation,
        target=referral,
        metadata={"slots": len(chosen)},
    )
    return referral


def referrals_due_check_in(
    organisation: Organisation, settings: ReferralProgrammeSettings, now: datetime
) -> QuerySet[Referral]:
    """People waiting with no contact for a check-in interval, and no reminder about them
    within the last interval either."""
    cutoff = now - timedelta(days=settings.check_in_interval_days)
    return (
        Referral.objects.filter(organisation=organisation, status=Status.WAITING)
        .annotate(last_contact=last_contact_expression())
        .filter(last_contact__lte=cutoff)
        .filter(Q(check_in_reminded_at__isnull=True) | Q(check_in_reminded_at__lte=cutoff))
    )


def check_in_reminders_send(*, now: datetime | None = None) -> int:
    """Send each organisation's coordinators one email saying how many people are due a
    check-in (never who, or why they are waiting). Returns how many people were included.

    Running it again sends nothing more about the same people until they have been spoken to
    or another check-in interval has passed.
    """
    now = now or timezone.now()
    included = 0
    organisations = Organisation.objects.filter(
        is_active=True, referrals__status=Status.WAITING
    ).distinct()
    for organisation in organisations:
        included += _remind_organisation(organisation, now)
    return included


@transaction.atomic
def _remind_organisation(organisation: Organisation, now: datetime) -> int:
    recipients = coordinator_emails(organisation)
    if not recipients:
        return 0  # keep them due until someone can be told
    settings = referral_settings(organisation)
    due = list(
        referrals_due_check_in(organisation, settings, now)
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    if not due:
        return 0
    Referral.objects.filter(pk__in=due).update(check_in_reminded_at=now)
    audit_record(
        actor=None,
        action="referral.check_in_reminder_sent",
        organisation=organisation,
        metadata={"people": len(due)},
    )
    send_templated_email(
        "referrals/email/waiting_check_in_reminder",
        to=recipients,
        context={
            "organisation": organisation,
            "count": len(due),
            "interval_days": settings.check_in_interval_days,
            "path": reverse("referrals:waiting_list"),
        },
    )
    return len(due)
