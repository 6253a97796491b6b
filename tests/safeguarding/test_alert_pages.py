"""Responding to an alert through its forms: contact attempts, actions and notes, closing
(warned when nothing was recorded, a note needed, a false alarm) and reopening, each with the
problem next to the field and the typed text kept when something is refused, and each form
sent twice recorded once."""

from __future__ import annotations

import re

import pytest

from audit.models import AuditEvent
from safeguarding.models import AlertAction, AlertActionKind, AlertStatus
from safeguarding.services.alerts import alert_contact_attempt
from tests.safeguarding.fixtures_alerts import close, text, url

pytestmark = pytest.mark.django_db


# Responding through the forms --------------------------------------------------------------------


def test_recording_a_contact_attempt(client_for, supervisor, alert):
    client = client_for(supervisor)
    response = client.post(
        url("alert_contact", alert),
        {"contact-method": "phone", "contact-reached": "yes", "contact-note": "She is safe."},
    )
    assert response.status_code == 302
    assert response.url == url("alert", alert) + "#timeline"
    attempt = AlertAction.objects.get(kind=AlertActionKind.CONTACT_ATTEMPT)
    assert (attempt.contact_method, attempt.reached, attempt.note) == (
        "phone",
        True,
        "She is safe.",
    )
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, supervisor)
    page = text(client.get(response.url))
    assert "Your contact attempt is recorded." in page
    assert "Phone call: reached them" in page


def test_a_contact_attempt_without_an_answer_keeps_what_was_typed(client_for, supervisor, alert):
    response = client_for(supervisor).post(
        url("alert_contact", alert),
        {"contact-method": "text", "contact-note": "Sent a text at 3pm."},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Say whether you reached them." in page
    assert "Sent a text at 3pm.</textarea>" in page
    assert re.search(r'value="text"[^>]*checked', page)
    assert response.context["forms"]["action"].is_bound is False
    assert response.context["forms"]["note"].is_bound is False
    assert not AlertAction.objects.filter(kind=AlertActionKind.CONTACT_ATTEMPT).exists()


def test_recording_an_action(client_for, coordinator, alert):
    response = client_for(coordinator).post(
        url("alert_action", alert), {"action-action": "safety_plan"}
    )
    assert response.status_code == 302
    action = AlertAction.objects.get(kind=AlertActionKind.ACTION_TAKEN)
    assert (action.action, action.actor) == ("safety_plan", coordinator)
    assert AuditEvent.objects.filter(action="safeguarding.alert_action_taken").count() == 1


@pytest.mark.parametrize(
    ("action", "problem"),
    [
        ("other", "Say what you did."),
        ("gp_without_consent", "Record why you shared information without consent."),
    ],
)
def test_some_actions_need_a_note_next_to_the_field(
    action, problem, client_for, coordinator, alert
):
    response = client_for(coordinator).post(url("alert_action", alert), {"action-action": action})
    assert response.status_code == 400
    page = text(response)
    assert (
        f'<ul class="errorlist field-errors list-unstyled" id="id_action-note_error"><li>{problem}'
        in page
    )
    assert re.search(rf'value="{action}"[^>]*checked', page)
    assert not AlertAction.objects.filter(kind=AlertActionKind.ACTION_TAKEN).exists()


def test_adding_a_note_and_an_empty_note(client_for, coordinator, alert):
    client = client_for(coordinator)
    refused = client.post(url("alert_note", alert), {"note-note": "  "})
    assert refused.status_code == 400
    assert "Write the note." in text(refused)
    assert client.post(url("alert_note", alert), {"note-note": "Mentor told."}).status_code == 302
    assert AlertAction.objects.get(kind=AlertActionKind.NOTE).note == "Mentor told."


def test_acknowledging_a_closed_alert_explains_instead_of_failing(client_for, coordinator, alert):
    close(alert, coordinator)
    response = client_for(coordinator).post(url("alert_acknowledge", alert), follow=True)
    assert response.status_code == 200
    assert "This alert is closed. Reopen it to add to it." in text(response)


def test_adding_to_a_closed_alert_keeps_the_words(client_for, coordinator, supervisor, alert):
    page_client = client_for(supervisor)
    close(alert, coordinator)
    response = page_client.post(url("alert_note", alert), {"note-note": "She called back."})
    assert response.status_code == 400
    page = text(response)
    assert "closed before your entry could be added" in page
    assert "She called back.</textarea>" in page
    assert not AlertAction.objects.filter(kind=AlertActionKind.NOTE).exists()


# Closing and reopening ---------------------------------------------------------------------------


def test_the_close_page_warns_when_nothing_was_recorded(client_for, coordinator, alert):
    page = text(client_for(coordinator).get(url("alert_close", alert)))
    assert "Nobody has recorded a contact attempt or an action yet" in page
    assert "are you sure?" in page
    assert "No risk found: a false alarm" in page
    assert "helps improve how risk is spotted" in page
    alert_contact_attempt(actor=coordinator, alert=alert, method="phone", reached=True)
    page = text(client_for(coordinator).get(url("alert_close", alert)))
    assert "Nobody has recorded" not in page


def test_closing_needs_a_note_and_keeps_the_outcome(client_for, coordinator, alert):
    response = client_for(coordinator).post(url("alert_close", alert), {"outcome": "referred_on"})
    assert response.status_code == 400
    page = text(response)
    assert "Write a closing note: what happened and what is next." in page
    assert re.search(r'value="referred_on"[^>]*checked', page)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_closing_as_a_false_alarm(client_for, coordinator, alert):
    coordinator.name = "Cora Ordinator"
    coordinator.save(update_fields=["name"])
    client = client_for(coordinator)
    response = client.post(
        url("alert_close", alert), {"outcome": "no_risk", "note": "She was quoting a song."}
    )
    assert response.status_code == 302
    assert response.url == url("alert", alert) + "#timeline"
    alert.refresh_from_db()
    assert (alert.status, alert.false_positive, alert.closed_by) == ("closed", True, coordinator)
    page = text(client.get(response.url))
    assert "The alert is closed." in page
    assert "No risk found: a false alarm" in page and "False alarm</span>" in page
    assert "She was quoting a song." in page
    assert "Cora Ordinator" in page
    assert "Record a contact attempt" not in page
    assert "I&#x27;m responding to this" not in page
    assert "Reopen this alert" in page
    assert "What to do next" not in page


def test_closing_an_alert_someone_else_just_closed_keeps_the_note(
    client_for, coordinator, supervisor, alert
):
    close(alert, coordinator)
    response = client_for(supervisor).post(
        url("alert_close", alert), {"outcome": "referred_on", "note": "Passed to the crisis team."}
    )
    assert response.status_code == 400
    page = text(response)
    assert "This alert is closed. Reopen it to add to it." in page
    assert "Passed to the crisis team.</textarea>" in page
    alert.refresh_from_db()
    assert (alert.closed_by, alert.outcome) == (coordinator, "safe_for_now")


def test_the_close_page_of_a_closed_alert_goes_back_to_it(client_for, coordinator, alert):
    close(alert, coordinator)
    response = client_for(coordinator).get(url("alert_close", alert))
    assert (response.status_code, response.url) == (302, url("alert", alert))


def test_reopening_needs_a_reason(client_for, supervisor, coordinator, alert):
    close(alert, coordinator)
    client = client_for(supervisor)
    refused = client.post(url("alert_reopen", alert), {"reopen-note": ""})
    assert refused.status_code == 400
    assert "Say why you are reopening it." in text(refused)
    done = client.post(url("alert_reopen", alert), {"reopen-note": "She rang again."})
    assert done.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, supervisor)
    page = text(client.get(url("alert", alert)))
    assert "Reopened" in page and "She rang again." in page


def test_reopening_an_alert_that_is_not_closed_changes_nothing(client_for, coordinator, alert):
    response = client_for(coordinator).post(
        url("alert_reopen", alert), {"reopen-note": "Why not"}, follow=True
    )
    assert "This alert is not closed" in text(response)
    assert not AlertAction.objects.filter(kind=AlertActionKind.REOPENED).exists()


# Sent twice ------------------------------------------------------------------------------------


def test_the_contact_form_carries_a_one_time_key(client_for, supervisor, alert):
    page = text(client_for(supervisor).get(url("alert", alert)))
    keys = re.findall(r'name="(contact|action)-client_key" value="([0-9a-f]{32})"', page)
    assert {name for name, _ in keys} == {"contact", "action"}
    assert len({key for _, key in keys}) == 2


def test_a_contact_attempt_sent_twice_with_the_same_key_is_recorded_once(
    client_for, supervisor, alert
):
    client = client_for(supervisor)
    data = {
        "contact-method": "phone",
        "contact-reached": "no",
        "contact-note": "No answer.",
        "contact-client_key": "a" * 32,
    }
    assert client.post(url("alert_contact", alert), data).status_code == 302
    assert client.post(url("alert_contact", alert), data).status_code == 302
    attempts = AlertAction.objects.filter(alert=alert, kind=AlertActionKind.CONTACT_ATTEMPT)
    assert attempts.count() == 1


def test_two_real_contact_attempts_with_the_same_words_are_both_recorded(
    client_for, supervisor, alert
):
    client = client_for(supervisor)
    for key in ("a" * 32, "b" * 32):
        data = {
            "contact-method": "phone",
            "contact-reached": "no",
            "contact-client_key": key,
        }
        assert client.post(url("alert_contact", alert), data).status_code == 302
    attempts = AlertAction.objects.filter(alert=alert, kind=AlertActionKind.CONTACT_ATTEMPT)
    assert attempts.count() == 2


def test_an_action_sent_twice_with_the_same_key_is_recorded_once(client_for, coordinator, alert):
    client = client_for(coordinator)
    data = {"action-action": "safety_plan", "action-client_key": "c" * 32}
    for _ in range(2):
        assert client.post(url("alert_action", alert), data).status_code == 302
    assert AlertAction.objects.filter(alert=alert, kind=AlertActionKind.ACTION_TAKEN).count() == 1
