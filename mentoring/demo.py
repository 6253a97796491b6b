"""Invented demo mentoring: one relationship five weeks in (agreement, sessions, goals, messages,
a check-in) and one pair about to meet for their introduction. Made through the same services
people use; only the clock is wound back afterwards so the history looks lived in. Every person
here is made up."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import Language, Role, SupportArea
from accounts.services import membership_grant, user_create
from matching.models import MatchProposal
from matching.services.introductions import introduction_schedule
from matching.services.proposals import proposal_approve, proposal_create
from matching.services.responses import proposal_mentee_respond, proposal_mentor_respond
from mentoring.models import CheckIn, MentoringSession, Relationship
from mentoring.services.agreements import AgreementTerms, agreement_acknowledge, agreement_save
from mentoring.services.checkins import check_in_record
from mentoring.services.goals import goal_add, step_add, step_suggest, step_update
from mentoring.services.messages import message_send
from mentoring.services.sessions import session_log, session_schedule
from mentoring.services.strengths import strength_add
from mentors.models import MentorProfile
from referrals.services.creating import referral_create
from referrals.services.intake import intake_complete
from referrals.services.triage import referral_accept_to_intake

if TYPE_CHECKING:
    from accounts.models import User
    from alongside.demo import DemoWorld

WEEKS_IN = 5


def demo_person(world: DemoWorld, key: str, name: str) -> User:
    user = user_create(
        actor=None,
        email=f"{key}@{settings.DEMO_EMAIL_DOMAIN}",
        name=name,
        password=settings.DEMO_PASSWORD,
        email_verified=True,
    )
    membership_grant(
        actor=None, organisation=world.organisations["riverside"], user=user, role=Role.MENTEE
    )
    world.people[key] = user
    return user


def demo_match(world: DemoWorld, mentee: User, mentor_key: str, areas: list[str]) -> Relationship:
    """Referral, intake and waiting list, then a match both people accept."""
    organisation = world.organisations["riverside"]
    coordinator = world.people["coordinator"]
    referral, _, _ = referral_create(
        organisation=organisation,
        data={
            "full_name": mentee.name,
            "email": mentee.email,
            "email_ok": True,
            "safe_now": "yes",
            "formats": ["video", "in_person"],
            "availability_slots": ["tue_evening", "thu_evening", "sat_morning"],
            "area": "Riverside",
            "hopes": "To get back into a routine and feel less on my own.",
            "languages": list(Language.objects.filter(code="en")),
            "support_areas": list(
                SupportArea.objects.filter(organisation=organisation, name__in=areas)
            ),
        },
        source="self",
        referrer=None,
        consent_given=True,
    )
    referral.mentee = mentee
    referral.save(update_fields=["mentee"])
    referral_accept_to_intake(actor=coordinator, referral=referral)
    referral = intake_complete(
        actor=coordinator, referral=referral, data={"goals": "Feel steadier day to day."}
    )
    mentor = MentorProfile.objects.get(organisation=organisation, user=world.people[mentor_key])
    proposal = proposal_create(actor=coordinator, referral=referral, mentor=mentor)
    proposal_approve(actor=coordinator, proposal=proposal)
    proposal_mentor_respond(actor=mentor.user, proposal=proposal, accept=True)
    proposal = proposal_mentee_respond(actor=mentee, proposal=proposal, accept=True)
    proposal = MatchProposal.objects.select_related("relationship").get(pk=proposal.pk)
    assert proposal.relationship is not None
    return proposal.relationship


def _at(days_from_now: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days_from_now)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def build_mentoring(world: DemoWorld) -> None:
    coordinator = world.people["coordinator"]
    jamie = demo_person(world, "mentee.jamie", "Jamie Cole")
    sky = demo_person(world, "mentee.sky", "Sky Adams")

    # Jamie and Jordan: five weeks into mentoring.
    relationship = demo_match(world, jamie, "mentor.jordan", ["Anxiety"])
    jordan = world.people["mentor.jordan"]
    saved = agreement_save(
        actor=jordan,
        relationship=relationship,
        terms=AgreementTerms(
            goals_in_own_words="Go back to the Wednesday support group, and get out for a walk "
            "most days without talking myself out of it.",
            meeting_frequency="weekly",
            meeting_format="video",
            usual_slot="tue_evening",
            contact_channels=["messages"],
            contact_days=[0, 1, 2, 3, 4],
            contact_from=time(9),
            contact_until=time(20),
            reply_within_hours=48,
            planned_sessions=12,
            planned_end_on=timezone.localdate() + timedelta(weeks=26 - WEEKS_IN),
        ),
        based_on_version=None,
    )
    agreement_acknowledge(actor=jamie, relationship=relationship, version=saved.agreement.version)
    sessions = [
        session_schedule(
            actor=jordan,
            relationship=relationship,
            scheduled_for=_at(1 + n, 18),
            planned_minutes=60,
            format="video",
            place="https://meet.example.org/riverside-jordan",
        )
        for n in range(4)
    ]
    summaries = [
        "Got to know each other and wrote our agreement. Jamie picked the support group as the "
        "first goal.",
        "Talked about what makes Wednesdays hard. Tried box breathing together.",
        "Jamie went to the group for twenty minutes. We planned the bus journey for next time.",
    ]
    for weeks_ago, (session, summary) in enumerate(zip(sessions, summaries, strict=False)):
        MentoringSession.objects.filter(pk=session.pk).update(
            scheduled_for=_at(-7 * (3 - weeks_ago), 18)
        )
        session.refresh_from_db()
        session_log(
            actor=jordan,
            session=session,
            outcome="held",
            length_minutes=55,
            topics="Routines; the support group",
            summary=summary,
            private_notes="Jamie seemed brighter than last week." if weeks_ago else "",
            mood_before=4 + weeks_ago,
            mood_after=6 + weeks_ago,
            version=session.version,
        )
    MentoringSession.objects.filter(pk=sessions[3].pk).update(scheduled_for=_at(6, 18))

    goal = goal_add(
        actor=jamie, relationship=relationship, title="Go to the support group on Wednesday"
    ).record
    first = step_add(actor=jamie, goal=goal, text="Look up the bus times").record
    step_add(actor=jamie, goal=goal, text="Stay for the first half hour")
    step_update(
        actor=jamie,
        step=first,
        version=first.version,
        done=True,
        how_it_went="Easier than I thought. The 42 goes right past.",
    )
    goal_add(
        actor=jamie,
        relationship=relationship,
        title="Get out for a walk most days",
        why_it_matters="I sleep better when I have been outside.",
    )
    step_suggest(actor=jordan, goal=goal, text="Tell one person at the group your name")
    strength_add(
        actor=jordan,
        relationship=relationship,
        text="You keep going even on the days it feels heavy. That takes real courage.",
    )
    message_send(
        actor=jamie,
        relationship=relationship,
        body="I went to the group! Only for twenty minutes but I went.",
    )
    message_send(
        actor=jordan,
        relationship=relationship,
        body="That is brilliant, Jamie. Twenty minutes is a real start. See you Tuesday.",
    )

    # Wind the clock back: the relationship started five weeks ago.
    shift = timedelta(weeks=WEEKS_IN)
    Relationship.objects.filter(pk=relationship.pk).update(
        started_at=F("started_at") - shift, activated_at=F("activated_at") - shift
    )
    CheckIn.objects.filter(relationship=relationship).update(due_on=F("due_on") - shift)
    first_check_in = CheckIn.objects.filter(relationship=relationship, person="mentee").first()
    assert first_check_in is not None
    check_in_record(
        actor=coordinator,
        check_in=first_check_in,
        method="phone",
        how_it_is_going="Jamie says the sessions feel relaxed and useful.",
        actions="None for now.",
        version=first_check_in.version,
    )

    # Sky and Priya: matched, introduction next Saturday morning.
    sky_relationship = demo_match(world, sky, "mentor.priya", ["Grief"])
    introduction_schedule(
        actor=coordinator,
        relationship=sky_relationship,
        when=_at((5 - timezone.localdate().weekday()) % 7 or 7, 10),
        format="in_person",
        place="Riverside Community Centre café",
        coordinator_present=True,
    )
