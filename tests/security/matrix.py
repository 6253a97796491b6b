"""The access matrix: who may open every page and endpoint, written down as data.

Each app's routes live in ``routes_<app>.py`` as a ``ROUTES`` dict keyed by URL name
(``"mentoring:session"``, ``"api:mentoring-goal"``). ``test_access_matrix.py`` walks every URL
pattern the project serves, fails for any route missing from the matrix, and asks each route as
every person below, with GET and with every state-changing method the route serves.

What a person should get:

- allowed: a real answer (``Route.ok``: a page, a redirect after a form, a validation error).
  Never a 403, a 404 or a server error.
- not allowed: 404, so a page's existence says nothing about what is behind it (a 405 is also
  accepted where the route does not serve that method at all).
- anonymous, where not allowed: pages send them to sign in; the API answers 401 or 403.

Writes by allowed people run inside a savepoint that is rolled back, so every person meets the
same records. Records come from the shared fixtures (tests/conftest.py and each app's
fixtures.py): ``kwargs`` receives ``fixture(name)`` and returns the URL's arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

Fixture = Callable[[str], Any]

# The people the matrix asks. ``outsider`` is signed in with no role anywhere.
PEOPLE = (
    "anonymous",
    "mentee",
    "other_mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "other_org_coordinator",
    "referrer",
    "admin",
    "outsider",
)
SIGNED_IN = frozenset(PEOPLE) - {"anonymous"}

NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(PEOPLE)
# Any signed-in person with a role (the page shows them their own things, or nothing).
MEMBERS = frozenset(PEOPLE) - {"anonymous", "outsider"}
# The mentee and mentor of the relationship under test (see tests/mentoring/fixtures.py).
PAIR = frozenset({"mentee", "mentor"})
STAFF = frozenset({"coordinator", "admin"})
PAIR_AND_STAFF = PAIR | STAFF
# The pair, the mentor's supervisor, and the organisation's staff.
INVOLVED = PAIR_AND_STAFF | {"supervisor"}
SUPERVISORS_AND_STAFF = STAFF | {"supervisor"}
# Staff of the other organisation see their own organisation's version of org-level pages.
ALL_COORDINATORS = STAFF | {"other_org_coordinator"}

# A real answer: a page, a redirect after a form, a download, an API validation error.
OK = frozenset({200, 201, 204, 302, 303, 400, 409})


def no_kwargs(fixture: Fixture) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Route:
    """Who may use one route.

    ``get``: people who may read it; ``None`` when the route does not answer GET.
    ``write``: people who may send POST (and, for the API, PUT, PATCH and DELETE where served);
    by default the same people as ``get``. ``None`` when the route serves no writes.
    ``data``: the body sent with writes (default empty: forms answer with their errors).
    ``anonymous``: what a visitor who is not signed in gets instead of the sign-in redirect or
    401, when the route is public (``get``/``write`` then include ``"anonymous"``).
    """

    kwargs: Callable[[Fixture], dict[str, Any]] = no_kwargs
    get: Collection[str] | None = NOBODY
    write: Collection[str] | str | None = "same"
    data: Callable[[Fixture], dict[str, Any]] | None = None
    ok: frozenset[int] = OK
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def allowed(self, method: str) -> Collection[str] | None:
        if method == "get":
            return self.get
        if self.write == "same":
            return self.get
        return self.write  # type: ignore[return-value]
