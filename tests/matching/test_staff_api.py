"""The coordinators' matching API: runs, proposals and suggestions, by session or token, with the
same services and access rules as the pages."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.services import api_token_create
from matching.models import MatchProposal, MatchRun, ProposalStatus, RunStatus
from tests.matching.factories import MatchProposalFactory
from tests.matching.test_runs import make_mentor, make_waiting

pytestmark = pytest.mark.django_db

RUNS = "/api/v1/match-runs/"
PROPOSALS = "/api/v1/match-proposals/"

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
STAFF = {"coordinator", "admin"}

# (method, path): (status for coordinator/admin, for the other organisation's coordinator);
# everyone else signed in gets 404, anonymous 401.
ENDPOINTS = {
    ("get", RUNS): (200, 200),
    ("post", RUNS): (202, 202),
    ("get", RUNS + "{run}/"): (200, 404),
    ("get", PROPOSALS): (200, 200),
    ("get", PROPOSALS + "{proposal}/"): (200, 404),
    ("post", PROPOSALS + "{proposal}/approve/"): (200, 404),
    ("post", PROPOSALS + "{proposal}/reject/"): (200, 404),
    ("post", PROPOSALS + "{proposal}/undo/"): (200, 404),
    ("get", "/api/v1/mentees/{referral}/suggestions/"): (200, 404),
}

PROPOSAL_FIELDS = {
    "id",
    "status",
    "status_label",
    "origin",
    "score",
    "reasons",
    "referral",
    "mentor",
    "mentor_display_name",
    "run",
    "created_at",
    "status_changed_at",
    "approved_at",
    "respond_by",
}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


@pytest.fixture
def run(organisation, coordinator):
    return MatchRun.objects.create(
        organisation=organisation,
        started_by=coordinator,
        status=RunStatus.DONE,
        progress=100,
        proposed_count=1,
        unmatched=[{"referral": 999, "reason": "no mentor is free at the same times"}],
    )


@pytest.fixture
def staff(client_for, coordinator) -> Client:
    return client_for(coordinator)


def token_client(user, organisation) -> Client:
    _, key = api_token_create(actor=None, user=user, organisation=organisation, name="CRM")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def call(client, method, url):
    if method == "post":
        return client.post(url, {"reason": "Not a good fit."}, content_type="application/json")
    return client.get(url)


def url_for(path, proposal, run):
    return path.format(proposal=proposal.pk, run=run.pk, referral=proposal.referral_id)


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("method", "path"), list(ENDPOINTS))
def test_endpoint_access_by_session(method, path, person, request, client_for, proposal, run):
    url = url_for(path, proposal, run)
    if person == "anonymous":
        assert call(Client(), method, url).status_code == 401
        assert fresh_status(proposal) == ProposalStatus.PROPOSED
        return
    response = call(client_for(request.getfixturevalue(person)), method, url)
    staff_status, other_org_status = ENDPOINTS[method, path]
    if person in STAFF:
        expected = staff_status
    elif person == "other_org_coordinator":
        expected = other_org_status
    else:
        expected = 404
    assert response.status_code == expected, f"{person} {method} {url}"
    if expected == 404:
        assert fresh_status(proposal) == ProposalStatus.PROPOSED


@pytest.mark.parametrize("person", [p for p in PEOPLE if p not in ("anonymous", "outsider")])
@pytest.mark.parametrize(("method", "path"), list(ENDPOINTS))
def test_endpoint_access_by_token(method, path, person, request, organisation, proposal, run):
    user = request.getfixturevalue(person)
    token_organisation = (
        request.getfixturevalue("other_organisation")
        if person == "other_org_coordinator"
        else organisation
    )
    url = url_for(path, proposal, run)
    response = call(token_client(user, token_organisation), method, url)
    staff_status, other_org_status = ENDPOINTS[method, path]
    if person in STAFF:
        expected = staff_status
    elif person == "other_org_coordinator":
        expected = other_org_status
    else:
        expected = 404
    assert response.status_code == expected, f"{person} {method} {url} with a token"


def fresh_status(proposal: MatchProposal) -> str:
    return MatchProposal.objects.get(pk=proposal.pk).status


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_runs_and_proposals_cannot_be_edited_or_deleted(method, staff, proposal, run):
    for url in (f"{RUNS}{run.pk}/", f"{PROPOSALS}{proposal.pk}/"):
        response = getattr(staff, method)(url, {}, content_type="application/json")
        assert response.status_code == 405
    assert fresh_status(proposal) == ProposalStatus.PROPOSED


# Runs -----------------------------------------------------------------------------------------


def test_starting_a_run_answers_202_with_where_to_follow_it(
    staff, organisation, matchable_referral, matchable_profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(RUNS)
    assert response.status_code == 202
    data = response.json()
    run = MatchRun.objects.get()
    assert data["id"] == run.pk
    assert data["status"] == "queued"
    assert data["status_url"].endswith(f"{RUNS}{run.pk}/")
    assert response["Location"] == data["status_url"]

    followed = staff.get(data["status_url"]).json()
    assert followed["status"] == "done"
    assert followed["progress"] == 100
    assert followed["proposed_count"] == 1
    assert followed["mentees_considered"] == 1
    assert followed["unmatched"] == []


def test_a_second_run_while_one_is_under_way_is_a_conflict(staff, organisation):
    MatchRun.objects.create(organisation=organisation, status=RunStatus.RUNNING)
    response = staff.post(RUNS)
    assert response.status_code == 409
    assert response.json() == {"detail": "A matching run is already under way."}


def test_runs_list_only_this_organisation_newest_first(
    staff, run, organisation, other_organisation
):
    newer = MatchRun.objects.create(organisation=organisation, status=RunStatus.FAILED, error="X")
    MatchRun.objects.create(organisation=other_organisation)
    results = staff.get(RUNS).json()["results"]
    assert [row["id"] for row in results] == [newer.pk, run.pk]
    assert results[1]["unmatched"] == [
        {"referral": 999, "reason": "no mentor is free at the same times"}
    ]
    assert results[0]["status_label"] == "Could not finish"


# Proposals ------------------------------------------------------------------------------------


def test_proposals_carry_scores_and_reasons_but_no_contact_details(staff, proposal):
    data = staff.get(f"{PROPOSALS}{proposal.pk}/").json()
    assert set(data) == PROPOSAL_FIELDS
    assert data["referral"] == proposal.referral_id
    assert data["mentor"] == proposal.mentor_id
    assert data["mentor_display_name"] == proposal.mentor.display_name
    assert data["score"] == 0.72
    assert data["reasons"] == proposal.reasons
    assert data["status"] == "proposed"
    text = str(data)
    for private in (
        proposal.referral.full_name,
        proposal.referral.email,
        proposal.referral.phone,
        proposal.mentor.user.email,
    ):
        assert private not in text


def test_proposals_can_be_filtered_by_status(staff, proposal, organisation, matchable_profile):
    offered = MatchProposalFactory(
        referral=make_waiting(organisation, "Gil", languages=["en"], slots=["mon_evening"]),
        mentor=matchable_profile,
        status=ProposalStatus.WITH_MENTOR,
    )
    listed = staff.get(PROPOSALS, {"status": "with_mentor"}).json()["results"]
    assert [row["id"] for row in listed] == [offered.pk]
    assert staff.get(PROPOSALS, {"status": "nonsense"}).status_code == 400


def test_the_proposals_list_makes_a_fixed_number_of_queries(
    staff, organisation, matchable_profile, django_assert_max_num_queries
):
    for index in range(8):
        referral = make_waiting(organisation, f"P{index}", languages=["en"], slots=["mon_evening"])
        MatchProposalFactory(referral=referral, mentor=matchable_profile)
    with django_assert_max_num_queries(8):
        response = staff.get(PROPOSALS)
    assert len(response.json()["results"]) == 8


def test_approving_through_the_api(staff, proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"{PROPOSALS}{proposal.pk}/approve/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "with_mentor"
    assert data["respond_by"] is not None
    again = staff.post(f"{PROPOSALS}{proposal.pk}/approve/")
    assert again.status_code == 200
    assert again.json()["approved_at"] == data["approved_at"]


def test_rejecting_through_the_api_needs_a_reason(staff, proposal):
    missing = staff.post(f"{PROPOSALS}{proposal.pk}/reject/", {}, content_type="application/json")
    assert missing.status_code == 400
    assert "reason" in missing.json()
    blank = staff.post(
        f"{PROPOSALS}{proposal.pk}/reject/", {"reason": "  "}, content_type="application/json"
    )
    assert blank.status_code == 400
    assert fresh_status(proposal) == ProposalStatus.PROPOSED

    done = staff.post(
        f"{PROPOSALS}{proposal.pk}/reject/",
        {"reason": "They know each other."},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == "rejected"
    assert "They know each other" not in str(done.json())


def test_a_refused_decision_says_why(staff, proposal):
    proposal.status = ProposalStatus.REJECTED
    proposal.save()
    response = staff.post(f"{PROPOSALS}{proposal.pk}/approve/")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This match has already been decided."]}


def test_undoing_through_the_api(staff, offered_proposal):
    response = staff.post(f"{PROPOSALS}{offered_proposal.pk}/undo/")
    assert response.status_code == 200
    assert response.json()["status"] == "undone"


# Suggestions ----------------------------------------------------------------------------------


def test_suggestions_for_one_mentee_are_the_best_five(
    staff, organisation, matchable_referral, matchable_profile
):
    for name in ("A", "B", "C", "D", "E", "F"):
        make_mentor(organisation, f"Mentor {name}", languages=["en"], slots=["mon_evening"])
    make_mentor(organisation, "Marek", languages=["pl"], slots=["mon_evening"])
    response = staff.get(f"/api/v1/mentees/{matchable_referral.pk}/suggestions/")
    assert response.status_code == 200
    data = response.json()
    assert len(data) == 5
    assert set(data[0]) == {"mentor", "mentor_display_name", "score", "reasons"}
    scores = [row["score"] for row in data]
    assert scores == sorted(scores, reverse=True)
    assert "Marek" not in {row["mentor_display_name"] for row in data}
    # The one with shared lived experience scores best.
    assert data[0]["mentor"] == matchable_profile.pk


def test_suggestions_for_another_organisations_referral_are_404(staff, other_org_referral):
    response = staff.get(f"/api/v1/mentees/{other_org_referral.pk}/suggestions/")
    assert response.status_code == 404
