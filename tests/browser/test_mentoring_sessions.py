"""A session from start to finish: the mentor arranges it and adds it to their calendar, and
after it has happened logs it with a summary and private notes; the mentee reads the summary
(never the private notes) and adds their own reflection. Both use a phone, as many will."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from mentoring.models import MentoringSession, SessionStatus
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
SUMMARY = "We looked at the bus times and planned the first trip to the Wednesday group."
PRIVATE = "Sleep has been poor this week; mention to my supervisor next time."
REFLECTION = "It helped to plan it together. I feel less nervous about Wednesday."


def _save(page: Page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0
    return path


def test_a_session_arranged_logged_and_reflected_on(
    active_relationship, mentor, mentee, open_page, transactional_db
):
    sessions_path = f"/mentoring/{active_relationship.pk}/sessions/"

    # The mentor arranges a session, on a phone
    page = open_page(**PHONE)
    sign_in(page, mentor)
    visit(page, sessions_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions")
    expect(page.get_by_role("main")).to_contain_text("No sessions planned yet")
    day = timezone.localdate() + timedelta(days=2)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("18:00")
    page.get_by_role("radio", name="Video call").check()
    page.get_by_label("Where, or the video call link").fill("https://meet.example.org/riverside")
    _save(page, "phone-mentoring-sessions-arrange")
    follow(page, page.get_by_role("button", name="Arrange the session"))
    expect(page.get_by_role("status")).to_contain_text("The session is arranged")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session on")
    session = MentoringSession.objects.get()

    # ...and adds it to their calendar
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to your calendar (.ics file)").click()
    download = download_info.value
    assert download.suggested_filename == f"mentoring-session-{day.isoformat()}.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    [event] = calendar.events
    assert str(event["SUMMARY"]) == "Mentoring session"
    assert str(event["UID"]).startswith(f"session-{session.pk}@")
    assert timezone.localtime(event.start).strftime("%H:%M") == "18:00"

    # The session happens
    MentoringSession.objects.filter(pk=session.pk).update(
        scheduled_for=timezone.now() - timedelta(hours=2)
    )

    # The mentor is asked to log it, and does
    visit(page, sessions_path)
    to_log = page.get_by_role("region", name="Sessions to log")
    expect(to_log).to_be_visible()
    follow(page, to_log.get_by_role("link", name=re.compile("Log this session")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log the session")
    page.get_by_label("We met").check()
    page.get_by_label("How long you met (minutes)").fill("50")
    page.get_by_label("Topics you talked about").fill("Buses, the Wednesday group")
    page.get_by_label("Summary you both see").fill(SUMMARY)
    page.get_by_label("Private notes").fill(PRIVATE)
    page.get_by_label("How your mentee said they felt at the start (optional)").select_option("4")
    page.get_by_label("How your mentee said they felt at the end (optional)").select_option("6")
    _save(page, "phone-mentoring-session-log")
    follow(page, page.get_by_role("button", name="Save the log"))
    expect(page.get_by_role("status")).to_contain_text("Your log is saved")
    expect(page.get_by_role("region", name="Private notes")).to_contain_text(PRIVATE)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.mood_after == 6

    # The mentee reads the summary, but never the private notes, and reflects
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, f"{sessions_path}{session.pk}/")
    main = page.get_by_role("main")
    expect(main).to_contain_text(SUMMARY)
    expect(main).not_to_contain_text(PRIVATE)
    expect(main).not_to_contain_text("Private notes")
    expect(main).not_to_contain_text("out of 10")
    follow(page, page.get_by_role("link", name="Add your reflection"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reflection")
    page.get_by_label("4: Helpful").check()
    page.get_by_label("Your reflection (optional)").fill(REFLECTION)
    _save(page, "phone-mentoring-session-reflect")
    follow(page, page.get_by_role("button", name="Save my reflection"))
    expect(page.get_by_role("status")).to_contain_text("Your reflection is saved")
    reflection = page.get_by_role("region", name="Your reflection")
    expect(reflection).to_contain_text(REFLECTION)
    expect(reflection).to_contain_text("4 out of 5, Helpful")
    expect(page.get_by_role("main")).not_to_contain_text(PRIVATE)
    _save(page, "phone-mentoring-session-mentee")
