"""A coordinator erases a former mentee's data on a phone: records the request, reads that
nothing suggests a hold, tries to erase without confirming (explained next to the checkbox),
confirms and erases, and sees what was erased, by counts only. Every page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from privacy.models import ErasureRequest, ErasureStatus
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def test_coordinator_records_checks_and_erases(
    ended_relationship, coordinator, open_page, transactional_db
):
    mentee = ended_relationship.mentee
    page = open_page(**PHONE)
    sign_in(page, coordinator)

    visit(page, "/privacy/erasure/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erasure requests")
    follow(page, page.get_by_role("link", name="Record an erasure request"))
    page.get_by_label("Person with an account").select_option(str(mentee.pk))
    follow(page, page.get_by_role("button", name="Record the request"))
    expect(page.get_by_role("status")).to_contain_text("Nothing is erased yet")
    expect(page.get_by_role("main")).to_contain_text("Alongside found no open or recent")

    page.get_by_role("radio", name="Erase their personal data now").check()
    follow(page, page.get_by_role("button", name="Confirm"))
    expect(page.get_by_role("main")).to_contain_text(
        "Confirm there is no legal or safeguarding hold first."
    )
    _save(page, "phone-privacy-erasure-confirm")

    page.get_by_label("I have checked").check()
    follow(page, page.get_by_role("button", name="Confirm"))
    expect(page.get_by_role("status")).to_contain_text("the personal data is erased")
    expect(page.get_by_role("heading", name="What was erased")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text(mentee.email)
    _save(page, "phone-privacy-erasure-done")

    request = ErasureRequest.objects.get()
    assert request.status == ErasureStatus.ERASED
    mentee.refresh_from_db()
    assert not mentee.is_active
