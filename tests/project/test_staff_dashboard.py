"""The coordinator's and administrator's home pages: the programme counts are kept for a minute
per organisation and the page says when they were worked out; safeguarding alerts, urgent
referrals and the duty rota are always current."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mentoring.dashboard import StaffSummary, staff_summary
from mentoring.models import CheckInStatus, RelationshipStatus
from referrals.dashboard import urgent_referral_count
from referrals.models import Status, Urgency
from safeguarding.models import AlertLevel, DutyShift
from tests.matching.factories import RelationshipFactory
from tests.mentoring.factories import CheckInFactory
from tests.referrals.factories import ReferralFactory
from tests.safeguarding.fixtures import raise_for

pytestmark = pytest.mark.django_db

# Before the clocks change, so London time reads as UTC on the page.
MORNING = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def test_staff_summary_counts_current_relationships_check_ins_and_missed_sessions(
    organisation, other_organisation
):
    today = timezone.localdate()
    now = timezone.now()
    RelationshipFactory(referral__organisation=organisation)
    active = RelationshipFactory(
        referral__organisation=organisation, status=RelationshipStatus.ACTIVE, missed_alert_at=now
    )
    RelationshipFactory(referral__organisation=organisation, status=RelationshipStatus.CLOSING)
    ended = RelationshipFactory(
        referral__organisation=organisation,
        status=RelationshipStatus.ENDED,
        ended_at=now,
        missed_alert_at=now,
    )
    elsewhere = RelationshipFactory(
        referral__organisation=other_organisation,
        status=RelationshipStatus.ACTIVE,
        missed_alert_at=now,
    )
    for days in (-1, 0, 7, 8):
        CheckInFactory(relationship=active, due_on=today + timedelta(days=days))
    CheckInFactory(relationship=active, due_on=today - timedelta(days=5), status=CheckInStatus.DONE)
    CheckInFactory(relationship=ended, due_on=today - timedelta(days=3))
    CheckInFactory(relationship=elsewhere, due_on=today - timedelta(days=1))

    assert staff_summary(organisation) == StaffSummary(
        introductions=1,
        active=1,
        closing=1,
        check_ins_overdue=2,
        check_ins_this_week=2,
        open_concerns=0,
        missed_alerts=1,
    )


def test_urgent_referrals_are_those_still_waiting_for_triage(organisation, other_organisation):
    for status in (Status.NEW, Status.CONTACTING, Status.INTAKE, Status.WAITING):
        ReferralFactory(organisation=organisation, status=status, urgency=Urgency.URGENT)
    ReferralFactory(organisation=organisation)
    ReferralFactory(organisation=other_organisation, urgency=Urgency.URGENT)
    assert urgent_referral_count(organisation) == 3


def test_programme_counts_are_kept_a_minute_and_the_page_says_when_they_were_worked_out(
    client_for, coordinator, organisation
):
    ReferralFactory(organisation=organisation)
    client = client_for(coordinator)
    with time_machine.travel(MORNING, tick=False):
        client.get(reverse("dashboard"))
        ReferralFactory(organisation=organisation)
    with time_machine.travel(MORNING + timedelta(seconds=59), tick=False):
        kept = client.get(reverse("dashboard"))
    with time_machine.travel(MORNING + timedelta(seconds=61), tick=False):
        fresh = client.get(reverse("dashboard"))
    assert kept.context["referrals"].new == 1
    assert "Figures below as of 10:00, worked out again each minute." in text(kept)
    assert fresh.context["referrals"].new == 2
    assert "Figures below as of 10:01" in text(fresh)


def test_kept_counts_belong_to_their_own_organisation(
    client_for, coordinator, admin, other_org_coordinator, organisation, other_organisation
):
    ReferralFactory(organisation=organisation)
    for _ in range(3):
        ReferralFactory(organisation=other_organisation)
    with time_machine.travel(MORNING, tick=False):
        ours = client_for(coordinator).get(reverse("dashboard"))
        theirs = client_for(other_org_coordinator).get(reverse("dashboard"))
        our_admin = client_for(admin).get(reverse("dashboard"))
    assert ours.context["referrals"].new == 1
    assert theirs.context["referrals"].new == 3
    assert our_admin.context["referrals"].new == 1
    assert dict(theirs.context["role_counts"])["Coordinators"] == 1


def test_alerts_urgent_referrals_and_the_duty_rota_are_always_current(
    client_for, coordinator, organisation, active_relationship, duty_lead
):
    client = client_for(coordinator)
    before = client.get(reverse("dashboard"))
    raise_for(active_relationship, level=AlertLevel.URGENT)
    ReferralFactory(organisation=organisation, urgency=Urgency.URGENT)
    DutyShift.objects.filter(organisation=organisation).delete()
    after = client.get(reverse("dashboard"))
    assert before.context["alerts_waiting"]["total"] == 0
    assert before.context["urgent_referrals"] == 0
    assert not before.context["nobody_on_duty"]
    assert after.context["alerts_waiting"]["urgent"] == 1
    assert after.context["urgent_referrals"] == 1
    assert "<strong>1 urgent</strong> referral needs contact today" in text(after)
    assert after.context["nobody_on_duty"]


@pytest.mark.parametrize(("role", "queries"), [("coordinator", 8), ("admin", 9)])
def test_a_second_visit_runs_only_the_live_queries(
    role, queries, request, client_for, django_assert_num_queries
):
    """The session, the person, their membership and two-factor check; urgent referrals,
    alerts waiting, the duty rota and the urgent-alert banner; the crisis resources for an
    administrator."""
    client = client_for(request.getfixturevalue(role))
    client.get(reverse("dashboard"))
    with django_assert_num_queries(queries):
        assert client.get(reverse("dashboard")).status_code == 200


def test_the_home_page_counts_long_waits_in_whole_days_as_the_waiting_list_does(
    organisation, coordinator, client_for
):
    """42 days and some hours is not over 42 days on either page; 43 days is, on both."""
    now = timezone.now()
    for days in (42.5, 43, 60):
        ReferralFactory(
            organisation=organisation,
            status=Status.WAITING,
            waiting_since=now - timedelta(days=days),
        )
    client = client_for(coordinator)
    home = words(client.get(reverse("dashboard")))
    waiting = words(client.get(reverse("referrals:waiting_list")))
    assert "2 have waited longer than 42 days" in home
    assert "Over 42 days 2 " in waiting


def words(response) -> str:
    """The page's text without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())
