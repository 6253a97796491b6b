"""Calendar files for sessions: what a calendar app reads, and nothing a calendar someone else
can see should show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from icalendar import Calendar

from mentoring.calendar import (
    EVENT_SUMMARY,
    can_have_calendar_file,
    session_calendar,
    session_filename,
    session_uid,
)
from mentoring.models import SessionStatus
from tests.mentoring.factories import SessionFactory

pytestmark = pytest.mark.django_db

START = datetime(2031, 6, 10, 17, 30, tzinfo=UTC)  # 18:30 in London (summer time)


@pytest.fixture
def session(active_relationship):
    return SessionFactory(
        relationship=active_relationship,
        scheduled_for=START,
        planned_minutes=45,
        format="in_person",
        place="The Riverside Café, Mill Street",
        topics="Sleep and the Wednesday group",
        summary="We talked about sleep.",
        private_notes="Keep an eye on low mood",
    )


def _event(raw: bytes):
    calendar = Calendar.from_ical(raw)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["VERSION"] == "2.0"
    [event] = calendar.events
    return event


def test_the_file_is_a_calendar_event_in_utc(session):
    event = _event(session_calendar(session))
    assert event.start == START
    assert event.end == START + timedelta(minutes=45)
    assert event.start.tzinfo is not None and event.start.utcoffset() == timedelta(0)
    assert str(event["SUMMARY"]) == EVENT_SUMMARY == "Mentoring session"
    assert str(event["LOCATION"]) == "The Riverside Café, Mill Street"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0


def test_the_description_is_only_the_link_to_the_session(session):
    event = _event(session_calendar(session))
    url = f"{settings.SITE_URL}/mentoring/{session.relationship_id}/sessions/{session.pk}/"
    assert str(event["DESCRIPTION"]) == url


def test_no_names_or_notes_in_the_file(session, active_relationship):
    text = session_calendar(session).decode()
    for private in (
        "Samira",
        "Quinlan",
        active_relationship.mentor.display_name,
        "Sleep and the Wednesday group",
        "We talked about sleep",
        "low mood",
    ):
        assert private not in text


def test_the_uid_stays_the_same_and_the_sequence_follows_changes(session):
    first = _event(session_calendar(session))
    session.ics_sequence = 3
    session.scheduled_for = START + timedelta(days=1)
    second = _event(session_calendar(session))
    assert str(first["UID"]) == str(second["UID"]) == session_uid(session)
    assert session_uid(session).startswith(f"session-{session.pk}@")
    assert second["SEQUENCE"] == 3


@pytest.mark.parametrize(
    "status", [SessionStatus.CANCELLED_BY_MENTOR, SessionStatus.CANCELLED_BY_MENTEE]
)
def test_a_cancelled_session_gives_a_cancelled_event(session, status):
    session.status = status
    session.ics_sequence = 1
    event = _event(session_calendar(session))
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


@pytest.mark.parametrize(
    ("status", "has_file"),
    [
        (SessionStatus.PLANNED, True),
        (SessionStatus.CANCELLED_BY_MENTEE, True),
        (SessionStatus.HELD, False),
        (SessionStatus.NO_SHOW, False),
    ],
)
def test_only_planned_and_cancelled_sessions_have_a_file(session, status, has_file):
    session.status = status
    assert can_have_calendar_file(session) is has_file


def test_the_file_name_has_the_local_date(session):
    assert session_filename(session) == "mentoring-session-2031-06-10.ics"


def test_a_session_without_a_place_has_no_location(session):
    session.place = ""
    assert "LOCATION" not in _event(session_calendar(session))
