"""A GP practice's referrer signs in, refers someone with their agreement, and follows the
status of the referrals they made."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from referrals.models import Referral, Source
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit

pytestmark = pytest.mark.browser


def test_referrer_refers_someone_and_sees_the_status_list(organisation, areas, referrer, page):
    sign_in(page, referrer)
    visit(page, "/referrals/partner/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your referrals")
    expect(page.get_by_role("main")).to_contain_text("You have not made any referrals here yet")

    follow(page, page.get_by_role("main").get_by_role("link", name="Refer someone"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer someone")
    page.get_by_label("What kind of organisation are you referring from?").select_option(
        label="GP practice"
    )
    page.get_by_label("Your organisation's name (optional)").fill("Northgate Surgery")
    page.get_by_label("The person's full name").fill("Jordan Lee")
    page.get_by_label("Their phone number").fill("07700 900321")
    page.get_by_label("It is OK to leave them a voicemail").check()
    page.get_by_label("Yes, they are safe right now").check()
    page.get_by_label("Grief").check()
    page.get_by_label("What do they hope to get from mentoring? (optional)").fill(
        "Company on walks after losing their partner."
    )
    page.get_by_label("I have shared this statement with the person").check()
    follow(page, page.get_by_role("button", name="Send the referral"))

    # Forgot to confirm the person agreed: told next to the box, nothing lost.
    expect(page.locator("#id_person_agreed_error")).to_contain_text("has agreed")
    expect(page.get_by_label("The person's full name")).to_have_value("Jordan Lee")
    assert not Referral.objects.exists()
    page.get_by_label("I confirm the person has agreed to this referral").check()
    follow(page, page.get_by_role("button", name="Send the referral"))

    expect(page).to_have_url(re.compile(r"/referrals/partner/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Your referral for Jordan Lee has been sent")
    expect(page.get_by_role("main")).not_to_contain_text("Company on walks")

    follow(page, page.get_by_role("link", name="Back to your referrals"))
    row = page.get_by_role("row", name=re.compile("Jordan Lee"))
    expect(row).to_contain_text("GP practice")
    expect(row).to_contain_text("New")
    expect(page.get_by_role("main")).not_to_contain_text("07700 900321")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / "partner-referrals-list.png", full_page=True)

    referral = Referral.objects.get()
    assert referral.source == Source.GP
    assert referral.referrer == referrer
