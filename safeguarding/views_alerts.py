"""Safeguarding alerts for the people who respond to them (coordinators, admins, and the
supervisor of the person's mentor): the list, waiting ones first and most serious first; one
alert with what to do next; and "I'm responding to this". An alert names where it came from,
never what the person wrote or answered: the record it links to is access-checked there."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required, signed_in_user
from accounts.models import User
from audit.services import audit_record
from safeguarding.access import RESPONDER_ROLES, alert_for, alerts_visible_to
from safeguarding.models import Alert, AlertLevel, AlertStatus
from safeguarding.services.alerts import alert_acknowledge as acknowledge

RECENT_ACKNOWLEDGED = 50
LEVEL_RANK = Case(
    When(level=AlertLevel.URGENT, then=Value(0)),
    When(level=AlertLevel.HIGH, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def name_of(user: User | None) -> str:
    if user is None:
        return "Someone whose account was removed"
    return user.name or user.email


@dataclass(frozen=True)
class AlertRow:
    alert: Alert
    person_name: str
    acknowledged_by_name: str


def _rows(alerts: QuerySet[Alert] | list[Alert]) -> list[AlertRow]:
    return [_row(alert) for alert in alerts]


def _row(alert: Alert) -> AlertRow:
    return AlertRow(
        alert=alert,
        person_name=name_of(alert.person),
        acknowledged_by_name=name_of(alert.acknowledged_by) if alert.acknowledged_by_id else "",
    )


@role_required(*RESPONDER_ROLES)
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    visible = alerts_visible_to(
        signed_in_user(request), getattr(request, "membership", None)
    ).select_related("person", "acknowledged_by")
    waiting = (
        visible.filter(status=AlertStatus.OPEN)
        .annotate(level_rank=LEVEL_RANK)
        .order_by("level_rank", "created_at", "pk")
    )
    responded = visible.filter(status=AlertStatus.ACKNOWLEDGED).order_by("-acknowledged_at", "-pk")[
        :RECENT_ACKNOWLEDGED
    ]
    return render(
        request,
        "safeguarding/alerts/list.html",
        {
            "waiting": _rows(waiting),
            "responded": _rows(responded),
            "recent_limit": RECENT_ACKNOWLEDGED,
        },
    )


@role_required(*RESPONDER_ROLES)
@require_GET
def alert(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    found = alert_for(user, getattr(request, "membership", None), pk)
    audit_record(
        actor=user,
        action="safeguarding.alert_viewed",
        organisation=found.organisation,
        target=found,
        metadata={"level": found.level, "status": found.status},
    )
    return render(request, "safeguarding/alerts/detail.html", {"row": _row(found)})


@role_required(*RESPONDER_ROLES)
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    found = alert_for(user, getattr(request, "membership", None), pk)
    updated = acknowledge(actor=user, alert=found)
    if updated.acknowledged_by_id not in (None, user.pk):
        messages.info(
            request, f"{name_of(updated.acknowledged_by)} is already responding to this alert."
        )
    else:
        messages.success(request, "Thank you. The alert now shows that you are responding to it.")
    return redirect("safeguarding:alert", pk=found.pk)


def _missing(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    from django.http import Http404

    raise Http404


alert_contact = alert_action = alert_note = alert_close = alert_reopen = _missing
