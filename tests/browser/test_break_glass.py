"""Emergency ("break-glass") access on a phone: a coordinator opens a mentoring's staff page,
follows "Emergency access", is told next to the field that a reason is needed, gives one, reads
the pair's messages and the private session notes under the "ends at" banner, ends the access
and is refused the messages again. The data protection lead then finds the grant, with its
reason, on the review list. Every page passes axe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Membership
from audit.models import BreakGlassGrant
from mentoring.models import SessionStatus
from tests.browser.helpers import SCREENSHOT_DIR, check_accessibility, follow, sign_in, visit
from tests.mentoring.factories import MessageFactory, SessionFactory

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
REASON = "Mentee told the duty line she may not be safe tonight; checking what was agreed."
MESSAGE = "I have been hiding how bad things are this week."
PRIVATE_NOTE = "Trouble sleeping again, mentioned stopping medication."


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def private_records(active_relationship, mentee, mentor):
    MessageFactory(relationship=active_relationship, sender=mentee, body=MESSAGE)
    SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() - timedelta(days=2),
        status=SessionStatus.HELD,
        summary="We talked about the support group.",
        private_notes=PRIVATE_NOTE,
        logged_at=timezone.now() - timedelta(days=1),
        logged_by=mentor,
    )
    return active_relationship


def test_coordinator_opens_reads_and_ends_emergency_access_and_the_lead_reviews_it(
    private_records, coordinator, admin, organisation, open_page
):
    relationship = private_records
    messages_path = reverse("mentoring:messages", args=[relationship.pk])
    page = open_page(**PHONE)
    sign_in(page, coordinator)

    visit(page, reverse("mentoring:relationship_check_ins", args=[relationship.pk]))
    expect(page.get_by_role("main")).not_to_contain_text(MESSAGE)
    follow(page, page.get_by_role("link", name="Emergency access", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency access")
    _save(page, "phone-break-glass-open")

    follow(page, page.get_by_role("button", name="Open emergency access"))
    reason = page.get_by_label("Why do you need emergency access?")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("main")).to_contain_text("Say why you need emergency access.")
    _save(page, "phone-break-glass-reason-missing")
    assert not BreakGlassGrant.objects.exists()

    reason.fill(REASON)
    follow(page, page.get_by_role("button", name="Open emergency access"))
    expect(page).to_have_url(re.compile(re.escape(messages_path) + "$"))
    grant = BreakGlassGrant.objects.get()
    ends_at = timezone.localtime(grant.expires_at).strftime("%H:%M")
    banner = page.get_by_role("region", name=re.compile("Emergency access, ends at"))
    expect(banner.get_by_role("heading")).to_have_text(f"Emergency access, ends at {ends_at}")
    expect(page.get_by_role("main")).to_contain_text(MESSAGE)
    expect(page.get_by_role("textbox")).to_have_count(0)  # read-only: nothing to type into
    _save(page, "phone-break-glass-messages")

    follow(page, banner.get_by_role("link", name="Sessions and private notes"))
    expect(page.get_by_role("region", name=re.compile("Emergency access"))).to_be_visible()
    _save(page, "phone-break-glass-sessions")
    follow(page, page.get_by_role("main").get_by_role("link", name=re.compile(r"\d{4}, \d\d:\d\d")))
    expect(page.get_by_role("main")).to_contain_text(PRIVATE_NOTE)
    _save(page, "phone-break-glass-private-note")

    follow(
        page,
        page.get_by_role("region", name=re.compile("Emergency access")).get_by_role(
            "button", name="End emergency access now"
        ),
    )
    expect(page.get_by_role("main")).to_contain_text("Emergency access has ended.")
    expect(page.get_by_role("region", name=re.compile("Emergency access, ends"))).to_have_count(0)
    expect(page.get_by_role("link", name="Emergency access", exact=True)).to_be_visible()
    _save(page, "phone-break-glass-ended")
    grant.refresh_from_db()
    assert grant.ended_at is not None

    response = page.goto(messages_path)
    assert response is not None and response.status == 404
    check_accessibility(page)
    expect(page.get_by_role("main")).not_to_contain_text(MESSAGE)
    _save(page, "phone-break-glass-refused")

    Membership.objects.filter(user=admin, organisation=organisation).update(
        is_data_protection_lead=True
    )
    lead = open_page(**PHONE)
    sign_in(lead, admin)
    visit(lead, reverse("audit:break_glass_list"))
    expect(lead.get_by_role("heading", level=1)).to_have_text("Emergency access")
    entry = lead.get_by_role("listitem").filter(has_text=coordinator.name)
    expect(entry).to_contain_text(REASON)
    expect(entry).to_contain_text("Ended early at")
    _save(lead, "phone-break-glass-list")
