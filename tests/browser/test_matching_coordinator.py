"""A coordinator finds matches for everyone waiting: runs matching, reads why a pair was proposed,
approves one, rejects another with a reason, picks a mentor for someone left unmatched from the
suggestions, and adds a place for distances."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from matching.models import MatchProposal, MatchRun, Origin, Place, ProposalStatus, RunStatus
from mentors.models import MentorRequest
from referrals.models import Importance
from tests.browser.helpers import SCREENSHOT_DIR, check_accessibility, follow, sign_in, visit
from tests.matching.test_runs import make_mentor, make_waiting

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _screenshot(page: Page, name: str, *, phone: bool = False) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    if phone:
        page.set_viewport_size(PHONE)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def programme(organisation, areas):
    """Three mentors with four places and six people waiting (see tests/matching/test_runs)."""
    anxiety, depression, grief, _ = areas
    priya = make_mentor(organisation, "Priya", languages=["en"], slots=["mon_evening"], capacity=2)
    priya.lived_experience_areas.set([anxiety, grief])
    priya.gender = "Woman"
    priya.save()
    tomasz = make_mentor(organisation, "Tomasz", languages=["pl", "en"], slots=["tue_evening"])
    tomasz.lived_experience_areas.set([depression])
    amira = make_mentor(organisation, "Amira", languages=["ar", "en"], slots=["sat_morning"])
    people = {
        "Alex Morgan": (["en"], ["mon_evening"], 60, [anxiety]),
        "Bea Lewis": (["en"], ["mon_evening", "thu_morning"], 40, [grief]),
        "Cal Byrne": (["en"], ["mon_evening"], 3, [anxiety]),
        "Dorota Nowak": (["pl"], ["tue_evening"], 10, [depression]),
        "Eman Haddad": (["ar"], ["sat_morning"], 12, []),
        "Farah Noor": (["so"], ["mon_evening"], 8, []),
    }
    waiting = {}
    for name, (languages, slots, days, needs) in people.items():
        waiting[name] = make_waiting(
            organisation,
            name,
            languages=languages,
            slots=slots,
            days=days,
            with_account=name == "Eman Haddad",
        )
        waiting[name].support_areas.set(needs)
    alex = waiting["Alex Morgan"]
    alex.mentor_gender, alex.mentor_gender_importance = "woman", Importance.NICE
    alex.save()
    MentorRequest.objects.create(
        organisation=organisation, mentee=waiting["Eman Haddad"].mentee, profile=amira
    )
    return {"Priya": priya, "Tomasz": tomasz, "Amira": amira}, waiting


def test_coordinator_matches_the_waiting_list(coordinator, organisation, programme, page: Page):
    mentors, waiting = programme
    sign_in(page, coordinator)
    page.set_viewport_size(DESKTOP)
    visit(page, "/matching/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Matching")
    _screenshot(page, "matching-overview-before")

    # Run matching: in tests the background task runs at once.
    follow(page, page.get_by_role("button", name="Find matches for everyone waiting"))
    expect(page.get_by_role("status").first).to_contain_text(
        "Matching finished: 4 matches to review; 2 people could not be matched."
    )
    review = page.get_by_role("region", name="Matches to review")
    expect(review.get_by_role("listitem")).to_have_count(4)
    expect(review).to_contain_text("Alex Morgan with Priya")
    expect(review).to_contain_text("Asked for this mentor")
    waiting_list = page.get_by_role("region", name="Waiting with no match on its way")
    expect(waiting_list).to_contain_text(
        "Farah Noor · waiting 8 days Not matched in the last run: no available mentor shares a "
        "language."
    )
    expect(waiting_list).to_contain_text("Cal Byrne")
    _screenshot(page, "matching-overview")
    _screenshot(page, "phone-matching-overview", phone=True)

    # Why was Alex proposed with Priya? Then approve.
    follow(page, review.get_by_role("link", name="Alex Morgan with Priya"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Morgan with Priya")
    why = page.get_by_role("region", name="Why this pair was proposed")
    expect(why).to_contain_text("Shares lived experience of Anxiety")
    expect(why).to_contain_text("Both free on Monday evenings")
    _screenshot(page, "matching-proposal")
    _screenshot(page, "phone-matching-proposal", phone=True)
    follow(page, page.get_by_role("button", name="Approve and offer to Priya"))
    expect(page.get_by_role("status").first).to_contain_text("Approved. We have emailed Priya")
    alex_proposal = MatchProposal.objects.get(referral=waiting["Alex Morgan"])
    assert alex_proposal.status == ProposalStatus.WITH_MENTOR

    # Reject Bea with Priya: a reason is needed.
    review = page.get_by_role("region", name="Matches to review")
    follow(page, review.get_by_role("link", name="Bea Lewis with Priya"))
    follow(page, page.get_by_role("button", name="Reject this match"))
    expect(page.get_by_role("alert").first).to_contain_text("Some answers need another look")
    page.get_by_label("Why reject this match?").fill("Bea asked for someone outside her area.")
    follow(page, page.get_by_role("button", name="Reject this match"))
    expect(page.get_by_role("status").first).to_contain_text(
        "Rejected. Priya will not be proposed for Bea again."
    )
    bea = MatchProposal.objects.get(referral=waiting["Bea Lewis"])
    assert (bea.status, bea.decline_reason) == (
        ProposalStatus.REJECTED,
        "Bea asked for someone outside her area.",
    )

    # Priya has a place again: pick her for Cal, who was not matched.
    waiting_list = page.get_by_role("region", name="Waiting with no match on its way")
    follow(page, waiting_list.get_by_role("link", name="Find a mentor for Cal Byrne"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentors for Cal Byrne")
    _screenshot(page, "matching-suggestions")
    follow(page, page.get_by_role("button", name="Propose Priya"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cal Byrne with Priya")
    expect(page.get_by_role("status").first).to_contain_text("Priya is proposed for Cal")
    cal = MatchProposal.objects.get(referral=waiting["Cal Byrne"])
    assert (cal.origin, cal.mentor) == (Origin.SUGGESTION, mentors["Priya"])

    # Add a place for distances, then delete it after confirming.
    visit(page, "/matching/places/")
    page.get_by_label("Name").fill("Hackney")
    page.get_by_label("Latitude").fill("51.5450, -0.0553")
    follow(page, page.get_by_role("button", name="Add the place"))
    expect(page.get_by_role("status").first).to_contain_text("Hackney is added.")
    place = Place.objects.get()
    assert (place.latitude, place.longitude) == (51.545, -0.0553)
    _screenshot(page, "phone-matching-places", phone=True)
    follow(page, page.get_by_role("link", name="Delete Hackney"))
    follow(page, page.get_by_role("button", name="Delete Hackney"))
    expect(page.get_by_role("status").first).to_contain_text("Hackney is deleted.")


def test_the_overview_follows_a_run_in_progress(coordinator, organisation, page: Page):
    run = MatchRun.objects.create(
        organisation=organisation,
        started_by=coordinator,
        status=RunStatus.RUNNING,
        progress=40,
        progress_message="Finding the best matches for everyone at once",
    )
    sign_in(page, coordinator)
    page.set_viewport_size(DESKTOP)
    visit(page, "/matching/")
    status = page.get_by_role("region", name="Matching is running")
    expect(status).to_contain_text("40% done")
    _screenshot(page, "matching-overview-running")

    # The page asks every 2 seconds; when the run is done it reloads to show the result.
    MatchRun.objects.filter(pk=run.pk).update(progress=80, progress_message="Saving")
    expect(status).to_contain_text("Saving: 80% done", timeout=5000)
    with page.expect_navigation(timeout=8000):
        MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, progress=100)
    check_accessibility(page)
    expect(page.get_by_role("region", name="Last matching run")).to_contain_text("Finished")
