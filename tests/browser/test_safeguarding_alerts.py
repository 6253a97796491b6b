"""A flagged message reaches a person who responds: the mentee writes "Some days I want to die."
and is shown where to get help now; their mentor's supervisor, on a phone, finds the alert at
the top of their queue, reads the flagged words, says they are responding, records a phone
call and a safety plan, and closes the alert with an outcome and a note. The timeline shows
each step with who and when. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from safeguarding.models import Alert, AlertActionKind, AlertStatus
from tests.browser.helpers import SCREENSHOT_DIR, follow, sign_in, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}
MESSAGE = "Some days I want to die."


def _save(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


@pytest.fixture
def pair(active_relationship, mentee, supervisor):
    mentee.name = "Samira Quinlan"
    mentee.save(update_fields=["name"])
    supervisor.name = "Sam Supervisor"
    supervisor.save(update_fields=["name"])
    return active_relationship


def test_a_flagged_message_is_answered_and_closed_by_the_supervisor(
    pair, mentee, supervisor, open_page
):
    # The mentee sends the message and is shown where to get help now
    mentee_page = open_page(**PHONE)
    sign_in(mentee_page, mentee)
    visit(mentee_page, f"/mentoring/{pair.pk}/messages/")
    mentee_page.get_by_label("Your message").fill(MESSAGE)
    follow(mentee_page, mentee_page.get_by_role("button", name="Send message"))
    help_now = mentee_page.get_by_role("region", name="If you need help now")
    expect(help_now).to_contain_text("someone from the team will get in touch")
    alert = Alert.objects.get()
    assert (alert.person, alert.supervisor, alert.status) == (mentee, supervisor, "open")

    # The supervisor finds it at the top of their queue
    page = open_page(**PHONE)
    sign_in(page, supervisor)
    expect(page.get_by_role("main")).to_contain_text("1 alert is waiting for someone to respond")
    follow(page, page.get_by_role("link", name="Respond to alerts"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding alerts")
    waiting = page.get_by_role("region", name=re.compile("^Waiting for a response"))
    row = waiting.get_by_role("listitem").first
    expect(row).to_contain_text("About Samira Quinlan")
    expect(row).to_contain_text("A message, written by the mentee")
    expect(row).to_contain_text(re.compile(r"Due in \d+"))
    _save(page, "phone-safeguarding-queue")

    # Opens it: the flagged words are highlighted
    follow(page, row.get_by_role("link", name="About Samira Quinlan"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "High safeguarding alert about Samira Quinlan"
    )
    signs = page.get_by_role("region", name=re.compile("^What raised it"))
    expect(signs.locator("blockquote")).to_have_text(MESSAGE)
    expect(signs.locator("mark")).to_have_text("want to die")
    expect(signs).to_contain_text("Suicidal thoughts")
    expect(page.get_by_role("region", name="What to do next")).to_contain_text("call 999")
    _save(page, "phone-safeguarding-alert")

    # Says they are responding
    follow(page, page.get_by_role("button", name="I'm responding to this"))
    expect(page.get_by_role("status")).to_contain_text("you are responding to it")
    expect(page.get_by_role("region", name="Someone is responding")).to_contain_text(
        "You are responding to this alert"
    )
    expect(page.get_by_role("button", name="I'm responding to this")).to_have_count(0)

    # Records a phone call that reached her
    page.locator("summary", has_text="Record a contact attempt").click()
    contact = page.locator("#contact")
    contact.get_by_label("Phone call").check()
    contact.get_by_label("Yes, I reached them").check()
    contact.get_by_label("Note (optional)").fill("Talked for 20 minutes; she is safe tonight.")
    follow(page, contact.get_by_role("button", name="Save the contact attempt"))
    expect(page.get_by_role("status")).to_contain_text("Your contact attempt is recorded.")

    # Records the safety plan
    page.locator("summary", has_text="Record an action").click()
    action = page.locator("#action")
    action.get_by_label("Safety plan discussed").check()
    follow(page, action.get_by_role("button", name="Save the action"))
    expect(page.get_by_role("status")).to_contain_text("The action is recorded.")

    # Closes it with an outcome and a note
    follow(page, page.get_by_role("link", name="Close this alert"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Close the alert about Samira Quinlan"
    )
    expect(page.get_by_text("Nobody has recorded")).to_have_count(0)
    _save(page, "phone-safeguarding-close")
    page.get_by_label("Spoke with them: safe for now, plan in place").check()
    page.get_by_label("Closing note").fill("Safety plan agreed; her mentor will check in Friday.")
    follow(page, page.get_by_role("button", name="Close the alert"))
    expect(page.get_by_role("status")).to_contain_text("The alert is closed.")

    # The timeline shows each step with who and when
    timeline = page.get_by_role("region", name="Timeline")
    entries = timeline.get_by_role("listitem")
    expect(entries).to_have_count(5)
    for index, title in enumerate(
        [
            "Said they are responding",
            "Tried to contact the person",
            "Action taken",
            "Closed",
        ],
        start=1,
    ):
        expect(entries.nth(index)).to_contain_text(title)
        expect(entries.nth(index)).to_contain_text("Sam Supervisor ·")
        expect(entries.nth(index).locator("time")).to_have_attribute("datetime", re.compile("T"))
    expect(entries.nth(2)).to_contain_text("Phone call: reached them")
    expect(entries.nth(3)).to_contain_text("Safety plan discussed")
    expect(entries.nth(4)).to_contain_text("Spoke with them: safe for now, plan in place")
    expect(page.get_by_role("region", name="Closed", exact=True)).to_contain_text(
        "Safety plan agreed; her mentor will check in Friday."
    )
    expect(page.get_by_role("region", name="Reopen this alert")).to_be_visible()

    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
    assert (alert.outcome, alert.closed_by, alert.false_positive) == (
        "safe_for_now",
        supervisor,
        False,
    )
    assert list(alert.actions.values_list("kind", flat=True)) == [
        AlertActionKind.ACKNOWLEDGED,
        AlertActionKind.CONTACT_ATTEMPT,
        AlertActionKind.ACTION_TAKEN,
        AlertActionKind.CLOSED,
    ]

    # The queue now lists it as closed
    follow(page, page.get_by_role("link", name="All safeguarding alerts"))
    expect(page.get_by_role("region", name=re.compile("^Closed"))).to_contain_text(
        "About Samira Quinlan"
    )
