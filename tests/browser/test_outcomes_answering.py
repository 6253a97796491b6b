"""Completing a questionnaire on a phone: the mentee opens their PHQ-9, answers with the keyboard
and by tapping, skips one, stops half-way and comes back to carry on where they left off, checks
the answers and sends them, and reads what their answers say. The WHO-5's options show in its
own order. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from outcomes.models import MeasureResponse, RequestStatus
from safeguarding.models import Alert, CrisisResource
from tests.browser.helpers import SCREENSHOT_DIR, check_accessibility, follow, sign_in, visit
from tests.outcomes.fixtures import make_request

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def _press_enter(page: Page) -> None:
    """Sends the form from the keyboard (Enter on a radio button uses the first button, Next)."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_accessibility(page)


def _heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_the_mentee_completes_the_phq9_on_a_phone(mentee, phq9_request, open_page):
    start_url = f"/outcomes/requests/{phq9_request.pk}/"
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, start_url)
    expect(_heading(page)).to_have_text("PHQ-9")
    expect(page.get_by_text("You can stop at any time and carry on later")).to_be_visible()
    _save(page, "phone-outcomes-start")
    follow(page, page.get_by_role("button", name="Start"))

    # Question 1, with the keyboard: arrow to "Several days", Enter to go on
    expect(_heading(page)).to_have_text("Question 1 of 9")
    expect(page.get_by_role("progressbar", name="Question 1 of 9")).to_be_visible()
    group = page.get_by_role("group", name="Little interest or pleasure in doing things")
    first_option = group.get_by_role("radio", name="Not at all")
    first_option.focus()
    page.keyboard.press("ArrowDown")
    expect(group.get_by_role("radio", name="Several days")).to_be_checked()
    _press_enter(page)

    # Question 2: Next without a choice is explained next to the options; then a tap
    expect(_heading(page)).to_have_text("Question 2 of 9")
    follow(page, page.get_by_role("button", name="Next"))
    expect(page.get_by_role("alert")).to_contain_text("Choose an answer, or skip this question.")
    page.get_by_text("More than half the days").click()
    follow(page, page.get_by_role("button", name="Next"))

    # Question 3 is skipped; question 4 answered, then the mentee stops for now
    expect(_heading(page)).to_have_text("Question 3 of 9")
    follow(page, page.get_by_role("button", name="Skip this question"))
    expect(_heading(page)).to_have_text("Question 4 of 9")
    page.get_by_text("Nearly every day").click()
    follow(page, page.get_by_role("button", name="Save and finish later"))
    expect(page).to_have_url(re.compile(r"/outcomes/$"))

    # Later: carry on where they left off, with the earlier answers kept
    visit(page, start_url)
    follow(page, page.get_by_role("button", name="Continue where you left off"))
    expect(_heading(page)).to_have_text("Question 5 of 9")
    page.evaluate("window.scrollTo(0, 0)")
    _save(page, "phone-outcomes-question")
    follow(page, page.get_by_role("link", name="Back"))
    expect(_heading(page)).to_have_text("Question 4 of 9")
    expect(page.get_by_role("radio", name="Nearly every day")).to_be_checked()
    follow(page, page.get_by_role("button", name="Next"))
    for number in range(5, 10):
        expect(_heading(page)).to_have_text(f"Question {number} of 9")
        page.get_by_text("Not at all").click()
        follow(page, page.get_by_role("button", name="Next"))

    # Check and send
    expect(_heading(page)).to_have_text("Check your answers")
    answers = page.get_by_role("list").filter(has_text="Little interest")
    expect(answers.get_by_text("Not answered")).to_have_count(1)
    expect(answers.get_by_text("Several days")).to_have_count(1)
    _save(page, "phone-outcomes-check")
    follow(page, page.get_by_role("button", name="Send my answers"))

    expect(_heading(page)).to_have_text("Thank you")
    expect(page.get_by_text("Some of these difficulties, some of the time.")).to_be_visible()
    expect(page.get_by_text("7 out of 27")).to_be_visible()
    expect(page.get_by_role("link", name="See how your scores have changed")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    _save(page, "phone-outcomes-response")

    response = MeasureResponse.objects.get(request=phq9_request)
    assert response.completed_with == "self"
    assert (response.total, response.answered, response.prorated) == (7, 8, True)
    phq9_request.refresh_from_db()
    assert phq9_request.status == RequestStatus.COMPLETED


def test_the_who5_shows_its_own_options_in_order(mentee, active_relationship, open_page):
    who5_request = make_request(mentee, "who5", relationship=active_relationship)
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, f"/outcomes/requests/{who5_request.pk}/")
    expect(page.get_by_text("5 questions")).to_be_visible()
    follow(page, page.get_by_role("button", name="Start"))
    expect(_heading(page)).to_have_text("Question 1 of 5")
    group = page.get_by_role("group", name="I have felt cheerful and in good spirits")
    expect(group.get_by_role("radio")).to_have_count(6)
    labels = [label.strip() for label in group.locator("label").all_inner_texts()]
    assert labels == [
        "All of the time",
        "Most of the time",
        "More than half of the time",
        "Less than half of the time",
        "Some of the time",
        "At no time",
    ]
    group.get_by_text("Most of the time").click()
    follow(page, page.get_by_role("button", name="Next"))
    expect(_heading(page)).to_have_text("Question 2 of 5")
    _save(page, "phone-outcomes-who5-question")


def test_question_9_shows_where_to_get_help_straight_away(mentee, phq9_request, open_page):
    CrisisResource.objects.create(
        organisation=phq9_request.organisation,
        name="Samaritans",
        description="Someone to talk to, whatever you're going through.",
        phone="116 123",
        website="https://www.samaritans.org/",
        hours="24 hours a day",
    )
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, f"/outcomes/requests/{phq9_request.pk}/")
    follow(page, page.get_by_role("button", name="Start"))
    visit(page, f"/outcomes/requests/{phq9_request.pk}/questions/9/")
    page.get_by_text("Several days").click()
    follow(page, page.get_by_role("button", name="Next"))
    expect(_heading(page)).to_have_text("Check your answers")
    panel = page.get_by_role("region", name="Support you can reach now")
    expect(panel).to_contain_text("Thank you for telling us.")
    expect(panel.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    assert Alert.objects.count() == 1
    _save(page, "phone-outcomes-crisis-panel")
