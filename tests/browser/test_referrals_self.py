"""A person refers themselves on a phone, without an account, and lands on their private page;
someone who says they are not safe sees who to contact before anything else."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Language
from referrals.models import Referral, Status, Urgency
from safeguarding.services.crisis import crisis_resource_create
from tests.browser.helpers import SCREENSHOT_DIR, follow, visit
from tests.browser.test_phone_screenshots import PHONE

pytestmark = pytest.mark.browser


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def _fill_the_essentials(page: Page, *, safe: str) -> None:
    page.get_by_label("Your full name").fill("Alex Rivera")
    page.get_by_label("Email address").fill("alex@example.net")
    page.get_by_label("It is OK to email me").check()
    page.get_by_label(safe).check()


@pytest.fixture
def languages(db):
    """Browser tests empty the database between tests, seeded languages included."""
    for code, name in [("en", "English"), ("pl", "Polish"), ("ar", "Arabic"), ("cy", "Welsh")]:
        Language.objects.get_or_create(code=code, defaults={"name": name})


def test_person_refers_themselves_on_a_phone_and_lands_on_their_status_page(
    organisation, areas, languages, open_page
):
    page = open_page(**PHONE)
    visit(page, f"/referrals/refer/{organisation.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a peer mentor")
    _fill_the_essentials(page, safe="Yes, I am safe right now")
    page.get_by_label("Anxiety").check()
    page.get_by_label("What do you hope to get from mentoring? (optional)").fill(
        "I would like to feel confident going out again."
    )
    page.get_by_label("Polish").check()
    page.get_by_label("Video call").check()
    page.get_by_role("group", name="Tuesday").get_by_label("Evening").check()
    page.get_by_label("Would you like a mentor of a particular gender? (optional)").fill("a woman")
    page.get_by_role("group", name="How much does the mentor's gender matter?").get_by_label(
        "Nice to have"
    ).check()
    page.get_by_label("Youngest age").fill("50")
    page.get_by_label("Oldest age").fill("30")
    _screenshot(page, "phone-self-referral-form")

    # Forgot to agree, and the ages are the wrong way round: told next to each, nothing lost.
    follow(page, page.get_by_role("button", name="Send my referral"))
    expect(page.get_by_role("alert").first).to_contain_text("Some answers need another look")
    expect(page.locator("#id_consent_error")).to_contain_text("with your agreement")
    expect(page.locator("#id_mentor_age_max_error")).to_contain_text("The oldest age must be")
    expect(page.get_by_label("Your full name")).to_have_value("Alex Rivera")
    expect(page.get_by_role("group", name="Tuesday").get_by_label("Evening")).to_be_checked()
    assert not Referral.objects.exists()

    page.get_by_label("Youngest age").fill("30")
    page.get_by_label("Oldest age").fill("50")
    page.get_by_label("I have read this and agree to be referred").check()
    follow(page, page.get_by_role("button", name="Send my referral"))

    expect(page).to_have_url(re.compile(r"/referrals/status/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your referral")
    expect(page.get_by_role("main")).to_contain_text("Thank you, we have your referral")
    expect(page.get_by_role("main")).to_contain_text("I would like to feel confident going out")
    _screenshot(page, "phone-self-referral-status")
    referral = Referral.objects.get()
    assert referral.availability_slots == ["tue_evening"]
    assert [language.name for language in referral.languages.all()] == ["Polish"]
    assert (referral.mentor_age_min, referral.mentor_age_max) == (30, 50)
    assert referral.mentor_age_importance == "nice"  # an age range given counts

    follow(page, page.get_by_role("link", name="Withdraw my referral"))
    follow(page, page.get_by_role("button", name="Yes, withdraw my referral"))
    expect(page.get_by_role("status")).to_contain_text("Your referral is withdrawn")
    assert Referral.objects.get().status == Status.WITHDRAWN


def test_someone_not_safe_sees_crisis_resources_first(organisation, open_page):
    crisis_resource_create(
        actor=None,
        organisation=organisation,
        name="Riverside Crisis Line",
        description="Free, confidential support if you are struggling to cope.",
        phone="0800 123 4567",
        hours="24 hours a day",
        is_emergency=True,
    )
    page = open_page(**PHONE)
    visit(page, f"/referrals/refer/{organisation.slug}/")
    _fill_the_essentials(page, safe="No, I do not feel safe right now")
    page.get_by_label("I have read this and agree to be referred").check()
    follow(page, page.get_by_role("button", name="Send my referral"))

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Help is here if you need it now")
    expect(main.get_by_role("link", name="0800 123 4567")).to_have_attribute(
        "href", "tel:08001234567"
    )
    text = main.inner_text()
    assert text.index("Riverside Crisis Line") < text.index("Thank you, we have your referral")
    _screenshot(page, "phone-self-referral-urgent")
    assert Referral.objects.get().urgency == Urgency.URGENT
