"""The coordinator's mentoring API (check-ins, concerns, rematch) and the pair raising a concern:
every endpoint for every person, what each sees (the other of the pair never sees a concern
they did not raise), and the same rules as the pages for bad input and double sends."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.services import api_token_create
from mentoring.models import CheckIn, CheckInStatus, Concern, ConcernRequest, RelationshipStatus
from referrals.models import Status
from tests.mentoring.access import PAIR, PAIR_AND_STAFF, PEOPLE, STAFF, check_api, client_as
from tests.mentoring.factories import ConcernFactory

pytestmark = pytest.mark.django_db

MENTEE_WORDS = "The sessions keep moving and I lose track."
MENTOR_WORDS = "I worry I am saying the wrong things."
RECORD = {"method": "phone", "how_it_is_going": "Steady.", "concerns": "", "actions": ""}
RAISE = {"topic": "expectations", "request": "talk", "details": "We want different things."}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


@pytest.fixture
def mentee_concern(active_relationship, mentee):
    return ConcernFactory(
        relationship=active_relationship,
        raised_by=mentee,
        details=MENTEE_WORDS,
        request=ConcernRequest.REMATCH,
    )


@pytest.fixture
def mentor_concern(active_relationship, mentor):
    return ConcernFactory(
        relationship=active_relationship,
        raised_by=mentor,
        raised_by_role="mentor",
        details=MENTOR_WORDS,
        outcome="talked_through",
        outcome_note="Suggested the skills session.",
    )


def first_due(relationship) -> CheckIn:
    return relationship.check_ins.filter(person="mentee", status=CheckInStatus.DUE).order_by(
        "due_on"
    )[0]


def check_in_url(relationship) -> str:
    return f"/api/v1/relationships/{relationship.pk}/check-ins/{first_due(relationship).pk}/"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


# (method, path, body, who may, status for them)
ENDPOINTS = {
    "due check-ins": ("get", "/api/v1/mentoring/check-ins/", None, STAFF, 200),
    "check-ins": ("get", "/api/v1/relationships/{r}/check-ins/", None, STAFF, 200),
    "extra check-in": (
        "post",
        "/api/v1/relationships/{r}/check-ins/",
        {**RECORD, "person": "mentor", "client_key": "x"},
        STAFF,
        201,
    ),
    "check-in": ("get", "/api/v1/relationships/{r}/check-ins/{c}/", None, STAFF, 200),
    "record": ("post", "/api/v1/relationships/{r}/check-ins/{c}/", RECORD, STAFF, 200),
    "concerns": ("get", "/api/v1/relationships/{r}/concerns/", None, PAIR_AND_STAFF, 200),
    "raise": ("post", "/api/v1/relationships/{r}/concerns/", RAISE, PAIR, 201),
    "resolve": (
        "post",
        "/api/v1/relationships/{r}/concerns/{k}/resolve/",
        {"outcome": "no_action"},
        STAFF,
        200,
    ),
    "rematch": ("post", "/api/v1/relationships/{r}/rematch/", {}, STAFF, 200),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("person", PEOPLE)
def test_every_endpoint_for_every_person(
    endpoint, person, request, client_for, active_relationship, mentee_concern
):
    method, path, body, allowed, ok = ENDPOINTS[endpoint]
    url = path.format(
        r=active_relationship.pk, c=first_due(active_relationship).pk, k=mentee_concern.pk
    )
    client = client_as(person, request, client_for)
    response = client.get(url) if method == "get" else post(client, url, body)
    if endpoint == "due check-ins":
        allowed = [*allowed, "other_org_coordinator"]  # their own organisation's list
    check_api(response, person, allowed, ok)
    if person not in allowed:
        active_relationship.refresh_from_db()
        assert active_relationship.status == RelationshipStatus.ACTIVE
        assert not CheckIn.objects.filter(status=CheckInStatus.DONE).exists()
        assert Concern.objects.count() == 1 and Concern.objects.get().is_open


def test_a_token_works_like_a_session(organisation, coordinator, active_relationship):
    _, key = api_token_create(actor=None, user=coordinator, organisation=organisation, name="CRM")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(f"/api/v1/relationships/{active_relationship.pk}/check-ins/")
    assert response.status_code == 200 and len(response.json()) == 4


def test_the_mentor_of_an_ended_relationship_gets_404_and_the_mentee_reads_only(
    ended_relationship, client_for, mentor, mentee
):
    ConcernFactory(relationship=ended_relationship, raised_by=mentee)
    url = f"/api/v1/relationships/{ended_relationship.pk}/concerns/"
    assert client_for(mentor).get(url).status_code == 404
    assert post(client_for(mentor), url, RAISE).status_code == 404
    assert len(client_for(mentee).get(url).json()) == 1
    refused = post(client_for(mentee), url, RAISE)
    assert refused.status_code == 400 and "has ended" in str(refused.json())
    assert Concern.objects.count() == 1


# Check-ins -------------------------------------------------------------------------------------


def test_the_due_list_is_soonest_first_with_no_notes(client_for, coordinator, active_relationship):
    data = client_for(coordinator).get("/api/v1/mentoring/check-ins/").json()
    assert data["count"] == 4
    dates = [row["due_on"] for row in data["results"]]
    assert dates == sorted(dates)
    assert set(data["results"][0]) == {
        "id",
        "relationship",
        "person",
        "kind",
        "due_on",
        "is_overdue",
        "when",
    }


def test_recording_through_the_api_schedules_like_the_page(
    client_for, coordinator, active_relationship
):
    client = client_for(coordinator)
    base = f"/api/v1/relationships/{active_relationship.pk}/check-ins/"
    for check_in in list(active_relationship.check_ins.filter(person="mentee")):
        response = post(client, f"{base}{check_in.pk}/", {**RECORD, "version": 1})
        assert response.status_code == 200
        assert response.json()["status"] == "done"
    assert active_relationship.check_ins.filter(person="mentee", status="due").count() == 1


def test_a_stale_save_is_refused_with_the_version_key(client_for, coordinator, active_relationship):
    client = client_for(coordinator)
    url = check_in_url(active_relationship)
    assert post(client, url, {**RECORD, "version": 1}).status_code == 200
    refused = post(client, url, {**RECORD, "how_it_is_going": "Later.", "version": 1})
    assert refused.status_code == 400 and "version" in refused.json()


def test_bad_input_is_a_400_not_an_error(client_for, coordinator, active_relationship):
    client = client_for(coordinator)
    url = check_in_url(active_relationship)
    response = post(client, url, {"method": "pigeon", "how_it_is_going": ""})
    assert response.status_code == 400
    assert set(response.json()) >= {"method", "how_it_is_going"}
    assert post(client, url + "999/", RECORD).status_code == 404


def test_an_extra_check_in_sent_twice_is_made_once(client_for, coordinator, active_relationship):
    client = client_for(coordinator)
    url = f"/api/v1/relationships/{active_relationship.pk}/check-ins/"
    body = {**RECORD, "person": "mentee", "client_key": "same"}
    assert post(client, url, body).json()["id"] == post(client, url, body).json()["id"]
    assert CheckIn.objects.filter(client_key="same").count() == 1


# Concerns --------------------------------------------------------------------------------------


def test_staff_see_every_concern_with_the_note(
    client_for, coordinator, active_relationship, mentee_concern, mentor_concern
):
    data = (
        client_for(coordinator)
        .get(f"/api/v1/relationships/{active_relationship.pk}/concerns/")
        .json()
    )
    assert {row["details"] for row in data} == {MENTEE_WORDS, MENTOR_WORDS}
    assert "Suggested the skills session." in {row["outcome_note"] for row in data}


@pytest.mark.parametrize(
    ("person", "own", "other"),
    [
        ("mentee", MENTEE_WORDS, MENTOR_WORDS),
        ("mentor", MENTOR_WORDS, MENTEE_WORDS),
    ],
)
def test_each_of_the_pair_sees_only_their_own_without_the_note(
    person, own, other, request, client_for, active_relationship, mentee_concern, mentor_concern
):
    response = client_for(request.getfixturevalue(person)).get(
        f"/api/v1/relationships/{active_relationship.pk}/concerns/"
    )
    [row] = response.json()
    assert row["details"] == own
    assert "outcome_note" not in row and "raised_by_role" not in row
    body = response.content.decode()
    assert other not in body and "Suggested the skills session." not in body


def test_raising_twice_with_one_key_makes_one_concern(client_for, mentee, active_relationship):
    client = client_for(mentee)
    url = f"/api/v1/relationships/{active_relationship.pk}/concerns/"
    first = post(client, url, {**RAISE, "client_key": "k"})
    again = post(client, url, {**RAISE, "client_key": "k"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["possible_risk"] is False
    assert Concern.objects.count() == 1


def test_raising_with_missing_answers_is_a_400(client_for, mentee, active_relationship):
    response = post(
        client_for(mentee),
        f"/api/v1/relationships/{active_relationship.pk}/concerns/",
        {"topic": "nope", "details": ""},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"topic", "request", "details"}


def test_resolving_and_rematch_through_the_api(
    client_for, coordinator, active_relationship, mentee_concern
):
    client = client_for(coordinator)
    base = f"/api/v1/relationships/{active_relationship.pk}/"
    refused = post(client, f"{base}concerns/{mentee_concern.pk}/resolve/", {"outcome": "rematched"})
    assert refused.status_code == 400 and "outcome" in refused.json()
    response = post(client, f"{base}rematch/", {"note": "Needs weekends."})
    assert response.json() == {
        "relationship": active_relationship.pk,
        "status": "ended",
        "end_reason": "rematch",
        "referral_status": Status.WAITING,
    }
    mentee_concern.refresh_from_db()
    assert mentee_concern.outcome == "rematched"
    again = post(client, f"{base}rematch/", {})
    assert again.status_code == 400 and "already ended" in str(again.json())
