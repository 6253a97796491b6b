"""Session services: arranging, changing and cancelling a session, the mentor's log, the
mentee's reflection, the supervisor's "seen", reminders, and the missed-sessions alert."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.concurrency import STALE
from mentoring.models import (
    MentoringSession,
    MentoringSettings,
    Milestone,
    MilestoneKind,
    RelationshipStatus,
    SessionStatus,
)
from mentoring.services.session_reminders import session_reminders_send
from mentoring.services.sessions import (
    AGREEMENT_FIRST,
    missed_in_a_row,
    session_cancel,
    session_concern_mark_seen,
    session_log,
    session_reflect,
    session_reschedule,
    session_schedule,
    sessions_needing_log,
)
from tests.mentoring.factories import SessionFactory

pytestmark = pytest.mark.django_db

SOON = timedelta(days=3)
PRIVATE = "Worried about sleep; will raise with supervisor"
SUMMARY = "We planned the walk to the Wednesday group together."


@pytest.fixture(autouse=True)
def _emails_go_at_once(monkeypatch):
    """Emails are queued for after the commit; the test's transaction never commits."""
    monkeypatch.setattr("alongside.email.transaction.on_commit", lambda callback, **_: callback())


def _schedule(relationship, actor, **overrides):
    arguments = {
        "actor": actor,
        "relationship": relationship,
        "scheduled_for": timezone.now() + SOON,
        "planned_minutes": 60,
        "format": "video",
        "place": "https://meet.example.org/room-42",
    }
    arguments.update(overrides)
    return session_schedule(**arguments)


def _past_session(relationship, **fields):
    return SessionFactory(
        relationship=relationship,
        scheduled_for=fields.pop("scheduled_for", timezone.now() - timedelta(hours=2)),
        **fields,
    )


def _log(session, actor, **overrides):
    arguments = {
        "actor": actor,
        "session": session,
        "outcome": SessionStatus.HELD,
        "length_minutes": 55,
        "summary": SUMMARY,
        "private_notes": PRIVATE,
        "version": session.version,
    }
    arguments.update(overrides)
    return session_log(**arguments)


def _bodies() -> str:
    return "\n".join(f"{message.subject}\n{message.body}" for message in mail.outbox)


# Arranging ---------------------------------------------------------------------------------------


def test_mentor_arranges_a_session_and_the_mentee_is_emailed_without_details(
    active_relationship, mentor, mentee
):
    session = _schedule(active_relationship, mentor)

    assert session.status == SessionStatus.PLANNED
    assert session.scheduled_by == mentor
    assert [message.to for message in mail.outbox] == [[mentee.email]]
    body = _bodies()
    assert "/sessions/" in body
    assert "room-42" not in body
    assert "Samira" not in body and active_relationship.mentor.display_name not in body
    assert AuditEvent.objects.filter(action="session.scheduled").count() == 1


def test_mentee_can_arrange_a_session_and_the_mentor_is_emailed(
    active_relationship, mentor, mentee
):
    _schedule(active_relationship, mentee, format="phone", place="")
    assert [message.to for message in mail.outbox] == [[mentor.email]]


def test_the_same_client_key_twice_makes_one_session(active_relationship, mentor):
    first = _schedule(active_relationship, mentor, client_key="abc123")
    second = _schedule(active_relationship, mentor, client_key="abc123")
    assert first.pk == second.pk
    assert MentoringSession.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"scheduled_for": timezone.now() - timedelta(minutes=1)}, "scheduled_for"),
        ({"planned_minutes": 10}, "planned_minutes"),
        ({"planned_minutes": 241}, "planned_minutes"),
        ({"format": "in_person", "place": "  "}, "place"),
        ({"format": "video", "place": ""}, "place"),
        ({"format": "carrier_pigeon"}, "format"),
        ({"place": "x" * 301}, "place"),
        ({"is_final": True}, "is_final"),
    ],
)
def test_a_session_that_cannot_happen_is_refused_next_to_the_field(
    active_relationship, mentor, overrides, field
):
    with pytest.raises(ValidationError) as refused:
        _schedule(active_relationship, mentor, **overrides)
    assert field in refused.value.message_dict
    assert MentoringSession.objects.count() == 0
    assert mail.outbox == []


def test_phone_sessions_need_no_place(active_relationship, mentor):
    assert _schedule(active_relationship, mentor, format="phone", place="").place == ""


def test_a_final_session_can_be_arranged_during_the_planned_ending(active_relationship, mentor):
    active_relationship.status = RelationshipStatus.CLOSING
    active_relationship.save(update_fields=["status"])
    assert _schedule(active_relationship, mentor, is_final=True).is_final


def test_sessions_wait_for_the_agreement(relationship, mentor):
    with pytest.raises(ValidationError) as refused:
        _schedule(relationship, mentor)
    assert refused.value.messages == [AGREEMENT_FIRST]


def test_no_sessions_after_the_ending(ended_relationship, mentee):
    with pytest.raises(ValidationError):
        _schedule(ended_relationship, mentee)


def test_only_the_pair_arranges_sessions(active_relationship, supervisor, coordinator):
    for person in (supervisor, coordinator):
        with pytest.raises(ValidationError):
            _schedule(active_relationship, person)


# Changing and cancelling ------------------------------------------------------------------------


def test_moving_a_session_updates_the_calendar_sequence_and_tells_the_other_person(
    active_relationship, mentor, mentee
):
    session = _schedule(active_relationship, mentee)
    session.reminder_sent_at = timezone.now()
    session.save()
    mail.outbox.clear()
    later = session.scheduled_for + timedelta(days=1)

    moved = session_reschedule(
        actor=mentee,
        session=session,
        scheduled_for=later,
        planned_minutes=90,
        format="in_person",
        place="The Riverside Café",
        version=session.version,
    )

    assert moved.scheduled_for == later
    assert (moved.ics_sequence, moved.version, moved.planned_minutes) == (1, 2, 90)
    assert moved.reminder_sent_at is None
    assert [message.to for message in mail.outbox] == [[mentor.email]]
    assert "Riverside" not in _bodies()
    assert AuditEvent.objects.filter(action="session.rescheduled").count() == 1


def test_a_stale_change_is_refused_and_nothing_is_overwritten(active_relationship, mentor, mentee):
    session = _schedule(active_relationship, mentor)
    shown_version = session.version
    session_reschedule(
        actor=mentee,
        session=session,
        scheduled_for=session.scheduled_for + timedelta(hours=1),
        planned_minutes=60,
        format="phone",
        version=shown_version,
    )
    with pytest.raises(ValidationError) as refused:
        session_reschedule(
            actor=mentor,
            session=session,
            scheduled_for=session.scheduled_for + timedelta(days=2),
            planned_minutes=45,
            format="phone",
            version=shown_version,
        )
    assert refused.value.message_dict["version"] == [STALE]
    session.refresh_from_db()
    assert (session.planned_minutes, session.version) == (60, 2)


def test_only_planned_sessions_can_be_changed(active_relationship, mentor):
    session = _past_session(active_relationship, status=SessionStatus.HELD)
    with pytest.raises(ValidationError):
        session_reschedule(
            actor=mentor,
            session=session,
            scheduled_for=timezone.now() + SOON,
            planned_minutes=60,
            format="phone",
            version=session.version,
        )


@pytest.mark.parametrize(
    ("who", "status", "told"),
    [
        ("mentor", SessionStatus.CANCELLED_BY_MENTOR, "mentee"),
        ("mentee", SessionStatus.CANCELLED_BY_MENTEE, "mentor"),
    ],
)
def test_cancelling_records_who_and_tells_the_other(
    active_relationship, request, who, status, told
):
    session = SessionFactory(relationship=active_relationship)
    actor = request.getfixturevalue(who)

    cancelled = session_cancel(actor=actor, session=session)
    again = session_cancel(actor=actor, session=session)

    assert cancelled.status == again.status == status
    assert cancelled.ics_sequence == 1
    assert [message.to for message in mail.outbox] == [[request.getfixturevalue(told).email]]
    assert AuditEvent.objects.filter(action="session.cancelled").count() == 1


def test_a_session_whose_time_has_passed_is_logged_not_cancelled(active_relationship, mentee):
    with pytest.raises(ValidationError):
        session_cancel(actor=mentee, session=_past_session(active_relationship))


# The mentor's log -------------------------------------------------------------------------------


def test_the_mentor_logs_a_session_that_happened(active_relationship, mentor):
    session = _past_session(active_relationship)

    saved = _log(session, mentor, topics="sleep, the group", mood_before=4, mood_after=6)

    session.refresh_from_db()
    assert saved.possible_risk is False
    assert session.status == SessionStatus.HELD
    assert (session.length_minutes, session.mood_before, session.mood_after) == (55, 4, 6)
    assert session.summary == SUMMARY and session.private_notes == PRIVATE
    assert session.logged_by == mentor and session.logged_at is not None
    assert session.version == 2
    event = AuditEvent.objects.get(action="session.logged")
    assert PRIVATE not in str(event.metadata) and SUMMARY not in str(event.metadata)


def test_a_session_is_logged_only_once_its_time_has_come(active_relationship, mentor):
    session = SessionFactory(relationship=active_relationship)
    with pytest.raises(ValidationError):
        _log(session, mentor)


def test_a_held_session_needs_its_length(active_relationship, mentor):
    session = _past_session(active_relationship)
    with pytest.raises(ValidationError) as refused:
        _log(session, mentor, length_minutes=None)
    assert "length_minutes" in refused.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"outcome": "planned"}, "outcome"),
        ({"mood_before": 11}, "mood_before"),
        ({"mood_after": 0}, "mood_after"),
        ({"summary": "x" * 5001}, "summary"),
        ({"length_minutes": 2}, "length_minutes"),
    ],
)
def test_a_log_with_bad_answers_is_refused(active_relationship, mentor, overrides, field):
    session = _past_session(active_relationship)
    with pytest.raises(ValidationError) as refused:
        _log(session, mentor, **overrides)
    assert field in refused.value.message_dict
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_only_the_mentor_logs(active_relationship, mentee, supervisor):
    session = _past_session(active_relationship)
    for person in (mentee, supervisor):
        with pytest.raises(ValidationError):
            _log(session, person)


def test_changing_the_log_later_is_version_checked(active_relationship, mentor):
    session = _past_session(active_relationship)
    shown = session.version
    _log(session, mentor)
    with pytest.raises(ValidationError) as refused:
        _log(session, mentor, summary="Another summary", version=shown)
    assert refused.value.message_dict["version"] == [STALE]
    _log(session, mentor, summary="Another summary", version=shown + 1)
    session.refresh_from_db()
    assert session.summary == "Another summary"
    assert AuditEvent.objects.filter(action="session.log_changed").count() == 1


def test_a_concern_tells_the_supervisor_once_without_content(
    active_relationship, mentor, supervisor
):
    session = _past_session(active_relationship)
    _log(session, mentor, concern=True)
    _log(session, mentor, concern=True, summary="Edited", version=session.version + 1)

    to_supervisor = [message for message in mail.outbox if supervisor.email in message.to]
    assert len(to_supervisor) == 1
    assert PRIVATE not in to_supervisor[0].body and "Samira" not in to_supervisor[0].body
    assert f"/sessions/{session.pk}/" in to_supervisor[0].body
    session.refresh_from_db()
    assert session.concern and session.concern_seen_at is None


def test_without_a_supervisor_a_concern_goes_to_the_coordinators(
    active_relationship, mentor, coordinator
):
    profile = active_relationship.mentor
    profile.supervisor = None
    profile.save(update_fields=["supervisor"])
    _log(_past_session(active_relationship), mentor, concern=True)
    assert [message.to for message in mail.outbox] == [[coordinator.email]]


def test_words_suggesting_risk_are_checked_and_flagged(active_relationship, mentor, coordinator):
    session = _past_session(active_relationship)
    saved = _log(session, mentor, private_notes="She said: I want to kill myself")
    assert saved.possible_risk is True
    assert any(coordinator.email in message.to for message in mail.outbox)
    assert "kill myself" not in _bodies()


def test_a_held_session_can_reach_the_halfway_milestone(active_relationship, mentor):
    active_relationship.planned_sessions = 2
    active_relationship.save(update_fields=["planned_sessions"])
    _log(_past_session(active_relationship), mentor)
    assert Milestone.objects.filter(
        relationship=active_relationship, kind=MilestoneKind.HALFWAY
    ).exists()


def test_sessions_needing_log_are_planned_ones_whose_time_has_come(active_relationship, mentor):
    due = _past_session(active_relationship)
    SessionFactory(relationship=active_relationship)  # still to come
    logged = _past_session(active_relationship)
    _log(logged, mentor)
    assert list(sessions_needing_log(active_relationship)) == [due]


# Missed sessions in a row ------------------------------------------------------------------------


def _missed(relationship, mentor, days_ago, outcome=SessionStatus.NO_SHOW):
    session = _past_session(relationship, scheduled_for=timezone.now() - timedelta(days=days_ago))
    return _log(session, mentor, outcome=outcome, length_minutes=None)


def test_the_third_missed_session_in_a_row_tells_the_coordinators_once(
    active_relationship, mentor, coordinator
):
    _missed(active_relationship, mentor, 21)
    _missed(active_relationship, mentor, 14, SessionStatus.CANCELLED_BY_MENTEE)
    assert not [m for m in mail.outbox if coordinator.email in m.to]
    _missed(active_relationship, mentor, 7, SessionStatus.CANCELLED_BY_MENTOR)
    _missed(active_relationship, mentor, 1)

    to_coordinator = [m for m in mail.outbox if coordinator.email in m.to]
    assert len(to_coordinator) == 1
    assert "Samira" not in to_coordinator[0].body
    active_relationship.refresh_from_db()
    assert active_relationship.missed_alert_at is not None
    assert AuditEvent.objects.filter(action="relationship.missed_sessions_alert").count() == 1


def test_a_held_session_breaks_the_run_and_clears_the_alert(
    active_relationship, mentor, coordinator
):
    for days in (30, 25, 20):
        _missed(active_relationship, mentor, days)
    _log(
        _past_session(active_relationship, scheduled_for=timezone.now() - timedelta(days=15)),
        mentor,
    )
    active_relationship.refresh_from_db()
    assert active_relationship.missed_alert_at is None
    assert missed_in_a_row(active_relationship, 3) == 0

    for days in (10, 5):
        _missed(active_relationship, mentor, days)
    assert len([m for m in mail.outbox if coordinator.email in m.to]) == 1
    _missed(active_relationship, mentor, 1)
    assert len([m for m in mail.outbox if coordinator.email in m.to]) == 2


def test_cancelling_counts_towards_missed_sessions(
    active_relationship, organisation, mentor, mentee, coordinator
):
    MentoringSettings.objects.create(organisation=organisation, missed_sessions_alert=2)
    _missed(active_relationship, mentor, 3)
    session_cancel(actor=mentee, session=SessionFactory(relationship=active_relationship))
    assert len([m for m in mail.outbox if coordinator.email in m.to]) == 1


# The mentee's reflection -------------------------------------------------------------------------


def test_the_mentee_reflects_on_a_session_that_happened(active_relationship, mentor, mentee):
    session = _past_session(active_relationship)
    _log(session, mentor)
    session.refresh_from_db()

    saved = session_reflect(
        actor=mentee, session=session, reflection="I felt heard.", rating=5, version=2
    )

    assert saved.session.mentee_reflection == "I felt heard."
    assert saved.session.mentee_rating == 5 and saved.session.reflected_at is not None
    assert AuditEvent.objects.filter(action="session.reflected").count() == 1


def test_a_reflection_waits_until_the_session_happened(active_relationship, mentee):
    session = _past_session(active_relationship)
    with pytest.raises(ValidationError):
        session_reflect(actor=mentee, session=session, rating=4, version=session.version)


@pytest.mark.parametrize(
    ("reflection", "rating"), [("", None), ("Fine", 6), ("Fine", 0), ("x" * 5001, 3)]
)
def test_a_reflection_with_bad_answers_is_refused(
    active_relationship, mentor, mentee, reflection, rating
):
    session = _past_session(active_relationship)
    _log(session, mentor)
    with pytest.raises(ValidationError):
        session_reflect(
            actor=mentee, session=session, reflection=reflection, rating=rating, version=2
        )


def test_a_stale_reflection_is_refused(active_relationship, mentor, mentee):
    session = _past_session(active_relationship)
    _log(session, mentor)
    session_reflect(actor=mentee, session=session, rating=3, version=2)
    with pytest.raises(ValidationError) as refused:
        session_reflect(actor=mentee, session=session, rating=4, version=2)
    assert refused.value.message_dict["version"] == [STALE]


def test_only_the_mentee_reflects(active_relationship, mentor):
    session = _past_session(active_relationship)
    _log(session, mentor)
    with pytest.raises(ValidationError):
        session_reflect(actor=mentor, session=session, rating=4, version=2)


def test_a_reflection_suggesting_risk_is_flagged(active_relationship, mentor, mentee):
    session = _past_session(active_relationship)
    _log(session, mentor)
    saved = session_reflect(
        actor=mentee, session=session, reflection="Some days I want to die", version=2
    )
    assert saved.possible_risk


# The supervisor ----------------------------------------------------------------------------------


def test_the_supervisor_marks_a_concern_seen_once(active_relationship, mentor, supervisor):
    session = _past_session(active_relationship)
    _log(session, mentor, concern=True)
    first = session_concern_mark_seen(actor=supervisor, session=session)
    again = session_concern_mark_seen(actor=supervisor, session=session)
    assert first.concern_seen_at == again.concern_seen_at is not None
    assert first.concern_seen_by == supervisor
    assert AuditEvent.objects.filter(action="session.concern_seen").count() == 1


def test_only_the_mentors_supervisor_marks_a_concern_seen(active_relationship, mentor, coordinator):
    session = _past_session(active_relationship)
    _log(session, mentor, concern=True)
    with pytest.raises(ValidationError):
        session_concern_mark_seen(actor=coordinator, session=session)


# Reminders ---------------------------------------------------------------------------------------


def test_reminders_go_to_both_once(active_relationship, mentor, mentee):
    now = timezone.now()
    session = SessionFactory(
        relationship=active_relationship,
        scheduled_for=now + timedelta(hours=20),
        place="The Riverside Café",
    )
    SessionFactory(relationship=active_relationship, scheduled_for=now + timedelta(hours=30))

    assert session_reminders_send(now) == 1
    assert session_reminders_send(now) == 0

    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [mentor.email, mentee.email]
    )
    body = _bodies()
    assert timezone.localtime(session.scheduled_for).strftime("%H:%M") in body
    assert "Riverside" not in body and "Samira" not in body
    session.refresh_from_db()
    assert session.reminder_sent_at == now


def test_reminders_follow_the_organisations_window(active_relationship, organisation):
    MentoringSettings.objects.create(organisation=organisation, session_reminder_hours=48)
    SessionFactory(
        relationship=active_relationship, scheduled_for=timezone.now() + timedelta(hours=40)
    )
    assert session_reminders_send() == 1


def test_reminders_say_tomorrow(active_relationship):
    now = timezone.localtime().replace(hour=20, minute=0, second=0, microsecond=0)
    SessionFactory(relationship=active_relationship, scheduled_for=now + timedelta(hours=22))
    session_reminders_send(now)
    assert "tomorrow at 18:00" in _bodies()


def test_no_reminders_for_cancelled_sessions_or_relationships_not_under_way(
    active_relationship, other_relationship
):
    soon = timezone.now() + timedelta(hours=2)
    SessionFactory(
        relationship=active_relationship,
        scheduled_for=soon,
        status=SessionStatus.CANCELLED_BY_MENTEE,
    )
    SessionFactory(relationship=other_relationship, scheduled_for=soon)
    other_relationship.status = RelationshipStatus.ENDED
    other_relationship.save(update_fields=["status"])
    SessionFactory(relationship=active_relationship, scheduled_for=timezone.now() - SOON)
    assert session_reminders_send() == 0
    assert mail.outbox == []
