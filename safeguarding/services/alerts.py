"""Safeguarding alerts: raising them (from the detector or a questionnaire flag), and the steps
of responding — acknowledge, contact attempts, actions taken, notes, close with an outcome (a
false alarm is an outcome), reopen. Every step is audited with who and when, never content.

An alert is about a person. While one is not closed, later signs about the same person join it
(``AlertSign``) rather than opening another, and a more serious sign raises its level, brings its
deadline forward and tells the responders again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from alongside.concurrency import already_made
from alongside.email import send_templated_email
from audit.services import audit_record
from safeguarding import detector
from safeguarding.access import alerts_visible_to
from safeguarding.detector import RiskAssessment, RiskLevel
from safeguarding.models import (
    LEVEL_ORDER,
    Alert,
    AlertAction,
    AlertActionKind,
    AlertLevel,
    AlertOutcome,
    AlertSign,
    AlertStatus,
    ContactMethod,
    SafeguardingAction,
)
from safeguarding.services.rota import active_leads, deadline_for, duty_lead_at

logger = logging.getLogger(__name__)

EXCERPT_LIMIT = 2000
NOTE_LIMIT = 4000
DETECTION_FAILED = "detection_failed"
NOT_A_RESPONDER = "Only the people who respond to this alert can change it."
IS_CLOSED = "This alert is closed. Reopen it to add to it."


# Who is told, by tier. Tier 0 when the alert is raised; each missed deadline moves it up one.
FIRST_TIER = 0
LAST_TIER = 2


def _active(users: Iterable[User | None]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.is_active:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def _members(organisation: Organisation, *roles: str) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.filter(
            organisation=organisation, role__in=roles, is_active=True, user__is_active=True
        ).select_related("user")
    ]


def tier_recipients(alert: Alert, tier: int) -> list[User]:
    """The people to tell at ``tier``:

    0. the mentor's supervisor and the duty safeguarding lead (when nobody is on the rota, every
       safeguarding lead; with no leads, the coordinators);
    1. every safeguarding lead and every coordinator;
    2. everyone above and the organisation's admins.
    """
    organisation = alert.organisation
    leads = [lead.user for lead in active_leads(organisation)]
    if tier <= FIRST_TIER:
        responsible: list[User | None]
        if alert.duty_lead is not None and alert.duty_lead.is_active:
            responsible = [alert.duty_lead]
        elif leads:
            responsible = list(leads)
        else:
            responsible = list(_members(organisation, Role.COORDINATOR))
        return _active([alert.supervisor, *responsible])
    people: list[User | None] = [alert.supervisor, alert.duty_lead, *leads]
    people += _members(organisation, Role.COORDINATOR)
    if tier >= LAST_TIER:
        people += _members(organisation, Role.ADMIN)
    return _active(people)


def notify(alert: Alert, people: Sequence[User], *, template: str = "alert") -> None:
    """A content-free email to ``people`` pointing at the alert (sent when the change commits)."""
    send_templated_email(
        f"safeguarding/email/{template}",
        to=sorted({person.email for person in people}),
        context={"alert": alert, "path": reverse("safeguarding:alert", args=[alert.pk])},
    )


def _open_alert_about(organisation: Organisation, person: User | None) -> Alert | None:
    if person is None:
        return None
    return (
        Alert.objects.select_for_update()
        .filter(organisation=organisation, person=person)
        .exclude(status=AlertStatus.CLOSED)
        .order_by("-created_at", "-pk")
        .first()
    )


def alert_raise(
    *,
    actor: User | None,
    organisation: Organisation,
    person: User | None,
    level: str,
    categories: Sequence[str],
    source: str,
    source_label: str,
    target: models.Model | None = None,
    path: str = "",
    supervisor: User | None = None,
    excerpt: str = "",
    matches: Sequence[str] = (),
    detection_failed: bool = False,
    now: datetime | None = None,
) -> Alert:
    """Record that someone may be at risk and tell the people who respond. Call it inside the
    transaction that saved what raised it, so the alert exists exactly when that record does.

    ``source`` is a short label (``measure``, ``message``); ``source_label`` says in words what
    raised it ("PHQ-9 question 9"). ``excerpt`` and ``matches`` (the flagged words) are stored
    encrypted for the responders; emails and the audit log never carry them.
    """
    if level not in AlertLevel.values:
        raise ValueError(f"Unknown alert level {level!r}.")
    now = now or timezone.now()
    alert = _open_alert_about(organisation, person)
    created = alert is None
    if alert is None:
        alert = Alert.objects.create(
            organisation=organisation,
            person=person,
            supervisor=supervisor if supervisor is not None and supervisor.is_active else None,
            duty_lead=duty_lead_at(organisation, now),
            level=level,
            categories=list(dict.fromkeys(categories)),
            source=source,
            source_label=source_label,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None else "",
            path=path,
            created_at=now,
            due_at=deadline_for(organisation, level, now),
        )
    AlertSign.objects.create(
        alert=alert,
        level=level,
        categories=list(dict.fromkeys(categories)),
        source=source,
        source_label=source_label,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        path=path,
        excerpt=excerpt[:EXCERPT_LIMIT],
        matches="\n".join(dict.fromkeys(match.replace("\n", " ") for match in matches)),
        detection_failed=detection_failed,
        created_at=now,
    )
    if created:
        audit_record(
            actor=actor,
            action="safeguarding.alert_raised",
            organisation=organisation,
            target=alert,
            metadata={"level": level, "source": source},
        )
        notify(alert, tier_recipients(alert, FIRST_TIER))
        return alert
    _add_sign(alert, actor=actor, level=level, categories=categories, source=source, now=now)
    return alert


def _add_sign(
    alert: Alert,
    *,
    actor: User | None,
    level: str,
    categories: Sequence[str],
    source: str,
    now: datetime,
) -> None:
    """A further sign joins an alert that is not closed; a more serious one raises its level."""
    alert.categories = list(dict.fromkeys([*alert.categories, *categories]))
    fields = ["categories"]
    raised = LEVEL_ORDER[level] > LEVEL_ORDER[alert.level]
    if raised:
        alert.level = level
        fields.append("level")
        if alert.status == AlertStatus.OPEN:
            sooner = deadline_for(alert.organisation, level, now)
            if alert.due_at is None or sooner < alert.due_at:
                alert.due_at = sooner
                fields.append("due_at")
        AlertAction.objects.create(alert=alert, kind=AlertActionKind.LEVEL_RAISED, created_at=now)
    alert.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="safeguarding.alert_sign_added",
        organisation=alert.organisation,
        target=alert,
        metadata={"level": level, "source": source, "level_raised": raised},
    )
    if raised:
        notify(
            alert, _active([*tier_recipients(alert, alert.escalation_level), alert.acknowledged_by])
        )
    elif alert.acknowledged_by is not None and alert.acknowledged_by.is_active:
        notify(alert, [alert.acknowledged_by], template="alert_update")


@dataclass(frozen=True)
class Screened:
    """What the detector found in some text, and the alert it raised or added to (if any)."""

    assessment: RiskAssessment
    alert: Alert | None = None
    detection_failed: bool = False

    @property
    def level(self) -> RiskLevel:
        return self.assessment.level

    @property
    def is_risk(self) -> bool:
        return self.assessment.is_risk

    @property
    def is_serious(self) -> bool:
        return self.assessment.is_serious


def assess_safely(written: Sequence[str], source: str) -> RiskAssessment | None:
    """The detector's reading of ``written``, or ``None`` if detection failed (logged with the
    error's type only, never the text)."""
    try:
        return detector.assess(*written)
    except Exception as error:
        logger.error("Risk detection failed on a %s: %s", source, type(error).__name__)
        return None


def screen_text(
    *texts: str,
    actor: User | None,
    organisation: Organisation,
    person: User | None,
    source: str,
    source_label: str,
    target: models.Model | None = None,
    path: str = "",
    supervisor: User | None = None,
    now: datetime | None = None,
) -> Screened:
    """Run the detector over ``texts`` and, when it finds a sign of risk, raise an alert in the
    caller's transaction. If detection itself fails, the text is still saved by the caller and
    an alert says that detection failed, so a person looks at it instead."""
    written = [text for text in texts if text]
    if not written:
        return Screened(detector.NO_RISK)
    assessment = assess_safely(written, source)
    if assessment is None:  # any failure must still reach a person
        alert = alert_raise(
            actor=actor,
            organisation=organisation,
            person=person,
            level=AlertLevel.HIGH,
            categories=[DETECTION_FAILED],
            source=source,
            source_label=f"{source_label} (risk detection failed: please read it)",
            target=target,
            path=path,
            supervisor=supervisor,
            excerpt="\n\n".join(written),
            detection_failed=True,
            now=now,
        )
        return Screened(detector.NO_RISK, alert, detection_failed=True)
    if not assessment.is_risk:
        return Screened(assessment)
    alert = alert_raise(
        actor=actor,
        organisation=organisation,
        person=person,
        level=str(assessment.level),
        categories=assessment.categories,
        source=source,
        source_label=source_label,
        target=target,
        path=path,
        supervisor=supervisor,
        excerpt="\n\n".join(written),
        matches=assessment.matches,
        now=now,
    )
    return Screened(assessment, alert)


# Responding ------------------------------------------------------------------------------------


def _locked_for(actor: User, alert: Alert, *, allow_closed: bool = False) -> Alert:
    """The alert, locked, if ``actor`` responds to it; a ValidationError otherwise."""
    membership = (
        Membership.objects.filter(user=actor, organisation_id=alert.organisation_id, is_active=True)
        .order_by("pk")
        .first()
    )
    if not actor.is_active or not alerts_visible_to(actor, membership).filter(pk=alert.pk).exists():
        raise ValidationError(NOT_A_RESPONDER, code="not_responder")
    locked = Alert.objects.select_for_update().select_related("organisation").get(pk=alert.pk)
    if locked.status == AlertStatus.CLOSED and not allow_closed:
        raise ValidationError(IS_CLOSED, code="closed")
    return locked


def _note(note: str, errors: dict[str, str], *, required: str = "") -> str:
    note = (note or "").strip()
    if required and not note:
        errors["note"] = required
    elif len(note) > NOTE_LIMIT:
        errors["note"] = f"Keep the note to {NOTE_LIMIT} characters or fewer."
    return note


def _step(
    alert: Alert,
    actor: User,
    kind: str,
    now: datetime,
    metadata: dict[str, object],
    **fields: object,
) -> AlertAction:
    action = AlertAction.objects.create(
        alert=alert, kind=kind, actor=actor, created_at=now, **fields
    )
    audit_record(
        actor=actor,
        action=f"safeguarding.alert_{kind}",
        organisation=alert.organisation,
        target=alert,
        metadata={"level": alert.level, **metadata},
    )
    return action


def _mark_acknowledged(alert: Alert, actor: User, now: datetime) -> bool:
    if alert.status != AlertStatus.OPEN:
        return False
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by = actor
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    _step(alert, actor, AlertActionKind.ACKNOWLEDGED, now, {})
    return True


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, now: datetime | None = None) -> Alert:
    """Someone is responding: the alert stops waiting and stops escalating. Acknowledging twice
    changes nothing (the first person stays the one responding)."""
    locked = _locked_for(actor, alert)
    _mark_acknowledged(locked, actor, now or timezone.now())
    return locked


@transaction.atomic
def alert_contact_attempt(
    *,
    actor: User,
    alert: Alert,
    method: str,
    reached: bool | None,
    note: str = "",
    client_key: str = "",
    now: datetime | None = None,
) -> AlertAction:
    """Record trying to reach the person: how, and whether they were reached. The same
    ``client_key`` sent again (a double click, a resend) returns the first record; two real
    attempts a minute apart, with the same words, are two records."""
    errors: dict[str, str] = {}
    if method not in ContactMethod.values:
        errors["method"] = "Choose how you tried to contact them."
    if reached is None:
        errors["reached"] = "Say whether you reached them."
    note = _note(note, errors)
    locked = _locked_for(actor, alert)
    if errors:
        raise ValidationError(errors)
    earlier = already_made(AlertAction, client_key, alert=locked)
    if earlier is not None:
        return earlier
    now = now or timezone.now()
    _mark_acknowledged(locked, actor, now)
    return _step(
        locked,
        actor,
        AlertActionKind.CONTACT_ATTEMPT,
        now,
        {"method": method, "reached": reached},
        contact_method=method,
        reached=reached,
        note=note,
        client_key=client_key,
    )


@transaction.atomic
def alert_action_taken(
    *,
    actor: User,
    alert: Alert,
    action: str,
    note: str = "",
    client_key: str = "",
    now: datetime | None = None,
) -> AlertAction:
    """Record an action: safety plan discussed, crisis service contacted, emergency services
    called, GP informed (with consent, or without it under the safeguarding exception)... The
    same ``client_key`` sent again returns the first record."""
    errors: dict[str, str] = {}
    if action not in SafeguardingAction.values:
        errors["action"] = "Choose the action you took."
    required = ""
    if action == SafeguardingAction.OTHER:
        required = "Say what you did."
    elif action == SafeguardingAction.GP_SAFEGUARDING_EXCEPTION:
        required = "Record why you shared information without consent."
    note = _note(note, errors, required=required)
    locked = _locked_for(actor, alert)
    if errors:
        raise ValidationError(errors)
    earlier = already_made(AlertAction, client_key, alert=locked)
    if earlier is not None:
        return earlier
    now = now or timezone.now()
    _mark_acknowledged(locked, actor, now)
    return _step(
        locked,
        actor,
        AlertActionKind.ACTION_TAKEN,
        now,
        {"action": action},
        action=action,
        note=note,
        client_key=client_key,
    )


@transaction.atomic
def alert_add_note(
    *, actor: User, alert: Alert, note: str, now: datetime | None = None
) -> AlertAction:
    errors: dict[str, str] = {}
    note = _note(note, errors, required="Write the note.")
    locked = _locked_for(actor, alert)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    resent = _same_note_just_added(locked, actor, note, now)
    if resent is not None:  # a double click or a resend: keep the note once
        return resent
    return _step(locked, actor, AlertActionKind.NOTE, now, {}, note=note)


# A note sent again by the same person within this long is taken as a resend of the first.
NOTE_RESEND_WINDOW = timedelta(minutes=10)


def _same_note_just_added(
    alert: Alert, actor: User, note: str, now: datetime
) -> AlertAction | None:
    """The note this person just added with the same words, if any (the alert row is locked,
    so two sends cannot both miss it)."""
    latest = (
        AlertAction.objects.filter(
            alert=alert,
            actor=actor,
            kind=AlertActionKind.NOTE,
            created_at__gte=now - NOTE_RESEND_WINDOW,
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return latest if latest is not None and latest.note == note else None


@transaction.atomic
def alert_close(
    *, actor: User, alert: Alert, outcome: str, note: str, now: datetime | None = None
) -> Alert:
    """Close the alert with its outcome and a note. The outcome "no risk found" marks it a false
    alarm, which the detector's maintainers review (``manage.py risk_false_positives``)."""
    errors: dict[str, str] = {}
    if outcome not in AlertOutcome.values:
        errors["outcome"] = "Choose the outcome."
    note = _note(note, errors, required="Write a closing note: what happened and what is next.")
    locked = _locked_for(actor, alert)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    _mark_acknowledged(locked, actor, now)
    locked.status = AlertStatus.CLOSED
    locked.closed_at = now
    locked.closed_by = actor
    locked.outcome = outcome
    locked.closing_note = note
    locked.false_positive = outcome == AlertOutcome.NO_RISK
    locked.save(
        update_fields=[
            "status",
            "closed_at",
            "closed_by",
            "outcome",
            "closing_note",
            "false_positive",
        ]
    )
    _step(
        locked,
        actor,
        AlertActionKind.CLOSED,
        now,
        {"outcome": outcome, "false_positive": locked.false_positive},
    )
    return locked


@transaction.atomic
def alert_reopen(*, actor: User, alert: Alert, note: str, now: datetime | None = None) -> Alert:
    """Reopen a closed alert (it goes back to "someone is responding", with the reopener)."""
    errors: dict[str, str] = {}
    note = _note(note, errors, required="Say why you are reopening it.")
    locked = _locked_for(actor, alert, allow_closed=True)
    if errors:
        raise ValidationError(errors)
    if locked.status != AlertStatus.CLOSED:
        return locked
    now = now or timezone.now()
    locked.status = AlertStatus.ACKNOWLEDGED
    locked.acknowledged_by = actor
    locked.acknowledged_at = locked.acknowledged_at or now
    locked.closed_at = None
    locked.closed_by = None
    locked.false_positive = False
    locked.save(
        update_fields=[
            "status",
            "acknowledged_by",
            "acknowledged_at",
            "closed_at",
            "closed_by",
            "false_positive",
        ]
    )
    _step(locked, actor, AlertActionKind.REOPENED, now, {}, note=note)
    return locked
