"""Making a referral: one service for the public form, partner pages and the partner API, so all
three check consent, screen for crisis, spot duplicates and ignore repeats the same way.

What the person (or their referrer) wrote goes through the safeguarding detector once the
referral is saved: a sign of risk puts the referral at the top of the list and raises a
safeguarding alert in the same transaction, pointing at the referral."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Language, Organisation, SupportArea, User
from accounts.selectors import coordinator_emails
from alongside.email import send_templated_email
from audit.services import audit_record
from mentors.models import Format
from referrals import consent
from referrals.availability import SLOT_LABELS
from referrals.models import Referral, SafeNow, Source, Status, Urgency
from referrals.rules import normalise_preferences, referral_problems
from safeguarding.models import AlertLevel
from safeguarding.services.alerts import Screened, alert_raise, screen_text

_SIMPLE_FIELDS = (
    "full_name",
    "preferred_name",
    "email",
    "phone",
    "year_of_birth",
    "gender",
    "voicemail_ok",
    "email_ok",
    "text_ok",
    "best_time_to_contact",
    "hopes",
    "area",
    "availability",
    "mentor_gender",
    "mentor_gender_importance",
    "mentor_age_min",
    "mentor_age_max",
    "mentor_age_importance",
    "shared_experience_importance",
    "safe_now",
    "referrer_organisation_name",
)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def referral_for_access_token(token: str) -> Referral | None:
    """A self-referrer's private link to what they sent (no account needed)."""
    if not token:
        return None
    return (
        Referral.objects.select_related("organisation")
        .filter(access_token_hash=hash_token(token))
        .exclude(status=Status.MERGED)
        .first()
    )


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def find_possible_duplicate(
    organisation: Organisation, *, email: str, phone: str, exclude: int | None = None
) -> Referral | None:
    """An open referral in the same organisation with the same email or phone number."""
    candidates = Referral.objects.filter(
        organisation=organisation, status__in=Status.open_statuses()
    ).order_by("created_at")
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    if email:
        found = candidates.filter(email__iexact=email).first()
        if found is not None:
            return found
    wanted = _digits(phone)[-10:]
    if len(wanted) < 7:
        return None
    for pk, other_phone in candidates.exclude(phone="").values_list("pk", "phone"):
        if _digits(other_phone)[-10:] == wanted:
            return candidates.get(pk=pk)
    return None


RISK_WORDS = "risk words in what they wrote"
SOURCE_LABEL_SELF = "A referral form, written by the person themselves"
SOURCE_LABEL_REFERRER = "A referral form, written by a referrer"


def crisis_reasons(data: dict[str, Any]) -> list[str]:
    """Why a referral must be seen today, from what the person said about their safety. Labels
    only; the words stay in the referral. (What they wrote is screened once the referral is
    saved: ``referral_screen``.)"""
    reasons = []
    if data.get("safe_now") == SafeNow.NO:
        reasons.append("not safe right now")
    elif data.get("safe_now") == SafeNow.UNSURE:
        reasons.append("unsure if safe")
    return reasons


def referral_screen(referral: Referral, *, actor: User | None) -> Screened:
    """Screen what was written in a referral just saved; a sign of risk raises a safeguarding
    alert (about the person's account, if they have one) pointing at the referral. Call it in
    the transaction that saved the referral."""
    return screen_text(
        referral.hopes,
        referral.availability,
        actor=actor,
        organisation=referral.organisation,
        person=referral.mentee,
        source="referral",
        source_label=SOURCE_LABEL_SELF if referral.source == Source.SELF else SOURCE_LABEL_REFERRER,
        target=referral,
        path=reverse("referrals:detail", args=[referral.pk]),
    )


def _alert_if_not_safe(referral: Referral, data: dict[str, Any], *, actor: User | None) -> None:
    """Saying they are not safe right now (or unsure) is a sign of risk in itself: it raises a
    safeguarding alert (urgent, or a concern when unsure) in the referral's transaction."""
    answer = data.get("safe_now")
    if answer not in (SafeNow.NO, SafeNow.UNSURE):
        return
    label = SOURCE_LABEL_SELF if referral.source == Source.SELF else SOURCE_LABEL_REFERRER
    said = "not safe right now" if answer == SafeNow.NO else "unsure if safe"
    alert_raise(
        actor=actor,
        organisation=referral.organisation,
        person=referral.mentee,
        level=AlertLevel.URGENT if answer == SafeNow.NO else AlertLevel.CONCERN,
        categories=["not_safe_now" if answer == SafeNow.NO else "unsure_if_safe"],
        source="referral",
        source_label=f"{label}: {said}",
        target=referral,
        path=reverse("referrals:detail", args=[referral.pk]),
    )


@transaction.atomic
def referral_create(
    *,
    organisation: Organisation,
    data: dict[str, Any],
    source: Source | str,
    referrer: User | None = None,
    consent_given: bool,
    idempotency_key: str = "",
) -> tuple[Referral, bool, str]:
    """Returns the referral, whether it is new, and (for a new self-referral) the private link
    token. The same idempotency key returns the first referral unchanged."""
    if idempotency_key:
        existing = Referral.objects.filter(
            organisation=organisation, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing, False, ""
    if not consent_given:
        raise ValidationError(
            {"consent": "We can only accept a referral when the person has agreed to it."}
        )
    if not str(data.get("full_name", "")).strip():
        raise ValidationError({"full_name": "Enter the person's name."})
    data = dict(data)
    normalise_preferences(data)
    them = "you" if Source(source) == Source.SELF else "them"
    problems = referral_problems(data, them=them)
    if problems:
        raise ValidationError(problems)

    source = Source(source)
    reasons = crisis_reasons(data)
    token = secrets.token_urlsafe(32) if source == Source.SELF else ""
    now = timezone.now()
    referral = Referral(
        organisation=organisation,
        source=source,
        referrer=referrer,
        idempotency_key=idempotency_key,
        access_token_hash=hash_token(token) if token else "",
        urgency=Urgency.URGENT if reasons else Urgency.ROUTINE,
        urgency_reasons=", ".join(reasons),
        consent_version=consent.CURRENT_VERSION,
        consent_given_at=now,
        consent_confirmed_by=referrer,
        created_at=now,
        status_changed_at=now,
    )
    for name in _SIMPLE_FIELDS:
        if name in data and data[name] is not None:
            setattr(referral, name, data[name])
    referral.formats = [Format(value).value for value in data.get("formats", [])]
    referral.availability_slots = [
        slot for slot in data.get("availability_slots", []) if slot in SLOT_LABELS
    ]
    referral.possible_duplicate_of = find_possible_duplicate(
        organisation, email=referral.email, phone=referral.phone
    )
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        if not idempotency_key:
            raise
        # The same request arrived twice at once: the first one won.
        first = Referral.objects.get(organisation=organisation, idempotency_key=idempotency_key)
        return first, False, ""
    _set_choices(referral, data)
    _alert_if_not_safe(referral, data, actor=referrer)
    if referral_screen(referral, actor=referrer).is_risk:
        reasons.append(RISK_WORDS)
        referral.urgency = Urgency.URGENT
        referral.urgency_reasons = ", ".join(reasons)
        referral.save(update_fields=["urgency", "urgency_reasons"])
    audit_record(
        actor=referrer,
        action="referral.created",
        organisation=organisation,
        target=referral,
        metadata={
            "source": source.value,
            "urgent": bool(reasons),
            "possible_duplicate": referral.possible_duplicate_of_id is not None,
        },
    )
    send_templated_email(
        "referrals/email/urgent_referral" if reasons else "referrals/email/new_referral",
        to=coordinator_emails(organisation),
        context={"referral": referral, "organisation": organisation},
    )
    return referral, True, token


def _set_choices(referral: Referral, data: dict[str, Any]) -> None:
    if "support_areas" in data:
        areas: Iterable[SupportArea] = data["support_areas"]
        referral.support_areas.set(
            [area for area in areas if area.organisation_id == referral.organisation_id]
        )
    if "languages" in data:
        languages: Iterable[Language] = data["languages"]
        referral.languages.set(list(languages))


def locked_referral(referral: Referral) -> Referral:
    """The referral re-read and locked for this transaction, so two clicks cannot both apply a
    change. Only the row itself is locked (PostgreSQL refuses to lock the nullable side of a
    join)."""
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=referral.pk)
    )


def set_status(referral: Referral, status: Status) -> None:
    """Move to ``status``; the clock for how long it has been there restarts only on a change."""
    if referral.status != status:
        referral.status = status
        referral.status_changed_at = timezone.now()
        referral.save(update_fields=["status", "status_changed_at"])
