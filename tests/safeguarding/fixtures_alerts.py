"""Helpers shared by the alert page tests (test_alert_*.py): a page's text, the address of one
alert's page, and closing an alert through the service."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.models import Alert
from safeguarding.services.alerts import alert_close


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def url(name: str, alert: Alert) -> str:
    return reverse(f"safeguarding:{name}", args=[alert.pk])


def close(alert: Alert, actor, outcome: str = "safe_for_now") -> Alert:
    return alert_close(actor=actor, alert=alert, outcome=outcome, note="Spoke with her.")
