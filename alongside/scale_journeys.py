"""Referrals, relationships, their matches and agreements in a seeded programme."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time as clock
from typing import Any

from accounts.models import Role
from alongside.scale_plan import Journey, days
from alongside.scale_rows import FORMATS, GOALS, Context, at_hour, build, email_for, name_for
from matching.models import MatchProposal, Origin, ProposalStatus
from mentoring.models import Agreement, MeetingFrequency, Relationship
from mentoring.statement import STATEMENT_VERSION
from referrals.consent import CURRENT_VERSION as CONSENT_VERSION
from referrals.models import ContactAttempt, ContactMethod, ContactOutcome, Intake, Referral, Status

# Referrals ---------------------------------------------------------------------------------------


def referrals(ctx: Context) -> None:
    """One referral per journey, the intake for those who reached it, and contact attempts for
    those still being reached or never reached."""
    rng, org, writer = ctx.rng, ctx.organisation, ctx.writer
    journeys = ctx.plan.journeys
    rows = []
    for number, journey in enumerate(journeys):
        mentee = journey.mentee
        email = (
            email_for(ctx, Role.MENTEE, mentee, 6)
            if mentee is not None
            else f"person.{number:06d}@{ctx.slug}.example"
        )
        rows.append(
            build(
                Referral,
                organisation_id=org.pk,
                status=journey.status,
                status_changed_at=journey.changed,
                source=journey.source,
                referrer_organisation_name="" if journey.source == "self" else "A local service",
                mentee_id=ctx.mentee_users[mentee] if mentee is not None else None,
                full_name=ctx.mentee_names[mentee] if mentee is not None else name_for(rng),
                email=email,
                email_ok=True,
                year_of_birth=rng.randint(1950, 2007),
                formats=["video", "phone"] if number % 3 else ["in_person", "video"],
                area=journey.area,
                consent_version=CONSENT_VERSION,
                consent_given_at=journey.created,
                created_at=journey.created,
                waiting_since=journey.waiting_since,
                rematch_requested_at=journey.rematch_requested,
                last_contacted_at=journey.created + days(2) if mentee is not None else None,
                signposted_to="Local talking therapies" if journey.status == "signposted" else "",
            )
        )
    created = writer.add(Referral, rows)
    for journey, referral in zip(journeys, created, strict=True):
        journey.pk = referral.pk
    through = Referral.support_areas.through
    writer.stream(
        through,
        (
            build(through, referral_id=j.pk, supportarea_id=rng.choice(ctx.areas).pk)
            for j in journeys
        ),
    )
    writer.stream(Intake, _intakes(ctx))
    writer.stream(ContactAttempt, _contact_attempts(ctx))


def _intakes(ctx: Context) -> Iterator[Intake]:
    for journey in ctx.plan.journeys:
        if journey.mentee is None:
            continue
        done = journey.status != Status.INTAKE
        yield build(
            Intake,
            referral_id=journey.pk,
            goals=GOALS[journey.pk % len(GOALS)] if journey.pk else GOALS[0],
            completed_at=journey.created + days(7) if done else None,
            completed_by_id=ctx.coordinator() if done else None,
            updated_at=journey.created + days(7),
        )


def _contact_attempts(ctx: Context) -> Iterator[ContactAttempt]:
    attempts: dict[str, list[ContactOutcome]] = {
        Status.CONTACTING: [ContactOutcome.NO_ANSWER],
        Status.UNABLE_TO_CONTACT: [ContactOutcome.NO_ANSWER, ContactOutcome.LEFT_MESSAGE] * 2,
    }
    for journey in ctx.plan.journeys:
        outcomes = attempts.get(journey.status, [ContactOutcome.SPOKE])
        for n, outcome in enumerate(outcomes):
            yield build(
                ContactAttempt,
                referral_id=journey.pk,
                attempted_at=journey.created + days(1 + 2 * n),
                method=ContactMethod.PHONE,
                outcome=outcome,
                by_id=ctx.coordinator(),
            )


# Relationships -----------------------------------------------------------------------------------


def relationships(ctx: Context) -> None:
    """Relationships, the accepted match that made each one, and their agreements."""
    rng, org, writer = ctx.rng, ctx.organisation, ctx.writer
    pairs: list[tuple[Journey, Any]] = [(j, s) for j in ctx.plan.journeys for s in j.spells]
    rows = []
    for journey, spell in pairs:
        assert journey.mentee is not None
        planned = spell.is_planned_ending and spell.ended is not None
        rows.append(
            build(
                Relationship,
                organisation_id=org.pk,
                mentor_id=ctx.mentor_profiles[spell.mentor],
                mentee_id=ctx.mentee_users[journey.mentee],
                referral_id=journey.pk,
                status=spell.status,
                started_at=spell.started,
                ended_at=spell.ended,
                introduction_at=at_hour(spell.started + days(4), 18),
                introduction_format=FORMATS[journey.mentee % 3],
                coordinator_present=rng.random() < 0.3,
                activated_at=spell.activated,
                planned_sessions=spell.planned_sessions if spell.activated else None,
                planned_end_on=spell.planned_end,
                closing_started_at=spell.closing_started,
                end_kind=spell.end_kind,
                end_reason=spell.end_reason,
                ended_by_id=ctx.coordinator() if spell.ended else None,
                exit_conversation_held=planned and rng.random() < 0.9,
            )
        )
    for spell_row, (_, spell) in zip(writer.add(Relationship, rows), pairs, strict=True):
        spell.pk = spell_row.pk
    writer.stream(MatchProposal, _proposals(ctx, pairs))
    writer.stream(Agreement, _agreements(ctx, pairs))


def _proposals(ctx: Context, pairs: list[tuple[Journey, Any]]) -> Iterator[MatchProposal]:
    rng = ctx.rng
    for journey, spell in pairs:
        offered = spell.started - days(6)
        yield build(
            MatchProposal,
            organisation_id=ctx.organisation.pk,
            origin=Origin.ENGINE,
            referral_id=journey.pk,
            mentor_id=ctx.mentor_profiles[spell.mentor],
            score=round(rng.uniform(0.5, 0.95), 3),
            status=ProposalStatus.ACCEPTED,
            status_changed_at=spell.started,
            created_at=offered,
            approved_at=offered + days(1),
            approved_by_id=ctx.coordinator(),
            respond_by=offered + days(8),
            mentor_responded_at=offered + days(2),
            mentee_responded_at=spell.started,
            relationship_id=spell.pk,
        )


def _agreements(ctx: Context, pairs: list[tuple[Journey, Any]]) -> Iterator[Agreement]:
    """Every relationship that got past its introduction has an agreement both people
    acknowledged; a few that never started have one only the mentor acknowledged."""
    for journey, spell in pairs:
        if spell.activated is None and spell.ended is None:
            continue
        made = spell.activated - days(1) if spell.activated else spell.started + days(5)
        acknowledged = spell.activated is not None
        yield build(
            Agreement,
            relationship_id=spell.pk,
            goals_in_own_words=GOALS[spell.pk % len(GOALS)] if spell.pk else GOALS[0],
            meeting_frequency=(
                MeetingFrequency.WEEKLY
                if spell.interval_days == 7
                else MeetingFrequency.FORTNIGHTLY
            ),
            meeting_format=FORMATS[(journey.mentee or 0) % 3],
            contact_channels=["messages"],
            contact_days=[0, 1, 2, 3, 4],
            contact_from=clock(9),
            contact_until=clock(20),
            reply_within_hours=48,
            planned_sessions=spell.planned_sessions,
            planned_end_on=spell.planned_end or (spell.started + days(190)).date(),
            statement_version=STATEMENT_VERSION,
            created_by_id=ctx.mentor_users[spell.mentor],
            created_at=made,
            mentor_acknowledged_at=made + days(0.2),
            mentee_acknowledged_at=spell.activated if acknowledged else None,
        )
