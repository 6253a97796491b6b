"""schemathesis against the API's own OpenAPI schema, signed in as each kind of person.

For every operation in the schema that drf-spectacular generates (the document served at
/api/v1/schema/), hypothesis generates requests from the schema and sends them to the Django
app in-process. Signed in as each role, every answer must be a real one (no server error) that
the schema describes: a declared status code, the declared content type, a body that matches
the declared schema. Not signed in, every operation must refuse (401 or 403).

Each request runs in a savepoint that is rolled back, so every example meets the same records:
an active relationship with a goal, step, session, check-in and concern, a PHQ-9 request, a
flagged safeguarding alert, referrals, a match offer and a mentor application. Path parameters
are either those records' ids or generated ones (mostly records that do not exist).
"""

from __future__ import annotations

import copy
import json
import time
import traceback
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import pytest
import schemathesis
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.mentoring.factories import CheckInFactory, ConcernFactory, SessionFactory, StepFactory

ROLES = ("anonymous", "mentee", "mentor", "supervisor", "coordinator", "admin", "referrer")
# Operations anyone may call without signing in. None: the API has no public endpoint.
PUBLIC_OPERATIONS: frozenset[str] = frozenset()
# Examples per operation and person; the run is seeded (derandomize), so CI is repeatable.
MAX_EXAMPLES = 12
ANONYMOUS_EXAMPLES = 2
# So that a run where everything is refused cannot pass: what each person must get answered.
MUST_ANSWER = {
    "mentee": ["GET /api/v1/me/", "GET /api/v1/relationships/{id}/goals/"],
    "mentor": ["GET /api/v1/me/", "GET /api/v1/relationships/{id}/sessions/"],
    "supervisor": ["GET /api/v1/me/", "GET /api/v1/safeguarding/alerts/"],
    "coordinator": [
        "GET /api/v1/me/",
        "GET /api/v1/referrals/",
        "GET /api/v1/relationships/",
        "GET /api/v1/reports/dashboard/",
        "GET /api/v1/reports/funder/",
        "GET /api/v1/reports/compliance/",
        "GET /api/v1/reports/compliance/{standard}/",
    ],
    "admin": ["GET /api/v1/me/", "GET /api/v1/referrals/"],
    "referrer": ["GET /api/v1/me/", "GET /api/v1/referrals/"],
    "anonymous": [],
}
CSRF_SECRET = "schemathesisSchemathesisSchemath"  # 32 letters: a valid unmasked CSRF secret
METHODS = ("get", "put", "post", "patch", "delete")

_CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@cache
def openapi_document() -> dict[str, Any]:
    """The schema /api/v1/schema/ serves, generated in-process (no request needed)."""
    generated = SchemaGenerator(api_version="1").get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


def fuzzable_document() -> dict[str, Any]:
    """The schema without its security requirements: the test signs in itself, so schemathesis
    must not generate made-up ``Authorization`` headers or session cookies."""
    document = copy.deepcopy(openapi_document())
    document.pop("security", None)
    for item in document["paths"].values():
        for method in METHODS:
            item.get(method, {}).pop("security", None)
    _wall_clock_times(document)
    return document


def _wall_clock_times(node: Any) -> None:
    """Narrow exclusion: DRF writes a time of day as "18:00:00" (ISO 8601, no UTC offset: a
    wall-clock time in the organisation's zone), which JSON Schema's RFC 3339 ``time`` format
    rejects because it demands an offset. Check those fields against the shape DRF writes."""
    if isinstance(node, dict):
        if node.get("format") == "time":
            del node["format"]
            node["pattern"] = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$"
        for value in node.values():
            _wall_clock_times(value)
    elif isinstance(node, list):
        for value in node:
            _wall_clock_times(value)


def operation_labels() -> list[str]:
    return [
        f"{method.upper()} {path}"
        for path, item in openapi_document()["paths"].items()
        for method in METHODS
        if method in item
    ]


class InProcessApp:
    """Django's WSGI handler as the test client runs it: the test's database connection stays
    open across requests, and an unhandled exception is kept to show with the failure."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.exception: str | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        def keep(sender: Any, request: Any = None, **kwargs: Any) -> None:
            self.exception = traceback.format_exc()

        environ.setdefault("REMOTE_ADDR", "127.0.0.1")  # as every WSGI server sets it
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        got_request_exception.connect(keep)
        try:
            response = self.handler(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
        finally:
            got_request_exception.disconnect(keep)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


@pytest.fixture
def api_world(request: Any) -> dict[str, list[int]]:
    """Records for every resource the API serves, as candidate ids per path parameter."""
    fixture = request.getfixturevalue
    relationship = fixture("active_relationship")
    measure_request = fixture("phq9_request")
    alert = fixture("flagged_alert")
    offer = fixture("mentee_offer")
    referral = fixture("new_referral")
    partner_referral = fixture("partner_referral")
    application = fixture("applicant_application")
    step = StepFactory(goal__relationship=relationship)
    session = SessionFactory(relationship=relationship)
    check_in = CheckInFactory(relationship=relationship)
    concern = ConcernFactory(relationship=relationship, raised_by=relationship.mentee)
    return {
        "/relationships/{id}": [relationship.pk],
        "/safeguarding/alerts/{id}": [alert.pk],
        "/measures/requests/{id}": [measure_request.pk],
        "/instruments/{id}": [measure_request.instrument_id],
        "/referrals/{id}": [referral.pk, partner_referral.pk],
        "/mentees/{referral_id}": [referral.pk],
        "/match-offers/{id}": [offer.pk],
        "/match-proposals/{id}": [offer.pk],
        "/mentor-applications/{id}": [application.pk],
        "/mentors/{id}": [relationship.mentor_id],
        "{goal_pk}": [step.goal_id],
        "{step_pk}": [step.pk],
        "{session_pk}": [session.pk],
        "{check_in_pk}": [check_in.pk],
        "{concern_pk}": [concern.pk],
    }


def _known_ids(path: str, world: dict[str, list[int]]) -> dict[str, list[int]]:
    """For each path parameter of ``path``, the ids of real records it could name."""
    known: dict[str, list[int]] = {}
    for key, ids in world.items():
        if key.startswith("{"):
            if key in path:
                known[key.strip("{}")] = ids
        elif key in path:
            name = key.rsplit("{", 1)[1].rstrip("}")
            known[name] = ids
    return known


def _strategy(operation: Any, known: dict[str, list[int]]) -> st.SearchStrategy[Any]:
    generated = operation.as_strategy()
    if not known:
        return generated
    real = st.fixed_dictionaries({name: st.sampled_from(ids) for name, ids in known.items()})
    return st.one_of(
        real.flatmap(lambda ids: operation.as_strategy(path_parameters=ids)), generated
    )


def _credentials(person: str, request: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Session cookie plus CSRF token and header, as a signed-in browser sends them."""
    if person == "anonymous":
        return {}, {}
    client = Client()
    client.force_login(request.getfixturevalue(person))
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET}
    return cookies, {"X-CSRFToken": CSRF_SECRET}


def _fuzz(
    operation: Any,
    strategy: st.SearchStrategy[Any],
    examples: int,
    send: Callable[[Any], None],
) -> None:
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        send(case)

    run()


def _failures(labels: Iterable[str], attempt: Callable[[str], None]) -> list[str]:
    found = []
    for label in labels:
        try:
            attempt(label)
        except (Exception, BaseExceptionGroup) as error:
            found.append(f"{label}: {error}")
    return found


@pytest.mark.django_db
def test_schema_lists_every_api_operation() -> None:
    labels = operation_labels()
    assert len(labels) > 50, labels
    assert "GET /api/v1/relationships/" in labels


@pytest.mark.django_db
@pytest.mark.parametrize("person", ROLES)
def test_api_answers_as_its_schema_says(person: str, request: Any, api_world: Any) -> None:
    schema = schemathesis.openapi.from_dict(fuzzable_document())
    app = InProcessApp()
    schema.app = app
    cookies, headers = _credentials(person, request)
    anonymous = person == "anonymous"
    started = time.monotonic()
    answered: set[str] = set()

    def send(case: Any) -> None:
        caches["default"].clear()  # throttling is tested elsewhere; here it would only add 429s
        app.exception = None
        with transaction.atomic():
            response = case.call(cookies=cookies, headers=headers)
            transaction.set_rollback(True)
        if app.exception:
            raise AssertionError(f"server error:\n{app.exception}")
        label = f"{case.method} {case.operation.path}"
        if 200 <= response.status_code < 300:
            answered.add(label)
        if anonymous and label not in PUBLIC_OPERATIONS:
            assert response.status_code in (401, 403), (
                f"answered {response.status_code} without authentication"
            )
            case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
        else:
            case.validate_response(response, checks=_CHECKS)

    def attempt(label: str) -> None:
        method, path = label.split(" ", 1)
        operation = schema[path][method]
        examples = ANONYMOUS_EXAMPLES if anonymous else MAX_EXAMPLES
        _fuzz(operation, _strategy(operation, _known_ids(path, api_world)), examples, send)

    failures = _failures(operation_labels(), attempt)
    elapsed = time.monotonic() - started
    assert not failures, f"{person} ({elapsed:.0f}s):\n" + "\n\n".join(failures)
    unanswered = [label for label in MUST_ANSWER[person] if label not in answered]
    assert not unanswered, f"{person} was never answered 2xx by {unanswered}"
