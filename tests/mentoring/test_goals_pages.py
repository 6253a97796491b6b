"""The goals pages: who may open and use each one, what each person sees, stale saves keeping
the typed text, double-clicks, celebrations, crisis resources, and pinned query counts."""

from __future__ import annotations

import re

import pytest

from mentoring.concurrency import STALE
from mentoring.models import (
    Goal,
    GoalStatus,
    Milestone,
    MilestoneKind,
    Step,
    StepSuggestion,
    SuggestionStatus,
)
from mentoring.services.goals import goal_update, step_update
from safeguarding.models import CrisisResource
from tests.mentoring.access import PAIR, PAIR_AND_STAFF, PEOPLE, check_page, client_as
from tests.mentoring.factories import GoalFactory, StepFactory

pytestmark = pytest.mark.django_db

RISKY = "Honestly I want to kill myself"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def goal(active_relationship):
    return GoalFactory(
        relationship=active_relationship,
        title="Go to the support group on Wednesday",
        why_it_matters="I want to meet people who understand",
    )


@pytest.fixture
def step(goal):
    return StepFactory(goal=goal, text="Look up the bus times", how_it_went="Timetable is online")


@pytest.fixture
def suggestion(goal, mentor):
    return StepSuggestion.objects.create(
        relationship=goal.relationship, goal=goal, text="Ring the organiser", suggested_by=mentor
    )


def goal_url(goal, tail=""):
    return f"/mentoring/{goal.relationship_id}/goals/{goal.pk}/{tail}"


# Access ----------------------------------------------------------------------------------------

PAGES = {
    "goals/": PAIR_AND_STAFF,
    "goals/{goal}/": PAIR,
    "goals/{goal}/steps/{step}/": ["mentee"],
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(PAGES))
def test_page_access(path, person, request, client_for, active_relationship, goal, step):
    url = f"/mentoring/{active_relationship.pk}/" + path.format(goal=goal.pk, step=step.pk)
    check_page(client_as(person, request, client_for).get(url), person, PAGES[path])


ACTIONS = {
    # path: (who may, the form)
    "goals/": (["mentee"], {"title": "Sleep before midnight", "client_key": "g"}),
    "goals/{goal}/": (["mentee"], {"title": "Go to the group", "version": "1"}),
    "goals/{goal}/status/": (["mentee"], {"status": "set_aside", "version": "1"}),
    "goals/{goal}/steps/": (["mentee"], {"text": "Pack a bag", "client_key": "s"}),
    "goals/{goal}/steps/{step}/": (["mentee"], {"text": "Find the bus", "version": "1"}),
    "goals/{goal}/steps/{step}/done/": (
        ["mentee"],
        {"step{step}-done": "1", "step{step}-version": "1"},
    ),
    "goals/{goal}/suggest/": (["mentor"], {"text": "Ring the organiser", "client_key": "x"}),
    "goals/{goal}/suggestions/{suggestion}/": (["mentee"], {"answer": "take"}),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", list(ACTIONS))
def test_action_access(
    path, person, request, client_for, active_relationship, goal, step, suggestion
):
    allowed, form = ACTIONS[path]
    ids = {"goal": goal.pk, "step": step.pk, "suggestion": suggestion.pk}
    url = f"/mentoring/{active_relationship.pk}/" + path.format(**ids)
    data = {key.format(**ids): value for key, value in form.items()}
    before = (Goal.objects.count(), Step.objects.count(), StepSuggestion.objects.count())
    response = client_as(person, request, client_for).post(url, data)
    check_page(response, person, allowed, ok=302)
    if person not in allowed:
        after = (Goal.objects.count(), Step.objects.count(), StepSuggestion.objects.count())
        assert after == before
        goal.refresh_from_db()
        step.refresh_from_db()
        assert goal.version == 1 and step.version == 1 and step.done_at is None


def test_an_unknown_goal_or_step_is_a_404(client_for, mentee, active_relationship, goal):
    client = client_for(mentee)
    assert client.get(f"/mentoring/{active_relationship.pk}/goals/999999/").status_code == 404
    assert client.get(goal_url(goal, "steps/999999/")).status_code == 404


def test_a_goal_of_another_relationship_is_a_404(
    client_for, mentee, active_relationship, other_relationship
):
    theirs = GoalFactory(relationship=other_relationship)
    url = f"/mentoring/{active_relationship.pk}/goals/{theirs.pk}/"
    assert client_for(mentee).get(url).status_code == 404


def test_the_mentor_of_an_ended_relationship_gets_404(client_for, mentor, ended_relationship):
    goal = GoalFactory(relationship=ended_relationship)
    assert client_for(mentor).get(f"/mentoring/{ended_relationship.pk}/goals/").status_code == 404
    assert client_for(mentor).get(goal_url(goal)).status_code == 404


def test_the_mentee_of_an_ended_relationship_reads_but_cannot_change(
    client_for, mentee, ended_relationship
):
    goal = GoalFactory(relationship=ended_relationship, title="Join the walking group")
    step = StepFactory(goal=goal)
    client = client_for(mentee)
    listing = client.get(f"/mentoring/{ended_relationship.pk}/goals/")
    assert listing.status_code == 200
    assert "Join the walking group" in text_of(listing)
    assert "Add this goal" not in text_of(listing)
    page = client.get(goal_url(goal))
    assert page.status_code == 200
    assert "Mark as done" not in text_of(page) and "Add this step" not in text_of(page)
    posts = [
        (f"/mentoring/{ended_relationship.pk}/goals/", {"title": "New"}),
        (goal_url(goal), {"title": "Changed", "version": "1"}),
        (goal_url(goal, "status/"), {"status": "reached", "version": "1"}),
        (goal_url(goal, "steps/"), {"text": "New step"}),
        (goal_url(goal, f"steps/{step.pk}/done/"), {f"step{step.pk}-done": "1"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404
    assert client.get(goal_url(goal, f"steps/{step.pk}/")).status_code == 404
    assert Goal.objects.count() == 1 and Step.objects.get().done_at is None


# What each person sees ---------------------------------------------------------------------------


def test_staff_see_titles_and_progress_only(client_for, coordinator, goal, step):
    StepFactory(goal=goal, text="Pack a bag")
    step_update(actor=goal.relationship.mentee, step=step, version=1, done=True)
    page = text_of(client_for(coordinator).get(f"/mentoring/{goal.relationship_id}/goals/"))
    assert "Go to the support group on Wednesday" in page
    assert "1 of 2 steps done" in page
    for private in ("I want to meet people", "Look up the bus times", "Timetable is online"):
        assert private not in page
    assert goal_url(goal) not in page


def test_the_pair_see_goals_with_their_steps(client_for, mentor, mentee, goal, step):
    for person in (mentor, mentee):
        page = text_of(client_for(person).get(f"/mentoring/{goal.relationship_id}/goals/"))
        assert "Go to the support group on Wednesday" in page
        assert "Look up the bus times" in page
        assert "0 of 1 step done" in page


def test_goals_are_grouped_without_judgement(client_for, mentee, active_relationship):
    GoalFactory(relationship=active_relationship, title="Walk every day")
    GoalFactory(
        relationship=active_relationship, title="Cook on Sundays", status=GoalStatus.SET_ASIDE
    )
    page = text_of(client_for(mentee).get(f"/mentoring/{active_relationship.pk}/goals/"))
    assert "Set aside for now" in page
    assert "Priorities change, and that is fine" in page
    assert (
        page.index("Walk every day")
        < page.index("Set aside for now")
        < page.index("Cook on Sundays")
    )
    for unkind in ("failed", "abandoned", "gave up"):
        assert unkind not in page.lower()


def test_the_mentor_sees_a_suggestion_form_and_no_step_forms(client_for, mentor, goal, step):
    page = text_of(client_for(mentor).get(goal_url(goal)))
    assert "Suggest this step" in page
    for mentee_only in (
        "Add this step",
        "Mark as done",
        "I have reached this goal",
        "Save the goal",
    ):
        assert mentee_only not in page


def test_progress_over_time_is_listed_by_week(client_for, mentee, goal, step):
    step_update(actor=mentee, step=step, version=1, done=True)
    page = text_of(client_for(mentee).get(f"/mentoring/{goal.relationship_id}/goals/"))
    assert "Steps done, week by week" in page
    assert "1 step done" in page


# Doing things ------------------------------------------------------------------------------------


def test_mentee_adds_a_goal_and_lands_on_it(client_for, mentee, active_relationship):
    client = client_for(mentee)
    response = client.post(
        f"/mentoring/{active_relationship.pk}/goals/",
        {"title": "Go to the support group on Wednesday", "client_key": "one"},
    )
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response.url.startswith(goal_url(goal))
    client.post(
        f"/mentoring/{active_relationship.pk}/goals/",
        {"title": "Go to the support group on Wednesday", "client_key": "one"},
    )
    assert Goal.objects.count() == 1


def test_an_empty_goal_is_refused_next_to_the_field(client_for, mentee, active_relationship):
    response = client_for(mentee).post(
        f"/mentoring/{active_relationship.pk}/goals/",
        {"title": "  ", "why_it_matters": "Because I miss people", "client_key": "k"},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Write your goal in a few words." in page
    assert "Because I miss people" in page
    assert not Goal.objects.exists()


def test_a_stale_goal_edit_keeps_the_typed_text_and_shows_the_latest(client_for, mentee, goal):
    goal_update(actor=mentee, goal=goal, version=1, title="Go to the Wednesday group")
    client = client_for(mentee)
    response = client.post(
        goal_url(goal),
        {"title": "My typed words", "why_it_matters": "Still mine", "version": "1"},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert STALE in page
    assert 'value="My typed words"' in page and "Still mine" in page
    assert "The latest saved version" in page and "Go to the Wednesday group" in page
    assert 'name="version" value="2"' in page
    goal.refresh_from_db()
    assert goal.title == "Go to the Wednesday group"
    again = client.post(
        goal_url(goal), {"title": "My typed words", "why_it_matters": "", "version": "2"}
    )
    assert again.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "My typed words"


def test_a_stale_step_edit_keeps_the_typed_text(client_for, mentee, step):
    step_update(actor=mentee, step=step, version=1, text="Look up the 42 bus")
    response = client_for(mentee).post(
        goal_url(step.goal, f"steps/{step.pk}/"),
        {"text": "Ask at the library", "how_it_went": "It was busy", "version": "1"},
    )
    assert response.status_code == 200
    page = text_of(response)
    assert STALE in page
    assert 'value="Ask at the library"' in page and "It was busy" in page
    assert "Look up the 42 bus" in page


def test_ticking_the_first_step_shows_a_celebration_once(client_for, mentee, mentor, goal, step):
    client = client_for(mentee)
    response = client.post(
        goal_url(goal, f"steps/{step.pk}/done/"),
        {
            f"step{step.pk}-done": "1",
            f"step{step.pk}-version": "1",
            f"step{step.pk}-how_it_went": "Easier than I thought",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_at is not None and step.how_it_went == "Easier than I thought"
    # The mentor looking first does not use up the mentee's celebration.
    assert "Something to celebrate" not in text_of(client_for(mentor).get(goal_url(goal)))
    page = text_of(client.get(response.url))
    assert "You completed your first step" in page
    assert Milestone.objects.get(kind=MilestoneKind.FIRST_STEP).seen_at is not None
    assert "Something to celebrate" not in text_of(client.get(goal_url(goal)))


def test_un_ticking_a_step(client_for, mentee, goal, step):
    step_update(actor=mentee, step=step, version=1, done=True)
    response = client_for(mentee).post(
        goal_url(goal, f"steps/{step.pk}/done/"),
        {f"step{step.pk}-done": "0", f"step{step.pk}-version": "2"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_at is None


def test_too_long_how_it_went_is_shown_next_to_the_step(client_for, mentee, goal, step):
    long_text = "a" * 2001
    response = client_for(mentee).post(
        goal_url(goal, f"steps/{step.pk}/done/"),
        {
            f"step{step.pk}-done": "1",
            f"step{step.pk}-version": "1",
            f"step{step.pk}-how_it_went": long_text,
        },
    )
    assert response.status_code == 200
    assert long_text in response.content.decode()
    assert "Some answers need another look" in text_of(response)


def test_reaching_a_goal_is_celebrated_on_the_goals_page(client_for, mentee, goal):
    client = client_for(mentee)
    response = client.post(
        goal_url(goal, "status/"),
        {"status": "reached", "version": "1", "how_it_went": "I went, and stayed an hour"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == GoalStatus.REACHED
    page = text_of(client.get(f"/mentoring/{goal.relationship_id}/goals/"))
    assert "You reached your goal “Go to the support group on Wednesday”" in page
    assert "Goals you have reached" in page


def test_set_aside_and_back(client_for, mentee, goal):
    client = client_for(mentee)
    client.post(goal_url(goal, "status/"), {"status": "set_aside", "version": "1"})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.SET_ASIDE
    page = text_of(client.get(goal_url(goal)))
    assert "Bring this goal back to work on" in page and "Add this step" not in page
    client.post(goal_url(goal, "status/"), {"status": "active", "version": "2"})
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_mentor_suggests_and_mentee_takes_it_up(client_for, mentor, mentee, goal):
    response = client_for(mentor).post(
        goal_url(goal, "suggest/"), {"text": "Ring the organiser first", "client_key": "k"}
    )
    assert response.status_code == 302
    suggestion = StepSuggestion.objects.get()
    client = client_for(mentee)
    page = text_of(client.get(goal_url(goal)))
    assert "Ring the organiser first" in page and "Take it up as a step" in page
    client.post(goal_url(goal, f"suggestions/{suggestion.pk}/"), {"answer": "take"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.TAKEN
    assert Step.objects.get().from_suggestion == suggestion
    mentor_page = text_of(client_for(mentor).get(goal_url(goal)))
    assert "Taken up as a step" in mentor_page


def test_mentee_says_not_for_now(client_for, mentee, goal, suggestion):
    client_for(mentee).post(goal_url(goal, f"suggestions/{suggestion.pk}/"), {"answer": "not_now"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.NOT_NOW
    assert not Step.objects.exists()


def test_a_made_up_answer_changes_nothing(client_for, mentee, goal, suggestion):
    response = client_for(mentee).post(
        goal_url(goal, f"suggestions/{suggestion.pk}/"), {"answer": "maybe"}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN


def test_risky_words_bring_crisis_resources_calmly(client_for, mentee, goal, step, organisation):
    CrisisResource.objects.create(organisation=organisation, name="Samaritans", phone="116 123")
    client = client_for(mentee)
    response = client.post(
        goal_url(goal, f"steps/{step.pk}/done/"),
        {
            f"step{step.pk}-done": "1",
            f"step{step.pk}-version": "1",
            f"step{step.pk}-how_it_went": RISKY,
        },
    )
    assert "help=serious" in response.url
    page = text_of(client.get(response.url))
    assert "If you need help now" in page and "Samaritans" in page and "116 123" in page
    assert "someone from the team will get in touch with you soon" in page


# Query counts ------------------------------------------------------------------------------------


def _goals(relationship, count):
    for number in range(count):
        goal = GoalFactory(relationship=relationship, title=f"Goal {number}")
        for step_number in range(3):
            StepFactory(goal=goal, text=f"Step {step_number}")
        StepSuggestion.objects.create(relationship=relationship, goal=goal, text="Try this")


# Session, user, membership, the relationship, goals, their steps, steps done by week, and for
# the mentee new milestones (the mentor's menu adds two: their application and profile). The
# same however many goals there are. Staff pages add one for the urgent safeguarding banner.
GOALS_LIST_QUERIES = {"mentee": 8, "mentor": 8, "coordinator": 8}


@pytest.mark.parametrize("person", list(GOALS_LIST_QUERIES))
def test_the_goals_list_costs_the_same_for_one_or_many_goals(
    person, request, client_for, active_relationship, django_assert_num_queries
):
    client = client_as(person, request, client_for)
    url = f"/mentoring/{active_relationship.pk}/goals/"
    _goals(active_relationship, 1)
    client.get(url)
    with django_assert_num_queries(GOALS_LIST_QUERIES[person]):
        assert client.get(url).status_code == 200
    _goals(active_relationship, 6)
    with django_assert_num_queries(GOALS_LIST_QUERIES[person]):
        assert client.get(url).status_code == 200
