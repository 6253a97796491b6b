"""``seed_demo``: a programme of N invented mentees, in plausible proportions, written in bulk.

Small scales (50 and 200 mentees) on SQLite. Proportions are checked in ranges wide enough for
any seed; the exact counts that follow from the scale alone are worked out by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, Organisation, Role, User
from alongside.scale import SeedOptions, seed_programme
from audit.models import AuditEvent
from matching.models import MatchProposal, ProposalStatus
from mentoring.models import (
    Agreement,
    CheckIn,
    EndKind,
    EndReason,
    MentoringSession,
    Relationship,
    RelationshipStatus,
    SessionStatus,
    WellbeingPlan,
)
from outcomes.models import MeasureResponse
from referrals.models import Referral, Status
from safeguarding.models import Alert
from tests.conftest import DASHBOARD_HEADINGS

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PASSWORD = "a-long-test-password"


def seed(scale: int, slug: str = "national", seed: int = 11) -> Organisation:
    options = SeedOptions(scale=scale, slug=slug, seed=seed, password=PASSWORD, now=NOW)
    return seed_programme(options).organisation


@pytest.fixture(scope="module")
def seeded_national(django_db_setup, django_db_blocker):
    """One programme of 200 mentees for the read-only tests of this module, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed(200)
        transaction.set_rollback(True)


@pytest.fixture
def national(seeded_national, db) -> Organisation:
    return seeded_national


def test_people_follow_from_the_scale(national):
    roles = dict(
        Membership.objects.filter(organisation=national)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    # 200 mentees; mentors 200 // 10 = 20; supervisors max(2, 200 // 100) = 2;
    # coordinators max(2, 200 // 2500) = 2; administrators 2.
    assert roles == {
        Role.MENTEE: 200,
        Role.MENTOR: 20,
        Role.SUPERVISOR: 2,
        Role.COORDINATOR: 2,
        Role.ADMIN: 2,
    }
    # One referral per mentee, and round(200 * 0.15) = 30 that never became a mentee.
    referrals = Referral.objects.filter(organisation=national)
    assert referrals.count() == 230
    assert referrals.filter(mentee=None).count() == 30
    assert national.places.count() == 20
    assert national.mentor_profiles.exclude(supervisor=None).count() == 20


def test_referral_outcomes_are_plausible(national):
    referrals = Referral.objects.filter(organisation=national)
    with_account = referrals.exclude(mentee=None)
    matched = with_account.filter(status=Status.MATCHED).count()
    assert 0.75 * 200 <= matched <= 0.92 * 200
    waiting = with_account.filter(status=Status.WAITING)
    assert waiting.exists()
    assert not waiting.filter(waiting_since=None).exists()
    assert set(referrals.filter(mentee=None).values_list("status", flat=True)) <= {
        Status.SIGNPOSTED,
        Status.DECLINED,
        Status.UNABLE_TO_CONTACT,
        Status.WITHDRAWN,
        Status.NEW,
        Status.CONTACTING,
    }
    assert len(set(referrals.values_list("source", flat=True))) >= 4
    # Referrals are spread over more than two years before "now".
    oldest = referrals.order_by("created_at").first()
    assert oldest is not None and (NOW - oldest.created_at).days > 700


def test_every_relationship_belongs_together(national):
    relationships = Relationship.objects.filter(organisation=national)
    assert relationships.count() >= 150
    assert not relationships.exclude(mentor__organisation=national).exists()
    assert not relationships.exclude(referral__organisation=national).exists()
    assert not relationships.exclude(mentee=F("referral__mentee")).exists()
    assert not relationships.exclude(mentee__name=F("referral__full_name")).exists()
    assert not relationships.exclude(referral__status__in=[Status.MATCHED, Status.WAITING]).exists()
    # Each relationship came from one accepted match.
    accepted = MatchProposal.objects.filter(
        organisation=national, status=ProposalStatus.ACCEPTED, relationship__isnull=False
    )
    assert accepted.count() == relationships.count()


def test_check_ins_carry_their_relationships_organisation(national):
    check_ins = CheckIn.objects.filter(relationship__organisation=national)
    assert check_ins.exists()
    assert not check_ins.exclude(organisation=national).exists()


def test_relationship_statuses_are_consistent(national):
    relationships = Relationship.objects.filter(organisation=national)
    ended = relationships.filter(status=RelationshipStatus.ENDED)
    current = relationships.filter(status__in=RelationshipStatus.current())
    assert ended.count() > current.count() > 0
    assert not ended.filter(Q(ended_at=None) | Q(end_kind="") | Q(end_reason="")).exists()
    assert not current.exclude(ended_at=None).exists()
    planned = ended.filter(end_kind=EndKind.PLANNED)
    assert set(planned.values_list("end_reason", flat=True)) <= set(EndReason.planned())
    assert not ended.filter(end_kind=EndKind.UNPLANNED, end_reason__in=EndReason.planned()).exists()
    assert planned.count() > ended.filter(end_kind=EndKind.UNPLANNED).count()
    assert not ended.filter(ended_at__lte=F("started_at")).exists()
    # Nobody is over the capacity of three current mentees.
    loads = current.values("mentor").annotate(n=Count("id")).values_list("n", flat=True)
    assert max(loads) <= 3
    # A planned ending comes with a wellbeing plan.
    assert WellbeingPlan.objects.filter(relationship__in=planned).count() == planned.count()
    assert planned.filter(exit_conversation_held=True).count() >= 0.75 * planned.count()


def test_agreements_and_sessions(national):
    relationships = Relationship.objects.filter(organisation=national)
    activated = relationships.exclude(activated_at=None)
    both = Agreement.objects.filter(
        relationship__in=activated,
        mentor_acknowledged_at__isnull=False,
        mentee_acknowledged_at__isnull=False,
    )
    assert both.count() == activated.count()
    sessions = MentoringSession.objects.filter(relationship__organisation=national)
    assert 7 <= sessions.count() / relationships.count() <= 12
    held = sessions.filter(status=SessionStatus.HELD)
    assert 0.7 <= held.count() / sessions.exclude(status=SessionStatus.PLANNED).count() <= 0.9
    assert not held.filter(length_minutes=None).exists()
    assert not sessions.filter(relationship__activated_at=None).exists()
    assert not sessions.filter(status=SessionStatus.PLANNED, scheduled_for__lte=NOW).exists()


def test_measure_scores_match_the_instruments_rules(national):
    responses = MeasureResponse.objects.filter(organisation=national)
    assert responses.filter(occasion="baseline").count() >= 0.8 * 3 * 150
    # The baseline comes before any relationship; later ones belong to the relationship they
    # were asked in, answered after it began (with its mentor, for the every-six-sessions one).
    assert not responses.filter(occasion="baseline").exclude(relationship=None).exists()
    during = responses.filter(occasion="sessions")
    assert during.exists()
    assert not during.filter(completed_at__lt=F("relationship__activated_at")).exists()
    assert not during.exclude(entered_by=F("relationship__mentor__user")).exists()
    assert not responses.exclude(person=F("request__person")).exists()
    # PHQ-9 bands from its definition: minimal 0-4, mild 5-9, moderate 10-14,
    # moderately severe 15-19, severe 20-27.
    phq9 = responses.filter(instrument__key="phq9")
    for band, low, high in [
        ("minimal", 0, 4),
        ("mild", 5, 9),
        ("moderate", 10, 14),
        ("moderately_severe", 15, 19),
        ("severe", 20, 27),
    ]:
        assert not phq9.filter(total__gte=low, total__lte=high).exclude(band=band).exists()
    # WHO-5's percentage is its raw total times 4.
    who5 = responses.filter(instrument__key="who5")
    assert who5.exists()
    assert not who5.exclude(percentage=F("total") * 4).exists()


def test_alerts_are_a_small_share_and_mostly_acknowledged(national):
    alerts = Alert.objects.filter(organisation=national)
    assert 1 <= alerts.count() <= 0.08 * 200
    assert alerts.exclude(acknowledged_at=None).count() >= 0.6 * alerts.count()
    assert not alerts.filter(due_at__lte=F("created_at")).exists()


def test_one_audit_event_for_the_whole_seeding(national):
    seeded = AuditEvent.objects.get(action="demo.seeded", organisation_id=national.pk)
    assert seeded.metadata["scale"] == 200
    assert seeded.metadata["referrals.Referral"] == 230
    # Setup goes through services (a few dozen events); people's rows are never audited one by one.
    assert AuditEvent.objects.filter(organisation_id=national.pk).count() < 100


def test_the_sign_in_accounts_work(national):
    for role in ("admin", "coordinator", "supervisor", "mentor", "mentee"):
        user = User.objects.get(email=f"{role}@national.example")
        assert user.check_password(PASSWORD)
    assert User.objects.get(email="mentee.000123@national.example").check_password(PASSWORD)

    mentee = Client()
    assert mentee.login(username="mentee@national.example", password=PASSWORD)
    page = mentee.get(reverse("dashboard"))
    assert DASHBOARD_HEADINGS["mentee"] in page.content.decode()

    # Staff sign-in accounts have two-factor authentication set up, so staff pages open.
    coordinator = Client()
    coordinator.force_login(User.objects.get(email="coordinator@national.example"))
    page = coordinator.get(reverse("dashboard"))
    assert page.status_code == 200
    assert DASHBOARD_HEADINGS["coordinator"] in page.content.decode()
    # The sign-in mentee is under way with the sign-in mentor.
    assert Relationship.objects.filter(
        mentee__email="mentee@national.example",
        mentor__user__email="mentor@national.example",
        status=RelationshipStatus.ACTIVE,
    ).exists()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_programme():
    def shape(organisation: Organisation) -> tuple[list[tuple], list[tuple], list[tuple]]:
        referrals = Referral.objects.filter(organisation=organisation).order_by("pk")
        relationships = Relationship.objects.filter(organisation=organisation).order_by("pk")
        sessions = MentoringSession.objects.filter(relationship__organisation=organisation)
        return (
            list(referrals.values_list("status", "source", "created_at", "full_name")),
            list(relationships.values_list("status", "end_reason", "started_at")),
            list(sessions.order_by("pk").values_list("status", "scheduled_for")),
        )

    first, again, other = seed(50, "first"), seed(50, "again"), seed(50, "other", seed=12)
    assert shape(first) == shape(again)
    assert shape(first) != shape(other)


@pytest.mark.django_db
def test_queries_grow_far_slower_than_rows():
    def measure(scale: int, slug: str) -> tuple[int, int]:
        options = SeedOptions(scale=scale, slug=slug, password=PASSWORD, now=NOW)
        with CaptureQueriesContext(connection) as queries:
            result = seed_programme(options)
        return len(queries), result.rows

    small_queries, small_rows = measure(50, "small")
    large_queries, large_rows = measure(200, "large")
    # Bulk inserts: every extra query writes many rows (SQLite takes at most 999 values per
    # INSERT, so about 30 rows of the widest tables); on PostgreSQL, with 2,000 rows an INSERT,
    # four times the mentees may take no extra query at all.
    assert large_rows - small_rows > 5000
    assert large_queries - small_queries <= (large_rows - small_rows) / 20


@pytest.mark.django_db
def test_the_command_refuses_an_organisation_that_exists():
    out = StringIO()
    call_command("seed_demo", "--scale", "20", "--org", "taken", "--password", PASSWORD, stdout=out)
    assert "mentees a minute" in out.getvalue()
    assert "coordinator@taken.example" in out.getvalue()
    people = User.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        call_command("seed_demo", "--scale", "20", "--org", "taken", stdout=StringIO())
    assert User.objects.count() == people


@pytest.mark.django_db
def test_the_command_refuses_a_tiny_scale():
    with pytest.raises(CommandError, match="at least 20"):
        call_command("seed_demo", "--scale", "5", "--org", "tiny", stdout=StringIO())
    assert not Organisation.objects.filter(slug="tiny").exists()
