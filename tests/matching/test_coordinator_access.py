"""Who may reach the coordinator's matching pages: every page and action for every person
(only this organisation's coordinators and admins; another organisation's records are a 404),
nobody else changing anything, and actions that refuse GET."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from matching.models import Place, ProposalStatus
from tests.matching.factories import PlaceFactory
from tests.matching.fixtures_coordinator import fresh

pytestmark = pytest.mark.django_db

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
STAFF_HERE = {"coordinator", "admin"}


@pytest.fixture
def objects(proposal, finished_run, organisation, second_mentor):
    return {
        "proposal": proposal,
        "run": finished_run,
        "referral": proposal.referral,
        "place": PlaceFactory(organisation=organisation, name="Hackney"),
        "mentor_id": second_mentor.pk,
    }


def _proposal(name):
    return lambda o: reverse(f"matching:{name}", args=[o["proposal"].pk])


# name -> (method, path, data, status for coordinator/admin, for the other organisation's
# coordinator)
ROUTES = {
    "overview": ("get", lambda o: reverse("matching:overview"), None, 200, 200),
    "run_start": ("post", lambda o: reverse("matching:run_start"), {}, 302, 302),
    "run_detail": (
        "get",
        lambda o: reverse("matching:run_detail", args=[o["run"].pk]),
        None,
        200,
        404,
    ),
    "proposal_detail": ("get", _proposal("proposal_detail"), None, 200, 404),
    "proposal_approve": ("post", _proposal("proposal_approve"), {}, 302, 404),
    "proposal_reject": ("post", _proposal("proposal_reject"), {"reason": ""}, 200, 404),
    "proposal_swap": ("get", _proposal("proposal_swap"), None, 200, 404),
    "proposal_swap_post": (
        "post",
        _proposal("proposal_swap"),
        lambda o: {"mentor": o["mentor_id"]},
        302,
        404,
    ),
    "proposal_undo": ("post", _proposal("proposal_undo"), {}, 302, 404),
    "suggestions": (
        "get",
        lambda o: reverse("matching:suggestions", args=[o["referral"].pk]),
        None,
        200,
        404,
    ),
    "suggestions_post": (
        "post",
        lambda o: reverse("matching:suggestions", args=[o["referral"].pk]),
        lambda o: {"mentor": o["mentor_id"]},
        302,
        404,
    ),
    "places": ("get", lambda o: reverse("matching:places"), None, 200, 200),
    "places_post": ("post", lambda o: reverse("matching:places"), {"name": ""}, 200, 200),
    "place_delete": (
        "get",
        lambda o: reverse("matching:place_delete", args=[o["place"].pk]),
        None,
        200,
        404,
    ),
    "place_delete_post": (
        "post",
        lambda o: reverse("matching:place_delete", args=[o["place"].pk]),
        {},
        302,
        404,
    ),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("route", ROUTES)
def test_only_this_organisations_coordinators_and_admins_reach_matching(
    route, person, objects, request, client_for
):
    method, make_path, data, staff_status, other_org_status = ROUTES[route]
    path = make_path(objects)
    if callable(data):
        data = data(objects)
    if person == "anonymous":
        response = getattr(Client(), method)(path, data or {})
        assert response.status_code == 302, f"anonymous {method} {path}"
        assert response.url.startswith("/accounts/login/")
        return
    client = client_for(request.getfixturevalue(person))
    response = getattr(client, method)(path, data or {})
    if person in STAFF_HERE:
        expected = staff_status
    elif person == "other_org_coordinator":
        expected = other_org_status
    else:
        expected = 404
    assert response.status_code == expected, f"{person} {method} {path}"


def test_nobody_else_changes_anything(objects, request, client_for):
    proposal = objects["proposal"]
    for person in ("mentee", "mentor", "supervisor", "referrer", "other_org_coordinator"):
        client = client_for(request.getfixturevalue(person))
        client.post(reverse("matching:proposal_approve", args=[proposal.pk]))
        client.post(reverse("matching:proposal_reject", args=[proposal.pk]), {"reason": "No"})
        client.post(reverse("matching:proposal_undo", args=[proposal.pk]))
        client.post(reverse("matching:place_delete", args=[objects["place"].pk]))
    assert fresh(proposal).status == ProposalStatus.PROPOSED
    assert Place.objects.filter(pk=objects["place"].pk).exists()


@pytest.mark.parametrize(
    "name", ["run_start", "proposal_approve", "proposal_reject", "proposal_undo"]
)
def test_actions_are_post_only(name, staff, objects):
    args = [] if name == "run_start" else [objects["proposal"].pk]
    assert staff.get(reverse(f"matching:{name}", args=args)).status_code == 405
