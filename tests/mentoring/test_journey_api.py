"""A whole relationship through the API only, as a client app would drive it: the mentor drafts
the agreement and the mentee acknowledges it; a session is arranged, held, logged and reflected
on; the mentee sets a goal and takes steps (one suggested by the mentor); the pair message; the
coordinator records a check-in; the planned ending begins, the mentee writes and finishes their
wellbeing plan, the coordinator closes the relationship and records the follow-up check-in, and
the mentee answers their exit survey. The mentee never sees the mentor's private notes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from mentoring.models import (
    CheckIn,
    CheckInKind,
    CheckInStatus,
    ExitSurvey,
    MentoringSession,
    Milestone,
    MilestoneKind,
    RelationshipStatus,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"
PRIVATE = "Sleep has been poor lately; talk it over with my supervisor."
SUMMARY = "We planned the first bus trip to the Wednesday support group."
REFLECTION = "Planning it together made Wednesday feel less scary."


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


class Caller:
    """One person's API client, keeping every answer so what they were shown can be checked."""

    def __init__(self, client):
        self.client = client
        self.seen: list[str] = []

    def _keep(self, response):
        self.seen.append(response.content.decode())
        return response

    def get(self, path):
        return self._keep(self.client.get(API + path))

    def post(self, path, data=None):
        return self._keep(self.client.post(API + path, data or {}, content_type="application/json"))

    def patch(self, path, data):
        return self._keep(self.client.patch(API + path, data, content_type="application/json"))

    def put(self, path, data):
        return self._keep(self.client.put(API + path, data, content_type="application/json"))


def ok(response, code=200):
    assert response.status_code == code, (response.status_code, response.content[:500])
    return response.json()


def test_a_whole_relationship_through_the_api(
    relationship, mentor, mentee, coordinator, client_for
):
    pk = relationship.pk
    rel = f"relationships/{pk}/"
    by_mentor = Caller(client_for(mentor))
    by_mentee = Caller(client_for(mentee))
    by_coordinator = Caller(client_for(coordinator))
    assert ok(by_mentee.get(rel))["status"] == RelationshipStatus.INTRODUCTION
    assert by_mentee.get(f"{rel}agreement/").status_code == 404

    # The mentor writes down the agreement, which records their acknowledgement.
    end_on = timezone.localdate() + timedelta(weeks=24)
    agreement = ok(
        by_mentor.post(
            f"{rel}agreement/",
            {
                "based_on_version": 0,
                "goals_in_own_words": "Feel able to go to the Wednesday group on my own.",
                "meeting_frequency": "fortnightly",
                "meeting_format": "in_person",
                "usual_slot": "wed_afternoon",
                "contact_channels": ["messages"],
                "contact_days": [0, 1, 2, 3, 4, 5, 6],
                "contact_from": "00:00",
                "contact_until": "23:59",
                "reply_within_hours": 48,
                "planned_sessions": 12,
                "planned_end_on": end_on.isoformat(),
            },
        ),
        201,
    )
    assert agreement["version"] == 1
    assert agreement["written_by"] == "mentor"
    assert agreement["mentor_acknowledged_at"] is not None
    assert agreement["agreed"] is False
    assert ok(by_mentor.get(rel))["status"] == RelationshipStatus.INTRODUCTION

    # The mentee reads and acknowledges it: the mentoring starts, with check-ins scheduled.
    assert ok(by_mentee.get(f"{rel}agreement/"))["version"] == 1
    agreement = ok(by_mentee.post(f"{rel}agreement/acknowledge/", {"version": 1}))
    assert agreement["agreed"] is True
    detail = ok(by_mentee.get(rel))
    assert detail["status"] == RelationshipStatus.ACTIVE
    assert detail["activated_at"] is not None
    assert detail["planned_end_on"] == end_on.isoformat()
    assert detail["agreement"]["agreed"] is True
    check_ins = ok(by_coordinator.get(f"{rel}check-ins/"))
    assert {c["person"] for c in check_ins} == {"mentor", "mentee"}
    assert all(c["status"] == "due" and c["kind"] == "regular" for c in check_ins)
    assert Milestone.objects.filter(relationship=relationship, kind=MilestoneKind.AGREEMENT)

    # The mentor arranges a session...
    when = timezone.now() + timedelta(days=3)
    session = ok(
        by_mentor.post(
            f"{rel}sessions/",
            {
                "scheduled_for": when.isoformat(),
                "planned_minutes": 60,
                "format": "video",
                "place": "https://meet.example.org/riverside",
                "client_key": "session-1",
            },
        ),
        201,
    )
    assert session["status"] == "planned"
    assert ok(by_mentee.get(rel))["next_session_at"] is not None
    sessions = f"{rel}sessions/{session['id']}/"

    # ...it happens, and the mentor logs it with a summary and private notes.
    MentoringSession.objects.filter(pk=session["id"]).update(
        scheduled_for=timezone.now() - timedelta(hours=2)
    )
    logged = ok(
        by_mentor.post(
            f"{sessions}log/",
            {
                "outcome": "held",
                "length_minutes": 50,
                "topics": "Buses, the Wednesday group",
                "skills_shared": "Box breathing",
                "summary": SUMMARY,
                "private_notes": PRIVATE,
                "mood_before": 4,
                "mood_after": 6,
                "version": session["version"],
            },
        )
    )
    assert logged["session"]["status"] == "held"
    assert logged["session"]["summary"] == SUMMARY
    assert logged["session"]["private_notes"] == PRIVATE
    assert logged["possible_risk"] is False

    # The mentee reads the summary, never the private notes, and reflects.
    shown = ok(by_mentee.get(sessions))
    assert shown["summary"] == SUMMARY
    assert "private_notes" not in shown and "mood_before" not in shown
    reflected = ok(
        by_mentee.post(
            f"{sessions}reflection/",
            {"reflection": REFLECTION, "rating": 4, "version": shown["version"]},
        )
    )
    assert reflected["session"]["mentee_reflection"] == REFLECTION
    assert reflected["session"]["mentee_rating"] == 4
    assert "private_notes" not in reflected["session"]
    listed = ok(by_mentee.get(f"{rel}sessions/"))
    assert [s["summary"] for s in listed] == [SUMMARY]
    assert "private_notes" not in listed[0]
    mentor_view = ok(by_mentor.get(sessions))
    assert mentor_view["mentee_reflection"] == REFLECTION
    assert mentor_view["private_notes"] == PRIVATE

    # The mentee sets a goal, adds a step and ticks it off: a first-step milestone.
    goal = ok(
        by_mentee.post(
            f"{rel}goals/",
            {"title": "Go to the support group on Wednesday", "client_key": "goal-1"},
        ),
        201,
    )["goal"]
    goals = f"{rel}goals/{goal['id']}/"
    step = ok(
        by_mentee.post(f"{goals}steps/", {"text": "Look up the bus times", "client_key": "s-1"}),
        201,
    )["step"]
    assert step["done"] is False
    ticked = ok(
        by_mentee.patch(
            f"{goals}steps/{step['id']}/",
            {"done": True, "how_it_went": "The 42 goes there.", "version": step["version"]},
        )
    )["step"]
    assert ticked["done"] is True and ticked["how_it_went"] == "The 42 goes there."
    assert Milestone.objects.filter(relationship=relationship, kind=MilestoneKind.FIRST_STEP)

    # The mentor suggests a step (they cannot add one themselves); the mentee takes it up.
    assert by_mentor.post(f"{goals}steps/", {"text": "Not mine to add"}).status_code == 404
    suggestion = ok(
        by_mentor.post(
            f"{goals}suggestions/",
            {"text": "Ring the organiser to say you are coming", "client_key": "sg-1"},
        ),
        201,
    )["suggestion"]
    assert suggestion["status"] == "open"
    taken = ok(
        by_mentee.post(f"{goals}suggestions/{suggestion['id']}/", {"answer": "take"}),
    )
    assert taken["suggestion"]["status"] == "taken"
    assert taken["step"]["text"] == "Ring the organiser to say you are coming"
    assert taken["step"]["from_suggestion"] == suggestion["id"]
    assert len(ok(by_mentee.get(goals))["steps"]) == 2

    # The mentor sends a message; the mentee reads it.
    sent = ok(
        by_mentor.post(
            f"{rel}messages/",
            {"body": "Well done on the bus times! See you next week.", "client_key": "m-1"},
        ),
        201,
    )
    assert sent["message"]["from_me"] is True
    assert ok(by_mentee.get(rel))["unread_messages"] == 1
    thread = ok(by_mentee.get(f"{rel}messages/"))
    [message] = thread["results"]
    assert message["sender_role"] == "mentor" and message["from_me"] is False
    assert message["body"] == "Well done on the bus times! See you next week."
    assert ok(by_mentee.get(rel))["unread_messages"] == 0
    assert ok(by_mentor.get(f"{rel}messages/"))["results"][0]["read_at"] is not None

    # The coordinator lists the check-ins due and records the mentee's first one.
    due = ok(by_coordinator.get("mentoring/check-ins/"))["results"]
    first = min(
        (c for c in due if c["relationship"] == pk and c["person"] == "mentee"),
        key=lambda c: c["due_on"],
    )
    assert first["kind"] == "regular"
    recorded = ok(
        by_coordinator.post(
            f"{rel}check-ins/{first['id']}/",
            {
                "method": "phone",
                "how_it_is_going": "Samira says the first session helped.",
                "actions": "Send the walking group details.",
                "version": 1,
            },
        )
    )
    assert recorded["status"] == "done" and recorded["method"] == "phone"
    assert first["id"] not in [
        c["id"] for c in ok(by_coordinator.get("mentoring/check-ins/"))["results"]
    ]

    # The mentor begins the planned ending.
    ending = ok(by_mentor.post(f"{rel}ending/begin/"))
    assert ending["status"] == RelationshipStatus.CLOSING
    assert ending["closing_started_at"] is not None
    assert ok(by_mentee.get(rel))["status"] == RelationshipStatus.CLOSING

    # The mentee writes the wellbeing plan and says it is ready.
    plan = ok(by_mentee.get(f"{rel}plan/"))
    assert plan["saved"] is False and plan["can_edit"] is True
    assert "Box breathing" in plan["skills_shared"]
    plan = ok(
        by_mentee.put(
            f"{rel}plan/",
            {
                "version": plan["version"],
                "what_helps": "Walking by the river before breakfast.",
                "my_toolkit": "Box breathing.",
                "my_people_and_places": "The Wednesday group at the library.",
                "warning_signs": "Sleeping badly and skipping meals.",
                "what_i_will_do": "Tell my sister and go back to the group.",
            },
        )
    )
    assert plan["saved"] is True and plan["version"] == 2
    assert plan["what_helps"] == "Walking by the river before breakfast."
    plan = ok(by_mentee.post(f"{rel}plan/ready/"))
    assert plan["ready_at"] is not None
    assert Milestone.objects.filter(relationship=relationship, kind=MilestoneKind.PLAN_READY)
    ending = ok(by_mentee.get(f"{rel}ending/"))
    assert ending["plan_ready"] is True and ending["sessions_held"] == 1

    # The coordinator closes it: goals met, the exit conversation held.
    closed = ok(
        by_coordinator.post(f"{rel}close/", {"reason": "goals_met", "exit_conversation_held": True})
    )
    assert closed["status"] == RelationshipStatus.ENDED
    assert closed["end_kind"] == "planned"
    assert closed["end_reason"] == "goals_met"
    assert closed["exit_conversation_held"] is True
    assert closed["follow_up_on"] is not None
    assert by_coordinator.post(f"{rel}close/", {"reason": "goals_met"}).status_code == 409

    # The mentor's access has stopped.
    for path in (rel, f"{rel}sessions/", sessions, f"{rel}plan/", f"{rel}goals/"):
        assert by_mentor.get(path).status_code == 404, path
    assert ok(by_mentor.get("relationships/"))["results"] == []

    # The mentee still reads the plan and their record, and can no longer change them.
    plan = ok(by_mentee.get(f"{rel}plan/"))
    assert plan["what_helps"] == "Walking by the river before breakfast."
    assert plan["can_edit"] is False
    assert (
        by_mentee.put(f"{rel}plan/", {"version": plan["version"], "what_helps": "x"}).status_code
        == 404
    )
    record = ok(by_mentee.get(f"{rel}record/"))
    assert record["status"] == RelationshipStatus.ENDED
    assert [s["summary"] for s in record["sessions"]] == [SUMMARY]
    assert record["sessions"][0]["my_reflection"] == REFLECTION
    assert [g["title"] for g in record["goals"]] == ["Go to the support group on Wednesday"]
    assert len(record["goals"][0]["steps"]) == 2
    assert ok(by_mentee.get(sessions))["summary"] == SUMMARY

    # The follow-up check-in with the mentee is listed for the coordinator and recorded.
    due = ok(by_coordinator.get("mentoring/check-ins/"))["results"]
    [follow_up] = [c for c in due if c["relationship"] == pk]
    assert follow_up["kind"] == CheckInKind.FOLLOW_UP and follow_up["person"] == "mentee"
    assert follow_up["due_on"] == closed["follow_up_on"]
    assert not CheckIn.objects.filter(
        relationship=relationship, kind=CheckInKind.REGULAR, status=CheckInStatus.DUE
    ).exists()
    recorded = ok(
        by_coordinator.post(
            f"{rel}check-ins/{follow_up['id']}/",
            {"method": "phone", "how_it_is_going": "Still going to the group most weeks."},
        )
    )
    assert recorded["status"] == "done" and recorded["kind"] == "follow_up"
    assert [
        c
        for c in ok(by_coordinator.get("mentoring/check-ins/"))["results"]
        if c["relationship"] == pk
    ] == []

    # The mentee answers their exit survey.
    survey = ExitSurvey.objects.get(relationship=relationship, respondent=mentee)
    assert ok(by_mentee.get(f"exit-surveys/{survey.pk}/"))["answered_at"] is None
    answered = ok(
        by_mentee.post(
            f"exit-surveys/{survey.pk}/",
            {"overall": 5, "what_helped": "Someone who had been there.", "would_recommend": True},
        )
    )
    assert answered["answered_at"] is not None and answered["overall"] == 5
    assert by_mentee.post(f"exit-surveys/{survey.pk}/", {"overall": 4}).status_code == 409
    assert by_mentor.get(f"exit-surveys/{survey.pk}/").status_code == 404

    # Nothing the mentee was shown, at any step, carried the private notes.
    assert by_mentee.seen
    for body in by_mentee.seen:
        assert PRIVATE not in body
        assert '"private_notes"' not in body
