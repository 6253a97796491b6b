"""Erasure requests: what suggests a hold, and the services that record a request and decide
it (hold, refuse, or erase with the erasers in ``privacy.erasure``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from audit.services import audit_record
from privacy.erasure import Subject, erase_subject, mark_anonymised, subject_for_person
from privacy.models import ErasureRequest, ErasureStatus

if TYPE_CHECKING:
    from referrals.models import Referral

# Alerts closed this recently still suggest a safeguarding hold.
RECENT_ALERT_DAYS = 365


# Holds ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoldFact:
    """Something that suggests the data may need keeping. ``blocks``: erasure cannot go ahead
    until it changes (a relationship still running); otherwise the coordinator weighs it."""

    text: str
    blocks: bool = False


def hold_facts(request: ErasureRequest, now: datetime | None = None) -> list[HoldFact]:
    """What the coordinator must consider before confirming there is no legal or safeguarding
    hold: alerts about the person, relationships still running, concerns still open."""
    from mentoring.models import Concern, Relationship, RelationshipStatus
    from safeguarding.models import Alert, AlertStatus

    now = now or timezone.now()
    subject = subject_for_person(
        request.organisation, user=request.person, referral=request.referral
    )
    facts: list[HoldFact] = []
    if subject.user is not None:
        alerts = Alert.objects.filter(organisation=request.organisation, person=subject.user)
        open_alerts = alerts.exclude(status=AlertStatus.CLOSED).count()
        if open_alerts:
            facts.append(
                HoldFact(_plural(open_alerts, "safeguarding alert", "is", "are") + " open.")
            )
        recent = alerts.filter(
            status=AlertStatus.CLOSED, closed_at__gte=now - timedelta(days=RECENT_ALERT_DAYS)
        ).count()
        if recent:
            facts.append(
                HoldFact(
                    _plural(recent, "safeguarding alert", "was", "were")
                    + " closed in the last 12 months."
                )
            )
    as_mentee = Q(pk__in=subject.ids(subject.relationships))
    as_mentor = Q(mentor_id__in=subject.ids(subject.profiles))
    current = Relationship.objects.filter(
        as_mentee | as_mentor, status__in=RelationshipStatus.current()
    ).count()
    if current:
        facts.append(
            HoldFact(
                _plural(current, "mentoring relationship", "is", "are")
                + " still running: end it before erasing.",
                blocks=True,
            )
        )
    open_concerns = Concern.objects.filter(
        as_mentee_or_mentor_relationships(subject), resolved_at__isnull=True
    ).count()
    if open_concerns:
        facts.append(HoldFact(_plural(open_concerns, "concern", "is", "are") + " not resolved."))
    return facts


def as_mentee_or_mentor_relationships(subject: Subject) -> Q:
    return Q(relationship_id__in=subject.ids(subject.relationships)) | Q(
        relationship__mentor_id__in=subject.ids(subject.profiles)
    )


def _plural(count: int, noun: str, singular_verb: str, plural_verb: str) -> str:
    if count == 1:
        return f"1 {noun} {singular_verb}"
    return f"{count} {noun}s {plural_verb}"


# Services -------------------------------------------------------------------------------------


def _new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        reference = "ER-" + "".join(secrets.choice(alphabet) for _ in range(8))
        if not ErasureRequest.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def erasure_request_create(
    *,
    actor: User,
    organisation: Organisation,
    person: User | None = None,
    referral: Referral | None = None,
) -> ErasureRequest:
    """Record that someone asked for their data to be erased. Nothing is erased yet."""
    if person is None and referral is None:
        raise ValidationError("Choose the person with an account, or their referral.")
    if person is not None and person.pk == actor.pk:
        raise ValidationError({"person": "Ask another coordinator or admin to record this."})
    if (
        person is not None
        and not Membership.objects.filter(user=person, organisation=organisation).exists()
    ):
        raise ValidationError({"person": "This person does not belong to your organisation."})
    if referral is not None and getattr(referral, "organisation_id", None) != organisation.pk:
        raise ValidationError({"referral": "This referral is not your organisation's."})
    request = ErasureRequest.objects.create(
        organisation=organisation,
        person=person,
        referral=referral,
        reference=_new_reference(),
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action="privacy.erasure_requested",
        organisation=organisation,
        target=request,
        metadata={"has_account": person is not None, "has_referral": referral is not None},
    )
    return request


def _check_undecided(request: ErasureRequest) -> None:
    if request.status not in (ErasureStatus.REQUESTED, ErasureStatus.ON_HOLD):
        raise ValidationError("This request has already been decided.")


def _decide_without_erasing(
    *, actor: User, request: ErasureRequest, reason: str, status: ErasureStatus, missing: str
) -> ErasureRequest:
    _check_undecided(request)
    if not reason.strip():
        raise ValidationError({"reason": missing})
    request.status = status
    request.hold_reason = reason.strip()
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "hold_reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="privacy.erasure_held"
        if status == ErasureStatus.ON_HOLD
        else "privacy.erasure_refused",
        organisation=request.organisation,
        target=request,
    )
    return request


@transaction.atomic
def erasure_hold(*, actor: User, request: ErasureRequest, reason: str) -> ErasureRequest:
    """Keep the data for now: a legal or safeguarding hold, with the reason."""
    return _decide_without_erasing(
        actor=actor,
        request=request,
        reason=reason,
        status=ErasureStatus.ON_HOLD,
        missing="Say why the data must be kept for now.",
    )


@transaction.atomic
def erasure_refuse(*, actor: User, request: ErasureRequest, reason: str) -> ErasureRequest:
    """Refuse the request (for example, the law requires the records to be kept)."""
    return _decide_without_erasing(
        actor=actor,
        request=request,
        reason=reason,
        status=ErasureStatus.REFUSED,
        missing="Say why the request is refused.",
    )


@transaction.atomic
def erasure_carry_out(
    *, actor: User, request: ErasureRequest, no_hold_confirmed: bool
) -> ErasureRequest:
    """Erase the person's personal data in every table, once the coordinator has confirmed
    there is no legal or safeguarding hold. The request keeps only its reference and counts."""
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    _check_undecided(request)
    if not no_hold_confirmed:
        raise ValidationError(
            {"confirm_no_hold": "Confirm there is no legal or safeguarding hold first."}
        )
    blockers = [fact.text for fact in hold_facts(request) if fact.blocks]
    if blockers:
        raise ValidationError(blockers)
    subject = subject_for_person(
        request.organisation, user=request.person, referral=request.referral
    )
    counts = erase_subject(subject)
    mark_anonymised(subject, reason="erasure")
    request.status = ErasureStatus.ERASED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.erased_counts = dict(sorted(counts.items()))
    request.save(update_fields=["status", "decided_by", "decided_at", "erased_counts"])
    audit_record(
        actor=actor,
        action="privacy.erased",
        organisation=request.organisation,
        target=request,
        metadata={
            "account_erased": subject.erase_account,
            "rows": sum(counts.values()),
            **dict(sorted(counts.items())),
        },
    )
    return request
