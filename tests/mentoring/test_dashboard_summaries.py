"""What the mentor's and the mentee's home pages say about their mentoring
(mentoring.dashboard.pair_summaries): each figure, for each side of the pair, in one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.dashboard import pair_summaries
from mentoring.models import Milestone, MilestoneKind, SessionStatus
from tests.mentoring.factories import AgreementFactory, MessageFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(active_relationship, mentor, mentee):
    """Sessions to log and to come, messages each way, and milestones seen and not."""
    now = timezone.now()
    for days in (-2, -1):
        SessionFactory(relationship=active_relationship, scheduled_for=now + timedelta(days=days))
    SessionFactory(
        relationship=active_relationship,
        scheduled_for=now - timedelta(days=3),
        status=SessionStatus.HELD,
    )
    soonest = SessionFactory(
        relationship=active_relationship, scheduled_for=now + timedelta(days=2)
    )
    SessionFactory(relationship=active_relationship, scheduled_for=now + timedelta(days=9))
    SessionFactory(
        relationship=active_relationship,
        scheduled_for=now + timedelta(days=1),
        status=SessionStatus.CANCELLED_BY_MENTOR,
    )
    MessageFactory(relationship=active_relationship, sender=mentee)
    MessageFactory(relationship=active_relationship, sender=mentee, read_at=now)
    for _ in range(3):
        MessageFactory(relationship=active_relationship, sender=mentor)
    Milestone.objects.create(relationship=active_relationship, kind=MilestoneKind.AGREEMENT)
    for key in ("a", "b"):
        Milestone.objects.create(
            relationship=active_relationship, kind=MilestoneKind.GOAL_REACHED, key=key
        )
    Milestone.objects.filter(key="a").update(seen_at=now)
    return soonest


def test_the_mentor_sees_sessions_to_log_and_messages_from_their_mentee(
    busy, organisation, active_relationship, mentor, django_assert_num_queries
):
    with django_assert_num_queries(1):
        (summary,) = pair_summaries(mentor, organisation, as_mentor=True)
        assert summary.relationship.status == active_relationship.status
    assert summary.relationship == active_relationship
    assert summary.name == "Samira"
    assert summary.next_session_at == busy.scheduled_for
    assert summary.unread == 1
    assert summary.sessions_to_log == 2
    assert summary.new_milestones == 0
    assert summary.needs_acknowledgement is False


def test_the_mentee_sees_milestones_and_messages_from_their_mentor(
    busy, organisation, active_relationship, mentee, django_assert_num_queries
):
    with django_assert_num_queries(1):
        (summary,) = pair_summaries(mentee, organisation, as_mentor=False)
    assert summary.relationship == active_relationship
    assert summary.name == active_relationship.mentor.display_name
    assert summary.next_session_at == busy.scheduled_for
    assert summary.unread == 3
    assert summary.sessions_to_log == 0
    assert summary.new_milestones == 2
    assert summary.needs_acknowledgement is False


def test_only_the_newest_agreement_waits_for_whoever_has_not_read_it(
    organisation, active_relationship, mentor, mentee
):
    AgreementFactory(
        relationship=active_relationship,
        version=2,
        created_by=mentor,
        mentor_acknowledged_at=timezone.now(),
    )
    (for_mentor,) = pair_summaries(mentor, organisation, as_mentor=True)
    (for_mentee,) = pair_summaries(mentee, organisation, as_mentor=False)
    assert for_mentor.needs_acknowledgement is False
    assert for_mentee.needs_acknowledgement is True


def test_nothing_to_say_before_the_first_meeting(organisation, relationship, mentor, mentee):
    (summary,) = pair_summaries(mentee, organisation, as_mentor=False)
    assert summary.relationship.status == "introduction"
    assert summary.needs_acknowledgement is False
    assert (summary.unread, summary.new_milestones, summary.next_session_at) == (0, 0, None)
    (summary,) = pair_summaries(mentor, organisation, as_mentor=True)
    assert (summary.unread, summary.sessions_to_log) == (0, 0)


def test_ended_relationships_and_other_organisations_are_left_out(
    organisation, other_organisation, ended_relationship, mentor, mentee
):
    assert pair_summaries(mentor, organisation, as_mentor=True) == []
    assert pair_summaries(mentee, organisation, as_mentor=False) == []
    assert pair_summaries(mentor, other_organisation, as_mentor=True) == []
