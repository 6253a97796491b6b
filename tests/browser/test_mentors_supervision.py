"""Supervision from start to finish: a coordinator assigns a supervisor, the mentor asks for
support in a check-in, and the supervisor sees it, opens the record and records a session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)


def test_mentor_asks_for_support_and_their_supervisor_follows_up(
    mentor_profile, supervisor, coordinator, open_page
):
    mentor_profile.certified_at = timezone.now() - timedelta(days=60)
    mentor_profile.save(update_fields=["certified_at"])
    name = mentor_profile.display_name

    # The coordinator chooses the mentor's supervisor.
    page = open_page()
    sign_in(page, coordinator)
    visit(page, "/mentors/supervision/")
    follow(page, page.get_by_role("link", name="Assign supervisors"))
    page.get_by_label(f"Supervisor for {name}").select_option(label=str(supervisor))
    follow(page, page.get_by_role("button", name=f"Save supervisor for {name}"))
    expect(page.get_by_role("status")).to_contain_text(f"supervisor is now {supervisor}")

    # The mentor checks in on their phone and asks for support.
    phone = open_page(**PHONE)
    sign_in(phone, mentor_profile.user)
    visit(phone, "/mentors/wellbeing/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your wellbeing check-in")
    _screenshot(phone, "phone-mentor-wellbeing-check-in")
    phone.get_by_role("group", name="How are you coping?").get_by_label("2", exact=True).check()
    phone.get_by_role("group", name="How heavy does mentoring feel right now?").get_by_label(
        "4", exact=True
    ).check()
    phone.get_by_label("Yes, please").check()
    phone.get_by_label("Anything you would like to add? (optional)").fill("A hard few weeks")
    follow(phone, phone.get_by_role("button", name="Send my check-in"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you for checking in")
    expect(phone.get_by_text(f"your supervisor, {supervisor}")).to_be_visible()
    expect(phone.get_by_role("main").get_by_role("link", name="get help now")).to_be_visible()
    _screenshot(phone, "phone-mentor-wellbeing-thanks")

    # The supervisor sees the flag and the overdue mentor, and records a session.
    supervisor_phone = open_page(**PHONE)
    sign_in(supervisor_phone, supervisor)
    visit(supervisor_phone, "/mentors/supervision/")
    mentor_item = supervisor_phone.get_by_role("listitem").filter(has_text=name)
    expect(mentor_item).to_contain_text("Asked for support")
    expect(mentor_item).to_contain_text("Overdue")
    _screenshot(supervisor_phone, "phone-supervision-overview")

    follow(supervisor_phone, mentor_item.get_by_role("link", name=name))
    expect(supervisor_phone.get_by_role("heading", level=1)).to_have_text(
        f"Supervision record: {name}"
    )
    expect(supervisor_phone.get_by_text("A hard few weeks")).to_be_visible()
    supervisor_phone.get_by_label("Date of the session").fill(timezone.localdate().isoformat())
    supervisor_phone.get_by_label("One-to-one").check()
    supervisor_phone.get_by_label("What you talked about (optional)").fill("Pacing and rest")
    follow(supervisor_phone, supervisor_phone.get_by_role("button", name="Save session"))
    expect(supervisor_phone.get_by_role("status")).to_contain_text("session is saved")
    expect(supervisor_phone.get_by_text("Pacing and rest")).to_be_visible()
    _screenshot(supervisor_phone, "phone-supervision-record")

    follow(supervisor_phone, supervisor_phone.get_by_role("link", name="Back to supervision"))
    mentor_item = supervisor_phone.get_by_role("listitem").filter(has_text=name)
    expect(mentor_item).not_to_contain_text("Overdue")
    expect(supervisor_phone.get_by_text("Nobody is overdue for supervision.")).to_be_visible()
