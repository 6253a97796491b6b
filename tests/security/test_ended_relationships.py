"""A closed relationship loses access on the very next request.

Every mentoring route of the access matrix (tests/security/routes_mentoring.py), asked again
after the coordinator closed the relationship: the mentor gets 404 everywhere, and nobody gets
a 403 or a server error. The mentee still reads their record; a change they can no longer make
is a 404, or the page saying the mentoring has ended.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from mentoring.models import EndReason
from mentoring.services.ending import relationship_close
from tests.security import records, routes_mentoring
from tests.security.test_access_matrix import (
    WRITE_METHODS,
    _client,
    _send,
    served_methods,
    served_routes,
)

# Routes whose records exist only once the relationship has closed (the exit survey).
_ALREADY_CLOSED = {"mentoring:exit_survey", "api:exit-survey"}
# Routes about one relationship (the coordinator's lists and the hubs are about everyone's).
RELATIONSHIP_ROUTES = sorted(
    name
    for name in routes_mentoring.ROUTES
    if name not in _ALREADY_CLOSED and "<int:pk>" in str(served_routes()[name].pattern)
)


def _asked(name: str, request: Any, person: str) -> dict[str, int]:
    route = routes_mentoring.ROUTES[name]
    kwargs = route.kwargs(request.getfixturevalue)
    relationship_close(
        actor=request.getfixturevalue("coordinator"),
        relationship=request.getfixturevalue("active_relationship"),
        reason=EndReason.GOALS_MET,
    )
    url = reverse(name, kwargs=kwargs)
    data = route.data(request.getfixturevalue) if route.data else {}
    client = _client(person, request)
    methods = served_methods(served_routes()[name])
    return {
        method: _send(client, method, url, data, url.startswith("/api/"))
        for method in ("get", *WRITE_METHODS)
        if method in methods
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", RELATIONSHIP_ROUTES)
def test_the_mentor_loses_access_once_the_relationship_closes(name: str, request: Any) -> None:
    answers = _asked(name, request, "mentor")
    assert set(answers.values()) <= {404, 405}, answers


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["mentee", "supervisor", "coordinator"])
@pytest.mark.parametrize("name", RELATIONSHIP_ROUTES)
def test_after_the_ending_nobody_meets_a_403_or_a_server_error(
    name: str, person: str, request: Any
) -> None:
    answers = _asked(name, request, person)
    assert not {403} & set(answers.values()), answers
    assert all(status < 500 for status in answers.values()), answers


@pytest.mark.django_db
def test_the_mentee_still_reads_their_record_after_the_ending(request: Any) -> None:
    kwargs = records.relationship(request.getfixturevalue)
    relationship_close(
        actor=request.getfixturevalue("coordinator"),
        relationship=request.getfixturevalue("active_relationship"),
        reason=EndReason.GOALS_MET,
    )
    client = _client("mentee", request)
    for name in ("mentoring:overview", "mentoring:record_print", "api:relationship-record"):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name
