"""The relationships API: the list and one relationship, the agreement (read, new version,
acknowledge) and strength notes. The same rules as the pages, by session or token."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import api_token_create
from mentoring.concurrency import STALE
from mentoring.models import Agreement, RelationshipStatus, StrengthNote
from tests.factories import MembershipFactory, UserFactory
from tests.mentoring.access import (
    EVERYONE_INVOLVED,
    PAIR,
    PAIR_AND_STAFF,
    PEOPLE,
    check_api,
    client_as,
)
from tests.mentoring.factories import AgreementFactory, MessageFactory, SessionFactory
from tests.mentoring.fixtures import _pair, activate

pytestmark = pytest.mark.django_db

LIST = "/api/v1/relationships/"
FIELDS = {
    "id",
    "status",
    "mentor_name",
    "mentee_name",
    "started_at",
    "activated_at",
    "planned_end_on",
    "planned_sessions",
    "next_session_at",
    "unread_messages",
    "your_role",
}
AGREEMENT_FIELDS = {
    "version",
    "goals_in_own_words",
    "meeting_frequency",
    "meeting_format",
    "usual_slot",
    "usual_slot_note",
    "contact_channels",
    "contact_days",
    "contact_from",
    "contact_until",
    "reply_within_hours",
    "planned_sessions",
    "planned_end_on",
    "anything_else",
    "statement_version",
    "change_note",
    "created_at",
    "written_by",
    "mentor_acknowledged_at",
    "mentee_acknowledged_at",
    "agreed",
}


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def body(**overrides):
    data = {
        "based_on_version": 0,
        "goals_in_own_words": "Get back to the allotment on Saturdays.",
        "meeting_frequency": "fortnightly",
        "meeting_format": "in_person",
        "usual_slot": "sat_morning",
        "contact_channels": ["messages"],
        "contact_days": [0, 2, 4],
        "contact_from": "10:00",
        "contact_until": "18:00",
        "reply_within_hours": 24,
        "planned_sessions": 10,
        "planned_end_on": (timezone.localdate() + timedelta(weeks=20)).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def drafted(relationship):
    AgreementFactory(
        relationship=relationship,
        created_by=relationship.mentor.user,
        mentor_acknowledged_at=timezone.now(),
    )
    return relationship


def token_client(user, organisation):
    _, key = api_token_create(actor=None, user=user, organisation=organisation, name="App")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


# Access -----------------------------------------------------------------------------------------

LISTERS = [person for person in PEOPLE if person not in ("anonymous", "referrer", "outsider")]
READS = {
    LIST: LISTERS,
    LIST + "{pk}/": EVERYONE_INVOLVED,
    LIST + "{pk}/agreement/": PAIR_AND_STAFF,
    LIST + "{pk}/strengths/": PAIR,
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(READS))
def test_read_access(path, person, request, client_for, drafted):
    response = client_as(person, request, client_for).get(path.format(pk=drafted.pk))
    check_api(response, person, READS[path])


WRITES = {
    # path: (who may, status for them, fixture, body)
    LIST + "{pk}/agreement/": (PAIR, 201, "relationship", body()),
    LIST + "{pk}/agreement/acknowledge/": (PAIR, 200, "drafted", {"version": 1}),
    LIST + "{pk}/strengths/": (["mentor"], 201, "active_relationship", {"text": "Steady"}),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(WRITES))
def test_write_access(path, person, request, client_for):
    allowed, ok, fixture, data = WRITES[path]
    relationship = request.getfixturevalue(fixture)
    agreements = Agreement.objects.count()
    response = post(client_as(person, request, client_for), path.format(pk=relationship.pk), data)
    check_api(response, person, allowed, ok=ok)
    if person not in allowed:
        assert Agreement.objects.count() == agreements
        assert not StrengthNote.objects.exists()


@pytest.mark.parametrize("person", ["mentor", "mentee"])
def test_access_by_token(person, request, organisation, drafted):
    client = token_client(request.getfixturevalue(person), organisation)
    assert client.get(LIST).status_code == 200
    assert client.get(f"{LIST}{drafted.pk}/agreement/").status_code == 200


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_nothing_is_changed_or_removed_directly(method, client_for, mentor, drafted):
    for path in (f"{LIST}{drafted.pk}/", f"{LIST}{drafted.pk}/agreement/"):
        response = getattr(client_for(mentor), method)(path, {}, content_type="application/json")
        assert response.status_code == 405


def test_once_ended_the_mentor_sees_nothing_and_the_mentee_only_reads(
    client_for, mentor, mentee, ended_relationship
):
    base = f"{LIST}{ended_relationship.pk}/"
    for path in (base, base + "agreement/", base + "strengths/"):
        assert client_for(mentor).get(path).status_code == 404
        assert client_for(mentee).get(path).status_code == 200
    assert client_for(mentor).get(LIST).json()["results"] == []
    assert [row["id"] for row in client_for(mentee).get(LIST).json()["results"]] == [
        ended_relationship.pk
    ]
    assert post(
        client_for(mentee), base + "agreement/acknowledge/", {"version": 1}
    ).status_code == (404)
    response = post(client_for(mentee), base + "agreement/", body(based_on_version=1))
    assert response.status_code == 404
    assert Agreement.objects.count() == 1


def test_another_organisations_relationship_is_a_404(client_for, mentor, other_org_relationship):
    base = f"{LIST}{other_org_relationship.pk}/"
    for path in (base, base + "agreement/", base + "strengths/"):
        assert client_for(mentor).get(path).status_code == 404


# The list ---------------------------------------------------------------------------------------


def test_the_mentor_sees_their_mentee_and_nothing_private(
    client_for, mentor, mentee, active_relationship
):
    soon = timezone.now() + timedelta(days=2)
    SessionFactory(relationship=active_relationship, scheduled_for=soon)
    MessageFactory(relationship=active_relationship, sender=mentee)
    referral = active_relationship.referral
    referral.phone = "07700 900123"
    referral.save(update_fields=["phone"])
    response = client_for(mentor).get(LIST)
    [row] = response.json()["results"]
    assert set(row) == FIELDS
    assert row["id"] == active_relationship.pk
    assert row["status"] == "active"
    assert row["your_role"] == "mentor"
    assert row["unread_messages"] == 1
    assert row["planned_sessions"] == 12
    assert datetime.fromisoformat(row["next_session_at"].replace("Z", "+00:00")) == soon
    assert row["mentee_name"] == "Samira"
    raw = response.content.decode()
    for private in ("Quinlan", mentee.email, "07700", mentor.email):
        assert private not in raw


@pytest.mark.parametrize(
    ("person", "role", "sees_unread"),
    [
        ("mentee", "mentee", True),
        ("supervisor", "supervisor", False),
        ("coordinator", "staff", False),
        ("admin", "staff", False),
    ],
)
def test_each_person_sees_it_as_who_they_are(
    person, role, sees_unread, request, client_for, active_relationship, mentor
):
    MessageFactory(relationship=active_relationship, sender=mentor)
    [row] = client_for(request.getfixturevalue(person)).get(LIST).json()["results"]
    assert row["your_role"] == role
    assert row["unread_messages"] == (1 if sees_unread else None)


def test_the_list_is_a_fixed_number_of_queries(
    client_for, coordinator, organisation, supervised_profile, django_assert_max_num_queries
):
    client = client_for(coordinator)

    def add(count):
        for index in range(count):
            person = UserFactory()
            MembershipFactory(organisation=organisation, user=person, role="mentee")
            made = activate(_pair(organisation, supervised_profile, person, f"Person {index}"))
            SessionFactory(relationship=made)
            MessageFactory(relationship=made, sender=person)

    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    add(6)
    with CaptureQueriesContext(connection) as several:
        response = client.get(LIST)
    assert response.json()["count"] == 7
    assert len(several) == len(one)
    with django_assert_max_num_queries(8):
        client.get(LIST)


# One relationship -------------------------------------------------------------------------------


def test_the_detail_shows_the_agreement_summary(client_for, mentee, relationship, drafted):
    data = client_for(mentee).get(f"{LIST}{relationship.pk}/").json()
    assert set(data) == FIELDS | {"agreement"}
    assert data["agreement"]["version"] == 1
    assert data["agreement"]["agreed"] is False
    assert data["agreement"]["mentee_acknowledged_at"] is None
    assert data["unread_messages"] == 0


def test_the_detail_without_an_agreement(client_for, coordinator, relationship):
    data = client_for(coordinator).get(f"{LIST}{relationship.pk}/").json()
    assert data["agreement"] is None
    assert data["unread_messages"] is None


# The agreement ----------------------------------------------------------------------------------


def test_no_agreement_yet_is_a_404(client_for, mentee, relationship):
    assert client_for(mentee).get(f"{LIST}{relationship.pk}/agreement/").status_code == 404


def test_the_agreement_reads_as_on_the_page(client_for, coordinator, drafted):
    data = client_for(coordinator).get(f"{LIST}{drafted.pk}/agreement/").json()
    assert set(data) == AGREEMENT_FIELDS
    assert data["written_by"] == "mentor"
    assert data["agreed"] is False
    assert data["contact_days"] == [0, 1, 2, 3, 4]


def test_the_mentee_writes_the_first_version(client_for, mentee, relationship):
    response = post(client_for(mentee), f"{LIST}{relationship.pk}/agreement/", body())
    assert response.status_code == 201
    data = response.json()
    assert data["version"] == 1
    assert data["written_by"] == "mentee"
    assert data["mentee_acknowledged_at"] is not None
    assert data["mentor_acknowledged_at"] is None
    assert data["contact_from"] == "10:00:00"


def test_the_same_version_sent_twice_is_made_once(client_for, mentee, relationship):
    client = client_for(mentee)
    first = post(client, f"{LIST}{relationship.pk}/agreement/", body())
    second = post(client, f"{LIST}{relationship.pk}/agreement/", body())
    assert (first.status_code, second.status_code) == (201, 200)
    assert Agreement.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"planned_sessions": 0}, "planned_sessions"),
        ({"reply_within_hours": 500}, "reply_within_hours"),
        ({"contact_from": "19:00", "contact_until": "08:00"}, "contact_until"),
        ({"contact_channels": []}, "contact_channels"),
        ({"contact_days": [9]}, "contact_days"),
        ({"planned_end_on": "2000-01-01"}, "planned_end_on"),
        ({"meeting_format": "pigeon"}, "meeting_format"),
        ({"goals_in_own_words": ""}, "goals_in_own_words"),
        ({"based_on_version": -1}, "based_on_version"),
    ],
)
def test_bad_fields_get_a_400_naming_the_field(client_for, mentor, relationship, overrides, field):
    response = post(client_for(mentor), f"{LIST}{relationship.pk}/agreement/", body(**overrides))
    assert response.status_code == 400
    assert field in response.json()
    assert not Agreement.objects.exists()


def test_a_later_version_needs_a_change_note(client_for, mentor, active_relationship):
    path = f"{LIST}{active_relationship.pk}/agreement/"
    response = post(client_for(mentor), path, body(based_on_version=1))
    assert response.status_code == 400
    assert "change_note" in response.json()
    response = post(client_for(mentor), path, body(based_on_version=1, change_note="Allotment"))
    assert response.status_code == 201
    assert response.json()["version"] == 2


def test_a_stale_version_is_a_409_with_the_latest(client_for, mentor, mentee, active_relationship):
    path = f"{LIST}{active_relationship.pk}/agreement/"
    post(client_for(mentee), path, body(based_on_version=1, change_note="Mine"))
    response = post(
        client_for(mentor),
        path,
        body(based_on_version=1, change_note="Mine too", goals_in_own_words="Other"),
    )
    assert response.status_code == 409
    data = response.json()
    assert data["based_on_version"] == [STALE]
    assert data["latest"]["version"] == 2
    assert data["latest"]["written_by"] == "mentee"
    assert Agreement.objects.count() == 2


def test_acknowledging_starts_the_mentoring(client_for, mentee, drafted):
    response = post(
        client_for(mentee), f"{LIST}{drafted.pk}/agreement/acknowledge/", {"version": 1}
    )
    assert response.status_code == 200
    assert response.json()["agreed"] is True
    drafted.refresh_from_db()
    assert drafted.status == RelationshipStatus.ACTIVE
    again = post(client_for(mentee), f"{LIST}{drafted.pk}/agreement/acknowledge/", {"version": 1})
    assert again.status_code == 200


def test_acknowledging_an_old_version_is_a_409(client_for, mentor, mentee, drafted):
    AgreementFactory(
        relationship=drafted, version=2, created_by=mentee, mentee_acknowledged_at=timezone.now()
    )
    response = post(
        client_for(mentor), f"{LIST}{drafted.pk}/agreement/acknowledge/", {"version": 1}
    )
    assert response.status_code == 409
    assert response.json()["latest"]["version"] == 2


def test_acknowledging_with_no_agreement_is_a_400(client_for, mentee, relationship):
    response = post(
        client_for(mentee), f"{LIST}{relationship.pk}/agreement/acknowledge/", {"version": 1}
    )
    assert response.status_code == 400
    response = post(client_for(mentee), f"{LIST}{relationship.pk}/agreement/acknowledge/", {})
    assert response.status_code == 400
    assert "version" in response.json()


# Strengths --------------------------------------------------------------------------------------


def test_strength_notes_are_written_once_per_key_and_read_by_the_mentee(
    client_for, mentor, mentee, active_relationship
):
    path = f"{LIST}{active_relationship.pk}/strengths/"
    first = post(client_for(mentor), path, {"text": "You are kind.", "client_key": "one"})
    again = post(client_for(mentor), path, {"text": "You are kind.", "client_key": "one"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    notes = client_for(mentee).get(path).json()
    assert [note["text"] for note in notes] == ["You are kind."]
    assert set(notes[0]) == {"id", "text", "written_at"}


def test_an_empty_strength_note_is_a_400(client_for, mentor, active_relationship):
    path = f"{LIST}{active_relationship.pk}/strengths/"
    assert post(client_for(mentor), path, {"text": "  "}).status_code == 400
    assert not StrengthNote.objects.exists()


# Schema -----------------------------------------------------------------------------------------


def test_the_schema_describes_these_endpoints(client_for, coordinator, tmp_path):
    schema = client_for(coordinator).get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/relationships/"]
    assert "get" in paths["/api/v1/relationships/{id}/"]
    assert {"get", "post"} <= set(paths["/api/v1/relationships/{id}/agreement/"])
    assert "post" in paths["/api/v1/relationships/{id}/agreement/acknowledge/"]
    assert {"get", "post"} <= set(paths["/api/v1/relationships/{id}/strengths/"])
    create = paths["/api/v1/relationships/{id}/agreement/"]["post"]
    assert {"200", "201", "400", "409"} <= set(create["responses"])
    assert "based_on_version" in create["description"]
    components = schema["components"]["schemas"]
    assert set(components["Relationship"]["properties"]) == FIELDS


def test_the_schema_generates(tmp_path, db):
    call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yaml"))
    assert (
        "/api/v1/relationships/{id}/agreement/acknowledge/"
        in (tmp_path / "schema.yaml").read_text()
    )
