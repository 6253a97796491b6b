"""The privacy and data page that gathers each member of staff's privacy tasks."""

from __future__ import annotations

from tests.security.matrix import ALL_COORDINATORS, Route

ROUTES: dict[str, Route] = {
    # Data protection leads who are supervisors see it too (tests/privacy/test_hub.py).
    "privacy:index": Route(get=ALL_COORDINATORS, write=None),
}
