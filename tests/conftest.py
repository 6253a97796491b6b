"""Named people for tests, so access tests read like sentences.

Staff fixtures (supervisor, coordinator, admin) already have two-factor authentication set up;
``staff_without_mfa`` is a coordinator who has not.
"""

from __future__ import annotations

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, settings

from accounts.models import Membership, Organisation, Role, User
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# Property tests judge correctness, not speed: a busy machine must not fail them.
settings.register_profile("alongside", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("alongside")

# Fixtures for each app's records, available to every test (browser tests included).
pytest_plugins = [
    "tests.mentors.fixtures",
    "tests.referrals.fixtures",
    "tests.matching.fixtures",
    "tests.mentoring.fixtures",
    "tests.outcomes.fixtures",
    "tests.toolkit.fixtures",
    "tests.safeguarding.fixtures",
]


@pytest.fixture
def organisation(db) -> Organisation:
    return OrganisationFactory(name="Riverside Peer Support", slug="riverside")


@pytest.fixture
def other_organisation(db) -> Organisation:
    return OrganisationFactory(name="Elsewhere Mentoring", slug="elsewhere")


def make_member(organisation: Organisation, role: Role, email: str, *, mfa: bool = False) -> User:
    membership: Membership = MembershipFactory(
        organisation=organisation, role=role, user__email=email
    )
    if mfa:
        TOTP.activate(membership.user, generate_totp_secret())
        RecoveryCodes.activate(membership.user)
    return membership.user


@pytest.fixture
def mentee(organisation) -> User:
    return make_member(organisation, Role.MENTEE, "mentee@example.org")


@pytest.fixture
def other_mentee(organisation) -> User:
    return make_member(organisation, Role.MENTEE, "other.mentee@example.org")


@pytest.fixture
def mentor(organisation) -> User:
    return make_member(organisation, Role.MENTOR, "mentor@example.org")


@pytest.fixture
def other_mentor(organisation) -> User:
    return make_member(organisation, Role.MENTOR, "other.mentor@example.org")


@pytest.fixture
def supervisor(organisation) -> User:
    return make_member(organisation, Role.SUPERVISOR, "supervisor@example.org", mfa=True)


@pytest.fixture
def coordinator(organisation) -> User:
    return make_member(organisation, Role.COORDINATOR, "coordinator@example.org", mfa=True)


@pytest.fixture
def admin(organisation) -> User:
    return make_member(organisation, Role.ADMIN, "admin@example.org", mfa=True)


@pytest.fixture
def referrer(organisation) -> User:
    return make_member(organisation, Role.REFERRER, "referrer@example.org")


@pytest.fixture
def staff_without_mfa(organisation) -> User:
    return make_member(organisation, Role.COORDINATOR, "new.coordinator@example.org")


@pytest.fixture
def other_org_coordinator(other_organisation) -> User:
    return make_member(
        other_organisation, Role.COORDINATOR, "coordinator@elsewhere.example", mfa=True
    )


@pytest.fixture
def outsider(db) -> User:
    """Signed in, but with no role in any organisation."""
    return UserFactory(email="outsider@example.org")


ROLE_FIXTURES = ["mentee", "mentor", "supervisor", "coordinator", "admin", "referrer"]
DASHBOARD_HEADINGS = {
    "mentee": "Your mentoring",
    "mentor": "Your mentoring",
    "supervisor": "Supervision",
    "coordinator": "Programme overview",
    "admin": "Organisation settings",
    "referrer": "Your referrals",
}


@pytest.fixture
def client_for():
    """A test client signed in as the given person (bypassing the sign-in form)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the (local-memory) cache: each test starts with none, so a
    test's sends never count against the next test's."""
    cache.clear()
    yield
    cache.clear()
