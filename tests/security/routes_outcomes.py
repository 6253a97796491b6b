"""Outcome measures: answering a questionnaire, seeing scores and change, the programme's
setup. Records belong to the shared ``mentee`` during ``active_relationship``.

A measure is answered by the mentee (or their mentor, entering it with them); scores are seen
by the pair, the mentor's supervisor and the organisation's staff. The shipped questionnaires
are the same everywhere, so every member may read them.
"""

from __future__ import annotations

from typing import Any

from tests.security import records
from tests.security.matrix import (
    ALL_COORDINATORS,
    INVOLVED,
    MEMBERS,
    PAIR,
    STAFF,
    Fixture,
    Route,
)

ADMIN = frozenset({"admin"})
# The mentee is sent on to their own page; the mentor, supervisor and staff see the mentee's.
ABOUT_THE_MENTEE = INVOLVED
# Everyone whose role takes part in measures (the list shows them their own, or nothing).
MEASURE_PEOPLE = MEMBERS - {"referrer"}
OWN_MEASURES = frozenset({"mentee", "other_mentee"})


def _mentee(fixture: Fixture) -> dict[str, Any]:
    """The shared mentee, in ``active_relationship`` with the shared mentor."""
    return {"person_pk": fixture("active_relationship").mentee_id}


def _phq9(fixture: Fixture) -> dict[str, Any]:
    return {"pk": fixture("phq9").pk}


def _request(fixture: Fixture) -> dict[str, Any]:
    return {"pk": fixture("phq9_request").pk}


ROUTES: dict[str, Route] = {
    # Seeing scores and change
    "outcomes:mine": Route(get=OWN_MEASURES, write=None, note="each mentee sees their own"),
    "outcomes:person": Route(_mentee, get=ABOUT_THE_MENTEE, write=None),
    "outcomes:relationship": Route(records.relationship, get=INVOLVED, write=None),
    "outcomes:programme": Route(get=ALL_COORDINATORS, write=None),
    # Answering, one question at a time
    "outcomes:start": Route(records.started_measure, get=PAIR),
    "outcomes:question": Route(
        records.started_question, get=PAIR, data=lambda fixture: {"answer": "0", "action": "next"}
    ),
    "outcomes:check": Route(records.started_measure, get=PAIR),
    "outcomes:response": Route(records.sent_measure, get=INVOLVED, write=None),
    # The programme's setup
    "outcomes:settings": Route(get=ADMIN),
    "outcomes:instruments": Route(get=ALL_COORDINATORS, write=ADMIN),
    "outcomes:instrument": Route(_phq9, get=ALL_COORDINATORS, write=None),
    "outcomes:ask": Route(_mentee, get=None, write=STAFF),
    # API
    "api:measure_instruments": Route(get=MEMBERS, write=None),
    "api:measure_instrument": Route(_phq9, get=MEMBERS, write=None, note="a shipped one"),
    "api:measure_requests": Route(get=MEASURE_PEOPLE, write=None),
    "api:measure_request_responses": Route(_request, get=None, write=PAIR),
    "api:measure_responses": Route(get=MEASURE_PEOPLE, write=None),
    "api:measure_response": Route(records.sent_measure, get=INVOLVED, write=None),
}
