"""Who may open the alert pages: the queue, one alert and every step of responding (and
reopening), for every role. Only the alert's responders (its supervisor, the coordinator, the
admin and the duty lead) see or change it; another organisation's alert is a 404, and a mentee
never sees an alert about them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from safeguarding.models import AlertActionKind, AlertLevel, AlertStatus
from safeguarding.services.alerts import alert_raise
from tests.conftest import make_member
from tests.mentoring.access import PEOPLE, check_page, client_as
from tests.safeguarding.fixtures_alerts import close, text, url

pytestmark = pytest.mark.django_db

RESPONDERS = ["supervisor", "coordinator", "admin", "duty_lead"]
EVERYONE = [*PEOPLE, "other_supervisor", "duty_lead"]


@pytest.mark.parametrize("person", EVERYONE)
def test_the_queue_is_for_responders_and_lists_only_their_alerts(
    person, request, client_for, alert
):
    response = client_as(person, request, client_for).get(reverse("safeguarding:alerts"))
    check_page(response, person, [*RESPONDERS, "other_supervisor", "other_org_coordinator"])
    if response.status_code == 200:
        shown = [row.alert.pk for row in response.context["waiting"]]
        assert (alert.pk in shown) == (person in RESPONDERS)
        assert ("Samira Quinlan" in text(response)) == (person in RESPONDERS)


PAGES = [
    ("alert", "get", {}),
    ("alert_close", "get", {}),
    ("alert_acknowledge", "post", {}),
    ("alert_contact", "post", {"contact-method": "phone", "contact-reached": "yes"}),
    ("alert_action", "post", {"action-action": "safety_plan"}),
    ("alert_note", "post", {"note-note": "Left a voicemail."}),
    ("alert_close", "post", {"outcome": "safe_for_now", "note": "Safe for now."}),
]


@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize(("name", "method", "data"), PAGES)
def test_every_alert_page_is_for_the_alerts_responders_only(
    name, method, data, person, request, client_for, alert
):
    client = client_as(person, request, client_for)
    if method == "get":
        response = client.get(url(name, alert))
        check_page(response, person, RESPONDERS)
    else:
        response = client.post(url(name, alert), data)
        check_page(response, person, RESPONDERS, ok=302)
    alert.refresh_from_db()
    changed = alert.actions.exclude(kind=AlertActionKind.LEVEL_RAISED).exists()
    assert changed == (method == "post" and person in RESPONDERS)
    viewed = AuditEvent.objects.filter(action="safeguarding.alert_viewed").exists()
    assert viewed == (name == "alert" and person in RESPONDERS)


@pytest.mark.parametrize("person", EVERYONE)
def test_reopening_is_for_the_alerts_responders_only(
    person, request, client_for, alert, coordinator
):
    close(alert, coordinator)
    client = client_as(person, request, client_for)
    response = client.post(url("alert_reopen", alert), {"reopen-note": "She rang again."})
    check_page(response, person, RESPONDERS, ok=302)
    alert.refresh_from_db()
    assert (alert.status == AlertStatus.ACKNOWLEDGED) == (person in RESPONDERS)


def test_another_organisations_alert_is_a_404_for_this_organisations_coordinator(
    client_for, coordinator, other_org_coordinator, other_organisation
):
    person = make_member(other_organisation, Role.MENTEE, "elsewhere.mentee@example.org")
    theirs = alert_raise(
        actor=person,
        organisation=other_organisation,
        person=person,
        level=AlertLevel.URGENT,
        categories=["suicidal_thoughts"],
        source="message",
        source_label="A message, written by the mentee",
        excerpt="I want to die",
        matches=["want to die"],
    )
    client = client_for(coordinator)
    for name in ("alert", "alert_close"):
        assert client.get(url(name, theirs)).status_code == 404
    for name in ("alert_acknowledge", "alert_note", "alert_close", "alert_reopen"):
        assert client.post(url(name, theirs), {"note-note": "x"}).status_code == 404
    assert client_for(other_org_coordinator).get(url("alert", theirs)).status_code == 200
    assert theirs.pk not in [
        row.alert.pk for row in client.get(reverse("safeguarding:alerts")).context["waiting"]
    ]


def test_a_mentee_never_sees_an_alert_about_them(client_for, mentee, alert):
    client = client_for(mentee)
    for path in (reverse("safeguarding:alerts"), url("alert", alert), url("alert_close", alert)):
        assert client.get(path).status_code == 404
    home = text(client.get(reverse("dashboard")))
    assert "want to die" not in home and "safeguarding alert" not in home.lower()


@pytest.mark.parametrize("person", ["supervisor", "coordinator"])
def test_the_queue_asks_at_most_once_whether_someone_leads_safeguarding(
    person, request, client_for, alert
):
    client = client_as(person, request, client_for)
    client.get(reverse("safeguarding:alerts"))  # the session, once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("safeguarding:alerts")).status_code == 200
    asked = [
        query
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT 1 AS "a" FROM "safeguarding_safeguardinglead"')
    ]
    assert len(asked) == (1 if person == "supervisor" else 0)
