"""From trainee to certified mentor: the trainee works through their modules on a phone, then the
coordinator records an in-person session and certifies them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mentors.models import Delivery, MentorProfile
from mentors.selectors import programme_settings
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from tests.mentors.factories import TrainingModuleFactory
from tests.mentors.test_training_services import complete_screening

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)


def test_trainee_completes_modules_and_coordinator_certifies(
    trainee, modules, coordinator, organisation, open_page
):
    TrainingModuleFactory(
        organisation=organisation,
        title="Meeting in person",
        delivery=Delivery.IN_PERSON,
        min_minutes=90,
        position=4,
    )
    settings = programme_settings(organisation)
    settings.min_training_minutes = 180
    settings.save()
    application = trainee.mentor_applications.get()
    complete_screening(application, coordinator)

    page = open_page(**PHONE)
    sign_in(page, trainee)
    visit(page, "/mentors/training/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your training")
    expect(page.get_by_text("0 of 3 required modules; 0 min of 3 h")).to_be_visible()
    _screenshot(page, "phone-mentors-training")

    follow(page, page.get_by_role("link", name="Role and boundaries"))
    page.get_by_label("How many minutes did you spend on it?").fill("20")
    page.get_by_label("A private reflection (optional)").fill("I notice I want to fix things.")
    follow(page, page.get_by_role("button", name="Mark as completed"))
    expect(page.get_by_role("alert")).to_contain_text("This module takes at least 1 h")
    expect(page.get_by_label("A private reflection (optional)")).to_have_value(
        "I notice I want to fix things."
    )
    page.get_by_label("How many minutes did you spend on it?").fill("60")
    follow(page, page.get_by_role("button", name="Mark as completed"))
    expect(page.get_by_text("“Role and boundaries” is marked as completed")).to_be_visible()

    follow(page, page.get_by_role("link", name="Safeguarding"))
    _screenshot(page, "phone-mentors-training-module")
    page.get_by_label("How many minutes did you spend on it?").fill("75")
    follow(page, page.get_by_role("button", name="Mark as completed"))
    expect(page.get_by_text("2 of 3 required modules; 2 h 15 min of 3 h")).to_be_visible()

    follow(page, page.get_by_role("link", name="Meeting in person"))
    expect(page.get_by_text("Your coordinator will record your attendance")).to_be_visible()

    staff = open_page()
    sign_in(staff, coordinator)
    visit(staff, "/mentors/training/trainees/")
    follow(staff, staff.get_by_role("link", name=application.full_name))
    expect(staff.get_by_role("button", name="Certify as a mentor")).to_be_disabled()
    attendance = staff.get_by_role("region", name="Meeting in person")
    attendance.get_by_label("Minutes attended").fill("120")
    follow(staff, attendance.get_by_role("button", name="Record attendance"))
    expect(staff.get_by_text("Attendance at “Meeting in person” is recorded")).to_be_visible()
    expect(staff.get_by_text("Nothing is missing")).to_be_visible()
    _screenshot(staff, "mentors-trainee-progress")

    follow(staff, staff.get_by_role("button", name="Certify as a mentor"))
    expect(staff.get_by_text("is now a certified mentor until")).to_be_visible()
    profile = MentorProfile.objects.get(application=application)
    assert profile.user == trainee and profile.is_certified
