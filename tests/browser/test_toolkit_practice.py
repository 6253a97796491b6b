"""On a phone, the mentee opens their toolkit, notes that they tried a skill, how helpful it was
and a word about it; the skill moves to the top and the note is in its history. Sending without
a rating is explained next to the question and keeps the note. Their mentor then sees how it is
going (the rating, never the note)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit
from tests.conftest import make_member
from toolkit.models import Practice, Skill, SkillTag, ToolkitEntry
from toolkit.services.practice import practice_log

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
NOTE = "Did it on the bus before the appointment. Calmer by the third round."


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def toolkit(active_relationship, toolkit_entry, organisation, mentee):
    """Jordan shared "Box breathing" (not tried yet); Samira saved "Worry time" a week ago and
    found it somewhat helpful; "Five-minute tidy" is not tried yet either."""
    profile = active_relationship.mentor
    profile.display_name = "Jordan"
    profile.save(update_fields=["display_name"])
    ToolkitEntry.objects.filter(pk=toolkit_entry.pk).update(
        note="Try this when the waiting room gets loud.",
        added_at=timezone.now() - timedelta(days=3),
    )
    worry = ToolkitEntry.objects.create(
        person=mentee,
        organisation=organisation,
        added_at=timezone.now() - timedelta(days=8),
        skill=Skill.objects.create(
            organisation=organisation,
            title="Worry time",
            why_it_helps="Giving worries a set time makes them easier to put down the rest "
            "of the day.",
            steps=["Choose 15 minutes each day.", "Write worries down when they come."],
            minutes=15,
            tags=[SkillTag.STRESS],
        ),
    )
    practice_log(actor=mentee, entry=worry, helpfulness=3)
    ToolkitEntry.objects.create(
        person=mentee,
        organisation=organisation,
        added_at=timezone.now() - timedelta(days=1),
        skill=Skill.objects.create(
            organisation=organisation,
            title="Five-minute tidy",
            why_it_helps="A small, finished job can lift a heavy day.",
            steps=["Set a timer for five minutes.", "Tidy one surface.", "Stop when it rings."],
            minutes=5,
            tags=[SkillTag.LOW_MOOD],
        ),
    )
    return active_relationship


def test_a_mentee_logs_a_practice_on_a_phone(toolkit, toolkit_entry, mentee, mentor, open_page):
    page = open_page(**PHONE)
    sign_in(page, mentee)
    visit(page, "/toolkit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your toolkit")
    skills = page.get_by_role("region", name="Your skills, what helps most first")
    cards = skills.get_by_role("listitem").filter(has=page.get_by_role("heading", level=3))
    expect(cards.first).to_contain_text("Worry time")
    expect(cards.first).to_contain_text("Tried once · ★★★☆☆ helped somewhat")
    _save(page, "phone-toolkit-before")

    # "I tried this" on Box breathing, with a rating and a note
    box = cards.filter(has_text="Box breathing")
    expect(box).to_contain_text("Not tried yet")
    box.get_by_text("I tried this").click()
    box.get_by_label("5 – Very helpful").check()
    box.get_by_label("A note for yourself (optional)").fill(NOTE)
    box.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOT_DIR / "phone-toolkit-tried.png")
    follow(page, box.get_by_role("button", name="Save how it went"))
    expect(page.get_by_role("status")).to_contain_text("Noticing what helps you")
    expect(cards.first).to_contain_text("Box breathing")
    expect(cards.first).to_contain_text("Tried once · ★★★★★ helped a lot")
    assert Practice.objects.filter(entry=toolkit_entry, helpfulness=5).count() == 1
    page.evaluate("window.scrollTo(0, 0)")
    _save(page, "phone-toolkit")

    # The entry page: the skill in full, Jordan's note, the history with the mentee's note
    follow(page, cards.first.get_by_role("link", name="Box breathing"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Box breathing")
    expect(page.get_by_text("shared by Jordan")).to_be_visible()
    expect(page.get_by_text("Try this when the waiting room gets loud.")).to_be_visible()
    history = page.get_by_role("region", name="When you tried it")
    expect(history).to_contain_text("Very helpful")
    expect(history).to_contain_text(NOTE)

    # Forgetting the rating is explained next to it, and the note is kept
    tried = page.get_by_role("region", name="I tried this")
    tried.get_by_label("A note for yourself (optional)").fill("Second go, at home.")
    follow(page, tried.get_by_role("button", name="Save how it went"))
    expect(page.get_by_role("alert").first).to_contain_text(
        "Choose how helpful it was, from 1 to 5."
    )
    tried = page.get_by_role("region", name="I tried this")
    expect(tried.get_by_label("A note for yourself (optional)")).to_have_value(
        "Second go, at home."
    )
    tried.get_by_label("4 – Helpful").check()
    follow(page, tried.get_by_role("button", name="Save how it went"))
    expect(page.get_by_role("region", name="When you tried it")).to_contain_text("Second go")
    assert Practice.objects.filter(entry=toolkit_entry).count() == 2
    page.evaluate("window.scrollTo(0, 0)")
    _save(page, "phone-toolkit-entry")

    # Weekly ideas can be turned off
    visit(page, "/toolkit/")
    follow(page, page.get_by_role("link", name="Change this"))
    page.get_by_label("Send me a small idea from my toolkit each week").uncheck()
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("status")).to_contain_text("We will not send you weekly ideas")

    # The mentor sees how it is going, never the note
    mentor_page = open_page()
    mentor_page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(mentor_page, mentor)
    visit(mentor_page, f"/toolkit/relationships/{toolkit.pk}/")
    expect(mentor_page.get_by_role("heading", level=1)).to_have_text("Samira's toolkit")
    shared = mentor_page.get_by_role("region", name="Shared in this mentoring")
    expect(shared).to_contain_text("Tried twice · ★★★★★ usually helps a lot")
    follow(mentor_page, shared.get_by_role("link", name="Box breathing"))
    history = mentor_page.get_by_role("region", name="When they tried it")
    expect(history).to_contain_text("Very helpful")
    expect(mentor_page.locator("main")).not_to_contain_text("Calmer by the third round")
    expect(mentor_page.locator("main")).not_to_contain_text("Second go")
    expect(mentor_page.get_by_role("button", name="Save how it went")).to_have_count(0)


def test_a_coordinator_reads_toolkit_insights(organisation, skill, coordinator, open_page):
    for number in range(5):
        person = make_member(organisation, Role.MENTEE, f"insights.browser{number}@example.org")
        entry = ToolkitEntry.objects.create(person=person, skill=skill, organisation=organisation)
        practice_log(actor=person, entry=entry, helpfulness=4 + number % 2)

    page = open_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, coordinator)
    visit(page, "/toolkit/insights/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toolkit insights")
    expect(page.get_by_role("note")).to_contain_text("fewer than 5 people are not shown")
    row = page.get_by_role("row", name="Box breathing")
    expect(row).to_contain_text("4.4 (helpful)")
    _save(page, "toolkit-insights")
