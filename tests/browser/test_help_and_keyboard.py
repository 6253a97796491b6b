"""Crisis help is one click away everywhere, and the site starts with a skip link for keyboards."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import follow, sign_in, visit

pytestmark = pytest.mark.browser


def _open_get_help_now(page: Page) -> None:
    follow(page, page.get_by_role("banner").get_by_role("link", name="Get help now"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")


def test_home_page_links_to_crisis_help(page: Page):
    visit(page, "/")
    _open_get_help_now(page)


def test_dashboard_links_to_crisis_help(mentee, page: Page):
    sign_in(page, mentee)
    _open_get_help_now(page)


def test_first_tab_focuses_the_skip_link_which_moves_focus_to_the_main_content(page: Page):
    visit(page, "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
