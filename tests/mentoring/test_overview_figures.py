"""The counts on a relationship's overview (mentoring.selectors.overview_figures), read in one
query: goals and steps (set-aside goals left out), the pair's unread messages and strengths
notes, and the mentor's prompt when their mentee wrote something serious lately."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.models import GoalStatus, StrengthNote
from mentoring.safety import MENTOR_PROMPT_DAYS, SERIOUS_LEVELS
from mentoring.selectors import GoalProgress, overview_figures
from tests.mentoring.factories import GoalFactory, MessageFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress(active_relationship):
    reached = GoalFactory(relationship=active_relationship, status=GoalStatus.REACHED)
    working = GoalFactory(relationship=active_relationship)
    aside = GoalFactory(relationship=active_relationship, status=GoalStatus.SET_ASIDE)
    StepFactory(goal=reached, done_at=timezone.now())
    StepFactory(goal=working)
    StepFactory(goal=aside, done_at=timezone.now())
    return active_relationship


def test_goals_and_steps_leave_out_goals_set_aside(
    progress, mentor, mentee, coordinator, django_assert_num_queries
):
    for viewer, in_pair, is_mentor in (
        (mentor, True, True),
        (mentee, True, False),
        (coordinator, False, False),
    ):
        with django_assert_num_queries(1):
            figures = overview_figures(progress, viewer.pk, in_pair=in_pair, is_mentor=is_mentor)
        assert figures.progress == GoalProgress(goals=2, reached=1, steps=2, steps_done=1)


def test_each_of_the_pair_counts_messages_to_them_and_the_strengths_notes(
    active_relationship, mentor, mentee
):
    MessageFactory(relationship=active_relationship, sender=mentor)
    MessageFactory(relationship=active_relationship, sender=mentor, read_at=timezone.now())
    for _ in range(2):
        MessageFactory(relationship=active_relationship, sender=mentee)
    StrengthNote.objects.create(relationship=active_relationship, text="Brave", written_by=mentor)
    for_mentee = overview_figures(active_relationship, mentee.pk, in_pair=True, is_mentor=False)
    for_mentor = overview_figures(active_relationship, mentor.pk, in_pair=True, is_mentor=True)
    assert (for_mentee.unread, for_mentee.strength_count) == (1, 1)
    assert (for_mentor.unread, for_mentor.strength_count) == (2, 1)


def test_staff_get_no_pair_figures(active_relationship, coordinator, mentee):
    MessageFactory(relationship=active_relationship, sender=mentee)
    figures = overview_figures(active_relationship, coordinator.pk, in_pair=False, is_mentor=False)
    assert (figures.unread, figures.strength_count) == (None, None)
    assert figures.mentee_wrote_something_serious is False


@pytest.mark.parametrize(
    ("sender", "level", "days_ago", "prompted"),
    [
        ("mentee", SERIOUS_LEVELS[0], 1, True),
        ("mentee", SERIOUS_LEVELS[1], MENTOR_PROMPT_DAYS - 1, True),
        ("mentee", SERIOUS_LEVELS[0], MENTOR_PROMPT_DAYS + 1, False),
        ("mentee", "", 1, False),
        ("mentor", SERIOUS_LEVELS[0], 1, False),
    ],
)
def test_the_mentor_is_prompted_only_by_something_serious_their_mentee_wrote_lately(
    sender, level, days_ago, prompted, active_relationship, mentor, mentee
):
    MessageFactory(
        relationship=active_relationship,
        sender=mentee if sender == "mentee" else mentor,
        risk_level=level,
        sent_at=timezone.now() - timedelta(days=days_ago),
    )
    for_mentor = overview_figures(active_relationship, mentor.pk, in_pair=True, is_mentor=True)
    for_mentee = overview_figures(active_relationship, mentee.pk, in_pair=True, is_mentor=False)
    assert for_mentor.mentee_wrote_something_serious is prompted
    assert for_mentee.mentee_wrote_something_serious is False
