"""Emergency (break-glass) access: coordinators and admins of the relationship's organisation
open it with a reason; only the person who opened a grant can end it; the list of every grant
(with reasons) is for admins and data protection leads.

With a grant, staff also read ``mentoring:messages`` and the private notes on the session pages
(tests/audit/test_break_glass.py); without one those stay as in routes_mentoring.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from audit.models import BreakGlassGrant
from tests.security import records
from tests.security.matrix import STAFF, Fixture, Route

ADMIN = frozenset({"admin"})
COORDINATOR = frozenset({"coordinator"})


def coordinator_grant(fixture: Fixture) -> dict[str, Any]:
    """An open grant the shared ``coordinator`` holds for the active relationship."""
    relationship = fixture("active_relationship")
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=fixture("coordinator"),
        organisation=relationship.organisation,
        relationship=relationship,
        reason="Checking on a possible risk to the mentee",
        granted_at=now,
        expires_at=now + timedelta(hours=1),
    )
    return {"grant_pk": grant.pk}


ROUTES: dict[str, Route] = {
    "audit:break_glass_list": Route(
        get=ADMIN, write=None, note="admins and data protection leads only"
    ),
    "audit:break_glass_open": Route(
        records.relationship, get=STAFF, note="staff of the relationship's organisation"
    ),
    "audit:break_glass_end": Route(
        coordinator_grant, get=None, write=COORDINATOR, note="only whoever opened it"
    ),
}
