"""Pages staff reach from the menu, and switching between organisations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from accounts.services import membership_grant
from tests.browser.helpers import follow, sign_in, submit_credentials, visit

pytestmark = pytest.mark.browser


def test_admin_opens_the_api_documentation_from_the_menu(admin, page: Page):
    sign_in(page, admin)
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="API"))
    expect(page.get_by_role("heading", name="Alongside API", exact=False).first).to_be_visible()


def test_person_in_two_organisations_chooses_one_and_switches(
    mentor, other_organisation, page: Page
):
    membership_grant(
        actor=None, organisation=other_organisation, user=mentor, role=Role.COORDINATOR
    )
    visit(page, "/accounts/login/")
    submit_credentials(page, mentor.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose an organisation")
    page.get_by_label("Riverside Peer Support — as Mentor").check()
    follow(page, page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentoring")

    follow(page, page.get_by_role("link", name="Switch organisation"))
    expect(page.get_by_label("Riverside Peer Support — as Mentor")).to_be_checked()
