"""Goal, step and suggestion services: only the mentee changes goals and steps, the mentor only
suggests; double-clicks make one record; stale saves are refused; milestones are recorded once;
what is written goes through the safeguarding check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from mentoring.concurrency import STALE
from mentoring.models import (
    Goal,
    GoalStatus,
    Milestone,
    MilestoneKind,
    SessionStatus,
    Step,
    StepSuggestion,
    SuggestionStatus,
)
from mentoring.services.goals import (
    STEP_MAX,
    TITLE_MAX,
    goal_add,
    goal_update,
    step_add,
    step_suggest,
    step_update,
    suggestion_answer,
)
from safeguarding.models import AlertSign
from tests.mentoring.factories import GoalFactory, SessionFactory, StepFactory

pytestmark = pytest.mark.django_db

RISKY = "Some days I want to kill myself"


@pytest.fixture
def goal(active_relationship):
    return GoalFactory(relationship=active_relationship, title="Go to the support group")


@pytest.fixture
def step(goal):
    return StepFactory(goal=goal, text="Look up the bus times")


# Goals ------------------------------------------------------------------------------------------


def test_mentee_adds_a_goal_in_their_own_words(active_relationship, mentee):
    saved = goal_add(
        actor=mentee,
        relationship=active_relationship,
        title="  Go to the support group on Wednesday ",
        why_it_matters="I want to meet people who get it.",
        client_key="k1",
    )
    goal = Goal.objects.get()
    assert saved.record == goal and not saved.at_risk
    assert goal.title == "Go to the support group on Wednesday"
    assert goal.status == GoalStatus.ACTIVE
    event = AuditEvent.objects.get(action="mentoring.goal_added")
    assert "support group" not in str(event.metadata)


def test_the_same_goal_form_sent_twice_makes_one_goal(active_relationship, mentee):
    first = goal_add(actor=mentee, relationship=active_relationship, title="A", client_key="k")
    second = goal_add(actor=mentee, relationship=active_relationship, title="A", client_key="k")
    assert first.record == second.record
    assert Goal.objects.count() == 1


def test_only_the_mentee_adds_goals(active_relationship, mentor, coordinator):
    for person in (mentor, coordinator):
        with pytest.raises(ValidationError):
            goal_add(actor=person, relationship=active_relationship, title="Theirs")
    assert not Goal.objects.exists()


def test_goal_needs_a_title_and_a_sensible_length(active_relationship, mentee):
    with pytest.raises(ValidationError) as error:
        goal_add(actor=mentee, relationship=active_relationship, title="   ")
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        goal_add(actor=mentee, relationship=active_relationship, title="x" * (TITLE_MAX + 1))
    assert "title" in error.value.message_dict


def test_no_goals_once_the_mentoring_has_ended(ended_relationship, mentee):
    with pytest.raises(ValidationError):
        goal_add(actor=mentee, relationship=ended_relationship, title="Too late")


def test_mentee_changes_the_words(goal, mentee):
    saved = goal_update(
        actor=mentee, goal=goal, version=1, title="Go to the group", why_it_matters=""
    )
    assert saved.record.title == "Go to the group"
    assert saved.record.version == 2
    assert AuditEvent.objects.filter(action="mentoring.goal_changed").count() == 1


def test_a_change_against_an_older_version_is_refused(goal, mentee):
    goal_update(actor=mentee, goal=goal, version=1, title="First tab")
    with pytest.raises(ValidationError) as error:
        goal_update(actor=mentee, goal=goal, version=1, title="Second tab")
    assert error.value.message_dict["version"] == [STALE]
    goal.refresh_from_db()
    assert goal.title == "First tab"


def test_sending_what_is_saved_again_changes_nothing_even_with_an_old_version(goal, mentee):
    goal_update(actor=mentee, goal=goal, version=1, status=GoalStatus.SET_ASIDE)
    again = goal_update(actor=mentee, goal=goal, version=1, status=GoalStatus.SET_ASIDE)
    assert again.record.version == 2


def test_reaching_a_goal_is_celebrated_once_per_goal(goal, mentee):
    saved = goal_update(
        actor=mentee, goal=goal, version=1, status=GoalStatus.REACHED, how_it_went="Nervous, fine"
    )
    assert saved.record.reached_at is not None
    assert saved.record.how_it_went == "Nervous, fine"
    goal_update(actor=mentee, goal=goal, version=2, status=GoalStatus.ACTIVE)
    goal.refresh_from_db()
    assert goal.reached_at is None
    goal_update(actor=mentee, goal=goal, version=3, status=GoalStatus.REACHED)
    reached = Milestone.objects.filter(kind=MilestoneKind.GOAL_REACHED)
    assert reached.count() == 1 and reached.get().goal == goal
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"mentoring.goal_reached", "mentoring.goal_resumed"} <= actions


def test_setting_aside_and_bringing_back(goal, mentee):
    goal_update(actor=mentee, goal=goal, version=1, status=GoalStatus.SET_ASIDE)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.SET_ASIDE
    goal_update(actor=mentee, goal=goal, version=2, status=GoalStatus.ACTIVE)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE
    assert not Milestone.objects.filter(kind=MilestoneKind.GOAL_REACHED).exists()


def test_an_unknown_status_is_refused(goal, mentee):
    with pytest.raises(ValidationError) as error:
        goal_update(actor=mentee, goal=goal, version=1, status="abandoned")
    assert "status" in error.value.message_dict


def test_the_mentor_cannot_change_a_goal(goal, mentor):
    with pytest.raises(ValidationError):
        goal_update(actor=mentor, goal=goal, version=1, title="Mine now")
    with pytest.raises(ValidationError):
        goal_update(actor=mentor, goal=goal, version=1, status=GoalStatus.REACHED)


def test_risky_words_are_checked_and_only_a_content_free_notice_goes_out(
    goal, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = goal_update(
            actor=mentee, goal=goal, version=1, status=GoalStatus.REACHED, how_it_went=RISKY
        )
    assert saved.at_risk
    assert len(mail.outbox) == 1
    assert "kill myself" not in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="safeguarding.alert_raised").exists()
    sign = AlertSign.objects.get()
    assert (sign.object_type, sign.object_id) == ("mentoring.goal", str(goal.pk))
    assert sign.source_label == "A goal, written by the mentee"


# Steps ------------------------------------------------------------------------------------------


def test_mentee_adds_steps_in_order(goal, mentee):
    first = step_add(actor=mentee, goal=goal, text="Look up the bus", client_key="a").record
    second = step_add(actor=mentee, goal=goal, text="Ask a friend", client_key="b").record
    assert (first.position, second.position) == (0, 1)
    assert list(goal.steps.all()) == [first, second]


def test_the_same_step_form_sent_twice_makes_one_step(goal, mentee):
    step_add(actor=mentee, goal=goal, text="Look up the bus", client_key="same")
    step_add(actor=mentee, goal=goal, text="Look up the bus", client_key="same")
    assert Step.objects.count() == 1


def test_the_mentor_cannot_create_or_tick_steps(goal, step, mentor):
    with pytest.raises(ValidationError):
        step_add(actor=mentor, goal=goal, text="Do this")
    with pytest.raises(ValidationError):
        step_update(actor=mentor, step=step, version=1, done=True)
    step.refresh_from_db()
    assert step.done_at is None


def test_no_new_steps_on_a_goal_set_aside(goal, mentee, mentor):
    goal_update(actor=mentee, goal=goal, version=1, status=GoalStatus.SET_ASIDE)
    with pytest.raises(ValidationError):
        step_add(actor=mentee, goal=goal, text="Later")
    with pytest.raises(ValidationError):
        step_suggest(actor=mentor, goal=goal, text="Later")


def test_step_text_is_required_and_limited(goal, mentee):
    for text in ("  ", "x" * (STEP_MAX + 1)):
        with pytest.raises(ValidationError) as error:
            step_add(actor=mentee, goal=goal, text=text)
        assert "text" in error.value.message_dict


def test_ticking_the_first_step_is_celebrated_once(goal, step, mentee):
    saved = step_update(actor=mentee, step=step, version=1, done=True, how_it_went="Easy")
    assert saved.record.done_at is not None and saved.record.how_it_went == "Easy"
    other = StepFactory(goal=goal, text="Ask a friend")
    step_update(actor=mentee, step=other, version=1, done=True)
    assert Milestone.objects.filter(kind=MilestoneKind.FIRST_STEP).count() == 1
    assert AuditEvent.objects.filter(action="mentoring.step_done").count() == 2


def test_un_ticking_a_step(step, mentee):
    step_update(actor=mentee, step=step, version=1, done=True, how_it_went="Went well")
    saved = step_update(actor=mentee, step=step, version=2, done=False)
    assert saved.record.done_at is None
    assert saved.record.how_it_went == "Went well"
    assert AuditEvent.objects.filter(action="mentoring.step_undone").exists()


def test_a_double_click_on_done_is_harmless(step, mentee):
    step_update(actor=mentee, step=step, version=1, done=True, how_it_went="Fine")
    again = step_update(actor=mentee, step=step, version=1, done=True, how_it_went="Fine")
    assert again.record.version == 2


def test_a_stale_step_change_is_refused(step, mentee):
    step_update(actor=mentee, step=step, version=1, text="Look up the 42 bus")
    with pytest.raises(ValidationError) as error:
        step_update(actor=mentee, step=step, version=1, how_it_went="Other tab")
    assert error.value.message_dict["version"] == [STALE]


def test_ticking_a_step_checks_for_halfway(goal, step, mentee, active_relationship):
    for _ in range(6):  # half of the 12 planned sessions
        SessionFactory(
            relationship=active_relationship,
            status=SessionStatus.HELD,
            scheduled_for=timezone.now() - timedelta(days=3),
        )
    step_update(actor=mentee, step=step, version=1, done=True)
    assert Milestone.objects.filter(kind=MilestoneKind.HALFWAY).count() == 1


def test_how_it_went_is_checked_for_risk(step, mentee):
    saved = step_update(actor=mentee, step=step, version=1, done=True, how_it_went=RISKY)
    assert saved.at_risk


# Suggestions ------------------------------------------------------------------------------------


def test_mentor_suggests_and_the_mentee_takes_it_up(goal, mentor, mentee):
    suggestion = step_suggest(actor=mentor, goal=goal, text="Ring the group", client_key="s").record
    assert suggestion.status == SuggestionStatus.OPEN and suggestion.suggested_by == mentor
    assert not Step.objects.exists()
    answered = suggestion_answer(actor=mentee, suggestion=suggestion, take=True)
    assert answered.step is not None
    assert answered.step.text == "Ring the group"
    assert answered.step.from_suggestion == suggestion
    assert answered.suggestion.status == SuggestionStatus.TAKEN
    again = suggestion_answer(actor=mentee, suggestion=suggestion, take=True)
    assert again.step == answered.step
    assert Step.objects.count() == 1
    with pytest.raises(ValidationError):
        suggestion_answer(actor=mentee, suggestion=suggestion, take=False)


def test_the_same_suggestion_form_sent_twice_makes_one(goal, mentor):
    step_suggest(actor=mentor, goal=goal, text="Ring the group", client_key="s")
    step_suggest(actor=mentor, goal=goal, text="Ring the group", client_key="s")
    assert StepSuggestion.objects.count() == 1


def test_not_for_now_then_later_after_all(goal, mentor, mentee):
    suggestion = step_suggest(actor=mentor, goal=goal, text="Ring the group").record
    answered = suggestion_answer(actor=mentee, suggestion=suggestion, take=False)
    assert answered.suggestion.status == SuggestionStatus.NOT_NOW and answered.step is None
    answered = suggestion_answer(actor=mentee, suggestion=suggestion, take=True)
    assert answered.suggestion.status == SuggestionStatus.TAKEN and answered.step is not None


def test_only_the_mentor_suggests_and_only_the_mentee_answers(goal, mentor, mentee):
    with pytest.raises(ValidationError):
        step_suggest(actor=mentee, goal=goal, text="Suggesting to myself")
    suggestion = step_suggest(actor=mentor, goal=goal, text="Ring the group").record
    with pytest.raises(ValidationError):
        suggestion_answer(actor=mentor, suggestion=suggestion, take=True)
    assert not Step.objects.exists()
