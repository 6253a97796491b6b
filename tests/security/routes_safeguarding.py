"""Safeguarding: alerts and the steps of responding, the duty rota and response times, and the
organisation's crisis resources. ``flagged_alert`` is about the shared mentee; its responders
are the mentor's supervisor and the organisation's staff (``duty_lead`` is on duty).

Rota, response-time and crisis-resource pages are about the organisation in use, so another
organisation's coordinator sees and changes their own; this organisation's records are 404 to
them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from safeguarding.models import DutyShift, SafeguardingLead
from safeguarding.services.crisis import crisis_resource_create
from tests.security.matrix import ALL_COORDINATORS, STAFF, SUPERVISORS_AND_STAFF, Fixture, Route

RESPONDERS = SUPERVISORS_AND_STAFF
# The alert queue shows each responder their own alerts, so any organisation's staff open it.
QUEUE_READERS = RESPONDERS | ALL_COORDINATORS


def _alert(fixture: Fixture) -> dict[str, Any]:
    return {"pk": fixture("flagged_alert").pk}


def _an_alert_waits(fixture: Fixture) -> dict[str, Any]:
    fixture("flagged_alert")
    return {}


def _lead(fixture: Fixture) -> dict[str, Any]:
    return {"pk": SafeguardingLead.objects.get(user=fixture("duty_lead")).pk}


def _coming_shift(fixture: Fixture) -> dict[str, Any]:
    lead = SafeguardingLead.objects.get(user=fixture("duty_lead"))
    start = timezone.now() + timedelta(days=2)
    shift = DutyShift.objects.create(
        organisation=lead.organisation,
        lead=lead,
        starts_at=start,
        ends_at=start + timedelta(hours=12),
    )
    return {"pk": shift.pk}


def _crisis_resource(fixture: Fixture) -> dict[str, Any]:
    made = crisis_resource_create(
        actor=None, organisation=fixture("organisation"), name="Samaritans", phone="116 123"
    )
    return {"pk": made.pk}


ROUTES: dict[str, Route] = {
    # Alerts
    "safeguarding:alerts": Route(_an_alert_waits, get=QUEUE_READERS, write=None),
    "safeguarding:alert": Route(_alert, get=RESPONDERS, write=None),
    "safeguarding:alert_acknowledge": Route(_alert, get=None, write=RESPONDERS),
    "safeguarding:alert_contact": Route(_alert, get=None, write=RESPONDERS),
    "safeguarding:alert_action": Route(_alert, get=None, write=RESPONDERS),
    "safeguarding:alert_note": Route(_alert, get=None, write=RESPONDERS),
    "safeguarding:alert_close": Route(_alert, get=RESPONDERS),
    "safeguarding:alert_reopen": Route(_alert, get=None, write=RESPONDERS),
    # The rota and response times
    "safeguarding:rota": Route(get=ALL_COORDINATORS, write=None, note="and leads"),
    "safeguarding:lead_add": Route(get=None, write=ALL_COORDINATORS),
    "safeguarding:lead_remove": Route(_lead, get=None, write=STAFF),
    "safeguarding:shift_new": Route(get=ALL_COORDINATORS),
    "safeguarding:shift_remove": Route(_coming_shift, get=None, write=STAFF),
    "safeguarding:response_times": Route(get=ALL_COORDINATORS),
    # Crisis resources
    "safeguarding:crisis_resources": Route(get=ALL_COORDINATORS, write=None),
    "safeguarding:crisis_resource_new": Route(get=ALL_COORDINATORS),
    "safeguarding:crisis_resource_edit": Route(_crisis_resource, get=STAFF),
    # API
    "api:safeguarding-alert-list": Route(_an_alert_waits, get=QUEUE_READERS, write=None),
    "api:safeguarding-alert-detail": Route(_alert, get=RESPONDERS, write=None),
    "api:safeguarding-alert-acknowledge": Route(_alert, get=None, write=RESPONDERS),
    "api:safeguarding-alert-contact-attempts": Route(_alert, get=None, write=RESPONDERS),
    "api:safeguarding-alert-actions": Route(_alert, get=None, write=RESPONDERS),
    "api:safeguarding-alert-notes": Route(_alert, get=None, write=RESPONDERS),
    "api:safeguarding-alert-close": Route(_alert, get=None, write=RESPONDERS),
    "api:safeguarding-alert-reopen": Route(_alert, get=None, write=RESPONDERS),
}
