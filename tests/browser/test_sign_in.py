"""Signing in and out through the real forms, for every role, including two-factor steps."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    current_totp_code,
    follow,
    sign_in,
    submit_credentials,
    visit,
)
from tests.conftest import DASHBOARD_HEADINGS, ROLE_FIXTURES

pytestmark = pytest.mark.browser

NOT_CORRECT = "The email address and/or password you specified are not correct."


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_each_role_signs_in_to_its_dashboard_and_signs_out(role, request, page: Page):
    user = request.getfixturevalue(role)

    sign_in(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text(DASHBOARD_HEADINGS[role])

    follow(page, page.get_by_role("banner").get_by_role("button", name="Sign out"))
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Sign in")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_have_count(0)

    visit(page, "/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/$"))


def test_wrong_password_shows_an_error_that_does_not_reveal_whether_the_email_exists(
    mentee, page: Page
):
    visit(page, "/accounts/login/")
    submit_credentials(page, mentee.email, password="not-my-password")

    form = page.locator("form").filter(has=page.get_by_label("Email"))
    expect(form.get_by_text(NOT_CORRECT)).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(mentee.email)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    known_email_errors = form.locator(".errorlist").all_inner_texts()

    submit_credentials(page, "nobody.here@example.org", password="not-my-password")
    expect(page.get_by_label("Email")).to_have_value("nobody.here@example.org")
    assert form.locator(".errorlist").all_inner_texts() == known_email_errors


def test_staff_member_without_two_factor_must_set_it_up_before_seeing_the_dashboard(
    staff_without_mfa, page: Page
):
    visit(page, "/accounts/login/")
    submit_credentials(page, staff_without_mfa.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))

    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(current_totp_code(secret))
    follow(page, page.get_by_role("button", name="Activate"))
    expect(page).to_have_url(re.compile(r"/accounts/2fa/"))
    assert Authenticator.objects.filter(user=staff_without_mfa, type="totp").exists()

    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Home"))
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme overview")
