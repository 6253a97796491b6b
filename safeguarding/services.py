from __future__ import annotations

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from safeguarding.models import Alert, AlertLevel, AlertStatus, CrisisResource


@transaction.atomic
def crisis_resource_create(
    *, actor: User | None, organisation: Organisation, name: str, **details: object
) -> CrisisResource:
    resource = CrisisResource.objects.create(organisation=organisation, name=name, **details)
    audit_record(
        actor=actor,
        action="crisis_resource.created",
        organisation=organisation,
        target=resource,
    )
    return resource


def alert_raise(
    *,
    actor: User | None,
    organisation: Organisation,
    person: User | None,
    level: str,
    categories: list[str],
    source: str,
    source_label: str,
    target: models.Model | None = None,
    path: str = "",
    supervisor: User | None = None,
) -> Alert:
    """Record that someone may be at risk and tell the people who respond: the supervisor of
    the person's mentor (when there is one) and the organisation's coordinators, by a
    content-free email. Call it inside the transaction that saved what raised it, so the alert
    exists exactly when that record does.

    ``source`` is a short label (``measure``, ``message``); ``source_label`` says in words what
    raised it ("PHQ-9 question 9"), never what the person wrote or answered.
    """
    if level not in AlertLevel.values:
        raise ValueError(f"Unknown alert level {level!r}.")
    alert = Alert.objects.create(
        organisation=organisation,
        person=person,
        supervisor=supervisor if supervisor is not None and supervisor.is_active else None,
        level=level,
        categories=list(categories),
        source=source,
        source_label=source_label,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        path=path,
    )
    audit_record(
        actor=actor,
        action="safeguarding.alert_raised",
        organisation=organisation,
        target=alert,
        metadata={"level": level, "source": source},
    )
    recipients = coordinator_emails(organisation)
    if alert.supervisor is not None:
        recipients.append(alert.supervisor.email)
    send_templated_email(
        "safeguarding/email/alert",
        to=sorted(set(recipients)),
        context={"alert": alert, "path": reverse("safeguarding:alert", args=[alert.pk])},
    )
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    """Someone is responding: the alert stops waiting. Acknowledging twice changes nothing."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status == AlertStatus.ACKNOWLEDGED:
        return alert
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    audit_record(
        actor=actor,
        action="safeguarding.alert_acknowledged",
        organisation=alert.organisation,
        target=alert,
        metadata={"level": alert.level},
    )
    return alert
