"""Calendar files (.ics) for mentoring sessions.

A calendar can be seen by other people (a shared family calendar, a work phone), so the event
says only "Mentoring session", when, where, and a link to the session page: no names, no
topics. Each session keeps one UID; a change or a cancellation raises the SEQUENCE, so importing
the newer file updates the event instead of adding a second one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from mentoring.models import MentoringSession, SessionStatus

PRODUCT_ID = "-//Alongside//Mentoring sessions//EN"
EVENT_SUMMARY = "Mentoring session"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def session_uid(session: MentoringSession) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "alongside"
    return f"session-{session.pk}@{host}"


def session_url(session: MentoringSession) -> str:
    path = reverse("mentoring:session", args=[session.relationship_id, session.pk])
    return f"{settings.SITE_URL}{path}"


def session_filename(session: MentoringSession) -> str:
    day = timezone.localtime(session.scheduled_for).strftime("%Y-%m-%d")
    return f"mentoring-session-{day}.ics"


def can_have_calendar_file(session: MentoringSession) -> bool:
    """A planned session, or a cancelled one (whose file removes it from the calendar)."""
    return session.status in (
        SessionStatus.PLANNED,
        SessionStatus.CANCELLED_BY_MENTOR,
        SessionStatus.CANCELLED_BY_MENTEE,
    )


def session_calendar(session: MentoringSession, now: datetime | None = None) -> bytes:
    """The session as an iCalendar file (METHOD:PUBLISH, one VEVENT, times in UTC)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    start = session.scheduled_for.astimezone(UTC)
    cancelled = session.status != SessionStatus.PLANNED
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("sequence", session.ics_sequence)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=session.planned_minutes))
    event.add("summary", EVENT_SUMMARY)
    if session.place:
        event.add("location", session.place)
    event.add("description", session_url(session))
    event.add("url", session_url(session))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
