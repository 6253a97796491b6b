"""Mentoring: the pair's pages and endpoints, the supervisor's flagged sessions, and the
coordinator's relationship pages. Records belong to ``active_relationship`` (the shared
``mentor`` and ``mentee``, with ``supervisor`` as the mentor's supervisor).

Messages are private to the pair: the supervisor and staff get 404. Writes inside the
relationship belong to whoever the action is for (the mentee's goals and steps, the mentor's
log and suggestions); everyone else gets 404.
"""

from __future__ import annotations

from tests.security import records
from tests.security.matrix import (
    ALL_COORDINATORS,
    INVOLVED,
    MEMBERS,
    PAIR,
    PAIR_AND_STAFF,
    STAFF,
    Fixture,
    Route,
)

MENTEE = frozenset({"mentee"})
MENTOR = frozenset({"mentor"})
SUPERVISOR = frozenset({"supervisor"})
ADMIN = frozenset({"admin"})
MENTOR_AND_STAFF = STAFF | MENTOR
# Everyone with a mentoring role sees their own mentoring home (or is sent on from it).
MENTORING_MEMBERS = MEMBERS - {"referrer"}


def _survey_page(fixture: Fixture) -> dict[str, int]:
    return {"survey_pk": records.mentee_exit_survey(fixture).pk}


def _survey_api(fixture: Fixture) -> dict[str, int]:
    return {"pk": records.mentee_exit_survey(fixture).pk}


RELATIONSHIP = records.relationship

ROUTES: dict[str, Route] = {
    # Pages: the hub -----------------------------------------------------------------------------
    "mentoring:index": Route(get=MENTORING_MEMBERS, write=None),
    "mentoring:settings": Route(get=ADMIN),
    "mentoring:overview": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=None),
    "mentoring:agreement": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=PAIR),
    "mentoring:agreement_edit": Route(RELATIONSHIP, get=PAIR),
    "mentoring:agreement_history": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=None),
    "mentoring:strengths": Route(RELATIONSHIP, get=PAIR, write=MENTOR),
    # Pages: sessions ----------------------------------------------------------------------------
    "mentoring:sessions": Route(RELATIONSHIP, get=INVOLVED, write=PAIR),
    "mentoring:session": Route(records.held_session, get=INVOLVED, write=None),
    "mentoring:session_edit": Route(records.upcoming_session, get=PAIR),
    "mentoring:session_cancel": Route(records.upcoming_session, get=None, write=PAIR),
    "mentoring:session_log": Route(records.due_session, get=MENTOR),
    "mentoring:session_reflect": Route(records.held_session, get=MENTEE),
    "mentoring:session_ics": Route(records.upcoming_session, get=PAIR, write=None),
    "mentoring:session_concern_seen": Route(records.held_session, get=None, write=SUPERVISOR),
    "mentoring:flagged": Route(get=SUPERVISOR, write=None),
    # Pages: goals and messages ------------------------------------------------------------------
    "mentoring:goals": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=MENTEE),
    "mentoring:goal": Route(records.goal, get=PAIR, write=MENTEE),
    "mentoring:goal_status": Route(records.goal, get=None, write=MENTEE),
    "mentoring:step_add": Route(records.goal, get=None, write=MENTEE),
    "mentoring:step_edit": Route(records.step, get=MENTEE),
    "mentoring:step_done": Route(records.step, get=None, write=MENTEE),
    "mentoring:suggest_step": Route(records.goal, get=None, write=MENTOR),
    "mentoring:suggestion_answer": Route(records.suggestion, get=None, write=MENTEE),
    "mentoring:messages": Route(RELATIONSHIP, get=PAIR, note="private to the pair"),
    # Pages: the coordinator's ------------------------------------------------------------------
    "mentoring:relationships": Route(get=ALL_COORDINATORS, write=None),
    "mentoring:check_ins": Route(get=ALL_COORDINATORS, write=None),
    "mentoring:relationship_check_ins": Route(RELATIONSHIP, get=STAFF, write=None),
    "mentoring:check_in_new": Route(RELATIONSHIP, get=STAFF),
    "mentoring:check_in": Route(records.check_in, get=STAFF),
    "mentoring:concern_new": Route(RELATIONSHIP, get=PAIR),
    "mentoring:concern": Route(records.concern, get=STAFF),
    "mentoring:rematch": Route(RELATIONSHIP, get=STAFF),
    # Pages: the ending -------------------------------------------------------------------------
    "mentoring:ending": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=MENTOR_AND_STAFF),
    "mentoring:close": Route(RELATIONSHIP, get=STAFF),
    "mentoring:plan": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=PAIR),
    "mentoring:plan_print": Route(RELATIONSHIP, get=PAIR, write=None),
    "mentoring:record_print": Route(RELATIONSHIP, get=MENTEE, write=None),
    "mentoring:record_json": Route(RELATIONSHIP, get=MENTEE, write=None),
    "mentoring:exit_survey": Route(_survey_page, get=MENTEE, note="the respondent only"),
    # API: relationships, agreement, strengths --------------------------------------------------
    "api:mentoring-relationship-list": Route(get=MENTORING_MEMBERS, write=None),
    "api:mentoring-relationship-detail": Route(RELATIONSHIP, get=INVOLVED, write=None),
    "api:mentoring-agreement": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=PAIR),
    "api:mentoring-agreement-acknowledge": Route(RELATIONSHIP, get=None, write=PAIR),
    "api:mentoring-strengths": Route(RELATIONSHIP, get=PAIR, write=MENTOR),
    # API: sessions ----------------------------------------------------------------------------
    "api:mentoring-sessions": Route(RELATIONSHIP, get=INVOLVED, write=PAIR),
    "api:mentoring-session": Route(records.upcoming_session, get=INVOLVED, write=PAIR),
    "api:mentoring-session-cancel": Route(records.upcoming_session, get=None, write=PAIR),
    "api:mentoring-session-log": Route(records.due_session, get=None, write=MENTOR),
    "api:mentoring-session-reflection": Route(records.held_session, get=None, write=MENTEE),
    "api:mentoring-session-calendar": Route(records.upcoming_session, get=PAIR, write=None),
    # API: goals and messages ------------------------------------------------------------------
    "api:mentoring-goals": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=MENTEE),
    "api:mentoring-goal": Route(records.goal, get=PAIR, write=MENTEE),
    "api:mentoring-goal-steps": Route(records.goal, get=None, write=MENTEE),
    "api:mentoring-goal-step": Route(records.step, get=None, write=MENTEE),
    "api:mentoring-goal-suggestions": Route(records.goal, get=None, write=MENTOR),
    "api:mentoring-goal-suggestion": Route(records.suggestion, get=None, write=MENTEE),
    "api:mentoring-messages": Route(RELATIONSHIP, get=PAIR, note="private to the pair"),
    # API: the coordinator's -------------------------------------------------------------------
    "api:mentoring-check-ins": Route(get=ALL_COORDINATORS, write=None),
    "api:relationship-check-ins": Route(RELATIONSHIP, get=STAFF),
    "api:relationship-check-in": Route(records.check_in, get=STAFF),
    "api:relationship-concerns": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=PAIR),
    "api:relationship-concern-resolve": Route(records.concern, get=None, write=STAFF),
    "api:relationship-rematch": Route(RELATIONSHIP, get=None, write=STAFF),
    # API: the ending --------------------------------------------------------------------------
    "api:relationship-ending": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=None),
    "api:relationship-ending-begin": Route(RELATIONSHIP, get=None, write=MENTOR_AND_STAFF),
    "api:relationship-close": Route(RELATIONSHIP, get=None, write=STAFF),
    "api:relationship-plan": Route(RELATIONSHIP, get=PAIR_AND_STAFF, write=PAIR),
    "api:relationship-plan-ready": Route(records.written_plan, get=None, write=MENTEE),
    "api:relationship-record": Route(RELATIONSHIP, get=MENTEE, write=None),
    "api:exit-survey": Route(_survey_api, get=MENTEE, note="the respondent only"),
}
