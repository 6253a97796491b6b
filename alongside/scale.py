"""A realistic, invented programme of N mentees for demos and benchmarks (``seed_demo``).

The organisation's setup (the organisation itself, crisis resources, the outcome measures it
uses, the starter skills, safeguarding leads and their rota) goes through the same services
staff use. Everything about people (accounts, mentors, referrals, relationships, sessions,
measures, alerts...) is planned in ``scale_plan`` and written in bulk by ``scale_rows`` and
``scale_activity``, with one audit event for the whole seeding. See docs/demo-data.md.
"""

from __future__ import annotations

import base64
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, Role, SupportArea
from accounts.services import organisation_create
from alongside import scale_activity, scale_journeys, scale_outcomes, scale_people, scale_rows
from alongside.demo import CRISIS_RESOURCES
from alongside.scale_plan import Planner
from alongside.scale_rows import Context, Progress, Writer
from audit.services import audit_record
from matching.models import Place
from mentors.demo import AREAS, MODULES, QUESTIONS
from mentors.models import InterviewQuestion, TrainingModule
from outcomes.services.scheduling import measure_schedules
from safeguarding.services.crisis import crisis_resource_create
from safeguarding.services.rota import lead_add, shift_add
from toolkit.services.skills import skills_load_starter

DEFAULT_SEED = 11
DEFAULT_SLUG = "national"
MINIMUM_SCALE = 20
# Invented towns, spread over England, with coordinates the matching engine can measure.
PLACES = [
    ("Ashbury", 52.62, -1.13),
    ("Brackenford", 53.80, -1.55),
    ("Calder Bridge", 53.71, -1.86),
    ("Dunmore", 54.57, -1.23),
    ("Eastwick", 51.55, 0.71),
    ("Fernley", 50.72, -3.53),
    ("Greystone", 54.89, -2.93),
    ("Hartwell", 52.41, -1.51),
    ("Ivybridge Vale", 50.37, -4.14),
    ("Kingsmere", 51.45, -2.59),
    ("Larkfield", 53.48, -2.24),
    ("Millbrook", 52.95, -1.15),
    ("Northgate", 53.38, -1.47),
    ("Oakhampton", 51.75, -1.26),
    ("Penford", 52.20, 0.12),
    ("Queensholme", 53.74, -0.33),
    ("Riverside", 51.51, -0.12),
    ("Stanmoor", 52.49, -1.89),
    ("Thornbury Cross", 50.82, -0.14),
    ("Westhaven", 54.97, -1.61),
]
ROTA_DAYS = 14
SHIFT_HOURS = 12


class OrganisationExists(Exception):
    """Seeding never changes an organisation that is already there."""


def default_password() -> str:
    return getattr(settings, "DEMO_PASSWORD", "") or "alongside-demo"


def staff_counts(scale: int) -> dict[str, int]:
    """Two administrators, a coordinator for every 2,500 mentees (at least two), and a
    supervisor for every 100 mentees (at least two), each leading a team of about ten mentors."""
    return {
        Role.ADMIN: 2,
        Role.COORDINATOR: max(2, scale // 2500),
        Role.SUPERVISOR: max(2, scale // 100),
    }


def mentor_count(scale: int) -> int:
    return max(5, scale // 10)


@dataclass(frozen=True)
class SeedOptions:
    scale: int
    slug: str = DEFAULT_SLUG
    name: str = ""
    seed: int = DEFAULT_SEED
    password: str = ""
    batch_size: int = 2000
    # The moment the programme is seen from (tests fix it; the command uses the clock).
    now: datetime | None = None


@dataclass
class SeedResult:
    organisation: Organisation
    counts: dict[str, int]
    accounts: list[tuple[str, str]] = field(default_factory=list)
    totp_secret: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def mentees_per_minute(self, scale: int) -> float:
        return scale / self.seconds * 60 if self.seconds else 0.0


def _quiet(_: str) -> None:
    """Progress goes nowhere unless the caller wants it."""


def _refresh_statistics() -> None:
    """Tell the query planner how big the tables now are. Without fresh statistics (and where
    autovacuum is off or has not run yet) PostgreSQL plans for nearly empty tables, and report
    queries that take a second can take minutes."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def seed_programme(options: SeedOptions, progress: Progress = _quiet) -> SeedResult:
    """Create the organisation ``options.slug`` with a programme of ``options.scale`` mentees,
    in one transaction. The time reported includes the commit, where PostgreSQL checks the
    deferred foreign keys of every row.

    Raises ``OrganisationExists`` if the slug is taken, and ``ValueError`` for a scale below
    ``MINIMUM_SCALE``.
    """
    if options.scale < MINIMUM_SCALE:
        raise ValueError(f"Choose a scale of at least {MINIMUM_SCALE} mentees.")
    started, cpu_started = time.perf_counter(), time.process_time()
    with transaction.atomic():
        if Organisation.objects.filter(slug=options.slug).exists():
            raise OrganisationExists(
                f"An organisation with the slug '{options.slug}' already exists. Choose another "
                "--org, or remove that organisation first: seeding never changes existing data."
            )
        result = _seed(options, progress)
    progress("Committed.")
    _refresh_statistics()
    progress("Table statistics brought up to date (ANALYZE).")
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
    return result


def _seed(options: SeedOptions, progress: Progress) -> SeedResult:
    rng = random.Random(options.seed)  # noqa: S311 - invented data, reproducible by design
    now = options.now or timezone.now()
    writer = Writer(options.batch_size, progress)
    organisation = organisation_create(
        actor=None,
        name=options.name or f"{options.slug.replace('-', ' ').title()} Peer Support",
        slug=options.slug,
    )
    ctx = _setup(organisation, options, rng, now, writer)
    scale = options.scale
    scale_people.people(ctx, staff_counts(scale), mentor_count(scale), scale)
    secret = _sign_in_accounts(ctx)
    scale_people.mentors(ctx)
    scale_journeys.referrals(ctx)
    scale_journeys.relationships(ctx)
    scale_activity.sessions(ctx)
    scale_activity.check_ins(ctx)
    instruments = [schedule.instrument for schedule in measure_schedules(organisation)]
    scale_outcomes.measures(ctx, instruments)
    scale_outcomes.alerts(ctx)
    skills = skills_load_starter(actor=None, organisation=organisation)
    scale_activity.toolkit(ctx, [skill.pk for skill in skills])
    _crisis_resources(organisation)
    _safeguarding_rota(ctx)
    result = SeedResult(
        organisation=organisation,
        counts=dict(writer.counts),
        accounts=_accounts(ctx),
        totp_secret=secret,
    )
    audit_record(
        actor=None,
        action="demo.seeded",
        organisation=organisation,
        target=organisation,
        metadata={
            "scale": options.scale,
            "seed": options.seed,
            "rows": result.rows,
            **result.counts,
        },
    )
    return result


def _setup(
    organisation: Organisation,
    options: SeedOptions,
    rng: random.Random,
    now: datetime,
    writer: Writer,
) -> Context:
    """Support areas, places, interview questions and training modules, and the plan."""
    areas = writer.add(
        SupportArea,
        [
            SupportArea(organisation=organisation, name=name, position=n)
            for n, name in enumerate(AREAS)
        ],
    )
    places = writer.add(
        Place,
        [
            Place(organisation=organisation, name=name, latitude=lat, longitude=lon)
            for name, lat, lon in PLACES
        ],
    )
    writer.add(
        InterviewQuestion,
        [
            InterviewQuestion(organisation=organisation, text=text, position=n)
            for n, text in enumerate(QUESTIONS)
        ],
    )
    modules = writer.add(
        TrainingModule,
        [
            TrainingModule(
                organisation=organisation,
                title=title,
                summary=f"{title}: what it means for you as a mentor.",
                min_minutes=minutes,
                required_before_matching=required,
                delivery=delivery,
                position=n,
            )
            for n, (title, minutes, required, delivery) in enumerate(MODULES)
        ],
    )
    plan = Planner(rng, now, [place.name for place in places]).plan(
        mentees=options.scale,
        mentors=mentor_count(options.scale),
        supervisors=staff_counts(options.scale)[Role.SUPERVISOR],
    )
    return Context(
        organisation=organisation,
        slug=options.slug,
        rng=rng,
        now=now,
        plan=plan,
        writer=writer,
        password_hash=make_password(options.password or default_password()),
        areas=areas,
        places=[place.name for place in places],
        modules=modules,
    )


def _sign_in_accounts(ctx: Context) -> str:
    """The sign-in administrator, coordinator and supervisor have two-factor authentication set
    up with one shared, printed TOTP secret, so staff pages open for them (force_login in a
    benchmark, or a password and a code computed from the secret)."""
    secret = base64.b32encode(ctx.rng.randbytes(20)).decode("ascii")
    for role in (Role.ADMIN, Role.COORDINATOR, Role.SUPERVISOR):
        TOTP.activate(ctx.staff[role][0], secret)
    return secret


def _accounts(ctx: Context) -> list[tuple[str, str]]:
    roles = (Role.ADMIN, Role.COORDINATOR, Role.SUPERVISOR, Role.MENTOR, Role.MENTEE)
    return [(Role(role).label, scale_rows.email_for(ctx, role, 0, 0)) for role in roles]


def _crisis_resources(organisation: Organisation) -> None:
    for resource in CRISIS_RESOURCES:
        crisis_resource_create(actor=None, organisation=organisation, **resource)  # type: ignore[arg-type]


def _safeguarding_rota(ctx: Context) -> None:
    """The sign-in coordinator and supervisor are safeguarding leads, taking turns on duty in
    twelve-hour shifts over the next two weeks."""
    coordinator = ctx.staff[Role.COORDINATOR][0]
    leads = [
        lead_add(actor=coordinator, organisation=ctx.organisation, user=user)
        for user in (ctx.staff[Role.SUPERVISOR][0], coordinator)
    ]
    local = timezone.localtime(ctx.now)
    change = 20 if local.hour >= 20 or local.hour < 8 else 8
    start = local.replace(hour=change, minute=0, second=0, microsecond=0)
    if start > local:
        start -= timedelta(days=1)
    for number in range(ROTA_DAYS * 24 // SHIFT_HOURS):
        begins = start + timedelta(hours=SHIFT_HOURS * number)
        shift_add(
            actor=coordinator,
            organisation=ctx.organisation,
            lead=leads[number % 2],
            starts_at=begins,
            ends_at=begins + timedelta(hours=SHIFT_HOURS),
            now=ctx.now,
        )
