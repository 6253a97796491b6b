"""Emergency ("break-glass") access to a relationship's private records.

Coordinators and admins see every relationship in their organisation, but not the pair's
messages nor the mentor's private session notes. When someone may be at risk and those records
hold what is needed, a coordinator or admin can open them for one hour by saying why. Every
opening, every read under it and every early ending is audited; the data protection lead (or,
where there is none, the organisation's admins) is told at once by an email that names no one.
The reason is stored encrypted and shown only to admins and data protection leads.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Organisation, Role, User
from accounts.selectors import data_protection_leads
from alongside.email import send_templated_email
from audit.models import BreakGlassGrant
from audit.services import audit_record
from mentoring.models import Relationship

GRANT_LENGTH = timedelta(hours=1)
REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 2000
EMAIL_PREFIX = "audit/email/break_glass_opened"


# Reads ------------------------------------------------------------------------------------------


def break_glass_active(
    user: User, relationship: Relationship, now: datetime | None = None
) -> BreakGlassGrant | None:
    """The grant that lets ``user`` read ``relationship``'s private records now, if any: not
    ended early and not yet expired."""
    if not user.is_authenticated:
        return None
    grant = (
        BreakGlassGrant.objects.filter(
            user=user,
            relationship=relationship,
            organisation_id=relationship.organisation_id,
            ended_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )
        .order_by("-expires_at", "-pk")
        .first()
    )
    if grant is not None:
        grant.relationship = relationship
    return grant


def can_review_break_glass(membership: Membership | None) -> bool:
    """Admins and data protection leads see every grant in their organisation, with reasons."""
    return (
        membership is not None
        and membership.is_active
        and (membership.role == Role.ADMIN or membership.is_data_protection_lead)
    )


def break_glass_grants_for(organisation: Organisation) -> QuerySet[BreakGlassGrant]:
    """Every grant in ``organisation``, newest first, with what the review list shows."""
    return BreakGlassGrant.objects.filter(organisation=organisation).select_related(
        "user", "relationship__mentor", "relationship__referral"
    )


def _staff_membership(user: User, organisation_id: int) -> Membership | None:
    return Membership.objects.filter(
        user=user,
        organisation_id=organisation_id,
        role__in=STAFF_ROLES,
        is_active=True,
        organisation__is_active=True,
    ).first()


def _notice_recipients(organisation: Organisation) -> list[str]:
    """The data protection leads; if the organisation has none, its admins."""
    leads = list(data_protection_leads(organisation).values_list("email", flat=True))
    if leads:
        return leads
    return list(
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.ADMIN,
            memberships__is_active=True,
            is_active=True,
        )
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


# Writes -----------------------------------------------------------------------------------------


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": (
                    "Say why you need emergency access, in at least "
                    f"{REASON_MIN_LENGTH} characters."
                )
            }
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"Keep the reason to {REASON_MAX_LENGTH} characters or fewer."}
        )
    return reason


@transaction.atomic
def break_glass_open(*, actor: User, relationship: Relationship, reason: str) -> BreakGlassGrant:
    """Open ``relationship``'s private records to ``actor`` for one hour.

    Only a coordinator or admin of the relationship's organisation may, and only with a reason.
    If ``actor`` already has an open grant for it (a repeated submission), that one is returned
    unchanged: no second grant, no second email.
    """
    if not actor.is_active or _staff_membership(actor, relationship.organisation_id) is None:
        raise PermissionDenied("Only the organisation's coordinators and admins can do this.")
    reason = _clean_reason(reason)
    # Lock the relationship row so two submissions at once cannot both open a grant.
    Relationship.objects.select_for_update().filter(pk=relationship.pk).first()
    existing = break_glass_active(actor, relationship)
    if existing is not None:
        return existing
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=actor,
        organisation_id=relationship.organisation_id,
        relationship=relationship,
        reason=reason,
        granted_at=now,
        expires_at=now + GRANT_LENGTH,
    )
    audit_record(
        actor=actor,
        action="break_glass.opened",
        organisation=relationship.organisation,
        target=relationship,
        metadata={"grant": grant.pk, "minutes": int(GRANT_LENGTH.total_seconds() // 60)},
    )
    send_templated_email(
        EMAIL_PREFIX,
        to=_notice_recipients(relationship.organisation),
        context={"path": reverse("audit:break_glass_list")},
    )
    return grant


@transaction.atomic
def break_glass_end(*, actor: User, grant: BreakGlassGrant) -> BreakGlassGrant:
    """End ``actor``'s own grant before its hour is up. Ending one already over changes
    nothing."""
    if grant.user_id != actor.pk:
        raise PermissionDenied("Only the person who opened emergency access can end it.")
    grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    now = timezone.now()
    if not grant.is_active_at(now):
        return grant
    grant.ended_at = now
    grant.save(update_fields=["ended_at"])
    audit_record(
        actor=actor,
        action="break_glass.ended",
        organisation=grant.organisation,
        target=grant.relationship,
        metadata={"grant": grant.pk},
    )
    return grant


def break_glass_read(*, actor: User, grant: BreakGlassGrant, route: str) -> None:
    """Record one read of private records under ``grant``; ``route`` names the page or
    endpoint (a label, such as ``mentoring:messages``)."""
    audit_record(
        actor=actor,
        action="break_glass.read",
        organisation=grant.relationship.organisation,
        target=grant.relationship,
        metadata={"grant": grant.pk, "route": route[:80]},
    )
