"""Every page and endpoint, for every role: who may open it, and what everyone else gets.

Adding a page? Add a row here. Anything not someone's own is a 404, never a 403.
"""

import pytest
from django.test import Client

EVERYONE = ["mentee", "mentor", "supervisor", "coordinator", "admin", "referrer"]
STAFF = ["supervisor", "coordinator", "admin"]
SIGNED_IN = [*EVERYONE, "outsider", "other_org_coordinator"]
STAFF_WITH_MFA = [*STAFF, "other_org_coordinator"]

# path -> (status for an anonymous visitor, status for people allowed, who is allowed, others)
PAGES = {
    "/": (200, 302, SIGNED_IN, None),
    "/dashboard/": (302, 200, SIGNED_IN, None),
    "/help/": (200, 200, SIGNED_IN, None),
    "/healthz": (200, 200, SIGNED_IN, None),
    "/accounts/overview/": (302, 200, SIGNED_IN, None),
    "/accounts/organisation/": (302, 200, SIGNED_IN, None),
    "/accounts/password/change/": (302, 200, SIGNED_IN, None),
    "/accounts/email/": (302, 200, SIGNED_IN, None),
    "/accounts/2fa/": (302, 200, SIGNED_IN, None),
    # Recovery codes exist only for people with two-factor on; seeing them asks for the password.
    "/accounts/2fa/recovery-codes/": (302, 302, STAFF_WITH_MFA, 404),
    "/api/v1/": (401, 200, SIGNED_IN, None),
    "/api/v1/me/": (401, 200, SIGNED_IN, None),
    "/api/v1/schema/": (401, 200, SIGNED_IN, None),
    "/api/v1/docs/": (401, 200, STAFF_WITH_MFA, 404),
}
CASES = [(path, person) for path in PAGES for person in ["anonymous", *SIGNED_IN]]


@pytest.mark.parametrize(("path", "person"), CASES)
def test_page_access(path, person, request, client_for):
    anonymous_status, allowed_status, allowed, others_status = PAGES[path]
    if person == "anonymous":
        request.getfixturevalue("db")
        client, expected = Client(), anonymous_status
    else:
        client = client_for(request.getfixturevalue(person))
        expected = allowed_status if person in allowed else others_status
    response = client.get(path)
    assert response.status_code == expected, f"{person} opening {path}"


def test_unknown_page_is_a_plain_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_technical_admin_site_is_closed_to_every_programme_role(request, client_for):
    for person in SIGNED_IN:
        response = client_for(request.getfixturevalue(person)).get("/django-admin/")
        assert response.status_code == 302, person
        assert "/django-admin/login/" in response.url
