"""The alert services directly: raising (who is told, by when, without content), later signs
joining an alert that is not closed, who is told at each tier, and every step of responding —
with its validation, who may take it, its audit (labels only) and its encrypted notes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from outcomes.services.responses import response_complete
from safeguarding.models import (
    Alert,
    AlertAction,
    AlertActionKind,
    AlertLevel,
    AlertOutcome,
    AlertStatus,
    ContactMethod,
    SafeguardingAction,
    SafeguardingLead,
    SafeguardingSettings,
)
from safeguarding.services.alerts import (
    IS_CLOSED,
    NOT_A_RESPONDER,
    alert_acknowledge,
    alert_action_taken,
    alert_add_note,
    alert_close,
    alert_contact_attempt,
    alert_reopen,
    tier_recipients,
)
from safeguarding.services.rota import add_working_days
from tests.conftest import make_member
from tests.safeguarding.fixtures import raise_for

pytestmark = pytest.mark.django_db

EXCERPT = "Some days I want to die."
# A Wednesday morning, so a working day later is Thursday.
WEDNESDAY = timezone.make_aware(datetime(2026, 3, 4, 10, 0))
SECRET_NOTE = "Spoke with Samira at her flat; her sister Noor is staying tonight."


@pytest.fixture
def named_mentee(mentee):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    return mentee


@pytest.fixture
def alert(active_relationship, named_mentee, duty_lead):
    return raise_for(active_relationship)


def addresses(mailoutbox) -> list[list[str]]:
    return [sorted(message.to) for message in mailoutbox]


def content_of(mailoutbox) -> str:
    return "\n".join(f"{message.subject}\n{message.body}" for message in mailoutbox)


# Raising ------------------------------------------------------------------------------------------


def test_a_first_alert_names_the_duty_lead_and_emails_tier_zero_only(
    active_relationship,
    named_mentee,
    supervisor,
    duty_lead,
    coordinator,
    admin,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_for(active_relationship, excerpt=EXCERPT)
    assert alert.duty_lead == duty_lead and alert.supervisor == supervisor
    assert alert.status == AlertStatus.OPEN and alert.escalation_level == 0
    assert addresses(mailoutbox) == [sorted([supervisor.email, duty_lead.email])]
    text = content_of(mailoutbox)
    for personal in (EXCERPT, "want to die", "Samira", "Quinlan", named_mentee.email):
        assert personal.lower() not in text.lower(), personal
    assert f"/safeguarding/alerts/{alert.pk}/" in text


@pytest.mark.parametrize(
    ("level", "due"),
    [
        (AlertLevel.URGENT, timedelta(minutes=15)),
        (AlertLevel.HIGH, timedelta(minutes=60)),
        (AlertLevel.CONCERN, timedelta(days=1)),  # Wednesday to Thursday: one working day
    ],
)
def test_the_deadline_follows_the_level(active_relationship, duty_lead, level, due):
    alert = raise_for(active_relationship, level=level, now=WEDNESDAY)
    assert alert.due_at == WEDNESDAY + due


def test_the_deadline_follows_the_organisations_settings(
    active_relationship, organisation, duty_lead
):
    SafeguardingSettings.objects.create(
        organisation=organisation, urgent_minutes=5, high_minutes=30, concern_working_days=2
    )
    assert raise_for(active_relationship, level=AlertLevel.URGENT, now=WEDNESDAY).due_at == (
        WEDNESDAY + timedelta(minutes=5)
    )


def test_a_concern_raised_on_friday_is_due_after_the_weekend(
    active_relationship, organisation, duty_lead
):
    friday = WEDNESDAY + timedelta(days=2)
    alert = raise_for(active_relationship, level=AlertLevel.CONCERN, now=friday)
    assert alert.due_at == add_working_days(friday, 1) == friday + timedelta(days=3)


def test_the_flagged_words_are_kept_encrypted_for_responders(active_relationship, duty_lead):
    alert = raise_for(active_relationship, excerpt=EXCERPT, matches=("want to die",))
    sign = alert.signs.get()
    assert sign.excerpt == EXCERPT and sign.match_list == ["want to die"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT excerpt, matches FROM safeguarding_alertsign WHERE id = %s", [sign.pk]
        )
        excerpt, matches = cursor.fetchone()
    assert "want to die" not in excerpt and "want to die" not in matches


def test_the_raise_is_audited_without_content(active_relationship, duty_lead):
    alert = raise_for(active_relationship, excerpt=EXCERPT)
    event = AuditEvent.objects.get(action="safeguarding.alert_raised")
    assert event.object_id == str(alert.pk)
    assert event.metadata == {"level": "high", "source": "message"}


# Later signs --------------------------------------------------------------------------------------


def test_a_second_sign_at_the_same_level_joins_without_emailing_tier_zero_again(
    alert, active_relationship, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        again = raise_for(active_relationship, source="session log", excerpt="Still want to die.")
    assert again.pk == alert.pk and Alert.objects.count() == 1
    assert alert.signs.count() == 2
    assert mailoutbox == []
    event = AuditEvent.objects.get(action="safeguarding.alert_sign_added")
    assert event.metadata == {"level": "high", "source": "session log", "level_raised": False}


def test_a_second_sign_tells_the_person_responding(
    alert, active_relationship, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    alert_acknowledge(actor=coordinator, alert=alert)
    with django_capture_on_commit_callbacks(execute=True):
        raise_for(active_relationship, excerpt="Another message.")
    assert addresses(mailoutbox) == [[coordinator.email]]
    assert "Another message" not in content_of(mailoutbox)


def test_a_more_serious_sign_raises_the_level_brings_the_deadline_forward_and_tells_again(
    active_relationship,
    supervisor,
    duty_lead,
    coordinator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    first = raise_for(active_relationship, level=AlertLevel.CONCERN, now=WEDNESDAY)
    later = WEDNESDAY + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        raise_for(active_relationship, level=AlertLevel.URGENT, now=later)
    first.refresh_from_db()
    assert first.level == AlertLevel.URGENT
    assert first.due_at == later + timedelta(minutes=15)
    assert first.actions.filter(kind=AlertActionKind.LEVEL_RAISED).count() == 1
    assert addresses(mailoutbox) == [sorted([supervisor.email, duty_lead.email])]
    assert AuditEvent.objects.get(action="safeguarding.alert_sign_added").metadata["level_raised"]


def test_a_less_serious_sign_keeps_the_level_and_deadline(active_relationship, duty_lead):
    first = raise_for(active_relationship, level=AlertLevel.URGENT, now=WEDNESDAY)
    raise_for(active_relationship, level=AlertLevel.CONCERN, now=WEDNESDAY + timedelta(minutes=1))
    first.refresh_from_db()
    assert first.level == AlertLevel.URGENT
    assert first.due_at == WEDNESDAY + timedelta(minutes=15)


def test_a_sign_after_the_alert_is_closed_opens_a_new_alert(
    alert, active_relationship, coordinator
):
    alert_close(actor=coordinator, alert=alert, outcome=AlertOutcome.SAFE_FOR_NOW, note="Done.")
    again = raise_for(active_relationship)
    assert again.pk != alert.pk and again.status == AlertStatus.OPEN
    assert Alert.objects.count() == 2


def test_signs_about_different_people_are_different_alerts(
    alert, other_relationship, active_relationship
):
    assert raise_for(other_relationship).pk != alert.pk


def test_a_measure_flag_about_someone_with_an_open_alert_joins_it(
    alert,
    named_mentee,
    phq9_request,
    supervisor,
    duty_lead,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    answers = {str(number): 1 for number in range(1, 10)}
    with django_capture_on_commit_callbacks(execute=True):
        response = response_complete(actor=named_mentee, request=phq9_request, answers=answers)
    assert Alert.objects.count() == 1
    sign = alert.signs.order_by("-pk").first()
    assert sign.source == "measure"
    assert (sign.object_type, sign.object_id) == ("outcomes.measureresponse", str(response.pk))
    assert mailoutbox == []  # same level, nobody responding yet: tier 0 already knows


# Who is told --------------------------------------------------------------------------------------


def test_tier_zero_is_the_supervisor_and_the_duty_lead(alert, supervisor, duty_lead, coordinator):
    assert {user.email for user in tier_recipients(alert, 0)} == {
        supervisor.email,
        duty_lead.email,
    }


def test_without_a_duty_lead_every_active_lead_is_told(
    active_relationship, organisation, supervisor, coordinator
):
    lead = make_member(organisation, Role.SUPERVISOR, "lead.one@example.org")
    SafeguardingLead.objects.create(organisation=organisation, user=lead)
    retired = make_member(organisation, Role.SUPERVISOR, "lead.retired@example.org")
    SafeguardingLead.objects.create(organisation=organisation, user=retired, is_active=False)
    alert = raise_for(active_relationship)
    assert alert.duty_lead is None
    assert {user.email for user in tier_recipients(alert, 0)} == {supervisor.email, lead.email}


def test_without_any_lead_the_coordinators_are_told(
    active_relationship, supervisor, coordinator, admin
):
    alert = raise_for(active_relationship)
    assert {user.email for user in tier_recipients(alert, 0)} == {
        supervisor.email,
        coordinator.email,
    }


def test_inactive_people_are_never_told(alert, organisation, supervisor, duty_lead, coordinator):
    backup = make_member(organisation, Role.COORDINATOR, "backup@example.org")
    for user in (supervisor, duty_lead, coordinator):
        user.is_active = False
        user.save(update_fields=["is_active"])
    alert.refresh_from_db()
    # The duty lead and supervisor are switched off; no other lead: the active coordinator.
    assert [user.email for user in tier_recipients(alert, 0)] == [backup.email]


def test_later_tiers_add_leads_and_coordinators_then_admins(
    alert, supervisor, duty_lead, coordinator, admin
):
    tier_one = {user.email for user in tier_recipients(alert, 1)}
    assert tier_one == {supervisor.email, duty_lead.email, coordinator.email}
    assert {user.email for user in tier_recipients(alert, 2)} == tier_one | {admin.email}


# Responding: who may -----------------------------------------------------------------------------


STEPS = {
    "acknowledge": lambda actor, alert: alert_acknowledge(actor=actor, alert=alert),
    "contact": lambda actor, alert: alert_contact_attempt(
        actor=actor, alert=alert, method=ContactMethod.PHONE, reached=True
    ),
    "action": lambda actor, alert: alert_action_taken(
        actor=actor, alert=alert, action=SafeguardingAction.SAFETY_PLAN
    ),
    "note": lambda actor, alert: alert_add_note(actor=actor, alert=alert, note="A note."),
    "close": lambda actor, alert: alert_close(
        actor=actor, alert=alert, outcome=AlertOutcome.SAFE_FOR_NOW, note="Safe."
    ),
    "reopen": lambda actor, alert: alert_reopen(actor=actor, alert=alert, note="Again."),
}


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize(
    "person", ["mentee", "mentor", "other_supervisor", "other_org_coordinator", "referrer"]
)
def test_people_who_do_not_respond_are_refused(alert, person, step, request):
    with pytest.raises(ValidationError) as refused:
        STEPS[step](request.getfixturevalue(person), alert)
    assert refused.value.messages == [NOT_A_RESPONDER]
    assert not alert.actions.exclude(kind=AlertActionKind.LEVEL_RAISED).exists()


@pytest.mark.parametrize("person", ["supervisor", "duty_lead", "coordinator", "admin"])
def test_responders_may_acknowledge(alert, person, request):
    responder = request.getfixturevalue(person)
    assert alert_acknowledge(actor=responder, alert=alert).acknowledged_by == responder


def test_a_switched_off_responder_is_refused(alert, coordinator):
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as refused:
        alert_acknowledge(actor=coordinator, alert=alert)
    assert refused.value.messages == [NOT_A_RESPONDER]


@pytest.mark.parametrize("step", ["acknowledge", "contact", "action", "note", "close"])
def test_a_closed_alert_refuses_changes_until_reopened(alert, coordinator, step):
    alert_close(actor=coordinator, alert=alert, outcome=AlertOutcome.SAFE_FOR_NOW, note="Safe.")
    with pytest.raises(ValidationError) as refused:
        STEPS[step](coordinator, alert)
    assert refused.value.messages == [IS_CLOSED]
    alert_reopen(actor=coordinator, alert=alert, note="She got back in touch.")
    STEPS[step](coordinator, alert)


# Responding: each step ---------------------------------------------------------------------------


def test_acknowledging_twice_keeps_the_first_responder(alert, supervisor, coordinator):
    alert_acknowledge(actor=supervisor, alert=alert, now=WEDNESDAY)
    again = alert_acknowledge(actor=coordinator, alert=alert)
    assert again.acknowledged_by == supervisor and again.acknowledged_at == WEDNESDAY
    assert again.status == AlertStatus.ACKNOWLEDGED
    assert AuditEvent.objects.filter(action="safeguarding.alert_acknowledged").count() == 1


@pytest.mark.parametrize(
    ("method", "reached", "note", "fields"),
    [
        ("pigeon", True, "", {"method": "Choose how you tried to contact them."}),
        (ContactMethod.PHONE, None, "", {"reached": "Say whether you reached them."}),
        (
            ContactMethod.TEXT,
            False,
            "x" * 4001,
            {"note": "Keep the note to 4000 characters or fewer."},
        ),
    ],
)
def test_a_contact_attempt_says_what_is_missing(alert, coordinator, method, reached, note, fields):
    with pytest.raises(ValidationError) as refused:
        alert_contact_attempt(
            actor=coordinator, alert=alert, method=method, reached=reached, note=note
        )
    assert refused.value.message_dict == {name: [text] for name, text in fields.items()}
    assert not alert.actions.exists()


def test_a_contact_attempt_acknowledges_and_is_recorded(alert, duty_lead):
    action = alert_contact_attempt(
        actor=duty_lead, alert=alert, method=ContactMethod.PHONE, reached=False, note="Voicemail."
    )
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == duty_lead
    assert (action.kind, action.contact_method, action.reached) == (
        AlertActionKind.CONTACT_ATTEMPT,
        ContactMethod.PHONE,
        False,
    )
    event = AuditEvent.objects.get(action="safeguarding.alert_contact_attempt")
    assert event.metadata == {"level": "high", "method": "phone", "reached": False}


@pytest.mark.parametrize(
    ("action", "note", "fields"),
    [
        ("juggling", "", {"action": "Choose the action you took."}),
        (SafeguardingAction.OTHER, "", {"note": "Say what you did."}),
        (
            SafeguardingAction.GP_SAFEGUARDING_EXCEPTION,
            "  ",
            {"note": "Record why you shared information without consent."},
        ),
    ],
)
def test_an_action_says_what_is_missing(alert, coordinator, action, note, fields):
    with pytest.raises(ValidationError) as refused:
        alert_action_taken(actor=coordinator, alert=alert, action=action, note=note)
    assert refused.value.message_dict == {name: [text] for name, text in fields.items()}


def test_an_action_is_recorded(alert, supervisor):
    recorded = alert_action_taken(
        actor=supervisor, alert=alert, action=SafeguardingAction.CRISIS_SERVICE
    )
    assert recorded.action == SafeguardingAction.CRISIS_SERVICE
    event = AuditEvent.objects.get(action="safeguarding.alert_action_taken")
    assert event.metadata == {"level": "high", "action": "crisis_service"}


def test_a_note_must_say_something(alert, coordinator):
    with pytest.raises(ValidationError) as refused:
        alert_add_note(actor=coordinator, alert=alert, note="   ")
    assert refused.value.message_dict == {"note": ["Write the note."]}


def test_a_note_does_not_acknowledge(alert, coordinator):
    alert_add_note(actor=coordinator, alert=alert, note="Mentor says she is at her sister's.")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


@pytest.mark.parametrize(
    ("outcome", "note", "fields"),
    [
        ("", "Done.", {"outcome": "Choose the outcome."}),
        (
            AlertOutcome.SAFE_FOR_NOW,
            "",
            {"note": "Write a closing note: what happened and what is next."},
        ),
    ],
)
def test_closing_says_what_is_missing(alert, coordinator, outcome, note, fields):
    with pytest.raises(ValidationError) as refused:
        alert_close(actor=coordinator, alert=alert, outcome=outcome, note=note)
    assert refused.value.message_dict == {name: [text] for name, text in fields.items()}
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_closing_records_the_outcome_and_who(alert, coordinator):
    closed = alert_close(
        actor=coordinator,
        alert=alert,
        outcome=AlertOutcome.REFERRED_ON,
        note="Crisis team.",
        now=WEDNESDAY,
    )
    assert (closed.status, closed.closed_by, closed.closed_at) == (
        AlertStatus.CLOSED,
        coordinator,
        WEDNESDAY,
    )
    assert closed.acknowledged_by == coordinator  # closing an open alert answers it too
    assert not closed.false_positive
    event = AuditEvent.objects.get(action="safeguarding.alert_closed")
    assert event.metadata == {
        "level": "high",
        "outcome": "referred_on",
        "false_positive": False,
    }


def test_no_risk_found_marks_a_false_alarm_and_reopening_clears_it(alert, coordinator):
    closed = alert_close(
        actor=coordinator, alert=alert, outcome=AlertOutcome.NO_RISK, note="A song lyric."
    )
    assert closed.false_positive
    reopened = alert_reopen(actor=coordinator, alert=alert, note="It was not a lyric after all.")
    assert not reopened.false_positive and reopened.status == AlertStatus.ACKNOWLEDGED
    assert reopened.closed_at is None and reopened.closed_by is None


def test_reopening_needs_a_reason_and_an_open_alert_stays_as_it_is(alert, coordinator):
    with pytest.raises(ValidationError) as refused:
        alert_reopen(actor=coordinator, alert=alert, note="")
    assert refused.value.message_dict == {"note": ["Say why you are reopening it."]}
    assert alert_reopen(actor=coordinator, alert=alert, note="Why not").status == AlertStatus.OPEN
    assert not AuditEvent.objects.filter(action="safeguarding.alert_reopened").exists()


def test_every_step_is_audited_with_who_and_no_content(alert, coordinator, supervisor):
    alert_acknowledge(actor=supervisor, alert=alert)
    alert_contact_attempt(
        actor=supervisor, alert=alert, method=ContactMethod.PHONE, reached=True, note=SECRET_NOTE
    )
    alert_action_taken(
        actor=supervisor, alert=alert, action=SafeguardingAction.OTHER, note=SECRET_NOTE
    )
    alert_add_note(actor=coordinator, alert=alert, note=SECRET_NOTE)
    alert_close(actor=coordinator, alert=alert, outcome=AlertOutcome.SAFE_FOR_NOW, note=SECRET_NOTE)
    alert_reopen(actor=coordinator, alert=alert, note=SECRET_NOTE)
    events = list(
        AuditEvent.objects.filter(action__startswith="safeguarding.alert_", object_id=str(alert.pk))
        .exclude(action="safeguarding.alert_raised")
        .order_by("pk")
    )
    assert [(event.action, event.actor) for event in events] == [
        ("safeguarding.alert_acknowledged", supervisor),
        ("safeguarding.alert_contact_attempt", supervisor),
        ("safeguarding.alert_action_taken", supervisor),
        ("safeguarding.alert_note", coordinator),
        ("safeguarding.alert_closed", coordinator),
        ("safeguarding.alert_reopened", coordinator),
    ]
    for event in AuditEvent.objects.all():
        text = str(event.metadata)
        assert "Samira" not in text and "Noor" not in text and "want to die" not in text


def test_notes_are_stored_encrypted(alert, coordinator):
    action = alert_add_note(actor=coordinator, alert=alert, note=SECRET_NOTE)
    alert_close(actor=coordinator, alert=alert, outcome=AlertOutcome.SAFE_FOR_NOW, note=SECRET_NOTE)
    assert AlertAction.objects.get(pk=action.pk).note == SECRET_NOTE
    assert Alert.objects.get(pk=alert.pk).closing_note == SECRET_NOTE
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM safeguarding_alertaction WHERE id = %s", [action.pk])
        (stored_note,) = cursor.fetchone()
        cursor.execute("SELECT closing_note FROM safeguarding_alert WHERE id = %s", [alert.pk])
        (stored_closing,) = cursor.fetchone()
    for stored in (stored_note, stored_closing):
        assert stored and "Noor" not in stored and "Samira" not in stored
