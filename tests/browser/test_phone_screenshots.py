"""Phone-sized screenshots for people to look at; the pages are still checked like any other."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import SCREENSHOT_DIR, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def test_phone_screenshots_of_sign_in_help_and_dashboard(mentee, open_page):
    page = open_page(**PHONE)
    visit(page, "/accounts/login/")
    _save(page, "phone-login")
    visit(page, "/help/")
    _save(page, "phone-get-help-now")
    sign_in(page, mentee)
    _save(page, "phone-dashboard-mentee")
