"""Practice standards: a coordinator opens the compliance page, chooses another period, and
follows "See all gaps" to the full list; on a phone the page fits the screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from tests.reports.test_compliance import mentor as make_mentor
from tests.reports.test_compliance import pair

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
UNSUPERVISED = 22


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def unsupervised_mentors(organisation):
    """22 mentors each mentoring someone since 60 days ago, none supervised."""
    started = timezone.now() - timedelta(days=60)
    for number in range(UNSUPERVISED):
        pair(
            organisation,
            make_mentor(organisation, f"Mentor {number:02}"),
            "Sam",
            started_at=started,
        )


def test_the_coordinator_finds_the_gaps_to_put_right(unsupervised_mentors, coordinator, page):
    sign_in(page, coordinator)
    visit(page, "/reports/compliance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice standards")
    supervision = page.get_by_role("region", name="Supervision at the set interval")
    expect(supervision).to_contain_text(f"Met 0 of {UNSUPERVISED} (0%)")
    expect(supervision).to_contain_text("No supervision recorded before today.")
    expect(page.get_by_role("img", name="Share of each standard met")).to_be_visible()
    expect(page.get_by_role("table", name="Standards met")).to_contain_text("Supervision")

    # A period that ended before anyone was matched: no mentors to check.
    today = timezone.localdate()
    page.get_by_label("From", exact=True).fill((today - timedelta(days=400)).isoformat())
    page.get_by_label("To", exact=True).fill((today - timedelta(days=200)).isoformat())
    follow(page, page.get_by_role("button", name="Show"))
    supervision = page.get_by_role("region", name="Supervision at the set interval")
    expect(supervision).to_contain_text("No mentors in this period to check against")

    # Back to the last 90 days, then every gap of one standard.
    page.get_by_label("From", exact=True).fill((today - timedelta(days=89)).isoformat())
    page.get_by_label("To", exact=True).fill(today.isoformat())
    follow(page, page.get_by_role("button", name="Show"))
    supervision = page.get_by_role("region", name="Supervision at the set interval")
    expect(supervision.get_by_role("listitem")).to_have_count(20)
    follow(page, supervision.get_by_role("link", name=f"See all {UNSUPERVISED} gaps"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision at the set interval")
    expect(page.get_by_role("listitem").filter(has_text="Mentor 21")).to_be_visible()
    expect(page.get_by_label("From", exact=True)).to_have_value(
        (today - timedelta(days=89)).isoformat()
    )


def test_the_compliance_page_fits_a_phone(unsupervised_mentors, coordinator, open_page):
    page = open_page(**PHONE)
    sign_in(page, coordinator)
    visit(page, "/reports/compliance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice standards")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _save(page, "phone-reports-compliance")
    visit(page, "/reports/compliance/supervision_interval/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _save(page, "phone-reports-compliance-standard")
