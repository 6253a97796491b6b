"""Intake and the waiting list in the browser: a coordinator completes intake, a person completes
their own on a phone through their private link, and a mentee looks after their place."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Language
from referrals.models import Referral, Status, Urgency
from referrals.services.creating import hash_token
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def languages(db):
    """Browser tests empty the database between tests, seeded languages included."""
    for code, name in [("en", "English"), ("pl", "Polish"), ("cy", "Welsh")]:
        Language.objects.get_or_create(code=code, defaults={"name": name})


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def test_coordinator_completes_intake_and_finds_the_person_on_the_waiting_list(
    coordinator, organisation, areas, page: Page
):
    now = timezone.now()
    ReferralFactory(
        organisation=organisation,
        full_name="Ash Longest",
        status=Status.WAITING,
        waiting_since=now - timedelta(days=50),
        last_contacted_at=now - timedelta(days=16),
    )
    ReferralFactory(
        organisation=organisation,
        full_name="Cy Urgent",
        status=Status.WAITING,
        urgency=Urgency.URGENT,
        waiting_since=now - timedelta(days=4),
    )
    referral = ReferralFactory(
        organisation=organisation,
        full_name="Jamie Intake",
        email="jamie@example.net",
        status=Status.INTAKE,
        formats=["phone"],
        availability_slots=["tue_evening"],
    )
    referral.support_areas.set(areas[:1])

    sign_in(page, coordinator)
    visit(page, f"/referrals/{referral.pk}/intake/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Intake with Jamie Intake")
    expect(page.get_by_label("Anxiety")).to_be_checked()
    expect(page.get_by_role("group", name="Tuesday").get_by_label("Evening")).to_be_checked()
    page.set_viewport_size(PHONE)
    _screenshot(page, "phone-referrals-intake-staff")
    page.set_viewport_size(DESKTOP)

    page.get_by_label("Their goals, in their own words").fill("Get back to my choir by summer.")
    follow(page, page.get_by_role("button", name="Complete intake and add to the waiting list"))
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one language.")
    expect(page.get_by_label("Their goals, in their own words")).to_have_value(
        "Get back to my choir by summer."
    )

    page.get_by_label("English").check()
    page.get_by_role("group", name="Saturday").get_by_label("Morning").check()
    follow(page, page.get_by_role("button", name="Complete intake and add to the waiting list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting list")
    expect(page.get_by_role("status")).to_contain_text("Intake complete")
    names = page.get_by_role("main").get_by_role("heading", level=2)
    expect(names).to_have_text(["1. Cy Urgent", "2. Ash Longest", "3. Jamie Intake"])
    ash = page.locator("li", has_text="Ash Longest")
    expect(ash).to_contain_text("Waiting over 42 days")
    expect(ash).to_contain_text("Needs a check-in")
    expect(ash).to_contain_text("16 days ago")

    page.set_viewport_size(PHONE)
    _screenshot(page, "phone-referrals-waiting-list")
    page.set_viewport_size(DESKTOP)
    _screenshot(page, "referrals-waiting-list")

    ash.get_by_text("Log a check-in").click()
    ash.get_by_label("How").select_option(label="Phone call")
    ash.get_by_label("What happened").select_option(label="Spoke with them")
    follow(page, ash.get_by_role("button", name="Log check-in"))
    expect(page.get_by_role("status")).to_contain_text("Check-in with Ash Longest logged.")
    ash = page.locator("li", has_text="Ash Longest")
    expect(ash).to_contain_text("Today")
    expect(ash).not_to_contain_text("Needs a check-in")


def test_person_completes_their_intake_online_on_a_phone(organisation, open_page):
    token = secrets.token_urlsafe(32)
    referral = ReferralFactory(
        organisation=organisation,
        full_name="Robin Online",
        email="robin@example.net",
        status=Status.INTAKE,
        access_token_hash=hash_token(token),
        formats=[],
    )
    page = open_page(viewport=PHONE, is_mobile=True)
    visit(page, f"/referrals/status/{token}/intake/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Getting to know you")
    _screenshot(page, "phone-referrals-intake-online")
    expect(page.get_by_label(re.compile("Notes for staff"))).to_have_count(0)

    page.get_by_label("Your goals, in your own words").fill("Feel calm enough to take the bus.")
    page.get_by_label("English").check()
    page.get_by_label("Video call").check()
    page.get_by_role("group", name="Thursday").get_by_label("Afternoon").check()
    page.get_by_label("Someone we can contact in an emergency (optional)").fill(
        "Alex, 07700 900321"
    )
    follow(page, page.get_by_role("button", name="Send and join the waiting list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You're on the waiting list")
    expect(page.get_by_role("main")).to_contain_text("link to set a password")
    _screenshot(page, "phone-referrals-intake-done")
    referral.refresh_from_db()
    assert referral.status == Status.WAITING
    assert referral.availability_slots == ["thu_afternoon"]


def test_mentee_updates_availability_then_leaves_the_waiting_list(
    mentee, waiting_referral, open_page
):
    page = open_page(viewport=PHONE, is_mobile=True)
    sign_in(page, mentee)
    visit(page, "/referrals/my-referral/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are on the waiting list")
    expect(page.get_by_role("main")).to_contain_text("about three weeks ago")
    _screenshot(page, "phone-referrals-mentee-waiting")

    page.get_by_role("group", name="Monday").get_by_label("Evening").check()
    page.get_by_label("Anything else about when suits you? (optional)").fill("Not in August")
    follow(page, page.get_by_role("button", name="Save when I am free"))
    expect(page.get_by_role("status")).to_contain_text("We have saved when you are free.")
    expect(page.get_by_role("group", name="Monday").get_by_label("Evening")).to_be_checked()

    follow(page, page.get_by_role("button", name="I would like to leave the waiting list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Leave the waiting list?")
    page.get_by_label("Would you like to tell us why? (optional)").fill("Found other support")
    follow(page, page.get_by_role("button", name="Yes, leave the waiting list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have left the waiting list")
    expect(page.get_by_role("main").get_by_role("link", name="Get help now")).to_be_visible()
    _screenshot(page, "phone-referrals-mentee-withdrawn")
    assert Referral.objects.get(pk=waiting_referral.pk).status == Status.WITHDRAWN
