"""The goals and messages API: every endpoint for every person, and the same rules as the pages
(the mentee changes goals and steps, the mentor only suggests, messages are the pair's alone,
stale changes are a 409, one-time keys, agreed hours, crisis resources)."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from accounts.services import api_token_create
from mentoring.models import (
    Agreement,
    Goal,
    GoalStatus,
    Message,
    Milestone,
    MilestoneKind,
    Step,
    StepSuggestion,
    SuggestionStatus,
)
from safeguarding.models import CrisisResource
from tests.mentoring.access import PAIR, PAIR_AND_STAFF, PEOPLE, check_api, client_as
from tests.mentoring.factories import GoalFactory, MessageFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


@pytest.fixture
def goal(active_relationship):
    return GoalFactory(
        relationship=active_relationship,
        title="Go to the support group on Wednesday",
        why_it_matters="To meet people who get it",
    )


@pytest.fixture
def step(goal):
    return StepFactory(goal=goal, text="Look up the bus times")


@pytest.fixture
def suggestion(goal, mentor):
    return StepSuggestion.objects.create(
        relationship=goal.relationship, goal=goal, text="Ring the organiser", suggested_by=mentor
    )


def base(relationship) -> str:
    return f"/api/v1/relationships/{relationship.pk}/"


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


# Access ----------------------------------------------------------------------------------------

READS = {
    "goals/": PAIR_AND_STAFF,
    "goals/{goal}/": PAIR,
    "messages/": PAIR,
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(READS))
def test_read_access(path, person, request, client_for, active_relationship, goal):
    url = base(active_relationship) + path.format(goal=goal.pk)
    check_api(client_as(person, request, client_for).get(url), person, READS[path])


WRITES = {
    # path: (method, who may, the status they get, the body)
    "goals/": ("post", ["mentee"], 201, {"title": "Sleep better", "client_key": "g"}),
    "goals/{goal}/": ("patch", ["mentee"], 200, {"title": "Go to the group", "version": 1}),
    "goals/{goal}/steps/": ("post", ["mentee"], 201, {"text": "Pack a bag"}),
    "goals/{goal}/steps/{step}/": ("patch", ["mentee"], 200, {"done": True, "version": 1}),
    "goals/{goal}/suggestions/": ("post", ["mentor"], 201, {"text": "Ring the organiser"}),
    "goals/{goal}/suggestions/{suggestion}/": ("post", ["mentee"], 200, {"answer": "take"}),
    "messages/": ("post", PAIR, 201, {"body": "Hello", "client_key": "m"}),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(WRITES))
def test_write_access(
    path, person, request, client_for, active_relationship, goal, step, suggestion
):
    method, allowed, ok, body = WRITES[path]
    url = base(active_relationship) + path.format(
        goal=goal.pk, step=step.pk, suggestion=suggestion.pk
    )
    counts = (Goal, Step, StepSuggestion, Message)
    before = [model.objects.count() for model in counts]
    response = send(client_as(person, request, client_for), method, url, body)
    check_api(response, person, allowed, ok=ok)
    if person not in allowed:
        assert [model.objects.count() for model in counts] == before
        goal.refresh_from_db()
        step.refresh_from_db()
        assert goal.version == 1 and step.done_at is None
        assert StepSuggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.OPEN


def test_unknown_records_are_404(client_for, mentee, active_relationship, goal, other_relationship):
    client = client_for(mentee)
    theirs = GoalFactory(relationship=other_relationship)
    for url in (
        base(active_relationship) + "goals/999999/",
        base(active_relationship) + f"goals/{theirs.pk}/",
        base(other_relationship) + "goals/",
    ):
        assert client.get(url).status_code == 404
    url = base(active_relationship) + f"goals/{goal.pk}/steps/999999/"
    assert send(client, "patch", url, {"done": True}).status_code == 404


def test_the_mentor_of_an_ended_relationship_gets_404(client_for, mentor, ended_relationship):
    client = client_for(mentor)
    assert client.get(base(ended_relationship) + "goals/").status_code == 404
    assert client.get(base(ended_relationship) + "messages/").status_code == 404


def test_the_mentee_of_an_ended_relationship_reads_but_cannot_change(
    client_for, mentee, ended_relationship
):
    goal = GoalFactory(relationship=ended_relationship)
    client = client_for(mentee)
    assert client.get(base(ended_relationship) + "goals/").status_code == 200
    assert client.get(base(ended_relationship) + "messages/").status_code == 200
    for method, path, body in (
        ("post", "goals/", {"title": "New"}),
        ("patch", f"goals/{goal.pk}/", {"title": "Changed"}),
        ("post", f"goals/{goal.pk}/steps/", {"text": "New step"}),
        ("post", "messages/", {"body": "Hello?"}),
    ):
        assert send(client, method, base(ended_relationship) + path, body).status_code == 404
    assert Goal.objects.count() == 1 and not Message.objects.exists()


# Goals ------------------------------------------------------------------------------------------


def test_the_pair_see_everything_and_staff_titles_and_progress(
    client_for, mentee, coordinator, goal, step
):
    StepFactory(goal=goal, text="Pack a bag", done_at=timezone.now())
    pair_view = client_for(mentee).get(base(goal.relationship) + "goals/").json()
    assert pair_view[0]["why_it_matters"] == "To meet people who get it"
    assert [s["text"] for s in pair_view[0]["steps"]] == ["Look up the bus times", "Pack a bag"]
    staff_view = client_for(coordinator).get(base(goal.relationship) + "goals/").json()
    assert staff_view == [
        {
            "id": goal.pk,
            "title": "Go to the support group on Wednesday",
            "status": "active",
            "status_label": "Working on it",
            "reached_at": None,
            "steps": 2,
            "steps_done": 1,
        }
    ]


def test_adding_a_goal_twice_with_one_key_makes_one(client_for, mentee, active_relationship):
    client = client_for(mentee)
    url = base(active_relationship) + "goals/"
    first = send(client, "post", url, {"title": "Sleep better", "client_key": "k"})
    second = send(client, "post", url, {"title": "Sleep better", "client_key": "k"})
    assert first.json()["goal"]["id"] == second.json()["goal"]["id"]
    assert Goal.objects.count() == 1


def test_an_empty_title_is_a_400_next_to_the_field(client_for, mentee, active_relationship):
    response = send(client_for(mentee), "post", base(active_relationship) + "goals/", {"title": ""})
    assert response.status_code == 400
    assert response.json()["title"] == ["Write your goal in a few words."]


def test_a_stale_goal_change_is_a_409_with_the_latest(client_for, mentee, goal):
    client = client_for(mentee)
    url = base(goal.relationship) + f"goals/{goal.pk}/"
    assert send(client, "patch", url, {"title": "First", "version": 1}).status_code == 200
    stale = send(client, "patch", url, {"title": "Second", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["latest"]["title"] == "First"
    assert stale.json()["latest"]["version"] == 2


def test_reaching_a_goal_through_the_api(client_for, mentee, goal):
    response = send(
        client_for(mentee),
        "patch",
        base(goal.relationship) + f"goals/{goal.pk}/",
        {"status": "reached", "how_it_went": "I went!", "version": 1},
    )
    assert response.status_code == 200
    assert response.json()["goal"]["status"] == GoalStatus.REACHED
    assert Milestone.objects.filter(kind=MilestoneKind.GOAL_REACHED).exists()


def test_ticking_a_step_counts_as_the_first_step(client_for, mentee, step):
    response = send(
        client_for(mentee),
        "patch",
        base(step.relationship) + f"goals/{step.goal_id}/steps/{step.pk}/",
        {"done": True, "how_it_went": "Easy", "version": 1},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["step"]["done"] is True and body["step"]["how_it_went"] == "Easy"
    assert body["possible_risk"] is False and body["crisis_resources"] == []
    assert Milestone.objects.filter(kind=MilestoneKind.FIRST_STEP).exists()


def test_a_stale_step_change_is_a_409(client_for, mentee, step):
    client = client_for(mentee)
    url = base(step.relationship) + f"goals/{step.goal_id}/steps/{step.pk}/"
    send(client, "patch", url, {"text": "Look up the 42 bus", "version": 1})
    stale = send(client, "patch", url, {"how_it_went": "Other tab", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["latest"]["text"] == "Look up the 42 bus"


def test_the_mentee_takes_a_suggestion_up(client_for, mentee, goal, suggestion):
    response = send(
        client_for(mentee),
        "post",
        base(goal.relationship) + f"goals/{goal.pk}/suggestions/{suggestion.pk}/",
        {"answer": "take"},
    )
    body = response.json()
    assert body["suggestion"]["status"] == "taken"
    assert body["step"]["from_suggestion"] == suggestion.pk


def test_a_made_up_answer_is_a_400(client_for, mentee, goal, suggestion):
    response = send(
        client_for(mentee),
        "post",
        base(goal.relationship) + f"goals/{goal.pk}/suggestions/{suggestion.pk}/",
        {"answer": "maybe"},
    )
    assert response.status_code == 400


def test_risky_words_return_crisis_resources(client_for, mentee, goal, organisation):
    CrisisResource.objects.create(organisation=organisation, name="Samaritans", phone="116 123")
    response = send(
        client_for(mentee),
        "post",
        base(goal.relationship) + f"goals/{goal.pk}/steps/",
        {"text": "Stop feeling like I want to die"},
    )
    body = response.json()
    assert body["possible_risk"] is True
    assert body["crisis_resources"][0]["name"] == "Samaritans"


# Messages ---------------------------------------------------------------------------------------


def test_sending_outside_the_hours_says_when_to_expect_a_reply(
    client_for, mentee, active_relationship
):
    other_day = (timezone.localdate().weekday() + 3) % 7
    Agreement.objects.filter(relationship=active_relationship).update(
        contact_days=[other_day], contact_from=time(9), contact_until=time(10)
    )
    response = send(
        client_for(mentee), "post", base(active_relationship) + "messages/", {"body": "Hi"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["outside_hours"] is True
    assert body["reply_expected_by"] is not None
    assert body["contact_hours"].endswith("9:00–10:00")
    assert body["message"]["from_me"] is True and body["message"]["sender_role"] == "mentee"


def test_a_risky_message_returns_crisis_resources(
    client_for, mentee, active_relationship, organisation
):
    CrisisResource.objects.create(organisation=organisation, name="Samaritans", phone="116 123")
    response = send(
        client_for(mentee),
        "post",
        base(active_relationship) + "messages/",
        {"body": "I keep thinking about suicide"},
    )
    body = response.json()
    assert body["possible_risk"] is True
    assert [r["name"] for r in body["crisis_resources"]] == ["Samaritans"]
    level = Message.objects.get().risk_level
    assert level in ("concern", "high", "urgent")
    assert body["someone_will_be_in_touch"] is (level != "concern")


def test_an_empty_message_is_a_400(client_for, mentee, active_relationship):
    response = send(
        client_for(mentee), "post", base(active_relationship) + "messages/", {"body": "  "}
    )
    assert response.status_code == 400
    assert "body" in response.json()


def test_reading_the_thread_pages_back_and_marks_read(
    client_for, mentee, mentor, active_relationship
):
    for number in range(55):
        MessageFactory(relationship=active_relationship, sender=mentor, body=f"Note {number}")
    client = client_for(mentee)
    latest = client.get(base(active_relationship) + "messages/").json()
    assert len(latest["results"]) == 50 and latest["has_older"]
    assert latest["results"][-1]["body"] == "Note 54"
    assert latest["results"][0]["from_me"] is False
    assert latest["results"][0]["sender_role"] == "mentor"
    first_id = latest["results"][0]["id"]
    older = client.get(base(active_relationship) + f"messages/?before={first_id}").json()
    assert [m["body"] for m in older["results"]] == [f"Note {n}" for n in range(5)]
    assert not Message.objects.filter(read_at__isnull=True).exists()


def test_a_token_works_like_a_session(mentee, organisation, active_relationship):
    _, key = api_token_create(actor=None, user=mentee, organisation=organisation, name="App")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = send(client, "post", base(active_relationship) + "goals/", {"title": "Walk"})
    assert response.status_code == 201


def test_the_schema_lists_the_endpoints(client_for, coordinator):
    schema = client_for(coordinator).get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/relationships/{id}/goals/",
        "/api/v1/relationships/{id}/goals/{goal_pk}/",
        "/api/v1/relationships/{id}/goals/{goal_pk}/steps/",
        "/api/v1/relationships/{id}/goals/{goal_pk}/steps/{step_pk}/",
        "/api/v1/relationships/{id}/goals/{goal_pk}/suggestions/",
        "/api/v1/relationships/{id}/goals/{goal_pk}/suggestions/{suggestion_pk}/",
        "/api/v1/relationships/{id}/messages/",
    ):
        assert path in paths, sorted(paths)
