"""A planned ending, all the way through: the mentor begins it after the final session, the
mentee writes their wellbeing plan, marks it ready and opens the printable copy, the coordinator
closes the relationship, the mentor's access stops, and the mentee still reads their plan,
downloads their record and answers the exit survey. The mentee uses a phone, as many will."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentoring.models import ExitSurvey, Relationship, RelationshipStatus, SessionStatus
from outcomes.models import MeasureRequest
from outcomes.services.instruments import definition_of
from safeguarding.models import CrisisResource
from tests.browser.helpers import SCREENSHOT_DIR, check_accessibility, follow, sign_in, visit
from tests.mentoring.factories import SessionFactory
from tests.outcomes.fixtures import make_response

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def _save(page: Page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0
    return path


@pytest.fixture
def final_session_held(active_relationship, organisation):
    profile = active_relationship.mentor
    profile.display_name = "Jordan"
    profile.save(update_fields=["display_name"])
    SessionFactory(
        relationship=active_relationship,
        scheduled_for=timezone.now() - timedelta(days=2),
        status=SessionStatus.HELD,
        is_final=True,
        summary="We looked back at everything and planned what comes next.",
        skills_shared="Box breathing\nA short walk when things feel tight",
        private_notes="Seemed a little tired today.",
    )
    CrisisResource.objects.create(
        organisation=organisation,
        name="Riverside Crisis Line",
        description="Someone to talk to, day or night.",
        phone="0800 123 4567",
        hours="24 hours a day",
    )
    return active_relationship


def test_a_planned_ending_from_the_final_session_to_the_exit_survey(
    final_session_held, mentor, mentee, coordinator, open_page
):
    relationship = final_session_held
    ending = f"/mentoring/{relationship.pk}/ending/"
    plan = f"/mentoring/{relationship.pk}/plan/"

    # The mentor begins the planned ending.
    page = open_page()
    sign_in(page, mentor)
    visit(page, ending)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ending well")
    follow(page, page.get_by_role("button", name="Begin the planned ending"))
    expect(page.get_by_role("status")).to_contain_text("The planned ending has started")
    checklist = page.get_by_role("region", name="Before the ending")
    expect(checklist).to_contain_text("Held on")
    # Beginning the ending opened the final questionnaires (the programme's defaults).
    expect(checklist).to_contain_text("Still open: GAD-7, PHQ-9, WHO-5")
    assert Relationship.objects.get().status == RelationshipStatus.CLOSING

    # The mentee writes their plan on a phone, marks it ready and sees the celebration.
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, ending)
    expect(page.get_by_role("heading", level=1)).to_have_text("The planned ending")
    follow(page, page.get_by_role("link", name="Work on your plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My wellbeing and independence plan")
    expect(page.get_by_role("main")).to_contain_text("A short walk when things feel tight")
    page.get_by_label("What helps me").fill("Walking by the river before breakfast.")
    page.get_by_label("My toolkit").fill("Box breathing when my chest feels tight.")
    page.get_by_label("My people and places").fill("The Wednesday group at the library.")
    page.get_by_label("Early warning signs").fill("Sleeping badly and skipping meals.")
    page.get_by_label("What I will do").fill("Tell my sister and go back to the group.")
    follow(page, page.get_by_role("button", name="Save my plan"))
    expect(page.get_by_role("status")).to_contain_text("Your plan is saved.")
    follow(page, page.get_by_role("button", name="My plan is ready"))
    expect(page.get_by_role("region", name="Your wellbeing plan is ready")).to_contain_text(
        "Well done"
    )
    expect(page.get_by_role("region", name="If things get hard")).to_contain_text(
        "Riverside Crisis Line"
    )
    _save(page, "phone-mentoring-plan")

    follow(page, page.get_by_role("link", name="Print or save your plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My wellbeing and independence plan")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Walking by the river before breakfast.")
    expect(main).to_contain_text("Riverside Crisis Line")
    expect(main).to_contain_text("printed on")
    expect(page.get_by_role("navigation", name="This mentoring")).to_have_count(0)
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    page.get_by_role("button", name="Print or save as PDF").click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")
    _save(page, "phone-mentoring-plan-print")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    _save(page, "phone-mentoring-plan-print-paper")
    page.emulate_media(media="screen")

    # The mentee answered the final questionnaires (outside this journey; see
    # tests/browser/test_outcomes_answering.py for answering them in the browser).
    for request in MeasureRequest.objects.filter(relationship=relationship, occasion="closure"):
        count = len(definition_of(request.instrument).items)
        make_response(
            relationship.mentee,
            request.instrument.key,
            [0] * count,
            relationship=relationship,
            occasion="closure",
            request=request,
        )

    # The coordinator closes the relationship: goals met, exit conversation held.
    page = open_page()
    sign_in(page, coordinator)
    visit(page, f"/mentoring/{relationship.pk}/close/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Close this relationship")
    expect(page.get_by_role("main")).not_to_contain_text("The planned ending is not finished")
    page.get_by_label("The mentee's goals were met").check()
    page.get_by_label("We have had a closing conversation with the mentee").check()
    _save(page, "mentoring-close")
    follow(page, page.get_by_role("button", name="Close the relationship"))
    expect(page.get_by_role("status")).to_contain_text("The relationship is closed.")
    next_steps = page.get_by_role("region", name="What happens next")
    expect(next_steps).to_contain_text("Jordan can no longer open this relationship")
    expect(next_steps).to_contain_text("exit survey")
    expect(next_steps).to_contain_text("follow-up check-in")
    _save(page, "mentoring-closed")

    # The mentor's access has stopped.
    page = open_page()
    sign_in(page, mentor)
    for path in (ending, plan):
        response = page.goto(path)
        assert response is not None and response.status == 404
        check_accessibility(page)

    # The mentee still reads their plan, keeps their record and answers the survey.
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, plan)
    expect(page.get_by_role("main")).to_contain_text("Walking by the river before breakfast.")
    expect(page.get_by_role("button", name="Save my plan")).to_have_count(0)
    visit(page, ending)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentoring has ended")
    expect(page.get_by_role("main")).to_contain_text("We will check in with you around")
    _save(page, "phone-mentoring-ended")
    follow(page, page.get_by_role("link", name="Your mentoring record"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My mentoring record")
    record = page.get_by_role("main")
    expect(record).to_contain_text("We looked back at everything")
    expect(record).not_to_contain_text("Seemed a little tired")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download as a file (JSON)").click()
    download = downloading.value
    assert download.suggested_filename == "my-mentoring-record.json"
    data = json.loads(Path(download.path()).read_text())
    assert data["sessions"][0]["final"] is True
    assert "Seemed a little tired" not in json.dumps(data)

    visit(page, ending)
    follow(page, page.get_by_role("link", name="Answer the short survey"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How was mentoring for you?")
    page.get_by_label("Very good", exact=True).check()
    page.get_by_label("What helped?").fill("Someone who had been there too.")
    page.get_by_role("group", name="Would you recommend").get_by_label("Yes").check()
    _save(page, "phone-mentoring-exit-survey")
    follow(page, page.get_by_role("button", name="Send my answers"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    survey = ExitSurvey.objects.get(respondent=mentee)
    assert survey.overall == 5 and survey.would_recommend is True
