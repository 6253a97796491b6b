"""A mentee, on a phone, reads everything the programme holds about them, downloads it as a data
file, and says no to email reminders on their privacy choices page. Every page passes axe."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentoring.models import SessionStatus
from privacy.consent import has_consent, processing_allowed
from privacy.export import PRIVATE_NOTES_WITHHELD
from privacy.models import Purpose
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from tests.mentoring.factories import GoalFactory, MessageFactory, SessionFactory

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
PRIVATE_NOTE = "Seemed tired; mention to supervisor."


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def mentee_with_a_record(active_relationship, phq9_request, mentee, mentor):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() - timedelta(days=3),
        status=SessionStatus.HELD,
        scheduled_by=mentor,
        summary="We planned a walk to the library.",
        private_notes=PRIVATE_NOTE,
    )
    GoalFactory(relationship=active_relationship, title="Walk to the library <on my own>")
    MessageFactory(relationship=active_relationship, sender=mentor, body="See you Tuesday!")
    return active_relationship


def test_a_mentee_downloads_their_data_and_says_no_to_reminders(
    mentee_with_a_record, mentee, open_page
):
    page = open_page(accept_downloads=True, **PHONE)
    sign_in(page, mentee)

    visit(page, "/privacy/my-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Walk to the library <on my own>")
    expect(main).to_contain_text("See you Tuesday!")
    expect(main).to_contain_text(PRIVATE_NOTES_WITHHELD)
    expect(main).not_to_contain_text(PRIVATE_NOTE)
    _save(page, "phone-privacy-my-data")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download as a data file (JSON)").click()
    download = downloading.value
    assert download.suggested_filename.startswith("alongside-my-data-")
    data = json.loads(Path(download.path()).read_text())
    assert data["schema_version"] == 1
    assert data["relationships"][0]["goals"][0]["title"] == "Walk to the library <on my own>"
    assert PRIVATE_NOTE not in json.dumps(data)

    follow(page, page.get_by_role("link", name="Your privacy choices"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your privacy choices")
    reminders = page.get_by_role("region", name=str(Purpose.EMAIL_REMINDERS.label))
    expect(reminders).to_contain_text("You have not answered yet.")
    follow(page, reminders.get_by_role("button", name="I agree"))
    reminders = page.get_by_role("region", name=str(Purpose.EMAIL_REMINDERS.label))
    expect(reminders).to_contain_text("You agreed on")
    assert has_consent(mentee, Purpose.EMAIL_REMINDERS)

    follow(page, reminders.get_by_role("button", name="Withdraw my agreement"))
    expect(page.get_by_role("status")).to_contain_text("From now on we will not do this")
    reminders = page.get_by_role("region", name=str(Purpose.EMAIL_REMINDERS.label))
    expect(reminders).to_contain_text("You said no on")
    _save(page, "phone-privacy-choices")
    assert not has_consent(mentee, Purpose.EMAIL_REMINDERS)
    assert not processing_allowed(mentee, Purpose.EMAIL_REMINDERS)
