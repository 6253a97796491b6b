"""The sessions API: every endpoint for every person, what each person's JSON holds (private
notes and moods only for the mentor and supervisor), version conflicts, one-time keys, and the
ended relationship."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from accounts.services import api_token_create
from mentoring.concurrency import STALE
from mentoring.models import MentoringSession, SessionStatus
from tests.mentoring.access import EVERYONE_INVOLVED, PAIR, PEOPLE, check_api, client_as
from tests.mentoring.factories import SessionFactory

pytestmark = pytest.mark.django_db

PRIVATE = "Private: sleeping badly again"
SUMMARY = "Shared: we looked at the bus times together."
PRIVATE_FIELDS = {"private_notes", "mood_before", "mood_after", "concern", "concern_seen_at"}
PAIR_FIELDS = {"place", "topics", "skills_shared", "mentee_reflection", "mentee_rating"}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


@pytest.fixture(autouse=True)
def _emails_go_at_once(monkeypatch):
    """Emails are queued for after the commit; the test's transaction never commits."""
    monkeypatch.setattr("alongside.email.transaction.on_commit", lambda callback, **_: callback())


def _base(relationship) -> str:
    return f"/api/v1/relationships/{relationship.pk}/sessions/"


def _plan(**overrides):
    body = {
        "scheduled_for": (timezone.now() + timedelta(days=4)).isoformat(),
        "planned_minutes": 60,
        "format": "video",
        "place": "https://meet.example.org/room-9",
        "client_key": "api-key-1",
    }
    body.update(overrides)
    return body


def send(client, method, url, body=None):
    return getattr(client, method)(url, body or {}, content_type="application/json")


@pytest.fixture
def upcoming(active_relationship):
    return SessionFactory(relationship=active_relationship)


@pytest.fixture
def due(active_relationship):
    return SessionFactory(
        relationship=active_relationship, scheduled_for=timezone.now() - timedelta(hours=3)
    )


@pytest.fixture
def held(active_relationship, mentor):
    return SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() - timedelta(days=2),
        status=SessionStatus.HELD,
        length_minutes=45,
        summary=SUMMARY,
        topics="Buses",
        private_notes=PRIVATE,
        mood_before=4,
        mood_after=7,
        concern=True,
        mentee_reflection="It helped.",
        mentee_rating=4,
        reflected_at=timezone.now(),
        logged_at=timezone.now(),
        logged_by=mentor,
    )


# Every endpoint, every person ----------------------------------------------------------------

ENDPOINTS = {
    # name: (method, session fixture, path after the session, body, who succeeds, status)
    "list": ("get", None, "", None, EVERYONE_INVOLVED, 200),
    "schedule": ("post", None, "", _plan(), PAIR, 201),
    "detail": ("get", "held", "", None, EVERYONE_INVOLVED, 200),
    "reschedule": ("patch", "upcoming", "", {**_plan(), "version": 1}, PAIR, 200),
    "cancel": ("post", "upcoming", "cancel/", None, PAIR, 200),
    "log": (
        "post",
        "due",
        "log/",
        {"outcome": "held", "length_minutes": 50, "summary": "Hi", "version": 1},
        ["mentor"],
        200,
    ),
    "reflection": ("post", "held", "reflection/", {"rating": 5, "version": 1}, ["mentee"], 200),
    "calendar": ("get", "upcoming", "calendar.ics", None, PAIR, 200),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_every_endpoint_for_every_person(
    endpoint, person, request, client_for, active_relationship
):
    method, fixture, path, body, allowed, ok = ENDPOINTS[endpoint]
    url = _base(active_relationship)
    if fixture:
        url += f"{request.getfixturevalue(fixture).pk}/{path}"
    client = client_as(person, request, client_for)
    response = client.get(url) if method == "get" else send(client, method, url, body)
    check_api(response, person, allowed, ok=ok)


def test_someone_elses_session_is_not_found(
    client_for, mentor, active_relationship, other_relationship
):
    theirs = SessionFactory(relationship=other_relationship)
    client = client_for(mentor)
    assert client.get(f"{_base(active_relationship)}{theirs.pk}/").status_code == 404
    assert client.get(f"{_base(other_relationship)}{theirs.pk}/").status_code == 404
    assert client.get(f"{_base(active_relationship)}999999/").status_code == 404


def test_a_token_works_like_a_session(mentee, organisation, active_relationship, held):
    _, key = api_token_create(actor=None, user=mentee, organisation=organisation, name="App")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(_base(active_relationship))
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [held.pk]


# What each person's JSON holds ---------------------------------------------------------------


def _fields(request, client_for, person, held):
    response = client_as(person, request, client_for).get(f"{_base(held.relationship)}{held.pk}/")
    assert response.status_code == 200
    return response.json()


def test_the_mentee_json_has_no_private_notes_or_moods(request, client_for, held):
    data = _fields(request, client_for, "mentee", held)
    assert not PRIVATE_FIELDS & set(data)
    assert PRIVATE not in str(data)
    assert data["summary"] == SUMMARY and data["mentee_rating_label"] == "Helpful"
    listing = client_as("mentee", request, client_for).get(_base(held.relationship)).json()
    assert PRIVATE not in str(listing) and not PRIVATE_FIELDS & set(listing[0])


@pytest.mark.parametrize("person", ["coordinator", "admin"])
def test_staff_json_is_summary_level_only(request, client_for, held, person):
    data = _fields(request, client_for, person, held)
    assert not (PRIVATE_FIELDS | PAIR_FIELDS) & set(data)
    assert data["summary"] == SUMMARY and data["length_minutes"] == 45
    assert data["status"] == "held"


def test_the_mentor_json_has_everything(request, client_for, held):
    data = _fields(request, client_for, "mentor", held)
    assert set(data) >= PRIVATE_FIELDS | PAIR_FIELDS
    assert data["private_notes"] == PRIVATE and data["mood_before"] == 4


def test_the_supervisor_json_has_private_notes_but_not_the_place_or_reflection(
    request, client_for, held
):
    data = _fields(request, client_for, "supervisor", held)
    assert set(data) >= PRIVATE_FIELDS
    assert data["private_notes"] == PRIVATE and data["concern"] is True
    assert not {"place", "mentee_reflection", "mentee_rating"} & set(data)


# Arranging, changing, cancelling -------------------------------------------------------------


def test_arranging_twice_with_one_key_makes_one_session(
    client_for, mentee, mentor, active_relationship
):
    client = client_for(mentee)
    first = send(client, "post", _base(active_relationship), _plan())
    second = send(client, "post", _base(active_relationship), _plan())
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert MentoringSession.objects.count() == 1
    assert [message.to for message in mail.outbox] == [[mentor.email]]


def test_bad_input_says_which_field(client_for, mentor, active_relationship):
    response = send(
        client_for(mentor),
        "post",
        _base(active_relationship),
        _plan(format="in_person", place="", scheduled_for=timezone.now().isoformat()),
    )
    assert response.status_code == 400
    assert set(response.json()) == {"scheduled_for", "place"}


def test_out_of_range_length_is_refused(client_for, mentor, active_relationship):
    response = send(
        client_for(mentor), "post", _base(active_relationship), _plan(planned_minutes=5)
    )
    assert response.status_code == 400 and "planned_minutes" in response.json()


def test_arranging_before_the_agreement_is_refused(client_for, mentor, relationship):
    response = send(client_for(mentor), "post", _base(relationship), _plan())
    assert response.status_code == 400
    assert "agreement" in response.json()["non_field_errors"][0]


def test_a_stale_change_is_a_conflict_with_the_latest(client_for, mentor, mentee, upcoming):
    url = f"{_base(upcoming.relationship)}{upcoming.pk}/"
    assert (
        send(client_for(mentee), "patch", url, {**_plan(format="phone"), "version": 1}).status_code
        == 200
    )
    response = send(client_for(mentor), "patch", url, {**_plan(planned_minutes=30), "version": 1})
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == [STALE]
    assert body["latest"]["version"] == 2 and body["latest"]["format"] == "phone"


def test_changing_raises_the_calendar_sequence(client_for, mentor, upcoming):
    url = f"{_base(upcoming.relationship)}{upcoming.pk}/"
    data = send(client_for(mentor), "patch", url, {**_plan(), "version": 1}).json()
    assert data["ics_sequence"] == 1 and data["version"] == 2


def test_cancelling_by_the_mentee(client_for, mentee, upcoming):
    response = send(
        client_for(mentee), "post", f"{_base(upcoming.relationship)}{upcoming.pk}/cancel/"
    )
    assert response.json()["status"] == SessionStatus.CANCELLED_BY_MENTEE


# Logging and reflecting -----------------------------------------------------------------------


def test_logging_returns_the_session_and_no_risk(client_for, mentor, due):
    response = send(
        client_for(mentor),
        "post",
        f"{_base(due.relationship)}{due.pk}/log/",
        {
            "outcome": "held",
            "length_minutes": 50,
            "summary": SUMMARY,
            "private_notes": PRIVATE,
            "mood_after": 8,
            "version": 1,
        },
    )
    body = response.json()
    assert response.status_code == 200
    assert body["possible_risk"] is False and body["crisis_resources"] == []
    assert body["session"]["private_notes"] == PRIVATE and body["session"]["mood_after"] == 8


def test_a_log_suggesting_risk_comes_back_with_crisis_resources(
    client_for, mentor, due, organisation
):
    from safeguarding.models import CrisisResource

    CrisisResource.objects.create(organisation=organisation, name="Samaritans", phone="116 123")
    response = send(
        client_for(mentor),
        "post",
        f"{_base(due.relationship)}{due.pk}/log/",
        {"outcome": "no_show", "private_notes": "Said they might overdose", "version": 1},
    )
    body = response.json()
    assert body["possible_risk"] is True
    assert [resource["name"] for resource in body["crisis_resources"]] == ["Samaritans"]


def test_a_stale_log_is_a_conflict(client_for, mentor, due):
    MentoringSession.objects.filter(pk=due.pk).update(version=2)
    response = send(
        client_for(mentor),
        "post",
        f"{_base(due.relationship)}{due.pk}/log/",
        {"outcome": "held", "length_minutes": 50, "version": 1},
    )
    assert response.status_code == 409
    assert response.json()["latest"]["version"] == 2


def test_a_log_before_the_time_has_come_is_refused(client_for, mentor, upcoming):
    response = send(
        client_for(mentor),
        "post",
        f"{_base(upcoming.relationship)}{upcoming.pk}/log/",
        {"outcome": "held", "length_minutes": 50, "version": 1},
    )
    assert response.status_code == 400


def test_the_mentees_reflection_and_the_json_it_gets_back(client_for, mentee, held):
    response = send(
        client_for(mentee),
        "post",
        f"{_base(held.relationship)}{held.pk}/reflection/",
        {"reflection": "Better than I expected", "rating": 5, "version": 1},
    )
    body = response.json()
    assert response.status_code == 200
    assert body["session"]["mentee_rating_label"] == "Really helpful"
    assert not PRIVATE_FIELDS & set(body["session"])


def test_a_reflection_with_a_bad_rating_is_refused(client_for, mentee, held):
    response = send(
        client_for(mentee),
        "post",
        f"{_base(held.relationship)}{held.pk}/reflection/",
        {"rating": 9, "version": 1},
    )
    assert response.status_code == 400 and "rating" in response.json()


# The calendar file ---------------------------------------------------------------------------


def test_the_calendar_file_parses_and_asks_for_text_calendar(client_for, mentor, upcoming):
    url = f"{_base(upcoming.relationship)}{upcoming.pk}/calendar.ics"
    response = client_for(mentor).get(url, HTTP_ACCEPT="text/calendar")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).events
    assert str(event["SUMMARY"]) == "Mentoring session"


def test_a_cancelled_session_calendar_file_says_cancelled(client_for, mentee, upcoming):
    client = client_for(mentee)
    base = f"{_base(upcoming.relationship)}{upcoming.pk}/"
    send(client, "post", f"{base}cancel/")
    [event] = Calendar.from_ical(client.get(f"{base}calendar.ics").content).events
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1


def test_a_held_session_has_no_calendar_file(client_for, mentor, held):
    url = f"{_base(held.relationship)}{held.pk}/calendar.ics"
    assert client_for(mentor).get(url).status_code == 404


# After the ending ----------------------------------------------------------------------------


@pytest.fixture
def ended_held(ended_relationship, mentor):
    return SessionFactory(
        relationship=ended_relationship,
        scheduled_for=timezone.now() - timedelta(days=5),
        status=SessionStatus.HELD,
        summary=SUMMARY,
        logged_at=timezone.now(),
        logged_by=mentor,
    )


def test_the_mentor_gets_404_after_the_ending(client_for, mentor, ended_held):
    client = client_for(mentor)
    base = _base(ended_held.relationship)
    assert client.get(base).status_code == 404
    assert client.get(f"{base}{ended_held.pk}/").status_code == 404
    assert send(client, "post", f"{base}{ended_held.pk}/log/", {"version": 1}).status_code == 404


def test_the_mentee_reads_but_cannot_change_after_the_ending(client_for, mentee, ended_held):
    client = client_for(mentee)
    base = _base(ended_held.relationship)
    assert client.get(base).json()[0]["summary"] == SUMMARY
    assert client.get(f"{base}{ended_held.pk}/").status_code == 200
    assert send(client, "post", base, _plan()).status_code == 404
    assert (
        send(
            client, "post", f"{base}{ended_held.pk}/reflection/", {"rating": 3, "version": 1}
        ).status_code
        == 404
    )
    assert send(client, "post", f"{base}{ended_held.pk}/cancel/").status_code == 404
    assert (
        send(client, "patch", f"{base}{ended_held.pk}/", {**_plan(), "version": 1}).status_code
        == 404
    )
