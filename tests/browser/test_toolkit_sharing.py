"""A mentor finds a skill in the library, filtering by what it helps with, and shares it with
their mentee with a short note; the mentee signs in and finds it in their toolkit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from toolkit.models import ToolkitEntry
from toolkit.services.skills import skills_load_starter

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
NOTE = "For the Wednesday bus: try it while you wait at the stop."


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def pair(active_relationship, organisation):
    """Jordan mentoring Samira, in an organisation with the starter library loaded."""
    profile = active_relationship.mentor
    profile.display_name = "Jordan"
    profile.save(update_fields=["display_name"])
    skills_load_starter(actor=None, organisation=organisation)
    return active_relationship


def test_a_mentor_shares_a_skill_and_the_mentee_finds_it_in_their_toolkit(
    pair, mentor, mentee, open_page
):
    page = open_page(viewport={"width": 1280, "height": 900})
    sign_in(page, mentor)
    visit(page, "/toolkit/skills/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skills library")
    expect(page.get_by_role("complementary", name="About these skills")).to_contain_text(
        "They are not treatment"
    )
    expect(page.get_by_role("region", name="Your own strategies")).to_be_visible()

    # Filter by what it helps with
    page.get_by_label("Helps with").select_option(label="Panic")
    follow(page, page.get_by_role("button", name="Show skills"))
    expect(page.get_by_label("Helps with")).to_have_value("panic")
    results = page.get_by_role("region", name="Skills that match")
    expect(results.get_by_role("link", name="Box breathing")).to_be_visible()
    expect(results.get_by_role("link", name="A wind-down routine for sleep")).to_have_count(0)
    _save(page, "toolkit-library-mentor")

    # Open the skill and share it, with a note
    follow(page, results.get_by_role("link", name="Box breathing"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Box breathing")
    expect(page.get_by_role("region", name="Steps").get_by_role("listitem")).to_have_count(6)
    share = page.get_by_role("region", name="Share with Samira")
    share.get_by_label("A short note (optional)").fill(NOTE)
    follow(page, share.get_by_role("button", name="Share this skill"))
    expect(page.get_by_role("status")).to_contain_text("Shared. It is in Samira's toolkit now.")
    expect(page.get_by_role("region", name="Share with Samira")).to_contain_text(
        "Already in Samira's toolkit."
    )
    entry = ToolkitEntry.objects.get()
    assert entry.person == mentee and entry.note == NOTE and entry.shared_by == mentor
    _save(page, "toolkit-skill-mentor")

    # The mentee finds it in their toolkit, on their phone
    phone = open_page(**PHONE)
    sign_in(phone, mentee)
    visit(phone, "/toolkit/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your toolkit")
    follow(phone, phone.get_by_role("link", name="Box breathing"))
    expect(phone.get_by_role("main")).to_contain_text(NOTE)

    visit(phone, f"/toolkit/skills/{entry.skill_id}/")
    expect(phone.get_by_role("main")).to_contain_text("In your toolkit")
    expect(phone.get_by_role("link", name="Open it in your toolkit")).to_be_visible()
    _save(phone, "phone-toolkit-skill-mentee")


def test_a_mentor_writes_a_strategy_and_a_coordinator_approves_it_for_the_library(
    pair, mentor, coordinator, open_page
):
    page = open_page(**PHONE)
    sign_in(page, mentor)
    visit(page, "/toolkit/skills/")
    follow(page, page.get_by_role("link", name="Add a strategy from your experience"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a strategy from your experience")
    page.get_by_label("Name of the skill").fill("The kettle pause")
    page.get_by_label("How it can help").fill(
        "Waiting for the kettle gives you two minutes that are just yours."
    )
    follow(page, page.get_by_role("button", name="Save my strategy"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Write at least one step, one step on each line.")
    expect(alert).to_contain_text("Say about how many minutes it takes.")
    expect(page.get_by_label("Name of the skill")).to_have_value("The kettle pause")
    _save(page, "phone-toolkit-strategy-errors")
    page.get_by_label("Steps").fill("Put the kettle on.\n\nNotice three sounds while it boils.")
    page.get_by_label("About how many minutes it takes").fill("3")
    page.get_by_label("Stress").check()
    follow(page, page.get_by_role("button", name="Save my strategy"))
    expect(page.get_by_role("status")).to_contain_text("Your strategy is saved")
    expect(page.get_by_role("main")).to_contain_text("From your experience.")
    follow(page, page.get_by_role("button", name="Suggest it for the library"))
    expect(page.get_by_role("status")).to_contain_text("A coordinator will look at your strategy")

    staff = open_page(viewport={"width": 1280, "height": 900})
    sign_in(staff, coordinator)
    visit(staff, "/toolkit/skills/")
    follow(staff, staff.get_by_role("link", name="Suggested for the library (1 waiting)"))
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        "Strategies suggested for the library"
    )
    _save(staff, "toolkit-review-coordinator")
    follow(staff, staff.get_by_role("button", name="Approve “The kettle pause”"))
    expect(staff.get_by_role("status")).to_contain_text("The strategy is in the library now.")
    expect(staff.get_by_role("main")).to_contain_text("Nothing is waiting")
    visit(staff, "/toolkit/skills/?q=kettle")
    expect(staff.get_by_role("region", name="Skills that match")).to_contain_text(
        "The kettle pause"
    )
