"""A mentor updates their profile, a coordinator approves it, and a mentee finds and asks for
them in the directory."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SCREENSHOT_DIR, check_accessibility, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}}


def test_profile_change_approval_and_asking_for_a_mentor(
    mentor, mentor_profile, areas, coordinator, mentee, open_page
):
    name = mentor_profile.display_name

    # The mentor edits their bio, which waits for approval.
    page: Page = open_page()
    sign_in(page, mentor)
    visit(page, "/mentors/profile/")
    follow(page, page.get_by_role("link", name="Edit your profile"))
    page.get_by_label("About you").fill("I walk alongside people finding their feet again.")
    follow(page, page.get_by_role("button", name="Save changes"))
    expect(page.get_by_role("heading", name="Waiting for approval")).to_be_visible()

    # They pause taking new mentees, then start again.
    follow(page, page.get_by_role("button", name="Pause taking new mentees"))
    expect(page.get_by_text("You are not taking new mentees for now.")).to_be_visible()
    follow(page, page.get_by_role("button", name="Start taking new mentees"))
    expect(page.get_by_role("button", name="Pause taking new mentees")).to_be_visible()

    # They add a weekly time they are free.
    follow(page, page.get_by_role("link", name="Change your availability"))
    page.get_by_label("Day", exact=True).select_option(label="Wednesday")
    page.get_by_label("From").fill("18:00")
    page.get_by_label("Until").fill("20:00")
    follow(page, page.get_by_role("button", name="Save availability"))
    expect(page.get_by_text("Your weekly availability is saved.")).to_be_visible()
    expect(page.get_by_text("Wednesday 18:00–20:00").first).to_be_visible()

    # The coordinator approves the change.
    staff: Page = open_page()
    sign_in(staff, coordinator)
    visit(staff, "/mentors/profile-changes/")
    expect(staff.get_by_text("I walk alongside people finding their feet again.")).to_be_visible()
    follow(staff, staff.get_by_role("button", name=f"Approve {name}'s changes"))
    expect(staff.get_by_text("No changes are waiting for approval.")).to_be_visible()

    # A mentee, on a phone, filters the directory by an area and asks for the mentor.
    phone: Page = open_page(**PHONE)
    sign_in(phone, mentee)
    visit(phone, "/mentors/directory/")
    phone.get_by_label("Support with").select_option(label="Anxiety")
    phone.get_by_role("button", name="Apply filters").click()  # htmx swaps in the results
    expect(phone.get_by_role("heading", name="1 mentor matching your filters")).to_be_visible()
    expect(phone).to_have_url(re.compile(r"/mentors/directory/$"))  # no page load was needed
    expect(phone.locator("#directory-status")).to_have_text("1 mentor matching your filters")
    check_accessibility(phone)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOT_DIR / "mentors-directory-phone.png"), full_page=True)

    follow(phone, phone.get_by_role("link", name=name))
    expect(phone.get_by_text("I walk alongside people finding their feet again.")).to_be_visible()
    phone.get_by_label("Anything you would like your coordinator to know?").fill(
        "Evenings suit me best."
    )
    follow(phone, phone.get_by_role("button", name="Ask for this mentor"))
    expect(phone.get_by_text("We have passed your request")).to_be_visible()

    # The coordinator sees the request and marks it noted.
    visit(staff, "/mentors/requests/")
    expect(staff.get_by_text("Evenings suit me best.")).to_be_visible()
    follow(staff, staff.get_by_role("button", name=re.compile("Mark as noted")))
    expect(staff.get_by_text("There are no open requests.")).to_be_visible()
