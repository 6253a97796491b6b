"""A whole relationship through the pages, from the first agreement to the follow-up after the
ending. The mentor (at a desk) drafts the agreement and the mentee (on a phone) acknowledges it;
the mentor arranges a session, and once it has happened logs it; the mentee reflects on it and
sets a goal; the mentor begins the planned ending; the mentee writes their wellbeing plan and
marks it ready; the coordinator closes the relationship (goals met) and later records the
follow-up check-in from the list of check-ins due. Every page is checked with axe."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentoring.models import (
    CheckIn,
    CheckInKind,
    CheckInStatus,
    EndReason,
    MentoringSession,
    Relationship,
    RelationshipStatus,
    SessionStatus,
)
from tests.browser.helpers import SCREENSHOT_DIR, check_accessibility, follow, sign_in, visit

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
GOALS = "Feel able to go to the Wednesday support group on my own."
SUMMARY = "We planned the first bus trip to the Wednesday group."
PRIVATE = "Sleep has been poor this week; mention to my supervisor."
REFLECTION = "Planning it together made Wednesday feel less scary."
GOAL = "Go to the support group on Wednesday"


def _save(page: Page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0
    return path


def _section(page: Page, label: str) -> None:
    """Opens a section of this relationship from its own navigation."""
    nav = page.get_by_role("navigation", name="This mentoring")
    follow(page, nav.get_by_role("link", name=label, exact=True))


@pytest.fixture
def new_pair(relationship):
    profile = relationship.mentor
    profile.display_name = "Jordan"
    profile.save(update_fields=["display_name"])
    return relationship


def test_a_relationship_from_agreement_to_follow_up(
    new_pair, mentor, mentee, coordinator, open_page
):
    pk = new_pair.pk

    # The mentor drafts the agreement after the first meeting.
    by_mentor = open_page()
    by_mentor.set_viewport_size(DESKTOP)
    sign_in(by_mentor, mentor)
    visit(by_mentor, "/mentoring/")
    follow(by_mentor, by_mentor.get_by_role("link", name="Samira"))
    expect(by_mentor.get_by_role("heading", level=1)).to_have_text("Mentoring Samira")
    follow(by_mentor, by_mentor.get_by_role("link", name="Draft the agreement"))
    by_mentor.get_by_label("What the mentee hopes to work on, in their own words").fill(GOALS)
    by_mentor.get_by_label("Every two weeks").check()
    by_mentor.get_by_label("In person").check()
    by_mentor.get_by_label("Planned end date").fill(
        (timezone.localdate() + timedelta(weeks=24)).isoformat()
    )
    follow(by_mentor, by_mentor.get_by_role("button", name="Save the agreement"))
    expect(by_mentor.get_by_role("status")).to_contain_text("your acknowledgement is recorded")

    # The mentee, on a phone, reads and acknowledges it: the mentoring starts.
    by_mentee = open_page(**PHONE)
    sign_in(by_mentee, mentee)
    visit(by_mentee, "/mentoring/")
    follow(by_mentee, by_mentee.get_by_role("link", name="Read and acknowledge the agreement"))
    expect(by_mentee.get_by_role("main")).to_contain_text(GOALS)
    follow(by_mentee, by_mentee.get_by_role("button", name="I have read this and agree"))
    expect(by_mentee.get_by_role("status")).to_contain_text("your mentoring has now started")
    assert Relationship.objects.get().status == RelationshipStatus.ACTIVE
    assert CheckIn.objects.filter(status=CheckInStatus.DUE).count() == 4

    # The mentor arranges a session.
    visit(by_mentor, f"/mentoring/{pk}/")
    _section(by_mentor, "Sessions")
    by_mentor.get_by_label("Date").fill((timezone.localdate() + timedelta(days=2)).isoformat())
    by_mentor.get_by_label("Start time").fill("18:00")
    by_mentor.get_by_role("radio", name="Video call").check()
    by_mentor.get_by_label("Where, or the video call link").fill(
        "https://meet.example.org/riverside"
    )
    follow(by_mentor, by_mentor.get_by_role("button", name="Arrange the session"))
    expect(by_mentor.get_by_role("status")).to_contain_text("The session is arranged")
    session = MentoringSession.objects.get()

    # It happens; the mentor logs it.
    MentoringSession.objects.filter(pk=session.pk).update(
        scheduled_for=timezone.now() - timedelta(hours=2)
    )
    _section(by_mentor, "Sessions")
    to_log = by_mentor.get_by_role("region", name="Sessions to log")
    follow(by_mentor, to_log.get_by_role("link", name=re.compile("Log this session")))
    by_mentor.get_by_label("We met").check()
    by_mentor.get_by_label("How long you met (minutes)").fill("50")
    by_mentor.get_by_label("Topics you talked about").fill("Buses, the Wednesday group")
    by_mentor.get_by_label("Summary you both see").fill(SUMMARY)
    by_mentor.get_by_label("Private notes").fill(PRIVATE)
    follow(by_mentor, by_mentor.get_by_role("button", name="Save the log"))
    expect(by_mentor.get_by_role("status")).to_contain_text("Your log is saved")
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD

    # The mentee reads the summary (never the private notes) and reflects.
    visit(by_mentee, f"/mentoring/{pk}/sessions/{session.pk}/")
    expect(by_mentee.get_by_role("main")).to_contain_text(SUMMARY)
    expect(by_mentee.get_by_role("main")).not_to_contain_text(PRIVATE)
    follow(by_mentee, by_mentee.get_by_role("link", name="Add your reflection"))
    by_mentee.get_by_label("4: Helpful").check()
    by_mentee.get_by_label("Your reflection (optional)").fill(REFLECTION)
    follow(by_mentee, by_mentee.get_by_role("button", name="Save my reflection"))
    expect(by_mentee.get_by_role("status")).to_contain_text("Your reflection is saved")
    expect(by_mentee.get_by_role("main")).not_to_contain_text(PRIVATE)

    # The mentee sets a goal in their own words.
    _section(by_mentee, "Goals")
    by_mentee.get_by_label("Your goal, in your own words").fill(GOAL)
    follow(by_mentee, by_mentee.get_by_role("button", name="Add this goal"))
    expect(by_mentee.get_by_role("status")).to_contain_text("Your goal is added")
    expect(by_mentee.get_by_role("heading", level=1)).to_have_text(GOAL)

    # The mentor begins the planned ending from the overview.
    _section(by_mentor, "Overview")
    expect(by_mentor.get_by_role("main")).to_contain_text("0 of 1 goal reached")
    visit(by_mentor, f"/mentoring/{pk}/ending/")
    follow(by_mentor, by_mentor.get_by_role("button", name="Begin the planned ending"))
    expect(by_mentor.get_by_role("status")).to_contain_text("The planned ending has started")
    assert Relationship.objects.get().status == RelationshipStatus.CLOSING

    # The mentee finds the ending on their overview, writes the plan and marks it ready.
    _section(by_mentee, "Overview")
    follow(by_mentee, by_mentee.get_by_role("link", name="See the ending"))
    expect(by_mentee.get_by_role("heading", level=1)).to_have_text("The planned ending")
    follow(by_mentee, by_mentee.get_by_role("link", name="Work on your plan"))
    by_mentee.get_by_label("What helps me").fill("Walking by the river before breakfast.")
    by_mentee.get_by_label("My toolkit").fill("Box breathing when my chest feels tight.")
    by_mentee.get_by_label("My people and places").fill("The Wednesday group at the library.")
    by_mentee.get_by_label("Early warning signs").fill("Sleeping badly and skipping meals.")
    by_mentee.get_by_label("What I will do").fill("Tell my sister and go back to the group.")
    follow(by_mentee, by_mentee.get_by_role("button", name="Save my plan"))
    expect(by_mentee.get_by_role("status")).to_contain_text("Your plan is saved.")
    follow(by_mentee, by_mentee.get_by_role("button", name="My plan is ready"))
    expect(by_mentee.get_by_role("region", name="Your wellbeing plan is ready")).to_be_visible()

    # The coordinator finds the pair, sees the ending and closes it: goals met.
    by_staff = open_page()
    by_staff.set_viewport_size(DESKTOP)
    sign_in(by_staff, coordinator)
    visit(by_staff, "/mentoring/relationships/")
    follow(by_staff, by_staff.get_by_role("link", name="Jordan mentoring Samira"))
    _section(by_staff, "Overview")
    follow(by_staff, by_staff.get_by_role("link", name="See the ending"))
    checklist = by_staff.get_by_role("region", name="Before the ending")
    expect(checklist.get_by_role("listitem").filter(has_text="wellbeing")).to_contain_text("Done")
    follow(by_staff, by_staff.get_by_role("link", name="Close the relationship"))
    by_staff.get_by_label("The mentee's goals were met").check()
    by_staff.get_by_label("We have had a closing conversation with the mentee").check()
    follow(by_staff, by_staff.get_by_role("button", name="Close the relationship"))
    expect(by_staff.get_by_role("status")).to_contain_text("The relationship is closed.")
    expect(by_staff.get_by_role("region", name="What happens next")).to_contain_text(
        "follow-up check-in"
    )
    closed = Relationship.objects.get()
    assert (closed.status, closed.end_reason) == (RelationshipStatus.ENDED, EndReason.GOALS_MET)
    assert closed.exit_conversation_held

    # The mentor can no longer open it; the mentee still has their overview.
    response = by_mentor.goto(f"/mentoring/{pk}/")
    assert response is not None and response.status == 404
    check_accessibility(by_mentor)
    visit(by_mentee, f"/mentoring/{pk}/")
    kept = by_mentee.get_by_role("region", name="What you keep")
    expect(kept).to_contain_text("This mentoring ended on")
    expect(kept.get_by_role("link", name="Your wellbeing plan")).to_be_visible()
    expect(kept.get_by_role("link", name=re.compile("Tell us how mentoring went"))).to_be_visible()
    _save(by_mentee, "phone-mentoring-journey-overview-ended")

    # The coordinator records the follow-up check-in from the list of check-ins due.
    visit(by_staff, "/mentoring/check-ins/")
    expect(by_staff.get_by_role("heading", level=1)).to_have_text("Check-ins due")
    row = by_staff.get_by_role("listitem").filter(has_text="Follow-up after the ending")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Mentee: Samira")
    follow(by_staff, row.get_by_role("link", name=re.compile("Record the check-in")))
    expect(by_staff.get_by_role("heading", level=1)).to_have_text(
        "Check-in with Samira, the mentee"
    )
    expect(by_staff.get_by_role("main")).to_contain_text("Follow-up after the ending")
    by_staff.get_by_label("Phone call").check()
    by_staff.get_by_label("How is it going?").fill("Samira still goes to the group most weeks.")
    follow(by_staff, by_staff.get_by_role("button", name="Record the check-in"))
    expect(by_staff.get_by_role("status").first).to_contain_text("Check-in recorded.")
    expect(by_staff.get_by_role("region", name="With Samira, the mentee")).to_contain_text(
        "Samira still goes to the group most weeks."
    )
    follow_up = CheckIn.objects.get(kind=CheckInKind.FOLLOW_UP)
    assert follow_up.status == CheckInStatus.DONE
    assert not CheckIn.objects.filter(status=CheckInStatus.DUE).exists()
    visit(by_staff, "/mentoring/check-ins/")
    expect(by_staff.get_by_role("main")).to_contain_text("No check-ins are due.")
