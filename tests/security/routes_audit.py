"""The audit trail's search and export, and choosing data protection leads.

Administrators, and members flagged as data protection leads (tested in tests/audit), only;
nobody in the matrix's cast is a data protection lead.
"""

from __future__ import annotations

from tests.security.matrix import Route

ADMIN = frozenset({"admin"})

ROUTES: dict[str, Route] = {
    "audit:search": Route(get=ADMIN, write=None),
    "audit:export": Route(get=ADMIN, write=None),
    "audit:data_protection_leads": Route(get=ADMIN, write=ADMIN),
}
