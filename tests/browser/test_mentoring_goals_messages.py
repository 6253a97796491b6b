"""Between sessions, on a phone: the mentee sets a goal in their own words, breaks it into steps,
ticks the first off and is congratulated; the mentor suggests a step and the mentee takes it
up. Then the mentee messages their mentor outside the agreed hours and is told plainly when to
expect a reply; the mentor reads it and replies."""

from __future__ import annotations

from datetime import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentoring.models import Agreement, Message, Milestone, MilestoneKind, Step, StepSuggestion
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
GOAL = "Go to the support group on Wednesday"


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def pair(active_relationship):
    """Jordan mentoring Samira; their agreed contact hours are closed right now (one hour on
    a day that is not today), so a message now is sent outside them."""
    profile = active_relationship.mentor
    profile.display_name = "Jordan"
    profile.save(update_fields=["display_name"])
    other_day = (timezone.localdate().weekday() + 2) % 7
    Agreement.objects.filter(relationship=active_relationship).update(
        contact_days=[other_day], contact_from=time(18), contact_until=time(20)
    )
    return active_relationship


def test_goals_steps_suggestions_and_messages(pair, mentor, mentee, open_page):
    goals_url = f"/mentoring/{pair.pk}/goals/"
    messages_url = f"/mentoring/{pair.pk}/messages/"

    # The mentee sets a goal and two steps
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, goals_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your goals")
    page.get_by_label("Your goal, in your own words").fill(GOAL)
    page.get_by_label("Why it matters to you (optional)").fill("I want to meet people who get it.")
    follow(page, page.get_by_role("button", name="Add this goal"))
    expect(page.get_by_role("heading", level=1)).to_have_text(GOAL)
    expect(page.get_by_role("status")).to_contain_text("Your goal is added")
    goal_url = page.url.split("#")[0]

    # An empty step is explained next to the field
    follow(page, page.get_by_role("button", name="Add this step"))
    expect(page.get_by_role("alert")).to_contain_text("Write the step in a few words.")
    page.get_by_label("A step you could take").fill("Look up the bus times")
    follow(page, page.get_by_role("button", name="Add this step"))
    page.get_by_label("A step you could take").fill("Ask Priya if she will come with me")
    follow(page, page.get_by_role("button", name="Add this step"))
    steps = page.get_by_role("region", name="Steps")
    expect(steps).to_contain_text("0 of 2 steps done")

    # Ticks the first off, saying how it went, and sees the celebration
    first = page.locator("li", has_text="Look up the bus times")
    first.get_by_text("Say how it went (optional)").click()
    first.get_by_label("How did it go? (optional)").fill(
        "Easier than I thought: the 42 goes there."
    )
    follow(page, first.get_by_role("button", name="Mark as done “Look up the bus times”"))
    celebration = page.get_by_role("region", name="Something to celebrate")
    expect(celebration).to_contain_text("You completed your first step")
    expect(steps).to_contain_text("1 of 2 steps done")
    expect(steps).to_contain_text("Easier than I thought")
    assert Milestone.objects.get(kind=MilestoneKind.FIRST_STEP).seen_at is not None

    # The mentor suggests a step; there is nothing for them to tick or change
    mentor_page = open_page()
    mentor_page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(mentor_page, mentor)
    visit(mentor_page, goals_url)
    expect(mentor_page.get_by_role("heading", level=1)).to_have_text("Samira's goals")
    follow(mentor_page, mentor_page.get_by_role("link", name=GOAL))
    expect(mentor_page.get_by_role("button", name="Mark as done")).to_have_count(0)
    expect(mentor_page.get_by_role("button", name="Add this step")).to_have_count(0)
    mentor_page.get_by_label("Suggest a step").fill("Ring the organiser to say you are coming")
    follow(mentor_page, mentor_page.get_by_role("button", name="Suggest this step"))
    expect(mentor_page.get_by_role("status")).to_contain_text("Samira decides")
    expect(mentor_page.get_by_role("region", name="Your suggestions")).to_contain_text(
        "Waiting for Samira"
    )

    # The mentee takes it up
    visit(page, goal_url)
    suggested = page.get_by_role("region", name="Steps Jordan suggested")
    expect(suggested).to_contain_text("Ring the organiser to say you are coming")
    follow(page, suggested.get_by_role("button", name="Take it up as a step"))
    expect(page.get_by_role("status")).to_contain_text("It is one of your steps now")
    expect(steps).to_contain_text("1 of 3 steps done")
    expect(steps).to_contain_text("Suggested by Jordan")
    assert Step.objects.filter(from_suggestion=StepSuggestion.objects.get()).exists()
    page.evaluate("window.scrollTo(0, 0)")
    _save(page, "phone-mentoring-goal")

    visit(page, goals_url)
    expect(page.get_by_role("region", name="Working on now")).to_contain_text("1 of 3 steps done")
    expect(page.get_by_role("region", name="Steps done, week by week")).to_contain_text(
        "1 step done"
    )
    _save(page, "phone-mentoring-goals")

    # The mentee sends a message outside the agreed hours
    visit(page, messages_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages with Jordan")
    follow(page, page.get_by_role("button", name="Send message"))
    expect(page.get_by_role("alert")).to_contain_text("Write your message before sending it.")
    page.get_by_label("Your message").fill(
        "I looked up the bus and Priya says she will come on Wednesday!"
    )
    follow(page, page.get_by_role("button", name="Send message"))
    notice = page.get_by_role("status")
    expect(notice).to_contain_text("Your message has been sent. Jordan's contact hours are")
    expect(notice).to_contain_text("so you can expect a reply by")
    expect(notice.get_by_role("link", name="Get help now")).to_be_visible()
    assert Message.objects.get().outside_hours

    # The mentor reads it and replies
    visit(mentor_page, messages_url)
    expect(mentor_page.get_by_role("heading", level=1)).to_have_text("Messages with Samira")
    expect(mentor_page.get_by_role("main")).to_contain_text("Priya says she will come")
    mentor_page.get_by_label("Your message").fill(
        "That is brilliant news. Shall we talk on Monday about how it went?"
    )
    follow(mentor_page, mentor_page.get_by_role("button", name="Send message"))
    expect(mentor_page.get_by_role("status")).to_contain_text("Your message has been sent.")
    assert Message.objects.get(sender=mentee).read_at is not None

    # The mentee sees the reply at the bottom of the thread
    visit(page, messages_url)
    thread = page.locator("ol.message-thread > li")
    expect(thread).to_have_count(2)
    expect(thread.last).to_contain_text("Shall we talk on Monday")
    _save(page, "phone-mentoring-messages")
