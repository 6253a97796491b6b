"""Seeing scores over time: a mentee on a phone sees their questionnaires as a chart with plain
words and a table, and what is due now; their coordinator sees the same person with bands and
flags; and the programme page shows change across the programme with small groups withheld."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from outcomes.models import RequestStatus
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from tests.conftest import make_member
from tests.outcomes.fixtures import make_request, make_response
from tests.outcomes.test_selectors import days_ago, phq, who

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def history(active_relationship):
    """Samira's PHQ-9 over four months, getting easier; two WHO-5s; a GAD-7 due now."""
    mentee = active_relationship.mentee
    for days, total in ((120, 19), (90, 17), (60, 12), (30, 10), (6, 7)):
        make_response(
            mentee,
            "phq9",
            phq(total),
            relationship=active_relationship,
            completed_at=days_ago(days),
        )
    for days, total in ((100, 9), (8, 11)):
        make_response(
            mentee,
            "who5",
            who(total),
            relationship=active_relationship,
            completed_at=days_ago(days),
        )
    make_request(mentee, "gad7", relationship=active_relationship)
    return active_relationship


def test_the_mentee_sees_their_scores_on_a_phone(history, mentee, open_page):
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, "/outcomes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your questionnaires")
    due = page.get_by_role("region", name="Ready for you now")
    expect(due).to_contain_text("GAD-7")
    expect(due.get_by_role("link", name="Start GAD-7")).to_be_visible()

    phq9 = page.get_by_role("region", name="PHQ-9")
    chart = phq9.get_by_role("img", name="Your PHQ-9 scores over time")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 120
    expect(phq9).to_contain_text("Your latest score")
    expect(phq9).to_contain_text("improved by more than everyday ups and downs")
    expect(phq9).to_contain_text("Lower scores mean fewer difficulties")
    expect(phq9.get_by_role("table")).to_contain_text("7 out of 27")
    expect(page.get_by_text("Moderately severe")).to_have_count(0)
    who5 = page.get_by_role("region", name="WHO-5")
    expect(who5.get_by_role("img")).to_be_visible()
    # No horizontal scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _save(page, "phone-outcomes-mine")

    # The relationship's Questionnaires section shows the same
    visit(page, f"/outcomes/relationships/{history.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your questionnaires")
    expect(page.get_by_role("link", name="Questionnaires", exact=True)).to_have_attribute(
        "aria-current", "page"
    )


def test_the_coordinator_sees_the_person_and_the_programme(
    history, coordinator, organisation, open_page
):
    for n in range(6):
        person = make_member(organisation, Role.MENTEE, f"programme{n}@example.org")
        first, latest = (18, 8) if n < 5 else (9, 16)
        make_response(person, "phq9", phq(first), completed_at=days_ago(70))
        make_response(person, "phq9", phq(latest), completed_at=days_ago(4))
        make_request(person, "phq9", status=RequestStatus.COMPLETED)
    make_request(history.mentee, "who5", occasion="extra", status=RequestStatus.EXPIRED)

    page = open_page(**DESKTOP)
    sign_in(page, coordinator)
    visit(page, f"/outcomes/people/{history.mentee_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samira's questionnaires")
    phq9 = page.get_by_role("region", name="PHQ-9")
    expect(phq9.get_by_role("img")).to_be_visible()
    expect(phq9).to_contain_text("Improved")
    expect(phq9).to_contain_text("Reliable recovery")
    expect(page.get_by_role("button", name="Ask them to complete it")).to_be_visible()
    _save(page, "outcomes-person-coordinator")

    visit(page, "/outcomes/programme/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme outcomes")
    section = page.get_by_role("region", name="PHQ-9")
    expect(section.get_by_role("table")).to_contain_text("People with two or more scores")
    expect(section.get_by_role("img")).to_be_visible()
    # 1 of 6 deteriorated: withheld, and the 0 with no reliable change with it
    expect(section.get_by_role("table")).to_contain_text("fewer than 5")
    page.get_by_text("Thresholds and their sources").click()
    expect(page.get_by_text("NHS Talking Therapies").first).to_be_visible()
    _save(page, "outcomes-programme")

    # On a phone (the same signed-in browser, narrowed)
    page.set_viewport_size(PHONE["viewport"])
    follow(page, page.get_by_role("link", name="Outcomes", exact=True))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _save(page, "phone-outcomes-programme")
