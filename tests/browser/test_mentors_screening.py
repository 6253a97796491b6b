"""A coordinator screens an applicant from the board to approval, with two referees answering
through their one-time links in their own browsers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentors.models import InterviewQuestion, Stage
from tests.browser.helpers import SCREENSHOT_DIR, check_accessibility, follow, sign_in, visit
from tests.mentors.factories import ApplicationFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def _referee_link_for(email: str) -> str:
    (message,) = [m for m in mail.outbox if m.to == [email]]
    link = re.search(r"https?://\S+/mentors/reference/\S+/", message.body)
    assert link, message.body
    return urlsplit(link.group(0)).path


def _answer_as_referee(referee: Page, path: str, screenshot: str = "") -> None:
    visit(referee, path)
    expect(referee.get_by_role("heading", level=1)).to_have_text("A reference for Robin Applicant")
    if screenshot:
        _screenshot(referee, screenshot)
    referee.get_by_label("How long have you known them, and in what capacity?").fill(
        "Six years, as their manager"
    )
    referee.get_by_label("What would make them suited to a role supporting other people?").fill(
        "Patient, steady and kind."
    )
    referee.get_by_label("Yes, I would recommend them").check()
    follow(referee, referee.get_by_role("button", name="Send my reference"))
    expect(referee.get_by_role("heading", level=1)).to_have_text("Thank you for your reference")
    visit_again = referee.goto(path)
    assert visit_again is not None and visit_again.status == 410

    check_accessibility(referee)
    expect(referee.get_by_role("heading", level=1)).to_have_text(
        "This link has already been used or has expired"
    )


def test_coordinator_screens_an_applicant_through_to_training(
    coordinator, organisation, areas, page: Page, open_page
):
    application = ApplicationFactory(
        organisation=organisation, full_name="Robin Applicant", stage=Stage.NEW
    )
    application.lived_experience_areas.set(areas[:1])
    InterviewQuestion.objects.create(
        organisation=organisation, text="What drew you to peer mentoring?", position=1
    )
    InterviewQuestion.objects.create(
        organisation=organisation, text="How do you look after yourself?", position=2
    )
    today = timezone.localdate().isoformat()

    sign_in(page, coordinator)
    visit(page, "/mentors/applicants/")
    new_column = page.get_by_role("region", name=re.compile(r"^New"))
    expect(new_column).to_contain_text("Robin Applicant")
    page.set_viewport_size(PHONE)
    _screenshot(page, "phone-mentors-applicants-board")
    page.set_viewport_size({"width": 1280, "height": 900})

    follow(page, new_column.get_by_role("link", name="Robin Applicant"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Applicant")
    page.set_viewport_size(PHONE)
    _screenshot(page, "phone-mentors-application-detail")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Interview
    follow(page, page.get_by_role("link", name="Record the interview"))
    page.get_by_label("Date of the interview").fill(today)
    page.get_by_label("Passed", exact=True).check()
    page.get_by_label("What drew you to peer mentoring?").fill("A mentor helped them once.")
    page.get_by_label("How do you look after yourself?").fill("Walks, and talks to friends.")
    follow(page, page.get_by_role("button", name="Save the interview"))
    expect(page.get_by_role("status")).to_contain_text("The interview is recorded.")
    expect(page.get_by_role("heading", name="Interview · Passed")).to_be_visible()

    # Two references, each answered by the referee in their own browser
    for name, email in [("Sam Referee", "sam@example.net"), ("Kit Referee", "kit@example.net")]:
        follow(page, page.get_by_role("link", name="Ask for a reference"))
        page.get_by_label("Referee's name").fill(name)
        page.get_by_label("Referee's email address").fill(email)
        page.get_by_label("How do they know the applicant?").fill("Manager")
        follow(page, page.get_by_role("button", name="Send the request"))
        expect(page.get_by_role("status")).to_contain_text(f"We have emailed {name}")
    _answer_as_referee(
        open_page(viewport=PHONE, is_mobile=True),
        _referee_link_for("sam@example.net"),
        screenshot="phone-mentors-reference-form",
    )
    _answer_as_referee(open_page(), _referee_link_for("kit@example.net"))

    visit(page, page.url)
    expect(page.get_by_role("heading", name="References · 2 of 2 received")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Patient, steady and kind.")

    # Background check
    follow(page, page.get_by_role("link", name="Record a background check"))
    page.get_by_label("Type of check").select_option(label="Enhanced DBS check")
    page.get_by_label("Certificate or reference number").fill("001234567890")
    page.get_by_label("Date of the check").fill(today)
    page.get_by_label("Renewal date (optional)").fill(today)
    page.get_by_label("Clear", exact=True).check()
    follow(page, page.get_by_role("button", name="Save the check"))
    expect(page.get_by_role("alert")).to_contain_text(
        "The renewal date must be after the date of the check."
    )
    expect(page.get_by_label("Certificate or reference number")).to_have_value("001234567890")
    page.get_by_label("Renewal date (optional)").fill("")
    follow(page, page.get_by_role("button", name="Save the check"))
    expect(page.get_by_role("status")).to_contain_text("The background check is recorded.")

    # Decision
    page.set_viewport_size(PHONE)
    _screenshot(page, "phone-mentors-application-screened")
    page.set_viewport_size({"width": 1280, "height": 900})
    follow(page, page.get_by_role("button", name="Approve to train"))
    expect(page.get_by_role("status")).to_contain_text("Robin Applicant is approved to train.")

    follow(page, page.get_by_role("link", name="Back to applicants"))
    training = page.get_by_role("region", name=re.compile(r"^Training"))
    expect(training).to_contain_text("Robin Applicant")
    expect(page.get_by_role("region", name=re.compile(r"^New"))).not_to_contain_text(
        "Robin Applicant"
    )
