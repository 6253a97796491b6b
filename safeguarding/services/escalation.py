"""Escalating alerts nobody has responded to in time.

An alert waits for someone to say they are responding until its deadline (``due_at``, set by
its level and the organisation's response times). When the deadline passes with nobody
responding, the alert moves up one tier (see ``tier_recipients``): the people that tier adds
get a content-free email, and the alert has a new deadline of the same length. At the last tier
it stays on everyone's queue as overdue, and no more emails are sent.

``manage.py safeguarding_escalate`` runs this every minute. Each alert is escalated in its own
transaction with its row locked (skipping rows another run holds), so two runs at once never
escalate an alert twice, and running again at the same moment changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from safeguarding.models import Alert, AlertAction, AlertActionKind, AlertStatus
from safeguarding.services.alerts import FIRST_TIER, LAST_TIER, notify, tier_recipients
from safeguarding.services.rota import deadline_for

logger = logging.getLogger(__name__)


def _overdue(now: datetime) -> QuerySet[Alert]:
    return Alert.objects.filter(
        status=AlertStatus.OPEN, due_at__lte=now, escalation_level__lt=LAST_TIER
    )


def newly_told(alert: Alert, old_tier: int, new_tier: int) -> list[User]:
    """The people ``new_tier`` tells who ``old_tier`` did not."""
    already = {person.pk for person in tier_recipients(alert, old_tier)}
    return [person for person in tier_recipients(alert, new_tier) if person.pk not in already]


def _escalate_one(pk: int, now: datetime) -> int | None:
    """Escalate alert ``pk`` if it is still overdue and nobody else holds it: the number of
    people newly told, or ``None`` when there was nothing to do."""
    with transaction.atomic():
        alert = _overdue(now).select_for_update(skip_locked=True).filter(pk=pk).first()
        if alert is None:
            return None
        old_tier = max(alert.escalation_level, FIRST_TIER)
        new_tier = old_tier + 1
        alert.escalation_level = new_tier
        alert.escalated_at = now
        alert.due_at = deadline_for(alert.organisation, alert.level, now)
        alert.save(update_fields=["escalation_level", "escalated_at", "due_at"])
        AlertAction.objects.create(alert=alert, kind=AlertActionKind.ESCALATED, created_at=now)
        audit_record(
            actor=None,
            action="safeguarding.alert_escalated",
            organisation=alert.organisation,
            target=alert,
            metadata={"level": alert.level, "tier": new_tier},
        )
        people = newly_told(alert, old_tier, new_tier)
        if people:
            notify(alert, people, template="escalated")
        return len(people)


def escalate_overdue(now: datetime | None = None) -> dict[str, int]:
    """Move every alert past its deadline with nobody responding up one tier. Returns counts:
    alerts escalated, people emailed, alerts that failed (logged, tried again next run), and
    alerts overdue at the last tier (on everyone's queue; no more emails)."""
    now = now or timezone.now()
    counts = {"escalated": 0, "people_emailed": 0, "failed": 0}
    waiting = list(_overdue(now).order_by("due_at", "pk").values_list("pk", flat=True))
    for pk in waiting:
        try:
            told = _escalate_one(pk, now)
        except Exception:  # one alert's failure must not hold up the others
            logger.exception("Escalating safeguarding alert %s failed", pk)
            counts["failed"] += 1
            continue
        if told is not None:
            counts["escalated"] += 1
            counts["people_emailed"] += told
    counts["overdue_at_last_tier"] = Alert.objects.filter(
        status=AlertStatus.OPEN, due_at__lte=now, escalation_level__gte=LAST_TIER
    ).count()
    return counts
