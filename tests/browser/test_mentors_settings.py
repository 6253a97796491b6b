"""An administrator sets the mentor programme's standards and its support areas."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mentors.selectors import programme_settings
from tests.browser.helpers import follow, sign_in

pytestmark = pytest.mark.browser


def test_admin_sets_training_hours_and_adds_a_support_area(admin, organisation, page: Page):
    sign_in(page, admin)
    nav = page.get_by_role("navigation", name="Main")
    follow(page, nav.get_by_role("link", name="Programme settings"))
    page.get_by_label("Training a mentor must complete before matching (minutes)").fill("900")
    follow(page, page.get_by_role("button", name="Save settings"))
    expect(page.get_by_role("status")).to_contain_text("settings are saved")
    assert programme_settings(organisation).min_training_minutes == 900

    follow(page, page.get_by_role("link", name="Support areas"))
    page.get_by_label("Area name").fill("Loneliness")
    follow(page, page.get_by_role("button", name="Add area"))
    expect(page.get_by_role("main")).to_contain_text("Loneliness")
    follow(page, page.get_by_role("button", name="Retire Loneliness"))
    expect(page.get_by_role("main")).to_contain_text("Retired")
