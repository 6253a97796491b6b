"""Practice-standard compliance, checked against small programmes worked out by hand.

Every test reports on the first quarter of 2026 (1 January to 31 March), which has ended, so
the standards are judged at the period end: 1 April 2026 00:00 in London, "day" 31 March.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count

import pytest
from django.utils import timezone

from accounts.models import Role
from matching.models import Place
from mentoring.models import (
    CheckInKind,
    CheckInPerson,
    CheckInStatus,
    EndKind,
    EndReason,
    RelationshipStatus,
    WellbeingPlan,
)
from mentors.models import (
    BackgroundCheck,
    CheckOutcome,
    CheckType,
    Interview,
    InterviewOutcome,
    MentorProgrammeSettings,
    Reference,
    ReferenceStatus,
    SupervisionKind,
    SupervisionSession,
    TrainingCompletion,
)
from reports.compliance import STANDARD_KEYS, compliance_report, standard_gaps
from reports.filters import Period, ReportFilter
from tests.conftest import make_member
from tests.factories import UserFactory
from tests.matching.factories import RelationshipFactory
from tests.mentoring.factories import AgreementFactory, CheckInFactory
from tests.mentors.factories import MentorProfileFactory, TrainingModuleFactory
from tests.referrals.factories import ReferralFactory

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
numbers = count()


def at(month: int, day: int, year: int = 2026) -> datetime:
    """Noon on the day, in the site's time zone."""
    return timezone.make_aware(datetime(year, month, day, 12))


def report(organisation, **slice_) -> dict[str, tuple[int, int]]:
    """Each standard's (met, of)."""
    made = compliance_report(ReportFilter(organisation, Q1, **slice_))
    return {standard.key: (standard.met, standard.of) for standard in made.standards}


def gaps(organisation, key: str, **slice_) -> list[tuple[str, str]]:
    made = compliance_report(ReportFilter(organisation, Q1, **slice_)).standard(key)
    return [(gap.label, gap.detail) for gap in made.gaps]


def mentor(organisation, name: str, **fields):
    return MentorProfileFactory(
        organisation=organisation, user=UserFactory(name=name), display_name=name, **fields
    )


def pair(organisation, mentor_profile, mentee_first_name: str, **fields):
    referral = ReferralFactory(
        organisation=organisation,
        full_name=f"{mentee_first_name} Example",
        area=fields.pop("area", ""),
        mentee=UserFactory(),
    )
    fields.setdefault("started_at", at(1, 1) - timedelta(days=7))
    return RelationshipFactory(referral=referral, mentor=mentor_profile, **fields)


def active(organisation, mentor_profile, mentee_first_name: str, activated_at, **fields):
    fields.setdefault("started_at", activated_at - timedelta(days=7))
    fields.setdefault("status", RelationshipStatus.ACTIVE)
    return pair(
        organisation, mentor_profile, mentee_first_name, activated_at=activated_at, **fields
    )


def trained(profile, module, completed_at, minutes: int = 60) -> None:
    TrainingCompletion.objects.create(
        application=profile.application, module=module, completed_at=completed_at, minutes=minutes
    )


def interviewed(profile, recorded_at, outcome=InterviewOutcome.PASSED) -> None:
    Interview.objects.create(
        application=profile.application,
        held_on=recorded_at.date(),
        outcome=outcome,
        recorded_at=recorded_at,
    )


def referenced(profile, received_at) -> None:
    number = next(numbers)
    Reference.objects.create(
        application=profile.application,
        referee_name=f"Referee {number}",
        referee_email=f"referee{number}@example.org",
        relationship="Former manager",
        status=ReferenceStatus.RECEIVED,
        token_hash=f"reference-token-{number}",
        requested_at=received_at - timedelta(days=3),
        expires_at=received_at + timedelta(days=11),
        received_at=received_at,
    )


def checked(profile, recorded_at, outcome=CheckOutcome.CLEAR) -> None:
    BackgroundCheck.objects.create(
        application=profile.application,
        check_type=CheckType.ENHANCED,
        reference_number=f"00123{next(numbers)}",
        checked_on=recorded_at.date(),
        outcome=outcome,
        recorded_at=recorded_at,
    )


def screened(profile, before) -> None:
    """Interview, two references and a clear check, all the week before ``before``."""
    interviewed(profile, before - timedelta(days=7))
    referenced(profile, before - timedelta(days=6))
    referenced(profile, before - timedelta(days=5))
    checked(profile, before - timedelta(days=4))


def supervised(profile, held_on: date) -> None:
    SupervisionSession.objects.create(
        profile=profile, held_on=held_on, kind=SupervisionKind.ONE_TO_ONE
    )


def check_in(relationship, person, due_on: date, done_at=None, **fields) -> None:
    status = CheckInStatus.DONE if done_at else CheckInStatus.DUE
    CheckInFactory(
        relationship=relationship,
        person=person,
        due_on=due_on,
        status=fields.pop("status", status),
        done_at=done_at,
        **fields,
    )


def first_month_done(relationship) -> None:
    """All four first-month check-ins done on the day they were due (days 14 and 28)."""
    start = relationship.activated_at
    for person in CheckInPerson:
        for days in (14, 28):
            check_in(
                relationship,
                person,
                (start + timedelta(days=days)).date(),
                start + timedelta(days=days),
            )


def agreement(relationship, version: int, created_at, mentor_at=None, mentee_at=None) -> None:
    AgreementFactory(
        relationship=relationship,
        version=version,
        created_at=created_at,
        mentor_acknowledged_at=mentor_at,
        mentee_acknowledged_at=mentee_at,
    )


def ended(organisation, profile, mentee_first_name, ended_at, *, kind=EndKind.PLANNED, **fields):
    return pair(
        organisation,
        profile,
        mentee_first_name,
        status=RelationshipStatus.ENDED,
        activated_at=ended_at - timedelta(days=120),
        started_at=ended_at - timedelta(days=127),
        ended_at=ended_at,
        end_kind=kind,
        end_reason=EndReason.GOALS_MET if kind == EndKind.PLANNED else EndReason.MOVED_AWAY,
        **fields,
    )


@pytest.fixture
def settings_(organisation):
    return MentorProgrammeSettings.objects.create(
        organisation=organisation, min_training_minutes=120, supervision_interval_days=30
    )


@pytest.fixture
def module(organisation):
    return TrainingModuleFactory(organisation=organisation, title="Role and boundaries")


# 1. Screening complete before training --------------------------------------------------------


def test_screening_counts_mentors_whose_training_began_in_the_period(
    organisation, other_organisation, module
):
    ada = mentor(organisation, "Ada")  # everything the week before training: met
    screened(ada, at(1, 10))
    trained(ada, module, at(1, 10))
    ben = mentor(organisation, "Ben")  # second reference came after training began: gap
    interviewed(ben, at(2, 1))
    referenced(ben, at(2, 2))
    referenced(ben, at(2, 15))
    checked(ben, at(2, 3))
    trained(ben, module, at(2, 10))
    cleo = mentor(organisation, "Cleo")  # no interview, only a check with a disclosure: gap
    referenced(cleo, at(2, 20))
    referenced(cleo, at(2, 21))
    checked(cleo, at(2, 22), outcome=CheckOutcome.INFORMATION_DISCLOSED)
    trained(cleo, module, at(3, 1))
    dev = mentor(organisation, "Dev")  # first training before the period: not counted
    trained(dev, module, at(12, 20, year=2025))
    fay = mentor(organisation, "Fay")  # found unsuitable at interview, trained anyway: gap
    interviewed(fay, at(3, 1), outcome=InterviewOutcome.NOT_SUITABLE)
    referenced(fay, at(3, 2))
    referenced(fay, at(3, 3))
    checked(fay, at(3, 4))
    trained(fay, module, at(3, 10))
    elsewhere = mentor(other_organisation, "Elsie")  # another organisation: not counted
    trained(elsewhere, TrainingModuleFactory(organisation=other_organisation), at(2, 1))

    # Counted: Ada, Ben, Cleo, Fay (4); met: Ada (1).
    assert report(organisation)["screening_before_training"] == (1, 4)
    assert gaps(organisation, "screening_before_training") == [
        ("Ben", "Training began 10 February 2026 without 1 more reference."),
        ("Cleo", "Training began 1 March 2026 without the interview and a clear background check."),
        ("Fay", "Training began 10 March 2026 without the interview."),
    ]


# 2. Required training before the first match ---------------------------------------------------


def test_training_needs_the_minutes_and_required_modules_before_the_first_match(
    organisation, settings_
):
    required = [TrainingModuleFactory(organisation=organisation) for _ in range(2)]
    optional = TrainingModuleFactory(organisation=organisation, required_before_matching=False)
    retired = TrainingModuleFactory(organisation=organisation, is_active=False)
    # Required now: the two active required modules; 120 minutes (settings_).
    ada = mentor(organisation, "Ada")  # 60 + 60 = 120 minutes, 2 of 2 required: met
    trained(ada, required[0], at(1, 5))
    trained(ada, required[1], at(1, 6))
    pair(organisation, ada, "Sam", started_at=at(2, 1))
    ben = mentor(organisation, "Ben")  # 60 + 90 + 60 = 210 minutes but 1 of 2 required: gap
    trained(ben, required[0], at(1, 5))
    trained(ben, optional, at(1, 6), minutes=90)
    trained(ben, retired, at(1, 7))
    pair(organisation, ben, "Kit", started_at=at(2, 1))
    cleo = mentor(organisation, "Cleo")  # second module after the first match: 60, 1 of 2
    trained(cleo, required[0], at(1, 5))
    trained(cleo, required[1], at(3, 10))
    pair(organisation, cleo, "Lou", started_at=at(3, 1))
    pair(organisation, cleo, "Mo", started_at=at(4, 1))
    dev = mentor(organisation, "Dev")  # first match before the period: not counted
    pair(organisation, dev, "Ned", started_at=at(12, 1, year=2025))
    pair(organisation, dev, "Oz", started_at=at(2, 1))
    mentor(organisation, "Eve")  # never matched: not counted

    # Counted: Ada, Ben, Cleo (3); met: Ada (1).
    assert report(organisation)["training_before_first_match"] == (1, 3)
    assert gaps(organisation, "training_before_first_match") == [
        (
            "Ben",
            "First matched 1 February 2026 with 3 h 30 min of 2 h training and 1 of 2 "
            "required modules done.",
        ),
        (
            "Cleo",
            "First matched 1 March 2026 with 1 h of 2 h training and 1 of 2 required modules done.",
        ),
    ]


# 3. Supervision at the set interval -------------------------------------------------------------


def test_supervision_within_the_interval_before_the_period_end(organisation, settings_):
    # Interval 30 days before 31 March: a session on or after 1 March counts.
    ada = mentor(organisation, "Ada")
    pair(organisation, ada, "Sam")
    supervised(ada, date(2026, 3, 1))  # exactly 30 days before: met
    ben = mentor(organisation, "Ben")
    pair(organisation, ben, "Kit")
    supervised(ben, date(2026, 2, 28))  # 31 days before: gap
    cleo = mentor(organisation, "Cleo")
    pair(organisation, cleo, "Lou")
    supervised(cleo, date(2026, 4, 5))  # only after the period: gap
    dev = mentor(organisation, "Dev")  # relationship ended before the period end: not counted
    pair(organisation, dev, "Ned", status=RelationshipStatus.ENDED, ended_at=at(3, 15))
    eve = mentor(organisation, "Eve")  # first relationship after the period: not counted
    pair(organisation, eve, "Oz", started_at=at(4, 5))
    fay = mentor(organisation, "Fay")  # one ended, one current; supervised 20 March: met
    pair(organisation, fay, "Pat", status=RelationshipStatus.ENDED, ended_at=at(2, 1))
    pair(organisation, fay, "Ros", started_at=at(2, 10))
    supervised(fay, date(2026, 3, 20))

    # Counted: Ada, Ben, Cleo, Fay (4); met: Ada, Fay (2).
    assert report(organisation)["supervision_interval"] == (2, 4)
    assert gaps(organisation, "supervision_interval") == [
        ("Ben", "Last supervision 28 February 2026 (31 days before the period end)."),
        ("Cleo", "No supervision recorded before the period end."),
    ]


def test_supervision_by_team_counts_only_that_supervisors_mentors(
    organisation, settings_, supervisor
):
    ada = mentor(organisation, "Ada", supervisor=supervisor)
    pair(organisation, ada, "Sam")
    ben = mentor(organisation, "Ben")
    pair(organisation, ben, "Kit")
    supervised(ben, date(2026, 3, 20))

    assert report(organisation)["supervision_interval"] == (1, 2)
    # Team: Ada only, never supervised.
    assert report(organisation, team=supervisor)["supervision_interval"] == (0, 1)


# 4. Coordinator check-ins -----------------------------------------------------------------------


def test_check_ins_twice_in_the_first_month_then_none_overdue(organisation, other_organisation):
    # Overdue: due before 24 March (31 March less 7 days' grace) and not done by 1 April 00:00.
    # First month counted for pairs activated on or before 23 February (1 April less 37 days).
    one = active(organisation, mentor(organisation, "Ada"), "Sam", at(1, 1))
    first_month_done(one)
    check_in(one, CheckInPerson.MENTEE, date(2026, 3, 24))  # due, within the grace: fine
    check_in(one, CheckInPerson.MENTEE, date(2026, 2, 1), kind=CheckInKind.FOLLOW_UP)  # ignored
    # -> met

    two = active(organisation, mentor(organisation, "Ben"), "Kit", at(1, 1))
    for person in CheckInPerson:
        check_in(two, person, date(2026, 1, 15), at(1, 15))
    check_in(two, CheckInPerson.MENTOR, date(2026, 1, 29), at(1, 29))
    check_in(two, CheckInPerson.MENTEE, date(2026, 1, 29), at(2, 20))  # day 50: too late
    # -> gap: 1 of 2 with the mentee in the first month

    three = active(organisation, mentor(organisation, "Cleo"), "Lou", at(3, 10))
    check_in(three, CheckInPerson.MENTOR, date(2026, 3, 24))  # not yet a month: fine
    # -> met

    four = active(organisation, mentor(organisation, "Dev"), "Ned", at(2, 1))
    first_month_done(four)
    check_in(four, CheckInPerson.MENTOR, date(2026, 3, 20), at(4, 5))  # done after the end
    # -> gap: 1 overdue, due 20 March

    eight = active(
        organisation,
        mentor(organisation, "Fay"),
        "Pat",
        at(1, 1),
        status=RelationshipStatus.ENDED,
        ended_at=at(4, 5),
    )
    first_month_done(eight)
    check_in(eight, CheckInPerson.MENTEE, date(2026, 3, 1), status=CheckInStatus.NOT_NEEDED)
    # -> gap: undone at the period end (dropped only when the pair ended on 5 April)

    ended_before = active(
        organisation,
        mentor(organisation, "Gus"),
        "Ros",
        at(9, 1, year=2025),
        status=RelationshipStatus.ENDED,
        ended_at=at(12, 20, year=2025),
    )
    check_in(ended_before, CheckInPerson.MENTOR, date(2025, 10, 1))  # not counted
    pair(organisation, mentor(organisation, "Hal"), "Tam")  # introduction only: not counted
    active(organisation, mentor(organisation, "Ivy"), "Uma", at(4, 5))  # after: not counted
    elsewhere = active(other_organisation, mentor(other_organisation, "Elsie"), "Val", at(1, 1))
    check_in(elsewhere, CheckInPerson.MENTOR, date(2026, 1, 15))  # other organisation

    # Counted: Ada, Ben, Cleo, Dev, Fay (5); met: Ada, Cleo (2).
    assert report(organisation)["check_ins"] == (2, 5)
    assert gaps(organisation, "check_ins") == [
        (
            "Ben mentoring Kit",
            "First month: 2 of 2 check-ins with the mentor, 1 of 2 with the mentee.",
        ),
        (
            "Dev mentoring Ned",
            "1 check-in overdue at the period end, the oldest due 20 March 2026.",
        ),
        ("Fay mentoring Pat", "1 check-in overdue at the period end, the oldest due 1 March 2026."),
    ]


# 5. Agreement signed ----------------------------------------------------------------------------


def test_agreement_newest_version_acknowledged_by_both(organisation):
    one = active(organisation, mentor(organisation, "Ada"), "Sam", at(1, 1))
    agreement(one, 1, at(1, 1), at(1, 1), at(1, 1))  # met
    two = active(organisation, mentor(organisation, "Ben"), "Kit", at(1, 1))
    agreement(two, 1, at(1, 1), at(1, 1), at(1, 1))
    agreement(two, 2, at(3, 10), mentor_at=at(3, 11))  # gap: the mentee has not
    three = active(organisation, mentor(organisation, "Cleo"), "Lou", at(1, 1))
    agreement(three, 1, at(1, 1), at(1, 1), at(1, 1))
    agreement(three, 2, at(4, 5))  # made after the period end: version 1 counts, met
    four = active(organisation, mentor(organisation, "Dev"), "Ned", at(1, 1))
    agreement(four, 1, at(1, 1), mentor_at=at(4, 3))  # gap: neither by the period end
    active(organisation, mentor(organisation, "Eve"), "Oz", at(2, 1))  # gap: no agreement
    pair(organisation, mentor(organisation, "Fay"), "Pat")  # introduction: not counted

    # Counted: Ada, Ben, Cleo, Dev, Eve (5); met: Ada, Cleo (2).
    assert report(organisation)["agreement_signed"] == (2, 5)
    assert gaps(organisation, "agreement_signed") == [
        (
            "Ben mentoring Kit",
            "Version 2 (made 10 March 2026) not acknowledged by the mentee at the period end.",
        ),
        (
            "Dev mentoring Ned",
            "Version 1 (made 1 January 2026) not acknowledged by the mentor and the mentee "
            "at the period end.",
        ),
        ("Eve mentoring Oz", "No agreement recorded."),
    ]


# 6. Closure -------------------------------------------------------------------------------------


def test_closure_of_planned_endings_in_the_period(organisation):
    one = ended(organisation, mentor(organisation, "Ada"), "Sam", at(2, 10))
    one.exit_conversation_held = True
    one.save()
    WellbeingPlan.objects.create(relationship=one, ready_at=at(2, 1))  # met
    two = ended(organisation, mentor(organisation, "Ben"), "Kit", at(2, 20))
    two.exit_conversation_held = True
    two.save()
    WellbeingPlan.objects.create(relationship=two)  # gap: plan not ready
    ended(organisation, mentor(organisation, "Cleo"), "Lou", at(3, 1))  # gap: neither
    ended(organisation, mentor(organisation, "Dev"), "Ned", at(2, 5), kind=EndKind.UNPLANNED)
    ended(organisation, mentor(organisation, "Eve"), "Oz", at(4, 10))  # after the period

    # Counted: Ada, Ben, Cleo (3); met: Ada (1).
    assert report(organisation)["closure"] == (1, 3)
    assert gaps(organisation, "closure") == [
        ("Ben mentoring Kit", "Ended 20 February 2026: the wellbeing plan was not marked ready."),
        (
            "Cleo mentoring Lou",
            "Ended 1 March 2026: no exit conversation recorded and the wellbeing plan was not "
            "marked ready.",
        ),
    ]


def test_closure_by_area_counts_only_mentees_living_there(organisation):
    leeds = Place.objects.create(
        organisation=organisation, name="Leeds", latitude=53.8, longitude=-1.55
    )
    ended(organisation, mentor(organisation, "Ada"), "Sam", at(2, 10), area="leeds")
    ended(organisation, mentor(organisation, "Ben"), "Kit", at(2, 20), area="York")

    assert report(organisation)["closure"] == (0, 2)
    assert report(organisation, area=leeds)["closure"] == (0, 1)
    assert gaps(organisation, "closure", area=leeds)[0][0] == "Ada mentoring Sam"


# Links, paging and the number of queries --------------------------------------------------------


def test_each_gap_links_to_the_record_to_put_right(organisation, settings_, module):
    ben = mentor(organisation, "Ben")
    trained(ben, module, at(2, 10))
    relationship = active(organisation, ben, "Kit", at(1, 1))
    made = compliance_report(ReportFilter(organisation, Q1))

    assert made.standard("screening_before_training").gaps[0].url == (
        f"/mentors/applicants/{ben.application_id}/"
    )
    assert made.standard("supervision_interval").gaps[0].url == (
        f"/mentors/supervision/mentors/{ben.pk}/"
    )
    assert made.standard("check_ins").gaps[0].url == (f"/mentoring/{relationship.pk}/check-ins/")
    assert (
        made.standard("agreement_signed").gaps[0].url == f"/mentoring/{relationship.pk}/agreement/"
    )


def test_standard_gaps_pages_through_every_gap_in_name_order(organisation, settings_):
    for name in ["Cleo", "Ada", "Ben"]:
        pair(organisation, mentor(organisation, name), "Sam")  # none supervised: 3 gaps

    standard, page = standard_gaps(
        ReportFilter(organisation, Q1), "supervision_interval", offset=1, limit=1
    )

    assert (standard.met, standard.of, standard.gaps_total) == (0, 3, 3)
    assert [gap.label for gap in page] == ["Ben"]


def test_a_period_not_yet_ended_is_judged_today(organisation, settings_):
    today = timezone.localdate()
    ada = mentor(organisation, "Ada")
    pair(organisation, ada, "Sam", started_at=timezone.now() - timedelta(days=100))
    supervised(ada, today - timedelta(days=40))
    this_year = Period(today - timedelta(days=364), today)

    made = compliance_report(ReportFilter(organisation, this_year)).standard("supervision_interval")

    assert made.gaps[0].detail == (
        f"Last supervision {(today - timedelta(days=40)):%-d %B %Y} (40 days before today)."
    )


def _programme(organisation, copies: int) -> None:
    """Gaps for every standard, ``copies`` times over: each copy has one gap for each mentor
    standard and for closure, and two for check-ins and agreements (both pairs were active)."""
    module = TrainingModuleFactory(organisation=organisation)
    for number in range(copies):
        profile = mentor(organisation, f"Mentor {number}")
        trained(profile, module, at(1, 10))  # unscreened, and after the first match
        relationship = active(organisation, profile, "Sam", at(1, 2), started_at=at(1, 1))
        agreement(relationship, 1, at(1, 2), mentor_at=at(1, 2))
        ended(organisation, mentor(organisation, f"Closer {number}"), "Kit", at(2, 1))


@pytest.mark.parametrize("copies", [1, 6])
def test_the_report_takes_the_same_number_of_queries_however_big(
    organisation, settings_, copies, django_assert_num_queries
):
    _programme(organisation, copies)
    # Settings and required modules (2), then each of 6 standards counted and its gaps read (12).
    with django_assert_num_queries(14):
        made = compliance_report(ReportFilter(organisation, Q1))
    assert [standard.gaps_total for standard in made.standards] == [
        copies,
        copies,
        copies,
        2 * copies,
        2 * copies,
        copies,
    ]
    assert [standard.key for standard in made.standards] == list(STANDARD_KEYS)


@pytest.mark.parametrize("copies", [1, 6])
def test_one_standards_gaps_take_the_same_number_of_queries(
    organisation, settings_, copies, django_assert_num_queries
):
    _programme(organisation, copies)
    with django_assert_num_queries(4):
        standard_gaps(ReportFilter(organisation, Q1), "check_ins", offset=0, limit=50)


def test_a_mentor_of_another_organisation_never_counts(other_organisation, organisation, settings_):
    coordinator_elsewhere = make_member(other_organisation, Role.COORDINATOR, "c@elsewhere.example")
    assert coordinator_elsewhere.pk
    _programme(other_organisation, 2)

    assert set(report(organisation).values()) == {(0, 0)}
