"""A coordinator on a phone learns a mentor's account may be in someone else's hands: they search
the people list, open the mentor, tick the confirmation and switch the account off. The mentor,
signed in elsewhere, is sent to sign in on their next click. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SCREENSHOT_DIR, check_accessibility, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def test_a_coordinator_finds_a_mentor_and_switches_their_account_off(
    coordinator, mentor, mentee, open_page
):
    mentor.name = "Jordan Reyes"
    mentor.save(update_fields=["name"])
    mentors_laptop: Page = open_page()
    sign_in(mentors_laptop, mentor)

    page: Page = open_page(**PHONE)
    sign_in(page, coordinator)
    visit(page, "/accounts/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    page.get_by_label("Name or email").fill("jordan")
    page.get_by_label("Role").select_option("mentor")
    follow(page, page.get_by_role("button", name="Search"))
    results = page.get_by_role("main").get_by_role("listitem")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Mentor · mentor@example.org")
    _save(page, "phone-people-search")

    follow(page, page.get_by_role("link", name="Jordan Reyes"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jordan Reyes")
    _save(page, "phone-person")

    # Without the tick nothing happens, and the page says why next to the box.
    follow(page, page.get_by_role("button", name="Switch off their account"))
    expect(page.get_by_role("main")).to_contain_text("Tick the box to confirm.")
    page.get_by_label("Yes, switch off Jordan Reyes's account now").check()
    follow(page, page.get_by_role("button", name="Switch off their account"))
    expect(page.get_by_role("status")).to_contain_text(
        "Jordan Reyes's account is switched off. They have been signed out everywhere."
    )
    expect(page.get_by_role("main")).to_contain_text("Their account is already switched off.")
    _save(page, "phone-person-switched-off")

    mentors_laptop.reload()
    check_accessibility(mentors_laptop)
    expect(mentors_laptop).to_have_url(re.compile(r"/accounts/login/"))
