"""Records the access matrix needs that no shared fixture makes: a session, a goal and its
step and suggestion, a check-in, a concern, an exit survey, a wellbeing plan, a measure
response.

Each builder takes the matrix's ``fixture`` lookup and returns the URL's arguments, so a route
reads ``Route(kwargs=records.held_session, ...)``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from mentoring.models import (
    CheckInStatus,
    ConcernRequest,
    EndReason,
    ExitSurvey,
    Relationship,
    SessionStatus,
    StepSuggestion,
)
from mentoring.services.ending import relationship_close
from mentoring.services.plans import plan_save
from outcomes.services.responses import answer_save, response_start
from tests.mentoring.factories import ConcernFactory, GoalFactory, SessionFactory, StepFactory
from tests.outcomes.fixtures import make_response
from tests.security.matrix import Fixture

Kwargs = dict[str, Any]


def relationship(fixture: Fixture) -> Kwargs:
    """The active relationship of the shared ``mentor`` and ``mentee``."""
    return {"pk": fixture("active_relationship").pk}


def _active(fixture: Fixture) -> Relationship:
    active: Relationship = fixture("active_relationship")
    return active


def upcoming_session(fixture: Fixture) -> Kwargs:
    active = _active(fixture)
    session = SessionFactory(relationship=active)
    return {"pk": active.pk, "session_pk": session.pk}


def due_session(fixture: Fixture) -> Kwargs:
    """Its time has come: waiting for the mentor's log."""
    active = _active(fixture)
    session = SessionFactory(relationship=active, scheduled_for=timezone.now() - timedelta(hours=2))
    return {"pk": active.pk, "session_pk": session.pk}


def held_session(fixture: Fixture) -> Kwargs:
    """Held, logged with a concern for the supervisor, not yet reflected on."""
    active = _active(fixture)
    mentor = fixture("mentor")
    session = SessionFactory(
        relationship=active,
        scheduled_for=timezone.now() - timedelta(days=2),
        status=SessionStatus.HELD,
        length_minutes=50,
        summary="We planned the bus route.",
        private_notes="Trouble sleeping again.",
        concern=True,
        logged_at=timezone.now() - timedelta(days=1),
        logged_by=mentor,
    )
    return {"pk": active.pk, "session_pk": session.pk}


def goal(fixture: Fixture) -> Kwargs:
    active = _active(fixture)
    made = GoalFactory(relationship=active)
    return {"pk": active.pk, "goal_pk": made.pk}


def step(fixture: Fixture) -> Kwargs:
    active = _active(fixture)
    made = StepFactory(goal=GoalFactory(relationship=active))
    return {"pk": active.pk, "goal_pk": made.goal_id, "step_pk": made.pk}


def suggestion(fixture: Fixture) -> Kwargs:
    active = _active(fixture)
    made = GoalFactory(relationship=active)
    suggested = StepSuggestion.objects.create(
        relationship=active, goal=made, text="Ring the organiser", suggested_by=fixture("mentor")
    )
    return {"pk": active.pk, "goal_pk": made.pk, "suggestion_pk": suggested.pk}


def check_in(fixture: Fixture) -> Kwargs:
    """The mentee's first check-in, scheduled when the relationship became active."""
    active = _active(fixture)
    first = active.check_ins.filter(person="mentee", status=CheckInStatus.DUE).order_by("due_on")
    return {"pk": active.pk, "check_in_pk": first[0].pk}


def concern(fixture: Fixture) -> Kwargs:
    active = _active(fixture)
    raised = ConcernFactory(
        relationship=active, raised_by=fixture("mentee"), request=ConcernRequest.REMATCH
    )
    return {"pk": active.pk, "concern_pk": raised.pk}


def written_plan(fixture: Fixture) -> Kwargs:
    """The pair's wellbeing plan, with some words in it (so the mentee can mark it ready)."""
    active = _active(fixture)
    plan_save(actor=fixture("mentee"), relationship=active, version=1, what_helps="Walking")
    return {"pk": active.pk}


def mentee_exit_survey(fixture: Fixture) -> ExitSurvey:
    """The mentee's exit survey, sent when the coordinator closed the relationship."""
    active = _active(fixture)
    relationship_close(
        actor=fixture("coordinator"), relationship=active, reason=EndReason.GOALS_MET
    )
    return ExitSurvey.objects.get(relationship=active, respondent=fixture("mentee"))


def started_measure(fixture: Fixture) -> Kwargs:
    """The shared mentee's PHQ-9 (``phq9_request``), started, with question 1 answered."""
    measure_request = fixture("phq9_request")
    started = response_start(actor=fixture("mentee"), request=measure_request)
    answer_save(actor=fixture("mentee"), response=started, item_key="1", value=1)
    return {"pk": measure_request.pk}


def started_question(fixture: Fixture) -> Kwargs:
    return {**started_measure(fixture), "number": 2}


def sent_measure(fixture: Fixture) -> Kwargs:
    """A PHQ-9 the shared mentee sent during ``active_relationship``."""
    active = _active(fixture)
    answers: list[int | None] = [2, 2, 1, 2, 1, 2, 1, 2, 0]
    sent = make_response(fixture("mentee"), "phq9", answers, relationship=active)
    return {"pk": sent.pk}
