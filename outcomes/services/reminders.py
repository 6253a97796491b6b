"""The daily upkeep of measure requests: closing the ones left open too long, and reminding
people of the ones waiting (content-free emails: "a short questionnaire is waiting")."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, Role
from outcomes.models import MeasureRequest, MeasureSettings, RequestStatus
from outcomes.services.scheduling import email_measure_due, measure_settings
from privacy.consent import allowed_people_q
from privacy.models import Purpose


@transaction.atomic
def requests_close_overdue(*, today: date | None = None) -> int:
    """Requests past their closing day are closed without answers. Returns how many."""
    today = today or timezone.localdate()
    return MeasureRequest.objects.filter(
        status__in=RequestStatus.open(), closes_on__lt=today
    ).update(status=RequestStatus.EXPIRED)


def _reminder_due(request: MeasureRequest, settings: MeasureSettings, now: datetime) -> bool:
    if request.reminders_sent >= settings.max_reminders:
        return False
    if request.reminded_at is None:
        return True
    return request.reminded_at <= now - timedelta(days=settings.reminder_days)


def _remindable(today: date) -> QuerySet[MeasureRequest]:
    """Open requests due by ``today`` whose person still takes part (an active account and an
    active mentee membership of the request's organisation), has an email address and has not
    said no to email reminders."""
    taking_part = Membership.objects.filter(
        user=OuterRef("person"),
        organisation=OuterRef("organisation"),
        role=Role.MENTEE,
        is_active=True,
    )
    return MeasureRequest.objects.filter(
        Exists(taking_part),
        allowed_people_q(Purpose.EMAIL_REMINDERS),
        status__in=RequestStatus.open(),
        due_on__lte=today,
        closes_on__gte=today,
        person__is_active=True,
    ).exclude(Q(person__email="") | Q(person__email__isnull=True))


def reminders_send(*, now: datetime | None = None) -> int:
    """Email each person with a measure due (once when it falls due, then every
    ``reminder_days`` up to ``max_reminders`` emails). One email per person however many are
    waiting. Returns how many people were emailed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = list(_remindable(today).select_related("organisation").order_by("person_id", "pk"))
    settings: dict[int, MeasureSettings] = {}
    people: set[int] = set()
    for request in candidates:
        if request.organisation_id not in settings:
            settings[request.organisation_id] = measure_settings(request.organisation)
        if _reminder_due(request, settings[request.organisation_id], now):
            people.add(request.person_id)
    return sum(_remind(person_id, now) for person_id in sorted(people))


@transaction.atomic
def _remind(person_id: int, now: datetime) -> bool:
    """Remind one person (re-checked under a lock, so two runs at once send one email)."""
    today = timezone.localdate(now)
    waiting = list(
        _remindable(today)
        .filter(person_id=person_id)
        .select_for_update(of=("self",))
        .select_related("organisation", "person")
    )
    settings = {
        request.organisation_id: measure_settings(request.organisation) for request in waiting
    }
    if not any(_reminder_due(r, settings[r.organisation_id], now) for r in waiting):
        return False
    for request in waiting:
        if request.reminders_sent < settings[request.organisation_id].max_reminders:
            request.reminded_at = now
            request.reminders_sent += 1
            request.save(update_fields=["reminded_at", "reminders_sent"])
    email_measure_due(waiting[0].person)
    return True
