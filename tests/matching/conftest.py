"""Fixtures shared by the coordinator's matching page tests (test_coordinator_*.py).

``staff`` is a client signed in as the organisation's coordinator; ``second_mentor`` is another
mentor (Sasha) who also fits the shared mentee; ``finished_run`` is a matching run that is done.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from matching.models import MatchRun, RunStatus
from tests.matching.test_runs import make_mentor


@pytest.fixture
def staff(client_for, coordinator) -> Client:
    return client_for(coordinator)


@pytest.fixture
def second_mentor(organisation, english):
    return make_mentor(organisation, "Sasha", languages=["en"], slots=["mon_evening"])


@pytest.fixture
def finished_run(organisation, coordinator):
    return MatchRun.objects.create(
        organisation=organisation,
        started_by=coordinator,
        status=RunStatus.DONE,
        progress=100,
        finished_at=timezone.now(),
        mentees_considered=2,
        mentors_considered=1,
        proposed_count=1,
    )
