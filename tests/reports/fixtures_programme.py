"""Builders for programme figures: referrals, mentors, relationships and sessions with the
dates a test chooses, so every figure can be worked out by hand.

Times are in January 2026, when Europe/London is on UTC, so a day in the period starts at
midnight UTC. "Now" is frozen at ``NOW``, inside ``PERIOD``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from accounts.models import Organisation, Role, User
from matching.models import Place
from mentoring.models import (
    EndKind,
    EndReason,
    MentoringSession,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)
from mentors.models import MentorProfile
from referrals.models import Referral, Source, Status
from reports.filters import Period, ReportFilter
from reports.tables import Section, Value
from tests.factories import MembershipFactory, UserFactory
from tests.matching.factories import PlaceFactory, RelationshipFactory
from tests.mentoring.factories import SessionFactory
from tests.mentors.factories import MentorProfileFactory
from tests.referrals.factories import ReferralFactory

PERIOD = Period(date(2026, 1, 1), date(2026, 1, 31))
SINCE = datetime(2026, 1, 1, tzinfo=UTC)
UNTIL = datetime(2026, 2, 1, tzinfo=UTC)
NOW = datetime(2026, 1, 20, 12, tzinfo=UTC)


def jan(day: int, hour: int = 12) -> datetime:
    """A moment in January 2026, the period."""
    return datetime(2026, 1, day, hour, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def programme_filter(
    organisation: Organisation, *, team: User | None = None, area: Place | None = None
) -> ReportFilter:
    return ReportFilter(organisation=organisation, period=PERIOD, team=team, area=area)


def place(organisation: Organisation, name: str) -> Place:
    return PlaceFactory(organisation=organisation, name=name)


def referral(
    organisation: Organisation,
    *,
    created_at: datetime,
    source: Source = Source.SELF,
    status: Status = Status.NEW,
    area: str = "",
    waiting_since: datetime | None = None,
    mentee: User | None = None,
) -> Referral:
    return ReferralFactory(
        organisation=organisation,
        created_at=created_at,
        consent_given_at=created_at,
        source=source,
        status=status,
        area=area,
        waiting_since=waiting_since,
        mentee=mentee,
    )


def mentor(
    organisation: Organisation,
    *,
    supervisor: User | None = None,
    area: str = "",
    certified_at: datetime | None = datetime(2025, 6, 1, tzinfo=UTC),
    expires_at: datetime | None = datetime(2026, 6, 1, tzinfo=UTC),
    member: bool = True,
    account_open: bool = True,
) -> MentorProfile:
    """A certified mentor with a mentor's membership (switched off when not ``member``)."""
    user = UserFactory(is_active=account_open)
    MembershipFactory(user=user, organisation=organisation, role=Role.MENTOR, is_active=member)
    return MentorProfileFactory(
        organisation=organisation,
        user=user,
        supervisor=supervisor,
        area=area,
        certified_at=certified_at,
        certification_expires_at=expires_at,
    )


def relationship(
    mentor_profile: MentorProfile,
    *,
    started_at: datetime,
    referred_at: datetime | None = None,
    for_referral: Referral | None = None,
    activated_at: datetime | None = None,
    ended_at: datetime | None = None,
    end_kind: EndKind | str = "",
    end_reason: EndReason | str = "",
    status: RelationshipStatus | None = None,
    area: str = "",
) -> Relationship:
    """A relationship with ``mentor_profile``, for ``for_referral`` or a new matched referral
    made at ``referred_at`` (a day before the start unless told). Ended when ``ended_at``."""
    organisation = mentor_profile.organisation
    if for_referral is None:
        for_referral = referral(
            organisation,
            created_at=referred_at or started_at - timedelta(days=1),
            status=Status.MATCHED,
            area=area,
            mentee=UserFactory(),
        )
    if status is None:
        status = RelationshipStatus.ENDED if ended_at else RelationshipStatus.ACTIVE
    return RelationshipFactory(
        organisation=organisation,
        referral=for_referral,
        mentee=for_referral.mentee,
        mentor=mentor_profile,
        status=status,
        started_at=started_at,
        activated_at=activated_at,
        ended_at=ended_at,
        end_kind=end_kind,
        end_reason=end_reason,
    )


def session(
    of: Relationship,
    *,
    at: datetime,
    status: SessionStatus = SessionStatus.HELD,
    length_minutes: int | None = None,
    planned_minutes: int = 60,
) -> MentoringSession:
    return SessionFactory(
        relationship=of,
        scheduled_for=at,
        status=status,
        length_minutes=length_minutes,
        planned_minutes=planned_minutes,
    )


# Reading a section's figures ------------------------------------------------------------------


def number(section: Section, key: str) -> float | None:
    return section.headline(key).value.number


def withheld(section: Section, key: str) -> bool:
    return section.headline(key).value.withheld


def table_rows(section: Section, key: str) -> dict[str, tuple[float | None, ...]]:
    """A table as {row label: numbers of its cells} (None where withheld)."""
    table = next(table for table in section.tables if table.key == key)
    return {
        str(row[0]): tuple(cell.number if isinstance(cell, Value) else None for cell in row[1:])
        for row in table.rows
    }
