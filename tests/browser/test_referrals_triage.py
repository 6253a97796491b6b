"""A coordinator works the referrals queue: the urgent referral first, a contact attempt, an
acceptance to intake, a duplicate merged after confirming, and a referral signposted elsewhere."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from referrals.models import Referral, SafeNow, Source, Status, Urgency
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _screenshot(page: Page, name: str, *, phone: bool = False) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    if phone:
        page.set_viewport_size(PHONE)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0
    page.set_viewport_size(DESKTOP)


def _queue_names(page: Page) -> list[str]:
    return page.get_by_role("main").locator("ol > li a").all_inner_texts()


def test_coordinator_triages_the_queue(coordinator, organisation, areas, page: Page):
    now = timezone.now()
    routine = ReferralFactory(
        organisation=organisation,
        full_name="Robin Routine",
        preferred_name="Rob",
        voicemail_ok=False,
        best_time_to_contact="After 6pm on weekdays",
        created_at=now - timedelta(days=4),
    )
    routine.support_areas.set(areas[:1])
    ReferralFactory(
        organisation=organisation,
        full_name="Drew Urgent",
        urgency=Urgency.URGENT,
        urgency_reasons="not safe right now",
        safe_now=SafeNow.NO,
        created_at=now - timedelta(hours=1),
    )
    earlier = ReferralFactory(
        organisation=organisation,
        full_name="Jo Earlier",
        email="jo@example.net",
        phone="",
        created_at=now - timedelta(days=6),
    )
    ReferralFactory(
        organisation=organisation,
        full_name="Jo Again",
        email="jo@example.net",
        phone="07700 900321",
        possible_duplicate_of=earlier,
        source=Source.GP,
        referrer_organisation_name="Northgate Surgery",
        created_at=now - timedelta(days=2),
    )
    ReferralFactory(
        organisation=organisation, full_name="Sam Signpost", created_at=now - timedelta(days=3)
    )

    sign_in(page, coordinator)
    page.set_viewport_size(DESKTOP)
    visit(page, "/referrals/queue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals to triage")
    assert _queue_names(page) == [
        "Drew Urgent",
        "Jo Earlier",
        "Robin Routine",
        "Sam Signpost",
        "Jo Again",
    ]
    expect(page.get_by_role("main")).not_to_contain_text("@example.net")
    _screenshot(page, "referrals-triage-queue")
    _screenshot(page, "phone-referrals-triage-queue", phone=True)

    # Filter by where referrals came from, without JavaScript needed
    page.get_by_label("Where it came from").select_option(label="GP practice")
    follow(page, page.get_by_role("button", name="Show"))
    assert _queue_names(page) == ["Jo Again"]
    follow(page, page.get_by_role("link", name="Show every referral in the queue").first)

    # The urgent referral: a contact attempt, then accepted to intake
    follow(page, page.get_by_role("link", name="Drew Urgent"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Drew Urgent")
    expect(page.get_by_role("region", name="Urgent: please contact them today")).to_be_visible()
    _screenshot(page, "referrals-triage-detail")
    _screenshot(page, "phone-referrals-triage-detail", phone=True)

    follow(page, page.get_by_role("button", name="Log the attempt"))
    expect(page.get_by_role("alert").first).to_contain_text("Some answers need another look")
    contact_form = page.get_by_role("form", name="Log a contact attempt")
    contact_form.get_by_label("Phone call").check()
    contact_form.get_by_label("Spoke with them").check()
    contact_form.get_by_label("Note (optional)").fill("Safe tonight; sister is with them.")
    follow(page, contact_form.get_by_role("button", name="Log the attempt"))
    expect(page.get_by_role("status")).to_contain_text("The contact attempt is logged.")
    attempts = page.get_by_role("region", name="Contact attempts")
    expect(attempts).to_contain_text("Spoke with them")
    expect(attempts).to_contain_text("Safe tonight; sister is with them.")

    follow(page, page.get_by_role("button", name="Accept to intake"))
    expect(page.get_by_role("status")).to_contain_text("Accepted to intake.")
    expect(page.get_by_role("link", name="Go to intake")).to_be_visible()

    # A duplicate: compared side by side, merged after confirming
    follow(page, page.get_by_role("link", name="Back to the queue"))
    follow(page, page.get_by_role("link", name="Jo Again"))
    expect(
        page.get_by_role("region", name="Is this the same person as an earlier referral?")
    ).to_contain_text("jo@example.net")
    _screenshot(page, "phone-referrals-triage-duplicate", phone=True)
    follow(page, page.get_by_role("link", name="Merge into the earlier referral"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merge two referrals for the same person"
    )
    expect(page.get_by_role("region", name="What will happen")).to_contain_text("phone")
    _screenshot(page, "phone-referrals-triage-merge", phone=True)
    follow(page, page.get_by_role("button", name="Merge the referrals"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jo Earlier")
    expect(page.get_by_role("status")).to_contain_text("The referrals are merged.")
    expect(page.get_by_role("region", name="How to contact them safely")).to_contain_text(
        "07700 900321"
    )
    assert Referral.objects.get(full_name="Jo Again").status == Status.MERGED

    # Another referral is better served elsewhere
    follow(page, page.get_by_role("link", name="Back to the queue"))
    follow(page, page.get_by_role("link", name="Sam Signpost"))
    signpost = page.locator("details", has_text="Signpost to another service")
    signpost.locator("summary").click()
    follow(page, signpost.get_by_role("button", name="Close as signposted"))
    expect(page.get_by_role("alert").first).to_contain_text("Service you pointed them to")
    signpost = page.locator("details", has_text="Signpost to another service")
    signpost.get_by_label("Note (optional)").fill("Wants help with debt first.")
    signpost.get_by_label("Service you pointed them to").fill("Riverside Money Advice")
    follow(page, signpost.get_by_role("button", name="Close as signposted"))
    expect(page.get_by_role("status")).to_contain_text(
        "The referral is closed as signposted to Riverside Money Advice."
    )
    expect(page.get_by_role("region", name=re.compile("^Outcome"))).to_contain_text(
        "Wants help with debt first."
    )

    follow(page, page.get_by_role("link", name="Back to the queue"))
    assert _queue_names(page) == ["Drew Urgent", "Jo Earlier", "Robin Routine"]
