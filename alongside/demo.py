"""Invented demo data for development: one organisation's people at different stages.

Every name, email and story here is made up. Later features add their own demo records by
appending a builder to DEMO_BUILDERS; each builder receives what earlier ones created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from accounts.models import Organisation, Role, User
from accounts.services import (
    membership_grant,
    membership_set_data_protection_lead,
    organisation_create,
    user_create,
)
from safeguarding.services.crisis import crisis_resource_create

DEMO_ORGANISATION_SLUG = "riverside"


@dataclass
class DemoWorld:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)


# (key, name, role) in the main demo organisation.
_PEOPLE = [
    ("admin", "Amara Okafor", Role.ADMIN),
    ("coordinator", "Sam Patel", Role.COORDINATOR),
    ("supervisor", "Helen Morris", Role.SUPERVISOR),
    ("mentor.jordan", "Jordan Lee", Role.MENTOR),
    ("mentor.priya", "Priya Shah", Role.MENTOR),
    ("mentor.tom", "Tom Baker", Role.MENTOR),
    ("mentor.grace", "Grace Mensah", Role.MENTOR),
    ("mentee.alex", "Alex Rivera", Role.MENTEE),
    ("mentee.casey", "Casey Nguyen", Role.MENTEE),
    ("mentee.morgan", "Morgan Ellis", Role.MENTEE),
    ("mentee.robin", "Robin Hart", Role.MENTEE),
    ("referrer", "Northgate Surgery (Dr Lena Fischer)", Role.REFERRER),
]

CRISIS_RESOURCES = [
    {
        "name": "Emergency services",
        "description": "If you or someone else is in immediate danger or has seriously hurt "
        "themselves.",
        "phone": "999",
        "hours": "24 hours a day",
        "is_emergency": True,
    },
    {
        "name": "Samaritans",
        "description": "Talk to someone about anything that is troubling you, in confidence.",
        "phone": "116 123",
        "website": "https://www.samaritans.org/",
        "hours": "24 hours a day, free to call",
        "position": 1,
    },
    {
        "name": "NHS 111, mental health option",
        "description": "Urgent mental health help from the NHS when it is not an emergency.",
        "phone": "111",
        "hours": "24 hours a day (choose the mental health option)",
        "position": 2,
    },
    {
        "name": "Shout",
        "description": "A free, confidential text service if you would rather not talk.",
        "text_number": "85258",
        "text_keyword": "SHOUT",
        "hours": "24 hours a day",
        "position": 3,
    },
]


def demo_email(key: str) -> str:
    return f"{key}@{settings.DEMO_EMAIL_DOMAIN}"


def build_people(world: DemoWorld) -> None:
    riverside = organisation_create(
        actor=None, name="Riverside Peer Support", slug=DEMO_ORGANISATION_SLUG
    )
    hillside = organisation_create(actor=None, name="Hillside Recovery Network", slug="hillside")
    world.organisations.update({"riverside": riverside, "hillside": hillside})
    for key, name, role in _PEOPLE:
        user = user_create(
            actor=None,
            email=demo_email(key),
            name=name,
            password=settings.DEMO_PASSWORD,
            email_verified=True,
        )
        membership = membership_grant(actor=None, organisation=riverside, user=user, role=role)
        if role == Role.ADMIN:
            # The administrator also answers for personal data: audit search, emergency access.
            membership_set_data_protection_lead(actor=None, membership=membership, value=True)
        world.people[key] = user
    # One person with roles in two organisations, to show switching between them.
    membership_grant(
        actor=None, organisation=hillside, user=world.people["mentor.jordan"], role=Role.COORDINATOR
    )


def build_crisis_resources(world: DemoWorld) -> None:
    for organisation in world.organisations.values():
        for resource in CRISIS_RESOURCES:
            crisis_resource_create(actor=None, organisation=organisation, **resource)  # type: ignore[arg-type]


def build_mentors(world: DemoWorld) -> None:
    from mentors.demo import build_mentors as build

    build(world)


def build_referrals(world: DemoWorld) -> None:
    from referrals.demo import build_referrals as build

    build(world)


def build_mentoring(world: DemoWorld) -> None:
    from mentoring.demo import build_mentoring as build

    build(world)


def build_outcomes(world: DemoWorld) -> None:
    from outcomes.demo import build_outcomes as build

    build(world)


def build_toolkit(world: DemoWorld) -> None:
    from toolkit.demo import build_toolkit as build

    build(world)


def build_safeguarding(world: DemoWorld) -> None:
    from safeguarding.demo import build_safeguarding as build

    build(world)


DEMO_BUILDERS: list[Callable[[DemoWorld], None]] = [
    build_people,
    build_crisis_resources,
    build_mentors,
    build_referrals,
    build_mentoring,
    build_outcomes,
    build_toolkit,
    build_safeguarding,
]


def demo_exists() -> bool:
    return Organisation.objects.filter(slug=DEMO_ORGANISATION_SLUG).exists()


@transaction.atomic
def load_demo() -> DemoWorld:
    world = DemoWorld()
    for builder in DEMO_BUILDERS:
        builder(world)
    return world
