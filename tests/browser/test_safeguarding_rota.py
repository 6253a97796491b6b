"""A coordinator sets up the safeguarding duty rota on a phone: sees that nobody is on duty and
what happens then, names the supervisor a safeguarding lead, adds a shift (first with the end
before the start, which is explained next to the end date with everything typed kept), and sees
who is on duty now. Every page passes axe."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from safeguarding.models import DutyShift, SafeguardingLead
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
PHONE_SCREENSHOT = "/tmp/rota-phone.png"  # noqa: S108 - for a person to look at


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def test_a_coordinator_names_a_lead_and_puts_them_on_duty(
    coordinator, supervisor, admin, organisation, open_page
):
    supervisor.name = "Helen Morris"
    supervisor.save(update_fields=["name"])
    page = open_page(**PHONE)
    sign_in(page, coordinator)
    visit(page, "/safeguarding/rota/")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding duty rota")
    expect(main).to_contain_text("Nobody is on duty now.")
    expect(main).to_contain_text(
        "There are no safeguarding leads, so new alerts go to the coordinators"
    )

    # Name the supervisor a safeguarding lead
    page.get_by_label("Who").select_option(label="Helen Morris (Supervisor)")
    follow(page, page.get_by_role("button", name="Name as lead"))
    expect(page.get_by_role("status")).to_contain_text("Helen Morris is now a safeguarding lead")
    expect(main).to_contain_text("New alerts go to every safeguarding lead")

    # Add a shift: first with the end before the start
    follow(page, main.get_by_role("link", name="Add a shift").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a shift")
    expect(page.get_by_label("Who is on duty")).to_have_value(
        str(SafeguardingLead.objects.get(user=supervisor).pk)
    )
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    wrong_end = start - timedelta(days=1)
    page.get_by_label("Start date").fill(f"{start:%Y-%m-%d}")
    page.get_by_label("Start time").fill(f"{start:%H:%M}")
    page.get_by_label("End date").fill(f"{wrong_end:%Y-%m-%d}")
    page.get_by_label("End time").fill(f"{wrong_end:%H:%M}")
    follow(page, page.get_by_role("button", name="Add the shift"))
    expect(page.locator("#id_end_date_error")).to_have_text("The end must be after the start.")
    expect(page.get_by_label("End date")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_contain_text("End date: The end must be after the start.")
    expect(page.get_by_label("Start date")).to_have_value(f"{start:%Y-%m-%d}")
    expect(page.get_by_label("Start time")).to_have_value(f"{start:%H:%M}")
    expect(page.get_by_label("End time")).to_have_value(f"{wrong_end:%H:%M}")
    assert not DutyShift.objects.exists()
    _save(page, "phone-safeguarding-shift-error")

    # Put it right: twelve hours from the start
    end = start + timedelta(hours=12)
    page.get_by_label("End date").fill(f"{end:%Y-%m-%d}")
    page.get_by_label("End time").fill(f"{end:%H:%M}")
    follow(page, page.get_by_role("button", name="Add the shift"))
    expect(page).to_have_url(re.compile(r"/safeguarding/rota/$"))
    expect(page.get_by_role("status")).to_contain_text("Shift added: Helen Morris is on duty")

    # Who is on duty now, and the gap after the shift
    on_duty = page.get_by_role("region", name="On duty now")
    expect(on_duty).to_contain_text(
        f"Helen Morris, until {end:%a} {end.day} {end:%b}, {end:%H:%M}."
    )
    expect(page.get_by_role("region", name="Gaps in the next 7 days")).to_contain_text(
        "Nobody is on duty at these times"
    )
    expect(page.get_by_role("region", name="Shifts in the next 14 days")).to_contain_text(
        "On duty now"
    )
    shift = DutyShift.objects.get()
    assert (shift.lead.user, shift.created_by) == (supervisor, coordinator)
    _save(page, "phone-safeguarding-rota")
    shutil.copyfile(SCREENSHOT_DIR / "phone-safeguarding-rota.png", PHONE_SCREENSHOT)

    # The response times page, and back
    follow(page, page.get_by_role("link", name="Change the response times"))
    expect(page.get_by_label("Urgent alerts: minutes")).to_have_value("15")
    page.get_by_label("High alerts: minutes").fill("10")
    follow(page, page.get_by_role("button", name="Save the response times"))
    expect(page.locator("#id_high_minutes_error")).to_contain_text(
        "Enter a number from 15 to 1440 minutes."
    )
    expect(page.get_by_label("High alerts: minutes")).to_have_value("10")
    _save(page, "phone-safeguarding-response-times-error")
    page.get_by_label("High alerts: minutes").fill("45")
    follow(page, page.get_by_role("button", name="Save the response times"))
    expect(page.get_by_role("main")).to_contain_text("High: within 45 minutes")
