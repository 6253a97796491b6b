"""Intake: the coordinator (or the person, through their private link) confirms what the person
needs and hopes for, and completing it puts them on the waiting list with a mentee account."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Language, Membership, Role, SupportArea, User
from accounts.selectors import coordinator_emails
from accounts.services import membership_grant, user_create
from alongside.concurrency import check_and_bump
from alongside.email import send_templated_email
from audit.services import audit_record
from mentors.models import Format
from referrals import signals
from referrals.availability import SLOT_LABELS
from referrals.models import Importance, Intake, Referral, Status, Urgency
from referrals.services.creating import locked_referral, set_status
from safeguarding.services.alerts import Screened, screen_text

# What intake records about the person (the Intake row); ``notes`` are for staff only.
INTAKE_TEXT_FIELDS = ("goals", "accessibility_needs", "emergency_contact", "gp_details")
STAFF_ONLY_FIELDS = ("notes",)
# What intake confirms on the referral itself.
REFERRAL_TEXT_FIELDS = ("area", "availability", "mentor_gender")
REFERRAL_IMPORTANCE_FIELDS = (
    "mentor_gender_importance",
    "mentor_age_importance",
    "shared_experience_importance",
)
REFERRAL_AGE_FIELDS = ("mentor_age_min", "mentor_age_max")

RISK_AT_INTAKE = "risk words in their intake"
SOURCE_LABEL_SELF = "Intake, written by the person themselves"
SOURCE_LABEL_STAFF = "Intake, written by staff with the person"
NOT_AT_INTAKE = "Intake can only be changed while the referral is at intake. It is now: {status}."
ANOTHER_ROLE = (
    "This email address belongs to someone with another role here; use a different address "
    "for the mentee."
)
ACCOUNT_SWITCHED_OFF = (
    "This email address belongs to an account that has been switched off. Ask an administrator "
    "to look at it before completing intake."
)
MISSING = {
    "goals": "Write down the goals, in the person's own words.",
    "languages": "Choose at least one language.",
    "formats": "Choose at least one way of meeting.",
    "availability_slots": "Choose at least one time of the week that suits.",
}


@transaction.atomic
def intake_save(
    *, actor: User | None, referral: Referral, data: dict[str, Any], version: int | None = None
) -> Intake:
    """Keep a draft of intake and the confirmed referral details; nothing moves yet. Only the
    keys present in ``data`` change. Staff notes are ignored when the person saves it. A save
    made against an older ``version`` (0: before any draft) is refused with ``STALE``."""
    referral = locked_referral(referral)
    _ensure_at_intake(referral)
    intake = _apply(actor=actor, referral=referral, data=data, version=version)
    audit_record(
        actor=actor,
        action="referral.intake_saved",
        organisation=referral.organisation,
        target=referral,
        metadata={"by_person": actor is None},
    )
    return intake


@transaction.atomic
def intake_complete(
    *, actor: User | None, referral: Referral, data: dict[str, Any], version: int | None = None
) -> Referral:
    """Save intake, check it is complete, give the person a mentee account (when they have an
    email address) and put them on the waiting list. Completing twice changes nothing.

    A person with only a phone number gets no account: they wait without online access and the
    coordinator keeps in touch by phone.
    """
    referral = locked_referral(referral)
    existing = Intake.objects.filter(referral=referral).first()
    if referral.status == Status.WAITING and existing and existing.completed_at:
        return referral
    _ensure_at_intake(referral)
    intake = _apply(actor=actor, referral=referral, data=data, version=version)
    _ensure_complete(referral, intake)

    user, created = _mentee_account(actor=actor, referral=referral)
    now = timezone.now()
    intake.completed_at = now
    intake.completed_by = actor
    intake.save(update_fields=["completed_at", "completed_by"])
    referral.mentee = user
    referral.waiting_since = now
    referral.save(update_fields=["mentee", "waiting_since"])
    set_status(referral, Status.WAITING)
    risk = _screen(referral, intake, actor=actor)
    flagged = actor is None and risk.is_risk
    if flagged:
        _prioritise(referral)
    audit_record(
        actor=actor,
        action="referral.intake_completed",
        organisation=referral.organisation,
        target=referral,
        metadata={
            "account_created": created,
            "has_account": user is not None,
            "by_person": actor is None,
            "flagged_urgent": flagged,
        },
    )
    if user is not None:
        _send_welcome(referral, user, account_created=created)
    signals.intake_completed.send(sender=Referral, referral=referral, actor=actor)
    return referral


def _screen(referral: Referral, intake: Intake, *, actor: User | None) -> Screened:
    """What intake says in the person's words goes through the safeguarding detector when it is
    completed; a sign of risk raises a safeguarding alert about the person, pointing at the
    referral, in the same transaction."""
    return screen_text(
        intake.goals,
        intake.accessibility_needs,
        actor=actor,
        organisation=referral.organisation,
        person=referral.mentee,
        source="intake",
        source_label=SOURCE_LABEL_SELF if actor is None else SOURCE_LABEL_STAFF,
        target=referral,
        path=reverse("referrals:detail", args=[referral.pk]),
    )


def _prioritise(referral: Referral) -> None:
    """The person filled in intake alone and what they wrote suggests risk: they go to the top
    of the list and coordinators hear today, as at referral. With a coordinator there, the
    coordinator judges (the safeguarding alert is raised either way)."""
    reasons = [r for r in referral.urgency_reasons.split(", ") if r]
    if RISK_AT_INTAKE not in reasons:
        reasons.append(RISK_AT_INTAKE)
    referral.urgency = Urgency.URGENT
    referral.urgency_reasons = ", ".join(reasons)[:200]
    referral.save(update_fields=["urgency", "urgency_reasons"])
    send_templated_email(
        "referrals/email/intake_urgent",
        to=coordinator_emails(referral.organisation),
        context={"organisation": referral.organisation, "path": reverse("referrals:waiting_list")},
    )


def intake_missing(referral: Referral, intake: Intake | None) -> dict[str, str]:
    """What still stands between intake and the waiting list, by field."""
    missing = {}
    if intake is None or not intake.goals.strip():
        missing["goals"] = MISSING["goals"]
    if not referral.languages.exists():
        missing["languages"] = MISSING["languages"]
    if not referral.formats:
        missing["formats"] = MISSING["formats"]
    if not referral.availability_slots:
        missing["availability_slots"] = MISSING["availability_slots"]
    return missing


def _ensure_at_intake(referral: Referral) -> None:
    if referral.status != Status.INTAKE:
        raise ValidationError(NOT_AT_INTAKE.format(status=referral.get_status_display().lower()))


def _ensure_complete(referral: Referral, intake: Intake) -> None:
    missing = intake_missing(referral, intake)
    if missing:
        raise ValidationError(missing)


def _apply(
    *, actor: User | None, referral: Referral, data: dict[str, Any], version: int | None
) -> Intake:
    """Called with the referral row locked, which is what keeps the version check and the save
    of its one intake together."""
    intake = Intake.objects.filter(referral=referral).first() or Intake(
        referral=referral, version=0
    )
    check_and_bump(intake, version)
    fields = INTAKE_TEXT_FIELDS + (STAFF_ONLY_FIELDS if actor is not None else ())
    for name in fields:
        if name in data:
            setattr(intake, name, str(data[name] or "").strip())
    intake.updated_at = timezone.now()
    intake.save()

    changed = []
    for name in REFERRAL_TEXT_FIELDS:
        if name in data:
            setattr(referral, name, str(data[name] or "").strip())
            changed.append(name)
    for name in REFERRAL_IMPORTANCE_FIELDS:
        if name in data:
            setattr(referral, name, Importance(data[name] or Importance.NONE).value)
            changed.append(name)
    for name in REFERRAL_AGE_FIELDS:
        if name in data:
            setattr(referral, name, data[name])
            changed.append(name)
    if "formats" in data:
        referral.formats = [Format(value).value for value in data["formats"]]
        changed.append("formats")
    if "availability_slots" in data:
        referral.availability_slots = [
            slot for slot in data["availability_slots"] if slot in SLOT_LABELS
        ]
        changed.append("availability_slots")
    if changed:
        referral.save(update_fields=changed)
    if "support_areas" in data:
        areas: Iterable[SupportArea] = data["support_areas"]
        referral.support_areas.set(
            [area for area in areas if area.organisation_id == referral.organisation_id]
        )
    if "languages" in data:
        languages: Iterable[Language] = data["languages"]
        referral.languages.set(list(languages))
    return intake


def _mentee_account(*, actor: User | None, referral: Referral) -> tuple[User | None, bool]:
    """The person's account, made now if they have none; one role per organisation."""
    if referral.mentee_id is not None:
        user = referral.mentee
    elif referral.email:
        user = User.objects.filter(email__iexact=referral.email).first()
    else:
        return None, False
    created = False
    if user is None:
        user = user_create(
            actor=actor,
            email=referral.email,
            name=referral.preferred_name or referral.full_name,
            email_verified=False,
        )
        created = True
    elif not user.is_active:
        raise ValidationError(ACCOUNT_SWITCHED_OFF)
    membership = Membership.objects.filter(
        user=user, organisation=referral.organisation, is_active=True
    ).first()
    if membership is not None and membership.role != Role.MENTEE:
        raise ValidationError(ANOTHER_ROLE)
    if membership is None:
        membership_grant(
            actor=actor, organisation=referral.organisation, user=user, role=Role.MENTEE
        )
    return user, created


def _send_welcome(referral: Referral, user: User, *, account_created: bool) -> None:
    """Says only that an account is ready, never why: an email can be read over a shoulder."""
    password_path = ""
    if account_created or not user.has_usable_password():
        password_path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    send_templated_email(
        "referrals/email/intake_welcome",
        to=[user.email],
        context={
            "name": referral.preferred_name or referral.full_name,
            "organisation": referral.organisation,
            "password_path": password_path,
            "sign_in_path": reverse("account_login"),
            "link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )
