"""Forgotten password: from the sign-in page to signing in with the new password."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.helpers import follow, submit_credentials, visit

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-new-calm-password-42"


def test_mentee_resets_a_forgotten_password_and_signs_in_with_it(mentee, page: Page, live_server):
    visit(page, "/accounts/login/")
    follow(page, page.get_by_role("link", name="Forgotten your password?"))
    page.get_by_label("Email").fill(mentee.email)
    follow(page, page.get_by_role("button", name=re.compile("Reset", re.I)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    assert [message.to for message in mail.outbox] == [[mentee.email]]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    visit(page, link.group(0))
    page.get_by_label(re.compile(r"^New password$", re.I)).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^New password \(again\)$", re.I)).fill(NEW_PASSWORD)
    follow(page, page.get_by_role("button", name="Save password"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is saved")

    follow(page, page.get_by_role("main").get_by_role("link", name="Sign in"))
    submit_credentials(page, mentee.email, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_broken_reset_link_explains_itself(mentee, page: Page):
    visit(page, "/accounts/password/reset/key/1-not-a-real-token/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    expect(page.get_by_role("main")).to_contain_text(re.compile("invalid", re.I))
