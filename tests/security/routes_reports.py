"""Programme reports: the dashboard, its printable version, the funder report, compliance, and
their CSV files and API. Coordinators and admins read them; the other organisation's
coordinator reads their own organisation's figures; nobody writes."""

from __future__ import annotations

from typing import Any

from tests.security.matrix import ALL_COORDINATORS, Fixture, Route


def _standard(fixture: Fixture) -> dict[str, Any]:
    return {"standard": "closure"}


ROUTES = {
    "reports:dashboard": Route(get=ALL_COORDINATORS, write=None),
    "reports:dashboard_print": Route(get=ALL_COORDINATORS, write=None),
    "reports:dashboard_csv": Route(get=ALL_COORDINATORS, write=None),
    "reports:funder": Route(get=ALL_COORDINATORS, write=None),
    "reports:funder_csv": Route(get=ALL_COORDINATORS, write=None),
    "reports:compliance": Route(get=ALL_COORDINATORS, write=None),
    "reports:compliance_print": Route(get=ALL_COORDINATORS, write=None),
    "reports:compliance_csv": Route(get=ALL_COORDINATORS, write=None),
    "reports:standard": Route(_standard, get=ALL_COORDINATORS, write=None),
    "api:reports-dashboard": Route(get=ALL_COORDINATORS, write=None),
    "api:reports-funder": Route(get=ALL_COORDINATORS, write=None),
    "api:reports-compliance": Route(get=ALL_COORDINATORS, write=None),
    "api:reports-standard": Route(_standard, get=ALL_COORDINATORS, write=None),
}
