"""What the home pages show about questionnaires: for a mentee, what is due now; for
coordinators and admins, a few counts and the way to programme outcomes. Each is one or two
queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Organisation, User
from outcomes.models import MeasureRequest, MeasureResponse, RequestStatus
from outcomes.selectors import open_requests_for

RECENT_DAYS = 30


def mentee_card(user: User, organisation: Organisation | None = None) -> dict[str, Any]:
    """Context for ``outcomes/_dashboard_mentee.html``: the questionnaires due now (one query)."""
    return {"questionnaires_due": open_requests_for(user, organisation)}


@dataclass(frozen=True)
class QuestionnaireCounts:
    completed_recently: int
    open_now: int
    closed_unanswered_recently: int


def staff_card(organisation: Organisation) -> dict[str, Any]:
    """Context for ``outcomes/_dashboard_staff.html``: questionnaires completed and closed
    without answers in the last 30 days, and open now (two queries)."""
    today = timezone.localdate()
    since = today - timedelta(days=RECENT_DAYS)
    completed = MeasureResponse.objects.filter(
        organisation=organisation,
        completed_at__gte=timezone.now() - timedelta(days=RECENT_DAYS),
    ).count()
    open_now = Q(status__in=RequestStatus.open(), due_on__lte=today)
    closed = Q(status=RequestStatus.EXPIRED, closes_on__gte=since)
    # Only the rows counted are read (through the status indexes), not every request ever sent.
    requests = MeasureRequest.objects.filter(
        open_now | closed, organisation=organisation
    ).aggregate(open_now=Count("pk", filter=open_now), closed=Count("pk", filter=closed))
    return {
        "questionnaires": QuestionnaireCounts(
            completed_recently=completed,
            open_now=requests["open_now"],
            closed_unanswered_recently=requests["closed"],
        )
    }
