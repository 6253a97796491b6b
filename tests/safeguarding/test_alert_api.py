"""The safeguarding alert API: the list (most serious and oldest first, not closed by default),
one alert with its signs and timeline (an audited read), and one endpoint per step of
responding — with field errors (400), a closed alert refusing additions (409), and every
endpoint a 404 for anyone who does not respond to the alert."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from accounts.services import api_token_create
from audit.models import AuditEvent
from safeguarding.models import AlertAction, AlertActionKind, AlertLevel, AlertStatus
from safeguarding.services.alerts import alert_acknowledge, alert_close, alert_raise
from tests.conftest import make_member
from tests.mentoring.access import PEOPLE, check_api, client_as
from tests.safeguarding.fixtures import raise_for

pytestmark = pytest.mark.django_db

RESPONDERS = ["supervisor", "coordinator", "admin", "duty_lead"]
EVERYONE = [*PEOPLE, "other_supervisor", "duty_lead"]
BASE = "/api/v1/safeguarding/alerts/"


@pytest.fixture
def pair(active_relationship, mentee):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    return active_relationship


@pytest.fixture
def alert(pair):
    return raise_for(pair)


def post(client: Client, path: str, body: dict | None = None):
    return client.post(path, body or {}, content_type="application/json")


STEPS = [
    ("acknowledge/", {}, 200),
    ("contact-attempts/", {"method": "phone", "reached": True, "note": "Safe for now."}, 201),
    ("actions/", {"action": "safety_plan"}, 201),
    ("notes/", {"note": "Mentor briefed."}, 201),
    ("close/", {"outcome": "safe_for_now", "note": "Spoke with her."}, 200),
]


# Who may call what -------------------------------------------------------------------------------


@pytest.mark.parametrize("person", EVERYONE)
def test_the_list_is_for_responders_and_holds_only_their_alerts(person, request, client_for, alert):
    response = client_as(person, request, client_for).get(BASE)
    check_api(response, person, [*RESPONDERS, "other_supervisor", "other_org_coordinator"])
    if response.status_code == 200:
        ids = [row["id"] for row in response.json()["results"]]
        assert (alert.pk in ids) == (person in RESPONDERS)


@pytest.mark.parametrize("person", EVERYONE)
def test_one_alert_is_for_its_responders_only(person, request, client_for, alert):
    response = client_as(person, request, client_for).get(f"{BASE}{alert.pk}/")
    check_api(response, person, RESPONDERS)
    viewed = AuditEvent.objects.filter(action="safeguarding.alert_viewed").exists()
    assert viewed == (person in RESPONDERS)
    if person not in RESPONDERS:
        assert "want to die" not in response.content.decode()


@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize(("step", "body", "ok"), STEPS)
def test_every_step_is_for_the_alerts_responders_only(
    step, body, ok, person, request, client_for, alert
):
    response = post(client_as(person, request, client_for), f"{BASE}{alert.pk}/{step}", body)
    check_api(response, person, RESPONDERS, ok)
    changed = alert.actions.exclude(kind=AlertActionKind.LEVEL_RAISED).exists()
    assert changed == (person in RESPONDERS)


@pytest.mark.parametrize("person", EVERYONE)
def test_reopening_is_for_the_alerts_responders_only(
    person, request, client_for, alert, coordinator
):
    alert_close(actor=coordinator, alert=alert, outcome="safe_for_now", note="Safe.")
    response = post(
        client_as(person, request, client_for), f"{BASE}{alert.pk}/reopen/", {"note": "Again."}
    )
    check_api(response, person, RESPONDERS)
    alert.refresh_from_db()
    assert (alert.status == AlertStatus.ACKNOWLEDGED) == (person in RESPONDERS)


def test_another_organisations_alert_is_a_404(client_for, coordinator, other_organisation):
    person = make_member(other_organisation, Role.MENTEE, "elsewhere.mentee@example.org")
    theirs = alert_raise(
        actor=person,
        organisation=other_organisation,
        person=person,
        level=AlertLevel.URGENT,
        categories=["suicidal_thoughts"],
        source="message",
        source_label="A message",
    )
    client = client_for(coordinator)
    assert client.get(f"{BASE}{theirs.pk}/").status_code == 404
    for step, body, _ in STEPS:
        assert post(client, f"{BASE}{theirs.pk}/{step}", body).status_code == 404
    assert client.get(BASE).json()["count"] == 0


def test_a_token_works_like_a_session(organisation, supervisor, alert):
    _, key = api_token_create(actor=None, user=supervisor, organisation=organisation, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(BASE).json()["results"][0]["id"] == alert.pk
    response = post(client, f"{BASE}{alert.pk}/acknowledge/")
    assert response.status_code == 200
    assert response.json()["acknowledged_by"]["id"] == supervisor.pk


def test_a_mentees_token_gets_nothing(organisation, mentee, alert):
    _, key = api_token_create(actor=None, user=mentee, organisation=organisation, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(BASE).status_code == 404
    assert client.get(f"{BASE}{alert.pk}/").status_code == 404


# The list ----------------------------------------------------------------------------------------


def test_the_list_is_most_serious_then_oldest_and_leaves_out_closed_ones(
    client_for, coordinator, pair, other_relationship, mentee, other_mentee
):
    now = timezone.now()
    high = raise_for(pair, now=now - timedelta(minutes=30))
    urgent = raise_for(other_relationship, level=AlertLevel.URGENT, now=now - timedelta(minutes=1))
    client = client_for(coordinator)
    body = client.get(BASE).json()
    assert [row["id"] for row in body["results"]] == [urgent.pk, high.pk]
    row = body["results"][1]
    assert row["person"] == {"id": mentee.pk, "name": "Samira Quinlan"}
    assert row["level"] == "high" and row["status"] == "open"
    assert row["source_label"] == "A message, written by the mentee"
    assert row["category_labels"] == ["Suicidal thoughts"]
    assert row["deadline"].startswith("Due in") and row["is_overdue"] is False
    assert row["url"] == f"/safeguarding/alerts/{high.pk}/"
    assert "excerpt" not in row and "signs" not in row
    alert_close(actor=coordinator, alert=urgent, outcome="no_risk", note="A song lyric.")
    assert [row["id"] for row in client.get(BASE).json()["results"]] == [high.pk]
    closed = client.get(BASE, {"status": "closed"}).json()["results"]
    assert [(row["id"], row["false_positive"]) for row in closed] == [(urgent.pk, True)]
    assert client.get(BASE, {"status": "all"}).json()["count"] == 2
    assert client.get(BASE, {"status": "acknowledged"}).json()["count"] == 0


def test_an_unknown_status_is_a_400(client_for, coordinator):
    response = client_for(coordinator).get(BASE, {"status": "sideways"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_the_list_is_paginated(client_for, coordinator, alert):
    body = client_for(coordinator).get(BASE).json()
    assert set(body) == {"count", "next", "previous", "results"}


# One alert ---------------------------------------------------------------------------------------


def test_one_alert_has_its_signs_and_timeline(client_for, coordinator, supervisor, alert):
    alert_acknowledge(actor=supervisor, alert=alert)
    body = client_for(coordinator).get(f"{BASE}{alert.pk}/").json()
    (sign,) = body["signs"]
    assert sign["excerpt"] == "Some days I want to die."
    assert sign["matches"] == ["want to die"]
    assert sign["category_labels"] == ["Suicidal thoughts"]
    assert sign["detection_failed"] is False
    assert [action["kind"] for action in body["actions"]] == ["acknowledged"]
    assert body["actions"][0]["actor"]["id"] == supervisor.pk
    assert body["supervisor"]["id"] == supervisor.pk
    event = AuditEvent.objects.get(action="safeguarding.alert_viewed")
    assert event.actor == coordinator
    assert "want" not in str(event.metadata)


# Steps -------------------------------------------------------------------------------------------


def test_a_contact_attempt_is_recorded(client_for, supervisor, alert):
    response = post(
        client_for(supervisor),
        f"{BASE}{alert.pk}/contact-attempts/",
        {"method": "text", "reached": False, "note": "No answer yet."},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "acknowledged"
    assert [action["kind"] for action in body["actions"]] == ["acknowledged", "contact_attempt"]
    attempt = body["actions"][1]
    assert (attempt["contact_method"], attempt["reached"]) == ("text", False)
    assert attempt["note"] == "No answer yet."
    assert "signs" not in body


def test_a_contact_attempt_resent_with_the_same_client_key_is_recorded_once(
    client_for, supervisor, alert
):
    client = client_for(supervisor)
    body = {"method": "text", "reached": False, "client_key": "resend-1"}
    first = post(client, f"{BASE}{alert.pk}/contact-attempts/", body)
    again = post(client, f"{BASE}{alert.pk}/contact-attempts/", body)
    assert (first.status_code, again.status_code) == (201, 201)
    kinds = [action["kind"] for action in again.json()["actions"]]
    assert kinds == ["acknowledged", "contact_attempt"]


def test_an_action_resent_with_the_same_client_key_is_recorded_once(client_for, coordinator, alert):
    client = client_for(coordinator)
    body = {"action": "safety_plan", "client_key": "resend-2"}
    for _ in range(2):
        assert post(client, f"{BASE}{alert.pk}/actions/", body).status_code == 201
    assert AlertAction.objects.filter(alert=alert, kind=AlertActionKind.ACTION_TAKEN).count() == 1


@pytest.mark.parametrize(
    ("step", "body", "field"),
    [
        ("contact-attempts/", {"reached": True}, "method"),
        ("contact-attempts/", {"method": "pigeon", "reached": True}, "method"),
        ("contact-attempts/", {"method": "phone"}, "reached"),
        ("actions/", {"action": "other"}, "note"),
        ("actions/", {"action": "gp_without_consent", "note": " "}, "note"),
        ("actions/", {}, "action"),
        ("notes/", {"note": ""}, "note"),
        ("close/", {"outcome": "safe_for_now"}, "note"),
        ("close/", {"outcome": "maybe", "note": "x"}, "outcome"),
    ],
)
def test_a_step_with_a_problem_is_a_400_naming_the_field(
    step, body, field, client_for, coordinator, alert
):
    response = post(client_for(coordinator), f"{BASE}{alert.pk}/{step}", body)
    assert response.status_code == 400
    assert field in response.json()
    assert not AlertAction.objects.exclude(kind=AlertActionKind.LEVEL_RAISED).exists()


def test_closing_and_then_adding_is_a_409(client_for, coordinator, alert):
    client = client_for(coordinator)
    closed = post(client, f"{BASE}{alert.pk}/close/", {"outcome": "no_risk", "note": "A joke."})
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["false_positive"] is True
    for step, body, _ in STEPS:
        refused = post(client, f"{BASE}{alert.pk}/{step}", body)
        assert refused.status_code == 409, step
        assert refused.json() == {
            "non_field_errors": ["This alert is closed. Reopen it to add to it."]
        }


def test_reopening(client_for, coordinator, supervisor, alert):
    client = client_for(supervisor)
    assert post(client, f"{BASE}{alert.pk}/reopen/", {"note": "x"}).status_code == 409
    alert_close(actor=coordinator, alert=alert, outcome="safe_for_now", note="Safe.")
    assert post(client, f"{BASE}{alert.pk}/reopen/", {}).status_code == 400
    response = post(client, f"{BASE}{alert.pk}/reopen/", {"note": "She rang again."})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "acknowledged" and body["acknowledged_by"]["id"] == supervisor.pk
    assert body["actions"][-1]["kind"] == "reopened"
    assert body["actions"][-1]["note"] == "She rang again."


def test_acknowledging_twice_keeps_the_first_responder(client_for, coordinator, supervisor, alert):
    post(client_for(supervisor), f"{BASE}{alert.pk}/acknowledge/")
    response = post(client_for(coordinator), f"{BASE}{alert.pk}/acknowledge/")
    assert response.status_code == 200
    assert response.json()["acknowledged_by"]["id"] == supervisor.pk


def test_the_list_costs_the_same_queries_for_few_or_many_alerts(
    client_for, coordinator, organisation, django_assert_max_num_queries
):
    def make(count):
        for number in range(count):
            person = make_member(organisation, Role.MENTEE, f"person{number}.{count}@example.org")
            alert_raise(
                actor=person,
                organisation=organisation,
                person=person,
                level=["urgent", "high", "concern"][number % 3],
                categories=["suicidal_thoughts"],
                source="message",
                source_label="A message",
            )

    client = client_for(coordinator)
    make(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(BASE).json()["count"] == 3
    make(12)
    with django_assert_max_num_queries(len(few)):
        assert client.get(BASE).json()["count"] == 15
