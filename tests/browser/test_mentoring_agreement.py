"""The first agreement: the mentor opens their new mentee from the mentoring home, writes down
what they agreed at the first meeting (which records the mentor's acknowledgement); the mentee,
on a phone, reads it with what mentors do and do not do and the limits of confidentiality, and
acknowledges it. The mentoring becomes active and the mentee's overview celebrates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentoring.models import Agreement, Relationship, RelationshipStatus
from mentoring.statement import CONFIDENTIALITY, MENTORS_DO_NOT
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
GOALS = "Feel able to go to the Wednesday support group on my own."


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def new_pair(relationship):
    profile = relationship.mentor
    profile.display_name = "Jordan"
    profile.save(update_fields=["display_name"])
    relationship.introduction_at = timezone.now() + timedelta(days=2)
    relationship.introduction_format = "in_person"
    relationship.introduction_place = "The Riverside Café, Mill Street"
    relationship.save(
        update_fields=["introduction_at", "introduction_format", "introduction_place"]
    )
    return relationship


def test_the_pair_make_their_first_agreement(new_pair, mentor, mentee, open_page):
    # The mentor, at a desk
    page = open_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, mentor)
    visit(page, "/mentoring/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentees")
    follow(page, page.get_by_role("link", name="Samira"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring Samira")
    expect(page.get_by_role("region", name="Getting started")).to_contain_text("Mill Street")
    follow(page, page.get_by_role("link", name="Draft the agreement"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft your agreement")

    # A first try with the end date left empty is explained, and nothing typed is lost.
    page.get_by_label("What the mentee hopes to work on, in their own words").fill(GOALS)
    page.get_by_label("Every two weeks").check()
    page.get_by_label("In person").check()
    page.get_by_label("Usual part of the week (optional)").select_option("wed_afternoon")
    page.get_by_label("Planned end date").fill("")
    follow(page, page.get_by_role("button", name="Save the agreement"))
    expect(page.get_by_role("alert").first).to_contain_text("Some answers need another look")
    expect(page.get_by_label("What the mentee hopes to work on, in their own words")).to_have_value(
        GOALS
    )
    page.get_by_label("Planned end date").fill(
        (timezone.localdate() + timedelta(weeks=24)).isoformat()
    )
    follow(page, page.get_by_role("button", name="Save the agreement"))
    expect(page.get_by_role("status")).to_contain_text("your acknowledgement is recorded")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your agreement")
    agreed = page.get_by_role("region", name="Who has agreed")
    expect(agreed).to_contain_text("You (mentor): agreed on")
    expect(agreed).to_contain_text("Samira: not yet")
    agreement = Agreement.objects.get()
    assert agreement.mentor_acknowledged_at is not None
    assert agreement.meeting_frequency == "fortnightly"

    # The mentee, on a phone
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, "/mentoring/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentoring")
    follow(page, page.get_by_role("link", name="Read and acknowledge the agreement"))
    agreed = page.get_by_role("region", name="Who has agreed")
    expect(agreed).to_contain_text("Jordan (mentor): agreed on")
    expect(agreed).to_contain_text("You: not yet")
    main = page.get_by_role("main")
    expect(main).to_contain_text(GOALS)
    expect(main).to_contain_text("In person, usually Wednesday afternoon")
    expect(main).to_contain_text(MENTORS_DO_NOT[0])
    expect(main).to_contain_text(CONFIDENTIALITY[1][:60])
    _save(page, "phone-mentoring-agreement-mentee")
    follow(page, page.get_by_role("button", name="I have read this and agree"))
    expect(page.get_by_role("status")).to_contain_text("your mentoring has now started")
    expect(page.get_by_role("main")).to_contain_text("You acknowledged this version on")
    relationship = Relationship.objects.get()
    assert relationship.status == RelationshipStatus.ACTIVE
    assert relationship.planned_end_on == timezone.localdate() + timedelta(weeks=24)

    follow(
        page,
        page.get_by_role("navigation", name="This mentoring").get_by_role("link", name="Overview"),
    )
    celebration = page.get_by_role("region", name="Something to celebrate")
    expect(celebration).to_contain_text("You made your agreement")
    expect(page.get_by_role("main")).to_contain_text("You have both agreed version 1")
    _save(page, "phone-mentoring-overview-celebration")
