"""What happens inside a seeded programme's relationships: sessions, messages, coordinator
check-ins, wellbeing plans and the toolkit (measures and alerts: ``scale_outcomes``).

The big tables (sessions, check-ins) are streamed to the database in batches, so a
national-scale programme never sits in memory at once. Encrypted text is kept short, and blank
wherever the real service would allow it: each value costs one encryption.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from alongside.scale_plan import FOLLOW_UP_DAYS, days
from alongside.scale_rows import (
    FORMATS,
    Context,
    active_pairs,
    at_hour,
    build,
    chance,
    until,
)
from mentoring.models import (
    CheckIn,
    CheckInKind,
    CheckInPerson,
    CheckInStatus,
    MentoringSession,
    Message,
    SessionStatus,
    WellbeingPlan,
)
from toolkit.models import Practice, ToolkitEntry

PAST_SESSION_OUTCOMES = [
    (SessionStatus.HELD, 80),
    (SessionStatus.CANCELLED_BY_MENTEE, 7),
    (SessionStatus.CANCELLED_BY_MENTOR, 5),
    (SessionStatus.NO_SHOW, 8),
]
MESSAGES = (
    "Looking forward to Tuesday.",
    "Thanks for today, it helped.",
    "Running ten minutes late, sorry!",
    "I tried the breathing again last night.",
    "See you next week, same time.",
    "Well done for going, that took courage.",
)
HELPFULNESS = [(1, 5), (2, 10), (3, 25), (4, 35), (5, 25)]


# Sessions and messages ---------------------------------------------------------------------------


def sessions(ctx: Context) -> None:
    ctx.writer.stream(MentoringSession, _sessions(ctx))
    ctx.writer.stream(Message, _messages(ctx))


def _sessions(ctx: Context) -> Iterator[MentoringSession]:
    """Sessions at the agreed interval from the start: past ones mostly held, the next few
    planned, the last one of a planned ending marked final."""
    rng, now = ctx.rng, ctx.now
    outcomes = [status for status, _ in PAST_SESSION_OUTCOMES]
    weights = [weight for _, weight in PAST_SESSION_OUTCOMES]
    for journey, spell in active_pairs(ctx):
        assert spell.activated is not None and journey.mentee is not None
        first = at_hour(spell.activated + days(2), 18)
        last = spell.ended or now + days(21)
        interval = spell.interval_days
        count = min(spell.planned_sessions + 2, (last - first).days // interval + 1)
        mentor = ctx.mentor_users[spell.mentor]
        final = spell.is_planned_ending and spell.ended is not None
        for n in range(max(count, 0)):
            when = first + days(n * interval)
            planned = when > now
            status = SessionStatus.PLANNED if planned else rng.choices(outcomes, weights)[0]
            held = status == SessionStatus.HELD
            before = rng.randint(3, 7) if held else None
            rated = held and rng.random() < 0.6
            yield build(
                MentoringSession,
                relationship_id=spell.pk,
                scheduled_for=when,
                format=FORMATS[journey.mentee % 3],
                is_final=final and n == count - 1,
                status=status,
                scheduled_by_id=mentor,
                created_at=when - days(interval),
                length_minutes=60 + rng.randint(-20, 10) if held else None,
                mood_before=before,
                mood_after=min(10, before + rng.randint(0, 3)) if before else None,
                logged_at=when + timedelta(hours=2) if not planned else None,
                logged_by_id=mentor if not planned else None,
                mentee_rating=rng.randint(3, 5) if rated else None,
                reflected_at=when + timedelta(hours=20) if rated else None,
            )


def _messages(ctx: Context) -> Iterator[Message]:
    """A few short messages each way (each body is encrypted, so they are few and short)."""
    rng, now = ctx.rng, ctx.now
    for journey, spell in active_pairs(ctx):
        assert spell.activated is not None and journey.mentee is not None
        mentee, mentor = ctx.mentee_users[journey.mentee], ctx.mentor_users[spell.mentor]
        length = (until(ctx, spell) - spell.activated).total_seconds()
        for n in range(3):
            sent = spell.activated + timedelta(seconds=length * (n + rng.random()) / 3)
            read = sent + timedelta(hours=rng.uniform(1, 20))
            yield build(
                Message,
                relationship_id=spell.pk,
                sender_id=mentor if n == 1 else mentee,
                body=MESSAGES[rng.randrange(len(MESSAGES))],
                sent_at=sent,
                read_at=read if read < now else None,
            )


# Check-ins and wellbeing plans -------------------------------------------------------------------


def check_ins(ctx: Context) -> None:
    ctx.writer.stream(CheckIn, _check_ins(ctx))
    ctx.writer.stream(WellbeingPlan, _plans(ctx))


def _check_ins(ctx: Context) -> Iterator[CheckIn]:
    """Twice in the first month then monthly with each person, until the planned end; mostly
    done on time, a few overdue; a follow-up with the mentee twelve weeks after the ending."""
    rng, now = ctx.rng, ctx.now
    organisation_id = ctx.organisation.pk
    for _, spell in active_pairs(ctx):
        assert spell.activated is not None
        end = until(ctx, spell)
        planned_end = spell.activated + days(182)
        for person in (CheckInPerson.MENTOR, CheckInPerson.MENTEE):
            for offset in _check_in_days():
                due = spell.activated + days(offset)
                if due > planned_end or (due > end and spell.ended is not None):
                    break
                if due > now:
                    yield build(
                        CheckIn,
                        relationship_id=spell.pk,
                        organisation_id=organisation_id,
                        person=person,
                        due_on=due.date(),
                    )
                    break
                done = rng.random() < 0.88
                done_at = min(now, due + days(rng.uniform(0, 6)))
                missed = CheckInStatus.DUE if spell.ended is None else CheckInStatus.NOT_NEEDED
                yield build(
                    CheckIn,
                    relationship_id=spell.pk,
                    organisation_id=organisation_id,
                    person=person,
                    due_on=due.date(),
                    status=CheckInStatus.DONE if done else missed,
                    done_at=done_at if done else None,
                    done_by_id=ctx.coordinator() if done else None,
                    method="phone" if done else "",
                )
        if spell.ended is not None:
            due = spell.ended + days(FOLLOW_UP_DAYS)
            done = due <= now and rng.random() < 0.7
            status = CheckInStatus.DUE if due > now else CheckInStatus.NOT_NEEDED
            yield build(
                CheckIn,
                relationship_id=spell.pk,
                organisation_id=organisation_id,
                person=CheckInPerson.MENTEE,
                kind=CheckInKind.FOLLOW_UP,
                due_on=due.date(),
                status=CheckInStatus.DONE if done else status,
                done_at=due + days(2) if done else None,
                done_by_id=ctx.coordinator() if done else None,
                method="phone" if done else "",
            )


def _check_in_days() -> Iterator[int]:
    yield 14
    yield 28
    offset = 28
    while True:
        offset += 30
        yield offset


def _plans(ctx: Context) -> Iterator[WellbeingPlan]:
    for journey, spell in active_pairs(ctx):
        if not spell.is_planned_ending or spell.closing_started is None:
            continue
        assert journey.mentee is not None
        ready = spell.closing_started + days(7)
        yield build(
            WellbeingPlan,
            relationship_id=spell.pk,
            what_helps="Walking, and talking to someone I trust.",
            updated_at=spell.closing_started + days(5),
            updated_by_id=ctx.mentee_users[journey.mentee],
            ready_at=ready if ready <= ctx.now else None,
        )


# Toolkit -----------------------------------------------------------------------------------------


def toolkit(ctx: Context, skills: list[int]) -> None:
    """Skills mentors shared in about four relationships in ten, and how often and how well the
    mentee found them to help."""
    rng, now = ctx.rng, ctx.now
    entries: list[ToolkitEntry] = []
    for journey, spell in active_pairs(ctx):
        if not chance(ctx, 0.4) or not skills:
            continue
        assert spell.activated is not None and journey.mentee is not None
        person = ctx.mentee_users[journey.mentee]
        taken = {e.skill_id for e in entries[-6:] if e.person_id == person}
        for skill in rng.sample(skills, min(len(skills), rng.randint(1, 3))):
            if skill in taken:
                continue
            added = min(now, spell.activated + days(rng.uniform(7, 60)))
            entries.append(
                build(
                    ToolkitEntry,
                    person_id=person,
                    skill_id=skill,
                    organisation_id=ctx.organisation.pk,
                    shared_by_id=ctx.mentor_users[spell.mentor],
                    relationship_id=spell.pk,
                    added_at=added,
                )
            )
    entries = ctx.writer.add(ToolkitEntry, entries)
    ctx.writer.stream(Practice, _practices(ctx, entries))


def _practices(ctx: Context, entries: list[Any]) -> Iterator[Practice]:
    rng, today = ctx.rng, ctx.now.date()
    values = [value for value, _ in HELPFULNESS]
    weights = [weight for _, weight in HELPFULNESS]
    for entry in entries:
        for _ in range(rng.randint(0, 5)):
            day = (entry.added_at + days(rng.uniform(0, 60))).date()
            yield build(
                Practice,
                entry_id=entry.pk,
                practised_on=min(day, today),
                helpfulness=rng.choices(values, weights)[0],
                created_at=entry.added_at,
            )
