"""The privacy pages staff use, on a phone. An administrator makes a coordinator a data
protection lead, changes the retention policy (a bad value is explained next to its field and the
other values stay as typed) and publishes new wording for one privacy choice. A coordinator
downloads a mentee's data for them, after saying why and confirming who asked. Every page passes
axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Membership
from audit.models import AuditEvent
from privacy.models import ConsentVersion, Purpose, RetentionPolicy
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
NEW_WORDING = (
    "We send you emails to remind you about sessions and questionnaires. "
    "Say no here at any time and we stop."
)


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def test_administrator_chooses_a_lead_sets_retention_and_publishes_wording(
    admin, coordinator, organisation, open_page
):
    coordinator.name = "Dana Whitfield"
    coordinator.save(update_fields=["name"])
    page = open_page(**PHONE)
    sign_in(page, admin)

    visit(page, "/audit/data-protection-leads/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data protection leads")
    _save(page, "phone-privacy-admin-leads")
    follow(page, page.get_by_role("button", name="Make a data protection lead: Dana Whitfield"))
    expect(page.get_by_role("main")).to_contain_text(
        "Dana Whitfield is now a data protection lead."
    )
    expect(
        page.get_by_role("button", name="Remove as data protection lead: Dana Whitfield")
    ).to_be_visible()
    assert Membership.objects.get(
        user=coordinator, organisation=organisation
    ).is_data_protection_lead

    # Found as a new administrator would: the one privacy link in the menu, then its page.
    follow(
        page,
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Privacy and data"),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy and data")
    _save(page, "phone-privacy-admin-hub")
    follow(page, page.get_by_role("link", name="Retention", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention policy")
    _save(page, "phone-privacy-admin-retention")
    applicants = page.get_by_label("Months to keep a declined or withdrawn mentor application")
    referrals = page.get_by_label("Months to keep a closed referral that never led to mentoring")
    applicants.fill("9")
    referrals.fill("0")
    follow(page, page.get_by_role("button", name="Save the retention policy"))
    expect(referrals).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_closed_referral_months_error")).to_have_text(
        "Enter a number of months from 1 to 600."
    )
    expect(applicants).to_have_value("9")
    _save(page, "phone-privacy-admin-retention-error")
    assert not RetentionPolicy.objects.filter(organisation=organisation).exists()

    referrals.fill("18")
    follow(page, page.get_by_role("button", name="Save the retention policy"))
    expect(page.get_by_role("main")).to_contain_text("Retention policy saved.")
    policy = RetentionPolicy.objects.get(organisation=organisation)
    assert (policy.declined_applicant_months, policy.closed_referral_months) == (9, 18)

    visit(page, "/privacy/consent/wording/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy choice wordings")
    _save(page, "phone-privacy-admin-wordings")
    reminders = Purpose.EMAIL_REMINDERS.label
    change = re.compile(r"Change the wording\s*: " + re.escape(reminders))
    follow(page, page.get_by_role("link", name=change))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change the wording")
    expect(page.get_by_role("main")).to_contain_text(reminders)
    _save(page, "phone-privacy-admin-wording")
    page.get_by_label("New wording").fill(NEW_WORDING)
    follow(page, page.get_by_role("button", name="Publish version 2"))
    expect(page.get_by_role("main")).to_contain_text("Version 2 published.")
    expect(page.get_by_role("region", name=reminders)).to_contain_text(NEW_WORDING)
    current = ConsentVersion.objects.filter(
        organisation=organisation, purpose=Purpose.EMAIL_REMINDERS
    ).latest("version")
    assert (current.version, current.wording) == (2, NEW_WORDING)


def test_coordinator_downloads_a_mentees_data_for_them(
    active_relationship, coordinator, mentee, open_page
):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    page = open_page(**PHONE)
    sign_in(page, coordinator)

    visit(page, "/privacy/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Download a person's data")
    page.get_by_label("Name, email or phone").fill("Samira")
    follow(page, page.get_by_role("button", name="Search"))
    _save(page, "phone-privacy-admin-people")
    follow(page, page.get_by_role("link", name="Samira Quinlan"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Download")

    page.get_by_label("They asked for a copy of their data (subject access)").check()
    page.get_by_label("A page to read or print").check()
    follow(page, page.get_by_role("button", name="Download"))
    identity = page.get_by_label("I have checked that the request really comes from this person")
    expect(identity).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("main")).to_contain_text("Check who is asking before downloading")
    expect(page.get_by_label("A page to read or print")).to_be_checked()
    _save(page, "phone-privacy-admin-on-behalf-error")
    assert not AuditEvent.objects.filter(action__startswith="privacy.export").exists()

    identity.check()
    follow(page, page.get_by_role("button", name="Download"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Data held about")
    expect(page.get_by_role("main")).to_contain_text(mentee.email)
    _save(page, "phone-privacy-admin-on-behalf-page")
    event = AuditEvent.objects.filter(action__startswith="privacy.").latest("pk")
    assert event.actor == coordinator
    assert event.metadata.get("reason") == "access_request"
