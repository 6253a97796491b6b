"""Records for the care sections of the programme dashboard (alerts, outcomes, skills), made
directly so every timestamp, deadline and rating is the one the hand-worked figures expect.

``report(organisation)`` is the filter for the last 30 days (today included). ``people(...)``
makes mentees; ``in_team(profile, people, area=...)`` gives each one a relationship with that
mentor, so a team (the mentor's supervisor) or an area filter takes them in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.models import Organisation, Role, User
from matching.models import Place
from mentoring.models import Relationship, RelationshipStatus
from mentors.models import MentorProfile
from privacy.consent import consent_withdraw
from privacy.models import Purpose
from referrals.models import Status
from reports.filters import Period, ReportFilter
from safeguarding.models import Alert, AlertStatus
from tests.conftest import make_member
from tests.matching.factories import RelationshipFactory
from tests.referrals.factories import ReferralFactory
from toolkit.models import Practice, Skill, ToolkitEntry

PERIOD_DAYS = 30


def report(
    organisation: Organisation, *, team: User | None = None, area: Place | None = None
) -> ReportFilter:
    """The last 30 days: 29 days ago to today, both included."""
    today = timezone.localdate()
    period = Period(today - timedelta(days=PERIOD_DAYS - 1), today)
    return ReportFilter(organisation=organisation, period=period, team=team, area=area)


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def people(organisation: Organisation, how_many: int, name: str) -> list[User]:
    return [
        make_member(organisation, Role.MENTEE, f"{name}{number}@example.org")
        for number in range(how_many)
    ]


def in_team(profile: MentorProfile, mentees: list[User], *, area: str = "") -> list[Relationship]:
    """An active relationship with ``profile``'s mentor for each of ``mentees``."""
    return [
        RelationshipFactory(
            referral=ReferralFactory(
                organisation=profile.organisation,
                status=Status.MATCHED,
                mentee=person,
                email=person.email,
                area=area,
            ),
            mentor=profile,
            mentee=person,
            status=RelationshipStatus.ACTIVE,
        )
        for person in mentees
    ]


def make_alert(
    person: User,
    level: str,
    *,
    raised: datetime,
    deadline_minutes: int,
    responded_minutes: int | None = None,
    escalated_deadline_minutes: int | None = None,
    organisation: Organisation | None = None,
) -> Alert:
    """An alert raised at ``raised`` with its deadline ``deadline_minutes`` later; someone
    responds ``responded_minutes`` after it was raised (or nobody yet). An escalated alert gets
    the new deadline the escalation job sets (``escalated_deadline_minutes`` after raising)."""
    due = raised + timedelta(minutes=deadline_minutes)
    escalated_at = None
    if escalated_deadline_minutes is not None:
        escalated_at = due
        due = raised + timedelta(minutes=escalated_deadline_minutes)
    responded = (
        raised + timedelta(minutes=responded_minutes) if responded_minutes is not None else None
    )
    return Alert.objects.create(
        organisation=organisation or person.memberships.get().organisation,
        person=person,
        level=level,
        source="message",
        source_label="A message, written by the mentee",
        status=AlertStatus.OPEN if responded is None else AlertStatus.ACKNOWLEDGED,
        created_at=raised,
        acknowledged_at=responded,
        due_at=due,
        escalated_at=escalated_at,
        escalation_level=1 if escalated_at is not None else 0,
    )


def make_skill(organisation: Organisation, title: str) -> Skill:
    return Skill.objects.create(
        organisation=organisation,
        title=title,
        why_it_helps="It gives a moment to settle.",
        steps=["Stop.", "Breathe."],
        minutes=3,
    )


def practise(person: User, skill: Skill, *ratings: int, on: date | None = None) -> None:
    """One practice of ``skill`` by ``person`` for each rating (1 to 5), on ``on`` (today)."""
    entry, _ = ToolkitEntry.objects.get_or_create(
        person=person, skill=skill, defaults={"organisation": skill.organisation}
    )
    for rating in ratings:
        Practice.objects.create(
            entry=entry, helpfulness=rating, practised_on=on or timezone.localdate()
        )


def withdraw(person: User) -> None:
    """``person`` says no to their answers being used in reports."""
    consent_withdraw(
        actor=person,
        person=person,
        purpose=Purpose.PROGRAMME_EVALUATION,
        organisation=person.memberships.get().organisation,
    )
