"""The coordinator's side of a relationship: the coordinator opens Relationships, finds the pair,
opens their check-ins and records the first check-in with the mentee. The mentee, on a phone,
raises a concern privately and asks for a different mentor. The coordinator sees it flagged on
the list, reads it and rematches; the concern is resolved as rematched and the mentee is back at
the top of the waiting list."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentoring.models import CheckIn, CheckInStatus, Concern, EndReason, RelationshipStatus
from referrals.models import Status
from referrals.selectors import waiting_list
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
WORDS = "We keep missing each other and I would like to try someone with evenings free."


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def pair(active_relationship, organisation):
    profile = active_relationship.mentor
    profile.display_name = "Jordan"
    profile.save(update_fields=["display_name"])
    # Someone who has waited a long time, to show the rematched mentee goes ahead of them.
    ReferralFactory(
        organisation=organisation,
        full_name="Priya Long-Wait",
        status=Status.WAITING,
        waiting_since=timezone.now() - timedelta(days=120),
    )
    return active_relationship


def test_coordinator_records_a_check_in_and_rematches_after_a_concern(
    pair, coordinator, mentee, open_page
):
    # The coordinator, at a desk: the list, then the pair's check-ins.
    staff = open_page()
    staff.set_viewport_size(DESKTOP)
    sign_in(staff, coordinator)
    visit(staff, "/mentoring/relationships/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Relationships")
    expect(staff.get_by_role("main")).to_contain_text("Next check-in Due on")
    follow(staff, staff.get_by_role("link", name="Jordan mentoring Samira"))
    expect(staff.get_by_role("heading", level=1)).to_have_text("Check-ins and concerns")
    with_mentee = staff.get_by_role("region", name="With Samira, the mentee")
    follow(staff, with_mentee.get_by_role("link", name=re.compile("Record this check-in")).first)
    expect(staff.get_by_role("heading", level=1)).to_have_text("Check-in with Samira, the mentee")

    # A first try without "how is it going" is explained, and the typed actions are kept.
    staff.get_by_label("Phone call").check()
    staff.get_by_label("Actions (optional)").fill("Send the walking group details.")
    follow(staff, staff.get_by_role("button", name="Record the check-in"))
    expect(staff.get_by_role("alert").first).to_contain_text("Some answers need another look")
    expect(staff.get_by_label("Actions (optional)")).to_have_value(
        "Send the walking group details."
    )
    staff.get_by_label("How is it going?").fill("Samira says the first sessions felt awkward.")
    follow(staff, staff.get_by_role("button", name="Record the check-in"))
    expect(staff.get_by_role("status").first).to_contain_text("Check-in recorded.")
    with_mentee = staff.get_by_role("region", name="With Samira, the mentee")
    expect(with_mentee).to_contain_text("Samira says the first sessions felt awkward.")
    expect(with_mentee).to_contain_text("Phone call")
    done = CheckIn.objects.get(status=CheckInStatus.DONE)
    assert (done.person, done.method) == ("mentee", "phone")

    # Jordan phoned the coordinator in between: an extra check-in, off the schedule.
    follow(
        staff, staff.get_by_role("link", name="Record an extra check-in with Jordan, the mentor")
    )
    expect(staff.get_by_role("heading", level=1)).to_have_text("Record an extra check-in")
    expect(staff.get_by_label("Jordan, the mentor")).to_be_checked()
    staff.get_by_label("Video call").check()
    staff.get_by_label("How is it going?").fill("Jordan asked about ideas for a first goal.")
    follow(staff, staff.get_by_role("button", name="Record the check-in"))
    expect(staff.get_by_role("status").first).to_contain_text("Extra check-in recorded.")
    expect(staff.get_by_role("region", name="With Jordan, the mentor")).to_contain_text(
        "Jordan asked about ideas for a first goal."
    )
    staff.set_viewport_size({"width": 390, "height": 844})
    _save(staff, "phone-mentoring-relationship-check-ins")
    staff.set_viewport_size(DESKTOP)

    # Every check-in still to do across the organisation, soonest first.
    visit(staff, "/mentoring/check-ins/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Check-ins due")
    expect(staff.get_by_role("region", name=re.compile("Coming up"))).to_contain_text(
        "Mentor: Jordan"
    )
    staff.set_viewport_size({"width": 390, "height": 844})
    _save(staff, "phone-mentoring-check-ins")
    staff.set_viewport_size(DESKTOP)

    # The mentee, on a phone, raises a concern from their overview.
    phone = open_page(**PHONE)
    sign_in(phone, mentee)
    visit(phone, f"/mentoring/{pair.pk}/")
    follow(phone, phone.get_by_role("link", name="Talk to your coordinator privately"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Talk to the coordinator privately")
    expect(phone.get_by_role("main")).to_contain_text("Jordan will not see what you write")
    phone.get_by_label("Communication").check()
    phone.get_by_label("I would like a different mentor or mentee").check()
    phone.get_by_label("What is happening?").fill(WORDS)
    _save(phone, "phone-mentoring-concern-form")
    follow(phone, phone.get_by_role("button", name="Send privately to the coordinator"))
    sent = phone.get_by_role("region", name="Thank you. The coordinator has your message.")
    expect(sent).to_contain_text("What happens next")
    expect(sent).to_contain_text("Jordan will not see what you wrote")
    expect(phone.get_by_role("region", name="What you have raised")).to_contain_text(
        "Open: the coordinator will be in touch."
    )
    _save(phone, "phone-mentoring-concern-sent")

    # The coordinator sees it flagged on the list, at desk and phone width.
    visit(staff, "/mentoring/relationships/")
    staff.get_by_label("Needs attention").select_option("concerns")
    follow(staff, staff.get_by_role("button", name="Show"))
    row = staff.get_by_role("listitem").filter(has_text="Jordan mentoring Samira")
    expect(row).to_contain_text("1 open concern")
    _save(staff, "mentoring-relationships")
    staff.set_viewport_size({"width": 390, "height": 844})
    _save(staff, "phone-mentoring-relationships")
    staff.set_viewport_size(DESKTOP)

    follow(staff, row.get_by_role("link", name="Jordan mentoring Samira"))
    follow(staff, staff.get_by_role("link", name=re.compile("Open: raised by the mentee")))
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        "Concern raised by Samira, the mentee"
    )
    expect(staff.get_by_role("main")).to_contain_text(WORDS)
    follow(staff, staff.get_by_role("link", name="Rematch", exact=True))
    expect(staff.get_by_role("heading", level=1)).to_have_text("Rematch Samira")
    expect(staff.get_by_role("main")).to_contain_text(
        "The open request for a rematch is resolved as rematched."
    )
    staff.get_by_label("Note (optional)").fill("Needs a mentor free on weekday evenings.")
    follow(staff, staff.get_by_role("button", name="End this relationship and rematch"))

    # Back on the waiting list, at the top.
    expect(staff).to_have_url(re.compile(r"/referrals/waiting/$"))
    expect(staff.get_by_role("status").first).to_contain_text(
        "Samira is back at the top of the waiting list"
    )
    first_waiting = staff.get_by_role("main").locator("ol > li").first
    expect(first_waiting).to_contain_text("Samira Quinlan")
    pair.refresh_from_db()
    assert (pair.status, pair.end_reason) == (RelationshipStatus.ENDED, EndReason.REMATCH)
    referral = pair.referral
    referral.refresh_from_db()
    assert referral.rematch_requested_at is not None
    assert waiting_list(pair.organisation).first() == referral
    assert Concern.objects.get().outcome == "rematched"

    # The concern's page now shows the outcome.
    visit(staff, f"/mentoring/{pair.pk}/check-ins/")
    follow(staff, staff.get_by_role("link", name=re.compile("Resolved: raised by the mentee")))
    expect(staff.get_by_role("region", name="Outcome")).to_contain_text("Rematched")
