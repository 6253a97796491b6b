"""Outcome measures and safeguarding alerts of a seeded programme."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache

from django.urls import reverse

from alongside.scale_plan import FOLLOW_UP_DAYS, Journey, Spell, days, pick
from alongside.scale_rows import Context, build, chance, until
from outcomes import instruments as engine
from outcomes.demo import answers_for
from outcomes.models import CompletedWith, Instrument, MeasureRequest, MeasureResponse, Occasion
from outcomes.models import RequestStatus as MeasureStatus
from safeguarding.models import (
    Alert,
    AlertAction,
    AlertActionKind,
    AlertLevel,
    AlertOutcome,
    AlertSign,
    AlertStatus,
)
from safeguarding.services.rota import add_working_days

ALERT_LEVELS: list[tuple[str, int]] = [
    (AlertLevel.CONCERN, 60),
    (AlertLevel.HIGH, 30),
    (AlertLevel.URGENT, 10),
]
ALERT_CATEGORIES = ("suicidal_thoughts", "self_harm", "not_eating_or_purging")
ALERT_OUTCOMES = (
    AlertOutcome.SAFE_FOR_NOW,
    AlertOutcome.SAFE_FOR_NOW,
    AlertOutcome.REFERRED_ON,
    AlertOutcome.NO_RISK,
    AlertOutcome.SAFEGUARDING_REFERRAL,
)
# Typical starting totals (mean, spread) on each shipped instrument; WHO-5 is its raw total.
BASELINES = {"phq9": (14, 4), "gad7": (12, 4), "who5": (9, 4)}
# How far along the hoped-for change each occasion is.
PROGRESS: dict[str, float] = {Occasion.BASELINE: 0.0, Occasion.SESSIONS: 0.5, Occasion.CLOSURE: 1.0}
OPEN_DAYS = 28


# Outcome measures --------------------------------------------------------------------------------


@cache
def scored(key: str, total: int) -> engine.Score:
    """The engine's score for answers adding up to ``total`` (so bands match the totals)."""
    return engine.score(engine.builtin(key), answers_for(key, total))


@cache
def _highest(key: str) -> int:
    """The highest total ``answers_for`` can spread (it keeps PHQ-9 question 9 at 0)."""
    definition = engine.builtin(key)
    return definition.highest * (len(definition.items) - (1 if key == "phq9" else 0))


def measures(ctx: Context, instruments: list[Instrument]) -> None:
    """Baseline, after six sessions, at a planned ending and at follow-up, on each instrument
    the programme uses. Requests are written first (responses point at them), a slice of
    journeys at a time."""
    writer = ctx.writer
    journeys = [j for j in ctx.plan.journeys if any(s.activated for s in j.spells)]
    step = max(1, writer.batch_size // 4)
    for begin in range(0, len(journeys), step):
        pairs = [
            pair for j in journeys[begin : begin + step] for pair in _measures(ctx, j, instruments)
        ]
        writer.add(MeasureRequest, [request for request, _ in pairs], report=False)
        responses = []
        for request, response in pairs:
            if response is not None:
                response.request_id = request.pk
                responses.append(response)
        writer.add(MeasureResponse, responses, report=False)
    writer.report(MeasureRequest)
    writer.report(MeasureResponse)


def _measures(
    ctx: Context, journey: Journey, instruments: list[Instrument]
) -> Iterator[tuple[MeasureRequest, MeasureResponse | None]]:
    rng = ctx.rng
    assert journey.mentee is not None
    person = ctx.mentee_users[journey.mentee]
    change = max(-0.3, min(0.9, rng.gauss(0.3, 0.3)))
    first = next(s for s in journey.spells if s.activated)
    assert first.activated is not None
    occasions: list[tuple[str, int, datetime, Spell | None, float]] = [
        (Occasion.BASELINE, 0, first.activated - days(6), None, 0.95)
    ]
    for spell in journey.spells:
        if spell.activated is None:
            continue
        sixth = spell.activated + days(2 + 5 * spell.interval_days + 1)
        if sixth < until(ctx, spell):
            occasions.append((Occasion.SESSIONS, 6, sixth, spell, 0.7))
        if spell.is_planned_ending and spell.closing_started is not None:
            occasions.append((Occasion.CLOSURE, 0, spell.closing_started, spell, 0.8))
    last = journey.spells[-1]
    if last.ended is not None and last.ended + days(FOLLOW_UP_DAYS) <= ctx.now:
        occasions.append((Occasion.FOLLOW_UP, 0, last.ended + days(FOLLOW_UP_DAYS), last, 0.4))
    for instrument in instruments:
        mean, spread = BASELINES.get(instrument.key, (10, 3))
        baseline = rng.gauss(mean, spread)
        for occasion, number, due, about, completes in occasions:
            progress = PROGRESS.get(occasion, 1.0)
            yield _measure(
                ctx,
                instrument,
                person,
                journey,
                about,
                occasion,
                number,
                due,
                _total(instrument.key, baseline, change * progress, rng.gauss(0, 1.5)),
                completes,
            )


def _total(key: str, baseline: float, change: float, noise: float) -> int:
    highest = _highest(key)
    if key == "who5":
        value = baseline + change * (highest - baseline) + noise
    else:
        value = baseline - change * baseline + noise
    return max(0, min(highest, round(value)))


def _measure(
    ctx: Context,
    instrument: Instrument,
    person: int,
    journey: Journey,
    spell: Spell | None,
    occasion: str,
    number: int,
    due: datetime,
    total: int,
    completes: float,
) -> tuple[MeasureRequest, MeasureResponse | None]:
    now = ctx.now
    closes = due + days(OPEN_DAYS)
    answered = due + days(ctx.rng.uniform(0, 5))
    completed = answered <= now and chance(ctx, completes)
    if completed:
        status = MeasureStatus.COMPLETED
    else:
        status = MeasureStatus.EXPIRED if closes < now else MeasureStatus.DUE
    request = build(
        MeasureRequest,
        organisation_id=ctx.organisation.pk,
        person_id=person,
        instrument_id=instrument.pk,
        occasion=occasion,
        occasion_number=number,
        relationship_id=spell.pk if spell else None,
        referral_id=journey.pk,
        status=status,
        due_on=due.date(),
        closes_on=closes.date(),
        created_at=due,
    )
    if not completed:
        return request, None
    score = scored(instrument.key, total)
    with_mentor = occasion == Occasion.SESSIONS
    response = build(
        MeasureResponse,
        organisation_id=ctx.organisation.pk,
        person_id=person,
        instrument_id=instrument.pk,
        instrument_version=instrument.version,
        relationship_id=spell.pk if spell else None,
        occasion=occasion,
        completed_with=CompletedWith.MENTOR if with_mentor else CompletedWith.SELF,
        entered_by_id=ctx.mentor_users[spell.mentor] if with_mentor and spell else person,
        started_at=answered - timedelta(minutes=5),
        completed_at=answered,
        total=score.total,
        percentage=score.percentage,
        band=score.band or "",
        flags=list(score.flags),
        answered=score.answered,
        prorated=score.prorated,
    )
    return request, response


# Safeguarding alerts -----------------------------------------------------------------------------


def alerts(ctx: Context, share: float = 0.03) -> None:
    """About ``share`` of mentees had an alert: most acknowledged in time, some late, most
    closed; the newest may still be waiting for someone."""
    made = [
        _alert(ctx, j) for j in ctx.plan.journeys if j.mentee is not None and chance(ctx, share)
    ]
    rows = ctx.writer.add(Alert, made)
    ctx.writer.add(AlertSign, [_sign(alert) for alert in rows])
    actions = []
    for alert in rows:
        if alert.acknowledged_at is not None:
            actions.append(_action(alert, AlertActionKind.ACKNOWLEDGED, alert.acknowledged_at))
        if alert.closed_at is not None:
            actions.append(_action(alert, AlertActionKind.CLOSED, alert.closed_at))
    ctx.writer.add(AlertAction, actions)


def _alert(ctx: Context, journey: Journey) -> Alert:
    rng, now = ctx.rng, ctx.now
    assert journey.mentee is not None
    spell = rng.choice(journey.spells) if journey.spells else None
    begins = (spell.activated or spell.started) if spell else journey.created
    end = until(ctx, spell) if spell else now
    created = begins + (end - begins) * rng.random()
    level = pick(rng, ALERT_LEVELS)
    due = _deadline(level, created)
    supervisor = ctx.supervisor_of(spell.mentor) if spell else None
    responder = supervisor or ctx.coordinator()
    acknowledged = closed = None
    late = chance(ctx, 0.15)
    if chance(ctx, 0.95):
        if late:
            acknowledged = due + timedelta(minutes=rng.uniform(5, 24 * 60))
        else:
            acknowledged = created + (due - created) * rng.uniform(0.05, 0.9)
        if acknowledged > now:
            acknowledged = None
    if acknowledged is not None and chance(ctx, 0.9):
        closed = acknowledged + timedelta(hours=rng.uniform(1, 120))
        if closed > now:
            closed = None
    status = (
        AlertStatus.CLOSED
        if closed
        else AlertStatus.ACKNOWLEDGED
        if acknowledged
        else AlertStatus.OPEN
    )
    source = "message" if spell else "measure"
    return build(
        Alert,
        organisation_id=ctx.organisation.pk,
        person_id=ctx.mentee_users[journey.mentee],
        supervisor_id=supervisor,
        level=level,
        categories=[rng.choice(ALERT_CATEGORIES)],
        source=source,
        source_label="A message, written by the mentee" if spell else "PHQ-9 question 9",
        object_type="mentoring.relationship" if spell else "",
        object_id=str(spell.pk) if spell else "",
        path=reverse("mentoring:overview", args=[spell.pk]) if spell else "",
        status=status,
        created_at=created,
        acknowledged_at=acknowledged,
        acknowledged_by_id=responder if acknowledged else None,
        due_at=due,
        escalation_level=1 if late else 0,
        escalated_at=due if late else None,
        closed_at=closed,
        closed_by_id=responder if closed else None,
        outcome=rng.choice(ALERT_OUTCOMES) if closed else "",
    )


def _deadline(level: str, raised: datetime) -> datetime:
    """The default response times (15 minutes, an hour, one working day)."""
    if level == AlertLevel.URGENT:
        return raised + timedelta(minutes=15)
    if level == AlertLevel.HIGH:
        return raised + timedelta(minutes=60)
    return add_working_days(raised, 1)


def _sign(alert: Alert) -> AlertSign:
    return build(
        AlertSign,
        alert_id=alert.pk,
        level=alert.level,
        categories=alert.categories,
        source=alert.source,
        source_label=alert.source_label,
        object_type=alert.object_type,
        object_id=alert.object_id,
        path=alert.path,
        created_at=alert.created_at,
    )


def _action(alert: Alert, kind: str, when: datetime) -> AlertAction:
    actor = alert.closed_by_id if kind == AlertActionKind.CLOSED else alert.acknowledged_by_id
    return build(AlertAction, alert_id=alert.pk, kind=kind, actor_id=actor, created_at=when)
