"""The signed-in people of the load benchmark (benchmarks/load.py): who they are, which pages
each asks for, and their sessions. Imported only once Django is set up with
benchmarks/load_settings.py, the settings gunicorn serves with.

Signing in creates the session that Django's login() stores after the sign-in form (and, for
staff, after the two-factor code), so no password is needed. As in production, staff must have
two-factor authentication set up before they see any page: a benchmark person without it gets an
authenticator for the run. Sessions and those authenticators are removed afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.mfa_policy import mfa_setup_required
from accounts.middleware import ACTIVE_MEMBERSHIP_KEY, SESSION_SEEN_KEY, SESSION_STARTED_KEY
from accounts.models import Membership, Organisation, Role
from mentoring.models import MentoringSession, Relationship, RelationshipStatus
from mentors.models import MentorProfile

# Who signs in, in this order: 20 people are 6 coordinators, 6 mentors, 4 mentees,
# 2 supervisors and 2 admins (the issue asks about the mentor and coordinator pages above all).
ROLE_ORDER = [
    Role.COORDINATOR,
    Role.MENTOR,
    Role.MENTEE,
    Role.COORDINATOR,
    Role.MENTOR,
    Role.SUPERVISOR,
    Role.COORDINATOR,
    Role.MENTOR,
    Role.MENTEE,
    Role.ADMIN,
]

# Each role's main pages: its home and the lists in its menu it uses most. OWN_RELATIONSHIP is
# the person's current relationship (where a mentee's "My mentoring" leads).
OWN_RELATIONSHIP = "mentoring:overview"
ROLE_PAGES = {
    Role.COORDINATOR: [
        "dashboard",
        "referrals:queue",
        "referrals:waiting_list",
        "matching:overview",
        "mentoring:relationships",
        "mentoring:check_ins",
        "safeguarding:alerts",
        "mentors:directory",
        "mentors:supervision",
        "reports:dashboard",
        "reports:compliance",
    ],
    Role.MENTOR: [
        "dashboard",
        "mentoring:index",
        OWN_RELATIONSHIP,
        "matching:mentor_offers",
        "mentors:my_profile",
        "toolkit:skills",
    ],
    Role.MENTEE: ["dashboard", OWN_RELATIONSHIP, "outcomes:mine", "toolkit:mine"],
    Role.SUPERVISOR: [
        "dashboard",
        "mentors:supervision",
        "mentoring:flagged",
        "safeguarding:alerts",
    ],
    Role.ADMIN: [
        "dashboard",
        "reports:dashboard",
        "reports:compliance",
        "mentoring:relationships",
        "referrals:queue",
        "safeguarding:alerts",
    ],
}


@dataclass(frozen=True)
class Person:
    membership: Membership
    pages: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.membership.role} {self.membership.user.email}"


def choose_people(count: int) -> list[Person]:
    """Members of the largest organisation, those with mentoring first; a short role repeats."""
    organisation = (
        Organisation.objects.filter(is_active=True)
        .annotate(people=Count("memberships"))
        .order_by("-people", "pk")
        .first()
    )
    if organisation is None:
        raise SystemExit("The database has no organisation: seed it first.")
    wanted = list(itertools.islice(itertools.cycle(ROLE_ORDER), count))
    people = []
    for role in dict.fromkeys(wanted):
        chosen = list(candidates(organisation, role)[: wanted.count(role)])
        if not chosen:
            raise SystemExit(f"{organisation} has nobody with the role {role} to sign in.")
        for membership in itertools.islice(itertools.cycle(chosen), wanted.count(role)):
            people.append(Person(membership, page_paths(membership)))
    return people


def candidates(organisation: Organisation, role: Role) -> QuerySet[Membership]:
    """Active members with the role; mentors must be certified (they have a profile)."""
    memberships = Membership.objects.filter(
        organisation=organisation, role=role, is_active=True, user__is_active=True
    ).select_related("user")
    current = current_relationships(organisation)
    if role == Role.MENTOR:
        certified = MentorProfile.objects.filter(organisation=organisation, user=OuterRef("user"))
        busy = Exists(current.filter(mentor__user=OuterRef("user")))
        return memberships.filter(Exists(certified)).annotate(busy=busy).order_by("-busy", "pk")
    if role == Role.MENTEE:
        busy = Exists(current.filter(mentee=OuterRef("user")))
        return memberships.annotate(busy=busy).order_by("-busy", "pk")
    if role == Role.SUPERVISOR:
        supervising = MentorProfile.objects.filter(
            organisation=organisation, supervisor=OuterRef("user")
        )
        return memberships.annotate(busy=Exists(supervising)).order_by("-busy", "pk")
    return memberships.order_by("pk")


def current_relationships(organisation: Organisation) -> QuerySet[Relationship]:
    return Relationship.objects.filter(
        organisation=organisation, status__in=RelationshipStatus.current()
    )


def page_paths(membership: Membership) -> tuple[str, ...]:
    """The role's pages as paths; a mentee without a relationship gets the mentoring home."""
    paths = []
    for name in ROLE_PAGES[Role(membership.role)]:
        if name != OWN_RELATIONSHIP:
            paths.append(reverse(name))
        elif (own := own_relationship(membership)) is not None:
            paths.append(reverse(name, kwargs={"pk": own.pk}))
        elif membership.role == Role.MENTEE:
            paths.append(reverse("mentoring:index"))
    return tuple(paths)


def own_relationship(membership: Membership) -> Relationship | None:
    """A mentor's or mentee's latest current relationship."""
    side = "mentor__user" if membership.role == Role.MENTOR else "mentee"
    return (
        current_relationships(membership.organisation)
        .filter(**{side: membership.user})
        .order_by("-started_at", "-pk")
        .first()
    )


@contextmanager
def signed_in(people: list[Person]) -> Iterator[dict[int, str]]:
    """Cookie headers by membership id, as after a full sign-in; removed again afterwards."""
    added: list[int] = []
    session_keys: list[str] = []
    try:
        cookies = {}
        memberships = {person.membership.pk: person.membership for person in people}
        for membership in memberships.values():
            if mfa_setup_required(membership.user, membership):
                totp = TOTP.activate(membership.user, generate_totp_secret())
                added.append(totp.instance.pk)
            session_key = create_session(membership)
            session_keys.append(session_key)
            cookies[membership.pk] = f"{settings.SESSION_COOKIE_NAME}={session_key}"
        yield cookies
    finally:
        Session.objects.filter(session_key__in=session_keys).delete()
        Authenticator.objects.filter(pk__in=added).delete()


def create_session(membership: Membership) -> str:
    """What login() stores, with the records allauth and the session-lifetime check keep."""
    user = membership.user
    now = timezone.now()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now.timestamp(), "email": user.email},
        {"method": "mfa", "at": now.timestamp(), "type": "totp"},
    ]
    session[ACTIVE_MEMBERSHIP_KEY] = membership.pk
    session[SESSION_STARTED_KEY] = now.isoformat()
    session[SESSION_SEEN_KEY] = now.isoformat()
    session.create()
    assert session.session_key is not None
    return session.session_key


def describe_database() -> str:
    version = ".".join(str(part) for part in connection.get_database_version())
    return (
        f"{connection.vendor} {version}, database {connection.settings_dict['NAME']}: "
        f"{Membership.objects.count():,} memberships, {Relationship.objects.count():,} "
        f"relationships, {MentoringSession.objects.count():,} sessions"
    )
