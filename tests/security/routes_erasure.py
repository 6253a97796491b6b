"""Erasure requests and the retention policy. Coordinators and admins record and decide
erasure requests of their own organisation (another organisation's coordinator sees their own
list, and a 404 for this one's requests); only admins change the retention policy."""

from __future__ import annotations

from privacy.models import ErasureRequest
from tests.security.matrix import ALL_COORDINATORS, STAFF, Fixture, Route

ADMIN = frozenset({"admin"})


def _erasure_request(fixture: Fixture) -> dict[str, int]:
    request, _created = ErasureRequest.objects.get_or_create(
        reference="ER-MATRIX01",
        defaults={
            "organisation": fixture("organisation"),
            "person": fixture("mentee"),
            "requested_by": fixture("coordinator"),
        },
    )
    return {"pk": request.pk}


ROUTES: dict[str, Route] = {
    "privacy:erasure_list": Route(get=ALL_COORDINATORS, write=None),
    "privacy:erasure_new": Route(get=ALL_COORDINATORS),
    "privacy:erasure_detail": Route(_erasure_request, get=STAFF, write=None),
    "privacy:erasure_decide": Route(_erasure_request, get=None, write=STAFF),
    "privacy:retention": Route(get=ADMIN),
}
