"""The referral, waiting-list and matching figures, and the percentiles they use, checked
against small programmes worked out by hand.

"Now" is frozen at 20 January 2026, 12:00; the period is January 2026 (see
fixtures_programme). Each scenario puts something just outside the period, in another
organisation, or merged, so that counting it by mistake changes the figure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from mentoring.models import EndKind, EndReason
from referrals.models import Referral, Source, Status
from reports import figures_programme
from reports.filters import NOT_SPLIT_BY_TEAM
from reports.stats import percentiles
from reports.tables import WITHHELD
from tests.referrals.factories import ReferralFactory
from tests.reports.fixtures_programme import (
    NOW,
    SINCE,
    UNTIL,
    days_ago,
    jan,
    mentor,
    number,
    place,
    programme_filter,
    referral,
    relationship,
    table_rows,
    withheld,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


# reports.stats.percentiles -----------------------------------------------------------------------


def _years(organisation, *years):
    """Referrals with these years of birth, as rows to take percentiles of."""
    for year in years:
        ReferralFactory(organisation=organisation, year_of_birth=year)
    return Referral.objects.filter(organisation=organisation)


def test_percentiles_of_no_rows_are_none(organisation):
    assert percentiles(Referral.objects.none(), "year_of_birth", [0.5, 0.9]) == (
        0,
        {0.5: None, 0.9: None},
    )


def test_percentiles_of_one_row_are_that_row(organisation):
    rows = _years(organisation, 1980)
    assert percentiles(rows, "year_of_birth", [0.5, 0.9]) == (1, {0.5: 1980, 0.9: 1980})


def test_percentiles_of_two_rows_interpolate(organisation):
    rows = _years(organisation, 1980, 1990)
    # Median: halfway, 1985. 90th: position (2 - 1) * 0.9 = 0.9, so 1980 + 0.9 * 10 = 1989.
    count, found = percentiles(rows, "year_of_birth", [0.5, 0.9])
    assert count == 2
    assert found[0.5] == pytest.approx(1985)
    assert found[0.9] == pytest.approx(1989)


def test_percentiles_of_many_rows_skip_empty_values(organisation):
    # 1968 + (2, 4, 6, 8, 30), and one referral without a year (not counted).
    rows = _years(organisation, 1970, 1998, 1974, None, 1972, 1976)
    count, found = percentiles(rows, "year_of_birth", [0.5, 0.9])
    # Median: the third of five, 1974. 90th: position 4 * 0.9 = 3.6, between 1976 and 1998:
    # 1976 + 0.6 * 22 = 1989.2.
    assert count == 5
    assert found[0.5] == 1974
    assert found[0.9] == pytest.approx(1989.2)


# Referrals ---------------------------------------------------------------------------------------


@pytest.fixture
def referral_programme(organisation, other_organisation):
    """Twelve referrals made in January (5 self, 6 GP, 1 community), six people waiting now.

    In January: 5 self-referrals in Northtown (new, new, contacting, waiting 2 days, waiting 5
    days), 6 from GPs in Southby (5 matched, 1 waiting 10 days), 1 community (declined).
    Made in 2025 and still waiting: 12, 40 and 100 days. Not counted: one made a second before
    the period, one made when it ends, one merged, one in another organisation (waiting 300
    days).
    """
    north = {"area": "Northtown"}
    referral(organisation, created_at=SINCE, **north)  # The period's first moment counts.
    referral(organisation, created_at=jan(3), area="NORTHTOWN")
    referral(organisation, created_at=jan(4), status=Status.CONTACTING, **north)
    for created, waited in ((jan(10), 2), (jan(5), 5)):
        referral(
            organisation,
            created_at=created,
            status=Status.WAITING,
            waiting_since=days_ago(waited),
            **north,
        )
    for day in range(2, 7):
        referral(
            organisation,
            created_at=jan(day),
            source=Source.GP,
            status=Status.MATCHED,
            area="Southby",
        )
    referral(
        organisation,
        created_at=jan(2),
        source=Source.GP,
        status=Status.WAITING,
        waiting_since=days_ago(10),
        area="Southby",
    )
    referral(organisation, created_at=jan(8), source=Source.COMMUNITY, status=Status.DECLINED)
    for waited in (12, 40, 100):
        referral(
            organisation,
            created_at=datetime(2025, 9, 1, tzinfo=UTC),
            source=Source.OTHER,
            status=Status.WAITING,
            waiting_since=days_ago(waited),
            area="Southby",
        )
    referral(organisation, created_at=SINCE - timedelta(seconds=1))
    referral(organisation, created_at=UNTIL)
    referral(organisation, created_at=jan(3), source=Source.GP, status=Status.MERGED)
    referral(
        other_organisation,
        created_at=jan(3),
        status=Status.WAITING,
        waiting_since=days_ago(300),
    )
    return organisation


def test_referrals_are_counted_by_source_and_outcome(referral_programme):
    section = figures_programme.referrals_section(programme_filter(referral_programme))

    assert number(section, "referrals_made") == 12  # 5 + 6 + 1
    # Shares of 12: 5 → 42%, 6 → 50%; the single community referral is withheld, and so is the
    # smallest of the rest (self-referral, 5), or 12 - 5 - 6 would give the 1 away; sources
    # nobody used show 0, not "fewer than 5".
    assert table_rows(section, "referrals_by_source") == {
        "Self-referral": (None, None),
        "GP practice": (6, 50),
        "Clinic or mental health team": (0, 0),
        "Support group": (0, 0),
        "Community organisation": (None, None),
        "Other": (0, 0),
    }
    # Still open: new 2 + contacting 1 + waiting 3 = 6 (50%); matched 5 (withheld with the
    # declined 1, the smallest of the rest).
    assert table_rows(section, "referrals_by_outcome") == {
        "Still open": (6, 50),
        "Matched": (None, None),
        "Signposted elsewhere": (0, 0),
        "Declined": (None, None),
        "Unable to contact": (0, 0),
        "Withdrawn": (0, 0),
    }
    assert section.filter_note == ""


def test_waiting_list_is_as_it_stands_now(referral_programme):
    section = figures_programme.referrals_section(programme_filter(referral_programme))

    # Waiting 2, 5, 10, 12, 40 and 100 days: the median is (10 + 12) / 2 = 11.
    assert number(section, "waiting_now") == 6
    assert number(section, "longest_wait_days") == 100
    assert number(section, "median_wait_days") == 11
    assert section.headline("median_wait_days").value.text == "11.0 days"


def test_referrals_in_an_area_withhold_a_short_waiting_list(referral_programme):
    northtown = place(referral_programme, "Northtown")
    section = figures_programme.referrals_section(
        programme_filter(referral_programme, area=northtown)
    )

    # The five self-referrals in Northtown (one written in capitals), two of them waiting.
    assert number(section, "referrals_made") == 5
    assert table_rows(section, "referrals_by_source")["Self-referral"] == (5, 100)
    assert table_rows(section, "referrals_by_source")["GP practice"] == (0, 0)
    assert all(
        withheld(section, key) for key in ("waiting_now", "longest_wait_days", "median_wait_days")
    )
    assert section.headline("waiting_now").value.text == WITHHELD


def test_referrals_are_not_split_by_team_and_say_so(referral_programme, supervisor):
    section = figures_programme.referrals_section(
        programme_filter(referral_programme, team=supervisor)
    )

    assert number(section, "referrals_made") == 12
    assert number(section, "waiting_now") == 6
    assert section.filter_note == NOT_SPLIT_BY_TEAM


# Matching ----------------------------------------------------------------------------------------


@pytest.fixture
def first_matches(organisation, other_organisation):
    """Five people matched on 15 January, 2, 4, 6, 8 and 30 days after being referred.

    Not counted: a second relationship for someone first matched in December (rematched on 5
    January, 72 days after their referral), and a match in another organisation (1 day)."""
    mentor_profile = mentor(organisation)
    for days in (2, 4, 6, 8, 30):
        relationship(mentor_profile, started_at=jan(15), referred_at=jan(15) - timedelta(days))
    first = relationship(
        mentor_profile,
        referred_at=datetime(2025, 11, 1, 12, tzinfo=UTC),
        started_at=datetime(2025, 12, 1, tzinfo=UTC),
        ended_at=jan(5),
        end_kind=EndKind.UNPLANNED,
        end_reason=EndReason.REMATCH,
    )
    relationship(mentor_profile, for_referral=first.referral, started_at=jan(12))
    relationship(mentor(other_organisation), started_at=jan(15))
    return organisation


def test_time_to_match_counts_each_referrals_first_match(first_matches):
    section = figures_programme.matching_section(programme_filter(first_matches))

    # 2, 4, 6, 8, 30 days: median 6; 90th percentile at position 4 * 0.9 = 3.6, between 8 and
    # 30: 8 + 0.6 * (30 - 8) = 21.2.
    assert number(section, "first_matches") == 5
    assert number(section, "median_days_to_match") == 6
    assert number(section, "p90_days_to_match") == 21.2
    # One relationship ended in January (the rematch): 1 of 1 is withheld.
    assert withheld(section, "rematch_rate")


def test_time_to_match_for_fewer_than_five_people_is_withheld(first_matches, supervisor):
    team_mentor = mentor(first_matches, supervisor=supervisor)
    relationship(team_mentor, started_at=jan(16), referred_at=jan(6))
    section = figures_programme.matching_section(programme_filter(first_matches, team=supervisor))

    assert withheld(section, "first_matches")
    assert withheld(section, "median_days_to_match")
    assert withheld(section, "p90_days_to_match")
