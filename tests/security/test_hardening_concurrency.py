"""No data lost to double submission: a safeguarding note sent twice is kept once, while a
different note, or the same words added again later, are kept as written.

(Version checks and one-time keys on mentoring records are proven in tests/mentoring; see the
survey in docs/security.md for every write path.)"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from safeguarding.models import AlertAction, AlertActionKind
from safeguarding.services.alerts import alert_add_note


def notes(alert) -> list[str]:
    return list(
        AlertAction.objects.filter(alert=alert, kind=AlertActionKind.NOTE)
        .order_by("created_at", "pk")
        .values_list("note", flat=True)
    )


def test_a_double_clicked_alert_note_is_kept_once(flagged_alert, coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("safeguarding:alert_note", args=[flagged_alert.pk])
    first = client.post(url, {"note-note": "Rang the GP surgery; call back at 3."})
    second = client.post(url, {"note-note": "Rang the GP surgery; call back at 3."})
    assert first.status_code == second.status_code == 302
    assert notes(flagged_alert) == ["Rang the GP surgery; call back at 3."]


def test_a_resent_note_returns_the_note_already_made(flagged_alert, coordinator):
    made = alert_add_note(actor=coordinator, alert=flagged_alert, note="Left a voicemail.")
    again = alert_add_note(actor=coordinator, alert=flagged_alert, note="  Left a voicemail. ")
    assert again.pk == made.pk


def test_a_different_note_is_added(flagged_alert, coordinator):
    alert_add_note(actor=coordinator, alert=flagged_alert, note="Left a voicemail.")
    alert_add_note(actor=coordinator, alert=flagged_alert, note="They called back: safe.")
    assert notes(flagged_alert) == ["Left a voicemail.", "They called back: safe."]


def test_the_same_words_later_are_a_new_note(flagged_alert, coordinator):
    earlier = timezone.now() - timedelta(minutes=11)
    alert_add_note(actor=coordinator, alert=flagged_alert, note="No answer.", now=earlier)
    alert_add_note(actor=coordinator, alert=flagged_alert, note="No answer.")
    assert notes(flagged_alert) == ["No answer.", "No answer."]


def test_the_same_words_from_two_people_are_two_notes(flagged_alert, coordinator, admin):
    alert_add_note(actor=coordinator, alert=flagged_alert, note="No answer.")
    alert_add_note(actor=admin, alert=flagged_alert, note="No answer.")
    assert len(notes(flagged_alert)) == 2


def test_an_earlier_note_in_between_does_not_hide_a_real_repeat(flagged_alert, coordinator):
    """Only the latest note counts as "just added": A, B, A keeps all three."""
    for text in ("No answer.", "Texted instead.", "No answer."):
        alert_add_note(actor=coordinator, alert=flagged_alert, note=text)
    assert notes(flagged_alert) == ["No answer.", "Texted instead.", "No answer."]
