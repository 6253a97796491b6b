"""Project-wide pages: home, dashboard, help, health check, the API's own pages."""

from __future__ import annotations

from tests.security.matrix import EVERYONE, SIGNED_IN, SUPERVISORS_AND_STAFF, Route

ROUTES: dict[str, Route] = {
    "home": Route(get=EVERYONE, write=None),
    "dashboard": Route(get=SIGNED_IN, write=None),
    "healthz": Route(get=EVERYONE, write=None),
    "get_help_now": Route(get=EVERYONE, write=None),
    "api:root": Route(get=SIGNED_IN, note="A list of links; says nothing about any record."),
    "api:me": Route(get=SIGNED_IN),
    "api:schema": Route(get=SIGNED_IN),
    "api:docs": Route(
        get=SUPERVISORS_AND_STAFF | {"other_org_coordinator"},
        note="Staff of any organisation may read the API documentation.",
    ),
}
