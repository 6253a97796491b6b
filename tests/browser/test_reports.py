"""A coordinator opens the programme reports on a phone: reads the figures, changes the period,
finds a chart with its table, then opens the printable version and the funder report. Every
page passes axe; phone screenshots are saved for a person to look at."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from referrals.models import Source
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def referrals(organisation):
    """Eight self-referrals and six from GP practices this month: enough to be shown."""
    for _ in range(8):
        ReferralFactory(organisation=organisation, source=Source.SELF)
    for _ in range(6):
        ReferralFactory(organisation=organisation, source=Source.GP)


def test_a_coordinator_reads_the_programme_reports_on_a_phone(
    coordinator, organisation, referrals, open_page
):
    page: Page = open_page(**PHONE)
    sign_in(page, coordinator)
    visit(page, "/")
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme reports")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Referrals made")
    _screenshot(page, "reports-dashboard-phone")

    start = timezone.localdate() - timedelta(days=29)
    page.get_by_label("From").fill(start.isoformat())
    follow(page, page.get_by_role("button", name="Show these figures"))
    expect(main.locator("p.lead")).to_contain_text(f"Figures for {start:%-d %B %Y} to")

    caption = "Referrals made in the period, by who referred"
    chart = page.get_by_role("img", name=caption)
    expect(chart).to_be_visible()
    # The table is the chart's alternative, a click away.
    main.locator(".report-table", has=chart).get_by_text("Show these figures as a table").click()
    table = main.get_by_role("table", name=caption)
    expect(table.get_by_role("row", name="Self-referral")).to_contain_text("8")
    expect(table.get_by_role("row", name="GP practice")).to_contain_text("6")

    follow(page, main.get_by_role("link", name="Printable version"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(organisation.name)
    expect(page.get_by_role("main")).to_contain_text(f"{start:%-d %B %Y}")
    _screenshot(page, "reports-printable-phone")

    follow(page, page.get_by_role("link", name="Back to the reports"))
    follow(page, page.get_by_role("main").get_by_role("link", name="Funder report"))
    expect(page.get_by_role("heading", level=1)).to_have_text(organisation.name)
    expect(page.get_by_role("main")).to_contain_text("How these figures are counted")
    _screenshot(page, "reports-funder-phone")
    # On paper (A4) the funder report fits on two pages at most.
    pdf = page.pdf(format="A4", print_background=True)
    (SCREENSHOT_DIR / "reports-funder.pdf").write_bytes(pdf)
    assert 1 <= len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) <= 2
