"""Who may open a mentoring page or endpoint, as a table. Each test module lists its routes
with the people who may use them; ``check_get`` and ``check_post`` assert everyone else gets
a 404 (anonymous visitors are sent to sign in; API calls without credentials get 401/403).

People: the pair (``mentor``, ``mentee``), the mentor's ``supervisor``, ``coordinator`` and
``admin`` of the organisation, and people who must see nothing: ``other_mentee``,
``other_mentor``, ``referrer``, ``outsider`` (no role) and ``other_org_coordinator``.
"""

from __future__ import annotations

from typing import Any

from django.test import Client

PEOPLE = [
    "anonymous",
    "mentee",
    "other_mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]
PAIR = ["mentor", "mentee"]
STAFF = ["coordinator", "admin"]
PAIR_AND_STAFF = PAIR + STAFF
EVERYONE_INVOLVED = [*PAIR, "supervisor", *STAFF]


def client_as(person: str, request: Any, client_for: Any) -> Client:
    if person == "anonymous":
        return Client()
    return client_for(request.getfixturevalue(person))


def check_page(response: Any, person: str, allowed: list[str], ok: int = 200) -> None:
    """A page: ``ok`` for the allowed, sign-in redirect for anonymous, 404 for everyone else."""
    if person == "anonymous":
        assert response.status_code == 302, response.status_code
        assert "/accounts/login/" in response.url
    else:
        expected = ok if person in allowed else 404
        assert response.status_code == expected, f"{person}: {response.status_code}"


def check_api(response: Any, person: str, allowed: list[str], ok: int = 200) -> None:
    """An endpoint: ``ok`` for the allowed, 401/403 for anonymous, 404 for everyone else."""
    if person == "anonymous":
        assert response.status_code in (401, 403), response.status_code
    else:
        expected = ok if person in allowed else 404
        assert response.status_code == expected, f"{person}: {response.status_code}"
