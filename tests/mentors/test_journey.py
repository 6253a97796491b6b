"""The mentor's menu reads where they are in their journey with one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentors.models import Stage
from mentors.selectors import mentor_journey
from tests.mentors.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_a_trainee_is_training_without_a_profile(trainee, organisation):
    with CaptureQueriesContext(connection) as queries:
        assert mentor_journey(trainee, organisation) == (True, False)
    assert len(queries) == 1


def test_a_certified_mentor_has_a_profile(mentor_profile, organisation):
    assert mentor_journey(mentor_profile.user, organisation) == (False, True)


def test_the_latest_approved_application_decides(trainee, organisation):
    ApplicationFactory(
        organisation=organisation,
        stage=Stage.CERTIFIED,
        user=trainee,
        email=trainee.email,
        stage_entered_at=timezone.now() + timedelta(minutes=1),
    )
    assert mentor_journey(trainee, organisation) == (False, False)


def test_only_this_organisation_counts(trainee, other_organisation, mentee):
    assert mentor_journey(trainee, other_organisation) == (False, False)
    assert mentor_journey(mentee, other_organisation) == (False, False)
