"""One alert's page: the flagged words highlighted and escaped, categories and questionnaire
flags in words, a sign where detection failed, what to do next by level (with the crisis
services), who is involved, the timeline, and queries that stay the same however long the
alert's history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.models import AlertLevel, CrisisResource
from safeguarding.services.alerts import alert_contact_attempt, alert_raise
from tests.safeguarding.fixtures import raise_for
from tests.safeguarding.fixtures_alerts import text, url

pytestmark = pytest.mark.django_db


def test_the_alert_shows_the_flagged_words_highlighted_and_escaped(client_for, supervisor, pair):
    found = raise_for(
        pair,
        excerpt="<script>alert(1)</script> Some days I WANT to die.\n\nThat's all.",
        matches=("want to die",),
    )
    response = client_for(supervisor).get(url("alert", found))
    page = text(response)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Some days I <mark>WANT to die</mark>." in page
    assert "That&#x27;s all." in page
    assert "Suicidal thoughts" in page
    assert "Words that raised it: “want to die”" in page
    assert f'href="/mentoring/{pair.pk}/"' in page
    assert "Open the record" in page


def test_categories_and_questionnaire_flags_are_in_words(client_for, coordinator, pair):
    found = raise_for(pair, categories=("self_harm", "self_harm_thoughts", "detection_failed"))
    page = text(client_for(coordinator).get(url("alert", found)))
    assert "Self-harm" in page
    assert "Thoughts of being better off dead or of self-harm" in page
    assert "Risk detection failed" in page
    assert "self_harm_thoughts" not in page


def test_a_sign_where_detection_failed_asks_for_it_to_be_read(client_for, coordinator, pair):
    found = alert_raise(
        actor=pair.mentee,
        organisation=pair.organisation,
        person=pair.mentee,
        level=AlertLevel.HIGH,
        categories=["detection_failed"],
        source="message",
        source_label="A message (risk detection failed: please read it)",
        excerpt="Something the detector could not read",
        detection_failed=True,
    )
    page = text(client_for(coordinator).get(url("alert", found)))
    assert "Risk detection failed on this text" in page
    assert "Something the detector could not read" in page


def test_an_urgent_alert_says_contact_now_and_lists_the_crisis_services(
    client_for, coordinator, organisation, pair
):
    CrisisResource.objects.create(
        organisation=organisation, name="Samaritans", phone="116 123", hours="24 hours a day"
    )
    found = raise_for(pair, level=AlertLevel.URGENT)
    page = text(client_for(coordinator).get(url("alert", found)))
    assert "Contact Samira Quinlan now, within minutes" in page
    assert "call 999 (emergency services) now" in page
    assert "safeguarding procedure" in page
    assert 'href="tel:116123"' in page and "Samaritans" in page


def test_a_concern_says_within_a_working_day(client_for, coordinator, pair):
    found = raise_for(pair, level=AlertLevel.CONCERN)
    page = text(client_for(coordinator).get(url("alert", found)))
    assert "within a working day" in page
    assert "Your organisation has not listed any crisis services yet" in page


def test_the_alert_names_supervisor_duty_lead_and_escalation(
    client_for, coordinator, supervisor, duty_lead, pair
):
    supervisor.name = "Sue Pervisor"
    supervisor.save(update_fields=["name"])
    found = raise_for(pair)
    page = text(client_for(coordinator).get(url("alert", found)))
    assert "Sue Pervisor" in page
    assert "Dana Duty" in page
    assert "Not escalated" in page
    assert "Nobody yet" in page
    assert page.count("<h1") == 1


def test_the_timeline_shows_each_step_with_who_and_when(client_for, coordinator, alert):
    coordinator.name = "Cora Ordinator"
    coordinator.save(update_fields=["name"])
    alert_contact_attempt(
        actor=coordinator, alert=alert, method="phone", reached=False, note="Voicemail."
    )
    page = text(client_for(coordinator).get(url("alert", alert)))
    timeline = page[page.index('id="timeline"') :]
    assert "Alert raised" in timeline
    assert "Said they are responding" in timeline
    assert "Tried to contact the person" in timeline
    assert "Phone call: did not reach them" in timeline
    assert "Voicemail." in timeline
    assert "Cora Ordinator ·" in timeline
    assert "Alongside, automatically" in timeline


def test_the_alert_page_costs_the_same_queries_however_long_its_history(
    client_for, coordinator, supervisor, pair, alert, django_assert_max_num_queries
):
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as short:
        assert client.get(url("alert", alert)).status_code == 200
    for number in range(4):
        raise_for(pair, excerpt=f"Message {number}: I want to die")
        alert_contact_attempt(actor=supervisor, alert=alert, method="phone", reached=False)
    with django_assert_max_num_queries(len(short)):
        response = client.get(url("alert", alert))
    assert len(response.context["signs"]) == 5
