"""Reminders of sessions coming up, sent by the daily (or hourly) upkeep task."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from alongside.email import send_templated_email
from mentoring.access import Viewer
from mentoring.models import MentoringSession, SessionStatus
from mentoring.selectors import mentoring_settings
from mentoring.services.sessions import SCHEDULABLE, pair_email, session_path
from privacy.consent import processing_allowed
from privacy.models import Purpose


def session_reminders_send(now: datetime | None = None) -> int:
    """Remind both people of each planned session starting within their organisation's reminder
    window (``session_reminder_hours``). Each session is reminded once, however often this runs.
    Returns how many sessions were reminded."""
    now = now or timezone.now()
    candidates = MentoringSession.objects.filter(
        status=SessionStatus.PLANNED,
        reminder_sent_at__isnull=True,
        scheduled_for__gt=now,
        relationship__status__in=SCHEDULABLE,
    )
    organisations = (
        candidates.values_list("relationship__organisation", flat=True).order_by().distinct()
    )
    sent = 0
    for organisation_id in organisations:
        organisation = Organisation.objects.get(pk=organisation_id)
        hours = mentoring_settings(organisation).session_reminder_hours
        due = candidates.filter(
            relationship__organisation=organisation,
            scheduled_for__lte=now + timedelta(hours=hours),
        ).values_list("pk", flat=True)
        for pk in list(due):
            if _remind(pk, now):
                sent += 1
    return sent


@transaction.atomic
def _remind(session_pk: int, now: datetime) -> bool:
    session = (
        MentoringSession.objects.select_for_update(of=("self",))
        .select_related(
            "relationship__mentor__user", "relationship__mentee", "relationship__referral"
        )
        .get(pk=session_pk)
    )
    if session.reminder_sent_at is not None or session.status != SessionStatus.PLANNED:
        return False
    session.reminder_sent_at = now
    session.save(update_fields=["reminder_sent_at"])
    relationship = session.relationship
    when = timezone.localtime(session.scheduled_for)
    days_ahead = (when.date() - timezone.localtime(now).date()).days
    day = "today" if days_ahead == 0 else "tomorrow" if days_ahead == 1 else ""
    people = {Viewer.MENTOR: relationship.mentor.user, Viewer.MENTEE: relationship.mentee}
    for role in (Viewer.MENTOR, Viewer.MENTEE):
        # Someone who said no to email reminders gets none, from the moment they said it.
        if not processing_allowed(people[role], Purpose.EMAIL_REMINDERS):
            continue
        send_templated_email(
            "mentoring/email/sessions_reminder",
            to=[pair_email(relationship, role)],
            context={"when": when, "day": day, "path": session_path(session)},
        )
    return True
