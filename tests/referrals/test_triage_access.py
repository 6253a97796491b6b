"""Who may reach the triage pages: the queue, a referral and each of its actions, and merging a
duplicate, for every person (only this organisation's coordinators and admins; another
organisation's referrals are a 404), the other organisation's coordinator changing nothing, and
actions that refuse GET."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from referrals.models import Status
from tests.referrals.fixtures_triage import fresh

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "mentee",
    "mentor",
    "other_mentor",
    "supervisor",
    "coordinator",
    "admin",
    "referrer",
    "outsider",
    "other_org_coordinator",
]
STAFF_HERE = {"coordinator", "admin"}


def _path(name):
    return lambda objects: reverse(f"referrals:{name}", args=[objects["referral"].pk])


# name -> (method, path from objects, status for coordinator/admin, status for the other
# organisation's coordinator)
ROUTES = {
    "queue": ("get", lambda o: reverse("referrals:queue"), 200, 200),
    "queue_filtered": (
        "get",
        lambda o: reverse("referrals:queue") + "?status=new&source=self",
        200,
        200,
    ),
    "detail": ("get", _path("detail"), 200, 404),
    "contact_attempt": ("post", _path("contact_attempt"), 200, 404),
    "accept": ("post", _path("accept"), 302, 404),
    "signpost": ("post", _path("signpost"), 200, 404),
    "decline": ("post", _path("decline"), 200, 404),
    "unable_to_contact": ("post", _path("unable_to_contact"), 302, 404),
    "merge": ("get", lambda o: reverse("referrals:merge", args=[o["duplicate"].pk]), 200, 404),
    "merge_post": (
        "post",
        lambda o: reverse("referrals:merge", args=[o["duplicate"].pk]),
        302,
        404,
    ),
    "dismiss_duplicate": (
        "post",
        lambda o: reverse("referrals:dismiss_duplicate", args=[o["duplicate"].pk]),
        302,
        404,
    ),
}


@pytest.fixture
def objects(new_referral, duplicate):
    return {"referral": new_referral, "duplicate": duplicate}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", ROUTES)
def test_only_this_organisations_coordinators_and_admins_reach_triage(
    route, person, objects, request, client_for
):
    method, make_path, staff_status, other_org_status = ROUTES[route]
    path = make_path(objects)
    if person == "anonymous":
        response = getattr(Client(), method)(path)
        assert response.status_code == 302, f"anonymous {method} {path}"
        assert response.url.startswith("/accounts/login/")
        return
    client = client_for(request.getfixturevalue(person))
    response = getattr(client, method)(path)
    if person in STAFF_HERE:
        expected = staff_status
    elif person == "other_org_coordinator":
        expected = other_org_status
    else:
        expected = 404
    assert response.status_code == expected, f"{person} {method} {path}"


def test_other_organisations_coordinator_changes_nothing_here(
    objects, other_org_coordinator, client_for
):
    client = client_for(other_org_coordinator)
    referral = objects["referral"]
    client.post(reverse("referrals:accept", args=[referral.pk]))
    client.post(reverse("referrals:decline", args=[referral.pk]), {"reason": "No"})
    client.post(reverse("referrals:merge", args=[objects["duplicate"].pk]), {"into": referral.pk})
    assert fresh(referral).status == Status.NEW
    assert fresh(objects["duplicate"]).status == Status.NEW
    assert not AuditEvent.objects.filter(action__startswith="referral.").exclude(
        action="referral.created"
    )


def test_other_organisations_referral_is_404_for_this_coordinator(other_org_referral, staff_client):
    assert (
        staff_client.get(reverse("referrals:detail", args=[other_org_referral.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "name",
    ["contact_attempt", "accept", "signpost", "decline", "unable_to_contact", "dismiss_duplicate"],
)
def test_actions_do_nothing_on_get(name, objects, staff_client):
    assert staff_client.get(ROUTES[name][1](objects)).status_code == 405
