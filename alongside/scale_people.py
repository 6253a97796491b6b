"""Accounts, memberships and mentors of a seeded programme (see ``alongside.scale``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress

from accounts.models import Language, Membership, Role, User
from alongside.scale_plan import days
from alongside.scale_rows import FORMATS, Context, at_hour, build, email_for, name_for
from mentors.models import (
    BackgroundCheck,
    CheckOutcome,
    CheckType,
    Interview,
    InterviewOutcome,
    MentorApplication,
    MentorProfile,
    Recommendation,
    Reference,
    ReferenceStatus,
    Stage,
    SupervisionKind,
    SupervisionSession,
    TrainingCompletion,
)

# People ------------------------------------------------------------------------------------------


def people(ctx: Context, staff_counts: dict[str, int], mentors: int, mentees: int) -> None:
    """Every account, its verified email address and its membership, in three bulk inserts."""
    rng, now = ctx.rng, ctx.now
    start = now - days(1000)
    wanted: list[tuple[str, str, datetime]] = []  # email, role, joined
    for role, count in staff_counts.items():
        wanted += [(email_for(ctx, role, n, 2), role, start) for n in range(count)]
    for plan in ctx.plan.mentors:
        joined = plan.certified_at - days(60)
        wanted.append((email_for(ctx, Role.MENTOR, plan.index, 5), Role.MENTOR, joined))
    mentee_joined = {j.mentee: j.created for j in ctx.plan.journeys if j.mentee is not None}
    wanted += [
        (email_for(ctx, Role.MENTEE, n, 6), Role.MENTEE, mentee_joined[n] + days(3))
        for n in range(mentees)
    ]
    users = ctx.writer.add(
        User,
        [
            build(
                User,
                email=email,
                name=name_for(rng),
                password=ctx.password_hash,
                date_joined=joined,
            )
            for email, _, joined in wanted
        ],
    )
    ctx.writer.add(
        EmailAddress,
        [
            build(EmailAddress, user_id=user.pk, email=user.email, primary=True, verified=True)
            for user in users
        ],
    )
    left = {plan.index for plan in ctx.plan.mentors if plan.left_at is not None}
    memberships = []
    position = dict.fromkeys(Role.values, 0)
    for user, (_, role, joined) in zip(users, wanted, strict=True):
        number = position[role]
        position[role] += 1
        active = not (role == Role.MENTOR and number in left)
        memberships.append(
            build(
                Membership,
                user_id=user.pk,
                organisation_id=ctx.organisation.pk,
                role=role,
                is_active=active,
                is_data_protection_lead=role == Role.ADMIN and number == 0,
                created_at=joined,
            )
        )
        if role == Role.MENTOR:
            ctx.mentor_users.append(user.pk)
        elif role == Role.MENTEE:
            ctx.mentee_users.append(user.pk)
            ctx.mentee_names.append(user.name)
        else:
            ctx.staff.setdefault(role, []).append(user)
    ctx.writer.add(Membership, memberships)


# Mentors -----------------------------------------------------------------------------------------


def mentors(ctx: Context) -> None:
    """Certified applications (interview, two references, a clear check, every module), profiles
    with a supervisor, and monthly supervision over the last six months, mostly kept."""
    rng, org, writer = ctx.rng, ctx.organisation, ctx.writer
    applications = []
    for plan in ctx.plan.mentors:
        certified = plan.certified_at
        applications.append(
            build(
                MentorApplication,
                organisation_id=org.pk,
                stage=Stage.CERTIFIED,
                stage_entered_at=certified,
                resume_token_hash=ctx.token("application", plan.index),
                user_id=ctx.mentor_users[plan.index],
                full_name=f"Mentor {plan.index}",
                email=email_for(ctx, Role.MENTOR, plan.index, 5),
                formats=list(FORMATS[: 1 + plan.index % 3]),
                area=plan.area,
                consent_to_checks=True,
                consented_at=certified - days(60),
                created_at=certified - days(60),
                updated_at=certified,
                submitted_at=certified - days(60),
                decided_at=certified - days(35),
            )
        )
    applications = writer.add(MentorApplication, applications)
    coordinator = ctx.staff[Role.COORDINATOR][0].pk
    interviews, references, checks, completions = [], [], [], []
    for plan, application in zip(ctx.plan.mentors, applications, strict=True):
        screened = plan.certified_at - days(45)
        interviews.append(
            build(
                Interview,
                application_id=application.pk,
                held_on=(screened - days(7)).date(),
                interviewer_id=coordinator,
                outcome=InterviewOutcome.PASSED,
                recorded_at=screened - days(7),
            )
        )
        # A few mentors were trained with one reference still missing (a compliance gap).
        for n in range(2 if rng.random() > 0.03 else 1):
            references.append(
                build(
                    Reference,
                    application_id=application.pk,
                    referee_name=f"Referee {n + 1}",
                    referee_email=f"referee{n + 1}.{plan.index}@{ctx.slug}.example",
                    relationship="Colleague" if n == 0 else "Volunteer coordinator",
                    status=ReferenceStatus.RECEIVED,
                    token_hash=ctx.token(f"reference{n}", plan.index),
                    requested_at=screened - days(5),
                    expires_at=screened + days(9),
                    received_at=screened,
                    recommendation=Recommendation.YES,
                )
            )
        checks.append(
            build(
                BackgroundCheck,
                application_id=application.pk,
                check_type=CheckType.ENHANCED,
                reference_number=f"{plan.index:012d}",
                checked_on=screened.date(),
                outcome=CheckOutcome.CLEAR,
                recorded_by_id=coordinator,
                recorded_at=screened,
            )
        )
        completions += [
            build(
                TrainingCompletion,
                application_id=application.pk,
                module_id=module.pk,
                completed_at=plan.certified_at - days(30 - 4 * n),
                minutes=module.min_minutes,
            )
            for n, module in enumerate(ctx.modules)
        ]
    writer.add(Interview, interviews)
    writer.add(Reference, references)
    writer.add(BackgroundCheck, checks)
    writer.stream(TrainingCompletion, completions)
    _profiles(ctx, applications)


def _profiles(ctx: Context, applications: list[MentorApplication]) -> None:
    rng, writer = ctx.rng, ctx.writer
    profiles = writer.add(
        MentorProfile,
        [
            build(
                MentorProfile,
                organisation_id=ctx.organisation.pk,
                user_id=ctx.mentor_users[plan.index],
                application_id=application.pk,
                supervisor_id=ctx.supervisor_of(plan.index),
                display_name=name_for(rng),
                bio="I know how hard it can be, and I am glad to walk alongside someone.",
                formats=application.formats,
                area=plan.area,
                travel_km=rng.choice((0, 5, 10, 20)),
                capacity=3,
                is_available=plan.available,
                certified_at=plan.certified_at,
                certified_by_id=ctx.staff[Role.COORDINATOR][0].pk,
                certification_expires_at=plan.expires_at,
            )
            for plan, application in zip(ctx.plan.mentors, applications, strict=True)
        ],
    )
    ctx.mentor_profiles = [profile.pk for profile in profiles]
    areas_through = MentorProfile.lived_experience_areas.through
    writer.add(
        areas_through,
        [
            build(areas_through, mentorprofile_id=profile.pk, supportarea_id=area.pk)
            for n, profile in enumerate(profiles)
            for area in {ctx.areas[n % len(ctx.areas)], rng.choice(ctx.areas)}
        ],
    )
    english = Language.objects.filter(code="en").first()
    if english is not None:
        languages = MentorProfile.languages.through
        writer.add(
            languages,
            [build(languages, mentorprofile_id=p.pk, language_id=english.pk) for p in profiles],
        )
    writer.stream(SupervisionSession, _supervision(ctx))


def _supervision(ctx: Context) -> Iterator[SupervisionSession]:
    rng, today = ctx.rng, ctx.now.date()
    for plan in ctx.plan.mentors:
        if plan.left_at is not None:
            continue
        supervisor = ctx.supervisor_of(plan.index)
        for month in range(6):
            held_on = today - timedelta(days=30 * month + rng.randint(1, 25))
            if rng.random() < 0.85 and held_on > plan.certified_at.date():
                yield build(
                    SupervisionSession,
                    profile_id=ctx.mentor_profiles[plan.index],
                    supervisor_id=supervisor,
                    held_on=held_on,
                    kind=SupervisionKind.GROUP if month % 2 else SupervisionKind.ONE_TO_ONE,
                    recorded_at=at_hour(ctx.now - days((today - held_on).days), 17),
                )
