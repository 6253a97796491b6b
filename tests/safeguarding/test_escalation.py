"""Escalation, on a controlled clock: an alert nobody has said they are responding to by its
deadline moves up one tier (the people that tier adds are emailed, without saying who it is
about), gets a new deadline, and at the last tier stays overdue without more emails. Responded
and closed alerts never escalate; running twice escalates nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Role
from audit.models import AuditEvent
from safeguarding.models import (
    Alert,
    AlertAction,
    AlertActionKind,
    AlertLevel,
    AlertOutcome,
    DutyShift,
    SafeguardingLead,
)
from safeguarding.services import escalation
from safeguarding.services.alerts import alert_acknowledge, alert_close
from safeguarding.services.escalation import escalate_overdue
from safeguarding.services.rota import response_times_update
from safeguarding.tasks import safeguarding_escalate
from tests.conftest import make_member
from tests.safeguarding.fixtures import raise_for

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
T = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # a Wednesday morning
FRIDAY = datetime(2026, 3, 6, 16, 0, tzinfo=LONDON)
MINUTE = timedelta(minutes=1)
NOTHING = {"escalated": 0, "people_emailed": 0, "failed": 0}


@pytest.fixture
def on_duty(organisation):
    """A supervisor named lead, on duty for the whole week of T."""
    user = make_member(organisation, Role.SUPERVISOR, "on.duty@example.org", mfa=True)
    lead = SafeguardingLead.objects.create(organisation=organisation, user=user)
    DutyShift.objects.create(
        organisation=organisation,
        lead=lead,
        starts_at=T - timedelta(days=3),
        ends_at=T + timedelta(days=7),
    )
    return user


@pytest.fixture
def other_lead(organisation):
    user = make_member(organisation, Role.SUPERVISOR, "other.lead@example.org", mfa=True)
    SafeguardingLead.objects.create(organisation=organisation, user=user)
    return user


@pytest.fixture
def team(active_relationship, supervisor, on_duty, other_lead, coordinator, admin):
    """Everyone an alert about the active relationship's mentee can reach, by tier."""
    return {
        0: {supervisor.email, on_duty.email},
        1: {other_lead.email, coordinator.email},
        2: {admin.email},
    }


def recipients(mailoutbox) -> set[str]:
    return {address for message in mailoutbox for address in message.to}


def run(now, capture):
    with capture(execute=True):
        return escalate_overdue(now=now)


def counts(escalated=0, emailed=0, at_last_tier=0):
    return {
        "escalated": escalated,
        "people_emailed": emailed,
        "failed": 0,
        "overdue_at_last_tier": at_last_tier,
    }


def test_an_urgent_alert_nobody_answers_reaches_every_tier_then_stops(
    active_relationship, team, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        alert = raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    assert alert.due_at == T + 15 * MINUTE
    assert recipients(mailoutbox) == team[0]
    mailoutbox.clear()

    # 14 minutes on, nobody has responded yet, but the deadline has not passed.
    assert run(T + 14 * MINUTE, capture) == counts()
    assert mailoutbox == []

    # 15 minutes: the first escalation reaches the other leads and the coordinators.
    assert run(T + 15 * MINUTE, capture) == counts(escalated=1, emailed=2)
    alert.refresh_from_db()
    assert alert.escalation_level == 1
    assert alert.escalated_at == T + 15 * MINUTE
    assert alert.due_at == T + 30 * MINUTE
    assert recipients(mailoutbox) == team[1]
    (message,) = mailoutbox
    assert message.subject == "Alongside: Urgent: nobody has responded to a safeguarding alert yet"
    assert f"/safeguarding/alerts/{alert.pk}/" in message.body
    for personal in ("Samira", "Quinlan", active_relationship.mentee.email, "want to die"):
        assert personal not in f"{message.subject}\n{message.body}"
    action = AlertAction.objects.get(alert=alert, kind=AlertActionKind.ESCALATED)
    assert (action.actor, action.created_at) == (None, T + 15 * MINUTE)
    event = AuditEvent.objects.get(action="safeguarding.alert_escalated")
    assert (event.actor, event.object_id) == (None, str(alert.pk))
    assert event.metadata == {"level": "urgent", "tier": 1}
    mailoutbox.clear()

    # Running again at the same moment changes nothing.
    assert run(T + 15 * MINUTE, capture) == counts()
    assert run(T + 29 * MINUTE, capture) == counts()
    assert mailoutbox == []

    # 30 minutes: the last tier adds the admins.
    assert run(T + 30 * MINUTE, capture) == counts(escalated=1, emailed=1)
    alert.refresh_from_db()
    assert (alert.escalation_level, alert.due_at) == (2, T + 45 * MINUTE)
    assert recipients(mailoutbox) == team[2]
    mailoutbox.clear()

    # After that it stays overdue on everyone's queue, and no more emails go out.
    for later in (T + 45 * MINUTE, T + 46 * MINUTE, T + timedelta(hours=5)):
        assert run(later, capture) == counts(at_last_tier=1)
    assert mailoutbox == []
    alert.refresh_from_db()
    assert alert.escalation_level == 2
    assert alert.is_overdue(T + 46 * MINUTE)
    assert AlertAction.objects.filter(alert=alert, kind=AlertActionKind.ESCALATED).count() == 2


def test_the_clock_can_be_the_real_one(active_relationship, team, mailoutbox):
    """Without ``now=``, escalation reads the clock: here a travelling one."""
    with time_machine.travel(T, tick=False):
        alert = raise_for(active_relationship, level=AlertLevel.URGENT)
    with time_machine.travel(T + 14 * MINUTE, tick=False):
        assert escalate_overdue()["escalated"] == 0
    with time_machine.travel(T + 15 * MINUTE, tick=False):
        assert escalate_overdue()["escalated"] == 1
    alert.refresh_from_db()
    assert alert.escalated_at == T + 15 * MINUTE


def test_an_alert_acknowledged_in_time_never_escalates(
    active_relationship, team, on_duty, mailoutbox, django_capture_on_commit_callbacks
):
    alert = raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    alert_acknowledge(actor=on_duty, alert=alert, now=T + 10 * MINUTE)
    mailoutbox.clear()
    for later in (T + 15 * MINUTE, T + 30 * MINUTE, T + timedelta(days=3)):
        assert run(later, django_capture_on_commit_callbacks) == counts()
    alert.refresh_from_db()
    assert (alert.escalation_level, alert.escalated_at) == (0, None)
    assert mailoutbox == []


def test_an_alert_acknowledged_after_one_escalation_escalates_no_further(
    active_relationship, team, coordinator, django_capture_on_commit_callbacks
):
    alert = raise_for(active_relationship, level=AlertLevel.HIGH, now=T)
    assert run(T + 60 * MINUTE, django_capture_on_commit_callbacks)["escalated"] == 1
    alert_acknowledge(actor=coordinator, alert=alert, now=T + 70 * MINUTE)
    assert run(T + 3 * 60 * MINUTE, django_capture_on_commit_callbacks) == counts()
    alert.refresh_from_db()
    assert alert.escalation_level == 1


def test_a_closed_alert_never_escalates(
    active_relationship, team, supervisor, django_capture_on_commit_callbacks
):
    alert = raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    alert_close(
        actor=supervisor,
        alert=alert,
        outcome=AlertOutcome.NO_RISK,
        note="A figure of speech.",
        now=T + MINUTE,
    )
    assert run(T + timedelta(days=1), django_capture_on_commit_callbacks) == counts()


def test_a_concern_raised_on_friday_afternoon_is_due_on_monday_and_waits_over_the_weekend(
    active_relationship, team, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    alert = raise_for(active_relationship, level=AlertLevel.CONCERN, now=FRIDAY)
    monday = FRIDAY + timedelta(days=3)
    assert alert.due_at == monday
    mailoutbox.clear()
    for weekend in (FRIDAY + timedelta(hours=18), FRIDAY + timedelta(days=1), monday - MINUTE):
        assert run(weekend, capture) == counts()
    assert mailoutbox == []
    assert run(monday, capture) == counts(escalated=1, emailed=2)
    alert.refresh_from_db()
    assert alert.due_at == monday + timedelta(days=1)  # Tuesday afternoon


def test_the_organisations_response_times_set_when_alerts_escalate(
    organisation, active_relationship, team, coordinator, django_capture_on_commit_callbacks
):
    response_times_update(
        actor=coordinator,
        organisation=organisation,
        urgent_minutes=5,
        high_minutes=20,
        concern_working_days=2,
    )
    urgent = raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    assert urgent.due_at == T + 5 * MINUTE
    assert run(T + 4 * MINUTE, django_capture_on_commit_callbacks)["escalated"] == 0
    assert run(T + 5 * MINUTE, django_capture_on_commit_callbacks)["escalated"] == 1
    urgent.refresh_from_db()
    assert urgent.due_at == T + 10 * MINUTE
    alert_acknowledge(actor=coordinator, alert=urgent, now=T + 6 * MINUTE)
    alert_close(
        actor=coordinator, alert=urgent, outcome=AlertOutcome.SAFE_FOR_NOW, note="Safe.", now=T
    )

    high = raise_for(active_relationship, level=AlertLevel.HIGH, now=T + 10 * MINUTE)
    assert high.due_at == T + 30 * MINUTE
    concern_start = FRIDAY
    alert_acknowledge(actor=coordinator, alert=high, now=T + 11 * MINUTE)
    alert_close(
        actor=coordinator, alert=high, outcome=AlertOutcome.SAFE_FOR_NOW, note="Safe.", now=T
    )
    concern = raise_for(active_relationship, level=AlertLevel.CONCERN, now=concern_start)
    assert concern.due_at == concern_start + timedelta(days=4)  # two working days: Tuesday


def test_a_more_serious_sign_brings_the_deadline_forward_and_escalation_follows_it(
    active_relationship, team, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    alert = raise_for(active_relationship, level=AlertLevel.CONCERN, now=FRIDAY)
    assert alert.due_at == FRIDAY + timedelta(days=3)
    saturday = FRIDAY + timedelta(hours=18)  # Saturday 10:00
    raise_for(
        active_relationship,
        level=AlertLevel.URGENT,
        excerpt="I have the pills counted out.",
        matches=("pills counted out",),
        now=saturday,
    )
    alert.refresh_from_db()
    assert (alert.level, alert.due_at) == (AlertLevel.URGENT, saturday + 15 * MINUTE)
    # A later, milder sign does not push the deadline back.
    raise_for(active_relationship, level=AlertLevel.CONCERN, now=saturday + MINUTE)
    alert.refresh_from_db()
    assert alert.due_at == saturday + 15 * MINUTE
    mailoutbox.clear()

    assert run(saturday + 14 * MINUTE, capture)["escalated"] == 0
    assert run(saturday + 15 * MINUTE, capture) == counts(escalated=1, emailed=2)
    alert.refresh_from_db()
    assert (alert.escalation_level, alert.due_at) == (1, saturday + 30 * MINUTE)
    assert recipients(mailoutbox) == team[1]


def test_a_more_serious_sign_after_escalation_keeps_the_tier_and_the_sooner_deadline(
    active_relationship, team, django_capture_on_commit_callbacks
):
    alert = raise_for(active_relationship, level=AlertLevel.HIGH, now=T)
    run(T + 60 * MINUTE, django_capture_on_commit_callbacks)
    raise_for(active_relationship, level=AlertLevel.URGENT, now=T + 61 * MINUTE)
    alert.refresh_from_db()
    assert (alert.escalation_level, alert.due_at) == (1, T + 76 * MINUTE)
    assert run(T + 76 * MINUTE, django_capture_on_commit_callbacks)["escalated"] == 1
    alert.refresh_from_db()
    assert alert.escalation_level == 2


def test_when_a_tier_adds_nobody_new_the_alert_still_escalates_without_an_email(
    active_relationship, supervisor, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    """No leads at all: the coordinators are told at once, so the first escalation adds
    nobody; it is still recorded, and the next tier reaches the admins."""
    alert = raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    assert alert.duty_lead is None
    mailoutbox.clear()
    assert run(T + 15 * MINUTE, django_capture_on_commit_callbacks) == counts(escalated=1)
    assert mailoutbox == []
    alert.refresh_from_db()
    assert alert.escalation_level == 1


def test_several_overdue_alerts_escalate_in_one_run(
    active_relationship, other_relationship, team, django_capture_on_commit_callbacks
):
    first = raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    second = raise_for(other_relationship, level=AlertLevel.HIGH, now=T - timedelta(hours=2))
    assert run(T + 15 * MINUTE, django_capture_on_commit_callbacks)["escalated"] == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.escalation_level, second.escalation_level) == (1, 1)


def test_an_alert_answered_after_the_run_listed_it_is_left_alone(
    active_relationship, team, on_duty
):
    """Two runs, or a run and a responder, at once: each alert is re-checked under its lock."""
    alert = raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    listed = list(escalation._overdue(T + 15 * MINUTE).values_list("pk", flat=True))
    assert listed == [alert.pk]
    alert_acknowledge(actor=on_duty, alert=alert, now=T + 15 * MINUTE)
    assert escalation._escalate_one(alert.pk, T + 15 * MINUTE) is None
    assert escalation._escalate_one(alert.pk, T + 15 * MINUTE) is None
    alert.refresh_from_db()
    assert alert.escalation_level == 0


def test_one_alert_failing_does_not_stop_the_others(
    active_relationship, other_relationship, team, monkeypatch, django_capture_on_commit_callbacks
):
    first = raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    second = raise_for(other_relationship, level=AlertLevel.URGENT, now=T + MINUTE)
    real_notify = escalation.notify

    def notify(alert, people, *, template="alert"):
        if alert.pk == first.pk:
            raise RuntimeError("mail server down")
        real_notify(alert, people, template=template)

    monkeypatch.setattr(escalation, "notify", notify)
    result = run(T + 20 * MINUTE, django_capture_on_commit_callbacks)
    assert (result["escalated"], result["failed"]) == (1, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.escalation_level, second.escalation_level) == (0, 1)
    assert not AlertAction.objects.filter(alert=first, kind=AlertActionKind.ESCALATED).exists()


def test_the_command_escalates_here_and_prints_the_counts(active_relationship, team, capsys):
    alert = raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    with time_machine.travel(T + 16 * MINUTE, tick=False):
        call_command("safeguarding_escalate")
    out = capsys.readouterr().out
    assert out.strip() == (
        "Safeguarding alerts: escalated 1, people emailed 2, failed 0, overdue at last tier 0."
    )
    alert.refresh_from_db()
    assert alert.escalation_level == 1


def test_the_command_can_queue_the_work_instead(active_relationship, team, capsys):
    alert = raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    with time_machine.travel(T + 16 * MINUTE, tick=False):
        call_command("safeguarding_escalate", "--queue")
    assert capsys.readouterr().out.startswith("Queued: ")
    alert.refresh_from_db()
    assert alert.escalation_level == 1  # the test task backend runs it at once


def test_the_task_returns_the_counts(active_relationship, team):
    raise_for(active_relationship, level=AlertLevel.URGENT, now=T)
    with time_machine.travel(T + 16 * MINUTE, tick=False):
        result = safeguarding_escalate.call()
    assert result == counts(escalated=1, emailed=2)


def test_nothing_is_overdue_nothing_happens():
    assert escalate_overdue() == {**NOTHING, "overdue_at_last_tier": 0}
    assert not Alert.objects.exists()
