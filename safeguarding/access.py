"""Who may see safeguarding alerts: coordinators and admins see every alert of their
organisation, and so do its safeguarding leads (a supervisor, coordinator or admin named a lead,
who may go on the duty rota); a supervisor sees the alerts about the mentees of the mentors they
supervise (the alert names them) and the ones they were on duty for; nobody else sees any. An
alert someone may not see is a 404."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.access import STAFF_ROLES
from accounts.models import Membership, Role, User
from safeguarding.models import Alert, AlertLevel, AlertStatus, SafeguardingLead

# The roles that respond to alerts (who may open the alert pages at all).
RESPONDER_ROLES = (Role.SUPERVISOR, *STAFF_ROLES)


def alerts_visible_to(
    user: User, membership: Membership | None, *, lead: bool | None = None
) -> QuerySet[Alert]:
    """The alerts ``user`` may see through ``membership``: staff and safeguarding leads all of
    the organisation's, a supervisor those about their mentors or on their duty. ``lead``:
    whether they are a safeguarding lead, when the caller has already asked."""
    if membership is None or not membership.is_active:
        return Alert.objects.none()
    alerts = Alert.objects.filter(organisation=membership.organisation)
    if lead is None:
        lead = membership.role not in STAFF_ROLES and is_safeguarding_lead(user, membership)
    if membership.role in STAFF_ROLES or lead:
        return alerts
    if membership.role == Role.SUPERVISOR:
        return alerts.filter(Q(supervisor=user) | Q(duty_lead=user))
    return Alert.objects.none()


def is_safeguarding_lead(user: User, membership: Membership | None) -> bool:
    """``user`` is an active safeguarding lead of the membership's organisation (and holds a
    role that responds to alerts)."""
    if membership is None or not membership.is_active or membership.role not in RESPONDER_ROLES:
        return False
    return SafeguardingLead.objects.filter(
        organisation_id=membership.organisation_id, user=user, is_active=True
    ).exists()


def alert_for(user: User, membership: Membership | None, pk: int | str) -> Alert:
    """Alert ``pk`` if ``user`` may see it; else 404, so its existence does not leak."""
    try:
        return (
            alerts_visible_to(user, membership)
            .select_related("person", "acknowledged_by", "supervisor")
            .get(pk=pk)
        )
    except (Alert.DoesNotExist, ValueError) as error:
        raise Http404 from error


def waiting_alert_counts(user: User, membership: Membership | None) -> dict[str, int]:
    """Alerts waiting for someone to respond, by level, and how many of them are overdue
    (nobody responded by the deadline), for a home page (one query)."""
    waiting = Q(status=AlertStatus.OPEN)
    counts = alerts_visible_to(user, membership).aggregate(
        total=Count("pk", filter=waiting),
        overdue=Count("pk", filter=waiting & Q(due_at__lte=timezone.now())),
        **{level: Count("pk", filter=waiting & Q(level=level)) for level in AlertLevel.values},
    )
    return {key: value or 0 for key, value in counts.items()}
