"""Coordinator triage: logging contact attempts, and each way a new referral leaves the queue
(intake, signposting, declining, unable to contact, merging a duplicate).

Every service locks the referral, refuses what cannot happen in plain words, writes its audit
row in the same transaction, and treats a repeated click as nothing new.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from alongside.concurrency import already_made
from alongside.email import send_templated_email
from audit.services import audit_record
from referrals.models import (
    ContactAttempt,
    ContactMethod,
    ContactOutcome,
    Referral,
    Status,
    Urgency,
)
from referrals.selectors import referral_settings
from referrals.services.creating import hash_token, locked_referral, set_status

# Statuses a referral can still be worked on from the triage page.
CONTACTABLE_STATUSES = frozenset(Status.open_statuses())
ACCEPTABLE_STATUSES = frozenset({Status.NEW, Status.CONTACTING})

# The same attempt logged again this soon by the same person is a double click, not a new call.
REPEAT_WINDOW = timedelta(minutes=2)

ALREADY_CLOSED = "This referral is already closed."
DECIDE_DUPLICATE_FIRST = (
    "Decide whether this is the same person as the earlier referral first: merge them, or mark "
    "them as not the same person."
)

# Fields a merge fills on the kept referral when they are empty there, with the words the
# confirmation page uses for them.
MERGE_FILLED_FIELDS = {
    "preferred_name": "Known as",
    "email": "Email",
    "phone": "Phone",
    "year_of_birth": "Year of birth",
    "gender": "Gender",
    "best_time_to_contact": "Best time to contact",
    "hopes": "What they hope for",
    "area": "Where they are",
    "availability_slots": "Times that suit them",
    "availability": "More about when suits them",
    "formats": "How they would like to meet",
    "mentor_gender": "Mentor gender preference",
    "mentor_age_min": "Youngest mentor age",
    "mentor_age_max": "Oldest mentor age",
    "referrer_organisation_name": "Referring organisation",
    "safe_now": "Whether they felt safe",
    "mentee": "Their account",
    "access_token_hash": "Their private link",
}
_SAFE_CONTACT_FIELDS = {
    "voicemail_ok": "No voicemail",
    "email_ok": "No email",
    "text_ok": "No text messages",
}


def _require_open(referral: Referral) -> None:
    if not referral.is_open:
        raise ValidationError(ALREADY_CLOSED)


# Contact attempts ---------------------------------------------------------------------------


@transaction.atomic
def contact_attempt_record(
    *,
    actor: User,
    referral: Referral,
    method: ContactMethod | str,
    outcome: ContactOutcome | str,
    note: str = "",
    client_key: str = "",
) -> ContactAttempt:
    """Log one try at reaching the person. The first attempt moves a new referral to
    "trying to make contact".

    Sent twice: with a ``client_key`` (the page's form carries one), the same key returns the
    first attempt however late the resend comes, and two real calls are two attempts. Without
    one, the same attempt by the same person within ``REPEAT_WINDOW`` is taken as a resend.

    ``last_contacted_at`` records the last time we actually reached them (outcome "spoke"), so
    the waiting list can tell who has heard from us recently; a voicemail or no answer does not
    count as contact.
    """
    if method not in ContactMethod.values:
        raise ValidationError({"method": "Choose how you tried to reach them."})
    if outcome not in ContactOutcome.values:
        raise ValidationError({"outcome": "Choose what happened."})
    referral = locked_referral(referral)
    if referral.status not in CONTACTABLE_STATUSES:
        raise ValidationError(ALREADY_CLOSED)
    note = note.strip()
    now = timezone.now()
    resent = _resent_attempt(referral, actor, method, outcome, note, client_key, now)
    if resent is not None:
        return resent
    attempt = ContactAttempt.objects.create(
        referral=referral,
        attempted_at=now,
        method=method,
        outcome=outcome,
        note=note,
        by=actor,
        client_key=client_key,
    )
    if outcome == ContactOutcome.SPOKE:
        referral.last_contacted_at = now
        referral.save(update_fields=["last_contacted_at"])
    if referral.status == Status.NEW:
        set_status(referral, Status.CONTACTING)
    audit_record(
        actor=actor,
        action="referral.contact_attempted",
        organisation=referral.organisation,
        target=referral,
        metadata={"method": str(method), "outcome": str(outcome)},
    )
    return attempt


def _resent_attempt(
    referral: Referral,
    actor: User,
    method: str,
    outcome: str,
    note: str,
    client_key: str,
    now: datetime,
) -> ContactAttempt | None:
    """The attempt an earlier send of the same form logged, if any (the referral is locked)."""
    if client_key:
        return already_made(ContactAttempt, client_key, referral=referral)
    repeat = (
        ContactAttempt.objects.filter(
            referral=referral,
            by=actor,
            method=method,
            outcome=outcome,
            attempted_at__gte=now - REPEAT_WINDOW,
        )
        .order_by("-attempted_at")
        .first()
    )
    return repeat if repeat is not None and repeat.note == note else None


def attempts_without_reply(referral: Referral) -> int:
    """Attempts that did not reach the person, which is what "unable to contact" rests on."""
    return referral.contact_attempts.exclude(outcome=ContactOutcome.SPOKE).count()


def unable_to_contact_shortfall(referral: Referral, *, made: int | None = None) -> str:
    """Why the referral cannot be closed as unable to contact yet, or "" when it can. A page
    that already holds the attempts passes ``made`` to save a query."""
    needed = referral_settings(referral.organisation).contact_attempts_before_unable
    if made is None:
        made = attempts_without_reply(referral)
    if made >= needed:
        return ""
    return f"{needed} attempts are needed first; {made} so far."


# Leaving the queue --------------------------------------------------------------------------


@transaction.atomic
def referral_accept_to_intake(*, actor: User, referral: Referral) -> Referral:
    """Move a new referral on to intake. If the person is happy to get email, send them a fresh
    private link where they can tell us more online; the email says nothing about why."""
    referral = locked_referral(referral)
    if referral.status == Status.INTAKE:
        return referral
    if referral.status == Status.WAITING:
        raise ValidationError("This person has finished intake and is on the waiting list.")
    _require_open(referral)
    if referral.possible_duplicate_of_id is not None:
        raise ValidationError(DECIDE_DUPLICATE_FIRST)
    invite = bool(referral.email and referral.email_ok)
    token = ""
    if invite:
        token = secrets.token_urlsafe(32)
        referral.access_token_hash = hash_token(token)
        referral.save(update_fields=["access_token_hash"])
    set_status(referral, Status.INTAKE)
    audit_record(
        actor=actor,
        action="referral.accepted_to_intake",
        organisation=referral.organisation,
        target=referral,
        metadata={"invited_online": invite},
    )
    if invite:
        send_templated_email(
            "referrals/email/triage_intake_invite",
            to=[referral.email],
            context={
                "name": referral.preferred_name or referral.full_name,
                "organisation": referral.organisation,
                "path": reverse("referrals:status", args=[token]),
            },
        )
    return referral


@transaction.atomic
def referral_signpost(
    *, actor: User, referral: Referral, service_name: str, note: str = ""
) -> Referral:
    """Close the referral because another service suits the person better. The service is kept
    so anyone looking later knows where they went; the note stays with the referral."""
    service_name = service_name.strip()
    if not service_name:
        raise ValidationError({"service_name": "Name the service you pointed them to."})
    referral = locked_referral(referral)
    if referral.status == Status.SIGNPOSTED:
        return referral
    _require_open(referral)
    previous = referral.status
    referral.signposted_to = service_name
    referral.closed_reason = note.strip()
    referral.save(update_fields=["signposted_to", "closed_reason"])
    set_status(referral, Status.SIGNPOSTED)
    audit_record(
        actor=actor,
        action="referral.signposted",
        organisation=referral.organisation,
        target=referral,
        metadata={"from_status": previous},
    )
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    """Close the referral because the programme cannot help; the reason is for the record."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why, for the record."})
    referral = locked_referral(referral)
    if referral.status == Status.DECLINED:
        return referral
    _require_open(referral)
    previous = referral.status
    referral.closed_reason = reason
    referral.save(update_fields=["closed_reason"])
    set_status(referral, Status.DECLINED)
    audit_record(
        actor=actor,
        action="referral.declined",
        organisation=referral.organisation,
        target=referral,
        metadata={"from_status": previous},
    )
    return referral


@transaction.atomic
def referral_mark_unable_to_contact(*, actor: User, referral: Referral) -> Referral:
    """Close the referral after the organisation's number of attempts that did not reach them."""
    referral = locked_referral(referral)
    if referral.status == Status.UNABLE_TO_CONTACT:
        return referral
    _require_open(referral)
    shortfall = unable_to_contact_shortfall(referral)
    if shortfall:
        raise ValidationError(shortfall)
    previous = referral.status
    set_status(referral, Status.UNABLE_TO_CONTACT)
    audit_record(
        actor=actor,
        action="referral.unable_to_contact",
        organisation=referral.organisation,
        target=referral,
        metadata={"from_status": previous, "attempts": attempts_without_reply(referral)},
    )
    return referral


# Duplicates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergePlan:
    """What merging ``duplicate`` into ``into`` will change, for the confirmation page and for
    the merge itself, so the page never promises something the merge does not do."""

    filled_fields: list[str] = field(default_factory=list)
    filled_labels: list[str] = field(default_factory=list)
    support_areas_added: list[str] = field(default_factory=list)
    languages_added: list[str] = field(default_factory=list)
    attempts_moved: int = 0
    becomes_urgent: bool = False
    urgency_reasons: str = ""
    safer_contact: list[str] = field(default_factory=list)

    @property
    def safer_contact_labels(self) -> list[str]:
        return [_SAFE_CONTACT_FIELDS[name] for name in self.safer_contact]


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def merge_plan(*, duplicate: Referral, into: Referral) -> MergePlan:
    filled = [
        name
        for name in MERGE_FILLED_FIELDS
        if _is_empty(getattr(into, name)) and not _is_empty(getattr(duplicate, name))
    ]
    labels = [MERGE_FILLED_FIELDS[name] for name in filled]
    kept_areas = set(into.support_areas.values_list("pk", flat=True))
    kept_languages = set(into.languages.values_list("pk", flat=True))
    reasons = into.urgency_reasons
    becomes_urgent = False
    if duplicate.urgency == Urgency.URGENT:
        becomes_urgent = into.urgency != Urgency.URGENT
        reasons = _combined_reasons(into.urgency_reasons, duplicate.urgency_reasons)
    safer = [
        name
        for name in _SAFE_CONTACT_FIELDS
        if getattr(into, name) and not getattr(duplicate, name)
    ]
    return MergePlan(
        filled_fields=filled,
        filled_labels=labels,
        support_areas_added=[
            area.name for area in duplicate.support_areas.all() if area.pk not in kept_areas
        ],
        languages_added=[
            language.name
            for language in duplicate.languages.all()
            if language.pk not in kept_languages
        ],
        attempts_moved=duplicate.contact_attempts.count(),
        becomes_urgent=becomes_urgent,
        urgency_reasons=reasons,
        safer_contact=safer,
    )


def _combined_reasons(*reason_lists: str) -> str:
    reasons: list[str] = []
    for listed in reason_lists:
        for reason in listed.split(","):
            if reason.strip() and reason.strip() not in reasons:
                reasons.append(reason.strip())
    return ", ".join(reasons)[:200]


@transaction.atomic
def referral_merge(*, actor: User, duplicate: Referral, into: Referral) -> Referral:
    """Fold a duplicate referral into the one that is kept, and close the duplicate as merged.

    Nothing is copied silently beyond this list:
    - contact attempts move to the kept referral;
    - support areas and languages are added to the kept referral's;
    - fields empty on the kept referral are filled from the duplicate: preferred name, email,
      phone, year of birth, gender, best time to contact, hopes, area, times that suit them,
      more about when suits them, formats, mentor gender, mentor age range, referring
      organisation, whether they felt safe, their account, and their private link (so a
      self-referrer's link keeps working);
    - ways of contacting them safely take the more cautious answer of the two (if either says
      no voicemail, no email or no texts, the kept referral says so too);
    - if the duplicate is urgent, the kept referral becomes urgent with both sets of reasons;
    - a "possible duplicate" flag between the two is cleared, and any other referral flagged as
      a possible duplicate of the merged one now points at the kept one.
    """
    if duplicate.pk == into.pk:
        raise ValidationError("A referral cannot be merged into itself.")
    locked = {
        referral.pk: referral
        for referral in Referral.objects.select_for_update(of=("self",))
        .filter(pk__in=[duplicate.pk, into.pk])
        .order_by("pk")
    }
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if duplicate.status == Status.MERGED and duplicate.merged_into_id == into.pk:
        return into
    if duplicate.organisation_id != into.organisation_id:
        raise ValidationError("These referrals belong to different organisations.")
    if not duplicate.is_open or not into.is_open:
        raise ValidationError("Both referrals must still be open to merge them.")
    if hasattr(duplicate, "intake"):
        raise ValidationError(
            "This referral already has intake notes, so it cannot be merged away. Keep it and "
            "merge the other referral into it instead."
        )

    plan = merge_plan(duplicate=duplicate, into=into)
    changed = [*plan.filled_fields, *plan.safer_contact]
    for name in plan.filled_fields:
        setattr(into, name, getattr(duplicate, name))
    for name in plan.safer_contact:
        setattr(into, name, False)
    if duplicate.urgency == Urgency.URGENT:
        into.urgency = Urgency.URGENT
        into.urgency_reasons = plan.urgency_reasons
        changed += ["urgency", "urgency_reasons"]
    if into.possible_duplicate_of_id == duplicate.pk:
        into.possible_duplicate_of = None
        changed.append("possible_duplicate_of")
    if changed:
        into.save(update_fields=changed)
    into.support_areas.add(*duplicate.support_areas.all())
    into.languages.add(*duplicate.languages.all())
    moved = ContactAttempt.objects.filter(referral=duplicate).update(referral=into)
    Referral.objects.filter(possible_duplicate_of=duplicate).exclude(pk=into.pk).update(
        possible_duplicate_of=into
    )

    duplicate.merged_into = into
    duplicate.possible_duplicate_of = None
    duplicate.save(update_fields=["merged_into", "possible_duplicate_of"])
    set_status(duplicate, Status.MERGED)

    audit_record(
        actor=actor,
        action="referral.merged",
        organisation=duplicate.organisation,
        target=duplicate,
        metadata={"role": "merged_away", "into": into.pk},
    )
    audit_record(
        actor=actor,
        action="referral.merged",
        organisation=into.organisation,
        target=into,
        metadata={
            "role": "kept",
            "from": duplicate.pk,
            "attempts_moved": moved,
            "fields_filled": len(plan.filled_fields),
            "became_urgent": plan.becomes_urgent,
        },
    )
    return into


@transaction.atomic
def referral_dismiss_duplicate(*, actor: User, referral: Referral) -> Referral:
    """The coordinator has checked: the flagged referral is a different person."""
    referral = locked_referral(referral)
    if referral.possible_duplicate_of_id is None:
        return referral
    other = referral.possible_duplicate_of_id
    referral.possible_duplicate_of = None
    referral.save(update_fields=["possible_duplicate_of"])
    audit_record(
        actor=actor,
        action="referral.duplicate_dismissed",
        organisation=referral.organisation,
        target=referral,
        metadata={"other": other},
    )
    return referral
