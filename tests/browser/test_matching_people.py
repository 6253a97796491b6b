"""A match on its way to the people: the mentor opens the offer and says yes, then the mentee sees
the mentor's profile and says yes, and the coordinator arranges the introduction. The mentor's
and mentee's pages are used on a phone, as many people will."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Language
from matching.models import MatchProposal, ProposalStatus
from mentoring.models import Relationship
from referrals.models import Referral
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture(autouse=True)
def _languages(transactional_db):
    """The seeded languages do not survive the live server's flush between tests."""
    for code, name in (("en", "English"), ("pl", "Polish")):
        Language.objects.get_or_create(code=code, defaults={"name": name})


@pytest.fixture
def journey_offer(offered_proposal, english):
    referral = offered_proposal.referral
    Referral.objects.filter(pk=referral.pk).update(
        full_name="Samira Quinlan", preferred_name="Sam", area="Northgate"
    )
    referral.languages.set([english, Language.objects.get(code="pl")])
    profile = offered_proposal.mentor
    profile.display_name = "Jordan"
    profile.specialisms = "Getting out of the house again; finding a routine"
    profile.save(update_fields=["display_name", "specialisms"])
    MatchProposal.objects.filter(pk=offered_proposal.pk).update(
        reasons=[
            "Shares lived experience of Anxiety",
            "Both free on Monday evenings",
            "Speaks English",
            "Can meet by video",
            "Waiting 20 days — prioritised",
        ],
        respond_by=timezone.now() + timedelta(days=6),
    )
    return offered_proposal


def test_mentor_then_mentee_say_yes_and_the_coordinator_arranges_the_introduction(
    journey_offer, mentor, mentee, coordinator, open_page
):
    # The mentor, on a phone
    page = open_page(**PHONE)
    sign_in(page, mentor)
    visit(page, "/matching/offers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Matches for you")
    follow(page, page.get_by_role("link", name="A match with Sam"))
    expect(page.get_by_role("heading", level=1)).to_have_text("A possible match with Sam")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Monday evening")
    expect(main).not_to_contain_text("Quinlan")
    expect(main).not_to_contain_text("Waiting 20 days")
    _save(page, "phone-matching-mentor-offer")
    follow(page, page.get_by_role("button", name="Yes, I would like to meet Sam"))
    expect(page.get_by_role("status")).to_contain_text("Thank you for saying yes")
    expect(page.get_by_role("region", name="What happens next")).to_contain_text(
        "We will email you either way"
    )
    _save(page, "phone-matching-mentor-offer-answered")
    assert MatchProposal.objects.get().status == ProposalStatus.WITH_MENTEE

    # The mentee, on a phone
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, "/matching/my-match/")
    expect(page.get_by_role("heading", level=1)).to_have_text("A mentor has been suggested for you")
    about = page.get_by_role("region", name="About Jordan")
    expect(about).to_contain_text("Getting out of the house again")
    expect(about).to_contain_text("English")
    expect(page.get_by_role("main")).to_contain_text("You do not have to give a reason")
    _save(page, "phone-matching-mentee-offer")
    follow(page, page.get_by_role("button", name="Yes, I would like to meet Jordan"))
    expect(page.get_by_role("status")).to_contain_text("Your match is confirmed")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mentor")
    _save(page, "phone-matching-mentee-accepted")
    relationship = Relationship.objects.get()

    # The coordinator arranges the introduction
    page = open_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, coordinator)
    visit(page, f"/matching/relationships/{relationship.pk}/introduction/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samira Quinlan")
    follow(page, page.get_by_role("button", name="Arrange and tell them both"))
    expect(page.get_by_role("alert").first).to_contain_text("Some answers need another look")
    day = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Time").fill("18:30")
    page.get_by_label("In person").check()
    page.get_by_label("Where, or the video call link").fill("The Riverside Café, Mill Street")
    page.get_by_label("A coordinator will be there too").check()
    follow(page, page.get_by_role("button", name="Arrange and tell them both"))
    expect(page.get_by_role("status")).to_contain_text("The introduction is arranged.")
    expect(page.get_by_role("region", name="Arranged")).to_contain_text("Mill Street")
    _save(page, "matching-introduction")

    # The mentee sees where and when
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, "/matching/my-match/")
    expect(page.get_by_role("main")).to_contain_text("Mill Street")
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"18:30"))
    _save(page, "phone-matching-mentee-introduction")


def test_mentor_says_not_this_time_on_a_phone(journey_offer, mentor, open_page):
    page = open_page(**PHONE)
    sign_in(page, mentor)
    visit(page, f"/matching/offers/{journey_offer.pk}/")
    follow(page, page.get_by_role("button", name="Not this time"))
    expect(page.get_by_role("alert").first).to_contain_text("Some answers need another look")
    page.get_by_label("What should your coordinator know?").fill("I am away for most of March.")
    follow(page, page.get_by_role("button", name="Not this time"))
    expect(page.get_by_role("status")).to_contain_text("Thank you for letting us know")
    expect(page.get_by_role("main")).to_contain_text("They keep their place on the waiting list")
    _save(page, "phone-matching-mentor-declined")
    assert MatchProposal.objects.get().status == ProposalStatus.MENTOR_DECLINED


def test_mentee_would_rather_not_on_a_phone(mentee_offer, mentee, open_page):
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, "/matching/my-match/")
    follow(page, page.get_by_role("button", name="I would rather not"))
    expect(page.get_by_role("status")).to_contain_text("Thank you for telling us")
    expect(page.get_by_role("main")).to_contain_text("You keep your place on the waiting list")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your match")
    _save(page, "phone-matching-mentee-declined")
