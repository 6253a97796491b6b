"""Safeguarding records for tests: a safeguarding lead on duty now, and alerts raised through
the real service (``raise_for``), optionally at a given time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from safeguarding.models import Alert, AlertLevel, DutyShift, SafeguardingLead
from safeguarding.services.alerts import alert_raise
from tests.conftest import make_member


@pytest.fixture
def duty_lead(organisation):
    """A supervisor named safeguarding lead, on duty from an hour ago for a day."""
    user = make_member(organisation, Role.SUPERVISOR, "duty.lead@example.org", mfa=True)
    user.name = "Dana Duty"
    user.save(update_fields=["name"])
    lead = SafeguardingLead.objects.create(organisation=organisation, user=user)
    now = timezone.now()
    DutyShift.objects.create(
        organisation=organisation,
        lead=lead,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
    )
    return user


@pytest.fixture
def other_supervisor(organisation, other_mentor_profile):
    """The supervisor of another mentor: must not see alerts about this mentor's mentee."""
    user = make_member(organisation, Role.SUPERVISOR, "other.supervisor@example.org", mfa=True)
    other_mentor_profile.supervisor = user
    other_mentor_profile.save(update_fields=["supervisor"])
    return user


def raise_for(
    relationship,
    *,
    level: str = AlertLevel.HIGH,
    categories: tuple[str, ...] = ("suicidal_thoughts",),
    source: str = "message",
    excerpt: str = "Some days I want to die.",
    matches: tuple[str, ...] = ("want to die",),
    now: datetime | None = None,
) -> Alert:
    """An alert about ``relationship``'s mentee, as a flagged message would raise it."""
    return alert_raise(
        actor=relationship.mentee,
        organisation=relationship.organisation,
        person=relationship.mentee,
        level=level,
        categories=list(categories),
        source=source,
        source_label="A message, written by the mentee",
        target=relationship,
        path=reverse("mentoring:overview", args=[relationship.pk]),
        supervisor=relationship.mentor.supervisor,
        excerpt=excerpt,
        matches=matches,
        now=now,
    )


@pytest.fixture
def flagged_alert(active_relationship, duty_lead):
    """A high alert about the mentee of the active relationship, raised by a message."""
    return raise_for(active_relationship)
