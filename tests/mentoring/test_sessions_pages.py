"""Session pages: who may open and use each one, what each person sees (the mentee never sees
private notes), arranging, changing, cancelling, logging, reflecting, and the supervisor's
flagged sessions."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.concurrency import STALE
from mentoring.models import MentoringSession, RelationshipStatus, SessionStatus
from mentoring.services.sessions import AGREEMENT_FIRST
from safeguarding.models import CrisisResource
from tests.mentoring.access import EVERYONE_INVOLVED, PAIR, PEOPLE, check_page, client_as
from tests.mentoring.factories import SessionFactory

pytestmark = pytest.mark.django_db

PRIVATE = "Private: mentee mentioned trouble sleeping again"
SUMMARY = "Shared summary: we planned the bus route to the Wednesday group."
TOPICS = "Topics: buses and the group"
REFLECTION = "Reflection: I felt listened to today."


@pytest.fixture(autouse=True)
def _emails_go_at_once(monkeypatch):
    """Emails are queued for after the commit; the test's transaction never commits."""
    monkeypatch.setattr("alongside.email.transaction.on_commit", lambda callback, **_: callback())


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _plan(**overrides) -> dict[str, str]:
    day = timezone.localdate() + timedelta(days=5)
    data = {
        "date": day.isoformat(),
        "time": "18:30",
        "planned_minutes": "60",
        "format": "video",
        "place": "https://meet.example.org/room-7",
        "client_key": "k1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def upcoming(active_relationship):
    return SessionFactory(relationship=active_relationship)


@pytest.fixture
def due(active_relationship):
    """Planned, and its time has come: waiting for the mentor's log."""
    return SessionFactory(
        relationship=active_relationship, scheduled_for=timezone.now() - timedelta(hours=2)
    )


@pytest.fixture
def held(active_relationship, mentor):
    return SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() - timedelta(days=2),
        status=SessionStatus.HELD,
        length_minutes=50,
        summary=SUMMARY,
        topics=TOPICS,
        skills_shared="Box breathing",
        private_notes=PRIVATE,
        mood_before=3,
        mood_after=6,
        concern=True,
        mentee_reflection=REFLECTION,
        mentee_rating=5,
        reflected_at=timezone.now(),
        logged_at=timezone.now() - timedelta(days=1),
        logged_by=mentor,
    )


def _url(relationship, session=None, action=""):
    base = f"/mentoring/{relationship.pk}/sessions/"
    if session is None:
        return base
    return f"{base}{session.pk}/{action}"


# Access --------------------------------------------------------------------------------------


READS = {
    # name: (fixture for the session or None for the list, action, who gets 200)
    "list": (None, "", EVERYONE_INVOLVED),
    "detail": ("held", "", EVERYONE_INVOLVED),
    "edit": ("upcoming", "edit/", PAIR),
    "log": ("due", "log/", ["mentor"]),
    "reflect": ("held", "reflect/", ["mentee"]),
    "calendar": ("upcoming", "calendar.ics", PAIR),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", list(READS))
def test_who_may_open_each_page(page, person, request, client_for, active_relationship):
    fixture, action, allowed = READS[page]
    session = request.getfixturevalue(fixture) if fixture else None
    response = client_as(person, request, client_for).get(
        _url(active_relationship, session, action)
    )
    check_page(response, person, allowed)


WRITES = {
    # name: (fixture, action, body, who succeeds with a redirect)
    "schedule": (None, "", _plan(), PAIR),
    "edit": ("upcoming", "edit/", {**_plan(), "version": "1"}, PAIR),
    "cancel": ("upcoming", "cancel/", {}, PAIR),
    "log": (
        "due",
        "log/",
        {"outcome": "held", "length_minutes": "40", "summary": "Hi", "version": "1"},
        ["mentor"],
    ),
    "reflect": ("held", "reflect/", {"rating": "4", "version": "1"}, ["mentee"]),
    "concern_seen": ("held", "concern-seen/", {}, ["supervisor"]),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", list(WRITES))
def test_who_may_do_each_thing(action, person, request, client_for, active_relationship):
    fixture, path, body, allowed = WRITES[action]
    session = request.getfixturevalue(fixture) if fixture else None
    response = client_as(person, request, client_for).post(
        _url(active_relationship, session, path), body
    )
    check_page(response, person, allowed, ok=302)


@pytest.mark.parametrize("person", PEOPLE)
def test_only_supervisors_have_a_flagged_list(person, request, client_for):
    response = client_as(person, request, client_for).get("/mentoring/supervision/flagged/")
    check_page(response, person, ["supervisor"])


def test_someone_elses_session_is_not_found(
    client_for, mentor, active_relationship, other_relationship
):
    theirs = SessionFactory(relationship=other_relationship)
    client = client_for(mentor)
    assert (
        client.get(f"/mentoring/{active_relationship.pk}/sessions/{theirs.pk}/").status_code == 404
    )
    assert client.get(_url(active_relationship) + "999999/").status_code == 404


def test_the_mentor_loses_access_when_mentoring_ends(client_for, mentor, ended_relationship):
    session = SessionFactory(
        relationship=ended_relationship,
        scheduled_for=timezone.now() - timedelta(days=3),
        status=SessionStatus.HELD,
    )
    client = client_for(mentor)
    assert client.get(_url(ended_relationship)).status_code == 404
    assert client.get(_url(ended_relationship, session)).status_code == 404
    assert client.post(_url(ended_relationship, session, "log/"), {}).status_code == 404


def test_the_mentee_reads_but_cannot_change_after_the_ending(
    client_for, mentee, ended_relationship
):
    held = SessionFactory(
        relationship=ended_relationship,
        scheduled_for=timezone.now() - timedelta(days=3),
        status=SessionStatus.HELD,
        summary=SUMMARY,
        logged_at=timezone.now(),
    )
    client = client_for(mentee)
    listing = client.get(_url(ended_relationship))
    assert listing.status_code == 200
    assert "Arrange the session" not in text_of(listing)
    detail = client.get(_url(ended_relationship, held))
    assert detail.status_code == 200 and SUMMARY in text_of(detail)
    assert "Add your reflection" not in text_of(detail)
    assert client.post(_url(ended_relationship), _plan()).status_code == 404
    assert client.get(_url(ended_relationship, held, "reflect/")).status_code == 404
    assert (
        client.post(_url(ended_relationship, held, "reflect/"), {"rating": "3"}).status_code == 404
    )
    assert client.post(_url(ended_relationship, held, "cancel/")).status_code == 404
    assert MentoringSession.objects.get(pk=held.pk).mentee_rating is None


# What each person sees -----------------------------------------------------------------------


def test_the_mentee_never_sees_private_notes_moods_or_the_concern(client_for, mentee, held):
    client = client_for(mentee)
    for url in (_url(held.relationship), _url(held.relationship, held)):
        page = text_of(client.get(url))
        assert PRIVATE not in page
        assert "Private notes" not in page
        assert "Concern" not in page and "concern" not in page
        assert "out of 10" not in page
    detail = text_of(client.get(_url(held.relationship, held)))
    assert SUMMARY in detail and TOPICS in detail and "Box breathing" in detail
    assert REFLECTION in detail and "Really helpful" in detail


def test_the_mentor_sees_everything_including_the_mentees_reflection(client_for, mentor, held):
    page = text_of(client_for(mentor).get(_url(held.relationship, held)))
    for expected in (SUMMARY, TOPICS, PRIVATE, REFLECTION, "Really helpful", "3 out of 10"):
        assert expected in page
    assert "Change your log" in page


def test_the_supervisor_sees_private_notes_and_the_concern_but_not_the_reflection(
    client_for, supervisor, held
):
    page = text_of(client_for(supervisor).get(_url(held.relationship, held)))
    assert PRIVATE in page and SUMMARY in page
    assert "not seen yet" in page
    assert "Mark the concern as seen" in page
    assert REFLECTION not in page
    assert "meet.example.org" not in page


def test_staff_see_the_summary_level_only(client_for, coordinator, held, upcoming):
    client = client_for(coordinator)
    page = text_of(client.get(_url(held.relationship, held)))
    assert SUMMARY in page and "50 minutes" in page and "Happened" in page
    for hidden in (PRIVATE, TOPICS, "Box breathing", REFLECTION, "out of 10", "Concern"):
        assert hidden not in page
    listing = text_of(client.get(_url(held.relationship)))
    assert "meet.example.org" not in listing
    assert "Concern flagged" not in listing
    assert "Arrange a session" not in listing


def test_the_list_shows_coming_up_and_past_sessions(client_for, mentee, upcoming, held):
    page = text_of(client_for(mentee).get(_url(held.relationship)))
    assert "Coming up" in page and "Past and cancelled" in page
    assert f"{upcoming.pk}/" in page and f"{held.pk}/" in page
    assert "meet.example.org" in page


def test_the_mentor_is_prompted_to_log_a_session_whose_time_has_come(
    client_for, mentor, mentee, due
):
    page = text_of(client_for(mentor).get(_url(due.relationship)))
    assert "Sessions to log" in page and f"{due.pk}/log/" in page
    mentee_page = text_of(client_for(mentee).get(_url(due.relationship)))
    assert "Sessions to log" not in mentee_page
    assert "Waiting to be logged" in mentee_page


# Arranging -----------------------------------------------------------------------------------


def test_arranging_a_session_from_the_page(client_for, mentor, mentee, active_relationship):
    response = client_for(mentor).post(_url(active_relationship), _plan())
    session = MentoringSession.objects.get()
    assert response.status_code == 302
    assert response.url == _url(active_relationship, session)
    assert timezone.localtime(session.scheduled_for).strftime("%H:%M") == "18:30"
    assert [message.to for message in mail.outbox] == [[mentee.email]]


def test_a_double_click_makes_one_session(client_for, mentor, active_relationship):
    client = client_for(mentor)
    client.post(_url(active_relationship), _plan())
    client.post(_url(active_relationship), _plan())
    assert MentoringSession.objects.count() == 1


def test_bad_input_keeps_what_was_typed(client_for, mentor, active_relationship):
    response = client_for(mentor).post(
        _url(active_relationship),
        _plan(
            date=(timezone.localdate() - timedelta(days=1)).isoformat(),
            format="in_person",
            place="",
            planned_minutes="500",
        ),
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "Some answers need another look" in page
    assert "less than or equal to 240" in page
    assert 'value="500"' in page
    assert MentoringSession.objects.count() == 0


def test_the_service_refusal_shows_next_to_the_field(client_for, mentor, active_relationship):
    response = client_for(mentor).post(
        _url(active_relationship),
        _plan(date=(timezone.localdate() - timedelta(days=1)).isoformat()),
    )
    page = text_of(response)
    assert 'id="id_date_error"' in page
    assert "Choose a date and time in the future." in page


def test_before_the_agreement_the_page_explains_it_comes_first(client_for, mentee, relationship):
    client = client_for(mentee)
    page = text_of(client.get(_url(relationship)))
    assert "Your agreement comes first" in page
    assert "Arrange the session" not in page
    response = client.post(_url(relationship), _plan(), follow=True)
    assert AGREEMENT_FIRST in text_of(response)
    assert MentoringSession.objects.count() == 0


def test_the_final_session_box_only_during_the_planned_ending(
    client_for, mentor, active_relationship
):
    client = client_for(mentor)
    assert "This is our final session" not in text_of(client.get(_url(active_relationship)))
    active_relationship.status = RelationshipStatus.CLOSING
    active_relationship.save(update_fields=["status"])
    assert "This is our final session" in text_of(client.get(_url(active_relationship)))
    client.post(_url(active_relationship), _plan(is_final="on"))
    assert MentoringSession.objects.get().is_final


# Changing and cancelling ----------------------------------------------------------------------


def test_changing_a_session(client_for, mentee, mentor, upcoming):
    response = client_for(mentee).post(
        _url(upcoming.relationship, upcoming, "edit/"),
        {**_plan(time="19:15", format="phone", place=""), "version": "1"},
    )
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert timezone.localtime(upcoming.scheduled_for).strftime("%H:%M") == "19:15"
    assert upcoming.ics_sequence == 1
    assert [message.to for message in mail.outbox] == [[mentor.email]]


def test_a_stale_change_keeps_the_typed_text_and_shows_the_latest(client_for, mentor, upcoming):
    MentoringSession.objects.filter(pk=upcoming.pk).update(
        version=2, place="https://meet.example.org/the-newer-room"
    )
    response = client_for(mentor).post(
        _url(upcoming.relationship, upcoming, "edit/"),
        {**_plan(place="https://meet.example.org/what-i-typed"), "version": "1"},
    )
    page = text_of(response)
    assert response.status_code == 200
    assert STALE in page
    assert 'value="https://meet.example.org/what-i-typed"' in page
    assert "The latest saved details" in page and "the-newer-room" in page
    assert 'name="version" value="2"' in page


def test_cancelling_from_the_page(client_for, mentee, mentor, upcoming):
    response = client_for(mentee).post(_url(upcoming.relationship, upcoming, "cancel/"))
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.status == SessionStatus.CANCELLED_BY_MENTEE
    assert [message.to for message in mail.outbox] == [[mentor.email]]


def test_a_past_session_cannot_be_changed(client_for, mentor, held):
    response = client_for(mentor).get(_url(held.relationship, held, "edit/"), follow=True)
    assert "Only a session that has not happened yet can be changed" in text_of(response)


# The calendar file ---------------------------------------------------------------------------


def test_the_calendar_file_downloads(client_for, mentee, upcoming):
    response = client_for(mentee).get(_url(upcoming.relationship, upcoming, "calendar.ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith('attachment; filename="mentoring-session-')
    assert b"BEGIN:VCALENDAR" in response.content


def test_a_held_session_has_no_calendar_file(client_for, mentor, held):
    response = client_for(mentor).get(_url(held.relationship, held, "calendar.ics"))
    assert response.status_code == 404


# The mentor's log ----------------------------------------------------------------------------


def _log_body(**overrides):
    body = {
        "outcome": "held",
        "length_minutes": "45",
        "topics": TOPICS,
        "summary": SUMMARY,
        "private_notes": PRIVATE,
        "mood_before": "4",
        "mood_after": "",
        "version": "1",
    }
    body.update(overrides)
    return body


def test_logging_a_session(client_for, mentor, due):
    response = client_for(mentor).post(_url(due.relationship, due, "log/"), _log_body())
    assert response.status_code == 302
    assert response.url == _url(due.relationship, due)
    due.refresh_from_db()
    assert due.status == SessionStatus.HELD
    assert (due.summary, due.private_notes, due.mood_before, due.mood_after) == (
        SUMMARY,
        PRIVATE,
        4,
        None,
    )


def test_the_log_form_reminds_that_urgent_things_go_through_get_help_now(client_for, mentor, due):
    page = text_of(client_for(mentor).get(_url(due.relationship, due, "log/")))
    assert "Get help now" in page and "supervisor straight away" in page
    assert 'name="version" value="1"' in page


def test_a_session_still_to_come_cannot_be_logged_yet(client_for, mentor, upcoming):
    page = text_of(client_for(mentor).get(_url(upcoming.relationship, upcoming, "log/")))
    assert "once its time has come" in page
    assert 'name="outcome"' not in page


def test_a_held_session_needs_a_length_and_keeps_the_typed_text(client_for, mentor, due):
    response = client_for(mentor).post(
        _url(due.relationship, due, "log/"), _log_body(length_minutes="")
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "Say roughly how long you met" in page
    assert PRIVATE in page and SUMMARY in page


def test_a_stale_log_keeps_the_typed_text(client_for, mentor, due):
    MentoringSession.objects.filter(pk=due.pk).update(
        version=3, summary="The summary saved elsewhere", logged_at=timezone.now()
    )
    response = client_for(mentor).post(
        _url(due.relationship, due, "log/"), _log_body(summary="My own typed summary")
    )
    page = text_of(response)
    assert response.status_code == 200
    assert STALE in page
    assert "My own typed summary" in page
    assert "The summary saved elsewhere" in page
    assert 'name="version" value="3"' in page


def test_words_suggesting_risk_show_the_writer_where_to_get_help(
    client_for, mentor, due, organisation
):
    CrisisResource.objects.create(
        organisation=organisation, name="Samaritans", phone="116 123", is_active=True
    )
    client = client_for(mentor)
    response = client.post(
        _url(due.relationship, due, "log/"),
        _log_body(private_notes="They said they feel suicidal at night"),
    )
    assert response.status_code == 302
    assert response.url.endswith(("?help=1", "?help=serious"))
    page = text_of(client.get(response.url))
    assert "If you need help now" in page and "Samaritans" in page
    # The mentor is never told someone will contact them: the alert is about their mentee.
    assert "someone from the team will get in touch" not in page


def test_a_concern_reaches_the_supervisor(client_for, mentor, supervisor, due):
    client_for(mentor).post(_url(due.relationship, due, "log/"), _log_body(concern="on"))
    assert [message.to for message in mail.outbox] == [[supervisor.email]]
    assert PRIVATE not in mail.outbox[0].body


# The mentee's reflection ---------------------------------------------------------------------


@pytest.fixture
def logged(held):
    MentoringSession.objects.filter(pk=held.pk).update(
        mentee_reflection="", mentee_rating=None, reflected_at=None
    )
    held.refresh_from_db()
    return held


def test_the_mentee_adds_a_reflection_the_mentor_then_sees(client_for, mentee, mentor, logged):
    detail = text_of(client_for(mentee).get(_url(logged.relationship, logged)))
    assert "Add your reflection" in detail
    response = client_for(mentee).post(
        _url(logged.relationship, logged, "reflect/"),
        {"rating": "4", "reflection": REFLECTION, "version": str(logged.version)},
    )
    assert response.status_code == 302
    page = text_of(client_for(mentor).get(_url(logged.relationship, logged)))
    assert REFLECTION in page and "4 out of 5, Helpful" in page


def test_the_reflection_form_offers_ratings_in_words(client_for, mentee, logged):
    page = text_of(client_for(mentee).get(_url(logged.relationship, logged, "reflect/")))
    assert "1: Hard going" in page and "5: Really helpful" in page


def test_an_empty_reflection_is_explained(client_for, mentee, logged):
    response = client_for(mentee).post(
        _url(logged.relationship, logged, "reflect/"), {"version": str(logged.version)}
    )
    assert response.status_code == 200
    assert "Choose how the session felt, or write a few words" in text_of(response)


def test_a_stale_reflection_keeps_the_typed_text(client_for, mentee, logged):
    MentoringSession.objects.filter(pk=logged.pk).update(
        version=logged.version + 1, mentee_reflection="Saved from my phone", mentee_rating=2
    )
    response = client_for(mentee).post(
        _url(logged.relationship, logged, "reflect/"),
        {"rating": "5", "reflection": "Typed on my laptop", "version": str(logged.version)},
    )
    page = text_of(response)
    assert STALE in page
    assert "Typed on my laptop" in page and "Saved from my phone" in page


def test_a_reflection_waits_for_the_log(client_for, mentee, due):
    page = text_of(client_for(mentee).get(_url(due.relationship, due, "reflect/")))
    assert "once" in page and 'name="rating"' not in page


# The supervisor ------------------------------------------------------------------------------


def test_the_supervisor_marks_a_concern_seen(client_for, supervisor, held):
    client = client_for(supervisor)
    response = client.post(_url(held.relationship, held, "concern-seen/"))
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.concern_seen_by == supervisor
    assert AuditEvent.objects.filter(action="session.concern_seen").count() == 1
    page = text_of(client.get(_url(held.relationship, held)))
    assert "Mark the concern as seen" not in page


def test_the_flagged_list_shows_unseen_first_with_the_mentees_first_name_only(
    client_for, supervisor, held, active_relationship, other_relationship
):
    seen = SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() - timedelta(days=1),
        status=SessionStatus.HELD,
        concern=True,
        concern_seen_at=timezone.now(),
    )
    SessionFactory(relationship=other_relationship, concern=True)  # not their mentor
    SessionFactory(relationship=active_relationship, concern=False)
    page = text_of(client_for(supervisor).get("/mentoring/supervision/flagged/"))
    assert "Samira" in page and "Quinlan" not in page
    assert active_relationship.mentor.display_name in page
    assert PRIVATE not in page
    unseen_at = page.index(f"/sessions/{held.pk}/")
    seen_at = page.index(f"/sessions/{seen.pk}/")
    assert page.index("Not seen yet") < unseen_at < page.index("Seen</h2>") < seen_at
    assert page.count("/sessions/") == 2


# Query counts --------------------------------------------------------------------------------

# Session, user and membership; the relationship; its sessions in one query; for a mentor the
# menu also looks up their application and profile; for supervisors and staff the urgent
# safeguarding banner looks for a waiting urgent alert; for staff one more asks whether they
# hold emergency (break-glass) access.
LIST_QUERIES = {"mentor": 6, "supervisor": 7, "coordinator": 8}
# Session, user and membership; the flagged sessions with mentor and referral in one query;
# the urgent safeguarding banner.
FLAGGED_QUERIES = 6


def _more_sessions(relationship, count):
    for days in range(1, count + 1):
        SessionFactory(
            relationship=relationship, scheduled_for=timezone.now() + timedelta(days=days)
        )
        SessionFactory(
            relationship=relationship,
            scheduled_for=timezone.now() - timedelta(days=days),
            status=SessionStatus.HELD,
            concern=True,
        )


@pytest.mark.parametrize("person", list(LIST_QUERIES))
@pytest.mark.parametrize("rows", [1, 6])
def test_the_list_takes_the_same_queries_however_many_sessions(
    person, rows, request, client_for, active_relationship, django_assert_num_queries
):
    client = client_as(person, request, client_for)
    _more_sessions(active_relationship, rows)
    client.get(_url(active_relationship))  # the first request also touches the session store
    with django_assert_num_queries(LIST_QUERIES[person]):
        assert client.get(_url(active_relationship)).status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_the_flagged_list_takes_the_same_queries_however_many(
    rows, client_for, supervisor, active_relationship, django_assert_num_queries
):
    client = client_for(supervisor)
    _more_sessions(active_relationship, rows)
    client.get("/mentoring/supervision/flagged/")
    with django_assert_num_queries(FLAGGED_QUERIES):
        assert client.get("/mentoring/supervision/flagged/").status_code == 200
