"""An administrator makes a supervisor the data protection lead, then answers "who looked at this
mentee's record?" on a phone: searches the audit trail by the mentee's email, sees who read the
private session notes and in which role, and downloads the same search as a CSV file. Every page
passes axe."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Membership
from mentoring.models import SessionStatus
from tests.browser.helpers import follow, sign_in, visit
from tests.mentoring.factories import SessionFactory

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def test_an_administrator_finds_who_read_a_mentees_session_notes(
    admin, supervisor, mentee, mentor, active_relationship, client_for, open_page
):
    supervisor.name = "Helen Morris"
    supervisor.save(update_fields=["name"])
    held = SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() - timedelta(days=2),
        status=SessionStatus.HELD,
        private_notes="Talked about the hard week at home.",
        logged_at=timezone.now() - timedelta(days=1),
        logged_by=mentor,
    )
    client_for(supervisor).get(f"/mentoring/{active_relationship.pk}/sessions/{held.pk}/")

    page: Page = open_page(**PHONE)
    sign_in(page, admin)
    visit(page, "/audit/data-protection-leads/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data protection leads")
    follow(page, page.get_by_role("button", name="Make a data protection lead: Helen Morris"))
    expect(page.get_by_role("main")).to_contain_text("Helen Morris is now a data protection lead.")
    assert Membership.objects.get(user=supervisor).is_data_protection_lead

    follow(page, page.get_by_role("main").get_by_role("link", name="audit trail"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    page.get_by_label("About or by a person").fill(mentee.email)
    follow(page, page.get_by_role("button", name="Search"))
    table = page.get_by_role("table")
    row = table.get_by_role("row").filter(has_text="mentoring.session_notes_viewed")
    expect(row).to_contain_text("supervisor@example.org")
    expect(row).to_contain_text("supervisor")
    expect(row).to_contain_text(mentee.email)
    expect(page.get_by_role("main")).not_to_contain_text("hard week")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these events (CSV)").click()
    body = Path(download.value.path()).read_text(encoding="utf-8")
    assert "mentoring.session_notes_viewed" in body and "hard week" not in body
