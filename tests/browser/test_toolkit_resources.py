"""The community resources directory in the browser: a coordinator adds a walking group (and is
told what is missing first); the mentor, on a phone, finds it by need and by "in person",
opens it and recommends it to their mentee with a note; the mentee finds it on their page of
places and people that can help. Every page passes axe; the directory is photographed on a
phone."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from toolkit.models import CommunityResource, Delivery, Recommendation

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
NAME = "Riverside Walk and Talk"


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def pair(active_relationship):
    profile = active_relationship.mentor
    profile.display_name = "Jordan"
    profile.save(update_fields=["display_name"])
    return active_relationship


@pytest.fixture
def others(organisation, areas):
    """Two more entries, so the search has something to leave out."""
    online = CommunityResource.objects.create(
        organisation=organisation,
        name="Low Mood Online Group",
        offers="A weekly video call for people feeling low.",
        who_for="Adults anywhere in the county",
        delivery=Delivery.ONLINE,
        website="https://lowmood.example.org",
    )
    online.needs.set([areas[1]])
    grief = CommunityResource.objects.create(
        organisation=organisation,
        name="Hilltop Bereavement Cafe",
        offers="Tea, cake and company for people who have lost someone.",
        who_for="Anyone grieving",
        delivery=Delivery.IN_PERSON,
        area="Hilltop",
        phone="01234 000111",
    )
    grief.needs.set([areas[2]])


def test_add_find_recommend_and_keep_a_community_resource(
    pair, coordinator, mentor, mentee, areas, others, open_page
):
    # The coordinator adds a walking group; a missing way to get in touch is explained first
    staff = open_page()
    staff.set_viewport_size({"width": 1280, "height": 900})
    sign_in(staff, coordinator)
    visit(staff, "/toolkit/resources/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Community resources")
    follow(staff, staff.get_by_role("link", name="Add a resource"))
    staff.get_by_label("Name", exact=True).fill(NAME)
    staff.get_by_label("What it offers").fill(
        "A gentle walk by the river every week, with a cup of tea afterwards."
    )
    staff.get_by_label("Who it is for").fill("Adults who would like company and fresh air")
    staff.get_by_label("Depression").check()
    staff.get_by_label("In person and online").check()
    staff.get_by_label("Town or area it serves (optional)").fill("Riverside")
    staff.get_by_label("Opening times (optional)").fill("Thursdays 10am")
    follow(staff, staff.get_by_role("button", name="Add to the directory"))
    expect(staff.get_by_role("alert").first).to_contain_text(
        "Give at least one way to get in touch"
    )
    expect(staff.get_by_label("Name", exact=True)).to_have_value(NAME)
    _save(staff, "toolkit-resource-form-problems")
    staff.get_by_label("Website (optional)").fill("javascript:alert(1)")
    follow(staff, staff.get_by_role("button", name="Add to the directory"))
    expect(staff.get_by_role("alert").first).to_contain_text("starting with https://")
    staff.get_by_label("Website (optional)").fill("walks.example.org")
    staff.get_by_label("Phone (optional)").fill("01234 567890")
    follow(staff, staff.get_by_role("button", name="Add to the directory"))
    expect(staff.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(staff.get_by_role("status")).to_contain_text(f"{NAME} is in the directory.")
    made = CommunityResource.objects.get(name=NAME)
    assert made.website == "https://walks.example.org"
    assert made.last_checked_on == timezone.localdate()

    # The mentor, on a phone, searches by need and "in person"
    page = open_page(**PHONE)
    sign_in(page, mentor)
    visit(page, "/toolkit/resources/")
    expect(page.get_by_role("status")).to_contain_text("3 resources found")
    page.evaluate("window.scrollTo(0, 0)")
    _save(page, "phone-toolkit-resources-directory")
    page.get_by_label("Area of need").select_option(label="Depression")
    page.get_by_label("In person or online").select_option(label="In person")
    follow(page, page.get_by_role("button", name="Search"))
    expect(page.get_by_role("status")).to_contain_text("1 resource found")
    results = page.get_by_role("region", name="Resources that match")
    expect(results.get_by_role("heading", level=3)).to_have_text([NAME])
    expect(page.get_by_label("Area of need")).to_have_value(str(areas[1].pk))
    link = results.get_by_role("link", name="walks.example.org")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    page.evaluate("window.scrollTo(0, 0)")
    _save(page, "phone-toolkit-resources-search")

    # Opens it and recommends it to the mentee with a note
    follow(page, results.get_by_role("link", name=NAME))
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    recommend = page.get_by_role("region", name="Recommend it to a mentee")
    expect(recommend.get_by_label("Recommend to")).to_have_value(str(mentee.pk))
    recommend.get_by_label("A short note for them (optional)").fill(
        "I used to go myself. Ask for Pat, she is lovely."
    )
    follow(page, recommend.get_by_role("button", name="Recommend"))
    expect(page.get_by_role("status").first).to_contain_text("Recommended to Samira.")
    recommend = page.get_by_role("region", name="Recommend it to a mentee")
    expect(recommend).to_contain_text("Already recommended to:")
    expect(recommend).to_contain_text("All your current mentees have this one already.")
    _save(page, "phone-toolkit-resource-recommended")
    assert Recommendation.objects.get().person == mentee

    # The mentee finds it on their page, with who recommended it and why
    mentee_page = open_page(**PHONE)
    sign_in(mentee_page, mentee)
    visit(mentee_page, "/toolkit/recommended/")
    expect(mentee_page.get_by_role("heading", level=1)).to_have_text(
        "Places and people that can help"
    )
    main = mentee_page.get_by_role("main")
    expect(main).to_contain_text(NAME)
    expect(main).to_contain_text("by Jordan, your mentor")
    expect(main).to_contain_text("Ask for Pat, she is lovely.")
    expect(main.get_by_role("link", name="01234 567890")).to_have_attribute(
        "href", "tel:01234567890"
    )
    _save(mentee_page, "phone-toolkit-recommended")

    # ...and in the wellbeing plan they keep, when the toolkit's parts are registered
    visit(mentee_page, f"/mentoring/{pair.pk}/plan/")
    expect(mentee_page.get_by_role("heading", level=1)).to_be_visible()

    # The coordinator sees the stale list, empty for now
    visit(staff, "/toolkit/resources/to-check/")
    expect(staff.get_by_role("main")).to_contain_text("Nothing to check")
