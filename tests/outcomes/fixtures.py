"""Outcome-measure records (loaded for every test by tests/conftest.py).

``phq9``, ``gad7``, ``who5``: the shipped instruments' rows. ``phq9_request``: a PHQ-9 due now
for the shared ``mentee`` during ``active_relationship`` (after 4 sessions).
``other_phq9_request``: one for ``other_mentee`` (``other_relationship``).
``make_response(person, key, answers, ...)``: a completed, scored response made directly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from mentoring.models import Relationship
from outcomes import instruments as engine
from outcomes.models import (
    Answer,
    Instrument,
    MeasureRequest,
    MeasureResponse,
    Occasion,
    RequestStatus,
)
from outcomes.services.instruments import builtin_instrument


@pytest.fixture
def phq9(db) -> Instrument:
    return builtin_instrument("phq9")


@pytest.fixture
def gad7(db) -> Instrument:
    return builtin_instrument("gad7")


@pytest.fixture
def who5(db) -> Instrument:
    return builtin_instrument("who5")


def make_request(
    person: User,
    key: str = "phq9",
    *,
    relationship: Relationship | None = None,
    occasion: str = Occasion.SESSIONS,
    number: int = 4,
    due_on: Any = None,
    **extra: Any,
) -> MeasureRequest:
    instrument = builtin_instrument(key)
    organisation = (
        relationship.organisation
        if relationship is not None
        else person.memberships.get().organisation
    )
    due = due_on or timezone.localdate()
    return MeasureRequest.objects.create(
        organisation=organisation,
        person=person,
        instrument=instrument,
        occasion=occasion,
        occasion_number=number,
        relationship=relationship,
        due_on=due,
        closes_on=due + timedelta(days=28),
        **extra,
    )


def make_response(
    person: User,
    key: str,
    answers: list[int | None],
    *,
    relationship: Relationship | None = None,
    occasion: str = Occasion.SESSIONS,
    completed_at: datetime | None = None,
    request: MeasureRequest | None = None,
) -> MeasureResponse:
    """A completed response with its answers and score, as if submitted at ``completed_at``."""
    instrument = builtin_instrument(key)
    definition = engine.builtin(key)
    result = engine.score(definition, answers)
    organisation = (
        relationship.organisation
        if relationship is not None
        else person.memberships.get().organisation
    )
    when = completed_at or timezone.now()
    response = MeasureResponse.objects.create(
        organisation=organisation,
        person=person,
        instrument=instrument,
        request=request,
        relationship=relationship,
        occasion=occasion,
        entered_by=person,
        started_at=when - timedelta(minutes=4),
        completed_at=when,
        total=result.total,
        percentage=result.percentage,
        band=result.band or "",
        flags=list(result.flags),
        answered=result.answered,
        prorated=result.prorated,
    )
    for position, (item, value) in enumerate(zip(definition.items, answers, strict=True), 1):
        Answer.objects.create(
            response=response,
            item_key=item.key,
            position=position,
            value="" if value is None else str(value),
        )
    if request is not None:
        request.status = RequestStatus.COMPLETED
        request.save(update_fields=["status"])
    return response


@pytest.fixture
def phq9_request(active_relationship) -> MeasureRequest:
    return make_request(active_relationship.mentee, "phq9", relationship=active_relationship)


@pytest.fixture
def other_phq9_request(other_relationship) -> MeasureRequest:
    return make_request(other_relationship.mentee, "phq9", relationship=other_relationship)
