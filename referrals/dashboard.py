"""What the home pages show about referrals: counts for staff, status for partners, and the
mentee's own place on the waiting list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from accounts.models import Organisation, User
from referrals.models import Referral, Status, Urgency
from referrals.selectors import mentee_referral, referral_settings, referrals_made_by

_TRIAGE = [Status.NEW, Status.CONTACTING, Status.INTAKE]


@dataclass(frozen=True)
class ReferralSummary:
    new: int
    contacting: int
    intake: int
    possible_duplicates: int
    waiting: int
    waiting_over_threshold: int
    longest_wait_days: int | None
    waiting_alert_days: int


def coordinator_referral_summary(organisation: Organisation) -> ReferralSummary:
    """The queue and the waiting list at a glance, in one query however many referrals there
    are. Urgent referrals are counted apart (``urgent_referral_count``), as they must be current."""
    settings = referral_settings(organisation)
    now = timezone.now()
    # Whole days, as the waiting list counts them: waiting 42 days and some hours is not over 42.
    alert_before = now - timedelta(days=settings.waiting_alert_days + 1)
    open_referrals = Referral.objects.filter(
        organisation=organisation, status__in=Status.open_statuses()
    )
    counts = open_referrals.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        contacting=Count("pk", filter=Q(status=Status.CONTACTING)),
        intake=Count("pk", filter=Q(status=Status.INTAKE)),
        possible_duplicates=Count("pk", filter=Q(possible_duplicate_of__isnull=False)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
        waiting_over_threshold=Count(
            "pk", filter=Q(status=Status.WAITING, waiting_since__lte=alert_before)
        ),
        earliest_waiting=Min("waiting_since", filter=Q(status=Status.WAITING)),
    )
    earliest = counts.pop("earliest_waiting")
    return ReferralSummary(
        **counts,
        longest_wait_days=(now - earliest).days if earliest else None,
        waiting_alert_days=settings.waiting_alert_days,
    )


def urgent_referral_count(organisation: Organisation) -> int:
    """Urgent referrals still waiting for triage: people who need contact today."""
    return Referral.objects.filter(
        organisation=organisation, status__in=_TRIAGE, urgency=Urgency.URGENT
    ).count()


def referrer_recent_referrals(user: User, organisation: Organisation) -> list[Referral]:
    """The partner's five latest referrals, with their status only."""
    return list(
        referrals_made_by(user, organisation)
        .only("pk", "full_name", "preferred_name", "status", "created_at", "status_changed_at")
        .order_by("-created_at")[:5]
    )


def mentee_waiting_summary(user: User, organisation: Organisation) -> dict[str, object]:
    referral = mentee_referral(user, organisation)
    if referral is None:
        return {"referral": None, "days_waiting": None}
    days = None
    if referral.status == Status.WAITING and referral.waiting_since:
        days = (timezone.now() - referral.waiting_since).days
    return {"referral": referral, "days_waiting": days}
