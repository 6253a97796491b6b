"""The shape of a seeded programme, decided in plain Python before any row is written.

Every random choice ``seed_demo`` makes about people's journeys is made here, from one seeded
``random.Random``, so the same seed gives the same programme. The proportions are described in
docs/demo-data.md; change them there too.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from mentoring.models import EndKind, EndReason, RelationshipStatus
from referrals.models import Source, Status

# The programme has run for about two and a half years.
SPAN_DAYS = 900
# The default planned length of a relationship (26 weeks) and the mentors' capacity.
PLANNED_DAYS = 182
CAPACITY = 3
# The coordinator's follow-up with the mentee comes twelve weeks after the ending.
FOLLOW_UP_DAYS = 84
# Share of referrals that never become a mentee with an account (signposted, declined...).
REFERRALS_WITHOUT_ACCOUNT = 0.15

MENTEE_OUTCOMES: list[tuple[str, int]] = [
    (Status.MATCHED, 85),
    (Status.WAITING, 9),
    (Status.INTAKE, 2),
    (Status.WITHDRAWN, 4),
]
OTHER_OUTCOMES: list[tuple[str, int]] = [
    (Status.SIGNPOSTED, 30),
    (Status.DECLINED, 20),
    (Status.UNABLE_TO_CONTACT, 25),
    (Status.WITHDRAWN, 10),
    (Status.NEW, 8),
    (Status.CONTACTING, 7),
]
SOURCES: list[tuple[str, int]] = [
    (Source.SELF, 40),
    (Source.GP, 25),
    (Source.CLINIC, 15),
    (Source.SUPPORT_GROUP, 8),
    (Source.COMMUNITY, 8),
    (Source.OTHER, 4),
]
# How a relationship goes: a planned ending, an unplanned one, a rematch, or it never starts.
FATES = [("planned", 62), ("unplanned", 28), ("rematch", 6), ("no_start", 4)]
SECOND_FATES = [("planned", 66), ("unplanned", 30), ("no_start", 4)]
UNPLANNED_REASONS: list[tuple[str, int]] = [
    (EndReason.STOPPED_ENGAGING, 35),
    (EndReason.MENTEE_CHOSE, 25),
    (EndReason.MOVED_AWAY, 15),
    (EndReason.MENTOR_LEFT, 10),
    (EndReason.SAFEGUARDING, 5),
    (EndReason.OTHER, 10),
]


def pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    """One value from ``weighted`` (value, weight) pairs."""
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def days(value: float) -> timedelta:
    return timedelta(days=value)


@dataclass(slots=True)
class MentorPlan:
    index: int
    certified_at: datetime
    left_at: datetime | None
    expires_at: datetime
    available: bool
    supervisor: int
    area: str
    load: int = 0


@dataclass(slots=True)
class Spell:
    """One relationship: who, when, and how it ended (if it has)."""

    mentor: int
    started: datetime
    activated: datetime | None
    ended: datetime | None
    closing_started: datetime | None
    status: str
    end_kind: str = ""
    end_reason: str = ""
    interval_days: int = 7
    planned_sessions: int = 12
    pk: int | None = None

    @property
    def planned_end(self) -> date | None:
        return (self.activated + days(PLANNED_DAYS)).date() if self.activated else None

    @property
    def is_planned_ending(self) -> bool:
        return self.end_kind == EndKind.PLANNED or self.status == RelationshipStatus.CLOSING


@dataclass(slots=True)
class Journey:
    """One referral and what came of it. ``mentee`` indexes the mentees with an account."""

    mentee: int | None
    status: str
    source: str
    area: str
    created: datetime
    changed: datetime
    waiting_since: datetime | None = None
    rematch_requested: datetime | None = None
    spells: list[Spell] = field(default_factory=list)
    pk: int | None = None


@dataclass
class Plan:
    now: datetime
    mentors: list[MentorPlan]
    journeys: list[Journey]

    @property
    def spells(self) -> list[Spell]:
        return [spell for journey in self.journeys for spell in journey.spells]


class Planner:
    def __init__(self, rng: random.Random, now: datetime, areas: list[str]) -> None:
        self.rng = rng
        self.now = now
        self.areas = areas
        self.start = now - days(SPAN_DAYS)

    def plan(self, mentees: int, mentors: int, supervisors: int) -> Plan:
        mentor_plans = [self._mentor(i, supervisors) for i in range(mentors)]
        self._by_certification = sorted(mentor_plans, key=lambda m: m.certified_at)
        self._certified_times = [m.certified_at for m in self._by_certification]
        journeys = [self._well_known_journey(mentor_plans[0])]
        journeys += [self._mentee_journey(i) for i in range(1, mentees)]
        others = round(mentees * REFERRALS_WITHOUT_ACCOUNT)
        journeys += [self._other_journey() for _ in range(others)]
        return Plan(now=self.now, mentors=mentor_plans, journeys=journeys)

    # Mentors ------------------------------------------------------------------------------------

    def _mentor(self, index: int, supervisors: int) -> MentorPlan:
        rng = self.rng
        veteran = index == 0 or rng.random() < 0.6
        if veteran:
            certified = self.start - days(rng.uniform(0, 300))
        else:
            certified = self.now - days(rng.uniform(14, SPAN_DAYS))
        left = None
        if index != 0 and rng.random() < 0.12:
            earliest = certified + days(120)
            if earliest < self.now - days(7):
                left = earliest + (self.now - days(7) - earliest) * rng.random()
        if left is not None:
            expires = min(left, certified + days(365))
        elif index != 0 and rng.random() < 0.05:
            expires = self.now - days(rng.uniform(1, 60))
        else:
            expires = self.now + days(rng.uniform(20, 365))
        return MentorPlan(
            index=index,
            certified_at=certified,
            left_at=left,
            expires_at=expires,
            available=left is None and (index == 0 or rng.random() < 0.85),
            supervisor=index % supervisors,
            area=self.areas[index % len(self.areas)],
        )

    def _mentor_for(self, started: datetime, ended: datetime | None) -> int:
        """A mentor certified before ``started``: one with room for a current relationship, or
        one who had not left by ``ended``."""
        rng = self.rng
        known = max(1, bisect_left(self._certified_times, started))
        choice = self._by_certification[0]
        for _ in range(20):
            choice = self._by_certification[rng.randrange(known)]
            if ended is None:
                if choice.left_at is None and choice.load < CAPACITY and choice.index != 0:
                    break
            elif choice.left_at is None or choice.left_at > ended:
                break
        if ended is None:
            choice.load += 1
        return choice.index

    # Journeys -----------------------------------------------------------------------------------

    def _journey(self, mentee: int | None, status: str, created: datetime) -> Journey:
        return Journey(
            mentee=mentee,
            status=status,
            source=pick(self.rng, SOURCES),
            area=self.rng.choice(self.areas),
            created=created,
            changed=created,
        )

    def _well_known_journey(self, mentor: MentorPlan) -> Journey:
        """The sign-in mentee: five weeks into mentoring with the sign-in mentor."""
        started = self.now - days(40)
        journey = self._journey(0, Status.MATCHED, started - days(30))
        journey.changed = started
        mentor.load += 1
        journey.spells.append(
            Spell(
                mentor=0,
                started=started,
                activated=started + days(7),
                ended=None,
                closing_started=None,
                status=RelationshipStatus.ACTIVE,
            )
        )
        return journey

    def _mentee_journey(self, mentee: int) -> Journey:
        rng = self.rng
        status = pick(rng, MENTEE_OUTCOMES)
        if status == Status.MATCHED:
            started = (
                self.start
                + days(120)
                + (self.now - days(3) - self.start - days(120)) * (rng.random())
            )
            wait = min(200.0, 10 + rng.expovariate(1 / 35))
            journey = self._journey(mentee, status, started - days(wait))
            journey.changed = started
            self._relationships(journey, started)
            return journey
        if status == Status.WAITING:
            waiting = self.now - days(min(300.0, 1 + rng.expovariate(1 / 40)))
            journey = self._journey(mentee, status, waiting - days(rng.uniform(5, 30)))
            journey.waiting_since = journey.changed = waiting
            return journey
        if status == Status.INTAKE:
            return self._journey(mentee, status, self.now - days(rng.uniform(3, 30)))
        created = self.now - days(rng.uniform(20, SPAN_DAYS))
        journey = self._journey(mentee, status, created)
        journey.changed = created + days(rng.uniform(10, 90))
        return journey

    def _other_journey(self) -> Journey:
        rng = self.rng
        status = pick(rng, OTHER_OUTCOMES)
        if status in (Status.NEW, Status.CONTACTING):
            created = self.now - days(rng.uniform(0, 21))
            return self._journey(None, status, created)
        created = self.now - days(rng.uniform(14, SPAN_DAYS))
        journey = self._journey(None, status, created)
        journey.changed = created + days(rng.uniform(2, 30))
        return journey

    def _relationships(self, journey: Journey, started: datetime) -> None:
        rng = self.rng
        spell = self._spell(started, pick(rng, FATES))
        journey.spells.append(spell)
        if spell.end_reason != EndReason.REMATCH:
            return
        assert spell.ended is not None
        journey.rematch_requested = spell.ended
        again = spell.ended + days(rng.uniform(7, 35))
        if again < self.now - days(2):
            second = self._spell(again, pick(rng, SECOND_FATES), previous=spell.mentor)
            journey.spells.append(second)
            journey.changed = again
        else:
            journey.status = Status.WAITING
            journey.waiting_since = journey.changed = spell.ended

    def _spell(self, started: datetime, fate: str, previous: int | None = None) -> Spell:
        rng = self.rng
        activated: datetime | None = started + days(rng.uniform(5, 21))
        closing = None
        reason: str
        if fate == "planned":
            assert activated is not None
            goals_met = rng.random() < 0.4
            length = rng.uniform(120, 175) if goals_met else PLANNED_DAYS
            ended = activated + days(length)
            closing = ended - days(rng.uniform(10, 21))
            kind = EndKind.PLANNED
            reason = EndReason.GOALS_MET if goals_met else EndReason.END_DATE_REACHED
        elif fate == "no_start":
            activated = None
            ended = started + days(rng.uniform(10, 35))
            kind, reason = EndKind.UNPLANNED, pick(rng, UNPLANNED_REASONS[:3])
        else:
            assert activated is not None
            longest = 90 if fate == "rematch" else 150
            ended = activated + days(rng.uniform(14, longest))
            kind = EndKind.UNPLANNED
            reason = EndReason.REMATCH if fate == "rematch" else pick(rng, UNPLANNED_REASONS)
        spell = Spell(
            mentor=0,
            started=started,
            activated=activated,
            ended=ended,
            closing_started=closing,
            status=RelationshipStatus.ENDED,
            end_kind=kind,
            end_reason=reason,
            interval_days=7 if rng.random() < 0.4 else 14,
            planned_sessions=rng.choice((10, 12, 12, 12, 16)),
        )
        self._resolve_against_now(spell)
        spell.mentor = self._mentor_for(started, spell.ended)
        if previous is not None and spell.mentor == previous:
            spell.mentor = self._mentor_for(started, spell.ended)
        return spell

    def _resolve_against_now(self, spell: Spell) -> None:
        """A relationship whose ending lies in the future is still under way today."""
        now = self.now
        assert spell.ended is not None
        if spell.ended <= now:
            return
        if spell.activated is None or spell.activated > now:
            spell.status = RelationshipStatus.INTRODUCTION
            spell.activated = None
        elif spell.closing_started is not None and spell.closing_started <= now:
            spell.status = RelationshipStatus.CLOSING
        else:
            spell.status = RelationshipStatus.ACTIVE
            spell.closing_started = None
        spell.ended = None
        spell.end_kind = spell.end_reason = ""
