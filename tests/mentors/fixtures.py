"""People and records at each stage of becoming a mentor (loaded for every test by
tests/conftest.py).

``applicant_application`` is a sent application (no account); ``trainee`` is a person approved to
train (mentor membership, application at TRAINING); ``mentor_profile`` makes the shared
``mentor`` fixture a certified, listed mentor, and ``other_mentor_profile`` does the same for
``other_mentor``.
"""

from __future__ import annotations

import pytest

from accounts.models import Role
from mentors.models import Stage
from tests.conftest import make_member
from tests.mentors.factories import (
    ApplicationFactory,
    MentorProfileFactory,
    SupportAreaFactory,
    TrainingModuleFactory,
)


@pytest.fixture
def areas(organisation):
    return [
        SupportAreaFactory(organisation=organisation, name=name)
        for name in ("Anxiety", "Depression", "Grief", "Self-harm")
    ]


@pytest.fixture
def applicant_application(organisation, areas):
    application = ApplicationFactory(organisation=organisation, full_name="Robin Applicant")
    application.lived_experience_areas.set(areas[:2])
    return application


@pytest.fixture
def other_org_application(other_organisation):
    return ApplicationFactory(organisation=other_organisation, full_name="Elsewhere Applicant")


@pytest.fixture
def modules(organisation):
    return [
        TrainingModuleFactory(organisation=organisation, title="Role and boundaries", position=1),
        TrainingModuleFactory(organisation=organisation, title="Safeguarding", position=2),
        TrainingModuleFactory(
            organisation=organisation,
            title="Ending well",
            position=3,
            required_before_matching=False,
        ),
    ]


@pytest.fixture
def trainee(organisation):
    user = make_member(organisation, Role.MENTOR, "trainee@example.org")
    ApplicationFactory(
        organisation=organisation,
        stage=Stage.TRAINING,
        user=user,
        email=user.email,
        full_name=user.name,
    )
    return user


@pytest.fixture
def mentor_profile(organisation, mentor, areas):
    profile = MentorProfileFactory(organisation=organisation, user=mentor)
    profile.lived_experience_areas.set(areas[:1])
    return profile


@pytest.fixture
def other_mentor_profile(organisation, other_mentor, areas):
    profile = MentorProfileFactory(organisation=organisation, user=other_mentor)
    profile.lived_experience_areas.set(areas[2:3])
    return profile
