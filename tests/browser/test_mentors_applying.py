"""Applying to be a mentor as a member of the public would: on a phone, in two sittings."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mentors.models import MentorApplication, Stage
from tests.browser.helpers import SCREENSHOT_DIR, follow, visit
from tests.browser.test_phone_screenshots import PHONE

pytestmark = pytest.mark.browser


def test_applicant_saves_comes_back_and_sends_an_application(organisation, areas, open_page):
    page = open_page(**PHONE)
    visit(page, f"/mentors/apply/{organisation.slug}/")
    page.get_by_label("Full name").fill("Robin Hart")
    page.get_by_label("Email address").fill("robin@example.org")
    follow(page, page.get_by_role("button", name="Save and come back later"))
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved")
    resume_url = page.url
    assert re.search(r"/mentors/apply/continue/[\w-]+/$", resume_url)

    visit(page, resume_url)  # coming back later through the private link
    expect(page.get_by_label("Full name")).to_have_value("Robin Hart")
    follow(page, page.get_by_role("button", name="Send my application"))
    expect(page.get_by_role("alert").first).to_contain_text("Some answers need another look")
    expect(page.get_by_label("Full name")).to_have_value("Robin Hart")

    page.get_by_label("Why would you like to be a peer mentor?").fill(
        "I know what it is like to feel alone with anxiety."
    )
    page.get_by_label("Anxiety").check()
    page.get_by_label("Video call").check()
    page.get_by_label(re.compile("I agree to the programme contacting two referees")).check()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "phone-mentor-application.png", full_page=True)
    follow(page, page.get_by_role("button", name="Send my application"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentor application")
    expect(page.get_by_role("main")).to_contain_text("We have received your application")
    assert MentorApplication.objects.get().stage == Stage.NEW
